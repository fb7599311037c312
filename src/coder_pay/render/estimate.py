"""Printers for `estimate` and `take-home` (and the take-home rows an estimate shows with --after-tax).
Rich is imported inside the functions that draw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coder_pay.model import Estimate, place_name, where_name
from coder_pay.table import Table

if TYPE_CHECKING:  # pragma: no cover

    from coder_pay.tax import AfterTaxBand, TakeHome, TakeHomeReport

from .console import console
from .fit import FitTable
from .words import (
    cents,
    col_label,
    grouped_notes,
    left_out_lines,
    minus,
    money,
    pct,
    print_flags,
    rate_text,
    share_text,
    source_text,
    tax_source_line,
    vintage_line,
)


def estimate_title(table: Table, est: Estimate) -> str:
    q = est.query
    who = f"Coder with {', '.join(q.credentials)}" if q.credentials else "Uncertified coder"
    where = "remote, living in " if q.remote else "in "
    place = where_name(table, q)
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
    if c is None:  # a territory's area: BEA publishes no parity (the notes say so), so no adjusted figure
        band.add_row("Cost-of-living adjusted", "n/a", "n/a", "n/a")
    else:
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
    where = (f"in {rep.query.area.name}" if rep.query.area is not None else
             f"in {table.states[th.state].name}" if th.state else "with no state given")
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
    for ln in th.local:  # issue 14: the city, county or district taxes of the places given
        who = "resident" if ln.applies_as == "resident" else "works there"
        lines.add_row(f"{ln.jurisdiction} ({who})", minus(ln.amount), share(ln.amount))
    if th.local_notes and not th.local:
        lines.add_row("Local income tax", "not included", "")
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
    for ln in th.local:
        text = ln.rate + ("" if ln.base == "flat" else f" ({money(ln.base_amount)})") + (f"; {ln.note}" if ln.note else "")
        how.add_row(f"{ln.jurisdiction} ({ln.applies_as})", text, source_text(table, ln.source))
    here = "United States" if rep.query.work_place is None else place_name(table, rep.query.work_place)
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
