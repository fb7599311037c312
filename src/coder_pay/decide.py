"""The decision model: `states`, `compare`, `certs`, `career` and `offer`, built on `model.estimate`.

Each function runs the pay model for a set of profiles (every state, each credential, each year of
a career, ...) and returns a frozen dataclass; documents.py turns it into JSON and CSV, render.py
into Rich tables. Pure: no printing, no files, no Typer or Rich.

Kept apart from model.py so that `estimate` (and every start-up, shell completion included) does
not pay for defining these result types: the five commands import this module lazily.

It is kept whole (about 940 lines) for now: the five commands share their helpers (the profile's
distribution, the after-tax summaries, the verdict words), and issue 16 is reworking career, offer
and certs inside it; splitting it by command (as render/ is) is the next step once that lands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import Band, Estimate, Flag, PricedBand, adjust, estimate, place_name, price, round_dollars, wages_key, where_name
from .query import ROLE_LEVELS, Query
from .table import Distribution, Range, State, Table
from .vintage import Vintage, vintage

if TYPE_CHECKING:  # pragma: no cover - tax.py loads only with --after-tax
    from .tax import AfterTaxBand, TakeHome

PAYBACK_CAP_MONTHS = 600  # a payback later than this (50 years) is reported as never


def signed_dollars(x: float) -> int:
    """Whole dollars for a difference that may be negative (halves away from zero)."""
    return round_dollars(x) if x >= 0 else -round_dollars(-x)


@dataclass(frozen=True)
class Diff:
    """a - b, in dollars and as a percent of b."""

    dollars: int
    percent: float

    def as_dict(self) -> dict[str, object]:
        return {"dollars": self.dollars, "percent": round(self.percent, 2)}


def difference(a: float, b: float) -> Diff:
    return gap(a, b, b)


def _merge_notes(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for g in groups for n in g))


def merge_flags(*groups: tuple[Flag, ...]) -> tuple[Flag, ...]:
    """The thin-data flags of several estimates, each once, in order."""
    return tuple(dict.fromkeys(f for g in groups for f in g))


def factor_sources(ests: Iterable[Estimate]) -> tuple[str, ...]:
    """The source keys of every factor the estimates applied, first use first."""
    return tuple(dict.fromkeys(f.source for e in ests for f in e.factors))


def area_name(table: Table, home: str | None) -> str:
    return place_name(table, home)


# --------------------------------------------------------------------------- states


@dataclass(frozen=True)
class StateRow:
    rank: int  # 1-based position in the chosen sort order
    code: str
    name: str
    band: Band
    price_level: float  # all items or housing (the query's --col), US = 100
    adjusted: Band  # band in the comparison area's prices (US average or --home)
    employment: int
    after_tax: AfterTaxBand | None = None  # --after-tax: the band as take-home, taxed where the row is
    flags: tuple[Flag, ...] = ()  # thin data under this row's answer
    kind: str = "state"  # `areas`: metro or nonmetro
    states: tuple[str, ...] = ()  # `areas`: the area's states, the principal one first


@dataclass(frozen=True)
class StatesResult:
    query: Query
    sort: str
    top: int | None
    total: int  # states ranked before --top
    rows: tuple[StateRow, ...]  # the first --top of `ranked`
    ranked: tuple[StateRow, ...]  # every state and DC
    area: str  # comparison area name
    vintage: Vintage
    notes: tuple[str, ...]
    after_tax: AfterTaxSummary | None = None  # --after-tax: `pay` and `adjusted` rank on take-home
    sources: tuple[str, ...] = ()  # keys into Table.sources: every factor of every state's estimate
    what: str = "states"  # or "areas" (areas_table: metros and nonmetro areas)
    within: str | None = None  # `areas --state`: the state the areas are in


STATE_SORT_KEYS = {
    "pay": "typical pay, highest first",
    "adjusted": "cost-of-living-adjusted typical pay, highest first",
    "price": "price level, cheapest first",
    "name": "state name, A to Z",
}


def states_table(table: Table, q: Query, sort: str = "pay", top: int | None = None,
                 after_tax: bool = False) -> StatesResult:
    """The profile's estimate in every state and DC, ranked by `sort` (see STATE_SORT_KEYS). With
    `after_tax`, each row also has its band as take-home (that state's income tax), and `pay` and
    `adjusted` rank on take-home instead (see AFTER_TAX_SORT_KEYS)."""
    q = q._replace(notes=())  # notes on how the input was read go with estimate and offer only
    ests = [(table.states[code], estimate(table, q._replace(state=code))) for code in table.states]
    at = states_after_tax(table, [e for _, e in ests]) if after_tax else {}

    def typical(se: tuple[State, Estimate]) -> int:
        return at[se[0].code].band.mid if after_tax else se[1].band.mid

    def adjusted(se: tuple[State, Estimate]) -> int:
        return at[se[0].code].col_band.mid if after_tax else se[1].priced_col.band.mid

    order = {
        "pay": lambda se: (-typical(se), se[0].code),
        "adjusted": lambda se: (-adjusted(se), se[0].code),
        "price": lambda se: (se[0].price_level(q.col), se[0].code),
        "name": lambda se: (se[0].name, se[0].code),
    }[sort]
    ranked = sorted(ests, key=order)
    rows = tuple(StateRow(i, st.code, st.name, est.band, st.price_level(q.col), est.priced_col.band, st.employment,
                          at.get(st.code), est.flags)
                 for i, (st, est) in enumerate(ranked, 1))
    notes = _merge_notes(*(est.notes for _, est in ests))
    shown = rows[:top] if top else rows
    summary = None
    if after_tax:
        summary = after_tax_summary(table, [r.after_tax for r in shown if r.after_tax is not None],
                                    "each state's own (the state you would live in)", STATE_AFTER_TAX_MEASURES.get(sort))
    return StatesResult(q, sort, top, len(rows), shown, rows, area_name(table, q.home_place), vintage(table, q), notes,
                        summary, factor_sources(e for _, e in ests))


def areas_table(table: Table, q: Query, sort: str = "pay", top: int | None = None, within: str | None = None,
                after_tax: bool = False) -> StatesResult:
    """The profile's estimate in every metro and nonmetro area with published BLS wages (those with a state in
    `within` only), ranked as `states_table` ranks states. A metro is listed under each of its states."""
    from .places import Location, load_places

    q = q._replace(notes=())  # notes on how the input was read go with estimate and offer only
    everywhere = load_places(table).all()
    places = [p for p in everywhere if p.wages is not None and p.territory is None  # a territory: no price level
              and (within is None or within in p.states)]
    ests = []
    for p in places:
        st = within if within is not None else p.state
        ests.append((p, estimate(table, q._replace(state=st, area=Location(p.code, p.kind, p.name, st, p.code)))))
    at = {}
    if after_tax:
        from .tax import after_tax_band, require_tax

        require_tax(table)  # a table without [tax] fails once, before any work
        from .tax import local_places

        at = {p.code: after_tax_band(table, e, work=local_places(table, e.query)[0],
                                     home=local_places(table, e.query)[1]) for p, e in ests}

    def typical(pe: tuple[Any, Estimate]) -> int:
        return at[pe[0].code].band.mid if after_tax else pe[1].band.mid

    def adjusted(pe: tuple[Any, Estimate]) -> int:
        return at[pe[0].code].col_band.mid if after_tax else pe[1].priced_col.band.mid

    order = {
        "pay": lambda pe: (-typical(pe), pe[0].name),
        "adjusted": lambda pe: (-adjusted(pe), pe[0].name),
        "price": lambda pe: (pe[1].col.home_price_level, pe[0].name),
        "name": lambda pe: (pe[0].name, pe[0].code),
    }[sort]
    ranked = sorted(ests, key=order)
    rows = tuple(StateRow(i, p.code, p.name, est.band, est.priced_col.home_price_level, est.priced_col.band, p.employment or 0,
                          at.get(p.code), est.flags, p.kind, p.states)
                 for i, (p, est) in enumerate(ranked, 1))
    shown = rows[:top] if top else rows
    notes = _merge_notes(*(tuple(n for n in est.notes if not n.startswith("Prices in ")) for _, est in ests))
    if any(p.kind == "nonmetro" for p in places):
        notes += ("Prices of nonmetro areas: BEA publishes no parity for one; each is priced at its state's.",)
    for p in everywhere:
        if p.territory is not None and within is None:
            notes += (f"Not ranked: {p.name} (BEA publishes no price parity for {p.territory}); its published band: "
                      f"coder-pay estimate --area {p.code}.",)
    summary = None
    if after_tax:
        summary = after_tax_summary(table, [r.after_tax for r in shown if r.after_tax is not None],
                                    "each area's state (where you would live)", STATE_AFTER_TAX_MEASURES.get(sort))
    return StatesResult(q, sort, top, len(rows), shown, rows, area_name(table, q.home_place), vintage(table, q), notes,
                        summary, factor_sources(e for _, e in ests), "areas", within)


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class Lead:
    """Which row comes out ahead on a measure, over the runner-up, and by how much."""

    measure: str  # "pay", "adjusted" (states) or "purchasing_power" (offers)
    winner: str  # row label (state code, or "CA:65000" for offers)
    runner_up: str
    by: Diff  # winner - runner-up; its percent is of the FIRST row's figure, like every `vs_first`
    by_home: Diff | None = None  # offers with --home: the same lead in home dollars


def gap(a: float, b: float, base: float) -> Diff:
    """a - b, in dollars and as a percent of `base`."""
    return Diff(signed_dollars(a - b), (a - b) / base * 100 if base else 0.0)


def _lead(measure: str, items: list[tuple[str, float]], home_items: list[float] | None = None) -> Lead | None:
    """The winner over the runner-up. One measure for every gap a comparison shows: the percent is of the
    first row's figure, so the lead and the table's "vs FIRST" cells give one gap one percentage."""
    if len(items) < 2:
        return None
    order = sorted(range(len(items)), key=lambda i: -items[i][1])  # stable: ties keep the given order
    w, r = order[0], order[1]
    by_home = gap(home_items[w], home_items[r], home_items[0]) if home_items is not None else None
    return Lead(measure, items[w][0], items[r][0], gap(items[w][1], items[r][1], items[0][1]), by_home)


@dataclass(frozen=True)
class CompareStateRow:
    code: str
    name: str
    band: Band
    price_level: float
    adjusted: Band
    vs_first: Diff  # typical pay against the first state
    adjusted_vs_first: Diff
    after_tax: StateAfterTax | None = None  # --after-tax
    state: str = ""  # a place's state (`code` is then a CBSA or BLS nonmetro code); "": `code` is the state


@dataclass(frozen=True)
class StatesComparison:
    query: Query
    rows: tuple[CompareStateRow, ...]
    area: str
    highest_pay: Lead
    most_purchasing_power: Lead
    vintage: Vintage
    notes: tuple[str, ...]
    # --after-tax: highest take-home, and most take-home purchasing power (the verdict), over the runner-up
    after_tax_leads: tuple[Lead, ...] = ()
    after_tax: AfterTaxSummary | None = None
    sources: tuple[str, ...] = ()  # keys into Table.sources: every factor of each state's estimate
    flags: tuple[Flag, ...] = ()  # thin data under any row


def compare_states(table: Table, q: Query, states: list[Any], after_tax: bool = False) -> StatesComparison:
    """The same profile in each state or place (two or more: a state code, or a places.Location): nominal and
    cost-of-living-adjusted bands; with `after_tax` also as take-home (each state's income tax), the verdict on
    take-home purchasing power."""
    q = q._replace(notes=())  # notes on how the input was read go with estimate and offer only
    ests = []
    for c in states:
        if isinstance(c, str):
            ests.append(((c, table.states[c].name, ""), estimate(table, q._replace(state=c))))
        else:  # a place: its state's tax, its own wages and prices
            ests.append(((c.code, c.name, c.state), estimate(table, q._replace(state=c.state, area=c))))
    first = ests[0][1]
    rows = tuple(CompareStateRow(code, name, e.band, e.priced_col.home_price_level, e.priced_col.band,
                                 difference(e.band.mid, first.band.mid),
                                 difference(e.priced_col.band.mid, first.priced_col.band.mid),
                                 state=st)
                 for (code, name, st), e in ests)
    pay = _lead("pay", [(r.code, r.band.mid) for r in rows])
    adj = _lead("adjusted", [(r.code, r.adjusted.mid) for r in rows])
    assert pay is not None and adj is not None, "compare_states needs two or more states"
    res = StatesComparison(q, rows, area_name(table, q.home_place), pay, adj, vintage(table, q),
                           _merge_notes(*(e.notes for _, e in ests)), sources=factor_sources(e for _, e in ests),
                           flags=merge_flags(*(e.flags for _, e in ests)))
    return compare_states_after_tax(table, res, [e for _, e in ests]) if after_tax else res


@dataclass(frozen=True)
class OfferRow:
    label: str  # "CA:65000"
    code: str
    name: str
    salary: int
    price_level: float
    us_dollars: int  # purchasing power at US-average prices
    home_dollars: int | None  # ... at --home prices
    market: Band  # the profile's band in that state
    vs_market: Diff  # salary against the band's typical pay
    vs_first: Diff  # purchasing power against the first offer
    after_tax: OfferAfterTax | None = None  # --after-tax
    state: str = ""  # a place's state (`code` is then a CBSA or BLS nonmetro code); "": `code` is the state
    setting: str = "any"  # the offer's work setting (its own, else the profile's)
    remote: bool = False  # the offer is a remote job (national pay)
    place: Any = None  # PLACE:SALARY: its places.Location (local taxes with --after-tax)


@dataclass(frozen=True)
class OffersComparison:
    query: Query
    rows: tuple[OfferRow, ...]
    home: str | None
    home_name: str | None
    best: Lead | None  # None with one offer
    vintage: Vintage
    notes: tuple[str, ...]
    after_tax_best: Lead | None = None  # --after-tax: the verdict, on take-home purchasing power
    after_tax: AfterTaxSummary | None = None
    sources: tuple[str, ...] = ()  # keys into Table.sources: every factor of each offer's market estimate
    flags: tuple[Flag, ...] = ()  # thin data under any offer's market


def compare_offers(table: Table, q: Query, offers: Iterable[tuple[Any, ...]], after_tax: bool = False) -> OffersComparison:
    """Each offer (where, salary[, setting[, remote]]; where: a state code or a places.Location) in US-average
    dollars (and --home dollars), and which buys more; with `after_tax` also its take-home there, and which
    take-home buys more (the verdict). An offer's own setting and remote flag replace the profile's for that
    offer. The salaries are paid now: each market is aged to the current year unless `q.as_of` names another
    (`salary_check_query`)."""
    from .vintage import salary_check_query

    q = q._replace(notes=())  # notes on how the input was read go with estimate and offer only
    typed = q
    q, reason = salary_check_query(table, q)
    rows: list[OfferRow] = []
    notes: list[str] = []
    ests: list[Estimate] = []
    first_us: int | None = None
    home_place = q.home_place
    for offer in offers:
        where, salary = offer[0], offer[1]
        setting = offer[2] if len(offer) > 2 and offer[2] is not None else q.setting
        remote = bool(offer[3]) if len(offer) > 3 and offer[3] is not None else q.remote
        if isinstance(where, str):
            code, name, state, label = where, table.states[where].name, "", f"{where}:{salary}"
            est = estimate(table, q._replace(state=where, setting=setting, remote=remote))
        else:  # a place: its wages and prices, its state's tax
            code, name, state, label = where.code, where.name, where.state, f"{where.typed}:{salary}"
            est = estimate(table, q._replace(state=where.state, area=where, setting=setting, remote=remote))
        us = round_dollars(adjust(table, salary, code, None, q.col))
        home = adjust(table, salary, code, home_place, q.col) if home_place else None
        first_us = us if first_us is None else first_us
        ests.append(est)
        notes.extend(est.notes)
        label += (f":{setting}" if setting != q.setting else "") + (":remote" if remote and not q.remote else "")
        rows.append(OfferRow(label, code, name, salary, est.priced_col.home_price_level, us,
                             None if home is None else round_dollars(home), est.band,
                             difference(salary, est.band.mid), difference(us, first_us), state=state,
                             setting=setting, remote=remote, place=None if isinstance(where, str) else where))
    best = _lead("purchasing_power", [(r.label, r.us_dollars) for r in rows],
                 [float(r.home_dollars or 0) for r in rows] if home_place else None)
    res = OffersComparison(typed, tuple(rows), home_place, area_name(table, home_place) if home_place else None, best,
                           vintage(table, q, reason), _merge_notes(notes), sources=factor_sources(ests),
                           flags=merge_flags(*(e.flags for e in ests)))
    return compare_offers_after_tax(table, res) if after_tax else res


# --------------------------------------------------------------------------- certs


NET_GAIN_YEARS = (1, 3, 5)  # the horizons of `certs`' multi-year view


@dataclass(frozen=True)
class ApprenticeStage:
    """The first months after a first CPC: paid as a CPC-A (apprentice) at a fraction of CPC pay, but never
    below the pay without the credential (a credential never lowers pay: see `apprentice_pay`)."""

    months: int
    ratio: float
    pay: int  # yearly pay during the stage: max(pay with the credential x ratio, pay without it)
    uplift: int  # yearly uplift during the stage (never negative)
    ratio_source: str
    ratio_basis: str
    months_source: str
    ratio_pay: int = 0  # pay with the credential x ratio, before the floor
    floored: bool = False  # ratio_pay was below the pay without the credential: the stage pays that instead


class CostPart(NamedTuple):
    """One item of a credential's up-front cost."""

    item: str  # "exam fee", "first-year membership", "membership"
    amount: int
    source: str  # key into Table.sources
    terms: str = ""  # what the exam fee buys: "one attempt", "non-member price", "two-attempt package ..."


@dataclass(frozen=True)
class NetGain:
    """What a credential leaves after `years`: the extra pay earned minus what it cost, in today's dollars."""

    years: int
    extra_pay: int  # uplift over the years (apprentice months at the stage's uplift), no raises
    costs: int | None  # up-front cost + the yearly renewal from year 2 on; None: no public figure
    net: int | None  # extra_pay - costs


@dataclass(frozen=True)
class CredentialCost:
    """Up-front cost (exam fee + first-year membership) and the yearly renewal a credential brings."""

    total: int | None  # None: the exam fee has no public figure
    parts: tuple[CostPart, ...]
    note: str
    source: str | None  # the exam fee's source (else the memberships')
    renewal: int | None  # yearly membership counted from year 2 (None: none to count)
    renewal_note: str  # why no renewal is counted, or where it comes from


@dataclass(frozen=True)
class CertRow:
    code: str
    name: str
    body: str
    held: bool
    pay_without: int  # typical pay with the credentials already held
    pay_with: int  # ... plus this one
    uplift: int  # yearly, once any apprentice stage is over (0 when held)
    cost: int | None  # exam fee + first-year membership; None: no public figure
    cost_parts: tuple[CostPart, ...]
    cost_note: str
    cost_source: str | None
    yearly_membership: int | None
    apprentice: ApprenticeStage | None
    payback_months: float | None
    payback_note: str  # why payback is None, or how it was found
    first_year_uplift: int
    first_year_return: int | None  # first-year uplift - cost (= the net gain after 1 year)
    premium_note: str
    net_gain: tuple[NetGain, ...] = ()  # after each of NET_GAIN_YEARS (none when held)
    renewal: int | None = None  # the yearly renewal counted in net_gain
    renewal_note: str = ""
    member_exam_fee: int | None = None  # AHIMA member price (the cost counts the non-member price)
    two_attempt_exam_fee: int | None = None  # AAPC two-attempt package (the cost counts one attempt)


@dataclass(frozen=True)
class CertsResult:
    query: Query
    rows: tuple[CertRow, ...]
    place: str
    training: tuple[Range, ...]
    vintage: Vintage
    notes: tuple[str, ...]
    sources: tuple[str, ...] = ()  # keys into Table.sources: every factor of the estimates with and without each
    flags: tuple[Flag, ...] = ()  # thin data under the profile's pay


def credential_cost(table: Table, code: str, held: tuple[str, ...] = ()) -> CredentialCost:
    """Exam fee + first-year membership (the yearly one when no first-year figure), or None when the table
    has no exam fee: then the table's cost_note says so. Membership is one per body: holding another
    credential of the same body (`held`) means it is already paid, so it is neither in the cost nor renewed."""
    c = table.credentials[code]
    if c.exam_fee is None:
        return CredentialCost(None, (), c.cost_note or "exam fee: no public figure", c.cost_source, None, "")
    fee_source = c.exam_fee_source or c.cost_source or ""
    parts: list[CostPart] = [CostPart("exam fee", c.exam_fee, fee_source, c.exam_fee_terms)]
    note = c.cost_note
    member_of = [h for h in held if h != code and table.credentials[h].body == c.body
                 and (table.credentials[h].yearly_membership is not None
                      or table.credentials[h].first_year_membership is not None)]
    has_membership = c.first_year_membership is not None or c.yearly_membership is not None
    renewal: int | None = None
    if has_membership and member_of:
        renewal_note = f"{c.body} membership already paid (you hold {', '.join(member_of)}): not counted"
    elif c.first_year_membership is not None:
        parts.append(CostPart("first-year membership", c.first_year_membership, c.cost_source or ""))
        renewal = c.yearly_membership
        renewal_note = "" if renewal is not None else "membership renewal: no public figure (not counted)"
    elif c.yearly_membership is not None:
        parts.append(CostPart("membership", c.yearly_membership, c.cost_source or ""))
        renewal, renewal_note = c.yearly_membership, ""
    else:
        renewal_note = "membership dues and renewal or recertification fees: no public figure (not counted)"
    return CredentialCost(sum(p.amount for p in parts), tuple(parts), note, fee_source or None, renewal, renewal_note)


def known_experience_months(table: Table, q: Query) -> float | None:
    """Months of experience the profile is known to have at least (None: not given)."""
    if q.years is not None:
        return q.years * 12
    if q.level in ROLE_LEVELS:
        return table.levels["senior"].min_years * 12
    if q.level is not None:
        return table.levels[q.level].min_years * 12
    return None


def apprentice_applies(table: Table, q: Query, code: str) -> bool:
    """A new credential with an apprentice stage (CPC -> CPC-A) starts at apprentice pay unless the
    profile is known to have at least the stage's length of experience (`apprentice_months_left`)."""
    if code in q.credentials:
        return False
    return apprentice_months_left(table, code, known_experience_months(table, q)) > 0


def apprentice_pay(pay_with: int, pay_without: int, ratio: float) -> tuple[int, int]:
    """Yearly pay during an apprentice stage: the credential's pay x the apprentice ratio, but never less than
    the pay without the credential (a credential never lowers pay: the survey ratio compares apprentices with
    full holders, not with uncertified coders of the same experience). Returns (pay, pay x ratio)."""
    ratio_pay = round_dollars(pay_with * ratio)
    return max(ratio_pay, pay_without), ratio_pay


def payback(cost: int | None, monthly_uplift: float, stage_months: int = 0,
            stage_monthly_uplift: float = 0.0) -> tuple[float | None, str]:
    """Months until the uplift has paid the cost: cost / monthly uplift, or with an apprentice
    stage the month the running total of uplift first covers the cost. None with the reason."""
    if cost is None:
        return None, "cost: no public figure"
    if cost == 0:
        return 0.0, "no cost"
    if stage_months and stage_monthly_uplift > 0 and stage_monthly_uplift * stage_months >= cost:
        return cost / stage_monthly_uplift, "paid back during the apprentice stage"
    covered = stage_monthly_uplift * stage_months if stage_months else 0.0
    if monthly_uplift <= 0:
        return None, "never: the credential adds no pay here"
    months = stage_months + (cost - covered) / monthly_uplift
    if months > PAYBACK_CAP_MONTHS:
        return None, f"never within {PAYBACK_CAP_MONTHS} months"
    if stage_months:
        return months, "after the apprentice stage" if months > stage_months else "during the apprentice stage"
    return months, "cost / monthly uplift"


def net_gain(years: int, uplift: int, cost: int | None, renewal: int | None,
             stage: ApprenticeStage | None = None) -> NetGain:
    """After `years`: extra pay = the yearly uplift for each month (the apprentice stage's uplift for its
    months); costs = the up-front cost + the yearly renewal at the start of each year after the first."""
    months = 12 * years
    in_stage = min(stage.months, months) if stage else 0
    extra = signed_dollars(((stage.uplift if stage else 0) * in_stage + uplift * (months - in_stage)) / 12)
    costs = None if cost is None else cost + (renewal or 0) * (years - 1)
    return NetGain(years, extra, costs, None if costs is None else extra - costs)


def cert_payback(table: Table, q: Query) -> CertsResult:
    """For each credential in the table: what it adds to typical pay for the profile, what it
    costs, when it pays back, and what it leaves after 1, 3 and 5 years."""
    q = q._replace(notes=())  # notes on how the input was read go with estimate and offer only
    base = estimate(table, q)
    rows: list[CertRow] = []
    notes: list[str] = list(base.notes)
    ests = [base]
    for code, c in table.credentials.items():
        held = code in q.credentials
        cc = credential_cost(table, code, q.credentials)
        with_est = base if held else estimate(table, q._replace(credentials=q.credentials + (code,)))
        ests.append(with_est)
        notes.extend(n for n in with_est.notes if n != f"{code}: {c.premium_note}.")
        without, with_ = base.band.mid, with_est.band.mid
        uplift = 0 if held else with_ - without
        stage: ApprenticeStage | None = None
        if not held and apprentice_applies(table, q, code):
            assert c.apprentice_ratio is not None and c.apprentice_months is not None
            pay, ratio_pay = apprentice_pay(with_, without, c.apprentice_ratio)
            stage = ApprenticeStage(apprentice_months_left(table, code, known_experience_months(table, q)),
                                    c.apprentice_ratio, pay, pay - without,
                                    c.apprentice_source or "", c.apprentice_basis, c.apprentice_months_source or "",
                                    ratio_pay, ratio_pay < without)
        if held:
            months: float | None
            months, why = None, "already held"
        elif stage is not None:
            months, why = payback(cc.total, uplift / 12, stage.months, stage.uplift / 12)
        else:
            months, why = payback(cc.total, uplift / 12)
        gains = () if held else tuple(net_gain(n, uplift, cc.total, cc.renewal, stage) for n in NET_GAIN_YEARS)
        first_year = net_gain(1, uplift, cc.total, cc.renewal, stage)
        rows.append(CertRow(code, c.name, c.body, held, without, with_, uplift, cc.total, cc.parts, cc.note, cc.source,
                            c.yearly_membership, stage, months, why, 0 if held else first_year.extra_pay,
                            None if held else first_year.net, c.premium_note, gains, cc.renewal, cc.renewal_note,
                            c.member_exam_fee, c.two_attempt_exam_fee))
    place = where_name(table, q)  # (remote: said by the profile, once)
    by_note: dict[str, list[str]] = {}
    for code, c in table.credentials.items():
        if c.premium_note and code not in q.credentials:
            by_note.setdefault(c.premium_note, []).append(code)
    notes.extend(f"{', '.join(codes)}: {note}." for note, codes in by_note.items())
    for r in rows:
        if r.apprentice is not None:
            src = table.sources[r.apprentice.months_source]
            if src.kind == "assumption":
                full = table.credentials[r.code].apprentice_months
                notes.append(f"{r.code}-A apprentice stage length (until {full} months of experience; "
                             f"{r.apprentice.months} months here): no public figure; coder-pay's assumption."
                             if full != r.apprentice.months else
                             f"{r.code}-A apprentice stage length ({r.apprentice.months} months): no public figure; "
                             f"coder-pay's assumption.")
            break
    return CertsResult(q, tuple(rows), place, tuple(table.training.values()), vintage(table, q), _merge_notes(notes),
                       factor_sources(ests), base.flags)


# --------------------------------------------------------------------------- career

CODER, SENIOR = "coder", "senior"


@dataclass(frozen=True)
class Rung:
    """One step of the career ladder: from how many years of experience, and where that number is from;
    for a role above senior coder, the BLS occupation it is priced from."""

    key: str
    label: str
    from_years: int
    source: str
    occupation: str = ""  # BLS SOC code (roles only)
    positions: tuple[float, float, float] | None = None  # the role's low / typical / high in that occupation


def career_ladder(table: Table, roles: bool = True) -> tuple[Rung, ...]:
    """coder -> senior coder (levels.senior.min_years), then with `roles` -> supervisor -> manager -> director
    (roles.*.typical_years)."""
    senior = table.levels["senior"]
    rungs = [Rung(CODER, "Coder", 0, table.levels["entry"].source), Rung(SENIOR, "Senior coder", senior.min_years,
                                                                      senior.source)]
    if roles:
        for role in sorted(table.roles.values(), key=lambda r: (r.typical_years, r.steps_above_senior)):
            rungs.append(Rung(role.key, role.label, max(role.typical_years, senior.min_years), role.years_source,
                              role.occupation, role.positions))
    return tuple(rungs)


def role_for_experience(table: Table, years: int, roles: bool = True) -> Rung:
    rung = career_ladder(table, roles)[0]
    for r in career_ladder(table, roles):
        if years >= r.from_years:
            rung = r
    return rung


def apprentice_months_left(table: Table, code: str, experience_months: float | None) -> int:
    """The one rule for the apprentice stage (CPC -> CPC-A), in `certs` and `career`: a new holder is an
    apprentice until they have the stage's months of experience (AAPC removes the -A after two years of
    experience); unknown experience counts as none. 0: no stage (no apprentice ratio in the table, or enough
    experience already)."""
    c = table.credentials[code]
    if c.apprentice_ratio is None or c.apprentice_months is None:
        return 0
    known = experience_months or 0.0
    return max(0, int(round(c.apprentice_months - known)))


@dataclass(frozen=True)
class CareerYear:
    year: int  # 0 = now
    calendar_year: int
    experience: int
    role: str
    role_label: str
    credentials: tuple[str, ...]
    base: int  # typical pay for this step in the starting year's dollars
    salary: int  # base x (1 + raise) ^ year
    adjusted: int  # salary in the comparison area's prices
    events: tuple[str, ...]
    apprentice: tuple[str, ...] = ()  # credentials held as an apprentice (CPC-A) this year


@dataclass(frozen=True)
class RelatedCareer:
    """Another BLS occupation (never the coders' own), national, with its middle half and median."""

    code: str  # BLS SOC code
    label: str
    title: str  # BLS's title
    p25: int
    median: int
    p75: int
    employment: int
    vs_coder: Diff  # its median against the coders' national median
    source: str


@dataclass(frozen=True)
class CareerResult:
    query: Query
    start_experience: int
    span: int
    raise_rate: float
    raise_from_table: bool
    raise_basis: str
    raise_source: str
    added: tuple[tuple[str, int], ...]
    ladder: tuple[Rung, ...]
    promotions: bool  # the ladder option: roles above senior coder
    rows: tuple[CareerYear, ...]
    coder_median: int
    coder_median_source: str
    related: tuple[RelatedCareer, ...]
    area: str
    vintage: Vintage
    notes: tuple[str, ...]
    sources: tuple[str, ...] = ()  # keys into Table.sources: every factor of each year's estimate
    flags: tuple[Flag, ...] = ()  # thin data under any year's pay


def related_careers(table: Table) -> tuple[RelatedCareer, ...]:
    """The related occupations of the table (BLS, national), highest median first, beside the coders' median."""
    median = table.national.p50
    return tuple(RelatedCareer(o.code, o.label, o.title, round_dollars(o.wages.p25), round_dollars(o.wages.p50),
                               round_dollars(o.wages.p75), o.employment, difference(o.wages.p50, median), o.source)
                 for o in sorted(table.related.values(), key=lambda o: -o.wages.p50))


def career_path(table: Table, q: Query, *, span: int = 10, start_experience: int = 0, raise_rate: float | None = None,
                added: tuple[tuple[str, int], ...] = (), ladder: bool = False) -> CareerResult:
    """Year 0 (now: the current year, or --as-of) to year `span`, in the starting year's dollars raised by
    `raise_rate` a year (default: the table's wage growth). A coder stays a coder (coder -> senior coder);
    with `ladder`, the roles above senior coder come at their years, each priced from its BLS occupation in
    the state's market, never below what staying a coder would pay. A credential added with an apprentice
    stage (CPC) is paid as an apprentice (`apprentice_months_left`) while the stage lasts."""
    from .vintage import current_year

    q = q._replace(notes=())  # notes on how the input was read go with estimate and offer only
    from_table = raise_rate is None
    rate = table.growth_rate if raise_rate is None else raise_rate
    start_year = q.as_of if q.as_of is not None else max(current_year(), table.wage_year)
    q0 = q._replace(as_of=start_year)
    rows: list[CareerYear] = []
    notes: list[str] = []
    ests: list[Estimate] = []
    prev_role: str | None = None
    prev_apprentices: tuple[str, ...] = ()
    for t in range(span + 1):
        exp = start_experience + t
        rung = role_for_experience(table, exp, ladder)
        creds = q.credentials + tuple(c for c, y in added if y <= t)
        coder = estimate(table, q0._replace(years=exp, level=None, credentials=creds))
        ests.append(coder)
        notes.extend(coder.notes)
        base = coder.band.mid
        apprentices: list[str] = []
        if rung.key in ROLE_LEVELS:
            role_est = estimate(table, q0._replace(years=None, level=rung.key, credentials=()))
            ests.append(role_est)
            notes.extend(n for n in role_est.notes if "not applied" not in n)
            base = max(base, role_est.band.mid)
        else:
            new = [c for c, y in added if y <= t and c not in q.credentials]
            for c in new:
                if apprentice_months_left(table, c, exp * 12) > 0:
                    cred = table.credentials[c]
                    assert cred.apprentice_ratio is not None
                    without = estimate(table, q0._replace(years=exp, level=None,
                                                          credentials=tuple(x for x in creds if x != c))).band.mid
                    base = min(base, apprentice_pay(base, without, cred.apprentice_ratio)[0])
                    apprentices.append(c)
        salary = base * (1 + rate) ** t
        events = []
        if t == 0:
            events.append("start")
        elif rung.key != prev_role:
            events.append(f"{'becomes' if rung.key == SENIOR else 'promoted to'} {rung.label}")
        events.extend(f"adds {c}" + (f" (as {c}-A, apprentice)" if c in apprentices else "") for c, y in added if y == t)
        events.extend(f"{c}-A becomes {c}" for c in prev_apprentices if c not in apprentices)
        prev_apprentices = tuple(apprentices)
        prev_role = rung.key
        rows.append(CareerYear(t, start_year + t, exp, rung.key, rung.label, creds, base, round_dollars(salary),
                               round_dollars(salary * coder.priced_col.price_ratio), tuple(events), tuple(apprentices)))
    ladder_rungs = career_ladder(table, ladder)
    if ladder and any(table.sources[r.source].kind == "assumption" for r in ladder_rungs):
        notes.append("Years to each role above senior coder: no public figure; coder-pay's assumption.")
    if ladder:
        notes.append("A promotion never pays less than staying a coder would: a role's pay is the larger of the two.")
    if any(r.apprentice for r in rows):
        c = next(x for r in rows for x in r.apprentice)
        cred = table.credentials[c]
        notes.append(f"{c}-A (apprentice): paid {cred.apprentice_ratio:.0%} of {c} pay (never less than without it) "
                     f"until {cred.apprentice_months} months of experience, the same stage `certs` counts.")
    return CareerResult(q, start_experience, span, rate, from_table,
                        table.growth_basis if from_table else "given with --raise",
                        table.growth_source if from_table else "", added, ladder_rungs, ladder, tuple(rows),
                        round_dollars(table.national.p50), table.national_source, related_careers(table),
                        area_name(table, q.home_place), vintage(table, q0, None if q.as_of is not None else "today"),
                        _merge_notes(notes), factor_sources(ests),
                        merge_flags(*(e.flags for e in ests)))


# --------------------------------------------------------------------------- offer

VERDICTS = ("below market", "within market", "above market")


@dataclass(frozen=True)
class Benefits:
    """What an offer adds to salary (None: not given)."""

    match_pct: float | None = None  # employer 401(k) match, percent of salary
    health: int | None = None  # employer-paid health premium, dollars a year
    pto_days: int | None = None
    bonus_pct: float | None = None  # percent of salary

    def given(self) -> bool:
        return any(v is not None for v in (self.match_pct, self.health, self.pto_days, self.bonus_pct))


@dataclass(frozen=True)
class TotalCompensation:
    salary: int
    match: int
    health: int
    bonus: int
    total: int  # salary + match + health + bonus
    pto_days: int
    pto_value: int  # salary / work days x PTO days: already inside salary, shown for its worth
    work_days: int


@dataclass(frozen=True)
class WholeMarket:
    """Where a salary sits among all coders of the place the profile's pay is set in (BLS, every level and
    credential): the figure users compare with the published percentiles."""

    percentile: float
    area: str | None  # state code; None: the United States (--remote or no state)
    area_name: str
    source: str  # key into Table.sources: the BLS wages it is read from
    beyond: str | None = None  # "below" the published p10 or "above" the p90 (`percentile` then reads 10 or 90)


@dataclass(frozen=True)
class OfferCheck:
    query: Query
    salary: int
    percentile: float  # in the profile's market: profile_distribution(estimate)
    verdict: str
    market: Band
    positions: tuple[float, float, float]  # the band's low / typical / high as percentiles of that same market
    target: int
    target_reason: str
    adjusted_salary: int
    area: str
    total: TotalCompensation | None
    estimate: Estimate
    whole_market: WholeMarket  # the salary among all coders of the place (BLS), beside `percentile`
    vintage: Vintage
    notes: tuple[str, ...]
    after_tax: OfferTakeHome | None = None  # --after-tax
    beyond: str | None = None  # the salary is "below" the profile's published p10 or "above" its p90


def profile_distribution(est: Estimate | PricedBand) -> Distribution:
    """The wage distribution the profile's band is read from, in the band's dollars: an offer's percentile
    and the band's own positions are both read from it, so they always agree. The one place that knows how
    the pay model builds it (model.place_profile: the state's BLS distribution moved by the profile's
    bounded effects, times role, remote and growth)."""
    return est.profile


def band_positions(dist: Distribution, band: Band) -> tuple[float, float, float]:
    """Where the band's low, typical and high fall in `dist` (percentiles 0-100)."""
    return dist.percentile_of(band.low), dist.percentile_of(band.mid), dist.percentile_of(band.high)


def whole_market_percentile(table: Table, q: Query, salary: float) -> WholeMarket:
    """Where `salary` falls among all coders of the place the profile's pay is set in: the state (the United
    States with --remote or no state) with no experience, credential, specialty or setting given, aged by
    --as-of like the profile. That is the published BLS distribution itself."""
    whole = price(table, q._replace(credentials=(), years=None, level=None, specialty="general", setting="any"))
    national = q.remote or q.state is None
    key, _ = wages_key(table, q)
    dist = profile_distribution(whole)
    if national or key is None:
        code, name, wages = None, "the United States", table.national_source
    elif len(key) == 2:
        code, name, wages = key, table.states[key].name, table.states[key].wage_source
    else:
        from .places import place_of

        pl = place_of(table, key)
        code, name, wages = key, pl.name, pl.wage_source or table.states[pl.state].wage_source
    return WholeMarket(dist.percentile_of(salary), code, name, wages, dist.beyond(salary))


def market_verdict(salary: float, band: Band) -> str:
    """The verdict rule, the only one: below the band's low -> below market; above its high -> above
    market; else within. The band's ends are read from the same distribution as the offer's percentile
    (`profile_distribution`), so "below market" always has a percentile at or under the band's low
    position and a salary at or above typical pay is never "below market"."""
    if salary < band.low:
        return "below market"
    if salary > band.high:
        return "above market"
    return "within market"


def counter_offer(salary: int, band: Band) -> tuple[int, str]:
    """Below the typical pay: ask for it (never above the band's high). At or above: no raise target, keep
    the salary and negotiate the rest."""
    if salary < band.mid:
        return band.mid, "the typical pay for this profile (the middle of the market band)"
    return salary, "the salary is at or above the typical pay for this profile; negotiate benefits instead"


class MarketPosition(NamedTuple):
    """Where a salary falls in a profile's market (`offer`, and each salary row of `batch`)."""

    percentile: float  # 10-90 in the profile's pay distribution (BLS publishes nothing beyond: see `beyond`)
    verdict: str  # one of VERDICTS
    target: int  # the counter-offer target
    target_reason: str
    beyond: str | None = None  # "below" the published p10, "above" the p90, None inside


def market_position(band: Band, market: Distribution, salary: int) -> MarketPosition:
    """The percentile of `salary` in the profile's pay distribution (`profile_distribution`), the verdict
    against the band (`market_verdict`), and the counter-offer target (`counter_offer`): one rule for `offer`
    and every salary row of `batch`."""
    target, why = counter_offer(salary, band)
    return tuple.__new__(MarketPosition, (market.percentile_of(salary), market_verdict(salary, band), target, why,
                                          market.beyond(salary)))  # (without the Python-level __new__: once a row)


def total_compensation(table: Table, salary: int, b: Benefits) -> TotalCompensation:
    match = round_dollars(salary * (b.match_pct or 0) / 100)
    bonus = round_dollars(salary * (b.bonus_pct or 0) / 100)
    health = b.health or 0
    days = b.pto_days or 0
    return TotalCompensation(salary, match, health, bonus, salary + match + health + bonus, days,
                             round_dollars(salary / table.work_days_per_year * days), table.work_days_per_year)


def offer_check(table: Table, q: Query, salary: int, benefits: Benefits | None = None,
                after_tax: bool = False) -> OfferCheck:
    """Where `salary` falls in the profile's market (`profile_distribution`) and among all coders of the
    place (`whole_market_percentile`), the verdict (`market_verdict`) and the target (`counter_offer`). With
    `after_tax`, also the take-home (see `offer_take_home`). The salary is paid now: the market is aged to the
    current year unless `q.as_of` names another (`salary_check_query`). The query's own notes (CPC-A read as CPC)
    come last."""
    from .vintage import salary_check_query

    typed = q
    q, reason = salary_check_query(table, q)
    est = estimate(table, q._replace(notes=()))
    dist = profile_distribution(est)
    pos = market_position(est.band, dist, salary)
    total = total_compensation(table, salary, benefits) if benefits is not None and benefits.given() else None
    # Total compensation always shows its take-home line when the table has taxes.
    with_tax = after_tax or (total is not None and table.tax is not None)
    notes = list(est.notes)
    if total is not None and total.pto_days:
        src = table.sources[table.work_days_source]
        notes.append(f"PTO value: salary / {table.work_days_per_year} work days a year ({src.publisher} {src.year}: "
                     f"annual wage = hourly x 2,080 hours).")
    # the query as typed (--as-of not given stays None); the vintage says the year the market was aged to
    return OfferCheck(typed, salary, pos.percentile, pos.verdict, est.band, band_positions(dist, est.band), pos.target,
                      pos.target_reason, round_dollars(salary * est.priced_col.price_ratio), est.priced_col.area_name, total, est,
                      whole_market_percentile(table, q, salary), vintage(table, q, reason), _merge_notes(notes) + q.notes,
                      offer_take_home(table, est, salary, total) if with_tax else None, pos.beyond)


# --------------------------------------------------------------------------- after tax
# `--after-tax` on `states`, `compare` and `offer`: the same figures as take-home pay, taxed by
# tax.take_home / tax.after_tax_band (the only tax arithmetic), and what that take-home buys.
# State tax follows where the person would live: the row's state (states, compare), the offer's
# state (compare --offer), --state (offer; for --remote too).

# With --after-tax, `pay` and `adjusted` rank on take-home; `price` and `name` do not change.
AFTER_TAX_SORT_KEYS = {
    "pay": "take-home of typical pay, highest first",
    "adjusted": "cost-of-living-adjusted take-home of typical pay, highest first",
}
STATE_AFTER_TAX_MEASURES = {"pay": "take_home", "adjusted": "take_home_adjusted"}


def sort_order(sort: str, after_tax: bool) -> str:
    """What a `states` ranking is in order of, in words."""
    return AFTER_TAX_SORT_KEYS.get(sort, STATE_SORT_KEYS[sort]) if after_tax else STATE_SORT_KEYS[sort]


@dataclass(frozen=True)
class AfterTaxSummary:
    """What an after-tax comparison says once: the tax year, whose state tax, the measure, the caveats."""

    tax_year: int
    state_tax: str  # whose state income tax applies, in words
    measure: str | None  # what ranks or decides: take_home, take_home_adjusted, take_home_purchasing_power
    flagged: tuple[str, ...]  # states whose take-home is approximate (see caveats)
    caveats: tuple[str, ...]
    sources: tuple[str, ...]  # keys into Table.sources: the tax parameters, then the price levels


def after_tax_summary(table: Table, items: Iterable[AfterTaxBand | TakeHome], state_tax: str, measure: str | None,
                      price_sources: Iterable[str] = ()) -> AfterTaxSummary:
    """Flagged states, caveats and sources of a set of after-tax results (AfterTaxBand or TakeHome)."""
    from .tax import AfterTaxBand, require_tax

    tax = require_tax(table)
    flagged: list[str] = []
    caveats: list[str] = []
    keys = [tax.source, *price_sources]
    for it in items:
        if it.flagged and it.state:
            flagged.append(it.state)
        caveats.extend(it.caveats)
        if isinstance(it, AfterTaxBand):
            keys.append(it.price_source)
    return AfterTaxSummary(tax.year, state_tax, measure, tuple(dict.fromkeys(flagged)), _merge_notes(caveats),
                           tuple(dict.fromkeys(keys)))


def states_after_tax(table: Table, ests: list[Estimate]) -> dict[str, AfterTaxBand]:
    """Each state's estimate as take-home, taxed where the estimate's person lives (its --state)."""
    from .tax import after_tax_band, require_tax

    require_tax(table)  # a table without [tax] fails once, before any work
    return {e.query.state or "": after_tax_band(table, e) for e in ests}


@dataclass(frozen=True)
class StateAfterTax:
    """One state of `compare --state --after-tax`."""

    take_home: AfterTaxBand  # the band as take-home, and in the comparison area's prices
    vs_first: Diff  # take-home of typical pay against the first state
    adjusted_vs_first: Diff  # ... in the comparison area's prices


def compare_states_after_tax(table: Table, res: StatesComparison, ests: list[Estimate]) -> StatesComparison:
    """`res` with each state's take-home, the leads on take-home and on take-home purchasing power."""
    from .tax import after_tax_band, require_tax

    require_tax(table)
    from .tax import local_places

    bands = {r.code: after_tax_band(table, e, work=local_places(table, e.query)[0], home=local_places(table, e.query)[1])
             for r, e in zip(res.rows, ests)}
    first = bands[res.rows[0].code]
    rows = tuple(replace(r, after_tax=StateAfterTax(
        bands[r.code], difference(bands[r.code].band.mid, first.band.mid),
        difference(bands[r.code].col_band.mid, first.col_band.mid))) for r in res.rows)
    leads = tuple(lead for lead in (_lead("take_home", [(r.code, bands[r.code].band.mid) for r in rows]),
                                    _lead("take_home_adjusted", [(r.code, bands[r.code].col_band.mid) for r in rows]))
                  if lead is not None)
    summary = after_tax_summary(table, [bands[r.code] for r in rows], "each state's own (the state you would live in)",
                                "take_home_adjusted")
    return replace(res, rows=rows, after_tax_leads=leads, after_tax=summary)


@dataclass(frozen=True)
class OfferAfterTax:
    """One offer of `compare --offer --after-tax`: its take-home in its state, and what that buys."""

    result: TakeHome  # the tax lines, dollars and cents
    us_dollars: int  # take-home at US-average prices
    home_dollars: int | None  # ... at --home prices
    vs_first: Diff  # take-home purchasing power against the first offer


def compare_offers_after_tax(table: Table, res: OffersComparison) -> OffersComparison:
    """`res` with each offer's take-home (the income tax of the offer's state, where the person would
    live) in US-average (and --home) dollars, and which take-home buys more."""
    from .tax import price_source as place_price_source
    from .tax import require_tax, take_home

    tax = require_tax(table)
    q = res.query
    rows: list[OfferRow] = []
    first_us: int | None = None
    from .tax import local_places

    for r in res.rows:
        work, lives = local_places(table, q._replace(state=r.state or r.code, area=r.place, remote=r.remote))
        th = take_home(tax, r.salary, r.state or r.code, work=work, home=lives)
        us = round_dollars(adjust(table, th.take_home, r.code, None, q.col))
        home = round_dollars(adjust(table, th.take_home, r.code, q.home_place, q.col)) if q.home_place else None
        first_us = us if first_us is None else first_us
        rows.append(replace(r, after_tax=OfferAfterTax(th, us, home, difference(us, first_us))))
    best = _lead("take_home_purchasing_power", [(r.label, r.after_tax.us_dollars) for r in rows if r.after_tax],
                 [float(r.after_tax.home_dollars or 0) for r in rows if r.after_tax] if q.home_place else None)
    summary = after_tax_summary(table, [r.after_tax.result for r in rows if r.after_tax],
                                "each offer's state (where you would live)", "take_home_purchasing_power",
                                [place_price_source(table, r.code, None) for r in rows])
    return replace(res, rows=tuple(rows), after_tax_best=best, after_tax=summary)


@dataclass(frozen=True)
class OfferTakeHome:
    """`offer --after-tax`: the take-home of the salary, and with benefits of the taxable pay.

    Taxable wages are salary + bonus. Not taxed: the employer's 401(k) match (not wages; taxed only
    when withdrawn) and the health premium the employer pays (not wages). PTO is inside the salary."""

    salary: TakeHome  # take-home of the salary alone
    adjusted: int  # that take-home in the comparison area's prices (US average or --home)
    area: str
    wages: TakeHome | None  # with benefits: take-home of salary + bonus
    untaxed: int | None  # with benefits: 401(k) match + employer-paid health premium
    total: int | None  # with benefits: take-home of salary + bonus, plus the untaxed benefits
    price_source: str


def offer_take_home(table: Table, est: Estimate, salary: int, total: TotalCompensation | None) -> OfferTakeHome:
    """The offer after tax, living in the estimate's --state (no state: no state income tax)."""
    from .tax import price_source, require_tax, take_home

    tax = require_tax(table)
    q = est.query
    on_salary, adjusted = salary_take_home(table, q, salary)
    src = price_source(table, q.work_place, q.home_place)
    if total is None:
        return OfferTakeHome(on_salary, adjusted, est.priced_col.area_name, None, None, None, src)
    from .tax import local_places

    work, home = local_places(table, q)
    on_wages = take_home(tax, total.salary + total.bonus, q.state, work=work, home=home)
    untaxed = total.match + total.health
    return OfferTakeHome(on_salary, adjusted, est.priced_col.area_name, on_wages, untaxed,
                         round_dollars(on_wages.take_home + untaxed), src)


def salary_take_home(table: Table, q: Query, salary: float) -> tuple[TakeHome, int]:
    """The take-home of a salary for a person living in `q.state` (no state: no state income tax),
    and that take-home in the comparison area's prices (`q.home`, else the US average; `q.col`)."""
    from .tax import local_places, require_tax, take_home

    work, home = local_places(table, q)
    th = take_home(require_tax(table), salary, q.state, work=work, home=home)
    return th, round_dollars(adjust(table, th.take_home, q.work_place, q.home_place, q.col))
