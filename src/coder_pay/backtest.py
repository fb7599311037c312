"""The back-test behind `coder-pay data check`: every published figure the model can be held to, next to
the model's answer for the same profile, with the relative error and whether it is within tolerance.

Families (in this order):

- `states`: each state's BLS median against the model's typical pay for the state's whole market (no
  options). Exact by construction, still checked, at tolerance 0 (whole dollars).
- `national`: the BLS national p10 / p25 / p50 / p75 / p90 against the national whole-market profile's
  distribution (`Estimate.profile`), at tolerance 0 (whole dollars).
- `industries`: each work setting with a BLS industry `median` against the national whole-market typical
  pay with that setting, at the table's [check] industry_tolerance.
- `metros`, `nonmetro`: each place with published wages (places.toml): its BLS p25 / median / p75 against the
  band of its whole market (no options), at tolerance 0 (whole dollars).
- `levels`, `ratios`, `ranges`: the table's [backtest.*] entries. A level (`published`) is compared with the
  profile's typical pay; a mean is first put on the median footing by the BLS median / mean of the profile's
  area (national unless the profile names a state and is not remote). A ratio (`versus`, `versus_published`)
  compares published / versus_published with the model's typical(profile) / typical(versus): a ratio of two
  means or of two medians needs no conversion. A range (`low`, `high`) passes when the typical pay lies in
  [low x (1 - tolerance), high x (1 + tolerance)]; its error is 0 inside [low, high], else the relative
  distance to the nearer end. An entry with `held = false` is shown with its note and never fails.

Pure: no printing, no files, no Typer or Rich.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .model import Pricer
from .query import Query, UsageError, build_query
from .table import BacktestEntry, Problem, Table, TableError

FAMILIES = ("states", "national", "industries", "levels", "ratios", "ranges", "metros", "nonmetro")
# The BLS figures the model starts from are reproduced exactly (to the dollar) for the whole market.
EXACT = 0.0
# Rounding slack in the pass test: a figure exactly at the edge of its tolerance passes.
EPSILON = 1e-9


class Check(NamedTuple):
    """One published figure against the model's answer for the same profile."""

    family: str  # one of FAMILIES
    key: str  # stable id: "states.CA", "national.p10", "settings.hospital", "backtest.aapc_2025_certified"
    label: str  # what a person reads: "California", "AAPC 2025: certified average"
    profile: str  # the profile priced: "US, whole market", "US, CPC, 27 years / US, CPC, 1 year"
    unit: str  # "dollars" or "ratio"
    statistic: str  # what the source published: "median", "percentile", "mean", "range"
    published: float | None  # the figure held to, on the model's footing (a mean made a median); None for a range
    low: float | None  # a range's ends (None otherwise)
    high: float | None
    as_published: tuple[float, ...]  # the figures as the source gives them (a ratio's two levels; a range's ends)
    model: float  # the model's typical pay (whole dollars), or its ratio of two typical pays
    error: float  # relative: model / published - 1; for a range 0 inside it, else from the nearer end
    tolerance: float
    passed: bool  # |error| <= tolerance
    held: bool  # False: shown, never fails
    source: str  # key into Table.sources
    note: str = ""

    @property
    def failed(self) -> bool:
        """A held check outside its tolerance: what makes `data check` exit 1."""
        return self.held and not self.passed


class Summary(NamedTuple):
    """One family's result: how many checks, how many held and passed, and the worst held error."""

    family: str
    title: str
    total: int  # how many checks (not `count`: a NamedTuple field must not shadow tuple.count())
    held: int
    passed: int  # held checks that passed
    worst: Check | None  # the held check with the largest |error| (None when none is held)
    outside: int = 0  # checks not held that are outside their tolerance

    @property
    def failed(self) -> int:
        return self.held - self.passed

    @property
    def not_held(self) -> int:
        return self.total - self.held


class Footing(NamedTuple):
    """How a published mean is put on the model's (median) footing: mean x median / mean (national figures)."""

    median: float
    mean: float

    @property
    def factor(self) -> float:
        return self.median / self.mean


class Backtest(NamedTuple):
    checks: tuple[Check, ...]
    summaries: tuple[Summary, ...]
    footing: Footing  # the national one (a state's profile uses its state's)
    families: tuple[str, ...]  # the families checked (all, or the one asked for)

    @property
    def ok(self) -> bool:
        """Every held check passed."""
        return not any(c.failed for c in self.checks)

    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.failed)

    def shown(self, failed_only: bool = False) -> tuple[Check, ...]:
        return self.failures() if failed_only else self.checks


