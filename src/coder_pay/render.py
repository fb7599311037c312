"""Rich tables for people. Rich is imported inside the functions that draw, never at
module import, so the --json path never loads it. Nothing here computes pay."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import Estimate, Flag
from .table import Table

THIN_MARK = "~"  # glued to a row's name (so it never wraps alone) when its answer rests on thin data

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from .backtest import Backtest, Check, Summary
    from .decide import (
        AfterTaxSummary,
        CareerResult,
        CertRow,
        CertsResult,
        Diff,
        OfferCheck,
        OffersComparison,
        StateRow,
        StatesComparison,
        StatesResult,
    )
    from .query import Query
    from .tax import AfterTaxBand, TakeHome, TakeHomeReport
    from .vintage import Vintage


def console(stderr: bool = False) -> Console:
    """A console that writes plain text when not a terminal or when NO_COLOR is set, and only characters
    its stream can encode (a Windows redirect is cp1252; PYTHONIOENCODING may say ascii)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; let the CLI end quietly the same way for every output path.
            self.quiet = True
            raise BrokenPipeError

    stream: Any = sys.stderr if stderr else sys.stdout
    g = glyphs(stream)
    if g is not UNICODE:
        stream = _Encodable(stream, g)
    no_color = bool(os.environ.get("NO_COLOR"))
    return PipeConsole(file=stream, no_color=no_color, highlight=False, soft_wrap=False,
                       emoji=False, color_system=None if no_color else "auto")


# --------------------------------------------------------------------------- glyphs
# Bars, sparklines and Rich's own ellipsis are drawn with block characters that a Windows redirect (cp1252)
# or PYTHONIOENCODING=ascii cannot encode. Which set a stream gets is decided once per stream encoding.


class Glyphs(NamedTuple):
    eighths: str  # a bar's last, partial cell: 0/8 to 7/8 of a cell
    full: str  # a whole bar cell
    ticks: str  # a sparkline's eight levels, lowest first
    ellipsis: str  # where Rich shortens a text


UNICODE = Glyphs(" ▏▎▍▌▋▊▉", "█", "▁▂▃▄▅▆▇█", "…")
ASCII = Glyphs("    ++++", "#", "_.:-=+*#", "~")


def glyphs(stream: Any) -> Glyphs:
    """The glyphs `stream` can carry: the block characters, or plain ASCII."""
    return _glyphs_for(str(getattr(stream, "encoding", None) or "utf-8"))


@functools.cache
def _glyphs_for(encoding: str) -> Glyphs:
    import codecs

    try:
        codecs.encode("".join(UNICODE), encoding)
    except (UnicodeError, LookupError):
        return ASCII
    return UNICODE


class _Encodable:
    """A text stream that passes on only what its encoding can carry: Rich's ellipsis becomes the ASCII one,
    and any other character the stream cannot encode (a name in a user's table) becomes '?'."""

    def __init__(self, stream: Any, g: Glyphs):
        self._stream = stream
        self._map = str.maketrans({UNICODE.ellipsis: g.ellipsis})
        self.encoding = str(getattr(stream, "encoding", None) or "ascii")

    def write(self, text: str) -> int:
        safe = text.translate(self._map).encode(self.encoding, "replace").decode(self.encoding)
        return int(self._stream.write(safe))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno ...
        return getattr(self._stream, name)


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


def print_estimate(table: Table, est: Estimate, after_tax: AfterTaxBand | None = None, explain: bool = False) -> None:
    from rich.table import Table as RTable

    out = console()
    band = FitTable(title=estimate_title(table, est), title_justify="left")
    band.add_column("")
    for col in ("Low", "Typical", "High"):
        band.add_column(col, justify="right")
    band.add_row(f"Salary ({est.wage_year} $)", *(money(v) for v in (est.band.low, est.band.mid, est.band.high)))
    c = est.col
    basis = "housing" if c.basis == "housing" else "all items"
    band.add_row(f"In {c.area_name} prices ({basis})", *(money(v) for v in (c.band.low, c.band.mid, c.band.high)),
                 style="bold")
    if after_tax is not None:
        add_after_tax_rows(band, after_tax)
    out.print(band.fit(out.width))

    factors = RTable(title="How it was worked out", title_justify="left")
    factors.add_column("Factor", overflow="fold")
    factors.add_column("Applied", overflow="fold")
    factors.add_column("Effect", overflow="fold")
    factors.add_column("Source", overflow="fold")
    for f in est.factors:
        factors.add_row(f.label, f.value, f.detail, source_text(table, f.source))
    out.print(factors)
    for note in grouped_notes(est.notes):
        out.print(f"Note: {note}", markup=False)
    print_flags(out, est.flags)
    if after_tax is not None:
        print_after_tax_notes(table, after_tax, explain)
    out.print(vintage_line(table, est), style="dim", markup=False)


def print_thin_states(out: Console, table: Table, rows: Iterable[StateRow]) -> None:
    """Under a table of states: which rows (marked with THIN_MARK) rest on BLS estimates BLS marks as imprecise,
    in one line, and any other thin-data warning of the rows once each."""
    rows = list(rows)
    thin = [r.code for r in rows if any(f.code == "thin_data" and f.factor == "state" for f in r.flags)]
    if thin:
        out.print(f"{THIN_MARK} Thin data: BLS marks these states' wage estimates as imprecise (relative standard "
                  f"error of employment >= {table.precision.employment_rse_max:g}% or of the mean wage >= "
                  f"{table.precision.wage_rse_max:g}%): {', '.join(thin)}.", markup=False)
    print_flags(out, (f for r in rows for f in r.flags if f.factor != "state"))


def print_flags(out: Console, flags: Iterable[Flag]) -> None:
    """Thin-data warnings, one line each (the same warning once)."""
    for msg in dict.fromkeys(f.message for f in flags):
        out.print(f"Caution: {msg}", style="yellow", markup=False)


# --------------------------------------------------------------------------- take-home


def cents(x: float) -> str:
    return f"${x:,.2f}"


def minus(x: float) -> str:
    """A deduction: '-$5,749.00', and '$0.00' when there is none."""
    return "-" + cents(x) if x else cents(0)


def pct(x: float, digits: int = 1) -> str:
    return f"{x * 100:.{digits}f}%"


def share_text(part: float, whole: float) -> str:
    """`part` as a percent of `whole`, two decimals, halves up: one rule for every share of gross, so a
    flat rate reads the same at every salary (Medicare: 1.45%, whatever the cents)."""
    from decimal import ROUND_HALF_UP, Decimal

    if not whole:
        return "-"
    share = Decimal(repr(part)) / Decimal(repr(whole)) * 100
    return f"{share.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def rate_text(x: float) -> str:
    """0.062 -> '6.2%', 0.0145 -> '1.45%', 0.1 -> '10%'."""
    return f"{x * 100:.4g}%"


