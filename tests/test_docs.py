"""Every console example in README.md, CONTRIBUTING.md and docs/ is the real output of its command.

`python scripts/docs.py` regenerates them; this runs its `--check`, which fails with a diff when one is
stale and when a console block has no example comment above it (CONTRIBUTING.md says how to add one).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "docs.py"


@pytest.mark.skipif(not SCRIPT.exists(), reason="scripts/docs.py is not beside these tests")
def test_every_example_in_the_docs_matches_the_real_output() -> None:
    proc = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 0, f"{proc.stderr}\n{proc.stdout[-20000:]}"
    assert "examples in" in proc.stderr


@pytest.mark.skipif(not SCRIPT.exists(), reason="scripts/docs.py is not beside these tests")
def test_the_check_fails_on_a_stale_or_hand_written_example(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("coder_pay_docs_script", SCRIPT)
    assert spec and spec.loader
    docs = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = docs  # dataclasses look their module up while the class is built
    spec.loader.exec_module(docs)
    page = tmp_path / "page.md"
    page.write_text("<!-- example: coder-pay estimate --state CA -->\n```console\n$ coder-pay estimate --state CA\nstale\n```\n",
                    encoding="utf-8")
    assert docs.main(["--check", str(page)]) == 1
    assert docs.main([str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "stale" not in text and "$ coder-pay estimate --state CA\n" in text and "California" in text
    assert docs.main(["--check", str(page)]) == 0
    page.write_text(text + "\n```console\n$ coder-pay typed by hand\n```\n", encoding="utf-8")
    assert docs.main(["--check", str(page)]) == 1
    page.write_text("```\n" + text, encoding="utf-8")  # a stray fence: the example is now inside code
    assert docs.main(["--check", str(page)]) == 1
