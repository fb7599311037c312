"""JSON documents: results turned into the stable, documented shapes scripts read.

The rules every document keeps (docs/scripting.md, "JSON conventions"; checked over every kind by
tests/test_json_conventions.py): one object with `schema_version` and a snake_case `kind`;
money in whole dollars as integers, exact cents only in integer `*_cents` fields; a key `area`
is always a code ("US" or a USPS code) with `area_name` beside it; every result with figures
names its `sources` (one shape, `source_doc`), and every result with wages its `vintage`.
No Rich here: the --json path stays lean.

Kept whole (about 900 lines): it is one piece because every document must keep the same
conventions (above) and share one encoder of each part (`source_doc`, `flags_doc`, vintage, the
batch encoders); one file read beside schemas/ is how a change to the JSON is reviewed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .model import Estimate, Flag
from .query import Query
from .table import Table

if TYPE_CHECKING:  # pragma: no cover - tax.py, decide.py and backtest.py load only with the commands that use them
    from .backtest import Backtest, Check, Summary
    from .batch_rows import Priced
    from .decide import (
        AfterTaxSummary,
        Benefits,
        CareerResult,
        CertsResult,
        Lead,
        OfferCheck,
        OffersComparison,
        StatesComparison,
        StatesResult,
    )
    from .places import Location, Place
    from .tax import AfterTaxBand, TakeHome, TakeHomeReport

#: 2: kinds in snake_case (take_home), `area` always a code, take-home money in whole dollars plus
#: `*_cents`, `sources` and `vintage` everywhere, career `query.years` = experience (the changelog in docs/scripting.md).
SCHEMA_VERSION = 2


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)


def error_doc(code: str, message: str, exit_code: int, **extra: Any) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message, "exit_code": exit_code}
    err.update({k: v for k, v in extra.items() if v is not None})
    return {"schema_version": SCHEMA_VERSION, "kind": "error", "error": err}


def data_vintage(table: Table) -> dict[str, Any]:
    return {"wage_year": table.wage_year, "price_year": table.price_year, "table": table.path}


def source_doc(table: Table, key: str) -> dict[str, Any]:
    """One source, in the one shape every document's `sources` uses."""
    s = table.sources[key]
    return {"key": s.key, "name": s.name, "publisher": s.publisher, "year": s.year, "kind": s.kind, "url": s.url,
            "public_figure": s.kind != "assumption"}


def flags_doc(flags: Iterable[Flag]) -> list[dict[str, str]]:
    """`flags`: each thin-data warning once, in order."""
    return [f.as_dict() for f in dict.fromkeys(flags)]


def _sources(table: Table, keys: Iterable[str | None]) -> list[dict[str, Any]]:
    """`sources`: each key once, first use first."""
    return [source_doc(table, k) for k in dict.fromkeys(k for k in keys if k)]


def estimate_doc(table: Table, est: Estimate) -> dict[str, Any]:
    from .vintage import vintage

    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "estimate",
        "query": est.query.as_dict(),
        "place": place_doc(table, est.query),
        "wage_year": est.wage_year,
        "price_year": est.price_year,
        "vintage": vintage(table, est.query).as_dict(),
        "band": est.band.as_dict(),
        # null where the job's place has no price level (a territory's area: the notes say why)
        "col_adjusted": None if est.col is None else est.col.as_dict(),
        "factors": [f.as_dict(table) for f in est.factors],
        "notes": list(est.notes),
        "flags": flags_doc(est.flags),
        "sources": _sources(table, (f.source for f in est.factors)),
        "data": data_vintage(table),
    }


# --------------------------------------------------------------------------- take-home


def place_doc(table: Table, q: Any) -> dict[str, Any]:
    """The `place` object of a document: where the job is (kind metro, nonmetro, state or national; code; name;
    states), what was typed, and where its wages and its prices come from (none for a territory's area). `q`: a
    Query or a TakeHomeQuery. The places (places.py, places.toml) are read only for a query that has one."""
    loc: Location | None = q.area
    remote = bool(getattr(q, "remote", False))
    pl: Place | None = None
    if loc is not None and loc.kind in ("metro", "nonmetro"):
        from .places import place_of

        pl = place_of(table, loc.code)
        kind, code, name, states = pl.kind, pl.code, pl.name, list(pl.states)
    elif q.state is not None:
        st = table.states[q.state]
        kind, code, name, states = "state", st.code, st.name, [st.code]
    else:
        kind, code, name, states = "national", "US", "United States", []
    if not remote and q.state is None and pl is not None and pl.territory is not None:  # its own wages, no state
        wages: dict[str, Any] = {"from": pl.kind, "code": pl.code, "source": pl.wage_source, "tails": "published"}
    elif remote or q.state is None:
        wages = {"from": "national", "code": "US", "source": table.national_source, "tails": "published"}
    elif pl is not None and pl.wages is not None:
        wages = {"from": pl.kind, "code": pl.code, "source": pl.wage_source,
                 "tails": "derived" if pl.tails_derived else "published"}
    else:
        st = table.states[q.state]
        wages = {"from": "state", "code": st.code, "source": st.wage_source, "tails": "published"}
    col = getattr(q, "col", "all")
    if pl is not None and pl.territory is not None:  # BEA publishes no parity: no price level, none invented
        from .places import unpriced_note

        prices: dict[str, Any] = {"from": "none", "code": None, "source": None, "price_level": None,
                                  "note": unpriced_note(pl)}
    elif code == "US":
        prices = {"from": "national", "code": "US", "source": next(iter(table.states.values())).price_source,
                                  "price_level": 100.0}
    elif pl is None:  # a state
        st = table.states[code]
        prices = {"from": "state", "code": code, "source": st.price_source, "price_level": round(st.price_level(col), 3)}
    else:
        from .places import price_level, price_note, price_source

        own = (pl.rpp_housing if col == "housing" else pl.rpp_all) is not None
        pcode = code if own else pl.state if pl.kind == "nonmetro" else q.state
        prices = {"from": ("metro" if own else "state"), "code": pcode, "source": price_source(table, code, col),
                  "price_level": round(price_level(table, code, col), 3)}
        note = price_note(table, code, col)
        if note:
            prices["note"] = note
    return {"kind": kind, "code": code, "name": name, "states": states,
            "typed": None if loc is None else loc.typed, "zip": None if loc is None else loc.zip,
            "city": None if loc is None else loc.city, "county": None if loc is None else loc.county,
            "wages": wages, "prices": prices, "notes": [] if loc is None else list(loc.notes)}


