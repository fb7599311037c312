"""The pay model: from a `Query` and a `Table` to an `Estimate`. Kept whole (one piece, about 750 lines): the
rules, `estimate` and batch's `Pricer` share them (`place_profile` places every profile) and are read together.

Pay is worked in log terms from the median of the state's BLS distribution (the national one for
remote work or no state), so that the published distribution is the referee:

    whole market (no experience given):  T = bound(o_gross, room = ln(p90 / p50))
    with experience y:                   T = curve(y) + bound(o_gross x net_share, room left by the curve)
    the profile's distribution:          v_X = p50 x exp(cap(T + ln(pX / p50)))   for X = 10, 25, 50, 75, 90
    band = (v25, v50, v75) x role x remote x growth
    adjusted band = band x price level(comparison area) / price level(where you live)

`o_gross` is the sum of the log pay ratios of credentials, specialty and work setting as the sources
give them (each measured on its own population). `curve(y)` is the experience curve, bounded
smoothly toward p90 (using `experience_share` of the room above the median) and toward p10 below
it. `bound` is `room x tanh(x / room)`: each effect counts less the more there already is, so
effects never simply multiply and typical pay never passes p90. `cap` keeps the high end under
`high_cap` x p90 and is the identity for the whole market, which therefore reads the state's
published percentiles exactly. Every number comes from the table. Pure: no printing, no files,
no Typer or Rich.
"""

import math
from typing import TYPE_CHECKING, NamedTuple

from . import vintage as _vintage
from .query import MAX_YEARS, ROLE_LEVELS, Query
from .table import PERCENTILES, CountMultiplier, Distribution, Source, Table

if TYPE_CHECKING:
    from .places import Place

US_PRICE_LEVEL = 100.0


class Band(NamedTuple):
    """An annual salary band in whole US dollars: low <= mid (typical) <= high."""

    low: int
    mid: int
    high: int

    def as_dict(self) -> dict[str, int]:
        return {"low": self.low, "mid": self.mid, "high": self.high}

    def scaled(self, k: float) -> "Band":  # (times cost_of_living's price ratio, in whole dollars)
        return tuple.__new__(Band, (round_dollars(self.low * k), round_dollars(self.mid * k), round_dollars(self.high * k)))


class FactorUse(NamedTuple):
    """One factor applied to an estimate, with where its number comes from."""

    factor: str  # stable id: state, experience, role, credentials, specialty, setting, bounds, remote, growth, price_level
    label: str  # what a person reads: "State wages", "Credentials"
    value: str  # the choice: "California (CA)", "CPC, CRC"
    multiplier: float | None  # the pay ratio as the source gives it; None where the factor is not a ratio
    detail: str  # "p25 / p50 / p75 of the state's wages", "x1.202"
    source: str  # key into Table.sources
    basis: str = ""

    def as_dict(self, table: Table) -> dict[str, object]:
        src = table.sources[self.source]
        return {"factor": self.factor, "label": self.label, "value": self.value, "multiplier": self.multiplier,
                "detail": self.detail, "basis": self.basis, "source": src.name, "source_key": src.key,
                "source_kind": src.kind, "year": src.year}


class Flag(NamedTuple):
    """A warning that an answer rests on thin data: `code` is stable (thin_data, article_only)."""

    code: str
    factor: str  # the factor it concerns: state, setting, specialty, role
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "factor": self.factor, "message": self.message}


class CostOfLiving(NamedTuple):
    basis: str  # "all" or "housing"
    area: str  # "US" or a state code
    area_name: str
    price_ratio: float  # the factor applied: area price level / home price level (not `index`: it would shadow tuple.index())
    home_price_level: float
    area_price_level: float
    band: Band

    def as_dict(self) -> dict[str, object]:
        return {"index": round(self.price_ratio, 4), "area": self.area, "area_name": self.area_name, "basis": self.basis,
                "price_level": round(self.home_price_level, 3), "area_price_level": round(self.area_price_level, 3),
                "band": self.band.as_dict()}


