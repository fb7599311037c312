"""Local income and wage taxes: which city, county or district taxes a person, and how much.

A place is given as a `LocalPlace` (state, county FIPS codes, city name), built by the place resolver from
--area / --zip (where the job is) and --home (where the person lives; by default where the job is). The rules:

- A jurisdiction taxes its residents (its `resident` rule) on all their wages, wherever they work.
- It taxes those who work in it and live elsewhere by its `nonresident` rule (no rule: it does not).
- An occupational tax (`work_based`) taxes only work done in it: a resident working elsewhere owes none;
  a resident working in it pays the resident rate.
- A jurisdiction that taxes a person both ways (lives and works in it) taxes once, at the resident rate.
- Credits one locality gives for another's tax (Ohio, Michigan, Kentucky, Pennsylvania) are not in the
  sources: when two localities both tax, the answer says so.

A place matches a jurisdiction by county FIPS (a county, a ZIP's county, a consolidated city-county) or by
city name in its state. A place that spans several jurisdictions' counties (a whole metro) matches none for
sure; those that may apply are named, not charged. A state whose local taxes the sources cover only in part
says so (`StateTax.local_gap`). Every rate and amount is the table's ([tax.local.*]); pure, no printing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .table import LocalJurisdiction, LocalRule, TaxTable, name_key

ZERO = Decimal(0)
CENT = Decimal("0.01")


class LocalPlace(NamedTuple):
    """Where a job is or a person lives, as far as local taxes care (built by the place resolver from a Location)."""

    state: str
    counties: tuple[str, ...] = ()  # 5-digit county FIPS codes of the place within `state`
    city: str | None = None  # a city name (principal city, the ZIP's USPS city...), any case
    name: str = ""  # display name
    exact: bool = True  # False: a whole metro / nonmetro area / state (city taxes inside it only "may apply")

    @property
    def label(self) -> str:
        return self.name or self.city or self.state


class LocalMatch(NamedTuple):
    sure: tuple[LocalJurisdiction, ...]  # the place lies in these
    maybe: tuple[LocalJurisdiction, ...]  # the place may lie in these (part of it does)
    notes: tuple[str, ...]


class LocalTaxLine(NamedTuple):
    """One local tax in a take-home answer."""

    key: str
    jurisdiction: str
    state: str
    kind: str
    applies_as: str  # "resident" or "nonresident"
    base: str  # wages, state_taxable_income, state_tax, flat
    base_amount: float
    rate: str  # as shown: "2.4%", "3.078%-3.876% brackets", "$69.00 a year"
    amount: float  # dollars and cents
    source: str  # key into Table.sources
    note: str


def _d(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def _cents(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def jurisdictions_at(tax: TaxTable, place: LocalPlace) -> LocalMatch:
    """The local jurisdictions a place lies in (sure) or may lie in (maybe), and what the sources do not cover.
    Sure: the place is that city (by name), or lies wholly in the counties a county-wide jurisdiction covers.
    Maybe: a whole metro that holds such a city, or a place that only partly overlaps its counties."""
    sure: list[LocalJurisdiction] = []
    maybe: list[LocalJurisdiction] = []
    city = name_key(place.city) if place.city else None
    counties = set(place.counties)
    for j in tax.local.values():
        if j.state != place.state:
            continue
        by_city = city is not None and any(name_key(c) == city for c in j.cities)
        inside = bool(counties) and bool(j.counties) and counties <= set(j.counties)
        touches = bool(counties & set(j.counties))
        if (by_city and place.exact) or (inside and (place.exact or len(counties) == 1)):
            sure.append(j)
        elif by_city or touches:
            maybe.append(j)
    notes: list[str] = []
    if not sure:
        st = tax.states.get(place.state)
        gap = st.local_gap if st is not None else ""
        if gap:
            notes.append(f"{place.label}: {gap}.")
    if maybe:
        names = ", ".join(f"{j.name} ({_rate_text(j.resident or j.nonresident)})" for j in maybe)
        notes.append(f"{place.label} holds or overlaps places with local taxes not added here: {names}; "
                     "give a city, a county or a ZIP to include the one that applies.")
    return LocalMatch(tuple(sure), tuple(maybe), tuple(notes))


def tax_source_words(j: LocalJurisdiction) -> str:
    """The first sentence of a jurisdiction's source note."""
    return j.note.split(". ")[0].rstrip(".")


