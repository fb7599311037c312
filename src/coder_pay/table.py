"""The data table: find it, parse it, validate all of it, turn it into typed records.

The records are immutable typed tuples (NamedTuple): as plain as dataclasses to read and
use, and several times cheaper to define, which keeps every command's start-up fast.

The table is a TOML file (format documented in docs/data-table.md). `load_table`
validates the whole file and raises `TableError` listing every problem found, each with
the key path and, where it can be found, the line. Nothing here prints or exits.

Here: the records, locating and loading the table. The TOML is walked by table_reader.py (typed values,
problems, unknown keys) and read section by section in table_sections.py; what was parsed and built is
kept by table_cache.py.
"""


import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from .table_reader import _Reader

ENV_VAR = "CODER_PAY_DATA"
NO_CACHE_VAR = "CODER_PAY_NO_CACHE"
FORMAT = 1
PERCENTILES = (10, 25, 50, 75, 90)


# --------------------------------------------------------------------------- errors


class Problem(NamedTuple):
    """One thing wrong with a table: where (key path, line if known) and what."""

    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.key}: {self.message}" if self.key else f"{where}{self.message}"


class TableError(Exception):
    """The data table is missing, unreadable or invalid."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        first = problems[0] if problems else Problem("", "invalid")
        if len(problems) > 1:
            import shlex

            more = f" (and {len(problems) - 1} more problem(s); run: coder-pay --data {shlex.quote(path)} data validate)"
        else:
            more = ""
        super().__init__(f"data table {path}: {first}{more}")


# --------------------------------------------------------------------------- records


class Source(NamedTuple):
    key: str
    name: str
    publisher: str
    year: int | None  # None: undated
    kind: str
    url: str
    origin: str

    @property
    def label(self) -> str:
        return f"{self.name}" if self.year is None else f"{self.name} [{self.year}]"


_POINT_INDEX: dict[float, int] = {p: i for i, p in enumerate(PERCENTILES)}


class Distribution(NamedTuple):
    """Annual wages at the 10th, 25th, 50th, 75th and 90th percentiles."""

    p10: float
    p25: float
    p50: float
    p75: float
    p90: float

    def points(self) -> tuple[tuple[int, float], ...]:
        return ((10, self.p10), (25, self.p25), (50, self.p50), (75, self.p75), (90, self.p90))

    def at(self, pct: float) -> float:
        """The wage at percentile `pct` (10-90), linear between published points."""
        i = _POINT_INDEX.get(pct)
        if i is not None:  # a published point itself (the band's 25 / 50 / 75): no interpolation
            return float(self[i])
        pts = self.points()
        for (q0, v0), (q1, v1) in zip(pts, pts[1:]):
            if pct <= q1:
                return v0 + (v1 - v0) * (max(pct, q0) - q0) / (q1 - q0)
        return pts[-1][1]

    def percentile_of(self, wage: float) -> float:
        """Where `wage` falls, 10-90: linear between published points. BLS publishes nothing below the 10th
        or above the 90th percentile, so a wage beyond them reads as 10 or 90: `beyond` says which side."""
        p10, p25, p50, p75, p90 = self  # (written out, not a loop over PERCENTILES: batch runs it once a row)
        if wage <= p10:
            return 10.0
        if wage <= p25:
            return 10 + 15 * (wage - p10) / (p25 - p10) if p25 > p10 else 25.0
        if wage <= p50:
            return 25 + 25 * (wage - p25) / (p50 - p25) if p50 > p25 else 50.0
        if wage <= p75:
            return 50 + 25 * (wage - p50) / (p75 - p50) if p75 > p50 else 75.0
        if wage <= p90:
            return 75 + 15 * (wage - p75) / (p90 - p75) if p90 > p75 else 90.0
        return 90.0

    def beyond(self, wage: float) -> str | None:
        """"below" the published 10th percentile, "above" the 90th, else None (inside the published range)."""
        if wage < self.p10:
            return "below"
        if wage > self.p90:
            return "above"
        return None

    def scaled(self, k: float) -> "Distribution":
        return Distribution(self.p10 * k, self.p25 * k, self.p50 * k, self.p75 * k, self.p90 * k)


class State(NamedTuple):
    code: str
    name: str
    wages: Distribution
    employment: int
    mean: int
    wage_source: str
    rpp_all: float
    rpp_housing: float
    price_source: str
    employment_rse: float | None = None  # BLS relative standard errors, percent (None: not in the table)
    wage_rse: float | None = None
    aliases: tuple[str, ...] = ()  # other names accepted for it ("Calif.", "Washington, D.C.")

    def price_level(self, basis: str = "all") -> float:
        return self.rpp_housing if basis == "housing" else self.rpp_all


class Level(NamedTuple):
    """--level entry|mid|senior: a range of years, priced at `years` on the experience curve."""

    key: str
    label: str
    min_years: int
    max_years: int
    years: float
    source: str  # the range of years
    basis: str
    years_source: str = ""  # the price point `years` (empty: `source`)


class Experience(NamedTuple):
    """The experience curve in log pay: e(y) = amplitude x (exp(-market_years/tau) - exp(-y/tau))."""

    amplitude: float
    time_constant: float
    market_years: float
    max_yearly_rise: float
    source: str
    basis: str
    market_years_source: str
    market_years_basis: str


class Bounds(NamedTuple):
    """How effects combine inside a state's distribution (see model.py)."""

    experience_share: float
    experience_knee: float
    high_cap: float
    band_knee: float
    source: str
    basis: str