class Estimate(NamedTuple):
    query: Query
    band: Band
    col: CostOfLiving | None  # None: no price level where the job is (a territory's area: BEA publishes no parity)
    factors: tuple[FactorUse, ...]
    wage_year: int  # the year of the wages (after --as-of: that year)
    data_wage_year: int
    price_year: int
    positions: tuple[float, float, float]  # the band's percentiles of `profile`
    multiplier: float  # the plain multipliers applied after bounding (role, remote, growth)
    distribution: Distribution  # the state's (or national) published wages the estimate starts from
    profile: Distribution  # this profile's distribution: the band is read from it at `positions`
    notes: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()

    @property
    def priced_col(self) -> CostOfLiving:
        """`col` where a command needs it: all but estimate refuse a place without a price level before pricing."""
        if self.col is None:
            raise ValueError(f"{self.query.work_place}: no price level (a territory's area), refused before pricing")
        return self.col

    def sources(self, table: Table) -> list[Source]:
        seen: dict[str, Source] = {}
        for f in self.factors:
            seen.setdefault(f.source, table.sources[f.source])
        return list(seen.values())


# --------------------------------------------------------------------------- the rules


def round_dollars(x: float) -> int:
    """Whole dollars, halves up (money is never negative here). (int(x + 0.5), through math.floor where they agree:
    it is quicker, and batch rounds six amounts a row.)"""
    return _floor(x + 0.5) if x >= -0.5 else int(x + 0.5)


_floor = math.floor


def soft_cap(x: float, bound: float, knee: float) -> float:
    """x below knee x bound; above it, rising ever more slowly toward `bound` (never reaching it). Increasing,
    with slope 1 at the knee, so a bounded effect never falls and never grows faster than it would unbounded."""
    if bound <= 0:
        return min(x, 0.0)
    start = knee * bound
    if x <= start:
        return x
    rest = bound - start
    return start + rest * math.tanh((x - start) / rest)


def experience_effect(table: Table, years: float) -> float:
    """The experience curve in log pay, 0 at the market's median experience: rises fastest early, flattens."""
    ex = table.experience
    return ex.amplitude * (math.exp(-ex.market_years / ex.time_constant) - math.exp(-years / ex.time_constant))


def wage_distribution(table: Table, q: Query) -> tuple[Distribution, FactorUse]:
    """The distribution the band is read from: national for remote work or no state; a place's own where the
    sources publish its wages (a metro's tails derived from its state's shape); else the state's."""
    if q.remote or (q.state is None and q.area is None):  # a place without a state: a territory's area, its wages
        why = "remote: pay set nationally" if q.remote else "no state given"
        return table.national, FactorUse("state", "Wages", f"United States ({why})", None,
                                         "BLS national percentiles", table.national_source)
    pl = _place(table, q)
    if pl is not None and pl.wages is not None and pl.wage_source:
        if pl.tails_derived:
            from .places import load_places

            tails = load_places(table)
            sname = table.states[pl.state].name
            return pl.wages, FactorUse("area", "Wages", f"{pl.name} (metro {pl.code})", None,
                                       f"BLS p25 / median / p75 for the metro; p10 / p90 derived from {sname}'s shape",
                                       pl.wage_source, tails.tails_basis)
        return pl.wages, FactorUse("area", "Wages", f"{pl.name} ({pl.code})", None,
                                   "BLS percentiles for the nonmetro area", pl.wage_source)
    st = table.states[q.state or ""]  # a state here: only a territory's area has none, and it has wages
    if pl is not None:
        return st.wages, FactorUse("state", "Wages", f"{st.name} ({st.code}): none published for {pl.name}", None,
                                   "BLS percentiles for the state", st.wage_source)
    return st.wages, FactorUse("state", "Wages", f"{st.name} ({st.code})", None,
                               "BLS percentiles for the state", st.wage_source)


def _place(table: Table, q: Query) -> "Place | None":
    """The metro or nonmetro area of --area / --zip (None: none, or a place priced as its state)."""
    if q.area is None or q.area.kind not in ("metro", "nonmetro"):
        return None
    from .places import place_of

    return place_of(table, q.area.code)


def wages_key(table: Table, q: Query) -> tuple[str | None, Distribution]:
    """Which published distribution a query reads (a place code, a state code, None: national) and that
    distribution: what `wage_distribution` picks, without its explanation."""
    if q.remote or (q.state is None and q.area is None):  # a place without a state: a territory's area
        return None, table.national
    pl = _place(table, q)
    return (pl.code, pl.wages) if pl is not None and pl.wages is not None else (q.state, table.states[q.state or ""].wages)


def experience_years(table: Table, q: Query) -> float | None:
    """The years of experience the profile is priced at: --years, else the level's `years`, else a role's
    typical years; None for the whole market."""
    if q.years is not None:
        return q.years
    if q.level in ROLE_LEVELS:
        return float(table.roles[q.level].typical_years)
    if q.level is not None:
        return table.levels[q.level].years
    return None


