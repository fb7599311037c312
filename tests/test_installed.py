"""The installed `coder-pay` command as a real subprocess, the way users and scripts run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def sh(cmd: list[str] | str, cwd: Path | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"_TYPER_FORCE_DISABLE_TERMINAL", "CODER_PAY_DATA"}}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=60,
                          shell=isinstance(cmd, str), **kw)  # type: ignore[call-overload]


def test_json_parses_from_another_directory(coder_pay_cmd: str, tmp_path: Path) -> None:
    r = sh([coder_pay_cmd, "estimate", "--state", "CA", "--cert", "CPC", "--json"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # CA + CPC, whole market: 59700 x exp(0.56043 x tanh(ln 1.2020 / 0.56043)) = 59700 x 1.19441 = 71306.1 -> 71306
    # (worked in full in test_api.test_estimate_as_a_library)
    assert json.loads(r.stdout)["band"]["mid"] == 71306
    assert r.stderr == ""


def test_no_ansi_when_piped(coder_pay_cmd: str) -> None:
    r = sh([coder_pay_cmd, "estimate", "--state", "TX"])
    assert r.returncode == 0 and "\x1b[" not in r.stdout and "Texas" in r.stdout


def test_bad_state_exits_2_with_empty_stdout(coder_pay_cmd: str) -> None:
    r = sh([coder_pay_cmd, "estimate", "--state", "ZZ", "--cert", "CPC"])
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith("coder-pay: error: Unknown state 'ZZ'")
    assert "Traceback" not in r.stderr


def test_closed_pipe_is_quiet(coder_pay_cmd: str) -> None:
    r = sh(f"'{coder_pay_cmd}' estimate --state CA | head -c 1 >/dev/null; "
           f"'{coder_pay_cmd}' estimate --state CA --json | true")
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    r = sh([sys.executable, "-m", "coder_pay", "estimate", "--state", "MS", "--json"], cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["band"]["mid"] == 39970


def test_json_path_does_not_import_rich(tmp_path: Path) -> None:
    code = ("import sys; from coder_pay.cli import main; rc = main(['estimate', '--state', 'CA', '--json']); "
            "sys.stderr.write('RICH' if any(m == 'rich' or m.startswith('rich.') for m in sys.modules) else 'LEAN')")
    r = sh([sys.executable, "-c", code], cwd=tmp_path)
    assert r.stderr.endswith("LEAN"), r.stderr