def family_title(table: Table, family: str) -> str:
    return {
        "states": f"BLS state medians, May {table.wage_year}",
        "national": f"BLS national percentiles, May {table.wage_year}",
        "industries": f"BLS industry medians, May {table.wage_year}",
        "levels": "Published averages and medians",
        "ratios": "Published pay ratios",
        "ranges": "Published ranges",
        "metros": f"BLS metro p25 / median / p75, May {table.wage_year}",
        "nonmetro": f"BLS nonmetro area p25 / median / p75, May {table.wage_year}",
    }[family]


def entry_family(entry: BacktestEntry) -> str:
    """A [backtest.*] entry's family: a range (low/high), a ratio (with `versus`), else a level."""
    if entry.published is None:
        return "ranges"
    return "ratios" if entry.versus is not None else "levels"


# --------------------------------------------------------------------------- the rules


def relative_error(model: float, published: float) -> float:
    return model / published - 1


def range_error(model: float, low: float, high: float) -> float:
    """0 inside [low, high]; below it, (model - low) / low (negative); above it, (model - high) / high."""
    if model < low:
        return (model - low) / low
    if model > high:
        return (model - high) / high
    return 0.0


def within(error: float, tolerance: float) -> bool:
    return abs(error) <= tolerance + EPSILON


def footing(table: Table, q: Query) -> Footing:
    """The median / mean of the area a profile is priced in: national for remote work or no state."""
    if q.remote or q.state is None:
        return Footing(table.national.p50, table.national_mean)
    st = table.states[q.state]
    return Footing(st.wages.p50, st.mean)


def profile_query(table: Table, where: str, profile: dict[str, Any]) -> Query:
    """A [backtest.*] profile (state, cert, years, level, specialty, setting, remote) as a validated Query;
    a bad one is a TableError naming its key."""
    def bad(message: str) -> TableError:
        return TableError(table.path, [Problem(where, message)])

    certs = profile.get("cert", [])
    if isinstance(certs, str):
        certs = [certs]
    if not isinstance(certs, list) or not all(isinstance(c, str) for c in certs):
        raise bad("cert must be a list of credential codes, such as [\"CPC\"]")
    text: dict[str, str | None] = {}
    for k in ("state", "level", "specialty", "setting"):
        v = profile.get(k)
        if v is not None and not isinstance(v, str):
            raise bad(f"{k} must be a string, not {type(v).__name__} {v!r}")
        text[k] = v
    remote = profile.get("remote", False)
    if not isinstance(remote, bool):
        raise bad(f"remote must be true or false, not {remote!r}")
    try:
        return build_query(table, state=text["state"], certs=certs, years=profile.get("years"), level=text["level"],
                           specialty=text["specialty"], setting=text["setting"], remote=remote)
    except UsageError as e:
        raise bad(e.message) from None


def describe(table: Table, q: Query) -> str:
    """A profile in a few words: 'US, whole market', 'CA, CPC, COC, 27 years, setting hospital'."""
    parts = [f"{q.area.code} ({q.area.state})" if q.area is not None and q.state is None  # a territory's area
             else "US" if q.state is None else q.state if q.area is None else f"{q.area.code} ({q.state})"]
    if q.remote:
        parts.append("remote")
    parts.extend(q.credentials)
    if q.years is not None:
        parts.append(f"{q.years} year{'s' if q.years != 1 else ''}")
    elif q.level is not None:
        parts.append(q.level)
    if q.specialty != "general":
        parts.append(f"specialty {q.specialty}")
    if q.setting != "any":
        parts.append(f"setting {q.setting}")
    if len(parts) == 1:
        parts.append("whole market")
    return ", ".join(parts)


# --------------------------------------------------------------------------- the families


def _dollars_check(family: str, key: str, label: str, profile: str, statistic: str, published: float, model: float,
                   tolerance: float, source: str, as_published: float | None = None, held: bool = True,
                   note: str = "") -> Check:
    err = relative_error(model, published)
    return Check(family, key, label, profile, "dollars", statistic, published, None, None,
                 (published if as_published is None else as_published,), model, err, tolerance,
                 within(err, tolerance), held, source, note)


def state_checks(table: Table, price: Pricer) -> list[Check]:
    out = []
    for code, st in table.states.items():
        q = build_query(table, state=code)
        out.append(_dollars_check("states", f"states.{code}", st.name, describe(table, q), "median", st.wages.p50,
                                  price(q).band.mid, EXACT, st.wage_source))
    return out


def national_checks(table: Table, price: Pricer) -> list[Check]:
    from .model import round_dollars

    q = build_query(table)
    prof = price(q).profile
    return [_dollars_check("national", f"national.p{p}", f"p{p}", describe(table, q), "percentile", published,
                           round_dollars(prof.at(p)), EXACT, table.national_source)
            for p, published in table.national.points()]


