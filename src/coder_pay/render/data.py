"""Printers for `batch` (its progress bar) and `data show` / `data check`. Rich is imported inside the functions that draw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coder_pay.table import Table

if TYPE_CHECKING:  # pragma: no cover

    from coder_pay.backtest import Backtest, Check, Summary

from .console import console
from .words import money


class _BatchProgress:
    """A progress bar on stderr over the bytes of a batch input file; `with` gives `advance(n)`. Redrawn by
    `advance` (at most every REFRESH seconds), not by a thread of its own: batch may fork worker processes while
    the bar is shown, and a fork must not copy a running thread."""

    REFRESH = 0.1

    def __init__(self, total: int, name: str):
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                                 console=console(stderr=True), transient=True, redirect_stdout=False,
                                 auto_refresh=False)
        self.task = self.progress.add_task(name, total=total)

    def __enter__(self) -> Any:
        import time

        self.progress.start()
        progress, task, every = self.progress, self.task, self.REFRESH
        update, refresh, clock = progress.update, progress.refresh, time.monotonic
        shown = [clock()]

        def advance(n: int) -> None:
            update(task, advance=n)
            now = clock()
            if now - shown[0] >= every:
                shown[0] = now
                refresh()
        return advance

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()



def batch_progress(total_bytes: int, name: str) -> _BatchProgress:
    return _BatchProgress(total_bytes, name)



def print_data_show(table: Table, origin: str = "") -> None:
    """The table in use: where it is, its vintage, its sources and what it covers."""
    from rich.table import Table as RichTable

    from coder_pay.documents import data_show_doc

    doc = data_show_doc(table)
    out = console()
    # a path is never wrapped: it must stay copyable, whatever the terminal width
    out.print(f"Data table: {doc['path']}" + (f" ({origin})" if origin else ""), soft_wrap=True, markup=False)
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
    pl = doc.get("places")
    if pl:
        c = pl["counts"]
        out.print(f"\nPlaces: {pl['path']}", soft_wrap=True, markup=False)
        out.print(f"  {c['metros']} metros ({c['metros_with_wages']} with BLS wages, {c['metros_with_prices']} with BEA "
                  f"prices), {c['nonmetro']} nonmetro areas; `coder-pay areas` ranks those with wages, "
                  "`data show --json` lists every one.", markup=False)



def _check_published(c: Check) -> str:
    if c.low is not None and c.high is not None:
        return f"{money(c.low)}-{money(c.high)}"
    if c.unit == "ratio":
        num, den = c.as_published
        return f"x{c.published or 0:.3f}\n{num:,.0f} / {den:,.0f}"
    if c.statistic == "mean":
        return f"{money(c.published or 0)}\nmean {money(c.as_published[0])}"
    return money(c.published or 0)



def _check_source(table: Table, key: str) -> str:
    """'AAPC 2025', 'BLS 2024', 'article (undated)': the narrowest form of short_source."""
    s = table.sources[key]
    year = "undated" if s.year is None else str(s.year)
    if s.kind == "assumption":
        return "assumption"
    return f"article ({year})" if s.kind == "industry article" else f"{s.publisher} {year}"



def _check_error(c: Check) -> str:
    if c.low is not None and c.error == 0:
        return "in range"
    return "0.0%" if round(c.error, 3) == 0 else f"{c.error:+.1%}"



def _tolerance(t: float) -> str:
    return "exact" if t == 0 else f"±{t:.0%}" if round(t * 100, 6).is_integer() else f"±{t:.1%}"



def _check_result(c: Check) -> str:
    if not c.held:
        return "not held"
    return "pass" if c.passed else "FAIL"



def backtest_summary_line(s: Summary) -> str:
    """'BLS state medians, May 2024: 51/51 pass, worst error 0.0% (tolerance exact)'."""
    if s.total == 0:
        return f"{s.title}: none in the table"
    text = f"{s.title}: {s.passed}/{s.held} pass"
    w = s.worst
    if w is not None:
        which = "" if round(w.error, 3) == 0 else f", {w.label}"
        text += f", worst error {_check_error(w)} (tolerance {_tolerance(w.tolerance)}{which})"
    if s.not_held:
        text += f"; {s.not_held} shown, not held"
        if s.outside:
            text += f" ({s.outside} outside {'its' if s.outside == 1 else 'their'} tolerance)"
    return text



def backtest_total_line(bt: Backtest) -> str:
    held = sum(s.held for s in bt.summaries)
    passed = sum(s.passed for s in bt.summaries)
    not_held = sum(s.not_held for s in bt.summaries)
    text = f"Total: {passed}/{held} held checks pass"
    if passed < held:
        text += f", {held - passed} FAIL"
    if not_held:
        text += f"; {not_held} shown, not held"
    return text + "."



def print_data_check(table: Table, bt: Backtest, failed_only: bool = False) -> None:
    """The back-test: per family a table of published figure, model answer and error, then its summary line;
    with `failed_only` only the failed rows (the summaries still count every check)."""
    from rich.table import Table as RichTable
    from rich.text import Text

    out = console()
    f = bt.footing
    out.print(f"Back-test: the model against the published figures it can be held to ({table.path})",
              soft_wrap=True, markup=False)
    out.print(f"A published mean is put on the median footing: mean x BLS median / mean ({money(f.median)} / "
              f"{money(f.mean)} = x{f.factor:.3f} nationally; a state's own for a state's profile). A ratio of two "
              "means needs no conversion. A range passes when typical pay is within low x (1 - tolerance) and "
              "high x (1 + tolerance).", markup=False)
    out.print()
    spaced = True  # a blank line before and after each family that lists rows
    for s in bt.summaries:
        rows = [c for c in bt.shown(failed_only) if c.family == s.family]
        folded = s.family in ("metros", "nonmetro") and len(bt.families) > 1  # hundreds of rows: failures only
        if folded:
            rows = [c for c in rows if c.failed]
        if rows:
            if not spaced:
                out.print()
            t = RichTable(title=s.title, title_justify="left")
            t.add_column("Check: profile; source", min_width=16)
            t.add_column("Published", justify="right", no_wrap=True)
            t.add_column("Model", justify="right", no_wrap=True)
            t.add_column("Error", justify="right", no_wrap=True)
            t.add_column("Tol.", justify="right", no_wrap=True)
            t.add_column("Result", no_wrap=True)
            for c in rows:
                model = f"x{c.model:.3f}" if c.unit == "ratio" else money(c.model)
                what = Text(c.label)
                what.append(f"\n{c.profile}; {_check_source(table, c.source)}", style="dim")
                t.add_row(what, _check_published(c), model, _check_error(c), _tolerance(c.tolerance), _check_result(c),
                          style="bold" if c.failed else None)
            out.print(t)
            for c in rows:
                if c.note:
                    out.print(f"  Note: {c.label}: {c.note}", markup=False)
        # one line each, never wrapped: scripts and readers grep them
        out.print(backtest_summary_line(s), markup=False, soft_wrap=True)
        if folded:
            out.print(f"  (every check of this family: coder-pay data check --family {s.family})", markup=False)
        if rows:
            out.print()
        spaced = bool(rows)
    if not spaced:
        out.print()
    out.print(backtest_total_line(bt), markup=False, soft_wrap=True)