class Precision(NamedTuple):
    """BLS relative standard errors (percent) at or above which an answer is flagged as resting on thin data."""

    wage_rse_max: float
    employment_rse_max: float
    source: str
    basis: str


class BacktestEntry(NamedTuple):
    """A published figure `coder-pay data check` holds the model to (see docs/estimate.md, 'The back-test')."""

    key: str
    label: str
    profile: dict[str, Any]
    source: str
    tolerance: float
    statistic: str = "mean"
    published: float | None = None
    versus: dict[str, Any] | None = None
    versus_published: float | None = None
    low: float | None = None
    high: float | None = None
    held: bool = True
    note: str = ""


class Role(NamedTuple):
    """A role above senior coder, priced from a BLS occupation's published distribution placed in the state:
    its band is the occupation's wages at `positions`."""

    key: str
    label: str
    steps_above_senior: int  # its rank on the ladder: 1 supervisor, 2 manager, 3 director
    typical_years: int  # years of experience at which `career --ladder` promotes to it
    years_source: str
    occupation: str = ""  # BLS SOC code, a key of Table.occupations
    positions: tuple[float, float, float] = (25.0, 50.0, 75.0)  # low / typical / high in the occupation's wages
    positions_source: str = ""
    positions_basis: str = ""


class Occupation(NamedTuple):
    """Another BLS occupation's national wages (a role's, or a related career's)."""

    code: str  # BLS SOC code: "43-1011"
    title: str  # BLS's title
    label: str  # what a person reads
    wages: Distribution
    employment: int
    related: bool  # shown among related careers
    source: str


class WageStep(NamedTuple):
    """A published national median of the coders' occupation in one year: ageing between two such years uses
    their ratio, not a rate."""

    year: int
    median: int
    source: str


class Factor(NamedTuple):
    """An effect on pay (a specialty, a work setting, remote work): a pay ratio, before bounding. `aliases`: other
    names a user may type for it ("clinic", "Offices of Physicians"), matched as `name_key` does."""

    key: str
    label: str
    factor: float
    source: str
    basis: str
    median: int | None = None  # a BLS industry's own median (work settings)
    employment: int | None = None
    employment_rse: float | None = None
    wage_rse: float | None = None
    aliases: tuple[str, ...] = ()  # other names accepted for it ("clinic", "payer", a BLS industry name)


def name_key(text: str) -> str:
    """THE name normalizer: how a typed name is matched against the table's names and aliases (a state,
    a specialty, a work setting) and a batch header against column names: case, spaces and punctuation
    ignored ("Doctor's" is "doctors"), '&' read as 'and'. "Doctor's Office" -> "doctorsoffice",
    'Washington, D.C.' -> 'washingtondc', 'Years of Experience' -> 'yearsofexperience'."""
    return _NOT_ALNUM.sub("", text.lower().replace("&", "and"))


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
place_key = name_key  # the former name of the state-name normalizer, kept for callers not yet renamed