class Shift(NamedTuple):
    """Where the profile stands, in log pay from the distribution's median."""

    experience: float  # the bounded experience curve (0 for the whole market)
    others_raw: float  # credentials + specialty + setting as the sources give them (net with experience)
    others: float  # ... bounded
    room: float  # the room the other effects share
    total: float


class Area(NamedTuple):
    """The bounds a distribution sets, in log pay from its median (worked out once per distribution)."""

    dist: Distribution
    up: float  # ln(p90 / p50): the room above the median
    down: float  # ln(p50 / p10)
    room: float  # what the experience curve leaves of `up` to the other effects
    band_cap: float  # ln(high_cap x p90 / p50): no point of a coder's distribution passes it
    logs: tuple[float, ...]  # ln(pX / p50) for X = 10, 25, 50, 75, 90
    knee_start: float  # band_knee x band_cap: soft_cap bends a point above it (-inf: every point goes through soft_cap)


def area_of(table: Table, dist: Distribution) -> Area:
    up = math.log(dist.p90 / dist.p50)
    down = math.log(dist.p50 / dist.p10)
    room = up - bounded_experience(table, up, down, MAX_YEARS)
    cap = math.log(table.bounds.high_cap * dist.p90 / dist.p50)
    return Area(dist, up, down, room, cap, tuple(math.log(v / dist.p50) for _, v in dist.points()),
                table.bounds.band_knee * cap if cap > 0 else -math.inf)


def bounded_experience(table: Table, up: float, down: float, years: float) -> float:
    """The experience curve bounded toward p90 (using experience_share of the room above the median) and toward
    p10 below it."""
    b = table.bounds
    e = experience_effect(table, years)
    if e >= 0:
        return soft_cap(e, b.experience_share * up, b.experience_knee)
    return -soft_cap(-e, down, b.experience_knee)


def place_profile(table: Table, area: Area, years: float | None, others_gross: float, k: float = 1.0,
                  experience: float | None = None
                  ) -> tuple[Distribution, Band, tuple[float, float, float, float, float]]:
    """The profile's distribution, its band, and its position (Shift's fields, as a plain tuple: batch has no use
    for them). `experience`: the bounded curve at `years` when the caller already has it.

    Position: the experience curve, and the other effects (net of experience when years are given) added in log
    pay and bounded by the room left to p90: room x tanh(x / room) for a gain, so that each effect counts less
    the more there already is (never simply multiplied); a loss (x < 0) counts in full.
    Distribution: each published point moved by the position's total in log pay, the upper points kept under
    high_cap x p90 by soft_cap (the whole market, total = 0, keeps the published points), then times the plain
    multiplier k. Band: band_of. Written out as one function (batch runs it once per row; soft_cap is the
    identity up to its knee, so it is called only above `area.knee_start`)."""
    if years is None:
        exp, raw, room = 0.0, others_gross, area.up
    else:
        exp = bounded_experience(table, area.up, area.down, years) if experience is None else experience
        raw, room = others_gross * table.credential_net_share, area.room
    o = min(raw, 0.0) if raw <= 0 or room <= 0 else room * math.tanh(raw / room)
    total = o if years is None else exp + o
    cap, start, knee, p50, e = area.band_cap, area.knee_start, table.bounds.band_knee, area.dist.p50, math.exp
    x10, x25, x50, x75, x90 = area.logs
    x10 += total
    x25 += total
    x50 += total
    x75 += total
    x90 += total
    prof = tuple.__new__(Distribution, (
        p50 * e(x10 if x10 <= start else soft_cap(x10, cap, knee)) * k,
        p50 * e(x25 if x25 <= start else soft_cap(x25, cap, knee)) * k,
        p50 * e(x50 if x50 <= start else soft_cap(x50, cap, knee)) * k,
        p50 * e(x75 if x75 <= start else soft_cap(x75, cap, knee)) * k,
        p50 * e(x90 if x90 <= start else soft_cap(x90, cap, knee)) * k))
    return prof, band_of(table, prof), (exp, raw, o, room, total)


class Effects(NamedTuple):
    """The gross log pay ratios of a profile's credentials, specialty and setting, and how they show."""

    total: float
    uses: tuple[FactorUse, ...]


class CredentialRatio(NamedTuple):
    ratio: float  # count.multiplier x best_premium
    per_count: CountMultiplier  # the ratio for how many are held (not `count`: it would shadow tuple.count)
    best: str  # the credential with the highest credential-specific ratio held
    best_premium: float