def cents(x: float) -> int:
    """Dollars and cents (a float from tax.py, already rounded to the cent) as integer cents."""
    return int(round(x * 100))


def dollars(x: float) -> int:
    """Dollars and cents as whole dollars, halves up (the way the tables print them)."""
    return (cents(x) + 50) // 100


TAX_LINES = ("gross", "federal_income_tax", "social_security", "medicare", "state_income_tax", "local_income_tax",
             "take_home")


def local_lines(th: TakeHome) -> list[dict[str, Any]]:
    """The local income and wage taxes applied (issue 14): one object per jurisdiction."""
    return [{"key": ln.key, "jurisdiction": ln.jurisdiction, "state": ln.state, "kind": ln.kind,
             "applies_as": ln.applies_as, "base": ln.base, "base_amount": dollars(ln.base_amount), "rate": ln.rate,
             "amount": dollars(ln.amount), "amount_cents": cents(ln.amount), "source": ln.source, "basis": ln.note}
            for ln in th.local]


def take_home_lines(th: TakeHome) -> dict[str, Any]:
    """The tax lines of one take-home result: each in whole dollars (rounded one by one, so they may be a
    dollar off adding up) and exactly in integer cents (`*_cents`, which add up: take-home = gross - taxes)."""
    values = [getattr(th, k) for k in TAX_LINES]
    out: dict[str, Any] = {k: dollars(v) for k, v in zip(TAX_LINES, values)}
    out.update({f"{k}_cents": cents(v) for k, v in zip(TAX_LINES, values)})
    out["effective_rate"] = round(th.effective_rate, 4)
    return out


def take_home_working(th: TakeHome) -> dict[str, Any]:
    sw = th.state_working
    return {
        "federal": {"standard_deduction": dollars(th.federal_standard_deduction),
                    "taxable_income": dollars(th.federal_taxable_income), "marginal_rate": th.federal_marginal_rate},
        "additional_medicare": dollars(th.additional_medicare),
        "state": None if sw is None else {
            "code": sw.code, "deduction": dollars(sw.deduction), "exemption": dollars(sw.exemption),
            "taxable_income": dollars(sw.taxable_income), "tax_before_credit": dollars(sw.tax_before_credit),
            "credit": dollars(sw.credit), "marginal_rate": sw.marginal_rate, "adjustments": list(sw.adjustments),
        },
    }


def take_home_doc(table: Table, rep: TakeHomeReport) -> dict[str, Any]:
    """The `take-home` document (schemas/take-home.schema.json)."""
    from .tax import FILING_STATUS, LEFT_OUT

    th, c = rep.result, rep.col
    tax_source = table.tax.source if table.tax else ""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "take_home",
        "query": rep.query.as_dict(),
        "place": place_doc(table, rep.query),
        "tax_year": th.tax_year,
        "filing_status": FILING_STATUS,
        "state": th.state,
        "state_tax_included": th.state is not None,
        **take_home_lines(th),
        "working": take_home_working(th),
        "col_adjusted": {"index": round(c.ratio, 4), "area": c.area, "area_name": c.area_name, "basis": c.basis,
                         "price_level": round(c.home_price_level, 3), "area_price_level": round(c.area_price_level, 3),
                         "take_home": c.amount},
        "local": local_lines(th),
        "local_notes": list(th.local_notes),
        "flagged": th.flagged,
        "caveats": list(th.caveats),
        "left_out": list(LEFT_OUT),
        "notes": list(rep.query.notes),
        "sources": _sources(table, (tax_source, rep.price_source, *(ln.source for ln in th.local))),
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
        "local": local_lines(at.results[1]),
        "local_notes": list(at.results[1].local_notes),
        "flagged": at.flagged,
        "caveats": list(at.caveats),
        "left_out": list(LEFT_OUT),
        "sources": _sources(table, (tax_source, at.price_source, *(ln.source for ln in at.results[1].local))),
    }

# =========================================================================== deciding
# Documents for `states`, `compare`, `certs`, `career` and `offer`. Their shapes are described in
# docs/deciding.md, pinned by schemas/<kind>.schema.json and tests/test_decide_contract.py.
# `*_csv` turn a document into (header, rows) for --format csv, so CSV and JSON always agree.

def _head(kind: str, query: dict[str, Any], vintage: Any) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "kind": kind, "query": query,
            "wage_year": vintage.wage_year, "price_year": vintage.price_year, "vintage": vintage.as_dict()}


def _area(table: Table, home: str | None) -> dict[str, str]:
    """`area` (the comparison area's code: "US" or --home's) and `area_name`."""
    from .model import place_name

    return {"area": home or "US", "area_name": place_name(table, home)}