class CountMultiplier(NamedTuple):
    credential_count: int  # not `count`: a NamedTuple field must not shadow tuple.count()
    multiplier: float
    source: str
    basis: str


class Credential(NamedTuple):
    code: str
    name: str
    body: str
    premium_note: str
    exam_fee: int | None = None
    first_year_membership: int | None = None
    yearly_membership: int | None = None
    cost_source: str | None = None
    cost_note: str = ""
    apprentice_ratio: float | None = None
    apprentice_source: str | None = None
    apprentice_basis: str = ""
    apprentice_months: int | None = None
    apprentice_months_source: str | None = None
    premium: float | None = None  # credential-specific pay ratio to the reference credential (None: no public figure)
    premium_source: str | None = None
    premium_basis: str = ""
    exam_fee_terms: str = ""  # what exam_fee buys: "one attempt", "non-member price", ...
    exam_fee_source: str | None = None  # the exam fee's source (None: cost_source's)
    member_exam_fee: int | None = None  # AHIMA: the member price (the payback counts the non-member exam_fee)
    two_attempt_exam_fee: int | None = None  # AAPC: the price of a two-attempt package


class RecognisedCredential(NamedTuple):
    """[recognised_credentials.*]: a credential a payroll file may list that the pay model does not price (no
    credential-specific figure): a row holding it is priced without it, and says so with `note`."""

    code: str
    name: str
    body: str
    note: str  # why it is not priced ("no public pay figure")
    source: str | None = None  # the source of a figure the note names


class Range(NamedTuple):
    key: str
    label: str
    low: int
    high: int
    source: str


class StateTax(NamedTuple):
    """One state's wage income tax, single filer. `brackets_misstate`: the model still misstates
    this state's tax (see `caveat`, or `note` when there is no caveat). The optional corrections,
    all driven by "income" = gross wages here: a nonrefundable `credit`, not allowed above
    `credit_income_limit` and reduced by `credit_phaseout_rate` x income above `credit_phaseout_start`;
    a standard deduction reduced by `deduction_phaseout_rate` x income above `deduction_phaseout_start`;
    no personal exemption above `exemption_income_limit`."""

    code: str
    brackets: tuple[tuple[float, float], ...]
    standard_deduction: float
    personal_exemption: float
    brackets_misstate: bool
    note: str
    caveat: str = ""
    credit: float = 0.0
    credit_income_limit: float | None = None
    credit_phaseout_start: float = 0.0
    credit_phaseout_rate: float = 0.0
    deduction_phaseout_start: float = 0.0
    deduction_phaseout_rate: float = 0.0
    exemption_income_limit: float | None = None
    basis: str = ""
    # The law beyond the brackets (tax/policyengine/; see tax.state_income_tax for how each is applied):
    exemption_schedule: tuple[tuple[float, float], ...] = ()  # [income from, exemption]: the exemption by income
    exemption_reduction: "Steps | None" = None  # exemption less `amount` per `increment` (or part) above `start`
    credit_taxable_income_below: float | None = None  # the credit only while taxable income is below this
    federal_tax_deduction_rates: tuple[tuple[float, float], ...] = ()  # [income from, share of federal tax deducted]
    federal_tax_deduction_caps: tuple[tuple[float, float], ...] = ()  # [income from, most that may be deducted]
    deduction_minimum: float | None = None  # the standard deduction used above `deduction_minimum_above`
    deduction_minimum_above: float = 0.0
    deduction_phaseout_width: float = 0.0  # deduction gone over this much income above deduction_phaseout_start
    tax_add_backs: "tuple[Steps, ...]" = ()  # added to the tax: `amount` per `increment` (or part) above `start`
    credit_fraction_schedule: tuple[tuple[float, float], ...] = ()  # [income from, share of the tax credited]
    fica_deduction_cap: float | None = None  # Social Security and Medicare paid are deductible up to this
    refundable_credit: float = 0.0
    refundable_credit_label: str = ""
    law_sources: str = ""
    left_out: "tuple[LeftOut, ...]" = ()  # what the model leaves out, said on the answers it may change
    local_gap: str = ""  # the state's local income taxes the sources do not cover (localtax)

    @property
    def flag_text(self) -> str:
        """What the model still misstates ('' when the state is not flagged)."""
        if not self.brackets_misstate:
            return ""
        return "; ".join(x.text for x in self.left_out) if self.left_out else (self.caveat or self.note)


