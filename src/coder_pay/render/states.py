"""Printers for `states` and `compare` (states side by side, offers side by side), with their --after-tax
forms. Rich is imported inside the functions that draw."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from coder_pay.table import Table

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from coder_pay.decide import (
        AfterTaxSummary,
        OffersComparison,
        StateRow,
        StatesComparison,
        StatesResult,
    )

from .console import console, glyphs
from .fit import Col, FitTable, bar, fitted_table, print_dropped
from .words import (
    FIRST_OFFER,
    THIN_MARK,
    basis_text,
    diff_text,
    footer,
    gap_text,
    left_out_lines,
    money,
    pct,
    possessive,
    print_flags,
    profile_text,
    whole,
)


def states_text(res: StatesResult) -> str:
    """'top 5 of the 50 states and DC', 'all 50 states and DC': DC counted apart (50 states + DC = 51)."""
    if res.what == "areas":
        where = f" in {res.within}" if res.within else ""
        what = f"{res.total} metro and nonmetro areas{where} with published wages"
        return f"top {len(res.rows)} of the {what}" if len(res.rows) < res.total else f"all {what}"
    dc = sum(1 for r in res.ranked if r.code == "DC")
    n = res.total - dc
    what = f"{n} states" + (" and DC" if dc else "")
    return f"top {len(res.rows)} of the {what}" if len(res.rows) < res.total else f"all {what}"



def place_column(res: StatesResult) -> Col:
    """The first text column of a ranking: states by code and name; areas by name (short: the name's first part)."""
    rows = res.rows
    if res.what == "areas":
        return Col("Area", [f"{r.name}{THIN_MARK if r.flags else ''}" for r in rows], "left", text=True,
                   short=[f"{r.name.split(',')[0].split('-')[0].removesuffix(' nonmetropolitan area')}"
                          f"{THIN_MARK if r.flags else ''}" for r in rows])
    return Col("State", [f"{r.code} {r.name}{THIN_MARK if r.flags else ''}" for r in rows], "left", text=True,
               short=[f"{r.code}{THIN_MARK if r.flags else ''}" for r in rows])


def print_thin_states(out: Console, table: Table, rows: Iterable[StateRow]) -> None:
    """Under a table of states: which rows (marked with THIN_MARK) rest on BLS estimates BLS marks as imprecise,
    in one line, and any other thin-data warning of the rows once each."""
    rows = list(rows)
    thin = [r.code for r in rows if any(f.code == "thin_data" and f.factor == "state" for f in r.flags)]
    marked = [r for r in rows if r.kind != "state" and r.flags]
    if marked:  # `areas`: small samples and published oddities, one line each
        out.print(f"{THIN_MARK} Thin or odd data: a small BLS sample or published figures that look odd (each said "
                  "below; thresholds in places.toml).", markup=False)
        print_flags(out, (f for r in marked for f in r.flags))
        return
    if thin:
        out.print(f"{THIN_MARK} Thin data: BLS marks these states' wage estimates as imprecise (relative standard "
                  f"error of employment >= {table.precision.employment_rse_max:g}% or of the mean wage >= "
                  f"{table.precision.wage_rse_max:g}%): {', '.join(thin)}.", markup=False)
    print_flags(out, (f for r in rows for f in r.flags if f.factor != "state"))



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
    from coder_pay.decide import STATE_SORT_KEYS

    rows = res.rows
    g = glyphs(out.file)
    cols = [Col("#", [str(r.rank) for r in rows]),
            place_column(res),
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
    unit = "area" if res.what == "areas" else "state"
    bars = f" Bars: {what}, from zero to the highest {unit}." if fit.bar_width else ""
    out.print(f"Price: BEA price level ({basis_text(q.col)}), US = 100. Adjusted: typical pay at {res.area} prices.{bars}",
              markup=False)
    print_thin_states(out, table, res.rows)
    footer(out, res.notes, res.vintage)



def print_states_after_tax(table: Table, res: StatesResult, explain: bool = False) -> None:
    """`states --after-tax`: typical pay, price, adjusted, take-home and adjusted take-home per state."""

    from coder_pay.decide import sort_order

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
            place_column(res),
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
    out.print(f"Price: BEA price level ({basis_text(q.col)}), US = 100. Adjusted: typical pay at {res.area} prices. "
              f"Take-home: typical pay less federal and state income tax, Social Security and Medicare, living in "
              f"that state. Take-home adjusted: take-home at {res.area} prices."
              + (f" Bars: {what}, from zero to the highest {'area' if res.what == 'areas' else 'state'}."
                 if fit.bar_width else ""), markup=False)
    print_after_tax_summary(out, table, res.after_tax, res.vintage.wage_year, list_caveats=False, explain=explain)
    print_thin_states(out, table, res.rows)
    footer(out, res.notes, res.vintage)



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



def print_compare(table: Table, res: StatesComparison | OffersComparison, explain: bool = False) -> None:

    from coder_pay.decide import StatesComparison

    out = console()
    q = res.query
    if isinstance(res, StatesComparison):
        first = res.rows[0]
        by = "place by place" if any(r.state for r in res.rows) else "state by state"
        t = FitTable(title=f"{profile_text(table, q, with_place=False)}, {by}", title_justify="left")
        t.add_column("")
        for r in res.rows:
            t.add_column(f"{r.name} ({r.code})", justify="right")
        t.add_row("Low", *(money(r.band.low) for r in res.rows))
        t.add_row("Typical", *(money(r.band.mid) for r in res.rows), style="bold")
        t.add_row("High", *(money(r.band.high) for r in res.rows))
        t.add_row(f"Price level ({basis_text(q.col)})", *(f"{r.price_level:.1f}" for r in res.rows))
        t.add_row(f"Typical at {res.area} prices", *(money(r.adjusted.mid) for r in res.rows), style="bold")
        vs = first.name.split(",")[0].split("-")[0] if first.state else first.code  # a place: its first name
        t.add_row(f"Typical vs {vs}", "", *(diff_text(r.vs_first) for r in res.rows[1:]))
        t.add_row(f"Adjusted vs {vs}", "", *(diff_text(r.adjusted_vs_first) for r in res.rows[1:]))
        if res.after_tax is not None:
            add_compare_after_tax_rows(t, res)
        out.print(t.fit(out.width))
        names = {r.code: r.name for r in res.rows}
        figure = {"pay": {r.code: r.band.mid for r in res.rows}, "adjusted": {r.code: r.adjusted.mid for r in res.rows}}
        for lead, what in ((res.highest_pay, "Highest typical pay"),
                           (res.most_purchasing_power, f"Most purchasing power ({res.area} prices)")):
            if lead.by.dollars == 0:
                out.print(f"{what}: {names[lead.winner]} and {names[lead.runner_up]} are level.", markup=False)
            else:
                nxt = None if first.code in (lead.winner, lead.runner_up) else figure[lead.measure][lead.runner_up]
                out.print(f"{what}: {names[lead.winner]}, "
                          f"{gap_text(lead.by, names[lead.runner_up], possessive(first.name), next_value=nxt)}.",
                          markup=False)
        if res.after_tax is not None:
            print_compare_after_tax_leads(out, res)
    else:
        offers = res.rows
        cols = [Col("Offer", [offer_label(table, res, o) for o in offers], "left", text=True),
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
            labels = {r.label: offer_label(table, res, r) for r in res.rows}
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
            print_offers_after_tax(out, table, res)
        out.print(f"Price: BEA price level ({basis_text(q.col)}), US = 100. Typical there: "
                  f"{profile_text(table, q, with_place=False)}.", markup=False)
    if res.after_tax is not None:
        print_after_tax_summary(out, table, res.after_tax, res.vintage.wage_year if isinstance(res, StatesComparison)
                                else None, explain=explain)
    print_flags(out, res.flags)
    footer(out, res.notes, res.vintage)



def add_compare_after_tax_rows(t: Any, res: StatesComparison) -> None:
    """Rows under `compare --state`: take-home of typical pay, tax rate, its purchasing power, the differences."""
    rows = res.rows
    ats = [r.after_tax for r in rows]
    assert all(a is not None for a in ats) and res.after_tax is not None
    first = rows[0].name.split(",")[0].split("-")[0] if rows[0].state else rows[0].code
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
            nxt = None
            if res.rows[0].code not in (lead.winner, lead.runner_up):  # three or more: of the runner-up's own figure
                ru = next(r for r in res.rows if r.code == lead.runner_up).after_tax
                if ru is not None:
                    nxt = (ru.take_home.band if lead.measure == "take_home" else ru.take_home.col_band).mid
            out.print(f"{what}: {names[lead.winner]}, "
                      f"{gap_text(lead.by, names[lead.runner_up], possessive(rows_first), next_value=nxt)}.",
                      markup=False, style=style)
    if any(r.after_tax and r.after_tax.take_home.flagged for r in res.rows):
        out.print("* Approximate: the brackets alone misstate this state's income tax (see the caveat below).",
                  markup=False)



def offer_label(table: Table, res: OffersComparison, o: Any) -> str:
    """'Ohio $56,160, insurance carrier (payer), remote': an offer with its own setting or remote flag says so."""
    q = res.query
    text = f"{o.name} {money(o.salary)}"
    if o.setting != q.setting:
        text += f", {table.settings[o.setting].label.lower()}"
    if o.remote and not q.remote:
        text += ", remote"
    return text


def print_offers_after_tax(out: Console, table: Table, res: OffersComparison) -> None:
    """`compare --offer --after-tax`: each offer's take-home, what it buys, and the verdict on that."""
    assert res.after_tax is not None
    offers = res.rows
    oas = [o.after_tax for o in offers if o.after_tax is not None]
    cols = [Col("Offer", [offer_label(table, res, o) for o in offers], "left", text=True),
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
        labels = {r.label: offer_label(table, res, r) for r in res.rows}
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
