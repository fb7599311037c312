"""Which year a result's wages and prices are from, and how the wages were aged (--as-of).

Every document with wage figures carries it (`vintage` in JSON, the last line of table output).
Its own small module so that `estimate` has it without loading the decision commands. Pure.
"""

from typing import NamedTuple

from .query import Query
from .table import Table


class Vintage(NamedTuple):
    """Which year the wages and prices are from, and how the wages were aged (--as-of)."""

    wage_year: int  # the year the figures are expressed in
    data_wage_year: int  # the BLS survey year
    growth_rate: float
    growth_basis: str
    growth_source: str
    price_year: int
    col: str

    @property
    def aged(self) -> bool:
        return self.wage_year != self.data_wage_year

    def text(self) -> str:
        wages = f"Wages: BLS OEWS May {self.data_wage_year}"
        if self.aged:
            wages += (f", {self.data_wage_year} aged to {self.wage_year} at {self.growth_rate:.2%}/yr"
                      f" ({self.growth_basis})")
        else:
            wages += f" ({self.data_wage_year} dollars)"
        basis = "housing" if self.col == "housing" else "all items"
        return f"{wages}. Prices: BEA regional price parities {self.price_year} ({basis})."

    def as_dict(self) -> dict[str, object]:
        return {"wage_year": self.wage_year, "data_wage_year": self.data_wage_year, "aged": self.aged,
                "growth_rate": self.growth_rate, "growth_basis": self.growth_basis, "price_year": self.price_year,
                "col": self.col, "text": self.text()}


def vintage(table: Table, q: Query) -> Vintage:
    return Vintage(q.as_of or table.wage_year, table.wage_year, table.growth_rate, table.growth_basis,
                   table.growth_source, table.price_year, q.col)