class Steps(NamedTuple):
    """An amount per step of income: `amount` for each `increment` (or part of one) above `start`, at most `max`."""

    label: str
    start: float
    increment: float
    amount: float
    max: float | None = None


class LeftOut(NamedTuple):
    """A rule of a state's tax the model does not apply; named on answers with income above `above`."""

    text: str
    above: float | None = None


class LocalRule(NamedTuple):
    """How a local tax is computed for residents or nonresidents. base: "wages", "state_taxable_income"
    (the home state's), "state_tax" (the home state's tax) or "flat" (`per_year`, owed from `wage_threshold`)."""

    base: str
    rates: tuple[tuple[float, float], ...] = ()  # [floor, rate]: marginal, or the bracket's rate on all when whole
    whole: bool = False
    exemption: float = 0.0  # taken off the base first
    per_year: float = 0.0
    wage_threshold: float = 0.0
    basis: str = ""


class LocalJurisdiction(NamedTuple):
    """A city, county, district or occupational tax (tax/local/). Matched by state and county FIPS or city name."""

    key: str
    name: str
    state: str
    kind: str  # city, county, occupational, school_district, metro
    work_based: bool  # taxes only work done in it (occupational license / privilege taxes)
    counties: tuple[str, ...]
    cities: tuple[str, ...]
    resident: LocalRule | None
    nonresident: LocalRule | None
    source: str
    effective: str
    note: str


class TaxTable(NamedTuple):
    year: int
    source: str
    federal_brackets: tuple[tuple[float, float], ...]
    federal_standard_deduction: float
    social_security_rate: float
    social_security_wage_base: float
    medicare_rate: float
    additional_medicare_rate: float
    additional_medicare_threshold: float
    states: dict[str, StateTax]
    local: dict[str, LocalJurisdiction] = {}


class Table(NamedTuple):
    path: str
    occupation: str
    wage_year: int
    price_year: int
    sources: dict[str, Source]
    national: Distribution
    national_employment: int
    national_mean: int
    national_source: str
    national_employment_rse: float | None
    national_wage_rse: float | None
    growth_rate: float
    growth_source: str
    growth_basis: str
    wage_medians: dict[int, WageStep]  # published national medians by year (ageing steps)
    states: dict[str, State]
    market_positions: tuple[float, float, float]
    market_source: str
    market_basis: str
    levels: dict[str, Level]
    experience: Experience
    bounds: Bounds
    precision: Precision
    credential_net_share: float
    credential_net_source: str
    credential_net_basis: str
    roles: dict[str, Role]
    credential_counts: dict[int, CountMultiplier]
    credentials: dict[str, Credential]
    training: dict[str, Range]
    specialties: dict[str, Factor]
    settings: dict[str, Factor]
    remote: Factor
    work_days_per_year: int
    work_days_source: str
    occupations: dict[str, Occupation]  # BLS SOC code -> its national wages (roles, related careers)
    backtest: tuple[BacktestEntry, ...] = ()
    industry_tolerance: float = 0.0  # [check]: `data check`'s tolerance for the BLS industry medians
    tax: TaxTable | None = None
    state_names: dict[str, str] = {}  # name_key(code, name or alias) -> code, filled by the loader
    specialty_names: dict[str, str] = {}  # name_key(key or alias) -> key, filled by the loader
    setting_names: dict[str, str] = {}  # name_key(key or alias) -> key, filled by the loader
    hours_per_year: int | None = None  # [benefits]: hours in a work year (hourly rate -> yearly salary); None: not given
    hours_source: str = ""
    pay_agreement: float = 0.0  # [benefits]: how far a row's salary and hourly rate may differ (share of the larger)
    recognised_credentials: dict[str, RecognisedCredential] = {}  # credentials recognised but not priced

    def source(self, key: str) -> Source:
        return self.sources[key]

    @property
    def related(self) -> dict[str, Occupation]:
        """The occupations shown as related careers (never the coders' own)."""
        return {k: o for k, o in self.occupations.items() if o.related}