def credential_parts(table: Table, credentials: tuple[str, ...]) -> CredentialRatio | None:
    """The gross pay ratio for the credentials held: the ratio for how many (the table's largest count caps it)
    times the best credential-specific ratio held (no figure: the reference credential's 1.0). None: none held."""
    if not credentials:
        return None
    n = min(len(credentials), max(table.credential_counts))
    while n not in table.credential_counts:
        n -= 1
    cm = table.credential_counts[n]
    premiums = {c: p if (p := table.credentials[c].premium) is not None else 1.0 for c in credentials}
    best = max(credentials, key=lambda c: premiums[c])
    return CredentialRatio(cm.multiplier * premiums[best], cm, best, premiums[best])


def credential_ratio(table: Table, credentials: tuple[str, ...]) -> tuple[float, FactorUse | None]:
    """credential_parts, with how it shows in the factors."""
    parts = credential_parts(table, credentials)
    if parts is None:
        return 1.0, None
    ratio, cm, best, best_p = parts
    counted = f"{len(credentials)} credential{'s' if len(credentials) > 1 else ''}"
    detail = f"{counted}: x{cm.multiplier:.3f}"
    src, basis = cm.source, cm.basis
    cred = table.credentials[best]
    if cred.premium is not None and best_p != 1.0:
        detail += f"; {best} x{best_p:.3f}"
        basis = f"{basis}; {best}: {cred.premium_basis}"
    return ratio, FactorUse("credentials", "Credentials", ", ".join(credentials), ratio, detail, src, basis)


def credentials_log(table: Table, credentials: tuple[str, ...]) -> float:
    """ln of credential_parts' gross ratio (0: none held)."""
    parts = credential_parts(table, credentials)
    return 0.0 if parts is None else math.log(parts.ratio)


def gross_effects(table: Table, q: Query, creds_log: float) -> float:
    """The sum of the gross log pay ratios of the credentials (`creds_log`: credentials_log), specialty and
    work setting."""
    return creds_log + math.log(table.specialties[q.specialty].factor) + math.log(table.settings[q.setting].factor)


def effects(table: Table, q: Query) -> Effects:
    """Credentials, specialty and work setting as gross log pay ratios (gross_effects), each with its source."""
    uses: list[FactorUse] = []
    ratio, use = credential_ratio(table, q.credentials)
    if use is not None:
        uses.append(use)
    if q.specialty != "general":
        spec = table.specialties[q.specialty]
        uses.append(FactorUse("specialty", "Specialty", spec.label, spec.factor, f"x{spec.factor:.3f}", spec.source, spec.basis))
    if q.setting != "any":
        sett = table.settings[q.setting]
        uses.append(FactorUse("setting", "Work setting", sett.label, sett.factor, f"x{sett.factor:.3f}", sett.source,
                              sett.basis))
    return Effects(gross_effects(table, q, math.log(ratio)), tuple(uses))


def placement(table: Table, market: Distribution) -> float:
    """How a national occupation's wages are placed in a market: the market's coder median over the national one
    (1 for national pay). The coders' own occupation is the only one the sources publish by state and place."""
    return market.p50 / table.national.p50


def role_distribution(table: Table, level: str, market: Distribution) -> Distribution:
    """A role's pay: its BLS occupation's national distribution placed in the coders' market `market` (the state's,
    a place's or the national distribution: `wages_key`)."""
    occ = table.occupations[table.roles[level].occupation]
    return occ.wages.scaled(placement(table, market))


def role_use(table: Table, q: Query, market: Distribution, market_name: str | None) -> FactorUse | None:
    """How a role shows in the factors (None for a coder). `market_name`: None for national pay."""
    if q.level not in ROLE_LEVELS:
        return None
    role = table.roles[q.level]
    occ = table.occupations[role.occupation]
    k = placement(table, market)
    there = "national pay" if market_name is None else f"placed in {market_name}: x{k:.3f}"
    pos = " / ".join(f"p{p:g}" for p in role.positions)
    return FactorUse("role", "Role", role.label, k, f"BLS {occ.code} {occ.title}, {pos}; {there}", occ.source,
                     f"{role.positions_basis}; placed in the market as its coder median / the national one (the "
                     "sources publish no state or place figure for the occupation)")


def growth_factor(table: Table, as_of: int | None) -> float:
    """Wages aged from the table's wage year to `as_of`: through the published national medians, then at the
    table's yearly rate (vintage.growth_factor)."""
    return _vintage.growth_factor(table, as_of)


