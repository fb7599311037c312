"""Helpers for the tests of issue 3 (states, compare, certs, career, offer).

`RAW` is the data table read with tomllib, independently of coder_pay.table: the tests take
their source figures from it and work the expected numbers out by hand, so that an expected
value is never just the code's own output.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.table import Table, default_path, parse_table

TABLE_PATH = default_path()
TABLE_TEXT = TABLE_PATH.read_text(encoding="utf-8")
RAW: dict[str, Any] = tomllib.loads(TABLE_TEXT)
ENV = {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "COLUMNS": "100", "NO_COLOR": "1", "CODER_PAY_DATA": ""}
REPO = Path(__file__).resolve().parents[1]


def table() -> Table:
    return parse_table(TABLE_TEXT, str(TABLE_PATH))


def variant(old: str, new: str) -> Table:
    """The packaged table with one exact piece of text replaced (it must occur exactly once)."""
    assert TABLE_TEXT.count(old) == 1, f"{old!r} occurs {TABLE_TEXT.count(old)} times"
    return parse_table(TABLE_TEXT.replace(old, new), "<variant>")


def state_block(code: str) -> str:
    """The text of [states.CODE] up to the next blank line."""
    start = TABLE_TEXT.index(f"[states.{code}]\n")
    return TABLE_TEXT[start:TABLE_TEXT.index("\n\n", start)]


def dollars(x: float) -> int:
    """Whole dollars, halves up: the rounding the README documents."""
    return int(x + 0.5)


def at(dist: dict[str, float], pct: float) -> float:
    """The wage at a percentile: linear between the published p10/p25/p50/p75/p90."""
    pts = [(10, dist["p10"]), (25, dist["p25"]), (50, dist["p50"]), (75, dist["p75"]), (90, dist["p90"])]
    for (q0, v0), (q1, v1) in zip(pts, pts[1:]):
        if pct <= q1:
            return v0 + (v1 - v0) * (max(pct, q0) - q0) / (q1 - q0)
    return pts[-1][1]


def cli(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


def cli_json(*args: str) -> dict[str, Any]:
    res = cli(*args, "--json")
    assert res.exit_code == 0, res.stderr
    doc: dict[str, Any] = json.loads(res.stdout)
    return doc


def installed_command() -> list[str]:
    """The installed `coder-pay` script of this environment (the tests fail if there is none)."""
    from conftest import installed_command as script

    return [script()]


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CODER_PAY_DATA", "FORCE_COLOR")}
    env.update({"COLUMNS": "100", "NO_COLOR": "1"})
    return env
