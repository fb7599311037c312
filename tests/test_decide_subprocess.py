"""The decision commands run as a user runs them: the installed command, in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from decide_support import installed_command, subprocess_env
from decide_support import run_installed as run


def test_states_csv_from_the_installed_command() -> None:
    p = run("states", "--format", "csv")
    assert p.returncode == 0 and p.stderr == ""
    assert len(p.stdout.splitlines()) == 52


def test_offer_json_from_python_dash_m() -> None:
    p = subprocess.run([sys.executable, "-m", "coder_pay", "offer", "40k", "--state", "TX", "--json"],
                       capture_output=True, text=True, env=subprocess_env(), timeout=60)
    assert p.returncode == 0
    assert json.loads(p.stdout)["kind"] == "offer"


def test_bad_offer_in_a_real_process() -> None:
    p = run("compare", "--offer", "CA:65,00")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("coder-pay: error: ") and p.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["states", "--json"], ["states", "--format", "csv"], ["compare", "--state", "CA",
                                  "--state", "TX", "--json"], ["certs", "--json"], ["career", "--json"],
                                  ["offer", "50k", "--json"],
                                  # and the same with --after-tax
                                  ["states", "--after-tax", "--json"], ["states", "--after-tax", "--format", "csv"],
                                  ["compare", "--offer", "TX:50k", "--offer", "CA:65k", "--after-tax", "--json"],
                                  ["offer", "50k", "--match", "4", "--after-tax", "--json"]])
def test_json_and_csv_paths_do_not_import_rich(args: list[str]) -> None:
    code = ("import sys\nfrom coder_pay.cli import main\nrc = main(sys.argv[1:])\n"
            "sys.stderr.write('RICH=%s RC=%s' % ('rich' in sys.modules, rc))\n")
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=subprocess_env(),
                       timeout=60)
    assert "RICH=False RC=0" in p.stderr, p.stderr


@pytest.mark.parametrize("args", [["states"], ["states", "--format", "csv"], ["career", "--years", "40"], ["certs"]])
def test_a_closed_pipe_prints_no_traceback(args: list[str]) -> None:
    r, w = os.pipe()
    os.close(r)  # the reader has gone before the first write
    try:
        p = subprocess.run([*installed_command(), *args], stdout=w, stderr=subprocess.PIPE, text=True,
                           env=subprocess_env(), timeout=60)
    finally:
        os.close(w)
    assert "Traceback" not in p.stderr and "Exception ignored" not in p.stderr, p.stderr
    assert p.returncode in (0, 1)
