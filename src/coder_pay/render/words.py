"""How figures and notes read, shared by every printer: money, percents, differences, sources, the profile
line, the footer. Rich is imported inside the functions that draw."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from coder_pay.model import Estimate, Flag
from coder_pay.table import Table

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from coder_pay.decide import (
        Diff,
    )
    from coder_pay.query import Query
    from coder_pay.vintage import Vintage




THIN_MARK = "~"  # glued to a row's name (so it never wraps alone) when its answer rests on thin data



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
    """The last line of an estimate: the one vintage text every answer uses (the year, how it was aged, or how to
    age it)."""
    if est is not None:
        from coder_pay.vintage import vintage

        return vintage(table, est.query).text()
    wage_year = table.wage_year
    return f"Wages: {wage_year} dollars, BLS OEWS May {table.wage_year}. Prices: BEA RPP {table.price_year}."



def print_flags(out: Console, flags: Iterable[Flag]) -> None:
    """Thin-data warnings, one line each (the same warning once)."""
    for msg in dict.fromkeys(f.message for f in flags):
        out.print(f"Caution: {msg}", style="yellow", markup=False)



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



def left_out_lines(explain: bool, bullets: bool = False) -> list[str]:
    """What take-home leaves out: in full with --explain (as bullets or one paragraph), else one line
    naming the first items and pointing at --explain (JSON's `left_out` always has them all)."""
    from coder_pay.tax import LEFT_OUT

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



def gap_text(d: Diff, runner_up: str, first: str, where: str = "", next_value: float | None = None) -> str:
    """'$5,320 more than Texas; the gap is 8.3% of California's': the percent is of the first row's figure
    (`first`), the same measure as the table's "vs FIRST" cells (see decide._lead), when the first row is the
    winner or the runner-up. With three or more rows where it is neither (`next_value`: the runner-up's figure),
    the percent is of the runner-up's own figure: '$7,669 more than Colorado, the next highest (+14.0%)'."""
    if next_value:
        share = d.dollars / next_value * 100
        return f"{money(d.dollars)} more than {runner_up}{where}, the next highest ({percent_text(share, d.dollars)})"
    return (f"{money(d.dollars)} more than {runner_up}{where}; the gap is {percent_text(d.percent, d.dollars, False)} "
            f"of {first}")



FIRST_OFFER = "the first offer's"



def possessive(name: str) -> str:
    return name + "'s"



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
        from coder_pay.model import where_name

        where = where_name(table, q)
        text += f", living in {where}" if q.remote and q.state else f" in {where}"
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



def basis_text(col: str) -> str:
    return "housing" if col == "housing" else "all items"



def footer(out: Console, notes: tuple[str, ...] | list[str], vintage: Vintage) -> None:
    for note in grouped_notes(notes):
        out.print(f"Note: {note}", markup=False)
    out.print(vintage.text(), style="dim", markup=False)



def whole(x: float) -> str:
    """A take-home in dollars and cents shown as whole dollars, halves up (as in JSON)."""
    from coder_pay.model import round_dollars

    return money(round_dollars(x))



def lives_text(table: Table, state: str | None) -> str:
    return f"living in {table.states[state].name}" if state else "no state income tax (no state given)"
