"""`coder-pay take-home` and `estimate --after-tax` as real subprocesses of the installed command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def sh(cmd: list[str] | str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"_TYPER_FORCE_DISABLE_TERMINAL", "CODER_PAY_DATA"}}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=60,
                          shell=isinstance(cmd, str))


def test_take_home_json_from_another_directory(coder_pay_cmd: str, tmp_path: Path) -> None:
    r = sh([coder_pay_cmd, "take-home", "65k", "--state", "CA", "--json"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["take_home_cents"] == 5_230_393  # 52,303.93, worked by hand in tests/test_tax.py
    assert r.stderr == ""


def test_estimate_after_tax_from_another_directory(coder_pay_cmd: str, tmp_path: Path) -> None:
    r = sh([coder_pay_cmd, "estimate", "--state", "TX", "--after-tax"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Take-home (2025 tax)" in r.stdout and "\x1b[" not in r.stdout


def test_bad_salary_exits_2(coder_pay_cmd: str) -> None:
    r = sh([coder_pay_cmd, "take-home", "sixty", "--state", "CA"])
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("coder-pay: error: SALARY must be an amount of pay") and "Traceback" not in r.stderr


def test_closed_pipe_is_quiet(coder_pay_cmd: str) -> None:
    r = sh(f"'{coder_pay_cmd}' take-home 65k --state CA | head -c 1 >/dev/null; "
           f"'{coder_pay_cmd}' estimate --state CA --after-tax | head -n 2 >/dev/null; "
           f"'{coder_pay_cmd}' take-home 65k --json | true")
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    r = sh([sys.executable, "-m", "coder_pay", "take-home", "50000", "--state", "TX", "--json"], cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["take_home_cents"] == 4_230_350  # 42,303.50


def test_take_home_json_path_does_not_import_rich(tmp_path: Path) -> None:
    code = ("import sys; from coder_pay.cli import main; "
            "main(['take-home', '65k', '--state', 'CA', '--json']); "
            "main(['estimate', '--state', 'CA', '--after-tax', '--json']); "
            "sys.stderr.write('RICH' if any(m == 'rich' or m.startswith('rich.') for m in sys.modules) else 'LEAN')")
    r = sh([sys.executable, "-c", code], cwd=tmp_path)
    assert r.stderr.endswith("LEAN"), r.stderr
