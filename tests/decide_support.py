"""Helpers for the tests of issue 3 (states, compare, certs, career, offer).

`RAW` is the data table read with tomllib, independently of coder_pay.table: the tests take
their source figures from it and work the expected numbers out by hand, so that an expected
value is never just the code's own output.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
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
from conftest import CLI_ENV

TABLE_PATH = default_path()
TABLE_TEXT = TABLE_PATH.read_text(encoding="utf-8")
RAW: dict[str, Any] = tomllib.loads(TABLE_TEXT)
ENV = CLI_ENV
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
    """Whole dollars, halves up: the rounding the docs document."""
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


def run_installed(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command as a real subprocess, with a stable environment."""
    return subprocess.run([*installed_command(), *args], capture_output=True, text=True, env=subprocess_env(),
                          timeout=60)


# --------------------------------------------------------------------------- the pay model, worked from docs/estimate.md
# An independent working of docs/estimate.md "How the estimate is computed" from RAW (not coder_pay.model), so that the
# decision tests can check the commands' numbers against the documented formulas.

def _soft(x: float, bound: float, knee: float) -> float:
    start = knee * bound
    if x <= start:
        return x
    rest = bound - start
    return start + rest * math.tanh((x - start) / rest)


def _curve(years: float, up: float, down: float) -> float:
    ex, b = RAW["experience"], RAW["bounds"]
    tau = ex["time_constant"]
    e = ex["amplitude"] * (math.exp(-ex["market_years"] / tau) - math.exp(-years / tau))
    if e >= 0:
        return _soft(e, b["experience_share"] * up, b["experience_knee"])
    return -_soft(-e, down, b["experience_knee"])


def hand_growth(as_of: int | None) -> float:
    """Ageing from the wage year to `as_of`, by hand: the ratio of BLS's published national medians where both
    years are published, the table's rate past the last (or before the first) published year."""
    if as_of is None:
        return 1.0
    pub = {int(y): v["median"] for y, v in RAW["wage_growth"]["published"].items()}
    rate = RAW["wage_growth"]["rate"]

    def index(y: int) -> float:
        if y in pub:
            return float(pub[y])
        base = max(pub) if y > max(pub) else min(pub)
        return pub[base] * (1 + rate) ** (y - base)

    return index(as_of) / index(RAW["meta"]["wage_year"])


def hand_band(state: str | None = None, creds: tuple[str, ...] = (), years: float | None = None,
              level: str | None = None, specialty: str = "general", setting: str = "any", remote: bool = False,
              as_of: int | None = None) -> tuple[int, int, int]:
    """(low, typical, high) for a profile, worked from docs/estimate.md's formulas and the table's figures."""
    dist = RAW["national"] if remote or state is None else RAW["states"][state]
    p = {x: float(dist[f"p{x}"]) for x in (10, 25, 50, 75, 90)}
    up, down = math.log(p[90] / p[50]), math.log(p[50] / p[10])
    roles = RAW["roles"]
    grow = hand_growth(as_of) * (RAW["remote"]["factor"] if remote else 1.0)
    if level in roles:  # a role: its BLS occupation's national wages x (state coder median / national), at its positions
        occ = RAW["occupations"][roles[level]["occupation"]]
        place = p[50] / RAW["national"]["p50"]
        return tuple(dollars(occ[f"p{int(x)}"] * place * grow) for x in roles[level]["positions"])  # type: ignore[return-value]
    if years is None and level is not None:
        years = float(roles[level]["typical_years"]) if level in roles else float(RAW["levels"][level]["years"])
    g = 0.0
    if creds:
        counts = RAW["credential_count"]
        n = str(min(len(creds), max(int(k) for k in counts)))
        g += math.log(counts[n]["multiplier"]) + max(math.log(RAW["credentials"][c].get("premium", 1.0)) for c in creds)
    g += math.log(RAW["specialties"][specialty]["factor"]) + math.log(RAW["settings"][setting]["factor"])
    if years is None:
        total = up * math.tanh(g / up) if g > 0 else g
    else:
        room = up - _curve(50, up, down)
        net = g * RAW["credential_net"]["share"]
        total = _curve(years, up, down) + (room * math.tanh(net / room) if net > 0 else net)
    k = grow
    b = RAW["bounds"]
    cap = math.log(b["high_cap"] * p[90] / p[50])
    low, mid, high = (p[50] * math.exp(_soft(total + math.log(p[x] / p[50]), cap, b["band_knee"])) * k for x in (25, 50, 75))
    return dollars(low), dollars(mid), dollars(high)
