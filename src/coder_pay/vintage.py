"""Which year a result's wages and prices are from, how the wages were aged, and what year it is now.

Every document with wage figures carries it (`vintage` in JSON, the last line of table output).
Money paid now (an offer, a salary row) is judged against the market aged to the current year
(`salary_check_query`); published figures stay in their own year unless `--as-of` asks. The
current year comes from one place, `today()`, which honours $CODER_PAY_TODAY (YYYY or YYYY-MM-DD)
so that examples and tests are reproducible. Ageing runs through the published national medians
([wage_growth.published]) and only past the last of them at the table's yearly rate.
Its own small module so that `estimate` has it without loading the decision commands.
"""

import datetime
import os
import re
from typing import NamedTuple

from .query import Query, UsageError
from .table import Table

#: The environment variable that sets the current year (YYYY or YYYY-MM-DD); unset: the system clock (UTC).
TODAY_ENV = "CODER_PAY_TODAY"
_TODAY = re.compile(r"(\d{4})(?:-(\d{2})-(\d{2}))?")

#: Why a result's wages are in the year they are in.
REASONS = ("published", "as_of", "today")


def today() -> datetime.date:
    """Today's date: $CODER_PAY_TODAY when set (YYYY means 1 January of that year), else the UTC clock."""
    raw = os.environ.get(TODAY_ENV, "").strip()
    if not raw:
        return datetime.datetime.now(datetime.timezone.utc).date()
    m = _TODAY.fullmatch(raw)
    try:
        if m is None:
            raise ValueError(raw)
        y, mo, d = m.groups()
        return datetime.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        raise UsageError("bad_today", f"{TODAY_ENV} must be a year (2026) or a date (2026-12-05), not {raw[:40]!r}.",
                         "today") from None


def current_year() -> int:
    """The year money paid now is judged in (see `today`)."""
    return today().year


def salary_check_query(table: Table, q: Query) -> tuple[Query, str]:
    """The query a salary paid now is judged with: its --as-of when given, else the current year (never before the
    table's wage year), and why ("as_of" or "today")."""
    if q.as_of is not None:
        return q, "as_of"
    return q._replace(as_of=max(current_year(), table.wage_year)), "today"


def wage_index(table: Table, year: int) -> float:
    """The national median of the coders' occupation in `year`: published where the table has it
    ([wage_growth.published]), else aged from the nearest published year at the table's rate."""
    pub = table.wage_medians
    rate = table.growth_rate
    if not pub:
        return (1 + rate) ** (year - table.wage_year)
    if year in pub:
        return float(pub[year].median)
    base = max(pub) if year > max(pub) else min(pub)
    return pub[base].median * (1 + rate) ** (year - base)


def growth_factor(table: Table, as_of: int | None) -> float:
    """Wages aged from the table's wage year to `as_of` (1 for None)."""
    if as_of is None or as_of == table.wage_year:
        return 1.0
    return wage_index(table, as_of) / wage_index(table, table.wage_year)


class AgeingStep(NamedTuple):
    """One stretch of the ageing: between two published years by their medians, or years at the rate."""

    from_year: int
    to_year: int
    factor: float
    published: bool
    source: str  # key into Table.sources

    def text(self, rate: float) -> str:
        if self.published:
            return f"{self.from_year}->{self.to_year} {self.factor - 1:+.2%} (BLS's published May {self.to_year} median)"
        return f"{self.from_year}->{self.to_year} {rate:+.2%}/yr"


def ageing_steps(table: Table, as_of: int) -> tuple[AgeingStep, ...]:
    """How the wages get from the table's wage year to `as_of`: the published stretch, then the rate."""
    w, pub = table.wage_year, table.wage_medians
    if as_of == w:
        return ()
    lo, hi = min(w, as_of), max(w, as_of)
    known = [y for y in pub if lo <= y <= hi]
    steps: list[AgeingStep] = []
    a, b = (min(known), max(known)) if len(known) >= 2 else (w, w)
    if b > a:
        steps.append(AgeingStep(a, b, pub[b].median / pub[a].median, True, pub[b].source if b > w else pub[a].source))
    if hi > b:
        steps.append(AgeingStep(b, hi, (1 + table.growth_rate) ** (hi - b), False, table.growth_source))
    if lo < a:
        steps.insert(0, AgeingStep(lo, a, (1 + table.growth_rate) ** (a - lo), False, table.growth_source))
    return tuple(steps)


class Vintage(NamedTuple):
    """Which year the wages and prices are from, and how the wages were aged."""

    wage_year: int  # the year the figures are expressed in
    data_wage_year: int  # the BLS survey year
    growth_rate: float
    growth_basis: str
    growth_source: str
    price_year: int
    col: str
    reason: str = "published"  # one of REASONS: published year, --as-of, or today's dollars (a salary check)
    current_year: int = 0  # the year it is now (today())
    steps: tuple[AgeingStep, ...] = ()

    @property
    def aged(self) -> bool:
        return self.wage_year != self.data_wage_year

    def ageing(self) -> str:
        return ", ".join(s.text(self.growth_rate) for s in self.steps)

    def text(self) -> str:
        wages = f"Wages: BLS OEWS May {self.data_wage_year}"
        if self.aged:
            why = {"today": " (today's dollars, for money paid now)", "as_of": " (--as-of)"}.get(self.reason, "")
            wages += f" aged to {self.wage_year}{why}: {self.ageing()}"
        else:
            wages += f" ({self.data_wage_year} dollars"
            if self.current_year > self.data_wage_year:
                wages += f"; --as-of {self.current_year} ages them to {self.current_year}"
            wages += ")"
        basis = "housing" if self.col == "housing" else "all items"
        return f"{wages}. Prices: BEA regional price parities {self.price_year} ({basis})."

    def as_dict(self) -> dict[str, object]:
        return {"wage_year": self.wage_year, "data_wage_year": self.data_wage_year, "aged": self.aged,
                "reason": self.reason, "current_year": self.current_year,
                "growth_rate": self.growth_rate, "growth_basis": self.growth_basis,
                "ageing": [{"from_year": s.from_year, "to_year": s.to_year, "ratio": round(s.factor, 6),
                            "published": s.published} for s in self.steps],
                "price_year": self.price_year, "col": self.col, "text": self.text()}


def vintage(table: Table, q: Query, reason: str | None = None) -> Vintage:
    """The vintage of an answer to `q` (`reason`: "today" when a salary check aged it by default)."""
    year = q.as_of or table.wage_year
    why = reason or ("as_of" if q.as_of is not None else "published")
    return Vintage(year, table.wage_year, table.growth_rate, table.growth_basis, table.growth_source,
                   table.price_year, q.col, why, current_year(), ageing_steps(table, year))
