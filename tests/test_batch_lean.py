"""Batch's lean path (CSV, --fields, --compact) against the model's full answers, for random profiles.

The lean path prices a row through model.Pricer (remembering what repeats, no factor records), reads a
salary's position through decide.market_position, and writes CSV without csv.writer. Each must give what
`estimate`, `offer_check` and the generic cell writer give, whatever the Pricer remembered before.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from coder_pay.batch_rows import Priced, _Pricer
from coder_pay.decide import offer_check
from coder_pay.documents import BATCH_OFFER_FIELDS, BATCH_PROFILE_FIELDS, batch_csv_encoder, batch_values, csv_cell
from coder_pay.model import estimate, round_dollars
from coder_pay.places import load_places
from coder_pay.query import build_query
from coder_pay.table import Distribution, load_table

TABLE = load_table()
PLACES = load_places(TABLE)
METROS = sorted(PLACES.metros)[::25]  # a spread of metros (with and without their own wages)
NONMETRO = sorted(PLACES.nonmetro)[::40]
LEAN = _Pricer(TABLE, lean=True, after_tax=False, render=None, cache_size=64)  # shared: it remembers across examples
SALARY_LEAN = LEAN.offer

profiles = st.fixed_dictionaries({
    "state": st.none() | st.sampled_from(sorted(TABLE.states)),
    "certs": st.lists(st.sampled_from(list(TABLE.credentials)), unique=True, max_size=4),
    "years": st.none() | st.integers(0, 45) | st.floats(0, 45, allow_nan=False).map(lambda y: round(y * 2) / 2),
    "specialty": st.sampled_from(list(TABLE.specialties)),
    "setting": st.sampled_from(list(TABLE.settings)),
    "remote": st.booleans(),
    "home": st.none() | st.sampled_from(sorted(TABLE.states)),
    "col": st.sampled_from(["all", "housing"]),
    "as_of": st.none() | st.integers(TABLE.wage_year - 3, TABLE.wage_year + 6),
    "level": st.none() | st.sampled_from(["entry", "mid", "senior", "supervisor", "manager", "director"]),
    "area": st.none() | st.sampled_from(METROS + NONMETRO),
})


def query(p: dict[str, Any]) -> Any:
    p = dict(p)
    if p["level"] is not None:
        p["years"] = None  # a level with years must agree with them: the laws test that, not this
    if p["area"] is not None:
        p["state"] = None  # the area's own state
    return build_query(TABLE, **p)


@settings(max_examples=300, deadline=None)
@given(profiles, st.integers(15_000, 160_000))
def test_a_lean_salary_row_is_the_offer_check(p: dict[str, Any], salary: int) -> None:
    q = query(p)
    row = SALARY_LEAN(q, salary)
    off = offer_check(TABLE, q, salary)
    assert isinstance(row, Priced) and row.query == q
    assert (row.band, row.adjusted) == (off.market, off.estimate.priced_col.band)
    o = row.offer
    assert (o.salary, o.percentile, o.verdict, o.target, o.beyond) == (salary, off.percentile, off.verdict, off.target,
                                                                       off.beyond)


@settings(max_examples=200, deadline=None)
@given(profiles)
def test_a_lean_row_without_pay_is_the_estimate(p: dict[str, Any]) -> None:
    q = query(p)
    row = LEAN.estimate(q)
    est = estimate(TABLE, q)
    assert (row.query, row.band, row.adjusted, row.offer) == (q, est.band, est.priced_col.band, None)


@settings(max_examples=200, deadline=None)
@given(profiles, st.none() | st.integers(15_000, 160_000), st.integers(1, 10**6))
def test_the_csv_encoder_writes_what_the_cell_writer_writes(p: dict[str, Any], salary: int | None, n: int) -> None:
    """The default columns are written directly (batch_csv_encoder); any other choice cell by cell (csv_cell):
    the same text."""
    q = query(p)
    row = LEAN.estimate(q) if salary is None else SALARY_LEAN(q, salary)
    for fields in (BATCH_PROFILE_FIELDS, BATCH_PROFILE_FIELDS + BATCH_OFFER_FIELDS):  # without and with a pay column
        every = batch_csv_encoder(fields)
        for k in (n, n + 1):  # (a row without pay is remembered: only its number changes)
            assert every(k, row) == ",".join(csv_cell(v) for v in batch_values(k, row)[:len(fields)])


def _percentile(d: Distribution, wage: float) -> float:
    """Linear between the published points (the definition), 10 below p10, 90 above p90."""
    pts = list(zip((10, 25, 50, 75, 90), d))
    if wage <= pts[0][1]:
        return 10.0
    for (q0, v0), (q1, v1) in zip(pts, pts[1:]):
        if wage <= v1:
            return q0 + (q1 - q0) * (wage - v0) / (v1 - v0) if v1 > v0 else float(q1)
    return 90.0


@given(st.lists(st.floats(10_000, 200_000, allow_nan=False), min_size=5, max_size=5).map(sorted),
       st.floats(0, 300_000, allow_nan=False))
def test_percentile_of_is_linear_between_the_published_points(points: list[float], wage: float) -> None:
    d = Distribution(*points)
    assert d.percentile_of(wage) == _percentile(d, wage)
    for v in points:
        assert d.percentile_of(v) == _percentile(d, v)


@given(st.floats(10, 90, allow_nan=False))
def test_a_percentile_cell_is_its_rounded_value(pct: float) -> None:
    """The CSV encoder writes a percentile as f"{pct:.1f}": the digits of round(pct, 1), which the cell writer uses."""
    assert f"{pct:.1f}" == csv_cell(round(pct, 1))


@given(st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-10**6, 10**6).map(lambda i: i / 2))
def test_round_dollars_is_halves_up_as_int_of_x_plus_a_half(x: float) -> None:
    assert round_dollars(x) == int(x + 0.5) and type(round_dollars(x)) is int


@given(st.text("0123456789", min_size=1, max_size=7),
       st.sampled_from(["", "Salary", "salaried", "ANNUAL", " Annual ", "yearly", "Hourly", "h", "N/A", "weekly", "-"]))
def test_a_plain_salary_cell_reads_as_read_pay_reads_it(digits: str, basis: str) -> None:
    """Cells.pay reads '52000' on a salaried (or unsaid) row without read_pay's Decimal work: the same pay."""
    from coder_pay.batch_rows import Cells, Noted, RowError
    from coder_pay.payroll import HRError, read_pay

    cells = Cells(TABLE, ("state",))
    got = cells.pay(digits, "", basis)
    try:
        want: Any = read_pay(digits, "", basis, TABLE.hours_per_year)
    except HRError as e:
        assert isinstance(got, RowError) and got.code == e.code
        return
    if want is None:
        assert got is None
    elif type(got) is Noted:
        assert got.value == want.yearly and got.notes
    else:
        from coder_pay.query import pay_floor

        assert got == want.yearly and want.how == "" and want.yearly >= pay_floor(TABLE)[0]  # (no low-pay note due)