def _pct(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def states_doc(table: Table, res: StatesResult) -> dict[str, Any]:
    from .decide import sort_order

    areas = res.what == "areas"
    query = {**res.query.as_dict(), "sort": res.sort, "top": res.top}
    if areas:  # `areas`: the profile's state is each area's; --state chooses which areas
        query.update({"state": res.within, "area": None, "zip": None})
    doc = _head(res.what, query, res.vintage)
    doc.update({
        "sort": res.sort, "sort_order": sort_order(res.sort, res.after_tax is not None),
        **_area(table, res.query.home_place), "total": res.total,
        "rows": [{"rank": r.rank, "code": r.code, "name": r.name, **({"kind": r.kind, "states": list(r.states)}
                                                                      if areas else {}),
                  "band": r.band.as_dict(), "price_level": round(r.price_level, 3), "adjusted": r.adjusted.as_dict(),
                  "employment": r.employment, "flags": flags_doc(r.flags)}
                 for r in res.rows],
        "notes": list(res.notes),
        "flags": flags_doc(f for r in res.rows for f in r.flags),
        "sources": _sources(table, res.sources),
        "data": data_vintage(table),
    })
    if res.after_tax is not None:
        add_states_after_tax(table, doc, res)
    return doc


def _lead_doc(lead: Lead) -> dict[str, Any]:
    return {"measure": lead.measure, "winner": lead.winner, "runner_up": lead.runner_up, "by": lead.by.as_dict(),
            "by_home": None if lead.by_home is None else lead.by_home.as_dict()}


def compare_doc(table: Table, res: StatesComparison | OffersComparison) -> dict[str, Any]:
    from .decide import StatesComparison

    q = res.query
    if isinstance(res, StatesComparison):
        query = {**q.as_dict(), "states": [r.code for r in res.rows if not r.state],
                 "areas": [r.code for r in res.rows if r.state], "offers": []}
        rows: list[dict[str, Any]] = [
            {"kind": "state" if not r.state else "metro" if len(r.code) == 5 else "nonmetro", "code": r.code,
             "name": r.name, "band": r.band.as_dict(),
             "price_level": round(r.price_level, 3), "adjusted": r.adjusted.as_dict(),
             "vs_first": {"pay": r.vs_first.as_dict(), "adjusted": r.adjusted_vs_first.as_dict()}}
            for r in res.rows]
        leads = [_lead_doc(res.highest_pay), _lead_doc(res.most_purchasing_power)]
        mode = "states"
    else:
        query = {**q.as_dict(), "states": [], "areas": [],
                 "offers": [{"state": r.state or r.code, "area": r.code if r.state else None, "salary": r.salary}
                            for r in res.rows]}
        rows = [{"kind": "offer", "label": r.label, "code": r.code, "name": r.name, "salary": r.salary,
                 "setting": r.setting, "remote": r.remote,
                 "price_level": round(r.price_level, 3), "us_dollars": r.us_dollars, "home_dollars": r.home_dollars,
                 "market": r.market.as_dict(), "vs_market": r.vs_market.as_dict(), "vs_first": r.vs_first.as_dict()}
                for r in res.rows]
        leads = [] if res.best is None else [_lead_doc(res.best)]
        mode = "offers"
    doc = _head("compare", query, res.vintage)
    doc.update({"mode": mode, **_area(table, q.home_place), "rows": rows, "leads": leads, "notes": list(res.notes),
                "flags": flags_doc(res.flags), "sources": _sources(table, res.sources),
                "data": data_vintage(table)})
    if res.after_tax is not None:
        add_compare_after_tax(table, doc, res)
    return doc


def certs_doc(table: Table, res: CertsResult) -> dict[str, Any]:
    from .decide import signed_dollars

    rows = []
    keys: list[str | None] = []
    for r in res.rows:
        ap = r.apprentice
        keys += [r.cost_source, *(p.source for p in r.cost_parts)] + ([ap.ratio_source, ap.months_source] if ap else [])
        rows.append({
            "code": r.code, "name": r.name, "body": r.body, "held": r.held,
            "pay_without": r.pay_without, "pay_with": r.pay_with, "uplift": r.uplift,
            "monthly_uplift": signed_dollars(r.uplift / 12),
            "cost": r.cost,
            "cost_parts": [{"item": p.item, "amount": p.amount, "source": p.source, "terms": p.terms or None}
                           for p in r.cost_parts],
            "cost_note": r.cost_note or None, "cost_source": r.cost_source, "yearly_membership": r.yearly_membership,
            "member_exam_fee": r.member_exam_fee, "two_attempt_exam_fee": r.two_attempt_exam_fee,
            "renewal": r.renewal, "renewal_note": r.renewal_note or None,
            "apprentice": None if ap is None else {
                "months": ap.months, "months_public_figure": table.sources[ap.months_source].kind != "assumption",
                "months_source": ap.months_source, "ratio": ap.ratio, "ratio_source": ap.ratio_source,
                "ratio_basis": ap.ratio_basis, "pay": ap.pay, "uplift": ap.uplift,
                "monthly_uplift": signed_dollars(ap.uplift / 12), "ratio_pay": ap.ratio_pay,
                "floored": ap.floored},
            "payback_months": None if r.payback_months is None else round(r.payback_months, 1),
            "payback_note": r.payback_note,
            "first_year_uplift": r.first_year_uplift, "first_year_return": r.first_year_return,
            "net_gain": [{"years": g.years, "extra_pay": g.extra_pay, "costs": g.costs, "net": g.net}
                         for g in r.net_gain],
        })
    doc = _head("certs", res.query.as_dict(), res.vintage)
    doc.update({
        "place": res.place, "rows": rows,
        "training": [{"key": t.key, "label": t.label, "low": t.low, "high": t.high, "source": t.source}
                     for t in res.training],
        "notes": list(res.notes),
        "flags": flags_doc(res.flags),
        "sources": _sources(table, [*res.sources, *keys, *(t.source for t in res.training)]),
        "data": data_vintage(table),
    })
    return doc


def career_doc(table: Table, res: CareerResult) -> dict[str, Any]:
    q = res.query.as_dict()
    q.pop("level")
    q.update({"years": res.start_experience, "span": res.span,
              "raise": None if res.raise_from_table else res.raise_rate,
              "add_cert": [f"{c}@{y}" for c, y in res.added], "ladder": res.promotions})
    doc = _head("career", q, res.vintage)
    doc.update({
        "place": place_doc(table, res.query),
        "start_year": res.rows[0].calendar_year,
        "raise": {"rate": res.raise_rate, "from_table": res.raise_from_table, "basis": res.raise_basis,
                  "source": res.raise_source or None},
        "promotions": res.promotions,
        "ladder": [{"role": r.key, "label": r.label, "from_years": r.from_years, "source": r.source,
                    "public_figure": table.sources[r.source].kind != "assumption",
                    "occupation": r.occupation or None,
                    "positions": list(r.positions) if r.positions is not None else None} for r in res.ladder],
        **_area(table, res.query.home_place),
        "rows": [{"year": y.year, "calendar_year": y.calendar_year, "experience": y.experience, "role": y.role,
                  "role_label": y.role_label, "credentials": list(y.credentials), "base": y.base, "salary": y.salary,
                  "adjusted": y.adjusted, "events": list(y.events), "apprentice": list(y.apprentice)} for y in res.rows],
        "coder_median": {"salary": res.coder_median, "year": table.wage_year, "source": res.coder_median_source},
        "related": [{"occupation": r.code, "label": r.label, "title": r.title, "p25": r.p25, "median": r.median,
                     "p75": r.p75, "employment": r.employment, "vs_coder": r.vs_coder.as_dict(), "source": r.source}
                    for r in res.related],
        "notes": list(res.notes),
        "flags": flags_doc(res.flags),
        "sources": _sources(table, [*res.sources, res.raise_source, res.coder_median_source,
                                    *(r.source for r in res.ladder), *(r.source for r in res.related)]),
        "data": data_vintage(table),
    })
    return doc


def offer_doc(table: Table, res: OfferCheck, benefits: Benefits | None = None) -> dict[str, Any]:
    b = benefits if benefits is not None and benefits.given() else None
    q = {**res.query.as_dict(), "salary": res.salary,
         "benefits": None if b is None else {"match_pct": b.match_pct, "health": b.health, "pto_days": b.pto_days,
                                             "bonus_pct": b.bonus_pct}}
    doc = _head("offer", q, res.vintage)
    t = res.total
    wm = res.whole_market
    doc.update({
        "place": place_doc(table, res.query),
        "salary": res.salary,
        "percentile": round(res.percentile, 1),
        "beyond_published": res.beyond,
        "whole_market": {"percentile": round(wm.percentile, 1), "beyond_published": wm.beyond, "area": wm.area,
                         "area_name": wm.area_name, "source": wm.source},
        "verdict": res.verdict,
        "market": res.market.as_dict(),
        "thresholds": {"below_market_under": res.market.low, "above_market_over": res.market.high,
                       "positions": [round(p, 1) for p in res.positions]},
        "target": {"salary": res.target, "reason": res.target_reason},
        "adjusted_salary": {"amount": res.adjusted_salary, "area": res.estimate.priced_col.area, "area_name": res.area,
                            "basis": res.query.col},
        "total_compensation": None if t is None else {
            "salary": t.salary, "match": t.match, "health": t.health, "bonus": t.bonus, "total": t.total,
            "pto_days": t.pto_days, "pto_value": t.pto_value, "work_days_per_year": t.work_days},
        "factors": [f.as_dict(table) for f in res.estimate.factors],
        "notes": list(res.notes),
        "flags": flags_doc(res.estimate.flags),
        "sources": _sources(table, [*(f.source for f in res.estimate.factors),
                                    table.work_days_source if t is not None and t.pto_days else None]),
        "data": data_vintage(table),
    })
    if res.after_tax is not None:
        add_offer_after_tax(table, doc, res)
    return doc


# --------------------------------------------------------------------------- CSV tables


def _band_cells(b: dict[str, Any]) -> list[Any]:
    return [b["low"], b["mid"], b["high"]]


def csv_table(doc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) for a list document; None cells become empty."""
    kind = doc["kind"]
    if kind == "states":
        header = ["rank", "code", "name", "low", "mid", "high", "price_level", "adjusted_low", "adjusted_mid",
                  "adjusted_high", "employment"]
        rows = [[r["rank"], r["code"], r["name"], *_band_cells(r["band"]), r["price_level"], *_band_cells(r["adjusted"]),
                 r["employment"]] for r in doc["rows"]]
    elif kind == "areas":
        header = ["rank", "code", "name", "kind", "states", "low", "mid", "high", "price_level", "adjusted_low",
                  "adjusted_mid", "adjusted_high", "employment", "flags"]
        rows = [[r["rank"], r["code"], r["name"], r["kind"], "-".join(r["states"]), *_band_cells(r["band"]),
                 r["price_level"], *_band_cells(r["adjusted"]), r["employment"],
                 ";".join(f["code"] for f in r["flags"])] for r in doc["rows"]]
    elif kind == "compare" and doc["mode"] == "states":
        header = ["code", "name", "low", "mid", "high", "price_level", "adjusted_low", "adjusted_mid", "adjusted_high",
                  "pay_vs_first_dollars", "pay_vs_first_percent", "adjusted_vs_first_dollars", "adjusted_vs_first_percent"]
        rows = [[r["code"], r["name"], *_band_cells(r["band"]), r["price_level"], *_band_cells(r["adjusted"]),
                 r["vs_first"]["pay"]["dollars"], r["vs_first"]["pay"]["percent"],
                 r["vs_first"]["adjusted"]["dollars"], r["vs_first"]["adjusted"]["percent"]] for r in doc["rows"]]
    elif kind == "compare":
        header = ["code", "name", "salary", "price_level", "us_dollars", "home_dollars", "market_low", "market_mid",
                  "market_high", "vs_market_dollars", "vs_market_percent", "vs_first_dollars", "vs_first_percent"]
        rows = [[r["code"], r["name"], r["salary"], r["price_level"], r["us_dollars"], r["home_dollars"],
                 *_band_cells(r["market"]), r["vs_market"]["dollars"], r["vs_market"]["percent"],
                 r["vs_first"]["dollars"], r["vs_first"]["percent"]] for r in doc["rows"]]
    elif kind == "certs":
        from .decide import NET_GAIN_YEARS

        header = ["code", "name", "body", "held", "pay_without", "pay_with", "uplift", "cost", "payback_months",
                  "first_year_uplift", "first_year_return", *(f"net_gain_{n}y" for n in NET_GAIN_YEARS),
                  "apprentice_months", "apprentice_uplift", "cost_note", "payback_note"]
        rows = [[r["code"], r["name"], r["body"], str(r["held"]).lower(), r["pay_without"], r["pay_with"], r["uplift"],
                 r["cost"], r["payback_months"], r["first_year_uplift"], r["first_year_return"],
                 *({g["years"]: g["net"] for g in r["net_gain"]}.get(n) for n in NET_GAIN_YEARS),
                 (r["apprentice"] or {}).get("months"), (r["apprentice"] or {}).get("uplift"),
                 r["cost_note"], r["payback_note"]] for r in doc["rows"]]
    elif kind == "career":
        header = ["year", "calendar_year", "experience", "role", "credentials", "salary", "adjusted", "events"]
        rows = [[r["year"], r["calendar_year"], r["experience"], r["role"], " ".join(r["credentials"]), r["salary"],
                 r["adjusted"], "; ".join(r["events"])] for r in doc["rows"]]
    else:
        raise ValueError(f"no CSV form for a {kind!r} document")
    if "after_tax" in doc:
        extra, cells = after_tax_csv(doc)
        header = header + extra
        rows = [row + more for row, more in zip(rows, cells)]
    return header, [["" if c is None else c for c in row] for row in rows]


# --------------------------------------------------------------------------- batch and data

#: The fields of a batch row, in order: `--fields` chooses among them, and they are the columns of
#: `batch --format csv` and the keys of slim JSON lines (`--fields`, `--compact`). Documented in
#: docs/scripting.md ("Batch output") and schemas/batch-row.schema.json.
BATCH_FIELDS: dict[str, str] = {
    "row": "the data row's number as a spreadsheet shows it: data row N is line N+1 (the header is line 1; blank lines "
           "and repeated headers are counted, and skipped)",
    "state": "USPS code (empty / null: national)",
    "area": "the metro (CBSA) or nonmetro area (BLS code) of a location or ZIP column; a state code where the place "
            "is priced as its state (empty / null: none given)",
    "area_name": "that place's name",
    "cert": "credentials held (CSV: joined with ';'; JSON: a list)",
    "years": "years of experience (3.5 stays 3.5)",
    "level": "entry, mid, senior, supervisor, manager or director",
    "specialty": "the specialty key (general: none)",
    "setting": "the work-setting key (any: the whole market)",
    "remote": "true or false",
    "home": "the state whose prices the adjusted band is in (empty / null: US average)",
    "col": "all or housing",
    "as_of": "the year the wages are aged to, as the row asked (empty / null: not asked)",
    "wage_year": "the year of the band's dollars: BLS's wage year, or the year they are aged to (as_of; a row with "
                 "pay is judged in today's dollars unless as_of names another year)",
    "low": "salary band, low (whole dollars)",
    "mid": "salary band, typical",
    "high": "salary band, high",
    "adjusted_low": "the band in the comparison area's prices, low",
    "adjusted_mid": "... typical",
    "adjusted_high": "... high",
    "salary": "the row's salary (a salary column only), whole dollars a year",
    "percentile": "where the salary falls in the profile's market, 10-90 (one decimal): BLS publishes nothing beyond "
                  "(see position)",
    "verdict": "below market, within market or above market",
    "target": "counter-offer target: the typical pay when the salary is below it, else the salary",
    "gap": "target minus salary: the raise to the typical pay (0 at or above it), whole dollars a year",
    "position": "the percentile as read: 'p41', or 'below p10' / 'above p90' beyond the range BLS publishes",
    "take_home": "take-home of the salary (--after-tax), whole dollars",
    "take_home_adjusted": "that take-home in the comparison area's prices",
    "effective_rate": "all taxes / salary (four decimals)",
}
BATCH_OFFER_FIELDS = ("salary", "percentile", "verdict", "target", "gap", "position")
BATCH_TAX_FIELDS = ("take_home", "take_home_adjusted", "effective_rate")
BATCH_PROFILE_FIELDS = tuple(f for f in BATCH_FIELDS if f not in BATCH_OFFER_FIELDS + BATCH_TAX_FIELDS)
#: `--compact`: the band and the adjusted typical pay; with a salary column the offer check; with
#: --after-tax the take-home.
BATCH_COMPACT_FIELDS = ("row", "wage_year", "low", "mid", "high", "adjusted_mid", *BATCH_OFFER_FIELDS, "take_home")
#: Columns of `batch --format csv` for rows without pay: the row number, the normalized inputs, the band,
#: the adjusted band, `notes` (how the row was read: an hourly rate converted, a credential priced without;
#: empty otherwise) and `error` (the reason a row failed; empty otherwise). Kept input columns come first;
#: a pay column adds BATCH_OFFER_FIELDS (and --after-tax BATCH_TAX_FIELDS) before `notes`.
BATCH_CSV_COLUMNS = (*BATCH_PROFILE_FIELDS, "notes", "error")
_FIELD_INDEX = {f: i for i, f in enumerate(BATCH_FIELDS)}
_NO_OFFER = (None,) * (len(BATCH_OFFER_FIELDS) + len(BATCH_TAX_FIELDS))


def batch_fields(chosen: str | None, compact: bool, has_salary: bool, after_tax: bool) -> tuple[str, ...]:
    """The fields of each row: `--fields a,b` (checked), `--compact`, or all that apply."""
    from .query import UsageError

    available = BATCH_PROFILE_FIELDS + (BATCH_OFFER_FIELDS if has_salary else ()) + (BATCH_TAX_FIELDS if after_tax else ())
    if chosen is None:
        return tuple(f for f in BATCH_COMPACT_FIELDS if f in available) if compact else available
    if compact:
        raise UsageError("conflicting_options", "--compact conflicts with --fields; give one of them.", "fields")
    out: list[str] = []
    for part in chosen.split(","):
        f = part.strip().lower().replace("-", "_")
        if not f:
            continue
        if f not in BATCH_FIELDS:
            import difflib

            near = difflib.get_close_matches(f, list(BATCH_FIELDS), n=1, cutoff=0.6)
            hint = f" Did you mean {near[0]}?" if near else ""
            raise UsageError("bad_fields", f"--fields: unknown field '{part.strip()[:40]}'.{hint} "
                                           f"Fields: {', '.join(BATCH_FIELDS)}.", "fields")
        if f not in available:
            why = "a salary column in the input" if f in BATCH_OFFER_FIELDS or not has_salary else "--after-tax"
            raise UsageError("bad_fields", f"--fields {f} needs {why}.", "fields")
        if f not in out:
            out.append(f)
    if not out:
        raise UsageError("empty_value", "--fields needs at least one field, such as --fields row,mid.", "fields")
    return tuple(out)


def batch_values(n: int, p: Priced) -> tuple[Any, ...]:
    """Every BATCH_FIELDS value of a priced batch row, as JSON values (None: not given)."""
    q, b, a, o, year = p
    loc = q.area
    head = (n, q.state, None if loc is None else loc.code, None if loc is None else loc.name, q.credentials, q.years,
            q.level, q.specialty, q.setting, q.remote, q.home, q.col, q.as_of, year,
            b.low, b.mid, b.high, a.low, a.mid, a.high)
    if o is None:
        return head + _NO_OFFER
    return head + (o.salary, round(o.percentile, 1), o.verdict, o.target, o.target - o.salary,
                   position(o.percentile, o.beyond),
                   o.take_home, o.take_home_adjusted, None if o.effective_rate is None else round(o.effective_rate, 4))


def position(percentile: float | None, beyond: str | None = None) -> str | None:
    """A percentile as read: 'p41'; beyond the published range (BLS publishes p10 to p90; `beyond`: 'below' or
    'above', as Distribution.beyond says) 'below p10' or 'above p90'."""
    if percentile is None:
        return None
    if beyond == "below" or percentile < 10:
        return "below p10"
    if beyond == "above" or percentile > 90:
        return "above p90"
    return f"p{int(percentile + 0.5)}"


_CSV_SPECIAL = re.compile(r'[",\r\n]')


def csv_cell(value: Any) -> str:
    """One value as a cell of comma-separated text, quoted as csv.writer does (only when it holds a
    comma, a quote or a line break): None -> '', True -> 'true', a list -> its items joined with ';'."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"' if _CSV_SPECIAL.search(value) else value
    if isinstance(value, (list, tuple)):
        return csv_cell(";".join(map(str, value)))
    return str(value)


class _Cells(dict[Any, str]):
    """Values -> their CSV text (`text`: csv_cell), remembered: `cells[value]` is one dictionary lookup once a value
    has been seen (table keys and codes, credential lists, places: few). Bounded (memory stays flat)."""

    def __init__(self, text: Callable[[Any], str] = csv_cell):
        super().__init__()
        self.text = text

    def __missing__(self, value: Any) -> str:
        if len(self) > 4096:
            self.clear()
        cell = self[value] = self.text(value)
        return cell


def _profile_tail(fields: tuple[Any, ...]) -> str:
    """The cells of a Query's (level, specialty, setting, remote, home, col, as_of): most rows share them."""
    level, specialty, setting, remote, home, col, as_of = fields
    return (f"{csv_cell(level)},{csv_cell(specialty)},{csv_cell(setting)},{'true' if remote else 'false'},"
            f"{csv_cell(home)},{csv_cell(col)},{'' if as_of is None else as_of}")


_TAIL = slice(Query._fields.index("level"), Query._fields.index("as_of") + 1)


def batch_csv_encoder(fields: Sequence[str]) -> Callable[[int, Priced], str]:
    """The CSV text of `fields` for a priced row, without a line ending (cert joined with ';', remote
    true/false, None empty). Written directly, not through csv.writer: this runs once per row."""
    idx = [_FIELD_INDEX[f] for f in fields]
    memo: dict[int, tuple[Priced, str]] = {}  # id(row) -> (row, its text after the row number)

    if idx == list(range(len(idx))) and len(idx) >= len(BATCH_PROFILE_FIELDS):  # the default columns
        taxed = len(idx) > len(BATCH_PROFILE_FIELDS) + len(BATCH_OFFER_FIELDS)
        blank = "," * (len(idx) - len(BATCH_PROFILE_FIELDS))
        cell = _Cells()  # every text value of a row is a key, a code, a place or a credential list
        tail = _Cells(_profile_tail)
        bands = "%d,%d,%d,%d,%d,%d".__mod__  # the band and the adjusted band: whole dollars (ints)

        def every(n: int, p: Priced) -> str:
            q, b, a, o, year = p
            if not blank:  # no offer columns (JSON Lines input whose first line had no salary)
                o = None
            if o is None:  # a profile without a salary: the same text every time it comes back
                hit = memo.get(id(p))
                if hit is not None and hit[0] is p:
                    return f"{n},{hit[1]}"
            loc = q.area
            years = q.years
            text = (f"{cell[q.state]},{',' if loc is None else cell[loc.code] + ',' + cell[loc.name]},"
                    f"{cell[q.credentials]},{'' if years is None else years},{tail[q[_TAIL]]},{year},{bands(b + a)}")
            if o is None:
                if len(memo) > 8192:
                    memo.clear()
                text = text + blank
                memo[id(p)] = (p, text)
                return f"{n},{text}"
            pct, salary, target = o.percentile, o.salary, o.target
            # f"{pct:.1f}" is str(round(pct, 1)) (the same correctly rounded digits) for a percentile, 3x quicker
            text = (f"{n},{text},{salary},{pct:.1f},{cell[o.verdict]},{target},{target - salary},"
                    f"{position(pct, o.beyond)}")
            if taxed:
                rate = "" if o.effective_rate is None else round(o.effective_rate, 4)
                text += f",{csv_cell(o.take_home)},{csv_cell(o.take_home_adjusted)},{rate}"
            return text
        return every

    def cells(n: int, p: Priced) -> str:
        v = batch_values(n, p)
        return ",".join([csv_cell(v[i]) for i in idx])
    return cells


def batch_json_encoder(fields: Sequence[str]) -> Callable[[int, Priced, dict[str, Any] | None], str]:
    """A slim JSON line (kind batch_row, schemas/batch-row.schema.json) of `fields` for a priced row:
    the text `dumps` gives, written directly (this runs once per row)."""
    idx = [_FIELD_INDEX[f] for f in fields]
    head = f'{{"schema_version": {SCHEMA_VERSION}, "kind": "batch_row", '
    keys = [f'"{f}": ' for f in fields]
    pairs = list(zip(keys, idx))
    text = json.encoder.encode_basestring  # (ensure_ascii=False, as dumps)

    def value(v: Any) -> str:
        t = type(v)
        if t is int:
            return str(v)
        if t is str:
            return text(v)
        if v is None:
            return "null"
        if t is bool:
            return "true" if v else "false"
        if t is float:
            return repr(v) if v == v and v not in (float("inf"), float("-inf")) else dumps(v)
        if t is tuple:
            return "[" + ", ".join(map(text, v)) + "]"
        return dumps(v)

    memo: dict[int, tuple[Priced, list[str]]] = {}  # id(row) -> (row, its fields' text; the row number's None)
    row_at = list(fields).index("row") if "row" in fields else -1

    def line(n: int, p: Priced, inp: dict[str, Any] | None) -> str:
        hit = memo.get(id(p)) if p.offer is None else None
        if hit is not None and hit[0] is p:  # a profile seen before: only the row number changes
            parts = hit[1].copy()
        else:
            v = batch_values(n, p)
            parts = [k + value(v[i]) for k, i in pairs]
            if p.offer is None:
                if len(memo) > 8192:
                    memo.clear()
                memo[id(p)] = (p, parts.copy())
        if row_at >= 0:
            parts[row_at] = f'"row": {n}'
        body = ", ".join(parts)
        if inp is None:
            return head + body + "}"
        return head + '"input": ' + dumps(inp) + ", " + body + "}"
    return line


def with_input(line: str, inp: dict[str, Any] | None) -> str:
    """A JSON object's text with the kept input cells added as `input` (batch --keep)."""
    return line if inp is None else line[:-1] + ', "input": ' + dumps(inp) + "}"


def batch_error_doc(row: int, code: str, message: str, field: str | None = None,
                    inp: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Lines line written in place of a batch row that gave no result."""
    err: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        err["field"] = field
    doc = {"schema_version": SCHEMA_VERSION, "kind": "batch_row_error", "row": row, "error": err}
    if inp is not None:
        doc["input"] = inp
    return doc


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
        "sources": _sources(table, table.sources),
        "counts": {k: len(v) for k, v in coverage.items()} | {"sources": len(table.sources)},
        "coverage": coverage,
        "places": places_show_doc(table),
    }


def places_show_doc(table: Table) -> dict[str, Any] | None:
    """`data show`'s places: the file, and every metro and nonmetro area with what the sources give for it
    (None: the places file cannot be read; `data validate` says why)."""
    from .places import load_places, places_path, zips_path
    from .table import TableError

    try:
        pls = load_places(table)
    except TableError:
        return None
    metros = [{"code": m.code, "name": m.name, "states": list(m.states), "wages": m.wages is not None,
               "prices": m.rpp_all is not None} for m in pls.metros.values()]
    return {"path": str(places_path(table)), "zips": str(zips_path(table)),
            "counts": {"metros": len(metros), "metros_with_wages": sum(m["wages"] for m in metros),
                       "metros_with_prices": sum(m["prices"] for m in metros), "nonmetro": len(pls.nonmetro),
                       "names": sum(len(v) for v in pls.names.values())},
            "metros": metros,
            "nonmetro": [{"code": n.code, "name": n.name, "state": n.state} for n in pls.nonmetro.values()]}


def data_validate_doc(path: str, problems: list[Any]) -> dict[str, Any]:
    """The result of checking a table: valid or not, and every problem with its key and line."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "data_validate",
        "path": path,
        "valid": not problems,
        "problems": [{"key": p.key, "line": p.line, "message": p.message} for p in problems],
    }


def data_check_doc(table: Table, bt: Backtest, family: str | None = None, failed_only: bool = False) -> dict[str, Any]:
    """The back-test (`data check`): each published figure next to the model's answer, a summary per family.
    Dollars are whole dollars; ratios and relative errors are fractions. `checks` lists every check, or only the
    failed ones with `failed_only`; the summaries always count them all."""
    from .model import round_dollars

    def dollars_or_ratio(c: Check, x: float | None) -> float | int | None:
        if x is None:
            return None
        return round_dollars(x) if c.unit == "dollars" else round(x, 4)

    def row(c: Check) -> dict[str, Any]:
        src = table.sources[c.source]
        return {"family": c.family, "key": c.key, "label": c.label, "profile": c.profile, "unit": c.unit,
                "statistic": c.statistic, "published": dollars_or_ratio(c, c.published),
                "low": dollars_or_ratio(c, c.low), "high": dollars_or_ratio(c, c.high),
                "as_published": [round_dollars(x) for x in c.as_published], "model": dollars_or_ratio(c, c.model),
                "error": round(c.error, 5), "tolerance": c.tolerance, "passed": c.passed, "held": c.held,
                "failed": c.failed, "note": c.note, "source": src.name, "source_key": src.key, "year": src.year}

    def summary(s: Summary) -> dict[str, Any]:
        w = s.worst
        return {"family": s.family, "title": s.title, "count": s.total, "held": s.held, "passed": s.passed,
                "failed": s.failed, "not_held": s.not_held, "not_held_outside_tolerance": s.outside,
                "worst": None if w is None else {"key": w.key, "label": w.label, "error": round(w.error, 5),
                                                 "tolerance": w.tolerance}}

    sums = bt.summaries
    f = bt.footing
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "data_check",
        "path": table.path,
        "wage_year": table.wage_year,
        "ok": bt.ok,
        "filter": {"family": family, "failed_only": failed_only},
        "mean_to_median": {"median": round_dollars(f.median), "mean": round_dollars(f.mean), "factor": round(f.factor, 5)},
        "families": [summary(s) for s in sums],
        "total": {"count": sum(s.total for s in sums), "held": sum(s.held for s in sums),
                  "passed": sum(s.passed for s in sums), "failed": sum(s.failed for s in sums),
                  "not_held": sum(s.not_held for s in sums)},
        "checks": [row(c) for c in bt.shown(failed_only)],
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
            return dumps(_sources(table, keys))

        @lru_cache(maxsize=64)
        def vintage(as_of: int | None, col: str) -> str:  # all a vintage depends on
            from .query import Query
            from .vintage import vintage

            return dumps(vintage(table, Query(as_of=as_of, col=col)).as_dict())

        @lru_cache(maxsize=cache_size)
        def place(q: Any) -> str:
            return dumps(place_doc(table, q))

        self._query, self._factor, self._notes, self._sources, self._vintage = query, factor, notes, sources, vintage
        self._place = place

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
                f'"place": {self._place(est.query)}, "wage_year": {est.wage_year}, "price_year": {est.price_year}, '
                f'"vintage": {self._vintage(est.query.as_of, est.query.col)}, '
                f'"band": {self._band(est.band)}, '
                f'"col_adjusted": {dumps(est.priced_col.as_dict())}, "factors": [{", ".join(map(self._factor, est.factors))}], '
                f'"notes": {self._notes(est.notes)}, "flags": {dumps(flags_doc(est.flags))}, '
                f'"sources": {self._sources(tuple(f.source for f in est.factors))}, '
                f'"data": {self._data}}}')


