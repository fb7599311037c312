"""coder-pay: salary bands for US medical coders from public wage and price data.

Library use::

    from coder_pay import load_table, build_query, estimate
    table = load_table()
    result = estimate(table, build_query(table, state="CA", certs=["CPC"]))
    result.band.mid, result.col.band.mid

Everything here is pure: it returns dataclasses and never prints.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .model import Band, Estimate, estimate
from .query import Query, UsageError, build_query
from .table import Table, TableError, load_table

__all__ = [
    "Band", "Estimate", "Query", "Table", "TableError", "UsageError",
    "__version__", "build_query", "estimate", "load_table",
]
