"""The data table: find it, parse it, validate all of it, turn it into typed records.

The records are immutable typed tuples (NamedTuple): as plain as dataclasses to read and
use, and several times cheaper to define, which keeps every command's start-up fast.

The table is a TOML file (format documented in README.md, "The data table"). `load_table`
validates the whole file and raises `TableError` listing every problem found, each with
the key path and, where it can be found, the line. Nothing here prints or exits.
"""


import math
import os
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

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
        """Where `wage` falls, 0-100: linear between published points, and toward 0 below
        the 10th / toward 100 above the 90th in proportion to the outer gaps."""
        pts = self.points()
        if wage <= pts[0][1]:
            lo = max(pts[0][1] - (pts[1][1] - pts[0][1]) * 10 / 15, 0.0)  # extend the p10-p25 slope to p0
            return max(0.0, 10 * (wage - lo) / (pts[0][1] - lo)) if pts[0][1] > lo else 0.0
        for (q0, v0), (q1, v1) in zip(pts, pts[1:]):
            if wage <= v1:
                return q0 + (q1 - q0) * (wage - v0) / (v1 - v0) if v1 > v0 else float(q1)
        hi = pts[-1][1] + (pts[-1][1] - pts[-2][1]) * 10 / 15  # extend the p75-p90 slope to p100
        return min(100.0, 90 + 10 * (wage - pts[-1][1]) / (hi - pts[-1][1])) if hi > pts[-1][1] else 100.0

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
    """A published figure `coder-pay data check` holds the model to (see README, 'Back-test')."""

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
    key: str
    label: str
    steps_above_senior: int
    typical_years: int
    years_source: str


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
    """How a typed setting or specialty name is matched against keys and aliases: lower case,
    apostrophes dropped, '&' read as 'and', every other run of punctuation or space one '-'.
    "Doctor's Office" -> "doctors-office", "Physician_Office" -> "physician-office"."""
    t = _APOSTROPHES.sub("", text.lower()).replace("&", " and ")
    return _NOT_ALNUM.sub("-", t).strip("-")