def col_label(area_name: str, basis: str, prefix: str = "In") -> str:
    return f"{prefix} {area_name} prices ({'housing' if basis == 'housing' else 'all items'})"


def tax_source_line(table: Table) -> str:
    tax = table.tax
    year = tax.year if tax else "?"
    src = table.sources[tax.source].name if tax else ""
    return (f"Tax: {year} rules for a single filer with wage income only, standard deduction. Source: {src}. "
            f"Prices: BEA RPP {table.price_year}.")


def _state_working_text(th: TakeHome) -> str:
    sw = th.state_working
    if sw is None:
        return "no state given: not included"
    if sw.tax_before_credit == 0 and sw.credit == 0 and sw.marginal_rate == 0:
        return "no state income tax on wages"
    parts = [f"{money(th.gross)} - deduction {money(sw.deduction)} - exemption {money(sw.exemption)} "
             f"= taxable {money(sw.taxable_income)}; brackets up to {rate_text(sw.marginal_rate)}: {cents(sw.tax_before_credit)}"]
    if sw.credit:
        parts.append(f"less personal credit {cents(sw.credit)} (nonrefundable)")
    parts.extend(sw.adjustments)
    return "; ".join(parts)


def print_take_home(table: Table, rep: TakeHomeReport, explain: bool = False) -> None:
    from rich.table import Table as RTable

    th, c = rep.result, rep.col
    tax = table.tax
    out = console()
    if th.state is None:  # said first: the figures below leave out state income tax
        out.print("No --state: federal tax only, no state income tax.", markup=False, style="bold")
    where = f"in {table.states[th.state].name}" if th.state else "with no state given"
    gross = money(th.gross) if th.gross == int(th.gross) else cents(th.gross)
    lines = FitTable(title=f"Take-home on {gross} {where}, {th.tax_year} tax, single filer", title_justify="left")
    lines.add_column("")
    lines.add_column("Amount", justify="right")
    lines.add_column("Share of gross", justify="right")

    def share(x: float) -> str:
        return share_text(x, th.gross)

    lines.add_row("Gross salary", cents(th.gross), share(th.gross))
    lines.add_row("Federal income tax", minus(th.federal_income_tax), share(th.federal_income_tax))
    lines.add_row("Social Security", minus(th.social_security), share(th.social_security))
    lines.add_row("Medicare", minus(th.medicare), share(th.medicare))
    st_label = f"State income tax ({th.state})" if th.state else "State income tax (no state)"
    lines.add_row(st_label, minus(th.state_income_tax), share(th.state_income_tax))
    lines.add_row("Take-home pay", cents(th.take_home), share(th.take_home), style="bold")
    lines.add_row("Total tax (effective rate)", cents(th.total_tax), share(th.total_tax))
    lines.add_row(col_label(c.area_name, c.basis), money(c.amount), "", style="bold")
    out.print(lines.fit(out.width))

    how = RTable(title="How it was worked out", title_justify="left")
    how.add_column("Line", overflow="fold")
    how.add_column("Working", overflow="fold")
    how.add_column("Source", overflow="fold")
    tax_src = source_text(table, tax.source) if tax else ""
    how.add_row("Federal income tax",
                f"{money(th.gross)} - standard deduction {money(th.federal_standard_deduction)} = taxable "
                f"{money(th.federal_taxable_income)}; brackets up to {rate_text(th.federal_marginal_rate)}", tax_src)
    if tax:
        how.add_row("Social Security", f"{rate_text(tax.social_security_rate)} of wages up to "
                                       f"{money(tax.social_security_wage_base)}", tax_src)
        how.add_row("Medicare", f"{rate_text(tax.medicare_rate)} of wages, plus {rate_text(tax.additional_medicare_rate)} "
                                f"above {money(tax.additional_medicare_threshold)}", tax_src)
    how.add_row("State income tax", _state_working_text(th), tax_src)
    here = "United States" if th.state is None else table.states[th.state].name
    how.add_row("Cost of living", f"{here} {c.home_price_level:.1f} -> {c.area_name} {c.area_price_level:.1f}: "
                                  f"take-home x{c.ratio:.3f}", source_text(table, rep.price_source))
    out.print(how)
    for cav in th.caveats:
        out.print(f"Caveat: {cav}", markup=False)
    for line in left_out_lines(explain, bullets=True):
        out.print(line, markup=False)
    out.print(tax_source_line(table), style="dim", markup=False)


def add_after_tax_rows(band_table: Any, at: AfterTaxBand) -> None:
    """Two rows under an estimate's band: take-home, and take-home in the comparison area's prices."""
    band_table.add_row(f"Take-home ({at.tax_year} tax)", *(money(v) for v in (at.band.low, at.band.mid, at.band.high)))
    band_table.add_row(col_label(at.col_area_name, at.col_basis, "Take-home in"),
                       *(money(v) for v in (at.col_band.low, at.col_band.mid, at.col_band.high)), style="bold")


def print_after_tax_notes(table: Table, at: AfterTaxBand, explain: bool = False) -> None:
    out = console()
    where = f"living in {table.states[at.state].name}" if at.state else "no state income tax (no state given)"
    rates = " / ".join(pct(r.effective_rate) for r in at.results)
    out.print(f"After tax: {at.tax_year} federal and state rules applied to {at.wage_year} wages, {where}; "
              f"effective tax rate {rates} (low / typical / high).", markup=False)
    for cav in at.caveats:
        out.print(f"Caveat: {cav}", markup=False)
    for line in left_out_lines(explain):
        out.print(line, markup=False)


def left_out_lines(explain: bool, bullets: bool = False) -> list[str]:
    """What take-home leaves out: in full with --explain (as bullets or one paragraph), else one line
    naming the first items and pointing at --explain (JSON's `left_out` always has them all)."""
    from .tax import LEFT_OUT

    if explain:
        if bullets:
            return ["Left out of take-home:", *(f"  - {item}" for item in LEFT_OUT)]
        return ["Left out of take-home: " + "; ".join(LEFT_OUT) + "."]
    heads = [re.split(r" \(| such as ", item, maxsplit=1)[0] for item in LEFT_OUT[:2]]
    more = len(LEFT_OUT) - len(heads)
    listed = ", ".join(heads) + (f" and {more} more" if more > 0 else "")
    return [f"Left out of take-home: {listed} (--explain lists them)."]