def plain_multiplier(table: Table, q: Query) -> float:
    """What multiplies the bounded profile as it is: remote work's factor and the wage growth to --as-of."""
    return (table.remote.factor if q.remote else 1.0) * growth_factor(table, q.as_of)


def growth_multiplier(table: Table, as_of: int | None) -> tuple[float, FactorUse | None]:
    """growth_factor, with how it shows in the factors."""
    if as_of is None or as_of == table.wage_year:
        return 1.0, None
    m = growth_factor(table, as_of)
    steps = _vintage.ageing_steps(table, as_of)
    detail = "; ".join(s.text(table.growth_rate) for s in steps)
    src = steps[-1].source if steps else table.growth_source
    return m, FactorUse("growth", "Wage growth", f"{table.wage_year} -> {as_of}", m, f"x{m:.4f}: {detail}", src,
                        table.growth_basis if any(not s.published for s in steps)
                        else "the ratio of BLS's published national medians")


def price_level(table: Table, place: str | None, basis: str) -> float:
    """The price level (US = 100) of a state (its code) or a place (a CBSA or nonmetro code; see places)."""
    if place is None:
        return US_PRICE_LEVEL
    if len(place) == 2:
        return table.states[place].price_level(basis)
    from .places import price_level as place_price_level

    return place_price_level(table, place, basis)


def place_name(table: Table, place: str | None) -> str:
    """"US average", a state's name or a place's."""
    if place is None:
        return "US average"
    if len(place) == 2:
        return table.states[place].name
    from .places import place_name as name_of_place

    return name_of_place(table, place)


def where_name(table: Table, q: Query) -> str:
    """Where the profile's job is, for a title: its place (--area / --zip), else its state, else the US."""
    if q.area is not None:
        return q.area.name
    return table.states[q.state].name if q.state else "the United States"


def cost_of_living(table: Table, band: Band, lives_in: str | None, home: str | None, basis: str) -> CostOfLiving:
    """band x price level(comparison area) / price level(where the person lives); each a state or place code."""
    here = price_level(table, lives_in, basis)
    there = price_level(table, home, basis)
    k = there / here
    return CostOfLiving(basis, home or "US", place_name(table, home), k, here, there, band.scaled(k))


def adjust(table: Table, amount: float, lives_in: str | None, home: str | None = None, basis: str = "all") -> float:
    """One amount in the comparison area's dollars (US average by default)."""
    return amount * price_level(table, home, basis) / price_level(table, lives_in, basis)


def thin_data_flags(table: Table, q: Query) -> tuple[Flag, ...]:
    """Flags for an answer resting on a BLS estimate whose relative standard error reaches the table's
    [precision] limits, and for premiums that come only from an undated article."""
    pr = table.precision
    flags: list[Flag] = []

    def check(factor: str, what: str, emp_rse: float | None, wage_rse: float | None) -> None:
        parts = []
        if wage_rse is not None and wage_rse >= pr.wage_rse_max:
            parts.append(f"its mean wage has a relative standard error of {wage_rse:g}%")
        if emp_rse is not None and emp_rse >= pr.employment_rse_max:
            parts.append(f"its employment estimate {emp_rse:g}%")
        if parts:
            flags.append(Flag("thin_data", factor, f"{what}: BLS marks the estimate as imprecise ({' and '.join(parts)}); "
                                                   "treat the figures as approximate."))

    pl = None if q.remote else _place(table, q)
    if pl is not None and pl.wages is not None:
        from .places import place_flags

        flags.extend(Flag(code, "area", message) for code, message in place_flags(table, pl.code))
    elif q.state is not None and not q.remote:
        st = table.states[q.state]
        check("state", f"Wages in {st.name}", st.employment_rse, st.wage_rse)
    else:
        check("state", "National wages", table.national_employment_rse, table.national_wage_rse)
    if q.setting != "any":
        s = table.settings[q.setting]
        check("setting", f"Work setting {s.label}", s.employment_rse, s.wage_rse)
    for factor, key, label in (("specialty", q.specialty if q.specialty != "general" else None, "Specialty premium"),):
        if key is None:
            continue
        src_key = table.specialties[key].source
        src = table.sources[src_key]
        if src.kind == "industry article" and src.year is None:
            flags.append(Flag("article_only", factor, f"{label}: from an undated industry article only; no survey gives it."))
    return tuple(flags)


class PricedBand(NamedTuple):
    """The numbers of an estimate without its explanation (what batch needs, row after row)."""

    band: Band
    profile: Distribution  # the band is read from it; so is an offer's percentile