def _general_pay(table: Any, salary: str, hourly: str, basis: str) -> Any:
    """What Cells.pay gives by its general path: read_pay, its 'how' and the low-pay warning (as a RowError's code and
    message, or the yearly pay with its notes)."""
    from coder_pay.money import low_pay_warning
    from coder_pay.payroll import HRError, is_placeholder, read_pay
    from coder_pay.query import pay_floor

    try:
        got = read_pay(salary, hourly, basis, table.hours_per_year, salary_column="Annual Salary",
                       hourly_column="Hourly Rate", agreement=table.pay_agreement)
    except HRError as e:
        return ("error", e.code, e.message, e.field)
    if got is None:
        return None
    said = [got.how] if got.how else []
    low = low_pay_warning(got.yearly, salary if not is_placeholder(salary) else hourly, *pay_floor(table))
    if low is not None:
        said.append(low)
    return (got.yearly, tuple(said))


_DIGITS = st.text("0123456789", min_size=1, max_size=8)
_SALARIES = st.one_of(
    _DIGITS, st.integers(0, 12_000_000).map(lambda s: f"${s:,}.00"), st.integers(0, 12_000_000).map(lambda s: f"{s:,}"),
    st.integers(0, 20_000_000).map(lambda c: f"{c // 100}.{c % 100:02d}"),
    st.integers(0, 20_000).map(lambda s: f"{s / 10:g}k"), st.integers(0, 200_000).map(lambda s: f"{s / 1000:g}K"),
    st.text("0123456789$,.kKm /hr", max_size=12), st.sampled_from(["", "N/A", "-", " 52000 ", "52,00", "$52,000.000"]))