def grouped_notes(notes: tuple[str, ...] | list[str]) -> list[str]:
    """Notes that say the same thing of different subjects, 'CPC: no public figure ...' and 'CPC, COC: no
    public figure ...', as one note naming every subject once: 'CPC, COC: no public figure ...'. First
    appearance order is kept. (JSON documents keep every note as the model gave it.)"""
    subjects: dict[str, dict[str, None]] = {}
    for note in notes:
        head, sep, body = note.partition(": ")
        if not sep:
            head, body = "", note
        names = subjects.setdefault(body, {})
        names.update(dict.fromkeys(h for h in head.split(", ") if h))
    return [f"{', '.join(names)}: {body}" if names else body for body, names in subjects.items()]


# =========================================================================== deciding
# Rich output of `states`, `compare`, `certs`, `career` and `offer`. Nothing here computes pay:
# every number comes from the result dataclasses in model.py.

def bar(value: float, top: float, width: int = 20, g: Glyphs = UNICODE) -> str:
    """A horizontal bar `width` cells long at `top`, with eighth-cell resolution, starting from zero."""
    if top <= 0 or value <= 0:
        return ""
    cells = max(0.0, min(1.0, value / top)) * width
    full = int(cells)
    part = g.eighths[int((cells - full) * 8)] if full < width else ""
    return (g.full * full + part).rstrip()


# --------------------------------------------------------------------------- tables that fit the terminal
# A figure is never cut ("$51,…"). When a table is wider than the terminal, in this order: the bar goes,
# headers wrap at their spaces, text columns (names, roles) wrap at theirs, text gives way to a short form
# (a state's code for its name), figures wrap at their spaces ("+$5,300 (+8.9%)"); only then are optional
# columns left out, the lowest `drop` first, and the table says which.


class Col(NamedTuple):
    """A column of `fitted_table`: its header and cells, and how it may give way on a narrow terminal."""

    header: str
    cells: list[str]
    justify: str = "right"
    text: bool = False  # words that may wrap (a name, a role); figures keep their width while anything else can give
    drop: int = 0  # 0: always shown; 1, 2, ...: left out, lowest first, when nothing else makes the table fit
    short: list[str] | None = None  # shorter cells (a state's code without its name), used before leaving anything out
    short_header: str | None = None


class Fitted(NamedTuple):
    table: Any  # the Rich table
    dropped: list[str]  # headers of the columns left out
    bar_width: int = 0  # 0: no bar drawn


def _widest_line(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(ln) for ln in text.split("\n")), default=0)


def _widest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for w in text.split()), default=0)


def fitted_table(width: int, cols: list[Col], *, draw_bar: Any = None, bar_at: int | None = None, bar_most: int = 16,
                 bar_least: int = 5, styles: list[str | None] | None = None, **table_kw: Any) -> Fitted:
    """A Rich table of `cols` at most `width` cells wide (the default box: 3 cells a column and 1) in which no
    cell is cut. `draw_bar(n)` gives the cells of a bar column n cells wide, placed before column `bar_at` (default:
    last), drawn `bar_least` to `bar_most` cells wide when there is room and left out first otherwise."""
    from rich.table import Table as RTable

    levels = sorted({c.drop for c in cols if c.drop})
    choice: tuple[list[Col], list[int], int, bool] | None = None
    for k in range(len(levels) + 1):
        kept = [c for c in cols if not c.drop or c.drop > (levels[k - 1] if k else 0)]
        for short in (False, True):
            if short and not any(c.short for c in kept):
                continue
            cells = [c.short if short and c.short else c.cells for c in kept]
            heads = [(c.short_header or c.header) if short and c.short else c.header for c in kept]
            if table_kw.get("show_header") is False:
                heads = ["" for _ in kept]
            natural = [max([_widest_line(h), *map(_widest_line, cs)]) for h, cs in zip(heads, cells)]
            headed = [max([_widest_word(h), *map(_widest_line, cs)]) for h, cs in zip(heads, cells)]
            least = [max([_widest_word(h), *map(_widest_word, cs)]) for h, cs in zip(heads, cells)]
            text_least = [lw if c.text else hw for c, lw, hw in zip(kept, least, headed)]
            overhead = 3 * len(kept) + 1
            tries = [natural, headed, text_least, least] if not short else [headed, text_least, least]
            for i, lo in enumerate(tries):
                room = width - overhead - sum(lo)
                if draw_bar is not None and k == 0 and not short and i == 0 and room - 3 >= bar_least:
                    choice = (kept, natural, min(bar_most, room - 3), short)
                    break
                if room >= 0:
                    # give what is left back, up to the natural width, to the columns that gave way: those
                    # that need least first, so that as many as possible are whole again
                    widths = list(lo)
                    for j in sorted(range(len(kept)), key=lambda j: natural[j] - lo[j]):
                        add = min(natural[j] - widths[j], room)
                        widths[j] += add
                        room -= add
                    choice = (kept, widths, 0, short)
                    break
            if choice is not None:
                break
        if choice is not None:
            break
    if choice is None:  # nothing fits: every optional column out, the rest as narrow as their words (Rich folds)
        kept = [c for c in cols if not c.drop]
        choice = (kept, [max([_widest_word(c.header), *map(_widest_word, c.cells)]) for c in kept], 0, False)
    kept, widths, bar_cells, short = choice
    t = RTable(**table_kw)
    ids = {id(c) for c in kept}
    at = len(kept) if bar_at is None else sum(1 for c in cols[:bar_at] if id(c) in ids)
    for i, (c, w) in enumerate(zip(kept, widths)):
        if bar_cells and i == at:
            t.add_column("", width=bar_cells, no_wrap=True)
        head = (c.short_header or c.header) if short and c.short else c.header
        t.add_column(head, justify=c.justify, width=w, overflow="fold")  # type: ignore[arg-type]
    if bar_cells and at == len(kept):
        t.add_column("", width=bar_cells, no_wrap=True)
    bars = draw_bar(bar_cells) if bar_cells else None
    rows = len(cols[0].cells) if cols else 0
    for r in range(rows):
        row = [(c.short if short and c.short else c.cells)[r] for c in kept]
        if bars is not None:
            row.insert(at, bars[r])
        t.add_row(*row, style=styles[r] if styles else None)
    return Fitted(t, [c.header.replace("\n", " ") for c in cols if id(c) not in ids], bar_cells)


