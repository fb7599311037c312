"""coder-pay: salary bands for US medical coders from public wage and price data.

Library use: one function per command, each returning the dataclass the CLI renders::

    import coder_pay
    est = coder_pay.estimate(state="CA", cert="CPC")
    est.band.mid, est.col.band.mid
    check = coder_pay.offer(58000, state="OH", cert="CPC", years=4, setting="hospital")   # today's dollars
    check.percentile, check.verdict, check.target
    coder_pay.take_home(65000, state="NY"); coder_pay.states(top=5); coder_pay.compare(states=["CA", "TX"])
    coder_pay.certs(state="TX"); coder_pay.career(state="OH", cert="CPC", ladder=True)
    coder_pay.estimate(area="Seattle"); coder_pay.areas(state="TX", top=5); coder_pay.compare(areas=["Seattle", "Boise"])
    for row in coder_pay.batch("people.csv"):     # row.row: 1-based; row.result: Estimate, OfferCheck or RowError
        ...
    report = coder_pay.audit("payroll.csv", by="Department")   # .groups, .total, .furthest, .errors

The building blocks stay available: `load_table()`, `build_query(table, ...)`, `estimate(table, query)`,
`iter_batch`, `estimate_many`. Bad input raises `UsageError` (a stable `code`, a message naming the parameter); a
bad data table `TableError`. Everything here is pure: it returns dataclasses and never prints. Only the names in
`__all__` are the API (`dir(coder_pay)` lists them); the rest is loaded on first use.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "Band", "BatchRow", "Estimate", "Query", "RowError", "Table", "TableError", "UsageError", "__version__",
    "areas", "audit", "batch", "build_query", "career", "certs", "compare", "estimate", "estimate_many", "iter_batch",
    "load_table", "offer", "states", "take_home",
]

# name -> the module that defines it; imported on first use, so `import coder_pay` (and the CLI's start-up) stays light
_LAZY = {
    "areas": "api", "audit": "api", "batch": "api", "career": "api", "certs": "api", "compare": "api",
    "estimate": "api", "offer": "api",
    "states": "api", "take_home": "api",
    "Band": "model", "Estimate": "model",
    "Query": "query", "UsageError": "query", "build_query": "query",
    "Table": "table", "TableError": "table", "load_table": "table",
    "BatchRow": "batch_rows", "RowError": "batch_rows", "estimate_many": "batch_rows", "iter_batch": "batch_rows",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coder_pay' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
