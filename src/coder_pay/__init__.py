"""coder-pay: salary bands for US medical coders from public wage and price data.

Library use::

    from coder_pay import load_table, build_query, estimate
    table = load_table()
    result = estimate(table, build_query(table, state="CA", certs=["CPC"]))
    result.band.mid, result.col.band.mid

Many profiles at once (rows of a CSV file, JSON Lines, or records such as a DataFrame's)::

    from coder_pay import load_table, iter_batch, estimate_many
    table = load_table()
    with open("people.csv", newline="", encoding="utf-8-sig") as f:
        for row in iter_batch(table, f):          # row.row: 1-based; row.result: Estimate or RowError
            ...
    rows = list(estimate_many(table, df.to_dict("records")))

A pay audit of a payroll file (what `coder-pay audit` prints)::

    from coder_pay import load_table, audit
    with open("payroll.csv", newline="", encoding="utf-8-sig") as f:
        report = audit(load_table(), f, by="Department")   # .groups, .total, .furthest, .errors

Everything here is pure: it returns dataclasses and never prints.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .model import Band, Estimate, estimate
from .query import Query, UsageError, build_query
from .table import Table, TableError, load_table

__all__ = [
    "Band", "BatchRow", "Estimate", "Query", "RowError", "Table", "TableError", "UsageError",
    "__version__", "audit", "build_query", "estimate", "estimate_many", "iter_batch", "load_table",
]

_LAZY = {"BatchRow", "RowError", "estimate_many", "iter_batch"}  # from .batch, imported on first use


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from . import batch

        return getattr(batch, name)
    if name == "audit":  # a payroll file's salaries against their market, by group (coder_pay.pay_audit.audit)
        from .pay_audit import audit

        return audit
    raise AttributeError(f"module 'coder_pay' has no attribute {name!r}")