class FitTable:
    """Built like a Rich table (add_column, add_row); `fit(width)` makes the Rich table with `fitted_table`, so
    no cell is cut. A left-justified column is text that may wrap; a right-justified one holds figures."""

    def __init__(self, **table_kw: Any):
        self.table_kw = table_kw
        self.heads: list[tuple[str, str, int]] = []
        self.rows: list[list[str]] = []
        self.styles: list[str | None] = []

    def add_column(self, header: str = "", justify: str = "left", drop: int = 0) -> None:
        """`drop`: as Col.drop (0: always shown; 1, 2, ...: left out, lowest first, when the table cannot fit)."""
        self.heads.append((header, justify, drop))

    def add_row(self, *cells: str, style: str | None = None) -> None:
        self.rows.append(list(cells))
        self.styles.append(style)

    def fitted(self, width: int) -> Fitted:
        cols = [Col(h, [row[i] for row in self.rows], j, text=j == "left", drop=d) for i, (h, j, d) in enumerate(self.heads)]
        return fitted_table(width, cols, styles=self.styles, **self.table_kw)

    def fit(self, width: int) -> Any:
        return self.fitted(width).table


def print_dropped(out: Console, dropped: list[str]) -> None:
    if dropped:
        out.print(f"Not shown at {out.width} columns: {', '.join(dropped)}. A wider terminal shows every column, "
                  f"and so does --format csv.", markup=False)


def sparkline(values: list[float], g: Glyphs = UNICODE) -> str:
    """One character per value, scaled from the smallest to the largest."""
    ticks = g.ticks
    lo, hi = min(values), max(values)
    if hi <= lo:
        return ticks[3] * len(values)
    return "".join(ticks[min(7, int((v - lo) / (hi - lo) * 7 + 0.5))] for v in values)


def signed_money(x: int) -> str:
    return f"+${x:,}" if x > 0 else (f"-${-x:,}" if x < 0 else "$0")


def percent_text(p: float, dollars: int, sign: bool = True) -> str:
    """A percentage gap: one decimal ('+2.5%'); a non-zero gap that one decimal would show as 0.0% gets
    two significant digits instead ('-0.046%'), so a gap of dollars never reads as none."""
    if not dollars:
        return "0.0%"
    text = f"{p:+.1f}" if sign else f"{p:.1f}"
    if float(text) == 0:
        text = f"{p:+.2g}" if sign else f"{p:.2g}"
    return text + "%"


def diff_text(d: Diff) -> str:
    """A Diff as '+$1,234 (+2.5%)'."""
    return f"{signed_money(d.dollars)} ({percent_text(d.percent, d.dollars)})"


def gap_text(d: Diff, runner_up: str, first: str, where: str = "") -> str:
    """'$5,320 more than Texas; the gap is 8.3% of California's': the percent is of the first row's figure
    (`first`), the same measure as the table's "vs FIRST" cells (see decide._lead)."""
    return (f"{money(d.dollars)} more than {runner_up}{where}; the gap is {percent_text(d.percent, d.dollars, False)} "
            f"of {first}")


FIRST_OFFER = "the first offer's"


def possessive(name: str) -> str:
    return name + "'s"


def states_text(res: StatesResult) -> str:
    """'top 5 of the 50 states and DC', 'all 50 states and DC': DC counted apart (50 states + DC = 51)."""
    dc = sum(1 for r in res.ranked if r.code == "DC")
    n = res.total - dc
    what = f"{n} states" + (" and DC" if dc else "")
    return f"top {len(res.rows)} of the {what}" if len(res.rows) < res.total else f"all {what}"


def profile_text(table: Table, q: Query, *, with_place: bool = True) -> str:
    """'CPC coder, 3 years, risk adjustment, hospital' for a title."""
    who = ", ".join(q.credentials) if q.credentials else "Uncertified"
    parts = [f"{who} coder"]
    if q.level:
        parts.append(q.level)
    elif q.years is not None:
        parts.append(f"{q.years} years")
    else:
        parts.append("whole market")
    if q.specialty != "general":
        parts.append(table.specialties[q.specialty].label.lower())
    if q.setting != "any":
        parts.append(table.settings[q.setting].label.lower())
    text = ", ".join(parts)
    if q.remote:
        text += ", remote (national pay)"
    if with_place:
        text += " in " + (table.states[q.state].name if q.state else "the United States")
    return text


def short_source(table: Table, key: str) -> str:
    """'BLS 2024', 'industry article (undated)', 'no public figure': for narrow table columns."""
    s = table.sources[key]
    if s.kind == "assumption":
        return "no public figure"
    year = "undated" if s.year is None else str(s.year)
    if s.kind == "industry article":
        return f"industry article ({year})"
    return f"{s.publisher} {year}"


def _basis(col: str) -> str:
    return "housing" if col == "housing" else "all items"


def _footer(out: Console, notes: tuple[str, ...] | list[str], vintage: Vintage) -> None:
    for note in grouped_notes(notes):
        out.print(f"Note: {note}", markup=False)
    out.print(vintage.text(), style="dim", markup=False)


def print_states(table: Table, res: StatesResult, explain: bool = False) -> None:

    if res.after_tax is not None:
        print_states_after_tax(table, res, explain)
        return
    out = console()
    q = res.query
    def measure(r: StateRow) -> float:
        """What the bars show: the sort key (typical pay when sorted by name)."""
        return {"adjusted": r.adjusted.mid, "price": r.price_level}.get(res.sort, r.band.mid)

    top = max((measure(r) for r in res.ranked), default=0)
    from .decide import STATE_SORT_KEYS

    rows = res.rows
    g = glyphs(out.file)
    cols = [Col("#", [str(r.rank) for r in rows]),
            Col("State", [f"{r.code} {r.name}{THIN_MARK if r.flags else ''}" for r in rows], "left", text=True,
                short=[f"{r.code}{THIN_MARK if r.flags else ''}" for r in rows]),
            Col("Low", [money(r.band.low) for r in rows], drop=1),
            Col("Typical", [money(r.band.mid) for r in rows]),
            Col("High", [money(r.band.high) for r in rows], drop=1),
            Col("Price", [f"{r.price_level:.1f}" for r in rows], drop=0 if res.sort == "price" else 2),
            Col("Adjusted", [money(r.adjusted.mid) for r in rows])]
    fit = fitted_table(out.width, cols, draw_bar=lambda n: [bar(measure(r), top, n, g) for r in rows],
                       title=f"{profile_text(table, q, with_place=False)}: {states_text(res)}, by "
                             f"{STATE_SORT_KEYS[res.sort]}", title_justify="left")
    out.print(fit.table)
    print_dropped(out, fit.dropped)
    what = {"price": "price level", "adjusted": "adjusted pay"}.get(res.sort, "typical pay")
    bars = f" Bars: {what}, from zero to the highest state." if fit.bar_width else ""
    out.print(f"Price: BEA price level ({_basis(q.col)}), US = 100. Adjusted: typical pay at {res.area} prices.{bars}",
              markup=False)
    print_thin_states(out, table, res.rows)
    _footer(out, res.notes, res.vintage)


