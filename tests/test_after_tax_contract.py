"""The --after-tax JSON of `states`, `compare` and `offer`: real output validated against
schemas/<kind>.schema.json, and the added keys pinned here. --after-tax adds exactly: `query.after_tax`
(true), a top-level `after_tax` object, and (states, compare) an `after_tax` object on every row;
schema_version and everything else are as without it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from decide_support import REPO, cli

SCHEMAS = REPO / "schemas"
MONEY = ("gross", "federal_income_tax", "social_security", "medicare", "state_income_tax", "local_income_tax",
         "take_home")
LINES = {*MONEY, *(f"{k}_cents" for k in MONEY), "effective_rate"}
SUMMARY = {"tax_year", "filing_status", "state_tax", "measure", "flagged", "caveats", "left_out", "sources"}
ROW_AFTER_TAX: dict[str, set[str]] = {
    "states": {"band", "adjusted", "typical", "flagged"},
    "compare-states": {"band", "adjusted", "typical", "flagged", "vs_first"},
    "compare-offers": {"lines", "us_dollars", "home_dollars", "vs_first", "flagged"},
}
OFFER_AFTER_TAX = {"tax_year", "filing_status", "state", "salary", "adjusted", "total_compensation", "flagged",
                   "caveats", "left_out", "sources"}

RUNS = [
    ("states", ["states"]),
    ("states", ["states", "--sort", "adjusted", "--top", "5", "--col", "housing", "--home", "OH", "--cert", "CPC"]),
    ("states", ["states", "--sort", "name", "--remote", "--as-of", "2026"]),
    ("compare", ["compare", "--state", "CA", "--state", "TX", "--state", "NY", "--years", "4"]),
    ("compare", ["compare", "--state", "TX", "--home", "CA", "--remote"]),
    ("compare", ["compare", "--offer", "TX:50000", "--offer", "CA:65000"]),
    ("compare", ["compare", "--offer", "TX:50000", "--offer", "CA:60k", "--offer", "NY:$70,000", "--home", "OH",
                 "--col", "housing"]),
    ("compare", ["compare", "--offer", "WA:55k"]),
    ("offer", ["offer", "52k", "--state", "TX"]),
    ("offer", ["offer", "52k"]),
    ("offer", ["offer", "70000", "--cert", "CPC", "--match", "4", "--health", "6000", "--pto", "15", "--bonus", "3",
               "--remote", "--state", "CA", "--home", "TX"]),
    ("offer", ["offer", "45k", "--state", "OR", "--pto", "10"]),
]


def run_json(args: list[str]) -> dict[str, Any]:
    res = cli(*args, "--json")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == "" and res.stdout.count("\n") == 1
    doc: dict[str, Any] = json.loads(res.stdout)
    return doc


def validator(kind: str) -> Draft202012Validator:
    s = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s)


def errors(kind: str, doc: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.path))}: {e.message}"[:300] for e in validator(kind).iter_errors(doc)]


@pytest.mark.parametrize("kind, args", RUNS, ids=[" ".join(a) for _, a in RUNS])
def test_after_tax_output_matches_its_schema_and_adds_only_the_pinned_keys(kind: str, args: list[str]) -> None:
    plain = run_json(args)
    plain.pop("after_tax", None)  # offer with benefits shows its take-home even without the flag
    plain["query"].pop("after_tax", None)
    doc = run_json([*args, "--after-tax"])
    assert not errors(kind, doc)
    assert doc["schema_version"] == 2 and doc["kind"] == kind
    # exactly the documented additions
    assert set(doc) == set(plain) | {"after_tax"}
    assert set(doc["query"]) == set(plain["query"]) | {"after_tax"} and doc["query"]["after_tax"] is True
    if kind == "offer":
        assert set(doc["after_tax"]) == OFFER_AFTER_TAX
        assert set(doc["after_tax"]["salary"]) == LINES
        assert (doc["after_tax"]["total_compensation"] is None) == (plain["total_compensation"] is None)
    else:
        assert set(doc["after_tax"]) == SUMMARY
        row_kind = f"compare-{doc['mode']}" if kind == "compare" else kind
        assert len(doc["rows"]) == len(plain["rows"])
        for row, before in zip(doc["rows"], plain["rows"]):
            assert set(row) == set(before) | {"after_tax"}
            assert set(row["after_tax"]) == ROW_AFTER_TAX[row_kind]
            assert set(row["after_tax"].get("typical") or row["after_tax"].get("lines")) == LINES
    # the figures before tax are unchanged (states: the order may differ, by design)
    if kind == "states":
        by_code = {r["code"]: r for r in plain["rows"]}
        if doc["sort"] in ("price", "name"):
            assert [r["code"] for r in doc["rows"]] == [r["code"] for r in plain["rows"]]
        for r in doc["rows"]:
            if r["code"] in by_code:
                assert r["band"] == by_code[r["code"]]["band"] and r["adjusted"] == by_code[r["code"]]["adjusted"]
    else:
        strip = {k: v for k, v in doc.items() if k not in ("after_tax", "query", "rows", "leads")}
        assert strip == {k: v for k, v in plain.items() if k not in ("query", "rows", "leads")}
        if kind == "compare":
            assert doc["leads"][: len(plain["leads"])] == plain["leads"]
            for row, before in zip(doc["rows"], plain["rows"]):
                assert {k: v for k, v in row.items() if k != "after_tax"} == before


def test_money_is_whole_dollars_tax_lines_too() -> None:
    """schema_version 2: the tax lines are whole dollars like all money, with exact cents in `*_cents`."""
    def walk(x: Any, path: list[str]) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, [*path, k])
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, [*path, str(i)])
        elif isinstance(x, float):
            leaf, parent = path[-1], path[-2]
            assert leaf in {"percent", "price_level", "growth_rate", "rate", "effective_rate", "multiplier",
                            "percentile", "match_pct", "bonus_pct", "area_price_level", "index", "ratio"} \
                or parent == "positions", path
        elif path[-1] in LINES - {"effective_rate"}:
            assert type(x) is int, path
    for _, args in RUNS:
        walk(run_json([*args, "--after-tax"]), [""])


def test_lines_add_up() -> None:
    doc = run_json(["compare", "--offer", "TX:50000", "--offer", "CA:65000", "--offer", "NY:70k", "--after-tax"])
    for row in doc["rows"]:
        ln = row["after_tax"]["lines"]
        assert (ln["gross_cents"] - ln["federal_income_tax_cents"] - ln["social_security_cents"] - ln["medicare_cents"]
                - ln["state_income_tax_cents"]) == ln["take_home_cents"]
        for k in MONEY:  # each whole-dollar line is its cents rounded, halves up
            assert ln[k] == (ln[f"{k}_cents"] + 50) // 100


def test_the_schemas_reject_broken_after_tax_documents() -> None:
    states = run_json(["states", "--top", "2", "--after-tax"])
    assert not errors("states", states)
    bad = json.loads(json.dumps(states))
    del bad["after_tax"]["measure"]
    assert errors("states", bad)
    bad = json.loads(json.dumps(states))
    bad["rows"][0]["after_tax"]["band"]["mid"] = 1.5
    assert errors("states", bad)
    bad = json.loads(json.dumps(states))
    bad["query"]["after_tax"] = False  # the flag is present only when given
    assert errors("states", bad)

    offers = run_json(["compare", "--offer", "TX:50000", "--offer", "CA:65000", "--after-tax"])
    bad = json.loads(json.dumps(offers))
    bad["rows"][0]["after_tax"]["lines"]["take_home"] = -1
    assert errors("compare", bad)
    bad = json.loads(json.dumps(offers))
    bad["leads"][1]["measure"] = "take_home_buying"
    assert errors("compare", bad)

    offer = run_json(["offer", "52k", "--match", "4", "--after-tax"])
    bad = json.loads(json.dumps(offer))
    del bad["after_tax"]["total_compensation"]["untaxed"]
    assert errors("offer", bad)