# --------------------------------------------------------------------------- locating


def default_path() -> Path:
    """The table shipped with the package (a source checkout falls back to data/)."""
    packaged = Path(__file__).with_name("data") / "coder_pay.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "coder_pay.toml"


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data FILE wins, then $CODER_PAY_DATA, then the packaged table."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env)
    return default_path()


# --------------------------------------------------------------------------- load


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TableError(str(path), [Problem("", "file not found")]) from None
    except IsADirectoryError:
        raise TableError(str(path), [Problem("", "is a directory, not a TOML file")]) from None
    except OSError as exc:
        raise TableError(str(path), [Problem("", f"cannot read: {exc.strerror or exc}")]) from None
    except ValueError as exc:  # a NUL in the name
        raise TableError(str(path), [Problem("", f"not a usable file name: {exc}")]) from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(str(path), [Problem("", f"not UTF-8 text (byte {exc.start})")]) from None


def load_table(path: str | os.PathLike[str] | None = None) -> Table:
    """Load and validate the table at `path` (default: --data / $CODER_PAY_DATA / packaged).

    Every table is validated, in full, before it is used. Parsing and validating run once for each
    version of a table's bytes (and of the code that reads them): a table found valid is read back as
    the records built from it, and an invalid one from its parsed document (see table_cache.py)."""
    from .table_cache import _built, _cached, _note_loaded, _parse_cached, _remember

    p = resolve_path(path)
    raw = _read_bytes(p)
    stored = _cached(p, raw)
    built: Table | None = _built(stored)
    if built is not None:
        built = built if built.path == str(p) else built._replace(path=str(p))
        _note_loaded(built, p, raw)
        return built
    cached = _parse_cached(p, raw, stored)
    if cached is None:
        return parse_table(_decode(p, raw), str(p))
    doc, keys_checked = cached
    from . import table_sections
    from .table_reader import _Reader

    r = _Reader(_decode(p, raw))
    table = table_sections._read_table(doc, r, str(p)) if keys_checked else _build(doc, r, str(p))
    if r.problems:
        raise TableError(str(p), r.problems)
    _remember(p, raw, doc, valid=table)
    _note_loaded(table, p, raw)
    return table


def _toml_loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 in CI
        import tomli as tomllib
    doc: dict[str, Any] = tomllib.loads(text)
    return doc


def check_table(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in the table at `path` (empty list: the table is valid)."""
    try:
        table = load_table(path)
    except TableError as exc:
        return exc.problems
    from .places import check_places  # the places beside it (or the packaged ones) must fit it

    return check_places(table)


_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_table(text: str, path: str = "<string>") -> Table:
    try:
        doc = _toml_loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        msg = str(exc)
        m = _TOML_LINE.search(msg)
        line = int(m.group(1)) if m else None
        if line is None and "at end of document" in msg:  # a truncated file: the error is on its last line
            line = len(text.rstrip("\n").split("\n"))
        msg = _TOML_LINE.sub("", msg).strip().rstrip(".")
        raise TableError(path, [Problem("", f"not valid TOML: {msg}" + (f" (column {m.group(2)})" if m else ""), line)]) from None
    from .table_reader import _Reader

    r = _Reader(text)
    table = _build(doc, r, path)
    if r.problems:
        raise TableError(path, r.problems)
    return table


def _build(doc: dict[str, Any], r: "_Reader", path: str) -> Table:
    """The typed table from the parsed document; every problem (unknown keys too) recorded in `r`."""
    from . import table_sections
    from .table_reader import _asked

    asked = _asked(doc)
    table = table_sections._read_table(asked, r, path)
    r.unknown_keys(asked)
    return table


USPS = frozenset(
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV "
    "NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY".split()
)