def print_compare(table: Table, res: StatesComparison | OffersComparison, explain: bool = False) -> None:

    from .decide import StatesComparison

    out = console()
    q = res.query
    if isinstance(res, StatesComparison):
        first = res.rows[0]
        t = FitTable(title=f"{profile_text(table, q, with_place=False)}, state by state", title_justify="left")
        t.add_column("")
        for r in res.rows:
            t.add_column(f"{r.name} ({r.code})", justify="right")
        t.add_row("Low", *(money(r.band.low) for r in res.rows))
        t.add_row("Typical", *(money(r.band.mid) for r in res.rows), style="bold")
        t.add_row("High", *(money(r.band.high) for r in res.rows))
        t.add_row(f"Price level ({_basis(q.col)})", *(f"{r.price_level:.1f}" for r in res.rows))
        t.add_row(f"Typical at {res.area} prices", *(money(r.adjusted.mid) for r in res.rows), style="bold")
        t.add_row(f"Typical vs {first.code}", "", *(diff_text(r.vs_first) for r in res.rows[1:]))
        t.add_row(f"Adjusted vs {first.code}", "", *(diff_text(r.adjusted_vs_first) for r in res.rows[1:]))
        if res.after_tax is not None:
            add_compare_after_tax_rows(t, res)
        out.print(t.fit(out.width))
        names = {r.code: r.name for r in res.rows}
        for lead, what in ((res.highest_pay, "Highest typical pay"),
                           (res.most_purchasing_power, f"Most purchasing power ({res.area} prices)")):
            if lead.by.dollars == 0:
                out.print(f"{what}: {names[lead.winner]} and {names[lead.runner_up]} are level.", markup=False)
            else:
                out.print(f"{what}: {names[lead.winner]}, {gap_text(lead.by, names[lead.runner_up], possessive(first.name))}.",
                          markup=False)
        if res.after_tax is not None:
            print_compare_after_tax_leads(out, res)
    else:
        offers = res.rows
        cols = [Col("Offer", [f"{o.name} {money(o.salary)}" for o in offers], "left", text=True),
                Col("Price", [f"{o.price_level:.1f}" for o in offers], drop=1),
                Col("At US avg prices", [money(o.us_dollars) for o in offers])]
        if res.home:
            cols.append(Col(f"At {res.home_name} prices", [money(o.home_dollars or 0) for o in offers]))
        cols += [Col("Typical there", [money(o.market.mid) for o in offers], drop=2),
                 Col("Offer vs typical", [diff_text(o.vs_market) for o in offers], drop=2)]
        fit = fitted_table(out.width, cols, title="Job offers at their states' prices", title_justify="left")
        out.print(fit.table)
        print_dropped(out, fit.dropped)
        b = res.best
        if b is not None:
            labels = {r.label: f"{r.name} {money(r.salary)}" for r in res.rows}
            before = "" if res.after_tax is None else "Before tax, "
            if b.by.dollars == 0:
                out.print(f"{before}{labels[b.winner]} and {labels[b.runner_up]} buy the same at US average prices.",
                          markup=False)
            else:
                home = "" if b.by_home is None else f" ({money(b.by_home.dollars)} at {res.home_name} prices)"
                where = " at US average prices" + home
                out.print(f"{before}{labels[b.winner]} buys more: {gap_text(b.by, labels[b.runner_up], FIRST_OFFER, where)}.",
                          markup=False)
        if res.after_tax is not None:
            print_offers_after_tax(out, res)
        out.print(f"Price: BEA price level ({_basis(q.col)}), US = 100. Typical there: "
                  f"{profile_text(table, q, with_place=False)}.", markup=False)
    if res.after_tax is not None:
        print_after_tax_summary(out, table, res.after_tax, res.vintage.wage_year if isinstance(res, StatesComparison)
                                else None, explain=explain)
    print_flags(out, res.flags)
    _footer(out, res.notes, res.vintage)


def _via(table: Table, key: str) -> str:
    """'AAPC 2026, via mbc-bv6.pages.dev': a secondary source names the page it was read from."""
    s = table.sources[key]
    host = s.url.split("/")[2] if s.url.count("/") >= 2 else ""
    return source_text(table, key) + (f", via {host}" if host and "secondary" in s.kind else "")


def _low_reliability(table: Table, r: CertRow) -> bool:
    return any("low reliability" in table.sources[p.source].kind for p in r.cost_parts if p.source)


def print_certs(table: Table, res: CertsResult) -> None:

    from .decide import NET_GAIN_YEARS

    out = console()
    q = res.query
    t = FitTable(title=f"Credentials for: {profile_text(table, q, with_place=False)} in {res.place} "
                     f"(typical pay now {money(res.rows[0].pay_without)})", title_justify="left")
    t.add_column("Credential")
    t.add_column("Adds / yr", justify="right")
    t.add_column("Cost", justify="right")
    t.add_column("Payback")
    for i, n in enumerate(NET_GAIN_YEARS):  # the longest view gives way first on a narrow terminal
        t.add_column(f"Net, {n} yr" + ("s" if n > 1 else ""), justify="right", drop=len(NET_GAIN_YEARS) - i)
    for r in res.rows:
        name = f"{r.code} ({r.body})"
        if r.held:
            t.add_row(name, "held", "", "", *("" for _ in NET_GAIN_YEARS), style="dim")
            continue
        adds = signed_money(r.uplift) + ("*" if r.apprentice else "")
        cost = money(r.cost) + ("†" if _low_reliability(table, r) else "") if r.cost is not None else "no public figure"
        if r.payback_months is not None:
            pay = f"{r.payback_months:.1f} months"
        else:
            pay = "n/a" if r.cost is None else r.payback_note
        nets = [signed_money(g.net) if g.net is not None else "n/a" for g in r.net_gain]
        t.add_row(name, adds, cost, pay, *nets)
    fit = t.fitted(out.width)
    out.print(fit.table)
    print_dropped(out, fit.dropped)
    out.print("Net: extra pay earned so far minus the cost and the yearly membership renewals, in today's dollars "
              "(no raises). n/a: the exam fee has no public figure.", markup=False)
    for r in res.rows:
        if r.cost is not None and not r.held:
            items = []
            for p in r.cost_parts:
                terms = [p.terms] if p.terms else []
                if p.item == "exam fee" and r.member_exam_fee is not None:
                    terms.append(f"{r.body} members pay {money(r.member_exam_fee)}")
                if p.item == "exam fee" and r.two_attempt_exam_fee is not None:
                    terms.append(f"two attempts {money(r.two_attempt_exam_fee)}")
                items.append(f"{p.item} {money(p.amount)}" + (f" ({'; '.join(terms)})" if terms else ""))
            srcs = "; ".join(_via(table, k) for k in dict.fromkeys(p.source for p in r.cost_parts))
            renew = (f"then {money(r.renewal)}/yr membership (in the net, not in the payback)" if r.renewal
                     else r.renewal_note)
            out.print(f"{r.code} cost: {' + '.join(items)} [{srcs}]" + (f"; {renew}" if renew else "") + ".",
                      markup=False)
            if r.cost_note:
                out.print(f"{'† ' if _low_reliability(table, r) else ''}{r.code} {r.cost_note}.", markup=False)
        ap = r.apprentice
        if ap is not None:
            src = table.sources[ap.months_source]
            months_src = "length: no public figure, coder-pay's assumption" if src.kind == "assumption" else (
                source_text(table, ap.months_source))
            if ap.floored:
                stage = (f"{money(ap.ratio_pay)}/yr would be below today's {money(r.pay_without)}, so the stage pays "
                         f"today's pay (+$0/yr)")
            else:
                stage = f"{money(ap.pay)}/yr, {signed_money(ap.uplift)}/yr against now"
            out.print(f"* {r.code}: the first {ap.months} months ({months_src}) are paid as an apprentice "
                      f"({r.code}-A) at {ap.ratio:.0%} of {r.code} pay ({source_text(table, ap.ratio_source)}: "
                      f"{ap.ratio_basis}), never below the pay without it: {stage}; "
                      f"then {signed_money(r.uplift)}/yr. Payback {r.payback_note}.", markup=False)
    unknown: dict[str, list[str]] = {}
    for r in res.rows:
        if r.cost is None and r.cost_note and not r.held:
            unknown.setdefault(r.cost_note, []).append(r.code)
    for note, codes in sorted(unknown.items()):
        out.print(f"Cost of {', '.join(codes)}: {note}.", markup=False)
    if res.training:
        tr = FitTable(title="Training before a first credential (not in the cost above)", title_justify="left")
        tr.add_column("Route")
        tr.add_column("Cost", justify="right")
        tr.add_column("Source")
        for rg in res.training:
            tr.add_row(rg.label, f"{money(rg.low)} - {money(rg.high)}", short_source(table, rg.source))
        out.print(tr.fit(out.width))
    print_flags(out, res.flags)
    _footer(out, res.notes, res.vintage)


