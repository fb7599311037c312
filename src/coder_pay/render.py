"""Rich tables for people. Rich is imported inside the functions that draw, never at
module import, so the --json path never loads it. Nothing here computes pay."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from .model import Estimate
from .table import Table

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A console that writes plain text when not a terminal or when NO_COLOR is set."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; let the CLI end quietly the same way for every output path.
            self.quiet = True
            raise BrokenPipeError

    stream = sys.stderr if stderr else sys.stdout
    no_color = bool(os.environ.get("NO_COLOR"))
    return PipeConsole(file=stream, no_color=no_color, highlight=False, soft_wrap=False,
                       emoji=False, color_system=None if no_color else "auto")


def money(x: float) -> str:
    return f"${x:,.0f}"


def source_text(table: Table, key: str) -> str:
    s = table.sources[key]
    year = "undated" if s.year is None else str(s.year)
    if s.kind == "assumption":
        return "assumption (no public figure)"
    if s.kind == "industry article":
        return f"industry article ({year})"
    return f"{s.publisher} {year}"


def vintage_line(table: Table, est: Estimate | None = None) -> str:
    wage_year = est.wage_year if est else table.wage_year
    aged = f" (BLS {table.wage_year} aged to {wage_year})" if est and est.wage_year != table.wage_year else ""
    return f"Wages: {wage_year} dollars{aged}, BLS OEWS May {table.wage_year}. Prices: BEA RPP {table.price_year}."


def estimate_title(table: Table, est: Estimate) -> str:
    q = est.query
    who = f"Coder with {', '.join(q.credentials)}" if q.credentials else "Uncertified coder"
    where = "remote, living in " if q.remote else "in "
    place = table.states[q.state].name if q.state else "the United States"
    if q.level:
        level = f" ({q.level})"
    elif q.years is not None:
        level = f" ({q.years} years' experience)"
    else:
        level = " (all experience levels)"
    return f"{who}{level}, {where}{place}"


def print_estimate(table: Table, est: Estimate) -> None:
    from rich.table import Table as RTable

    out = console()
    band = RTable(title=estimate_title(table, est), title_justify="left", show_edge=True)
    band.add_column("")
    for col in ("Low", "Typical", "High"):
        band.add_column(col, justify="right")
    band.add_row(f"Salary ({est.wage_year} $)", *(money(v) for v in (est.band.low, est.band.mid, est.band.high)))
    c = est.col
    basis = "housing" if c.basis == "housing" else "all items"
    band.add_row(f"In {c.area_name} prices ({basis})", *(money(v) for v in (c.band.low, c.band.mid, c.band.high)),
                 style="bold")
    out.print(band)

    factors = RTable(title="How it was worked out", title_justify="left")
    factors.add_column("Factor")
    factors.add_column("Applied")
    factors.add_column("Effect")
    factors.add_column("Source")
    for f in est.factors:
        factors.add_row(f.label, f.value, f.detail, source_text(table, f.source))
    out.print(factors)
    for note in est.notes:
        out.print(f"Note: {note}", markup=False)
    out.print(vintage_line(table, est), style="dim", markup=False)


def print_lines(lines: list[str], **kw: Any) -> None:
    out = console()
    for ln in lines:
        out.print(ln, markup=False, **kw)
