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

    from .tax import AfterTaxBand, TakeHome, TakeHomeReport


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


def print_estimate(table: Table, est: Estimate, after_tax: AfterTaxBand | None = None) -> None:
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
    if after_tax is not None:
        add_after_tax_rows(band, after_tax)
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
    if after_tax is not None:
        print_after_tax_notes(table, after_tax)
    out.print(vintage_line(table, est), style="dim", markup=False)


def print_lines(lines: list[str], **kw: Any) -> None:
    out = console()
    for ln in lines:
        out.print(ln, markup=False, **kw)


# --------------------------------------------------------------------------- take-home (issue 6)


def cents(x: float) -> str:
    return f"${x:,.2f}"


def minus(x: float) -> str:
    """A deduction: '-$5,749.00', and '$0.00' when there is none."""
    return "-" + cents(x) if x else cents(0)


def pct(x: float, digits: int = 1) -> str:
    return f"{x * 100:.{digits}f}%"


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


def print_take_home(table: Table, rep: TakeHomeReport) -> None:
    from rich.table import Table as RTable

    th, c = rep.result, rep.col
    tax = table.tax
    out = console()
    where = f"in {table.states[th.state].name}" if th.state else "with no state given"
    gross = money(th.gross) if th.gross == int(th.gross) else cents(th.gross)
    lines = RTable(title=f"Take-home on {gross} {where}, {th.tax_year} tax, single filer", title_justify="left")
    lines.add_column("")
    lines.add_column("Amount", justify="right")
    lines.add_column("Share of gross", justify="right")

    def share(x: float) -> str:
        return pct(x / th.gross) if th.gross else "-"

    lines.add_row("Gross salary", cents(th.gross), share(th.gross))
    lines.add_row("Federal income tax", minus(th.federal_income_tax), share(th.federal_income_tax))
    lines.add_row("Social Security", minus(th.social_security), share(th.social_security))
    lines.add_row("Medicare", minus(th.medicare), share(th.medicare))
    st_label = f"State income tax ({th.state})" if th.state else "State income tax (no state)"
    lines.add_row(st_label, minus(th.state_income_tax), share(th.state_income_tax))
    lines.add_row("Take-home pay", cents(th.take_home), share(th.take_home), style="bold")
    lines.add_row("Total tax (effective rate)", cents(th.total_tax), pct(th.effective_rate))
    lines.add_row(col_label(c.area_name, c.basis), money(c.amount), "", style="bold")
    out.print(lines)

    how = RTable(title="How it was worked out", title_justify="left")
    how.add_column("Line")
    how.add_column("Working")
    how.add_column("Source")
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
    out.print("Left out:", markup=False)
    from .tax import LEFT_OUT

    for item in LEFT_OUT:
        out.print(f"  - {item}", markup=False)
    out.print(tax_source_line(table), style="dim", markup=False)


def add_after_tax_rows(band_table: Any, at: AfterTaxBand) -> None:
    """Two rows under an estimate's band: take-home, and take-home in the comparison area's prices."""
    band_table.add_row(f"Take-home ({at.tax_year} tax)", *(money(v) for v in (at.band.low, at.band.mid, at.band.high)))
    band_table.add_row(col_label(at.col_area_name, at.col_basis, "Take-home in"),
                       *(money(v) for v in (at.col_band.low, at.col_band.mid, at.col_band.high)), style="bold")


def print_after_tax_notes(table: Table, at: AfterTaxBand) -> None:
    out = console()
    where = f"living in {table.states[at.state].name}" if at.state else "no state income tax (no state given)"
    rates = " / ".join(pct(r.effective_rate) for r in at.results)
    out.print(f"After tax: {at.tax_year} federal and state rules applied to {at.wage_year} wages, {where}; "
              f"effective tax rate {rates} (low / typical / high).", markup=False)
    for cav in at.caveats:
        out.print(f"Caveat: {cav}", markup=False)
    from .tax import LEFT_OUT

    out.print("Left out of take-home: " + "; ".join(LEFT_OUT) + ".", markup=False)