_RATES = st.one_of(
    st.integers(0, 120_000).map(lambda c: f"{c // 100}.{c % 100:02d}"), st.integers(0, 1200).map(str),
    st.integers(0, 12_000).map(lambda c: f"{c / 10:g}"), st.text("0123456789$,.k /h", max_size=8),
    st.sampled_from(["", "N/A", " 25.50 ", "25.", ".5", "025.50"]))
_BASES = st.sampled_from(["", "Salary", "salaried", " Annual ", "Hourly", "h", "hr", "N/A", "weekly", "-"])


@settings(max_examples=600)
@given(st.one_of(st.tuples(_SALARIES, st.sampled_from(["", "N/A"]), _BASES),
                 st.tuples(st.sampled_from(["", "N/A", "-"]), _RATES, _BASES),
                 st.tuples(_SALARIES, _RATES, _BASES)),
       st.sampled_from([None, 2080, 2000, 1950, 1]))
@example(("", "0.03", "Hourly"), 1950).via("cents half to even: $58.50 is shown as $58")
@example(("", "0.01", ""), 1950).via("$19.50 is shown as $20")
@example(("$52,000.00", "", "Salary"), 2080).via("the payroll's shapes")
@example(("52.5k", "N/A", "Annual"), 2080).via("the payroll's shapes")
@example(("52000.50", "", ""), 2080).via("half a dollar rounds up")
@example(("", "25.50", "Hourly"), 2080).via("the payroll's shapes")
def test_cells_pay_reads_every_shape_as_read_pay_reads_it(cells: tuple[str, str, str], hours: int | None) -> None:
    """Cells.pay's fast paths ('$52,000.00', '52k', '52000', an hourly '25.50') give exactly what read_pay, its 'how'
    and the low-pay warning give: the same pay, the same notes, the same error (hours a year: the table's, others
    whose cents round half to even in the note, none)."""
    from coder_pay.batch_rows import Cells, Noted, RowError

    table = TABLE if hours == 2080 else TABLE._replace(hours_per_year=hours)
    got: Any = Cells(table, ("state",)).pay(*cells, names=("Annual Salary", "Hourly Rate"))
    if type(got) is RowError:
        got = ("error", got.code, got.message, got.field)
    elif type(got) is Noted:
        got = (got.value, got.notes)
    elif got is not None:
        got = (got, ())
    assert got == _general_pay(table, *cells)


_CERTS = ["CPC", "cpc", "CCS", "CRC", "Ccs-P", "CPC-A", "CEMC", "CCDS", "XYZ", "N/A", "NA", "None", "-", "and", "AND",
          "CPCAND", "CPC.", ""]


@settings(max_examples=400)
@given(st.one_of(
    st.tuples(st.lists(st.sampled_from(_CERTS), max_size=4), st.sampled_from([", ", "; ", "/", " ; ", "|", ",", " and ", " "]))
    .map(lambda t: t[1].join(t[0])),
    st.text(st.sampled_from(list("CPSARcpa-./,;| \t&+—nNdD")), max_size=14)))
@example("CPC, CRC").via("the payroll's shapes")
@example("CCS/CRC/CCS").via("a code said twice")
def test_a_credentials_cell_reads_as_split_and_resolve_read_it(cell: str) -> None:
    """The batch's credentials reader (its fast path for 'CPC, CRC' / 'CCS/CRC' included) gives what
    split_credentials and resolve_credentials give: the codes priced, and a Noted one exactly when a code is not."""
    from coder_pay.batch_rows import Noted, _credentials
    from coder_pay.payroll import split_credentials
    from coder_pay.query import UsageError, apprentice_of, resolve_credentials

    got: Any = _credentials(TABLE, {})(cell)
    parts = split_credentials(cell, TABLE.credentials, TABLE.recognised_credentials,
                              lambda c: apprentice_of(TABLE, c) is not None)
    try:
        creds = resolve_credentials(TABLE, [" ".join(parts.known)]) if parts.known else ()
    except UsageError:
        return  # (the reader raises it too: not a shape the fast path takes)
    if parts.no_figure or parts.unknown:
        assert type(got) is Noted and got.value == creds
    else:
        assert got == creds and type(got) is tuple
