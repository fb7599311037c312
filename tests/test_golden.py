"""Byte-for-byte JSON (and CSV) output of a fixed set of commands, recorded before the issue-13 refactor.

Each case in tests/golden/cases.py is run in-process; its stdout, stderr and exit code must equal the
files under tests/golden/out/ exactly. Machine-specific paths are written `<TABLE>`, `<GOLDEN>` and `<DATA>` (the table's folder).

When output changes ON PURPOSE, regenerate the fixtures and say why in the commit message:

    python tests/golden/regen.py            # every case  (or: python tests/golden/regen.py NAME ...)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

from golden_cases import CASES  # noqa: E402
from golden_harness import OUT, files_for, run_case  # noqa: E402

REGEN = "python tests/golden/regen.py"


def test_every_case_has_its_fixture_and_no_fixture_is_orphaned() -> None:
    stems = {f.stem for f in OUT.iterdir()}
    assert stems == set(CASES), f"fixtures and cases differ: run {REGEN}"


@pytest.mark.parametrize("name", list(CASES))
def test_output_is_byte_identical(name: str) -> None:
    out, err, code = files_for(name)
    res = run_case(CASES[name])
    hint = f"output of {name} changed; if on purpose: {REGEN} {name}"
    assert res.exit_code == int(code.read_text()), hint
    assert res.stdout == out.read_bytes(), hint
    assert res.stderr == (err.read_bytes() if err.exists() else b""), hint