def _short_event(event: str) -> str:
    """'adds CPC' -> '+CPC', 'promoted to Coding manager' -> 'promoted'."""
    if event.startswith("adds "):
        return "+" + event[5:]
    if event.startswith(("promoted to ", "becomes ")):
        return "promoted"
    return event


def print_career(table: Table, res: CareerResult) -> None:

    out = console()
    q = res.query
    top = max(y.salary for y in res.rows)
    rows = res.rows
    g = glyphs(out.file)
    cols = [Col("Year", [f"{y.calendar_year}" for y in rows]),
            Col("Exp", [str(y.experience) for y in rows], drop=2),
            Col("Role", [y.role_label for y in rows], "left", text=True),
            Col("Certs", [" ".join(y.credentials) or "-" for y in rows], "left", text=True),
            Col("Salary", [money(y.salary) for y in rows]),
            Col("Adjusted", [money(y.adjusted) for y in rows]),
            Col("", [", ".join(_short_event(e) for e in y.events) for y in rows], "left", text=True, drop=1)]
    fit = fitted_table(out.width, cols, draw_bar=lambda n: [bar(y.salary, top, n, g) for y in rows], bar_at=6, bar_most=14,
                       title=f"Career from {res.start_experience} years' experience: "
                             f"{profile_text(table, q, with_place=True).replace(', whole market', '')}",
                       title_justify="left")
    out.print(fit.table)
    print_dropped(out, [d or "Events" for d in fit.dropped])
    out.print(f"Salary: typical pay for the role and experience, raised {res.raise_rate:.2%} a year. "
              f"Adjusted: at {res.area} prices ({_basis(q.col)}).", markup=False)
    out.print(f"Trajectory {res.rows[0].calendar_year}-{res.rows[-1].calendar_year}: "
              f"{sparkline([y.salary for y in res.rows], g)}  {money(res.rows[0].salary)} -> {money(res.rows[-1].salary)}",
              markup=False)
    if res.raise_from_table:
        out.print(f"Yearly raise: {res.raise_rate:.2%}, the table's wage growth ({res.raise_basis}; "
                  f"{source_text(table, res.raise_source)}).", markup=False)
    else:
        out.print(f"Yearly raise: {res.raise_rate:.2%} (--raise).", markup=False)
    ladder = ", ".join(f"{r.label} from {r.from_years} yrs" + (" (no public figure)"
                                                               if table.sources[r.source].kind == "assumption" else "")
                       for r in res.ladder[1:])
    if res.promotions:
        roles = "; ".join(f"{r.label}: BLS {r.occupation} at " + " / ".join(f"p{p:g}" for p in r.positions or ())
                          for r in res.ladder if r.occupation)
        out.print(f"Ladder (--ladder): {ladder}. Roles priced from BLS May {table.wage_year} national wages placed in "
                  f"the state's market ({roles}).", markup=False)
    else:
        out.print(f"Path: {ladder}; a coder stays a coder (--ladder adds supervisor, manager and director, priced "
                  "from BLS figures).", markup=False)

    rel = FitTable(title=f"Related careers (BLS May {table.wage_year}, national) beside the coders' median "
                       f"{money(res.coder_median)}", title_justify="left")
    rel.add_column("Career")
    rel.add_column("p25", justify="right", drop=1)
    rel.add_column("Median", justify="right")
    rel.add_column("p75", justify="right", drop=1)
    rel.add_column("Median vs coders", justify="right", drop=2)
    for r in res.related:
        rel.add_row(r.label, money(r.p25), money(r.median), money(r.p75), diff_text(r.vs_coder))
    fitted = rel.fitted(out.width)
    out.print(fitted.table)
    print_dropped(out, fitted.dropped)
    for key in dict.fromkeys(r.source for r in res.related):
        out.print(f"Related careers source: {short_source(table, key)}.", markup=False)
    print_flags(out, res.flags)
    _footer(out, res.notes, res.vintage)


def at_percentile(pct: float, beyond: str | None = None) -> str:
    """84.2 -> 'at the 84th percentile'; beyond the published range (`beyond`: "below" p10, "above" p90) it says
    so: BLS publishes nothing below the 10th or above the 90th percentile."""
    if beyond == "below":
        return "below the 10th percentile (the lowest BLS publishes)"
    if beyond == "above":
        return "above the 90th percentile (the highest BLS publishes)"
    n = int(f"{pct:.0f}")
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"at the {n}{suffix} percentile"


