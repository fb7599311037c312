"""Printers for `certs`, `career` and `offer`. Rich is imported inside the functions that draw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coder_pay.table import Table

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from coder_pay.decide import (
        CareerResult,
        CertRow,
        CertsResult,
        OfferCheck,
    )

from .console import console, glyphs
from .fit import Col, FitTable, bar, fitted_table, print_dropped, sparkline
from .words import (
    basis_text,
    diff_text,
    footer,
    left_out_lines,
    lives_text,
    money,
    pct,
    print_flags,
    profile_text,
    short_source,
    signed_money,
    source_text,
    whole,
)


def _via(table: Table, key: str) -> str:
    """'AAPC 2026, via mbc-bv6.pages.dev': a secondary source names the page it was read from."""
    s = table.sources[key]
    host = s.url.split("/")[2] if s.url.count("/") >= 2 else ""
    return source_text(table, key) + (f", via {host}" if host and "secondary" in s.kind else "")


def _low_reliability(table: Table, r: CertRow) -> bool:
    return any("low reliability" in table.sources[p.source].kind for p in r.cost_parts if p.source)


def print_certs(table: Table, res: CertsResult) -> None:

    from coder_pay.decide import NET_GAIN_YEARS

    out = console()
    q = res.query
    t = FitTable(title=f"Credentials for: {profile_text(table, q)} "
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
            full = table.credentials[r.code].apprentice_months
            until = f"an apprentice until {full} months of experience; " if full and full != ap.months else ""
            months_src = until + ("length: no public figure, coder-pay's assumption" if src.kind == "assumption" else
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
    footer(out, res.notes, res.vintage)


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
              f"Adjusted: at {res.area} prices ({basis_text(q.col)}).", markup=False)
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
    footer(out, res.notes, res.vintage)


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
    t.add_row(f"Salary in {res.area} prices ({basis_text(q.col)})", money(res.adjusted_salary))
    oa = res.after_tax
    if oa is not None:
        t.add_row(f"Take-home ({oa.salary.tax_year} tax, {lives_text(table, oa.salary.state)})",
                  whole(oa.salary.take_home), style="bold")
        t.add_row(f"Take-home in {oa.area} prices ({basis_text(q.col)})", money(oa.adjusted))
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
    footer(out, res.notes, res.vintage)


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