# =========================================================================== after tax
# --after-tax on `states`, `compare` and `offer`: keys added ONLY with --after-tax, so documents
# without it are unchanged: `query.after_tax` (true), a top-level `after_tax` object, and an
# `after_tax` object on each row. Pinned by schemas/{states,compare,offer}.schema.json and
# tests/test_after_tax_contract.py; described in docs/after-tax.md.


def after_tax_summary_doc(table: Table, s: AfterTaxSummary) -> dict[str, Any]:
    """The top-level `after_tax` object of `states` and `compare`."""
    from .tax import FILING_STATUS, LEFT_OUT

    return {"tax_year": s.tax_year, "filing_status": FILING_STATUS, "state_tax": s.state_tax, "measure": s.measure,
            "flagged": list(s.flagged), "caveats": list(s.caveats), "left_out": list(LEFT_OUT),
            "sources": _sources(table, s.sources)}


def add_states_after_tax(table: Table, doc: dict[str, Any], res: StatesResult) -> None:
    assert res.after_tax is not None
    doc["query"]["after_tax"] = True
    for row, r in zip(doc["rows"], res.rows):
        at = r.after_tax
        assert at is not None
        row["after_tax"] = {"band": at.band.as_dict(), "adjusted": at.col_band.as_dict(),
                            "typical": take_home_lines(at.results[1]), "flagged": at.flagged}
    doc["after_tax"] = after_tax_summary_doc(table, res.after_tax)


