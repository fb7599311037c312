"""The pay model: from a `Query` and a `Table` to an `Estimate`.

    band = wages(state, positions) x role x credentials x specialty x setting x growth
    adjusted band = band x price level(comparison area) / price level(where you live)

where `positions` are the percentiles for the experience level (the middle half of the
market when no experience is given), `wages` reads them off the state's BLS distribution
(the national one for remote work), and every multiplier comes from the table. Pure:
no printing, no files, no Typer or Rich.
"""

from typing import NamedTuple

from .query import ROLE_LEVELS, Query, level_for_years
from .table import Distribution, Source, Table

US_PRICE_LEVEL = 100.0


class Band(NamedTuple):
    """An annual salary band in whole US dollars: low <= mid (typical) <= high."""

    low: int
    mid: int
    high: int

    def as_dict(self) -> dict[str, int]:
        return {"low": self.low, "mid": self.mid, "high": self.high}


class FactorUse(NamedTuple):
    """One factor applied to an estimate, with where its number comes from."""

    factor: str  # stable id: state, experience, role, credentials, specialty, setting, remote, growth, price_level
    label: str  # what a person reads: "State wages", "Credentials"
    value: str  # the choice: "California (CA)", "CPC, CRC"
    multiplier: float | None  # None where the factor is a position, not a multiplier
    detail: str  # "p25 / p50 / p75 of the state's wages", "x1.202"
    source: str  # key into Table.sources
    basis: str = ""

    def as_dict(self, table: Table) -> dict[str, object]:
        src = table.sources[self.source]
        return {"factor": self.factor, "label": self.label, "value": self.value, "multiplier": self.multiplier,
                "detail": self.detail, "basis": self.basis, "source": src.name, "source_key": src.key,
                "source_kind": src.kind, "year": src.year}


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
    col: CostOfLiving
    factors: tuple[FactorUse, ...]
    wage_year: int  # the year of the wages (after --as-of: that year)
    data_wage_year: int
    price_year: int
    positions: tuple[float, float, float]
    multiplier: float  # all multipliers together
    distribution: Distribution  # the wage distribution the band was read from (before multipliers)
    notes: tuple[str, ...] = ()

    def sources(self, table: Table) -> list[Source]:
        seen: dict[str, Source] = {}
        for f in self.factors:
            seen.setdefault(f.source, table.sources[f.source])
        return list(seen.values())


# --------------------------------------------------------------------------- the rules


def round_dollars(x: float) -> int:
    """Whole dollars, halves up (money is never negative here)."""
    return int(x + 0.5)


def wage_distribution(table: Table, q: Query) -> tuple[Distribution, FactorUse]:
    """The distribution the band is read from: national for remote work or no state, else the state's."""
    if q.remote or q.state is None:
        why = "remote: pay set nationally" if q.remote else "no state given"
        return table.national, FactorUse("state", "Wages", f"United States ({why})", None,
                                         "BLS national percentiles", table.national_source)
    st = table.states[q.state]
    return st.wages, FactorUse("state", "Wages", f"{st.name} ({st.code})", None,
                               "BLS percentiles for the state", st.wage_source)


def band_positions(table: Table, q: Query) -> tuple[tuple[float, float, float], FactorUse]:
    """Which percentiles make the band: the market's middle half, or the experience level's."""
    key = q.level
    if key in ROLE_LEVELS:
        key = "senior"
    elif key is None and q.years is not None:
        key = level_for_years(table, q.years)
    if key is None:
        pos = table.market_positions
        return pos, FactorUse("experience", "Experience", "all levels (whole market)", None,
                              _pos_text(pos), table.market_source, table.market_basis)
    lv = table.levels[key]
    value = lv.label if q.years is None else f"{q.years} years: {lv.label}"
    return lv.positions, FactorUse("experience", "Experience", value, None, _pos_text(lv.positions), lv.source, lv.basis)


def role_multiplier(table: Table, q: Query) -> tuple[float, FactorUse | None]:
    """Supervisor, manager, director: the senior band raised by one promotion step each."""
    if q.level not in ROLE_LEVELS:
        return 1.0, None
    role = table.roles[q.level]
    m = (1 + table.promotion_raise) ** role.steps_above_senior
    return m, FactorUse("role", "Role", role.label, m,
                        f"senior band x (1 + {table.promotion_raise:g}) ^ {role.steps_above_senior}",
                        table.promotion_source, table.promotion_basis)


def credential_multiplier(table: Table, credentials: tuple[str, ...]) -> tuple[float, FactorUse | None]:
    """The premium for holding `len(credentials)` credentials (the largest count in the table caps it)."""
    if not credentials:
        return 1.0, None
    n = min(len(credentials), max(table.credential_counts))
    while n not in table.credential_counts:
        n -= 1
    cm = table.credential_counts[n]
    counted = f"{len(credentials)} credential{'s' if len(credentials) > 1 else ''}"
    return cm.multiplier, FactorUse("credentials", "Credentials", ", ".join(credentials), cm.multiplier,
                                    f"{counted}: x{cm.multiplier:.3f}", cm.source, cm.basis)