def place_checks(table: Table, price: Pricer, kind: str) -> list[Check]:
    """Each metro's or nonmetro area's published p25 / median / p75 against its whole-market band."""
    from .places import Location, load_places

    pls = load_places(table)
    out = []
    for pl in (pls.metros if kind == "metro" else pls.nonmetro).values():
        if pl.wages is None or pl.wage_source is None:
            continue
        st = None if pl.territory else pl.state  # a territory's area has no state of the table
        q = build_query(table, state=st)._replace(area=Location(pl.code, pl.kind, pl.name, pl.state, pl.code))
        band = price(q).band
        fam = "metros" if kind == "metro" else "nonmetro"
        for stat, published, model in (("p25", pl.wages.p25, band.low), ("median", pl.wages.p50, band.mid),
                                       ("p75", pl.wages.p75, band.high)):
            out.append(_dollars_check(fam, f"{fam}.{pl.code}.{stat}", f"{pl.name}, {stat}", describe(table, q),
                                      "median" if stat == "median" else "percentile", published, model, EXACT,
                                      pl.wage_source))
    return out


def metro_checks(table: Table, price: Pricer) -> list[Check]:
    return place_checks(table, price, "metro")


def nonmetro_checks(table: Table, price: Pricer) -> list[Check]:
    return place_checks(table, price, "nonmetro")


def industry_checks(table: Table, price: Pricer) -> list[Check]:
    out = []
    for key, s in table.settings.items():
        if s.median is None:
            continue
        q = build_query(table, setting=key)
        out.append(_dollars_check("industries", f"settings.{key}", s.label, describe(table, q), "median", s.median,
                                  price(q).band.mid, table.industry_tolerance, s.source))
    return out


def entry_check(table: Table, price: Pricer, entry: BacktestEntry) -> Check:
    """One [backtest.*] entry against the model."""
    where = f"backtest.{entry.key}"
    q = profile_query(table, f"{where}.profile", entry.profile)
    typical = float(price(q).band.mid)
    family = entry_family(entry)
    if family == "ranges":
        low, high = float(entry.low or 0), float(entry.high or 0)
        err = range_error(typical, low, high)
        return Check(family, where, entry.label, describe(table, q), "dollars", "range", None, low, high, (low, high),
                     typical, err, entry.tolerance, within(err, entry.tolerance), entry.held, entry.source, entry.note)
    published = float(entry.published or 0)
    if family == "ratios":
        vq = profile_query(table, f"{where}.versus", entry.versus or {})
        versus = float(entry.versus_published or 0)
        ratio = published / versus
        model = typical / price(vq).band.mid
        err = relative_error(model, ratio)
        return Check(family, where, entry.label, f"{describe(table, q)} / {describe(table, vq)}", "ratio",
                     entry.statistic, ratio, None, None, (published, versus), model, err, entry.tolerance,
                     within(err, entry.tolerance), entry.held, entry.source, entry.note)
    level = published * footing(table, q).factor if entry.statistic == "mean" else published
    return _dollars_check(family, where, entry.label, describe(table, q), entry.statistic, level, typical,
                          entry.tolerance, entry.source, as_published=published, held=entry.held, note=entry.note)


def entry_checks(table: Table, price: Pricer, family: str) -> list[Check]:
    out: list[Check] = []
    problems: list[Problem] = []
    for entry in table.backtest:
        if entry_family(entry) != family:
            continue
        try:
            out.append(entry_check(table, price, entry))
        except TableError as e:
            problems.extend(e.problems)
    if problems:
        raise TableError(table.path, problems)
    return out


def summarise(table: Table, family: str, checks: list[Check]) -> Summary:
    held = [c for c in checks if c.held]
    worst = max(held, key=lambda c: abs(c.error), default=None)
    return Summary(family, family_title(table, family), len(checks), len(held), sum(c.passed for c in held), worst,
                   sum(not c.passed for c in checks if not c.held))


def run_backtest(table: Table, families: tuple[str, ...] = FAMILIES) -> Backtest:
    """Every check of the asked families (all by default). A [backtest.*] profile that does not make a valid
    query raises TableError (every such problem, each with its key)."""
    price = Pricer(table)
    build = {"states": state_checks, "national": national_checks, "industries": industry_checks,
             "metros": metro_checks, "nonmetro": nonmetro_checks}
    checks: list[Check] = []
    summaries: list[Summary] = []
    problems: list[Problem] = []
    for fam in (f for f in FAMILIES if f in families):
        try:
            rows = build[fam](table, price) if fam in build else entry_checks(table, price, fam)
        except TableError as e:
            problems.extend(e.problems)
            continue
        checks.extend(rows)
        summaries.append(summarise(table, fam, rows))
    if problems:
        raise TableError(table.path, problems)
    return Backtest(tuple(checks), tuple(summaries), Footing(table.national.p50, table.national_mean),
                    tuple(f for f in FAMILIES if f in families))