def band_of(table: Table, prof: Distribution, positions: tuple[float, float, float] | None = None) -> Band:
    """The band: the profile's distribution at the table's market positions (25 / 50 / 75; a role's own), in whole
    dollars."""
    pos = positions or table.market_positions
    points = _BAND_POINTS.get(pos)
    if points is None and pos not in _BAND_POINTS:
        at = tuple(PERCENTILES.index(p) for p in pos if p in PERCENTILES)
        points = _BAND_POINTS[pos] = (at[0], at[1], at[2]) if len(at) == 3 else None
    if points is None:  # a position between published points
        return tuple.__new__(Band, (round_dollars(prof.at(pos[0])), round_dollars(prof.at(pos[1])),
                                    round_dollars(prof.at(pos[2]))))
    lo, mid, hi = points  # published points: read as they are (Distribution.at would give the same)
    return tuple.__new__(Band, (round_dollars(prof[lo]), round_dollars(prof[mid]), round_dollars(prof[hi])))


_BAND_POINTS: dict[tuple[float, float, float], tuple[int, int, int] | None] = {}  # positions -> their points' indices


class Pricer:
    """`estimate`'s numbers for many queries of one table, without the factor records. What repeats between
    queries is worked out once and remembered (each distribution's bounds with the bounded experience curve at
    each years, each set of credentials' log ratio, the effects of each such ratio with a specialty and a
    setting, each plain multiplier); each profile is then placed by `place_profile`, as `estimate` places it.
    Profiles themselves are not remembered: in a file of distinct rows keeping them costs more than placing
    them again. Batch prices every row with one; `price(table, q)` is one query.

    `pricer(q, as_of)`: priced in `as_of` when `q` names no year (a salary paid now: vintage.salary_check_query)."""

    CACHE_SIZE = 1 << 16  # remembered years and credential sets; past it they are forgotten (memory stays flat)

    def __init__(self, table: Table):
        self.table = table
        self._areas: dict[str | None, Area] = {}
        self._curve: dict[tuple[str | None, float | None], tuple[Area, float | None]] = {}
        self._creds: dict[tuple[str, ...], float] = {}
        self._gross: dict[tuple[float, str, str], float] = {}
        self._mult: dict[tuple[bool, int | None], float] = {}

    def __call__(self, q: Query, as_of: int | None = None) -> PricedBand:
        return tuple.__new__(PricedBand, self.numbers(q, as_of))

    def numbers(self, q: Query, as_of: int | None = None) -> tuple[Band, Distribution]:
        """The band and the profile's distribution, as a plain pair (what batch reads, row after row)."""
        t = self.table
        level = q.level
        if level is None:
            years = q.years
        elif level in ROLE_LEVELS:
            if q.as_of is None and as_of is not None:
                q = q._replace(as_of=as_of)
            prof = role_distribution(t, level, wages_key(t, q)[1]).scaled(plain_multiplier(t, q))
            return band_of(t, prof, t.roles[level].positions), prof
        else:
            years = experience_years(t, q)
        where = None if q.remote else q.state if q.area is None else wages_key(t, q)[0]  # a territory's: its code
        at = self._curve.get((where, years))  # the distribution's bounds and the bounded curve at `years`
        if at is None:
            at = self._stance(q, where, years)
        creds = q.credentials
        cred = self._creds.get(creds)
        if cred is None:
            if len(self._creds) >= self.CACHE_SIZE:
                self._creds.clear()
            cred = self._creds[creds] = credentials_log(t, creds)
        gross = self._gross.get((cred, q.specialty, q.setting))
        if gross is None:
            gross = self._gross[(cred, q.specialty, q.setting)] = gross_effects(t, q, cred)
        year = q.as_of if q.as_of is not None else as_of
        k = self._mult.get((q.remote, year))
        if k is None:
            k = self._mult[(q.remote, year)] = plain_multiplier(t, q if year == q.as_of else q._replace(as_of=year))
        prof, band, _ = place_profile(t, at[0], years, gross, k, at[1])
        return band, prof

    def _stance(self, q: Query, where: str | None, years: float | None) -> tuple[Area, float | None]:
        """The bounds of the distribution read at `where` and the bounded experience curve there at `years`."""
        t = self.table
        area = self._areas.get(where)
        if area is None:
            area = self._areas[where] = area_of(t, wages_key(t, q)[1])
        if len(self._curve) >= self.CACHE_SIZE:
            self._curve.clear()
        at = self._curve[(where, years)] = (area, None if years is None else bounded_experience(t, area.up, area.down,
                                                                                                   years))
        return at


