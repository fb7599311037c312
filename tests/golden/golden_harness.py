"""Run one golden case in-process and return what it wrote, with its machine-specific paths replaced.

Output that depends on where things are (the data table's path, this folder) is written as
`<TABLE>` / `<GOLDEN>`, so the fixtures hold on any checkout and on an installed wheel. The parse
cache goes to a fresh directory (the tests' conftest does so too), so no run depends on an earlier one;
the clock is fixed with CODER_PAY_TODAY.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


class Result(NamedTuple):
    stdout: bytes
    stderr: bytes
    exit_code: int


def _env() -> None:
    os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
    os.environ["COLUMNS"] = "120"
    os.environ.pop("CODER_PAY_DATA", None)
    os.environ.setdefault("NO_COLOR", "1")
    os.environ["CODER_PAY_TODAY"] = "2026-12-05"  # the clock: answers aged to "today" (issue 16) stay fixed


def run_case(argv: list[str]) -> Result:
    _env()
    from typer.testing import CliRunner

    from coder_pay.cli import app
    from coder_pay.table import default_path

    args = [a.replace("{GOLDEN}", str(HERE)) for a in argv]
    r = CliRunner().invoke(app, args)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    swaps = [(str(default_path()).encode(), b"<TABLE>"), (str(HERE).encode(), b"<GOLDEN>"),
             (str(default_path().parent).encode(), b"<DATA>")]  # the places files beside the table

    def clean(data: bytes) -> bytes:
        for old, new in swaps:
            data = data.replace(old, new)
        return data

    return Result(clean(r.stdout_bytes), clean(r.stderr_bytes), r.exit_code)


def files_for(name: str) -> tuple[Path, Path, Path]:
    return OUT / f"{name}.out", OUT / f"{name}.err", OUT / f"{name}.exit"