def growth_multiplier(table: Table, as_of: int | None) -> tuple[float, FactorUse | None]:
    """Wages aged from the table's wage year to `as_of` at the table's yearly growth rate."""
    if as_of is None or as_of == table.wage_year:
        return 1.0, None
    n = as_of - table.wage_year
    m = (1 + table.growth_rate) ** n
    return m, FactorUse("growth", "Wage growth", f"{table.wage_year} -> {as_of}", m,
                        f"(1 + {table.growth_rate:.4f}) ^ {n}", table.growth_source, table.growth_basis)


def price_level(table: Table, state: str | None, basis: str) -> float:
    return US_PRICE_LEVEL if state is None else table.states[state].price_level(basis)


def cost_of_living(table: Table, band: Band, lives_in: str | None, home: str | None, basis: str) -> CostOfLiving:
    """band x price level(comparison area) / price level(where the person lives)."""
    here = price_level(table, lives_in, basis)
    there = price_level(table, home, basis)
    k = there / here
    name = "US average" if home is None else table.states[home].name
    adj = Band(round_dollars(band.low * k), round_dollars(band.mid * k), round_dollars(band.high * k))
    return CostOfLiving(basis, home or "US", name, k, here, there, adj)


def adjust(table: Table, amount: float, lives_in: str | None, home: str | None = None, basis: str = "all") -> float:
    """One amount in the comparison area's dollars (US average by default)."""
    return amount * price_level(table, home, basis) / price_level(table, lives_in, basis)


def estimate(table: Table, q: Query) -> Estimate:
    """The salary band for a profile, and the same band adjusted for the cost of living."""
    dist, wages_use = wage_distribution(table, q)
    positions, pos_use = band_positions(table, q)
    uses: list[FactorUse] = [wages_use, pos_use]
    mult = 1.0
    notes: list[str] = []

    role_m, role_use = role_multiplier(table, q)
    cred_m, cred_use = credential_multiplier(table, q.credentials)
    spec = table.specialties[q.specialty]
    sett = table.settings[q.setting]
    grow_m, grow_use = growth_multiplier(table, q.as_of)
    for m, use in ((role_m, role_use), (cred_m, cred_use)):
        if use is not None:
            mult *= m
            uses.append(use)
    if q.specialty != "general":
        mult *= spec.factor
        uses.append(FactorUse("specialty", "Specialty", spec.label, spec.factor, f"x{spec.factor:.3f}", spec.source,
                              spec.basis))
    if q.setting != "any":
        mult *= sett.factor
        uses.append(FactorUse("setting", "Work setting", sett.label, sett.factor, f"x{sett.factor:.3f}", sett.source,
                              sett.basis))
    if q.remote:
        mult *= table.remote.factor
        uses.append(FactorUse("remote", "Remote work", "yes: national pay", table.remote.factor,
                              f"x{table.remote.factor:.3f}",
                              table.remote.source, table.remote.basis))
    if grow_use is not None:
        mult *= grow_m
        uses.append(grow_use)

    lo, mid, hi = (dist.at(p) * mult for p in positions)
    band = Band(round_dollars(lo), round_dollars(mid), round_dollars(hi))

    col = cost_of_living(table, band, q.state, q.home, q.col)
    lives = "United States" if q.state is None else table.states[q.state].name
    price_src = _price_source(table, q)
    uses.append(FactorUse("price_level", "Cost of living",
                          f"{lives} {col.home_price_level:.1f} -> {col.area_name} {col.area_price_level:.1f}",
                          col.price_ratio, f"x{col.price_ratio:.3f} ({'housing' if q.col == 'housing' else 'all items'})",
                          price_src))

    generic = [c for c in q.credentials if table.credentials[c].premium_note]
    if generic:
        notes.append(f"{', '.join(generic)}: {table.credentials[generic[0]].premium_note}.")
    for use in uses:
        kind = table.sources[use.source].kind
        if kind == "assumption":
            notes.append(f"{use.label}: no public figure; coder-pay's assumption.")
        elif kind == "industry article":
            notes.append(f"{use.label}: from an industry article, not a survey.")

    return Estimate(query=q, band=band, col=col, factors=tuple(uses),
                    wage_year=q.as_of or table.wage_year, data_wage_year=table.wage_year,
                    price_year=table.price_year, positions=positions, multiplier=mult, distribution=dist,
                    notes=tuple(dict.fromkeys(notes)))


def _price_source(table: Table, q: Query) -> str:
    for code in (q.state, q.home):
        if code is not None:
            return table.states[code].price_source
    # national vs US average: the price level is 100 by definition, still BEA's
    return next(iter(table.states.values())).price_source


def _pos_text(pos: tuple[float, float, float]) -> str:
    return " / ".join(f"p{p:g}" for p in pos)
