#!/usr/bin/env python3
"""Start-up benchmark: how long one `coder-pay estimate` takes, against baselines.

    python benchmarks/bench_startup.py [--runs 30]

Times, as fresh processes, over repeated runs (medians):
  - `python -c pass`                                   (the interpreter alone)
  - a one-command Typer app                            (the floor for any Typer CLI)
  - `coder-pay estimate --state CA --cert CPC --json`  (target: within 1.25x of the Typer app)
  - `coder-pay estimate --state CA --cert CPC`         (the Rich table form)
  - `coder-pay estimate --area Seattle --json` and `--zip 98101 --json` (places read on demand; no target)
Run it on a quiet machine; it prints medians in milliseconds and the ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_COMMAND_APP = '''
import typer
app = typer.Typer()
@app.command()
def main(state: str = "CA", json: bool = False) -> None:
    print(state)
if __name__ == "__main__":
    app()
'''


# Users run coder-pay from an installed package, whose bytecode pip has compiled; an editable
# install writes it on first use unless PYTHONDONTWRITEBYTECODE is set, so let it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once_ms(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return (time.perf_counter() - t0) * 1000


def medians_ms(cases: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Interleaved rounds (each case once per round), so drift in machine load hits every case alike."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            times[name].append(once_ms(cmd))
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "one.py"
        app.write_text(ONE_COMMAND_APP)
        cases = {
            "python -c pass": [py, "-c", "pass"],
            "one-command Typer app": [py, str(app), "--state", "CA"],
            "estimate --json": [py, "-m", "coder_pay", "estimate", "--state", "CA", "--cert", "CPC", "--json"],
            "estimate (table)": [py, "-m", "coder_pay", "estimate", "--state", "CA", "--cert", "CPC"],
            # a place: places.toml read (from the parse cache) and its names indexed; no target, measured
            "estimate --area --json": [py, "-m", "coder_pay", "estimate", "--area", "Seattle", "--json"],
            "estimate --zip --json": [py, "-m", "coder_pay", "estimate", "--zip", "98101", "--json"],
        }
        medians_ms(cases, 2)  # warm the caches (.pyc files, the page cache)
        res = medians_ms(cases, args.runs)
    base = res["one-command Typer app"]
    print(f"{'case':<26}{'median ms':>10}{'x Typer app':>13}")
    for name, ms in res.items():
        print(f"{name:<26}{ms:>10.1f}{ms / base:>13.2f}")
    ratio = res["estimate --json"] / base
    print(f"\nestimate --json is {ratio:.2f}x a one-command Typer app (target <= 1.25x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