def add_compare_after_tax(table: Table, doc: dict[str, Any], res: StatesComparison | OffersComparison) -> None:
    from .decide import StatesComparison

    assert res.after_tax is not None
    doc["query"]["after_tax"] = True
    if isinstance(res, StatesComparison):
        for row, r in zip(doc["rows"], res.rows):
            sa = r.after_tax
            assert sa is not None
            at = sa.take_home
            row["after_tax"] = {"band": at.band.as_dict(), "adjusted": at.col_band.as_dict(),
                                "typical": take_home_lines(at.results[1]), "flagged": at.flagged,
                                "vs_first": {"take_home": sa.vs_first.as_dict(),
                                             "adjusted": sa.adjusted_vs_first.as_dict()}}
        doc["leads"] += [_lead_doc(lead) for lead in res.after_tax_leads]
    else:
        for row, o in zip(doc["rows"], res.rows):
            oa = o.after_tax
            assert oa is not None
            row["after_tax"] = {"lines": take_home_lines(oa.result), "us_dollars": oa.us_dollars,
                                "home_dollars": oa.home_dollars, "vs_first": oa.vs_first.as_dict(),
                                "flagged": oa.result.flagged}
        if res.after_tax_best is not None:
            doc["leads"].append(_lead_doc(res.after_tax_best))
    doc["after_tax"] = after_tax_summary_doc(table, res.after_tax)


