"""--after-tax on `states`, `compare` and `offer` from the installed command, in a real process."""

from __future__ import annotations

import json
import os
import subprocess

from decide_support import installed_command, subprocess_env
from decide_support import run_installed as run


def test_the_worked_example_from_the_installed_command() -> None:
    p = run("compare", "--offer", "TX:50000", "--offer", "CA:65000", "--after-tax", "--json")
    assert p.returncode == 0 and p.stderr == ""
    doc = json.loads(p.stdout)
    lead = doc["leads"][-1]
    # 52,303.93 x 100 / 110.720 = 47,240 against 42,303.50 x 100 / 97.057 = 43,586 (BEA 2024)
    assert (lead["measure"], lead["winner"], lead["by"]["dollars"]) == ("take_home_purchasing_power", "CA:65000", 3_654)
    t = run("compare", "--offer", "TX:50000", "--offer", "CA:65000", "--after-tax")
    assert t.returncode == 0 and "After tax, California $65,000 buys more: $3,654" in " ".join(t.stdout.split())


def test_states_after_tax_csv_from_the_installed_command() -> None:
    p = run("states", "--after-tax", "--format", "csv")
    assert p.returncode == 0 and p.stderr == ""
    lines = p.stdout.splitlines()
    assert len(lines) == 52 and lines[0].endswith(",take_home_low,take_home_mid,take_home_high,"
                                                  "take_home_adjusted_low,take_home_adjusted_mid,"
                                                  "take_home_adjusted_high,effective_rate,tax_flagged")


def test_a_closed_pipe_prints_no_traceback() -> None:
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run([*installed_command(), "states", "--after-tax"], stdout=w, stderr=subprocess.PIPE, text=True,
                           env=subprocess_env(), timeout=60)
    finally:
        os.close(w)
    assert "Traceback" not in p.stderr and "Exception ignored" not in p.stderr, p.stderr