def price(table: Table, q: Query) -> PricedBand:
    """The band and the profile's distribution for `q`: the same numbers as `estimate` (see Pricer)."""
    return Pricer(table)(q)


def estimate(table: Table, q: Query) -> Estimate:
    """The salary band for a profile, the same band adjusted for the cost of living, and every factor used."""
    if q.level in ROLE_LEVELS:
        return _role_estimate(table, q)
    dist, wages_use = wage_distribution(table, q)
    years = experience_years(table, q)
    eff = effects(table, q)
    area = area_of(table, dist)
    mult = plain_multiplier(table, q)
    prof, band, position = place_profile(table, area, years, eff.total, mult)
    sh = Shift(*position)
    uses: list[FactorUse] = [wages_use, _experience_use(table, q, years, sh)]
    uses.extend(eff.uses)
    if eff.uses:
        uses.append(_bounds_use(table, dist, years, eff.total, sh))

    grow_use = growth_multiplier(table, q.as_of)[1]
    if q.remote:
        uses.append(FactorUse("remote", "Remote work", "yes: national pay", table.remote.factor,
                              f"x{table.remote.factor:.3f}", table.remote.source, table.remote.basis))
    if grow_use is not None:
        uses.append(grow_use)

    positions = table.market_positions

    col = _col_use(table, q, band, uses)

    flags = thin_data_flags(table, q)
    flagged = {f.factor for f in flags if f.code == "article_only"}
    notes: list[str] = [*place_notes(table, q)]
    if q.years is None and q.level in table.levels:
        lv = table.levels[q.level]
        if table.sources[lv.years_source or lv.source].kind == "assumption":
            notes.append(f"{lv.label}: priced at {lv.years:g} years; no public figure, coder-pay's assumption.")
    generic = [c for c in q.credentials if table.credentials[c].premium is None and table.credentials[c].premium_note]
    if generic:
        notes.append(f"{', '.join(generic)}: {table.credentials[generic[0]].premium_note}.")
    for use in uses:
        kind = table.sources[use.source].kind
        if kind == "assumption" and use.factor == "bounds":
            notes.append("Combined: how the effects are bounded below the state's p90 is coder-pay's rule; "
                         "its parameters have no public figure.")
        elif kind == "assumption":
            notes.append(f"{use.label}: no public figure; coder-pay's assumption.")
        elif kind == "industry article" and use.factor not in flagged:
            notes.append(f"{use.label}: from an industry article, not a survey.")

    return Estimate(query=q, band=band, col=col, factors=tuple(uses),
                    wage_year=q.as_of or table.wage_year, data_wage_year=table.wage_year,
                    price_year=table.price_year, positions=positions, multiplier=mult, distribution=dist, profile=prof,
                    notes=tuple(dict.fromkeys(notes)) + q.notes, flags=flags)


def _col_use(table: Table, q: Query, band: Band, uses: list[FactorUse]) -> CostOfLiving | None:
    """The band adjusted for prices, its factor added to `uses`; None where a territory's area (no state) has no parity."""
    if q.state is None and q.area is not None:
        return None
    col = cost_of_living(table, band, q.work_place, q.home_place, q.col)
    lives = "United States" if q.work_place is None else place_name(table, q.work_place)
    uses.append(FactorUse("price_level", "Cost of living",
                          f"{lives} {col.home_price_level:.1f} -> {col.area_name} {col.area_price_level:.1f}",
                          col.price_ratio, f"x{col.price_ratio:.3f} ({'housing' if q.col == 'housing' else 'all items'})",
                          _price_source(table, q)))
    return col


def place_notes(table: Table, q: Query) -> list[str]:
    """What a person should know about the places of `q`: how a typed place was resolved, wages the sources
    do not publish for it, prices that are not its own (a metro's derived tails are said in its Wages factor)."""
    notes: list[str] = []
    for loc in (q.area, q.home_area):
        if loc is not None:
            notes.extend(loc.notes)
    pl = _place(table, q)
    if pl is not None and not q.remote and pl.wages is None:
        st = table.states[q.state or pl.state]
        notes.append(f"{pl.name}: the sources publish no BLS wages for it; {st.name}'s wages are used with its own "
                     "prices.")
    for code in dict.fromkeys((q.work_place, q.home_place)):
        if code is not None and len(code) != 2:  # a place, not a state (places.py is read only for one)
            from .places import price_note

            note = price_note(table, code, q.col)
            if note:
                notes.append(note)
    return notes


