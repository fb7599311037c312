"""Take-home pay: what is left of a gross salary after income and payroll taxes.

    take-home = gross - federal income tax - Social Security - Medicare - state income tax

for a single filer whose only income is wages, taking the standard deduction, with no credits
except the state personal credits the table models. Every rate, bracket and threshold comes from
the table's [tax] section (`TaxTable`); nothing here holds a tax figure.

- Federal income tax: the marginal brackets on max(0, gross - standard deduction).
- Social Security: rate x min(gross, wage base).
- Medicare: rate x gross + additional rate x max(0, gross - threshold).
- State income tax: the state's brackets on max(0, gross - standard deduction - personal exemption),
  less its nonrefundable personal credit; with the phase-outs and income limits the table gives
  (see `table.StateTax`). No state: no state income tax, and the result says so.

Arithmetic is exact decimal on the table's figures; each line is rounded to the cent at the end,
and take-home is gross less the rounded lines, so the lines always add up. Pure: no printing,
no files, no Typer or Rich. The results are immutable typed tuples (NamedTuple), like the
table's records: cheap to define, so the after-tax commands start fast.
"""

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from .localtax import LocalPlace, LocalTaxLine, local_taxes
from .model import Band, Estimate, adjust, place_name, price_level, round_dollars
from .query import TakeHomeQuery
from .table import Problem, StateTax, Steps, Table, TableError, TaxTable

FILING_STATUS = "single"
CENT = Decimal("0.01")
ZERO = Decimal(0)

# What the model leaves out, said in every after-tax answer.
LEFT_OUT: tuple[str, ...] = (
    "local and city income taxes (e.g. NYC, Philadelphia, Maryland and Indiana counties, Ohio cities) unless a place "
    "names the city or county, and those coder-pay's sources do not cover",
    "tax credits (earned income, child and others), except the state credits coder-pay models",
    "phase-outs, recaptures and credits the sources do not give (a flagged state's caveat names its own)",
    "pre-tax deductions such as a 401(k), an HSA or health premiums (they lower the tax)",
    "state disability or paid-leave payroll contributions (e.g. California SDI)",
    "itemized deductions, other income, dependents, and filing statuses other than single",
)


# --------------------------------------------------------------------------- results


class StateWorking(NamedTuple):
    """How the state income tax was worked out."""

    code: str
    deduction: float  # standard deduction used (after any phase-out)
    exemption: float  # personal exemption used (after any income limit)
    taxable_income: float
    tax_before_credit: float
    credit: float  # nonrefundable credit used (never more than the tax before it)
    marginal_rate: float  # rate of the bracket the taxable income reaches
    adjustments: tuple[str, ...]  # the corrections applied, in words
    federal_tax_deduction: float = 0.0  # federal income tax deducted (AL, MO, OR)
    fica_deduction: float = 0.0  # Social Security and Medicare deducted (MA)
    refundable_credit: float = 0.0  # taken off the tax, which may go below 0 (ID)


class TakeHome(NamedTuple):
    """Gross pay, each tax line and what is left, in dollars and cents, for one tax year."""

    gross: float
    state: str | None
    tax_year: int
    federal_income_tax: float
    social_security: float
    medicare: float  # includes the additional Medicare tax
    additional_medicare: float  # the part of `medicare` above the threshold
    state_income_tax: float
    take_home: float
    effective_rate: float  # all four lines / gross (0 when gross is 0)
    federal_standard_deduction: float
    federal_taxable_income: float
    federal_marginal_rate: float
    state_working: StateWorking | None  # None: no state given
    flagged: bool  # True: something that may change this answer is left out (named in caveats)
    caveats: tuple[str, ...]
    local_income_tax: float = 0.0  # the local lines' sum (in take_home already)
    local: tuple[LocalTaxLine, ...] = ()  # city, county, district and occupational taxes applied
    local_notes: tuple[str, ...] = ()  # local taxes not covered or not added, in words (also in caveats)

    @property
    def total_tax(self) -> float:
        return round(self.gross - self.take_home, 2)


