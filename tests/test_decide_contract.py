"""The JSON documents of `states`, `compare`, `certs`, `career` and `offer`: real output validated
against schemas/<kind>.schema.json (JSON Schema 2020-12), and the required keys pinned here, so
that a change to a document's shape is a deliberate change to this file, the schema and the docs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from decide_support import REPO, cli

SCHEMAS = REPO / "schemas"
COMMON = {"schema_version", "kind", "query", "wage_year", "price_year", "vintage", "notes", "flags", "data"}
PINNED: dict[str, set[str]] = {
    "states": COMMON | {"sort", "sort_order", "area", "area_name", "total", "rows", "sources"},
    "compare": COMMON | {"mode", "area", "area_name", "rows", "leads", "sources"},
    "certs": COMMON | {"place", "rows", "training", "sources"},
    "career": COMMON | {"place", "start_year", "raise", "promotions", "ladder", "area", "area_name", "rows",
                        "coder_median", "related", "sources"},
    "offer": COMMON | {"place", "salary", "percentile", "beyond_published", "whole_market", "verdict", "market",
                       "thresholds", "target", "adjusted_salary", "total_compensation", "factors", "sources"},
}
ROW_KEYS: dict[str, set[str]] = {
    "states": {"rank", "code", "name", "band", "price_level", "adjusted", "employment", "flags"},
    "compare-states": {"kind", "code", "name", "band", "price_level", "adjusted", "vs_first"},
    "compare-offers": {"kind", "label", "code", "name", "salary", "price_level", "us_dollars", "home_dollars", "market",
                       "vs_market", "vs_first", "setting", "remote"},
    "certs": {"code", "name", "body", "held", "pay_without", "pay_with", "uplift", "monthly_uplift", "cost", "cost_parts",
              "cost_note", "cost_source", "yearly_membership", "member_exam_fee", "two_attempt_exam_fee", "renewal",
              "renewal_note", "apprentice", "payback_months", "payback_note", "first_year_uplift", "first_year_return",
              "net_gain"},
    "career": {"year", "calendar_year", "experience", "role", "role_label", "credentials", "base", "salary", "adjusted",
               "apprentice",
               "events"},
}
# Keys a document carries only with --after-tax (pinned in tests/test_after_tax_contract.py).
# offer.input: only on the lines of `batch --keep`; offer.row_notes: only on batch lines with something to say
OPTIONAL: dict[str, set[str]] = {"states": {"after_tax"}, "compare": {"after_tax"},
                                 "offer": {"after_tax", "input", "row_notes"}}
QUERY_KEYS = {"state", "credentials", "years", "level", "specialty", "setting", "remote", "home", "col", "as_of"}

RUNS = [
    ("states", ["states"]),
    ("states", ["states", "--sort", "price", "--top", "3", "--col", "housing", "--home", "OH", "--as-of", "2026"]),
    ("compare", ["compare", "--state", "CA", "--state", "TX", "--cert", "CPC", "--years", "4"]),
    ("compare", ["compare", "--offer", "CA:65k", "--offer", "TX:50,000", "--home", "OH"]),
    ("compare", ["compare", "--offer", "NY:$70k"]),
    ("certs", ["certs", "--state", "CA"]),
    ("certs", ["certs", "--cert", "CPC,CCS,RHIT", "--years", "8", "--as-of", "2025"]),
    ("career", ["career"]),
    ("career", ["career", "--state", "TX", "--years", "4", "--span", "15", "--raise", "2.5%", "--add-cert", "CCS@3"]),
    ("career", ["career", "--raise", "-50%", "--span", "50"]),
    ("career", ["career", "--until", "2030", "--home", "OH"]),
    ("offer", ["offer", "52k", "--state", "TX", "--years", "3"]),
    ("offer", ["offer", "70000", "--cert", "CPC", "--match", "4", "--health", "6000", "--pto", "15", "--bonus", "3",
               "--remote", "--state", "OH"]),
]


def run_json(args: list[str]) -> dict[str, Any]:
    res = cli(*args, "--json")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == ""
    assert res.stdout.endswith("}\n") and res.stdout.count("\n") == 1  # one JSON object, one line
    doc: dict[str, Any] = json.loads(res.stdout)
    return doc


def schema(kind: str) -> dict[str, Any]:
    s: dict[str, Any] = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return s


@pytest.mark.parametrize("kind", sorted(PINNED))
def test_schema_is_valid_2020_12_and_requires_the_pinned_keys(kind: str) -> None:
    s = schema(kind)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(s)
    assert set(s["required"]) == PINNED[kind]
    assert set(s["properties"]) == PINNED[kind] | OPTIONAL.get(kind, set())
    assert s["properties"]["kind"] == {"const": kind}


@pytest.mark.parametrize("kind, args", RUNS, ids=[" ".join(a) for _, a in RUNS])
def test_real_output_matches_its_schema(kind: str, args: list[str]) -> None:
    doc = run_json(args)
    errors = sorted(Draft202012Validator(schema(kind)).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}"[:300] for e in errors]
    # offer with benefit options also carries its take-home (`after_tax`, issue 6)
    benefits = kind == "offer" and any(a in args for a in ("--match", "--health", "--pto", "--bonus"))
    assert set(doc) == PINNED[kind] | ({"after_tax"} if benefits else set())
    assert doc["schema_version"] == 2 and doc["kind"] == kind
    assert QUERY_KEYS - {"level"} <= set(doc["query"])
    row_kind = f"{kind}-{doc['mode']}" if kind == "compare" else kind
    for row in doc.get("rows", []):
        assert set(row) == ROW_KEYS[row_kind]


def test_money_is_whole_dollars() -> None:
    def walk(x: Any, path: str) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k != "after_tax":  # tax lines are dollars and cents (issue 6); checked in test_after_tax_*
                    walk(v, f"{path}/{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}/{i}")
        elif isinstance(x, float):
            leaf = path.rsplit("/", 1)[-1]
            assert leaf in {"percent", "price_level", "growth_rate", "rate", "ratio", "payback_months", "percentile",
                            "match_pct", "bonus_pct", "multiplier", "positions", "raise",
                            "area_price_level", "index"} or path.split("/")[-2] == "positions", path
    for _, args in RUNS:
        walk(run_json(args), "")


def test_schema_rejects_a_broken_document() -> None:
    doc = run_json(["offer", "50k"])
    v = Draft202012Validator(schema("offer"))
    assert v.is_valid(doc)
    assert not v.is_valid({**doc, "verdict": "fair"})
    assert not v.is_valid({k: val for k, val in doc.items() if k != "target"})
    assert not v.is_valid({**doc, "market": {"low": 1.5, "mid": 2, "high": 3}})