def add_offer_after_tax(table: Table, doc: dict[str, Any], res: OfferCheck) -> None:
    from .tax import FILING_STATUS, LEFT_OUT

    oa = res.after_tax
    assert oa is not None
    doc["query"]["after_tax"] = True
    t = res.total
    tax_source = table.tax.source if table.tax else ""
    caveats = list(dict.fromkeys(oa.salary.caveats))
    doc["after_tax"] = {
        "tax_year": oa.salary.tax_year,
        "filing_status": FILING_STATUS,
        "state": oa.salary.state,
        "salary": take_home_lines(oa.salary),
        "adjusted": {"amount": oa.adjusted, "area": res.estimate.priced_col.area, "area_name": oa.area, "basis": res.query.col},
        "total_compensation": None if t is None or oa.wages is None else {
            "taxable_wages": t.salary + t.bonus,
            "lines": take_home_lines(oa.wages),
            "untaxed": {"match": t.match, "health": t.health},
            "total": oa.total,
        },
        "flagged": oa.salary.flagged,
        "caveats": caveats,
        "left_out": list(LEFT_OUT),
        "sources": _sources(table, (tax_source, oa.price_source)),
    }


def after_tax_csv(doc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The extra CSV columns of an --after-tax document, one list of cells per row."""
    kind, rows = doc["kind"], doc["rows"]
    if kind in ("states", "areas") or (kind == "compare" and doc["mode"] == "states"):
        header = ["take_home_low", "take_home_mid", "take_home_high", "take_home_adjusted_low",
                  "take_home_adjusted_mid", "take_home_adjusted_high", "effective_rate", "tax_flagged"]
        cells = [[*_band_cells(r["after_tax"]["band"]), *_band_cells(r["after_tax"]["adjusted"]),
                  r["after_tax"]["typical"]["effective_rate"], str(r["after_tax"]["flagged"]).lower()] for r in rows]
        if kind == "compare":
            header += ["take_home_vs_first_dollars", "take_home_vs_first_percent",
                       "take_home_adjusted_vs_first_dollars", "take_home_adjusted_vs_first_percent"]
            for c, r in zip(cells, rows):
                vs = r["after_tax"]["vs_first"]
                c += [vs["take_home"]["dollars"], vs["take_home"]["percent"], vs["adjusted"]["dollars"],
                      vs["adjusted"]["percent"]]
        return header, cells
    header = ["federal_income_tax", "social_security", "medicare", "state_income_tax", "take_home", "effective_rate",
              "take_home_us_dollars", "take_home_home_dollars", "take_home_vs_first_dollars",
              "take_home_vs_first_percent", "tax_flagged"]
    cells = []
    for r in rows:
        a = r["after_tax"]
        ln = a["lines"]
        cells.append([ln["federal_income_tax"], ln["social_security"], ln["medicare"], ln["state_income_tax"],
                      ln["take_home"], ln["effective_rate"], a["us_dollars"], a["home_dollars"],
                      a["vs_first"]["dollars"], a["vs_first"]["percent"], str(a["flagged"]).lower()])
    return header, cells


# --------------------------------------------------------------------------- audit


def audit_doc(table: Table, rep: Any) -> dict[str, Any]:
    """`audit --json` (schemas/audit.schema.json): the groups, the total, the people furthest below market, and
    every data row accounted for."""
    furthest = []
    for b in rep.furthest:
        d = b.as_dict()
        d["position"] = position(b.percentile, b.beyond)
        furthest.append(d)
    v = audit_vintage(table)
    return {"schema_version": SCHEMA_VERSION, "kind": "audit", "by": rep.by, "wage_year": v.wage_year,
            "vintage": v.as_dict(),
            "rows": rep.rows_doc(), "groups": [g.as_dict() for g in rep.groups], "total": rep.total.as_dict(),
            "furthest_below": furthest, "errors": [e.as_dict() for e in rep.errors], "notes": list(rep.notes)}


def audit_vintage(table: Table) -> Any:
    """The vintage of an audit: salaries are paid now, so they are judged against the market aged to today
    (vintage.salary_check_query), as each row of the audit is."""
    from .query import Query
    from .vintage import salary_check_query, vintage

    return vintage(table, *salary_check_query(table, Query()))


#: The columns of `audit --format csv`: one row per group, then the total ('all').
AUDIT_CSV_COLUMNS = ("by", "value", "count", "median_salary", "median_typical", "below_low", "below_typical",
                     "cost_to_low", "cost_to_typical", "without_salary", "failed")


def audit_csv_rows(rep: Any) -> list[list[Any]]:
    rows = []
    for g in [*rep.groups, rep.total]:
        d = g.as_dict()
        rows.append([rep.by, *[d[k] for k in AUDIT_CSV_COLUMNS[1:]]])
    return rows