def percentile_cell(pct: float, beyond: str | None) -> str:
    """A percentile as a table cell: 'below 10th' / 'above 90th' beyond the published range."""
    return {"below": "below 10th", "above": "above 90th"}.get(beyond or "", f"{pct:.0f}")


def print_offer(table: Table, res: OfferCheck, explain: bool = False) -> None:
    out = console()
    q = res.query
    m = res.market
    t = FitTable(title=f"Offer of {money(res.salary)} for: {profile_text(table, q)}", title_justify="left",
                 show_header=False)
    t.add_column("")
    t.add_column("")
    lo, mid, hi = (f"p{p:.0f}" for p in res.positions)
    wm = res.whole_market
    t.add_row("Percentile in this profile's market", percentile_cell(res.percentile, res.beyond))
    t.add_row(f"Percentile among all coders in {wm.area_name}", percentile_cell(wm.percentile, wm.beyond))
    t.add_row("Verdict", res.verdict, style="bold")
    t.add_row(f"Market band ({lo} / {mid} / {hi})", f"{money(m.low)} / {money(m.mid)} / {money(m.high)}")
    t.add_row("Counter-offer target", money(res.target), style="bold")
    t.add_row(f"Salary in {res.area} prices ({_basis(q.col)})", money(res.adjusted_salary))
    oa = res.after_tax
    if oa is not None:
        t.add_row(f"Take-home ({oa.salary.tax_year} tax, {_lives_text(table, oa.salary.state)})",
                  whole(oa.salary.take_home), style="bold")
        t.add_row(f"Take-home in {oa.area} prices ({_basis(q.col)})", money(oa.adjusted))
    out.print(t.fit(out.width))
    out.print(f"Target: {res.target_reason}.", markup=False)
    out.print(f"Verdict rule: below {money(m.low)} (the band's low, {lo}) reads below market; above {money(m.high)} "
              f"(its high, {hi}) above market; in between, within market (percentiles of this profile's market).",
              markup=False)
    out.print(f"Among all coders in {wm.area_name} ({source_text(table, wm.source)}, every level and credential) "
              f"the salary is {at_percentile(wm.percentile, wm.beyond)}; in this profile's market, "
              f"{at_percentile(res.percentile, res.beyond)}.",
              markup=False)
    tc = res.total
    if tc is not None:
        c = FitTable(title="Total compensation per year", title_justify="left", show_header=False)
        c.add_column("")
        c.add_column("Per year", justify="right")
        c.add_row("Salary", money(tc.salary))
        b = tc
        if b.match:
            c.add_row("401(k) match", money(b.match))
        if b.health:
            c.add_row("Health premium paid by employer", money(b.health))
        if b.bonus:
            c.add_row("Bonus", money(b.bonus))
        c.add_row("Total", money(tc.total), style="bold")
        if oa is not None:
            add_offer_after_tax_rows(c, res)
        if tc.pto_days:
            c.add_row(f"PTO {tc.pto_days} days (inside salary)", money(tc.pto_value), style="dim")
        out.print(c.fit(out.width))
    if oa is not None:
        print_offer_after_tax_notes(out, res, explain)
    print_flags(out, res.estimate.flags)
    _footer(out, res.notes, res.vintage)


# --------------------------------------------------------------------------- batch and data


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
        if rows:
            out.print()
        spaced = bool(rows)
    if not spaced:
        out.print()
    out.print(backtest_total_line(bt), markup=False, soft_wrap=True)


# =========================================================================== after tax
# --after-tax on `states`, `compare` and `offer`. Every figure comes from decide.py / tax.py.


def whole(x: float) -> str:
    """A take-home in dollars and cents shown as whole dollars, halves up (as in JSON)."""
    from .model import round_dollars

    return money(round_dollars(x))


def _lives_text(table: Table, state: str | None) -> str:
    return f"living in {table.states[state].name}" if state else "no state income tax (no state given)"


def print_after_tax_summary(out: Console, table: Table, s: AfterTaxSummary, wage_year: int | None,
                            list_caveats: bool = True, explain: bool = False) -> None:
    """Under an after-tax comparison: the rules applied, the approximate states, what is left out."""
    to = f", applied to {wage_year} wages" if wage_year is not None else ""
    out.print(f"Tax: {s.tax_year} federal and state rules for a single filer, standard deduction{to}; "
              f"state income tax: {s.state_tax}.", markup=False)
    if list_caveats:
        for cav in s.caveats:
            out.print(f"Caveat: {cav}", markup=False)
    elif s.flagged:
        out.print(f"* Approximate take-home (the brackets alone misstate the state's income tax; "
                  f"`coder-pay take-home SALARY --state ST` or --json gives each caveat): {', '.join(s.flagged)}.",
                  markup=False)
    for line in left_out_lines(explain):
        out.print(line, markup=False)


def print_states_after_tax(table: Table, res: StatesResult, explain: bool = False) -> None:
    """`states --after-tax`: typical pay, price, adjusted, take-home and adjusted take-home per state."""

    from .decide import sort_order

    out = console()
    q = res.query
    assert res.after_tax is not None

    def measure(r: StateRow) -> float:
        """What the bars show: the sort key (take-home when sorted by name)."""
        at = r.after_tax
        assert at is not None
        return {"adjusted": at.col_band.mid, "price": r.price_level}.get(res.sort, at.band.mid)

    top = max((measure(r) for r in res.ranked), default=0)
    rows = res.rows
    ats = [r.after_tax for r in rows if r.after_tax is not None]
    marks = ["*" if at.flagged else "" for at in ats]
    g = glyphs(out.file)
    cols = [Col("#", [str(r.rank) for r in rows]),
            Col("State", [f"{r.code} {r.name}{THIN_MARK if r.flags else ''}" for r in rows], "left", text=True,
                short=[f"{r.code}{THIN_MARK if r.flags else ''}" for r in rows]),
            Col("Typical", [money(r.band.mid) for r in rows], drop=2),
            Col("Price", [f"{r.price_level:.1f}" for r in rows], drop=0 if res.sort == "price" else 1),
            Col("Adjusted", [money(r.adjusted.mid) for r in rows], drop=2),
            Col("Take-home", [money(at.band.mid) + m for at, m in zip(ats, marks)]),
            Col("Take-home\nadjusted", [money(at.col_band.mid) + m for at, m in zip(ats, marks)])]
    fit = fitted_table(out.width, cols, draw_bar=lambda n: [bar(measure(r), top, n, g) for r in rows],
                       title=f"{profile_text(table, q, with_place=False)}, after tax: {states_text(res)}, by "
                             f"{sort_order(res.sort, True)}", title_justify="left")
    out.print(fit.table)
    print_dropped(out, fit.dropped)
    what = {"price": "price level", "adjusted": "take-home adjusted"}.get(res.sort, "take-home")
    out.print(f"Price: BEA price level ({_basis(q.col)}), US = 100. Adjusted: typical pay at {res.area} prices. "
              f"Take-home: typical pay less federal and state income tax, Social Security and Medicare, living in "
              f"that state. Take-home adjusted: take-home at {res.area} prices."
              + (f" Bars: {what}, from zero to the highest state." if fit.bar_width else ""), markup=False)
    print_after_tax_summary(out, table, res.after_tax, res.vintage.wage_year, list_caveats=False, explain=explain)
    print_thin_states(out, table, res.rows)
    _footer(out, res.notes, res.vintage)