class PriceAdjusted(NamedTuple):
    """An amount restated in another area's prices (BEA regional price parities)."""

    basis: str  # "all" or "housing"
    area: str  # "US" or a state code: whose prices
    area_name: str
    ratio: float  # area price level / price level where the person lives
    home_price_level: float  # where the person lives
    area_price_level: float
    amount: int  # whole dollars


class TakeHomeReport(NamedTuple):
    """What `take-home` shows: the take-home lines and take-home in another area's prices."""

    query: TakeHomeQuery
    result: TakeHome
    col: PriceAdjusted
    price_source: str  # key into Table.sources


class AfterTaxBand(NamedTuple):
    """An estimate's band (low / typical / high) as take-home pay, and in the comparison area's prices."""

    tax_year: int
    wage_year: int
    state: str | None  # where the person lives: whose state tax applies
    results: tuple[TakeHome, TakeHome, TakeHome]  # low, mid, high
    band: Band  # take-home, whole dollars
    col_band: Band  # take-home in the comparison area's prices
    col_index: float
    col_area_name: str
    col_basis: str
    flagged: bool
    caveats: tuple[str, ...]
    price_source: str  # key into Table.sources


# --------------------------------------------------------------------------- the rules


def require_tax(table: Table) -> TaxTable:
    """The table's tax parameters, or a TableError (exit 1) when it has no [tax] section."""
    if table.tax is None:
        raise TableError(table.path, [Problem(
            "tax", "missing table: after-tax figures need the [tax] section (tax parameters); "
                   "the packaged table has one, or rebuild with scripts/build_table.py")])
    return table.tax


def _d(x: float) -> Decimal:
    """A table figure as an exact decimal (repr gives the figure as written in the TOML)."""
    return Decimal(repr(float(x)))


