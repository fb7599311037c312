"""JSON documents: results turned into the stable, documented shapes scripts read.

Each document is one JSON object carrying `schema_version`; money is whole dollars.
The shapes are described in README.md ("JSON output") and pinned by tests/test_contract.py.
No Rich here: the --json path stays lean.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Estimate
from .table import Table

SCHEMA_VERSION = 1


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


def error_doc(code: str, message: str, exit_code: int, **extra: Any) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message, "exit_code": exit_code}
    err.update({k: v for k, v in extra.items() if v is not None})
    return {"schema_version": SCHEMA_VERSION, "error": err}


def data_vintage(table: Table) -> dict[str, Any]:
    return {"wage_year": table.wage_year, "price_year": table.price_year, "table": table.path}


def estimate_doc(table: Table, est: Estimate) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "estimate",
        "query": est.query.as_dict(),
        "wage_year": est.wage_year,
        "price_year": est.price_year,
        "band": est.band.as_dict(),
        "col_adjusted": est.col.as_dict(),
        "factors": [f.as_dict(table) for f in est.factors],
        "notes": list(est.notes),
        "sources": [{"key": s.key, "name": s.name, "year": s.year, "kind": s.kind, "url": s.url}
                    for s in est.sources(table)],
        "data": data_vintage(table),
    }
