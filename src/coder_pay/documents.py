"""JSON documents: results turned into the stable, documented shapes scripts read.

Each document is one JSON object carrying `schema_version`; money is whole dollars.
The shapes are described in README.md ("JSON output") and pinned by tests/test_contract.py.
No Rich here: the --json path stays lean.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .model import Estimate
from .table import Table

if TYPE_CHECKING:  # pragma: no cover - tax.py is imported only by the after-tax paths
    from .tax import AfterTaxBand, TakeHome, TakeHomeReport

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


# --------------------------------------------------------------------------- take-home (issue 6)


def _source_entry(table: Table, key: str) -> dict[str, Any]:
    s = table.sources[key]
    return {"key": s.key, "name": s.name, "year": s.year, "kind": s.kind, "url": s.url}


def take_home_lines(th: TakeHome) -> dict[str, Any]:
    """The tax lines of one take-home result, dollars and cents."""
    return {
        "gross": th.gross, "federal_income_tax": th.federal_income_tax, "social_security": th.social_security,
        "medicare": th.medicare, "state_income_tax": th.state_income_tax, "take_home": th.take_home,
        "effective_rate": round(th.effective_rate, 4),
    }


def take_home_working(th: TakeHome) -> dict[str, Any]:
    sw = th.state_working
    return {
        "federal": {"standard_deduction": th.federal_standard_deduction, "taxable_income": th.federal_taxable_income,
                    "marginal_rate": th.federal_marginal_rate},
        "additional_medicare": th.additional_medicare,
        "state": None if sw is None else {
            "code": sw.code, "deduction": sw.deduction, "exemption": sw.exemption, "taxable_income": sw.taxable_income,
            "tax_before_credit": sw.tax_before_credit, "credit": sw.credit, "marginal_rate": sw.marginal_rate,
            "adjustments": list(sw.adjustments),
        },
    }


def take_home_doc(table: Table, rep: TakeHomeReport) -> dict[str, Any]:
    """The `take-home` document (schemas/take-home.schema.json)."""
    from .tax import FILING_STATUS, LEFT_OUT

    th, c = rep.result, rep.col
    tax_source = table.tax.source if table.tax else ""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "take-home",
        "query": rep.query.as_dict(),
        "tax_year": th.tax_year,
        "filing_status": FILING_STATUS,
        "state": th.state,
        **take_home_lines(th),
        "working": take_home_working(th),
        "col_adjusted": {"index": round(c.ratio, 4), "area": c.area, "area_name": c.area_name, "basis": c.basis,
                         "price_level": round(c.home_price_level, 3), "area_price_level": round(c.area_price_level, 3),
                         "take_home": c.amount},
        "flagged": th.flagged,
        "caveats": list(th.caveats),
        "left_out": list(LEFT_OUT),
        "sources": [_source_entry(table, k) for k in dict.fromkeys((tax_source, rep.price_source)) if k],
        "data": {"tax_year": th.tax_year, "price_year": table.price_year, "table": table.path},
    }


def after_tax_doc(table: Table, at: AfterTaxBand) -> dict[str, Any]:
    """The `after_tax` object added to a document by --after-tax (schemas/after-tax.schema.json)."""
    from .tax import FILING_STATUS, LEFT_OUT

    tax_source = table.tax.source if table.tax else ""
    keys = ("low", "mid", "high")
    return {
        "tax_year": at.tax_year,
        "wage_year": at.wage_year,
        "filing_status": FILING_STATUS,
        "state": at.state,
        "band": at.band.as_dict(),
        "col_band": at.col_band.as_dict(),
        "col_index": round(at.col_index, 4),
        "col_area_name": at.col_area_name,
        "col_basis": at.col_basis,
        "effective_rate": {k: round(r.effective_rate, 4) for k, r in zip(keys, at.results)},
        "lines": {k: take_home_lines(r) for k, r in zip(keys, at.results)},
        "flagged": at.flagged,
        "caveats": list(at.caveats),
        "left_out": list(LEFT_OUT),
        "sources": [_source_entry(table, k) for k in dict.fromkeys((tax_source, at.price_source)) if k],
    }