def _cents(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def bracket_tax(brackets: Sequence[tuple[float, float]], taxable: Decimal) -> Decimal:
    """Marginal brackets: each rate applies to the part of `taxable` between its floor and the next floor."""
    tax = ZERO
    for i, (floor, rate) in enumerate(brackets):
        lo = _d(floor)
        if taxable <= lo:
            break
        hi = _d(brackets[i + 1][0]) if i + 1 < len(brackets) else taxable
        tax += (min(taxable, hi) - lo) * _d(rate)
    return tax


def marginal_rate(brackets: Sequence[tuple[float, float]], taxable: float) -> float:
    """The rate of the bracket `taxable` falls in (the first bracket's rate at 0)."""
    rate = brackets[0][1]
    for floor, r in brackets:
        if taxable > floor:
            rate = r
    return rate


def federal_income_tax(tax: TaxTable, gross: Decimal) -> tuple[Decimal, Decimal]:
    """(tax, taxable income): brackets on gross less the standard deduction."""
    taxable = max(ZERO, gross - _d(tax.federal_standard_deduction))
    return bracket_tax(tax.federal_brackets, taxable), taxable


def social_security(tax: TaxTable, gross: Decimal) -> Decimal:
    """Employee share on wages up to the wage base."""
    return _d(tax.social_security_rate) * min(gross, _d(tax.social_security_wage_base))


def medicare(tax: TaxTable, gross: Decimal) -> tuple[Decimal, Decimal]:
    """(Medicare incl. additional, the additional part): rate on all wages, plus the additional rate above the threshold."""
    extra = _d(tax.additional_medicare_rate) * max(ZERO, gross - _d(tax.additional_medicare_threshold))
    return _d(tax.medicare_rate) * gross + extra, extra


def at_income(schedule: Sequence[tuple[float, float]], income: Decimal) -> Decimal:
    """The value of an [income from, value] schedule at `income`: the last entry whose start it reaches (0 below the first)."""
    value = ZERO
    for start, v in schedule:
        if income >= _d(start):
            value = _d(v)
    return value


def steps(s: Steps, income: Decimal) -> Decimal:
    """`amount` for each `increment` (or part of one) of income above `start`, at most `max`."""
    excess = income - _d(s.start)
    if excess <= 0:
        return ZERO
    n = (excess / _d(s.increment)).to_integral_value(rounding=ROUND_CEILING)  # whole or partial increments
    out = n * _d(s.amount)
    return out if s.max is None else min(out, _d(s.max))


def state_income_tax(st: StateTax, gross: Decimal, federal_tax: Decimal = ZERO,
                     fica: Decimal = ZERO) -> tuple[Decimal, StateWorking]:
    """The state's tax on `gross` wages for a single filer without children, as its form computes it:

    taxable income = gross - standard deduction (phased out or floored by income)
                     - personal exemption (by income, reduced, or lost above a limit)
                     - the deductible part of federal income tax (share and cap by income: AL, MO, OR)
                     - Social Security and Medicare paid, up to a cap (MA);
    tax = brackets(taxable income) + add-backs and recaptures by income (CT)
          - a share of that tax credited by income (CT's personal credit)
          - the nonrefundable personal credit (income limit, phase-out, taxable-income limit), never below 0
          - a refundable credit (ID's grocery credit; may leave the tax below 0: money back).
    Every parameter is the table's (`StateTax`); `gross` stands for the state's AGI (wages are the only income)."""
    notes: list[str] = []
    deduction = _d(st.standard_deduction)
    if st.deduction_phaseout_rate:
        cut = _d(st.deduction_phaseout_rate) * max(ZERO, gross - _d(st.deduction_phaseout_start))
        if cut > 0:
            notes.append(f"standard deduction ${st.standard_deduction:,.0f} reduced by {st.deduction_phaseout_rate:.0%} "
                         f"of income above ${st.deduction_phaseout_start:,.0f}")
        deduction = max(ZERO, deduction - cut)
    if st.deduction_phaseout_width and gross > _d(st.deduction_phaseout_start):
        share = min(Decimal(1), (gross - _d(st.deduction_phaseout_start)) / _d(st.deduction_phaseout_width))
        deduction = deduction * (1 - share)
        notes.append(f"standard deduction phased out over ${st.deduction_phaseout_width:,.0f} of income above "
                     f"${st.deduction_phaseout_start:,.0f}")
    if st.deduction_minimum is not None and gross > _d(st.deduction_minimum_above):
        deduction = min(deduction, _d(st.deduction_minimum))
        notes.append(f"standard deduction ${st.deduction_minimum:,.0f} above income ${st.deduction_minimum_above:,.0f}")
    exemption = _d(st.personal_exemption)
    if st.exemption_schedule:
        exemption = at_income(st.exemption_schedule, gross)
        if exemption != _d(st.personal_exemption):
            notes.append(f"personal exemption ${float(exemption):,.0f} at this income")
    if st.exemption_reduction is not None:
        cut = steps(st.exemption_reduction, gross)
        if cut > 0:
            r = st.exemption_reduction
            notes.append(f"personal exemption ${st.personal_exemption:,.0f} reduced by ${r.amount:,.0f} per ${r.increment:,.0f} "
                         f"of income above ${r.start:,.0f}")
        exemption = max(ZERO, exemption - cut)
    if st.exemption_income_limit is not None and gross > _d(st.exemption_income_limit):
        exemption = ZERO
        notes.append(f"no personal exemption above income ${st.exemption_income_limit:,.0f}")
    fed_deduction = ZERO
    if st.federal_tax_deduction_rates:
        fed_deduction = at_income(st.federal_tax_deduction_rates, gross) * federal_tax
        if st.federal_tax_deduction_caps:
            fed_deduction = min(fed_deduction, at_income(st.federal_tax_deduction_caps, gross))
        if fed_deduction > 0:
            notes.append(f"federal income tax deducted: ${float(_cents(fed_deduction)):,.2f}")
    fica_deduction = ZERO
    if st.fica_deduction_cap is not None:
        fica_deduction = min(fica, _d(st.fica_deduction_cap))
        if fica_deduction > 0:
            notes.append(f"Social Security and Medicare paid deducted, up to ${st.fica_deduction_cap:,.0f}: "
                         f"${float(_cents(fica_deduction)):,.2f}")
    taxable = max(ZERO, gross - deduction - exemption - fed_deduction - fica_deduction)
    before = bracket_tax(st.brackets, taxable)
    for add in st.tax_add_backs:
        extra = steps(add, gross)
        if extra > 0:
            before += extra
            notes.append(f"{add.label or 'add-back'}: +${float(extra):,.0f}")
    if st.credit_fraction_schedule:
        share = at_income(st.credit_fraction_schedule, gross)
        if share > 0 and before > 0:
            notes.append(f"personal tax credit: {float(share):.0%} of the tax at this income")
        before -= before * share
    credit = _d(st.credit)
    if st.credit and st.credit_income_limit is not None and gross > _d(st.credit_income_limit):
        credit = ZERO
        notes.append(f"no ${st.credit:,.0f} personal credit above income ${st.credit_income_limit:,.0f}")
    if credit and st.credit_taxable_income_below is not None and taxable >= _d(st.credit_taxable_income_below):
        credit = ZERO
    if credit and st.credit_phaseout_rate:
        credit = max(ZERO, credit - _d(st.credit_phaseout_rate) * max(ZERO, gross - _d(st.credit_phaseout_start)))
        notes.append(f"credit ${st.credit:,.2f} reduced by {st.credit_phaseout_rate:.1%} of income above "
                     f"${st.credit_phaseout_start:,.0f}")
    credit = min(credit, before)  # nonrefundable
    tax = before - credit
    refundable = _d(st.refundable_credit)
    if refundable:
        tax -= refundable
        notes.append(f"{st.refundable_credit_label or 'refundable credit'}: -${st.refundable_credit:,.0f} (refundable)")
    working = StateWorking(
        code=st.code, deduction=float(_cents(deduction)), exemption=float(_cents(exemption)),
        taxable_income=float(_cents(taxable)), tax_before_credit=float(_cents(before)), credit=float(_cents(credit)),
        marginal_rate=marginal_rate(st.brackets, float(taxable)), adjustments=tuple(notes),
        federal_tax_deduction=float(_cents(fed_deduction)), fica_deduction=float(_cents(fica_deduction)),
        refundable_credit=float(_cents(refundable)),
    )
    return tax, working


def left_out_at(st: StateTax, gross: float) -> tuple[str, ...]:
    """What the model leaves out of this state's tax that may change it at this income, in words."""
    return tuple(x.text for x in st.left_out if x.above is None or gross > x.above)


def take_home(tax: TaxTable, gross: float, state: str | None, *, work: LocalPlace | None = None,
              home: LocalPlace | None = None) -> TakeHome:
    """Take-home pay on `gross` wages for a single filer living in `state` (None: no state tax), with the
    local taxes of the place of work `work` and of residence `home` (None: where they work; both None: no
    local tax). See localtax for the local rules."""
    if not gross >= 0 or gross == float("inf"):
        raise ValueError(f"gross pay must be a finite amount of at least 0, not {gross!r}")
    g = _cents(_d(gross))
    fed, fed_taxable = federal_income_tax(tax, g)
    ss = social_security(tax, g)
    med, med_extra = medicare(tax, g)
    caveats: list[str] = []
    flagged = False
    st_taxable: Decimal | None = None
    if state is None:
        st_tax, working = ZERO, None
        caveats.append("No state given: no state income tax is included.")
    else:
        st = tax.states[state]
        st_tax, working = state_income_tax(st, g, fed, _cents(ss) + _cents(med))
        st_taxable = _d(working.taxable_income)
        missing = left_out_at(st, float(g)) if st.left_out else ((st.flag_text,) if st.brackets_misstate else ())
        if missing:
            flagged = True
            caveats.append(f"{state} income tax is approximate: " + "; ".join(missing))
    local_lines, local_notes = local_taxes(tax, g, work, home, st_taxable if state is not None else None,
                                           _cents(st_tax) if state is not None else None)
    if local_notes:
        flagged = True
        caveats.extend(local_notes)
    local_total = sum((_d(x.amount) for x in local_lines), ZERO)
    lines = [_cents(x) for x in (fed, ss, med, st_tax, local_total)]
    left = g - sum(lines, ZERO)
    return TakeHome(
        gross=float(g), state=state, tax_year=tax.year,
        federal_income_tax=float(lines[0]), social_security=float(lines[1]), medicare=float(lines[2]),
        additional_medicare=float(_cents(med_extra)), state_income_tax=float(lines[3]), take_home=float(left),
        effective_rate=float((g - left) / g) if g > 0 else 0.0,
        federal_standard_deduction=float(tax.federal_standard_deduction), federal_taxable_income=float(_cents(fed_taxable)),
        federal_marginal_rate=marginal_rate(tax.federal_brackets, float(fed_taxable)),
        state_working=working, flagged=flagged, caveats=tuple(caveats),
        local_income_tax=float(lines[4]), local=local_lines, local_notes=local_notes,
    )


def price_adjusted(table: Table, amount: float, lives_in: str | None, home: str | None, basis: str) -> PriceAdjusted:
    """`amount` earned and spent in `lives_in`, restated in `home`'s prices (US average when None)."""
    here, there = price_level(table, lives_in, basis), price_level(table, home, basis)
    name = place_name(table, home)  # a state or a place (see places)
    return PriceAdjusted(basis, home or "US", name, there / here, here, there,
                         round_dollars(adjust(table, amount, lives_in, home, basis)))


def price_source(table: Table, state: str | None, home: str | None) -> str:
    """The source key of the price levels used (BEA's, also for the US average of 100); `state` and `home` may be
    places (their own parity's source)."""
    for code in (state, home):
        if code is not None and len(code) != 2:
            from .places import price_source as place_price_source

            return place_price_source(table, code)
        if code is not None:
            return table.states[code].price_source
    return next(iter(table.states.values())).price_source


def local_places(table: Table, q: Any) -> tuple[Any, Any]:
    """places.local_places (the places of work and of residence, for the local-tax lookup), without reading the
    places when the query names none (a state's answer: no local tax)."""
    if q.area is None and q.home_area is None:
        return None, None
    from .places import local_places as of_places

    return of_places(table, q)


def take_home_report(table: Table, q: TakeHomeQuery, *, work: LocalPlace | None = None,
                     home: LocalPlace | None = None) -> TakeHomeReport:
    """Take-home on the salary living in `q.state` (with the local taxes of `work` and `home`), and that
    take-home in `q.home`'s prices."""
    result = take_home(require_tax(table), q.salary, q.state, work=work, home=home)
    return TakeHomeReport(query=q, result=result, col=price_adjusted(table, result.take_home, q.work_place, q.home_place, q.col),
                          price_source=price_source(table, q.work_place, q.home_place))


def after_tax_band(table: Table, est: Estimate, *, work: LocalPlace | None = None,
                   home: LocalPlace | None = None) -> AfterTaxBand:
    """The estimate's band as take-home pay. State tax follows where the person lives (`--state`,
    also for remote jobs); the cost-of-living step is the estimate's own (same area and basis)."""
    tax = require_tax(table)
    q = est.query
    results = tuple(take_home(tax, v, q.state, work=work, home=home) for v in (est.band.low, est.band.mid, est.band.high))
    low, mid, high = results
    band = Band(*(round_dollars(r.take_home) for r in results))
    col_band = Band(*(round_dollars(adjust(table, r.take_home, q.work_place, q.home_place, q.col)) for r in results))
    return AfterTaxBand(tax_year=tax.year, wage_year=est.wage_year, state=q.state, results=(low, mid, high),
                        band=band, col_band=col_band, col_index=est.priced_col.price_ratio,
                        col_area_name=est.priced_col.area_name,
                        col_basis=q.col, flagged=mid.flagged, caveats=mid.caveats,
                        price_source=price_source(table, q.work_place, q.home_place))