_APOSTROPHES = re.compile(r"['\u2019`]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


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
    promotion_raise: float
    promotion_source: str
    promotion_basis: str
    roles: dict[str, Role]
    credential_counts: dict[int, CountMultiplier]
    credentials: dict[str, Credential]
    training: dict[str, Range]
    specialties: dict[str, Factor]
    settings: dict[str, Factor]
    remote: Factor
    work_days_per_year: int
    work_days_source: str
    related: dict[str, Range]
    backtest: tuple[BacktestEntry, ...] = ()
    industry_tolerance: float = 0.0  # [check]: `data check`'s tolerance for the BLS industry medians
    tax: TaxTable | None = None
    state_names: dict[str, str] = {}  # place_key(name or alias) -> code, filled by the loader
    hours_per_year: int | None = None  # [benefits]: hours in a work year (hourly rate -> yearly salary); None: not given
    hours_source: str = ""

    def source(self, key: str) -> Source:
        return self.sources[key]


def place_key(text: str) -> str:
    """A state's name or alias as it is matched: case, spaces and punctuation ignored
    ('Washington, D.C.' -> 'washingtondc', 'N. Dak.' -> 'ndak')."""
    return _NOT_A_LETTER.sub("", text.lower())


_NOT_A_LETTER = re.compile(r"[^a-z]")


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


# --------------------------------------------------------------------------- reading


class _Asked(dict):  # type: ignore[type-arg]
    """A TOML table that remembers which of its keys the loader asked about: read, looked up,
    tested for (`in`) or iterated over (a catalogue such as [states.*]). Whatever the loader
    never asked about is a key it does not know: a misspelling (`exam_fees`, `factr`)."""

    __slots__ = ("asked",)

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self.asked.add(key)  # type: ignore[arg-type]  # (keys are strings)
        return dict.__contains__(self, key)

    def __iter__(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.__iter__(self)

    def keys(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.keys(self)

    def items(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.items(self)

    def values(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.values(self)


def _asked(d: dict[str, Any]) -> _Asked:
    """The parsed document with every table (also in an array of tables) made an _Asked."""
    out = _Asked(d)
    for k, x in d.items():
        if type(x) is dict:
            dict.__setitem__(out, k, _asked(x))
        elif type(x) is list and any(type(y) is dict for y in x):
            dict.__setitem__(out, k, [_asked(y) if type(y) is dict else y for y in x])
    return out


# What a key is sometimes called, where difflib would suggest a wrong one ("median" -> "mean").
_KEY_SYNONYMS = {"median": "p50"}
# Keys any table may carry without the loader reading them: how its figures were derived (documented
# as optional everywhere).
_ANY_TABLE = frozenset({"basis"})


class _Reader:
    """Walks the parsed TOML, converting values and collecting every problem."""

    def __init__(self, text: str):
        self._text = text
        self._lines: list[str] | None = None
        self.problems: list[Problem] = []

    @property
    def lines(self) -> list[str]:  # split only when a problem needs a line number
        if self._lines is None:
            self._lines = self._text.split("\n")  # as TOML counts lines (str.splitlines also breaks at \x85, U+2028, ...)
        return self._lines

    # -- where is a key?
    def line_of(self, path: str) -> int | None:
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            head, key = parts[: n - 1], parts[n - 1]
            header = _header_pattern(head)
            start = 0
            if head:
                start = next((i for i, ln in enumerate(self.lines) if header.match(ln)), -1)
            if start >= 0:  # `key = ...` inside its table; if the table has no header of its own, try [head.key] below
                key_re = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=')
                for i in range(start + (1 if head else 0), len(self.lines)):
                    if head and i > start and self.lines[i].lstrip().startswith("["):
                        break
                    if key_re.match(self.lines[i]):
                        return i + 1
            sub = _header_pattern(parts[:n])
            for i, ln in enumerate(self.lines):
                if sub.match(ln):
                    return i + 1
        return None

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.line_of(path)))

    @staticmethod
    def known(d: Any, *keys: str) -> None:
        """Declare keys the loader accepts but does not read (informational), so they are not unknown."""
        if isinstance(d, _Asked):
            d.asked.update(keys)

    def unknown_keys(self, d: _Asked, path: str = "") -> None:
        """Report every key of the tables the loader read that it never asked about, each with the closest
        key it did ask about. Tables the loader did not look into (already reported) are not searched."""
        if not d.asked:  # not looked into: its own problem has been reported
            return
        for key, v in dict.items(d):
            if key in d.asked or key in _ANY_TABLE:
                if type(v) is _Asked:
                    self.unknown_keys(v, f"{path}.{key}" if path else key)
                elif type(v) is list:
                    for x in v:
                        if type(x) is _Asked:
                            self.unknown_keys(x, f"{path}.{key}" if path else key)
                continue
            full = f"{path}.{key}" if path else key
            line = self.line_of(full)
            if line is None:  # a table given only by its sub-tables: [specialities.general]
                head = re.compile(r"^\s*\[\s*" + r"\.".join(r'"?' + re.escape(p) + r'"?' for p in full.split(".")) + r"\s*\.")
                line = next((i + 1 for i, ln in enumerate(self.lines) if head.match(ln)), None)
            known = sorted(d.asked | _ANY_TABLE)
            near = _KEY_SYNONYMS.get(key.lower()) if _KEY_SYNONYMS.get(key.lower()) in d.asked else None
            if near is None:
                import difflib

                hits = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                near = hits[0] if hits else None
            if near is not None:
                problem = Problem(full, f"unknown key; did you mean {near!r}?", line)
                at = f"{path}.{near}" if path else near
                spot = next((i for i, p in enumerate(self.problems) if p.key == at or p.key.startswith(at + ".")),
                            len(self.problems))  # before "factor: missing", which it explains
                self.problems.insert(spot, problem)
            else:
                self.problems.append(Problem(full, "unknown key (known here: " + ", ".join(known) + ")", line))

    # -- typed getters; on a problem they record it and return a harmless placeholder
    def table(self, d: Any, key: str, path: str, required: bool = True) -> dict[str, Any]:
        v = d.get(key) if isinstance(d, dict) else None
        full = f"{path}.{key}" if path else key
        if v is None:
            if required:
                self.fail(full, "missing table")
            return {}
        if not isinstance(v, dict):
            self.fail(full, f"must be a table, not {_kind(v)}")
            return {}
        return v

    def number(self, d: dict[str, Any], key: str, path: str, *, lo: float | None = 0.0, hi: float | None = None,
               integer: bool = False, required: bool = True, positive: bool = False) -> float:
        if key not in d:
            if required:
                self.fail(f"{path}.{key}", "missing")
            return 1.0
        v = d[key]
        tv = type(v)
        if (tv is int or (tv is float and not integer)) and (lo is None or v >= lo) and (hi is None or v <= hi) \
                and (not positive or v > 0) and math.isfinite(v):
            return float(v) if tv is float else v  # the common case, checked at once (problems below say what is wrong)
        full = f"{path}.{key}"
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(full, f"must be a number, not {_kind(v)} {v!r}"[:200])
            return 1.0
        if integer and not isinstance(v, int):
            self.fail(full, f"must be a whole number, not {v!r}")
            return 1.0
        if not math.isfinite(v):
            self.fail(full, f"must be finite, not {v!r}")
            return 1.0
        if positive and v <= 0:
            self.fail(full, f"must be greater than 0, not {v!r}")
            return 1.0
        if lo is not None and v < lo:
            self.fail(full, f"must be at least {lo:g}, not {v!r}" if lo else f"must not be negative, not {v!r}")
            return 1.0
        if hi is not None and v > hi:
            self.fail(full, f"must be at most {hi:g}, not {v!r}")
            return 1.0
        return v

    def optional_number(self, d: dict[str, Any], key: str, path: str, **kw: Any) -> float | None:
        """A number that may be left out (None)."""
        return self.number(d, key, path, **kw) if key in d else None

    def integer(self, d: dict[str, Any], key: str, path: str, **kw: Any) -> int:
        return int(self.number(d, key, path, integer=True, **kw))

    def text(self, d: dict[str, Any], key: str, path: str, required: bool = True) -> str:
        v = d.get(key)
        if type(v) is str and (not required or v.strip()):
            return v  # the common case (the problems below say what is wrong)
        full = f"{path}.{key}"
        if key not in d:
            if required:
                self.fail(full, "missing")
            return ""
        v = d[key]
        if not isinstance(v, str):
            self.fail(full, f"must be a string, not {_kind(v)}")
            return ""
        if required and not v.strip():
            self.fail(full, "must not be empty")
        return v

    def boolean(self, d: dict[str, Any], key: str, path: str) -> bool:
        v = d.get(key)
        if not isinstance(v, bool):
            self.fail(f"{path}.{key}", "missing" if v is None else f"must be true or false, not {_kind(v)}")
            return False
        return v

    def strings(self, d: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        """An optional list of non-empty strings (absent: none)."""
        v = d.get(key)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            self.fail(f"{path}.{key}", f"must be a list of names such as [\"clinic\", \"Calif.\"], not {v!r}"[:200])
            return ()
        return tuple(v)

    def source_ref(self, d: dict[str, Any], key: str, path: str, sources: dict[str, Any], required: bool = True) -> str:
        ref = self.text(d, key, path, required=required)
        if ref and ref not in sources:
            self.fail(f"{path}.{key}", f"names unknown source {ref!r} (known: {', '.join(sorted(sources))})")
        return ref

    def positions(self, d: dict[str, Any], path: str) -> tuple[float, float, float]:
        v = d.get("positions")
        full = f"{path}.positions"
        if (not isinstance(v, list) or len(v) != 3
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)):
            self.fail(full, "must be a list of three percentiles [low, typical, high]")
            return (25.0, 50.0, 75.0)
        a, b, c = (float(x) for x in v)
        if not all(10 <= x <= 90 for x in (a, b, c)):
            self.fail(full, f"percentiles must be between 10 and 90, not {v}")
        elif not a <= b <= c:
            self.fail(full, f"must be in order low <= typical <= high, not {v}")
        return (a, b, c)

    def distribution(self, d: dict[str, Any], path: str) -> Distribution:
        before = len(self.problems)
        vals = [self.number(d, f"p{p}", path, positive=True) for p in PERCENTILES]
        if len(self.problems) > before:  # a bad percentile: comparing its placeholder would report a false order
            return Distribution(*vals)
        for (p0, v0), (p1, v1) in zip(zip(PERCENTILES, vals), zip(PERCENTILES[1:], vals[1:])):
            if v0 > v1:
                self.fail(f"{path}.p{p0}", f"p{p0} ({v0:g}) is above p{p1} ({v1:g}); percentiles must rise")
        return Distribution(*vals)

    def brackets(self, d: dict[str, Any], path: str) -> tuple[tuple[float, float], ...]:
        v = d.get("brackets")
        full = f"{path}.brackets"
        out: list[tuple[float, float]] = []
        if not isinstance(v, list) or not v:
            self.fail(full, "must be a non-empty list of [floor, rate] pairs")
            return ((0.0, 0.0),)
        for i, b in enumerate(v):
            ok = (isinstance(b, list) and len(b) == 2
                  and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in b))
            if not ok:
                self.fail(full, f"entry {i + 1} must be [floor, rate], not {b!r}"[:200])
                return ((0.0, 0.0),)
            floor, rate = float(b[0]), float(b[1])
            if floor < 0 or not 0 <= rate < 1:
                self.fail(full, f"entry {i + 1}: floor must not be negative and rate must be in [0, 1), not {b!r}")
            if out and floor <= out[-1][0]:
                self.fail(full, f"entry {i + 1}: floors must rise, {floor:g} follows {out[-1][0]:g}")
            out.append((floor, rate))
        if out[0][0] != 0:
            self.fail(full, "the first bracket must start at 0")
        return tuple(out)


def _header_pattern(parts: list[str]) -> re.Pattern[str]:
    body = r"\.".join(r'"?' + re.escape(p) + r'"?' for p in parts)
    return re.compile(r"^\s*\[\s*" + body + r"\s*\]")


def _kind(v: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
            list: "a list", dict: "a table"}.get(type(v), type(v).__name__)


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

    Validation runs on every load. Parsing does not: a table whose exact bytes were parsed before
    is read back from a small cache (see `_parse_cached`), which keeps start-up fast; and the bytes of a
    table found valid once are not searched for unknown keys again (the cache remembers they had none)."""
    p = resolve_path(path)
    raw = _read_bytes(p)
    cached = _parse_cached(p, raw)
    if cached is None:
        return parse_table(_decode(p, raw), str(p))
    doc, keys_checked = cached
    r = _Reader(_decode(p, raw))
    table = _read_table(doc, r, str(p)) if keys_checked else _build(doc, r, str(p))
    if r.problems:
        raise TableError(str(p), r.problems)
    if not keys_checked:
        _remember(p, raw, doc, keys_checked=True)
    return table


# --------------------------------------------------------------------------- the parse cache
# Parsing the TOML costs more than everything else a command does (tomllib's import and ~15 ms of
# parsing). The parsed document - plain dicts, lists, strings and numbers - is kept with `marshal`
# in the user's cache directory, keyed by the table's path and the length and CRC-32 of its bytes,
# so any edit to the table is seen at once. Set CODER_PAY_NO_CACHE=1 to turn it off; any problem
# with the cache (unwritable, corrupt, stale) falls back to parsing, silently. One file per table
# path; after each write only the CACHE_FILES most recently written are kept.

_CACHE_TAG = f"coder-pay-toml-{FORMAT}-2"
CACHE_FILES = 16  # parsed tables kept (the packaged one and a few of the user's); a bound, not a pay figure
_CACHE_NAME = re.compile(r"[0-9a-f]{8}\.marshal(?:\.\d+\.tmp)?")


def _cache_file(path: Path) -> Path | None:
    if os.environ.get(NO_CACHE_VAR, "").strip() not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    import zlib

    name = f"{zlib.crc32(os.fsencode(os.path.abspath(path))):08x}.marshal"
    return Path(base) / "coder-pay" / name


def _cache_key(path: Path, raw: bytes) -> tuple[str, str, int, int]:
    import zlib

    return (_CACHE_TAG, os.path.abspath(path), len(raw), zlib.crc32(raw))


def _parse_cached(path: Path, raw: bytes) -> tuple[dict[str, Any], bool] | None:
    """The parsed document for these exact bytes and whether this version of coder-pay found no unknown key in
    it, or None: parse it (and remember it if it is valid TOML)."""
    import marshal

    cache = _cache_file(path)
    if cache is None:
        return None
    key = _cache_key(path, raw)
    try:
        stored = marshal.loads(cache.read_bytes())
        if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key and isinstance(stored[1], dict):
            return stored[1], stored[2] == _keys_checked_tag()
    except (OSError, ValueError, EOFError, TypeError):
        pass
    try:
        doc = _toml_loads(_decode(path, raw))
    except (TableError, ValueError):
        return None  # parse_table reports it, with its line
    _remember(path, raw, doc, keys_checked=False)
    return doc, False


def _keys_checked_tag() -> str:
    from . import __version__

    return f"keys-checked-{__version__}"


def _remember(path: Path, raw: bytes, doc: dict[str, Any], *, keys_checked: bool) -> None:
    """Write the parsed document to the cache (quietly not, where the cache cannot be written)."""
    import marshal

    cache = _cache_file(path)
    if cache is None:
        return
    try:
        blob = marshal.dumps((_cache_key(path, raw), doc, _keys_checked_tag() if keys_checked else ""))
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, cache)
        _prune_cache(cache, CACHE_FILES)
    except (OSError, ValueError):  # no cache directory, read-only home, or TOML dates marshal cannot hold
        pass


def _prune_cache(written: Path, keep: int) -> None:
    """Delete all but the `keep` most recently written cache files (`written`, just written, among them),
    and any stale temporary file. Only files named as this cache names them are touched."""
    entries = []
    with os.scandir(written.parent) as it:
        for e in it:
            if _CACHE_NAME.fullmatch(e.name) and e.name != written.name and e.is_file(follow_symlinks=False):
                try:
                    entries.append((e.stat(follow_symlinks=False).st_mtime_ns, e.name, e.path))
                except OSError:  # removed meanwhile by another run
                    continue
    entries.sort(reverse=True)
    for _, _, path in entries[max(keep - 1, 0):]:
        try:
            os.unlink(path)
        except OSError:
            pass


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
        load_table(path)
    except TableError as exc:
        return exc.problems
    return []


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
    r = _Reader(text)
    table = _build(doc, r, path)
    if r.problems:
        raise TableError(path, r.problems)
    return table


def _build(doc: dict[str, Any], r: _Reader, path: str) -> Table:
    """The typed table from the parsed document; every problem (unknown keys too) recorded in `r`."""
    asked = _asked(doc)
    table = _read_table(asked, r, path)
    r.unknown_keys(asked)
    return table


def _read_table(doc: dict[str, Any], r: _Reader, path: str) -> Table:
    fmt = doc.get("format")
    if fmt != FORMAT:
        r.fail("format", f"must be {FORMAT} (this coder-pay reads table format {FORMAT}), not {fmt!r}")
    meta = r.table(doc, "meta", "")
    wage_year = r.integer(meta, "wage_year", "meta", lo=1990, hi=2100)
    price_year = r.integer(meta, "price_year", "meta", lo=1990, hi=2100)
    occupation = r.text(meta, "occupation", "meta")
    r.known(meta, "currency")  # informational (always USD)

    raw_sources = r.table(doc, "sources", "")
    sources: dict[str, Source] = {}
    for key, s in raw_sources.items():
        sp = f"sources.{key}"
        if not isinstance(s, dict):
            r.fail(sp, "must be a table")
            continue
        year = r.integer(s, "year", sp, lo=0, hi=2100)
        sources[key] = Source(key, r.text(s, "name", sp), r.text(s, "publisher", sp), year or None,
                              r.text(s, "kind", sp), r.text(s, "url", sp, required=False),
                              r.text(s, "origin", sp, required=False))
    if not raw_sources:
        r.fail("sources", "no sources listed")
    src = raw_sources

    nat = r.table(doc, "national", "")
    national = r.distribution(nat, "national")
    national_source = r.source_ref(nat, "source", "national", src)
    national_employment = r.integer(nat, "employment", "national")
    national_mean = r.integer(nat, "mean", "national", positive=True)
    national_rse = (r.optional_number(nat, "employment_rse", "national", hi=100),
                    r.optional_number(nat, "wage_rse", "national", hi=100))

    wg = r.table(doc, "wage_growth", "")
    growth = r.number(wg, "rate", "wage_growth", lo=-0.5, hi=0.5)  # documented: may be negative
    growth_source = r.source_ref(wg, "source", "wage_growth", src)
    growth_basis = r.text(wg, "basis", "wage_growth", required=False)
    for k in ("from_year", "to_year"):  # informational: the years the rate was measured between
        r.integer(wg, k, "wage_growth", lo=1990, hi=2100, required=False)

    states: dict[str, State] = {}
    raw_states = r.table(doc, "states", "")
    for code, s in raw_states.items():
        sp = f"states.{code}"
        if not isinstance(s, dict):
            r.fail(sp, "must be a table")
            continue
        if not re.fullmatch(r"[A-Z]{2}", code):
            r.fail(sp, "state keys must be two-letter USPS codes in capitals")
        states[code] = State(
            code=code, name=r.text(s, "name", sp), wages=r.distribution(s, sp),
            employment=r.integer(s, "employment", sp), mean=r.integer(s, "mean", sp, positive=True),
            wage_source=r.source_ref(s, "wage_source", sp, src),
            rpp_all=r.number(s, "rpp_all", sp, positive=True), rpp_housing=r.number(s, "rpp_housing", sp, positive=True),
            price_source=r.source_ref(s, "price_source", sp, src),
            employment_rse=r.optional_number(s, "employment_rse", sp, hi=100),
            wage_rse=r.optional_number(s, "wage_rse", sp, hi=100),
            aliases=r.strings(s, "aliases", sp),
        )
    missing = sorted(USPS - set(states))
    if missing and isinstance(doc.get("states"), dict):  # an empty [states] table too
        r.fail("states", f"every state and DC must be present; missing: {', '.join(missing)}")
    state_names = {place_key(c): c for c in states}  # what a user may type for a state -> its code
    for code, st in states.items():
        for field, names in (("name", (st.name,)), ("aliases", st.aliases)):
            for name in names:
                key = place_key(name)
                if key and state_names.setdefault(key, code) != code:
                    r.fail(f"states.{code}.{field}", f"{name!r} is already a name of states.{state_names[key]}")

    mk = r.table(doc, "market", "")
    market_positions = r.positions(mk, "market")
    market_source = r.source_ref(mk, "source", "market", src)

    levels: dict[str, Level] = {}
    for key, lv in r.table(doc, "levels", "").items():
        lp = f"levels.{key}"
        if not isinstance(lv, dict):
            r.fail(lp, "must be a table")
            continue
        levels[key] = Level(key, r.text(lv, "label", lp), r.integer(lv, "min_years", lp, hi=60),
                            r.integer(lv, "max_years", lp, hi=60), r.number(lv, "years", lp, hi=60),
                            r.source_ref(lv, "source", lp, src), r.text(lv, "basis", lp, required=False),
                            r.source_ref(lv, "years_source", lp, src, required=False))
    for need in ("entry", "mid", "senior"):
        if need not in levels:
            r.fail(f"levels.{need}", "missing table")
    ordered = sorted(levels.values(), key=lambda lv: lv.min_years)
    for a, b in zip(ordered, ordered[1:]):
        if b.min_years != a.max_years + 1:
            r.fail(f"levels.{b.key}.min_years", f"must follow levels.{a.key}.max_years ({a.max_years}) without gap or overlap")
    for lv in ordered:
        if not lv.min_years <= lv.years <= lv.max_years:
            r.fail(f"levels.{lv.key}.years",
                   f"must be within the level's years ({lv.min_years}-{lv.max_years}), not {lv.years:g}")
    if ordered and ordered[0].min_years != 0:
        r.fail(f"levels.{ordered[0].key}.min_years", "the first level must start at 0 years")

    ex = r.table(doc, "experience", "")
    ep = "experience"
    experience = Experience(
        r.number(ex, "amplitude", ep, hi=2), r.number(ex, "time_constant", ep, positive=True, hi=100),
        r.number(ex, "market_years", ep, hi=50), r.number(ex, "max_yearly_rise", ep, positive=True, hi=1),
        r.source_ref(ex, "source", ep, src), r.text(ex, "basis", ep, required=False),
        r.source_ref(ex, "market_years_source", ep, src), r.text(ex, "market_years_basis", ep, required=False))
    first_year = experience.amplitude * (1 - math.exp(-1 / experience.time_constant))
    if ex and first_year > math.log1p(experience.max_yearly_rise) + 1e-9:
        r.fail("experience.amplitude", f"the curve's first year rises more than max_yearly_rise "
                                       f"({experience.max_yearly_rise:g}): lower amplitude or raise time_constant")

    bd = r.table(doc, "bounds", "")
    bounds = Bounds(r.number(bd, "experience_share", "bounds", positive=True, hi=0.95),
                    r.number(bd, "experience_knee", "bounds", hi=0.95), r.number(bd, "high_cap", "bounds", lo=1, hi=3),
                    r.number(bd, "band_knee", "bounds", hi=0.95),
                    r.source_ref(bd, "source", "bounds", src), r.text(bd, "basis", "bounds", required=False))
    if bd and len(r.problems) == 0:  # the whole market must stay exactly the published percentiles
        dists = [("national", national), *((c, s.wages) for c, s in states.items())]
        for code, dist in dists:
            room = math.log(bounds.high_cap * dist.p90 / dist.p50)
            if math.log(dist.p90 / dist.p50) > bounds.band_knee * room:
                r.fail("bounds.band_knee", f"too low for {code}: its p90 would be moved off the published figure "
                                           f"(needs at least {math.log(dist.p90 / dist.p50) / room:.3f})")
                break

    pc = r.table(doc, "precision", "")
    precision = Precision(r.number(pc, "wage_rse_max", "precision", positive=True, hi=100),
                          r.number(pc, "employment_rse_max", "precision", positive=True, hi=100),
                          r.source_ref(pc, "source", "precision", src), r.text(pc, "basis", "precision", required=False))

    pr = r.table(doc, "promotion", "")
    promotion_raise = r.number(pr, "raise", "promotion", hi=2)
    promotion_source = r.source_ref(pr, "source", "promotion", src)

    roles: dict[str, Role] = {}
    for key, ro in r.table(doc, "roles", "").items():
        rp = f"roles.{key}"
        if not isinstance(ro, dict):
            r.fail(rp, "must be a table")
            continue
        roles[key] = Role(key, r.text(ro, "label", rp), r.integer(ro, "steps_above_senior", rp, lo=1, hi=10),
                          r.integer(ro, "typical_years", rp, hi=60), r.source_ref(ro, "years_source", rp, src))
    for need in ("supervisor", "manager", "director"):
        if need not in roles:
            r.fail(f"roles.{need}", "missing table")
    by_steps = sorted(roles.values(), key=lambda ro: ro.steps_above_senior)
    for ra, rb in zip(by_steps, by_steps[1:]):
        if rb.typical_years < ra.typical_years:
            r.fail(f"roles.{rb.key}.typical_years", f"must not be below roles.{ra.key}.typical_years")

    cn = r.table(doc, "credential_net", "")
    net_share = r.number(cn, "share", "credential_net", positive=True, hi=1)
    net_source = r.source_ref(cn, "source", "credential_net", src)

    counts: dict[int, CountMultiplier] = {}
    for key, cm in r.table(doc, "credential_count", "").items():
        cp = f"credential_count.{key}"
        if not key.isdigit() or int(key) < 1 or not isinstance(cm, dict):
            r.fail(cp, "keys must be credential counts 1, 2, 3 … holding a table")
            continue
        counts[int(key)] = CountMultiplier(int(key), r.number(cm, "multiplier", cp, lo=1, hi=10),
                                           r.source_ref(cm, "source", cp, src), r.text(cm, "basis", cp, required=False))
    if 1 not in counts:
        r.fail("credential_count.1", "missing table")
    ks = sorted(counts)
    for n0, n1 in zip(ks, ks[1:]):  # (not a, b: those hold Levels above)
        if n1 != n0 + 1:  # the largest count caps the premium; a gap would silently reuse a smaller count's
            r.fail(f"credential_count.{n0 + 1}", f"missing table (counts must run 1, 2, 3 … without a gap; next is {n1})")
        if counts[n1].multiplier < counts[n0].multiplier:
            r.fail(f"credential_count.{n1}.multiplier",
                   f"must not be below credential_count.{n0} (a credential never lowers pay)")

    credentials: dict[str, Credential] = {}
    for code, c in r.table(doc, "credentials", "").items():
        cp = f"credentials.{code}"
        if not isinstance(c, dict):
            r.fail(cp, "must be a table")
            continue
        opt_int = {k: (r.integer(c, k, cp) if k in c else None)
                   for k in ("exam_fee", "first_year_membership", "yearly_membership", "apprentice_months",
                             "member_exam_fee", "two_attempt_exam_fee")}
        # cost_source: the memberships' source, and the exam fee's unless exam_fee_source names one (an
        # exam fee with neither is reported once, as a missing exam_fee_source)
        has_cost = any(k in c for k in ("first_year_membership", "yearly_membership"))
        credentials[code.upper()] = Credential(
            code=code.upper(), name=r.text(c, "name", cp), body=r.text(c, "body", cp),
            premium_note=r.text(c, "premium_note", cp, required=False),
            exam_fee=opt_int["exam_fee"], first_year_membership=opt_int["first_year_membership"],
            yearly_membership=opt_int["yearly_membership"],
            cost_source=r.source_ref(c, "cost_source", cp, src, required=has_cost) or None,
            cost_note=r.text(c, "cost_note", cp, required=False),
            apprentice_ratio=(r.number(c, "apprentice_ratio", cp, positive=True, hi=1) if "apprentice_ratio" in c else None),
            apprentice_source=r.source_ref(c, "apprentice_source", cp, src, required="apprentice_ratio" in c) or None,
            apprentice_basis=r.text(c, "apprentice_basis", cp, required=False),
            apprentice_months=opt_int["apprentice_months"],
            apprentice_months_source=r.source_ref(c, "apprentice_months_source", cp, src,
                                                  required="apprentice_months" in c) or None,
            premium=r.optional_number(c, "premium", cp, positive=True, hi=3),
            premium_source=r.source_ref(c, "premium_source", cp, src, required="premium" in c) or None,
            premium_basis=r.text(c, "premium_basis", cp, required=False),
            exam_fee_terms=r.text(c, "exam_fee_terms", cp, required=False),
            exam_fee_source=r.source_ref(c, "exam_fee_source", cp, src,
                                         required="exam_fee" in c and "cost_source" not in c) or None,
            member_exam_fee=opt_int["member_exam_fee"], two_attempt_exam_fee=opt_int["two_attempt_exam_fee"],
        )
    if not credentials:
        r.fail("credentials", "missing table")

    def factors(key: str, need: str) -> dict[str, Factor]:
        out: dict[str, Factor] = {}
        names: dict[str, str] = {}  # name_key of every key and alias -> the entry it names
        for k, f in r.table(doc, key, "").items():
            fp = f"{key}.{k}"
            if not isinstance(f, dict):
                r.fail(fp, "must be a table")
                continue
            med = r.optional_number(f, "median", fp, positive=True)
            emp = r.optional_number(f, "employment", fp, integer=True)
            out[k] = Factor(k, r.text(f, "label", fp), r.number(f, "factor", fp, positive=True, hi=10),
                            r.source_ref(f, "source", fp, src), r.text(f, "basis", fp, required=False),
                            None if med is None else int(med), None if emp is None else int(emp),
                            r.optional_number(f, "employment_rse", fp, hi=100), r.optional_number(f, "wage_rse", fp, hi=100),
                            r.strings(f, "aliases", fp))
        for k in out:
            names[name_key(k)] = k
        for k, f in out.items():
            for alias in f.aliases:
                other = names.setdefault(name_key(alias), k)
                if other != k:
                    r.fail(f"{key}.{k}.aliases", f"{alias!r} also names {key}.{other}; a name must mean one entry")
        if out and need not in out:
            r.fail(f"{key}.{need}", "missing table (the reference entry)")
        return out

    specialties = factors("specialties", "general")
    settings = factors("settings", "any")
    rm = r.table(doc, "remote", "")
    remote = Factor("remote", "Remote (national pay)", r.number(rm, "factor", "remote", positive=True, hi=10),
                    r.source_ref(rm, "source", "remote", src), r.text(rm, "basis", "remote", required=False))

    def ranges(key: str, required: bool) -> dict[str, Range]:
        out: dict[str, Range] = {}
        for k, v in r.table(doc, key, "", required=required).items():
            rp = f"{key}.{k}"
            if not isinstance(v, dict):
                r.fail(rp, "must be a table")
                continue
            before = len(r.problems)
            lo, hi = r.integer(v, "low", rp), r.integer(v, "high", rp)
            if len(r.problems) == before and lo > hi:
                r.fail(f"{rp}.low", f"low ({lo}) is above high ({hi})")
            out[k] = Range(k, r.text(v, "label", rp), lo, hi, r.source_ref(v, "source", rp, src))
        return out

    training = ranges("training", required=False)
    related = ranges("related", required=False)
    bn = r.table(doc, "benefits", "")
    work_days = r.integer(bn, "work_days_per_year", "benefits", lo=1, hi=366)
    work_days_source = r.source_ref(bn, "source", "benefits", src)
    hours = r.integer(bn, "hours_per_year", "benefits", lo=1, hi=8784) if "hours_per_year" in bn else None

    tax = _build_tax(doc, r, src) if "tax" in doc else None
    backtest = _build_backtest(doc, r, src)
    ck = r.table(doc, "check", "")
    industry_tolerance = r.number(ck, "industry_tolerance", "check", positive=True, hi=1)
    r.source_ref(ck, "source", "check", src)
    r.text(ck, "basis", "check", required=False)

    return Table(
        path=path, occupation=occupation, wage_year=wage_year, price_year=price_year, sources=sources,
        national=national, national_employment=national_employment, national_mean=national_mean,
        national_source=national_source, national_employment_rse=national_rse[0], national_wage_rse=national_rse[1],
        growth_rate=growth, growth_source=growth_source, growth_basis=growth_basis,
        states=states, market_positions=market_positions, market_source=market_source,
        market_basis=r.text(mk, "basis", "market", required=False), levels=levels, experience=experience,
        bounds=bounds, precision=precision, credential_net_share=net_share, credential_net_source=net_source,
        credential_net_basis=r.text(cn, "basis", "credential_net", required=False),
        promotion_raise=promotion_raise, promotion_source=promotion_source,
        promotion_basis=r.text(pr, "basis", "promotion", required=False), roles=roles,
        credential_counts=counts, credentials=credentials, training=training, specialties=specialties,
        settings=settings, remote=remote, work_days_per_year=work_days, work_days_source=work_days_source,
        related=related, backtest=backtest, industry_tolerance=industry_tolerance, tax=tax,
        state_names=state_names,
        hours_per_year=hours, hours_source=work_days_source if hours is not None else "",
    )


_PROFILE_KEYS = frozenset({"state", "cert", "years", "level", "specialty", "setting", "remote"})


def _build_backtest(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> tuple[BacktestEntry, ...]:
    """[backtest.*]: optional; each entry a profile (inline table of estimate options) and a published level,
    ratio (with `versus`) or range (`low`/`high`)."""
    out: list[BacktestEntry] = []
    for key, b in r.table(doc, "backtest", "", required=False).items():
        bp = f"backtest.{key}"
        if not isinstance(b, dict):
            r.fail(bp, "must be a table")
            continue
        profiles: list[dict[str, Any] | None] = []
        for name in ("profile", "versus"):
            v = b.get(name)
            if v is None and name == "versus":
                profiles.append(None)
                continue
            if not isinstance(v, dict) or set(v) - _PROFILE_KEYS:
                r.fail(f"{bp}.{name}", f"must be an inline table of {', '.join(sorted(_PROFILE_KEYS))}")
                v = {}
            profiles.append(v)
        has_range = "low" in b or "high" in b
        before = len(r.problems)
        low, high = r.optional_number(b, "low", bp, positive=True), r.optional_number(b, "high", bp, positive=True)
        if ("low" in b) != ("high" in b):
            r.fail(f"{bp}.{'high' if 'low' in b else 'low'}", "missing (a range needs both low and high)")
        elif low is not None and high is not None and len(r.problems) == before and low > high:
            r.fail(f"{bp}.low", f"low ({low:g}) is above high ({high:g})")
        entry = BacktestEntry(
            key, r.text(b, "label", bp), profiles[0] or {}, r.source_ref(b, "source", bp, src),
            r.number(b, "tolerance", bp, positive=True, hi=1),
            r.text(b, "statistic", bp, required=False) or ("range" if has_range else "mean"),
            r.optional_number(b, "published", bp, positive=True), profiles[1],
            r.optional_number(b, "versus_published", bp, positive=True),
            low, high, r.boolean(b, "held", bp) if "held" in b else True, r.text(b, "note", bp, required=False))
        if has_range == (entry.published is not None) or (entry.versus is None) != (entry.versus_published is None):
            r.fail(bp, "needs either `published` (with `versus` and `versus_published` for a ratio) or `low` and `high`")
        stats = ("range",) if has_range else ("mean", "median")
        if entry.statistic not in stats:
            r.fail(f"{bp}.statistic", f"must be {' or '.join(repr(x) for x in stats)}, not {entry.statistic!r}")
        out.append(entry)
    return tuple(out)


def _build_tax(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> TaxTable:
    t = r.table(doc, "tax", "")
    year = r.integer(t, "year", "tax", lo=1990, hi=2100)
    source = r.source_ref(t, "source", "tax", src)
    fed = r.table(t, "federal", "tax")
    fica = r.table(t, "fica", "tax")
    states: dict[str, StateTax] = {}
    for code, s in r.table(t, "states", "tax").items():
        sp = f"tax.states.{code}"
        if not isinstance(s, dict):
            r.fail(sp, "must be a table")
            continue
        states[code] = _state_tax(r, code, s, sp)
    missing = sorted(USPS - set(states))
    if missing:
        r.fail("tax.states", f"every state and DC must be present; missing: {', '.join(missing)}")
    return TaxTable(
        year=year, source=source, federal_brackets=r.brackets(fed, "tax.federal"),
        federal_standard_deduction=r.number(fed, "standard_deduction", "tax.federal"),
        social_security_rate=r.number(fica, "social_security_rate", "tax.fica", hi=0.5),
        social_security_wage_base=r.number(fica, "social_security_wage_base", "tax.fica"),
        medicare_rate=r.number(fica, "medicare_rate", "tax.fica", hi=0.5),
        additional_medicare_rate=r.number(fica, "additional_medicare_rate", "tax.fica", hi=0.5),
        additional_medicare_threshold=r.number(fica, "additional_medicare_threshold", "tax.fica"),
        states=states, local=_local_taxes(r, t, src),
    )


def _schedule(r: _Reader, d: dict[str, Any], key: str, path: str, hi: float | None = None) -> tuple[tuple[float, float], ...]:
    """An optional [[income from, value], ...] list with rising income (absent: ())."""
    v = d.get(key)
    if v is None:
        return ()
    full = f"{path}.{key}"
    ok = isinstance(v, list) and v and all(
        isinstance(b, list) and len(b) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                    and math.isfinite(x) and x >= 0 for x in b) for b in v)
    if not ok:
        r.fail(full, f"must be a list of [income from, value] pairs of numbers of at least 0, not {v!r}"[:200])
        return ()
    out = tuple((float(a), float(b)) for a, b in v)
    if any(b[0] <= a[0] for a, b in zip(out, out[1:])):
        r.fail(full, "the incomes must rise")
    if hi is not None and any(x > hi for _, x in out):
        r.fail(full, f"values must be at most {hi:g}")
    return out


def _steps(r: _Reader, d: dict[str, Any], key: str, path: str) -> tuple[Steps, ...]:
    """`key = [[start, increment, amount, max], ...]` with `key_labels = [...]` beside it (absent: ())."""
    v = d.get(key)
    labels_key = key.removesuffix("s") + "_labels"
    labels = d.get(labels_key)
    if v is None and labels is None:
        return ()
    full = f"{path}.{key}"
    if v is None:
        r.fail(full, f"missing ({labels_key} names its entries)")
        return ()
    ok = isinstance(v, list) and all(
        isinstance(b, list) and len(b) == 4 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                    and math.isfinite(x) and x >= 0 for x in b) and b[1] > 0 for b in v)
    if not ok:
        r.fail(full, f"must be a list of [start, increment, amount, max] of numbers of at least 0 (increment above 0), "
                     f"not {v!r}"[:240])
        return ()
    if not (isinstance(labels, list) and len(labels) == len(v) and all(isinstance(x, str) and x.strip() for x in labels)):
        r.fail(f"{path}.{labels_key}", f"must be a list of {len(v)} names, one per entry of {key}")
        labels = [""] * len(v)
    return tuple(Steps(lb, float(a), float(i), float(m), float(mx)) for lb, (a, i, m, mx) in zip(labels, v))


def _left_out(r: _Reader, s: dict[str, Any], sp: str) -> tuple[LeftOut, ...]:
    """`left_out = ["...", ...]` with `left_out_above = [income, ...]` (0: at every income) beside it."""
    texts, above = s.get("left_out"), s.get("left_out_above")
    if texts is None and above is None:
        return ()
    if texts is None:
        r.fail(f"{sp}.left_out", "missing (left_out_above gives the incomes of its entries)")
        return ()
    if not isinstance(texts, list) or not all(isinstance(x, str) and x.strip() for x in texts):
        r.fail(f"{sp}.left_out", "must be a list of what the model leaves out, in words")
        return ()
    if not (isinstance(above, list) and len(above) == len(texts) and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x >= 0 for x in above)):
        r.fail(f"{sp}.left_out_above", f"must be a list of {len(texts)} incomes of at least 0 (0: at every income), "
                                        "one per entry of left_out")
        above = [0] * len(texts)
    return tuple(LeftOut(t, float(a) or None) for t, a in zip(texts, above))


_LOCAL_BASES = ("wages", "state_taxable_income", "state_tax", "flat")
_LOCAL_KINDS = ("city", "county", "occupational", "school_district", "metro")
_RULE_KEYS = ("base", "rates", "whole", "exemption", "per_year", "wage_threshold")


def _local_rule(r: _Reader, d: dict[str, Any], who: str, path: str) -> LocalRule | None:
    """The `<who>_*` keys of a jurisdiction (resident_base, resident_rates, ...): None when it has none."""
    if not any(f"{who}_{k}" in d for k in _RULE_KEYS):
        return None
    base = r.text(d, f"{who}_base", path)
    if base and base not in _LOCAL_BASES:
        r.fail(f"{path}.{who}_base", f"must be one of {', '.join(_LOCAL_BASES)}, not {base!r}")
    rates = _schedule(r, d, f"{who}_rates", path, hi=1)
    per_year = 0.0
    if base == "flat":
        per_year = r.number(d, f"{who}_per_year", path, positive=True)
    elif base and not rates and f"{who}_rates" not in d:
        r.fail(f"{path}.{who}_rates", "missing (a rate-based local tax needs [[floor, rate], ...])")
    whole = r.boolean(d, f"{who}_whole", path) if f"{who}_whole" in d else False
    return LocalRule(base, rates, whole, r.optional_number(d, f"{who}_exemption", path) or 0.0, per_year,
                     r.optional_number(d, f"{who}_wage_threshold", path) or 0.0,
                     r.text(d, f"{who}_basis", path, required=False))


def _local_taxes(r: _Reader, t: dict[str, Any], src: dict[str, Any]) -> dict[str, LocalJurisdiction]:
    """[tax.local.*]: optional; every jurisdiction with its matching keys and rules."""
    out: dict[str, LocalJurisdiction] = {}
    for key, d in r.table(t, "local", "tax", required=False).items():
        p = f"tax.local.{key}"
        if not isinstance(d, dict):
            r.fail(p, "must be a table")
            continue
        state, kind = r.text(d, "state", p), r.text(d, "kind", p)
        if state and state not in USPS:
            r.fail(f"{p}.state", f"must be a state code, not {state!r}")
        if kind and kind not in _LOCAL_KINDS:
            r.fail(f"{p}.kind", f"must be one of {', '.join(_LOCAL_KINDS)}, not {kind!r}")
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("counties", "cities"):
            v = d.get(name)
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                r.fail(f"{p}.{name}", "missing" if v is None else "must be a list of names or codes (may be empty)")
                v = []
            lists[name] = tuple(v)
        for c in lists["counties"]:
            if not (len(c) == 5 and c.isdigit()):
                r.fail(f"{p}.counties", f"{c!r} is not a 5-digit county FIPS code")
        if not lists["counties"] and not lists["cities"] and "counties" in d and "cities" in d:
            r.fail(f"{p}.cities", "counties and cities are both empty: nothing would match this jurisdiction")
        res, non = _local_rule(r, d, "resident", p), _local_rule(r, d, "nonresident", p)
        if res is None and non is None:
            r.fail(f"{p}.resident_base", "missing: a jurisdiction needs a resident or a nonresident rule (or both)")
        out[key] = LocalJurisdiction(
            key, r.text(d, "name", p), state, kind, r.boolean(d, "work_based", p), lists["counties"], lists["cities"],
            res, non, r.source_ref(d, "source", p, src), r.text(d, "effective", p, required=False),
            r.text(d, "note", p, required=False))
    return out


def _state_tax(r: _Reader, code: str, s: dict[str, Any], sp: str) -> StateTax:
    def opt(key: str, **kw: Any) -> float | None:
        return r.number(s, key, sp, **kw) if key in s else None

    def pair(start_key: str, rate_key: str) -> tuple[float, float]:
        start, rate = opt(start_key), opt(rate_key, hi=1)
        if (start is None) != (rate is None):
            r.fail(f"{sp}.{rate_key if rate is None else start_key}",
                   f"{start_key} and {rate_key} go together; give both or neither")
        return start or 0.0, rate or 0.0

    misstate = r.boolean(s, "brackets_misstate", sp)
    note = r.text(s, "note", sp, required=False)
    caveat = r.text(s, "caveat", sp, required=False)
    if misstate and not (caveat.strip() or note.strip()):
        r.fail(f"{sp}.note", "is missing or empty, but brackets_misstate is true: a note (or a caveat) must say what the "
                                "brackets misstate")
    credit_start, credit_rate = pair("credit_phaseout_start", "credit_phaseout_rate")
    if "deduction_phaseout_width" in s:
        ded_start, ded_rate = r.number(s, "deduction_phaseout_start", sp), 0.0
    elif "deduction_phaseout_start" in s and "deduction_phaseout_rate" not in s:
        for k in ("deduction_phaseout_rate", "deduction_phaseout_width"):
            r.fail(f"{sp}.{k}", "missing: deduction_phaseout_start and deduction_phaseout_rate (or _width) go together")
        ded_start, ded_rate = 0.0, 0.0
    else:
        ded_start, ded_rate = pair("deduction_phaseout_start", "deduction_phaseout_rate")
    red_keys = ("exemption_reduction_start", "exemption_reduction_increment", "exemption_reduction_amount")
    red = None
    if any(k in s for k in red_keys):
        for k in red_keys:
            if k not in s:
                r.fail(f"{sp}.{k}", f"missing: {', '.join(red_keys)} go together")
        red = Steps("", opt(red_keys[0]) or 0.0, opt(red_keys[1], positive=True) or 1.0, opt(red_keys[2]) or 0.0)
    left = _left_out(r, s, sp)
    if misstate != bool(left) and left:
        r.fail(f"{sp}.brackets_misstate", "must be true when left_out names what the model leaves out")
    return StateTax(
        code, r.brackets(s, sp), r.number(s, "standard_deduction", sp), r.number(s, "personal_exemption", sp),
        misstate, note, caveat=caveat, credit=opt("credit") or 0.0, credit_income_limit=opt("credit_income_limit"),
        credit_phaseout_start=credit_start, credit_phaseout_rate=credit_rate,
        deduction_phaseout_start=ded_start, deduction_phaseout_rate=ded_rate,
        exemption_income_limit=opt("exemption_income_limit"), basis=r.text(s, "basis", sp, required=False),
        exemption_schedule=_schedule(r, s, "exemption_schedule", sp),
        exemption_reduction=red,
        credit_taxable_income_below=opt("credit_taxable_income_below"),
        federal_tax_deduction_rates=_schedule(r, s, "federal_tax_deduction_rates", sp, hi=1),
        federal_tax_deduction_caps=_schedule(r, s, "federal_tax_deduction_caps", sp),
        deduction_minimum=opt("deduction_minimum"), deduction_minimum_above=opt("deduction_minimum_above") or 0.0,
        deduction_phaseout_width=opt("deduction_phaseout_width", positive=True) or 0.0,
        tax_add_backs=_steps(r, s, "tax_add_backs", sp),
        credit_fraction_schedule=_schedule(r, s, "credit_fraction_schedule", sp, hi=1),
        fica_deduction_cap=opt("fica_deduction_cap"), refundable_credit=opt("refundable_credit") or 0.0,
        refundable_credit_label=r.text(s, "refundable_credit_label", sp, required=False),
        law_sources=r.text(s, "law_sources", sp, required=False), left_out=left,
        local_gap=r.text(s, "local_gap", sp, required=False),
    )


USPS = frozenset(
    "AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV "
    "NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY".split()
)
