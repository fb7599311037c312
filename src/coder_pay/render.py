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

    stream = sys.stderr if stderr else sys.stdout
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(file=stream, no_color=no_color, highlight=False, soft_wrap=False,
                   emoji=False, color_system=None if no_color else "auto")


def money(x: float) -> str:
    return f"${x:,.0f}"


def source_text(table: Table, key: str) -> str:
    s = table.sources[key]
    year = "undated" if s.year is None else str(s.year)
    tag = {"assumption": " (no public figure)", "industry article": " (industry article)"}.get(s.kind, "")
    return f"{s.publisher} {year}{tag}" if s.kind != "assumption" else "assumption (no public figure)"


def vintage_line(table: Table, est: Estimate | None = None) -> str:
    wage_year = est.wage_year if est else table.wage_year
    aged = f" (BLS {table.wage_year} aged to {wage_year})" if est and est.wage_year != table.wage_year else ""
    return f"Wages: {wage_year} dollars{aged}, BLS OEWS May {table.wage_year}. Prices: BEA RPP {table.price_year}."


def estimate_title(table: Table, est: Estimate) -> str:
    q = est.query
    who = ", ".join(q.credentials) if q.credentials else "Uncertified"
    where = "remote, living in " if q.remote else "in "
    place = table.states[q.state].name if q.state else "the United States"
    level = f", {q.level}" if q.level else (f", {q.years} years" if q.years is not None else "")
    return f"{who} coder{level} {where}{place}"


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


# --------------------------------------------------------------------------- batch and data (issue 4)


class _BatchProgress:
    """A progress bar on stderr over the bytes of a batch input file; `with` gives `advance(n)`."""

    def __init__(self, total: int, name: str):
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                                 console=console(stderr=True), transient=True, redirect_stdout=False)
        self.task = self.progress.add_task(name, total=total)

    def __enter__(self) -> Any:
        self.progress.start()
        update = self.progress.update
        task = self.task
        return lambda n: update(task, advance=n)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def batch_progress(total_bytes: int, name: str) -> _BatchProgress:
    return _BatchProgress(total_bytes, name)


def print_data_show(table: Table, origin: str = "") -> None:
    """The table in use: where it is, its vintage, its sources and what it covers."""
    from rich.table import Table as RichTable

    from .documents import data_show_doc

    doc = data_show_doc(table)
    out = console()
    out.print(f"Data table: {doc['path']}" + (f" ({origin})" if origin else ""), overflow="fold")
    out.print(doc["occupation"])
    tax = f" Taxes: {doc['tax_year']}." if doc["tax_year"] else ""
    out.print(f"Wages: BLS OEWS May {doc['wage_year']}. Prices: BEA RPP {doc['price_year']}.{tax}")

    out.print(f"\nSources ({len(doc['sources'])})")
    src = RichTable.grid(padding=(0, 2))
    src.add_column(no_wrap=True)
    src.add_column(no_wrap=True)
    src.add_column(overflow="fold")
    for s in doc["sources"]:
        src.add_row("  " + ("undated" if s["year"] is None else str(s["year"])), s["key"], f"{s['name']} ({s['kind']})")
    out.print(src)

    out.print("\nCoverage")
    cov = RichTable.grid(padding=(0, 2))
    cov.add_column(no_wrap=True)
    cov.add_column(justify="right", no_wrap=True)
    cov.add_column(overflow="fold")
    for what, values in doc["coverage"].items():
        cov.add_row("  " + what, str(len(values)), (" " if what == "states" else ", ").join(values))
    out.print(cov)