def add_compare_after_tax_rows(t: Any, res: StatesComparison) -> None:
    """Rows under `compare --state`: take-home of typical pay, tax rate, its purchasing power, the differences."""
    rows = res.rows
    ats = [r.after_tax for r in rows]
    assert all(a is not None for a in ats) and res.after_tax is not None
    first = rows[0].code
    year = res.after_tax.tax_year
    t.add_row(f"Take-home, typical ({year} tax)",
              *(money(a.take_home.band.mid) + ("*" if a.take_home.flagged else "") for a in ats if a), style="bold")
    t.add_row("Tax rate, typical", *(pct(a.take_home.results[1].effective_rate) for a in ats if a))
    t.add_row(f"Take-home at {res.area} prices", *(money(a.take_home.col_band.mid) for a in ats if a), style="bold")
    t.add_row(f"Take-home vs {first}", "", *(diff_text(a.vs_first) for a in ats[1:] if a))
    t.add_row(f"Take-home adjusted vs {first}", "", *(diff_text(a.adjusted_vs_first) for a in ats[1:] if a))


def print_compare_after_tax_leads(out: Console, res: StatesComparison) -> None:
    names = {r.code: r.name for r in res.rows}
    rows_first = res.rows[0].name
    for lead in res.after_tax_leads:
        what = ("Highest take-home" if lead.measure == "take_home"
                else f"After tax, most purchasing power ({res.area} prices)")
        style = "bold" if lead.measure == "take_home_adjusted" else None
        if lead.by.dollars == 0:
            out.print(f"{what}: {names[lead.winner]} and {names[lead.runner_up]} are level.", markup=False, style=style)
        else:
            out.print(f"{what}: {names[lead.winner]}, {gap_text(lead.by, names[lead.runner_up], possessive(rows_first))}.",
                      markup=False, style=style)
    if any(r.after_tax and r.after_tax.take_home.flagged for r in res.rows):
        out.print("* Approximate: the brackets alone misstate this state's income tax (see the caveat below).",
                  markup=False)


def print_offers_after_tax(out: Console, res: OffersComparison) -> None:
    """`compare --offer --after-tax`: each offer's take-home, what it buys, and the verdict on that."""
    assert res.after_tax is not None
    offers = res.rows
    oas = [o.after_tax for o in offers if o.after_tax is not None]
    cols = [Col("Offer", [f"{o.name} {money(o.salary)}" for o in offers], "left", text=True),
            Col("Take-home", [whole(oa.result.take_home) + ("*" if oa.result.flagged else "") for oa in oas]),
            Col("Tax rate", [pct(oa.result.effective_rate) for oa in oas], drop=1),
            Col("At US avg prices", [money(oa.us_dollars) for oa in oas])]
    if res.home:
        cols.append(Col(f"At {res.home_name} prices", [money(oa.home_dollars or 0) for oa in oas]))
    cols.append(Col(f"vs {offers[0].name}", ["" if i == 0 else diff_text(oa.vs_first) for i, oa in enumerate(oas)]))
    best = res.after_tax_best
    fit = fitted_table(out.width, cols, styles=["bold" if best and o.label == best.winner else None for o in offers],
                       title=f"After tax: take-home in each offer's state ({res.after_tax.tax_year} tax, single filer)",
                       title_justify="left")
    out.print(fit.table)
    print_dropped(out, fit.dropped)
    b = res.after_tax_best
    if b is not None:
        labels = {r.label: f"{r.name} {money(r.salary)}" for r in res.rows}
        if b.by.dollars == 0:
            out.print(f"After tax, {labels[b.winner]} and {labels[b.runner_up]} buy the same at US average prices.",
                      markup=False, style="bold")
        else:
            home = "" if b.by_home is None else f" ({money(b.by_home.dollars)} at {res.home_name} prices)"
            where = " at US average prices" + home
            out.print(f"After tax, {labels[b.winner]} buys more: {gap_text(b.by, labels[b.runner_up], FIRST_OFFER, where)}.",
                      markup=False, style="bold")
    if any(r.after_tax and r.after_tax.result.flagged for r in res.rows):
        out.print("* Approximate: the brackets alone misstate this state's income tax (see the caveat below).",
                  markup=False)


def add_offer_after_tax_rows(c: Any, res: OfferCheck) -> None:
    """Under the total compensation: the take-home of the taxable pay, and the total after tax."""
    oa, tc = res.after_tax, res.total
    assert oa is not None and oa.wages is not None and tc is not None
    what = "salary + bonus" if tc.bonus else "salary"
    c.add_row(f"Take-home of {what} ({oa.wages.tax_year} tax)", whole(oa.wages.take_home), style="bold")
    if oa.untaxed:
        c.add_row("Total after tax", money(oa.total or 0), style="bold")


def print_offer_after_tax_notes(out: Console, res: OfferCheck, explain: bool = False) -> None:
    oa = res.after_tax
    assert oa is not None
    th = oa.salary
    where = "no state income tax (no state given)" if th.state is None else f"state income tax of {th.state}"
    out.print(f"Tax: {th.tax_year} federal and state rules for a single filer, standard deduction; {where}"
              f"{' (where you live)' if res.query.remote and th.state else ''}; effective tax rate "
              f"{pct(th.effective_rate)} on the salary.", markup=False)
    tc = res.total
    if tc is not None:
        untaxed = [p for p, v in (("the 401(k) match", tc.match), ("the health premium", tc.health)) if v]
        total = f" Total after tax = take-home + {' + '.join(untaxed)}." if untaxed else ""
        out.print("Taxed as wages: salary and bonus (income tax, Social Security, Medicare). Not taxed: the "
                  "employer's 401(k) match (not wages; taxed when you withdraw it) and the health premium the "
                  f"employer pays (not wages). PTO is paid inside the salary.{total}", markup=False)
    for cav in th.caveats:
        out.print(f"Caveat: {cav}", markup=False)
    for line in left_out_lines(explain):
        out.print(line, markup=False)