def _role_estimate(table: Table, q: Query) -> Estimate:
    """A role above senior coder (supervisor, manager, director): its BLS occupation's published wages placed in
    the coders' market (state, place or national), read at the role's positions; coders' effects (experience,
    credentials, specialty, setting) are not applied to it."""
    level = q.level or ""
    role = table.roles[level]
    dist, wages_use = wage_distribution(table, q)
    key, market = wages_key(table, q)
    use = role_use(table, q, market, None if key is None else wages_use.value)
    uses: list[FactorUse] = [wages_use] + ([use] if use is not None else [])
    if q.remote:
        uses.append(FactorUse("remote", "Remote work", "yes: national pay", table.remote.factor,
                              f"x{table.remote.factor:.3f}", table.remote.source, table.remote.basis))
    grow_use = growth_multiplier(table, q.as_of)[1]
    if grow_use is not None:
        uses.append(grow_use)
    mult = plain_multiplier(table, q)
    prof = role_distribution(table, level, market).scaled(mult)
    band = band_of(table, prof, role.positions)
    col = _col_use(table, q, band, uses)
    notes = [*place_notes(table, q),
             f"{role.label}: priced from BLS {role.occupation} ({table.occupations[role.occupation].title}) at "
             f"{' / '.join(f'p{p:g}' for p in role.positions)}; which part of that occupation a {role.label.lower()} "
             "stands in is coder-pay's assumption."]
    ignored = [w for w, on in (("experience", q.years is not None), ("credentials", bool(q.credentials)),
                               ("specialty", q.specialty != "general"), ("work setting", q.setting != "any")) if on]
    if ignored:
        notes.append(f"{role.label}: {', '.join(ignored)} not applied (the role's pay is its occupation's, not a coder's).")
    return Estimate(query=q, band=band, col=col, factors=tuple(uses), wage_year=q.as_of or table.wage_year,
                    data_wage_year=table.wage_year, price_year=table.price_year, positions=role.positions,
                    multiplier=mult, distribution=dist, profile=prof, notes=tuple(dict.fromkeys(notes)) + q.notes,
                    flags=tuple(f for f in thin_data_flags(table, q) if f.factor in ("state", "area")))


def _experience_use(table: Table, q: Query, years: float | None, sh: Shift) -> FactorUse:
    if years is None:
        pos = table.market_positions
        return FactorUse("experience", "Experience", "all levels (whole market)", None,
                         " / ".join(f"p{p:g}" for p in pos), table.market_source, table.market_basis)
    ex = table.experience
    if q.years is not None:
        value = f"{q.years:g} years"
    elif q.level in ROLE_LEVELS:
        value = f"{years:g} years (typical for the role)"
    else:
        lv = table.levels[q.level or ""]
        value = f"{lv.label}: priced at {lv.years:g} years"
    return FactorUse("experience", "Experience", value, math.exp(sh.experience),
                     f"x{math.exp(sh.experience):.3f} vs the market median", ex.source,
                     f"{ex.basis}; 1.000 at {ex.market_years:g} years ({ex.market_years_basis})")


def _bounds_use(table: Table, dist: Distribution, years: float | None, gross: float, sh: Shift) -> FactorUse:
    b = table.bounds
    top = round_dollars(dist.p90)
    if years is None:
        detail = f"x{math.exp(gross):.3f} combined -> x{math.exp(sh.others):.3f} inside p90 ${top:,}"
        basis = "whole market: the gross ratios, combined as room x tanh(sum / room), room = ln(p90 / median)"
    else:
        detail = (f"x{math.exp(gross):.3f} combined, net of experience x{math.exp(sh.others_raw):.3f} "
                  f"-> x{math.exp(sh.others):.3f} inside p90 ${top:,}")
        basis = (f"with experience: the gross ratios ^ {table.credential_net_share:g} (net of experience: "
                 f"{table.credential_net_basis}), combined as room x tanh(sum / room) in the room the experience curve "
                 f"leaves below p90; {b.basis}")
    return FactorUse("bounds", "Combined", "credentials, specialty, setting", math.exp(sh.others), detail, b.source, basis)


def _price_source(table: Table, q: Query) -> str:
    for code in (q.work_place, q.home_place):
        if code is not None and len(code) != 2:
            from .places import price_source

            return price_source(table, code, q.col)
        if code is not None:
            return table.states[code].price_source
    # national vs US average: the price level is 100 by definition, still BEA's
    return next(iter(table.states.values())).price_source
