"""Start-up stays lean: what a run loads, checked by name (never timed; the timing is benchmarks/bench_startup.py).

Each case runs `coder-pay` as a fresh process twice (the first fills the table cache, as a user's first run
does) and lists the modules the second one imported. A module named here costs milliseconds of every run
that does not need it; if a change must load one, say why here and re-run the benchmark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Loads the modules the command imported, then runs it as the `coder-pay` command does.
_RUN = ("import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules))))\n"
        "from coder_pay.__main__ import run\n"
        "raise SystemExit(run())\n")

#: Never needed to price a profile as JSON: drawing (Rich, our renderers), the other commands' cores, the TOML
#: parser and the table's validators (a table found valid is read back built), the full pickle module.
NOT_FOR_JSON = ("rich", "coder_pay.render", "coder_pay.decide", "coder_pay.tax", "coder_pay.localtax",
                "coder_pay.batch_rows", "coder_pay.backtest", "coder_pay.files", "coder_pay.table_sections",
                "coder_pay.table_reader", "tomllib", "tomli", "pickle", "csv", "decimal")


def _modules(args: list[str], tmp_path: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CODER_PAY_DATA", "_TYPER_FORCE_DISABLE_TERMINAL"}}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # this test's own cache: the first run fills it
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=60)
        assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("{") and json.loads(r.stdout)
    return set(r.stderr.rpartition("MODULES ")[2].split())


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_the_json_estimate_of_a_state_loads_only_what_it_uses(tmp_path: Path) -> None:
    mods = _modules(["estimate", "--state", "CA", "--cert", "CPC", "--json"], tmp_path)
    assert "coder_pay.model" in mods  # (the run did price something)
    assert _loaded(mods, NOT_FOR_JSON + ("coder_pay.places",)) == []  # no --area / --zip: no places


@pytest.mark.parametrize("args", [["estimate", "--area", "Seattle", "--json"], ["estimate", "--state", "WA", "--json"]])
def test_the_zip_crosswalk_is_read_only_for_a_zip(args: list[str], tmp_path: Path) -> None:
    mods = _modules(args, tmp_path)
    assert _loaded(mods, NOT_FOR_JSON + ("gzip",)) == []


def test_the_command_runs_with_the_collector_on(tmp_path: Path) -> None:
    """The CLI is imported with garbage collection paused (coder_pay/__main__.py); the command itself is not."""
    code = ("import gc, sys\n"
            "import coder_pay.cli\n"
            "coder_pay.cli.main = lambda: sys.stdout.write(f'{gc.isenabled()} {gc.get_freeze_count() > 0}') and 0\n"
            "from coder_pay.__main__ import run\n"
            "raise SystemExit(run())\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (0, "True True", "")
