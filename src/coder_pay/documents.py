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


def dumps(doc: Any) -> str:
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


# --------------------------------------------------------------------------- batch and data (issue 4)

#: Columns of `batch --format csv`: the row number, the normalized inputs, the band, the adjusted band.
BATCH_CSV_COLUMNS = ("row", "state", "cert", "years", "level", "specialty", "setting", "remote", "home", "col", "as_of",
                     "low", "mid", "high", "adjusted_low", "adjusted_mid", "adjusted_high")


def batch_error_doc(row: int, code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """The JSON Lines line written in place of a batch row that gave no estimate."""
    err: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        err["field"] = field
    return {"schema_version": SCHEMA_VERSION, "kind": "batch_row_error", "row": row, "error": err}


def batch_csv_fields(est: Estimate) -> list[Any]:
    """One `batch --format csv` line without its row number (BATCH_CSV_COLUMNS[1:])."""
    q = est.query
    return [q.state or "", ";".join(q.credentials), "" if q.years is None else q.years, q.level or "", q.specialty,
            q.setting, "true" if q.remote else "false", q.home or "", q.col, "" if q.as_of is None else q.as_of,
            est.band.low, est.band.mid, est.band.high, est.col.band.low, est.col.band.mid, est.col.band.high]


def data_path_doc(path: str, origin: str) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "kind": "data_path", "path": path, "origin": origin}


def data_show_doc(table: Table) -> dict[str, Any]:
    """What a table holds: vintage, sources with years, and what it covers."""
    coverage = {
        "states": sorted(table.states),
        "credentials": list(table.credentials),
        "specialties": list(table.specialties),
        "settings": list(table.settings),
        "levels": list(table.levels) + list(table.roles),
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "data_show",
        "path": table.path,
        "occupation": table.occupation,
        "wage_year": table.wage_year,
        "price_year": table.price_year,
        "tax_year": table.tax.year if table.tax is not None else None,
        "sources": [{"key": s.key, "name": s.name, "publisher": s.publisher, "year": s.year, "kind": s.kind, "url": s.url}
                    for s in table.sources.values()],
        "counts": {k: len(v) for k, v in coverage.items()} | {"sources": len(table.sources)},
        "coverage": coverage,
    }


def data_validate_doc(path: str, problems: list[Any]) -> dict[str, Any]:
    """The result of checking a table: valid or not, and every problem with its key and line."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "data_validate",
        "path": path,
        "valid": not problems,
        "problems": [{"key": p.key, "line": p.line, "message": p.message} for p in problems],
    }


class EstimateJSON:
    """Encodes estimates of one table to exactly the text of `dumps(estimate_doc(table, est))`,
    several times faster: the parts that repeat between estimates (each factor, the source list,
    the notes, the data vintage) are encoded once and reused from bounded caches. Used by
    `batch`, where a million rows may share a few thousand profiles but few share every part.

    The first estimate is also encoded the plain way and compared; should the two ever differ
    (estimate_doc changed and this class was not updated), it falls back to the plain way."""

    def __init__(self, table: Table, cache_size: int = 4096):
        from functools import lru_cache

        self.table = table
        self._data = dumps(data_vintage(table))
        self._checked = False
        self._plain = False

        @lru_cache(maxsize=cache_size)
        def factor(f: Any) -> str:
            return dumps(f.as_dict(table))

        @lru_cache(maxsize=cache_size)
        def query(q: Any) -> str:
            return dumps(q.as_dict())

        @lru_cache(maxsize=cache_size)
        def notes(n: tuple[str, ...]) -> str:
            return dumps(list(n))

        @lru_cache(maxsize=cache_size)
        def sources(keys: tuple[str, ...]) -> str:
            seen = [table.sources[k] for k in dict.fromkeys(keys)]
            return dumps([{"key": s.key, "name": s.name, "year": s.year, "kind": s.kind, "url": s.url} for s in seen])

        self._query, self._factor, self._notes, self._sources = query, factor, notes, sources

    def __call__(self, est: Estimate) -> str:
        if self._plain:
            return dumps(estimate_doc(self.table, est))
        fast = self._fast(est)
        if not self._checked:
            self._checked = True
            self._plain = fast != dumps(estimate_doc(self.table, est))
            if self._plain:
                return dumps(estimate_doc(self.table, est))
        return fast

    @staticmethod
    def _band(b: Any) -> str:
        return f'{{"low": {b.low}, "mid": {b.mid}, "high": {b.high}}}'

    def _fast(self, est: Estimate) -> str:
        return (f'{{"schema_version": {SCHEMA_VERSION}, "kind": "estimate", "query": {self._query(est.query)}, '
                f'"wage_year": {est.wage_year}, "price_year": {est.price_year}, "band": {self._band(est.band)}, '
                f'"col_adjusted": {dumps(est.col.as_dict())}, "factors": [{", ".join(map(self._factor, est.factors))}], '
                f'"notes": {self._notes(est.notes)}, "sources": {self._sources(tuple(f.source for f in est.factors))}, '
                f'"data": {self._data}}}')