def _rate_text(rule: LocalRule | None) -> str:
    if rule is None:
        return ""
    if rule.base == "flat":
        return f"${rule.per_year:,.2f} a year"
    rates = [r for _, r in rule.rates]
    of = {"wages": "of wages", "state_taxable_income": "of state taxable income", "state_tax": "of state income tax"}[rule.base]
    if len(rates) == 1:
        return f"{rates[0] * 100:.4g}% {of}"
    lo, hi = min(rates), max(rates)
    return f"{lo * 100:.4g}%-{hi * 100:.4g}% {of}" + (" (one rate on the whole)" if rule.whole else " (brackets)")


def _rule_tax(rule: LocalRule, gross: Decimal, state_taxable: Decimal | None,
              state_tax: Decimal | None) -> tuple[Decimal, Decimal] | None:
    """(tax, base) under one rule; None when the base is not known (a state base of another state)."""
    if rule.base == "flat":
        owed = gross >= _d(rule.wage_threshold) and gross > 0
        return (_d(rule.per_year) if owed else ZERO), gross
    if rule.base == "wages":
        base = gross
    elif rule.base == "state_taxable_income":
        if state_taxable is None:
            return None
        base = state_taxable
    else:
        if state_tax is None:
            return None
        base = max(ZERO, state_tax)
    base = max(ZERO, base - _d(rule.exemption))
    if rule.whole:
        rate = ZERO
        for floor, r in rule.rates:
            if base > _d(floor) or floor == 0:
                rate = _d(r)
        return base * rate, base
    tax = ZERO
    for i, (floor, r) in enumerate(rule.rates):
        lo = _d(floor)
        if base <= lo:
            break
        hi = _d(rule.rates[i + 1][0]) if i + 1 < len(rule.rates) else base
        tax += (min(base, hi) - lo) * _d(r)
    return tax, base


def local_taxes(tax: TaxTable, gross: Decimal, work: LocalPlace | None, home: LocalPlace | None,
                state_taxable: Decimal | None, state_tax: Decimal | None) -> tuple[tuple[LocalTaxLine, ...], tuple[str, ...]]:
    """The local tax lines of a person earning `gross` wages at `work` and living at `home` (None: where they
    work); `state_taxable` / `state_tax`: their home state's taxable income and tax (for local taxes built on
    them; None when the home state has none). Returns (lines, notes)."""
    if work is None and home is None:
        return (), ()
    home = home or work
    work = work or home
    assert home is not None and work is not None
    at_home, at_work = jurisdictions_at(tax, home), jurisdictions_at(tax, work)
    lines: list[LocalTaxLine] = []
    notes: list[str] = list(at_home.notes)
    for n in at_work.notes:
        if n not in notes:
            notes.append(n)
    resident_of = {j.key for j in at_home.sure}
    charged: set[str] = set()

    def charge(j: LocalJurisdiction, rule: LocalRule, applies_as: str) -> None:
        same_state = home is not None and home.state == j.state
        got = _rule_tax(rule, gross, state_taxable if same_state else None, state_tax if same_state else None)
        if got is None:
            notes.append(f"{j.name}: its {applies_as} tax is figured on {j.state} taxable income or tax, which "
                         f"coder-pay does not compute for someone living outside {j.state}; not added.")
            return
        amount, base = got
        lines.append(LocalTaxLine(j.key, j.name, j.state, j.kind, applies_as, rule.base, float(_cents(base)),
                                  _rate_text(rule), float(_cents(amount)), j.source, rule.basis))
        charged.add(j.key)

    for j in at_home.sure:
        if j.work_based:
            continue  # taxes work done in it: charged below if the job is there
        if j.resident is not None:
            charge(j, j.resident, "resident")
    for j in at_work.sure:
        if j.key in charged:
            continue
        if j.work_based:
            rule = j.resident if (j.key in resident_of and j.resident is not None) else (j.nonresident or j.resident)
            if rule is not None:
                charge(j, rule, "resident" if j.key in resident_of else "nonresident")
        elif j.key not in resident_of and j.nonresident is not None:
            charge(j, j.nonresident, "nonresident")
    if len({ln.key for ln in lines if ln.base == "wages" and ln.kind in ("city", "school_district")}) > 1:
        notes.append("Two localities tax these wages: the home one may credit part or all of the tax paid where you "
                     "work; the credits are not in coder-pay's sources, so both are added in full.")
    for ln in lines:
        j = tax.local[ln.key]
        if "LOW CONFIDENCE" in j.note:
            notes.append(f"{j.name}: low-confidence source ({tax_source_words(j)}).")
        elif j.source == "local_laravel_taxes_2020":
            notes.append(f"{j.name}: rate from a 2017-2020 payroll library, assumed unchanged for 2025.")
    return tuple(lines), tuple(dict.fromkeys(notes))
