"""One rule for every JSON document (docs/scripting.md, "JSON conventions"), checked over every kind.

Each kind's document is built as a user gets it (the CLI through CliRunner, with --json; batch
lines; the error object on stderr) and walked: `schema_version` and a snake_case `kind`
everywhere; money only as integers (exact cents only in integer `*_cents` fields); a key `area`
always a code with `area_name` beside it; `sources` in one shape in every result; `vintage` in
every document with wages. A new kind or a new float field has to pass here too.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.documents import SCHEMA_VERSION
from decide_support import ENV, REPO, cli

# Every kind, with the runs that build its document(s). Expected kind first.
RESULT_RUNS: list[tuple[str, list[str]]] = [
    ("estimate", ["estimate", "--state", "CA", "--cert", "CPC"]),
    ("estimate", ["estimate", "--state", "TX", "--home", "NY", "--after-tax", "--as-of", "2026"]),
    ("take_home", ["take-home", "65000.50", "--state", "CA", "--home", "TX"]),
    ("take_home", ["take-home", "24.50/h"]),
    ("states", ["states", "--top", "3"]),
    ("states", ["states", "--top", "3", "--after-tax", "--home", "OH"]),
    ("compare", ["compare", "--state", "CA", "--state", "TX", "--after-tax"]),
    ("compare", ["compare", "--offer", "CA:65000", "--offer", "TX:24.50/h", "--home", "OH", "--after-tax"]),
    ("certs", ["certs", "--state", "TX", "--years", "3"]),
    ("career", ["career", "--state", "TX", "--years", "2", "--span", "3", "--home", "WA"]),
    ("offer", ["offer", "52k", "--state", "TX", "--match", "4", "--pto", "10", "--after-tax", "--home", "CA"]),
]
OTHER_RUNS: list[tuple[str, list[str]]] = [
    ("data_path", ["data", "path"]),
    ("data_show", ["data", "show"]),
    ("data_validate", ["data", "validate"]),
]
KINDS = {"estimate", "take_home", "states", "compare", "certs", "career", "offer", "batch_row_error", "data_path",
         "data_show", "data_validate", "error"}
# Numbers that are not money and may have a fraction: rates (fractions), percents (points), price levels, ratios.
NOT_MONEY = {"percent", "price_level", "area_price_level", "growth_rate", "rate", "effective_rate", "marginal_rate",
             "multiplier", "percentile", "match_pct", "bonus_pct", "index", "col_index", "payback_months",
             "first_year_return_pct", "ratio", "positions"}
SOURCE_KEYS = {"key", "name", "publisher", "year", "kind", "url", "public_figure"}
VINTAGE_KEYS = {"wage_year", "data_wage_year", "aged", "reason", "current_year", "growth_rate", "growth_basis", "ageing",
                "price_year", "col", "text"}
SNAKE = re.compile(r"^[a-z]+(_[a-z]+)*$")


def run_json(args: list[str]) -> dict[str, Any]:
    res = cli(*args, "--json")
    assert res.exit_code == 0, res.stderr
    doc: dict[str, Any] = json.loads(res.stdout)
    return doc


BATCH = "state,years\nCA,3\nZZ,\n"  # a good row, then a failed one
ERROR_RUNS = [["estimate", "--state", "ZZ"], ["career", "--years", "x"], ["offer", "lots"]]  # core, Click, salary
# (kind, how to get the document): a --json run, a batch line, or the error object on stderr
SPECS: list[tuple[str, tuple[str, ...]]] = [
    *((kind, ("run", *args)) for kind, args in RESULT_RUNS + OTHER_RUNS),
    ("estimate", ("batch", "0")), ("batch_row_error", ("batch", "1")),
    *(("error", ("error", *args)) for args in ERROR_RUNS),
]
IDS = [f"{kind}:{' '.join(how[1:])}" for kind, how in SPECS]


@cache
def document(how: tuple[str, ...]) -> dict[str, Any]:
    if how[0] == "run":
        return run_json(list(how[1:]))
    if how[0] == "batch":
        res = CliRunner().invoke(app, ["batch"], input=BATCH, env=ENV)
        line: dict[str, Any] = json.loads(res.stdout.splitlines()[int(how[1])])
        return line
    err = cli(*how[1:], "--json")
    assert err.exit_code == 2 and err.stdout == ""
    doc: dict[str, Any] = json.loads(err.stderr)
    return doc


def walk(x: Any, path: tuple[str, ...] = ()) -> Any:
    """(path, value) for every value inside `x`, dicts and lists included."""
    yield path, x
    if isinstance(x, dict):
        for k, v in x.items():
            yield from walk(v, (*path, k))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from walk(v, (*path, str(i)))


def last_key(path: tuple[str, ...]) -> str:
    return next((p for p in reversed(path) if not p.isdigit()), "")


def test_every_kind_is_covered() -> None:
    assert {kind for kind, _ in SPECS} == KINDS


@pytest.mark.parametrize("kind, how", SPECS, ids=IDS)
def test_schema_version_and_one_spelling_of_kind(kind: str, how: tuple[str, ...]) -> None:
    doc = document(how)
    assert doc["schema_version"] == SCHEMA_VERSION == 2
    assert doc["kind"] == kind and SNAKE.match(doc["kind"]), doc.get("kind")


@pytest.mark.parametrize("kind, how", SPECS, ids=IDS)
def test_money_is_whole_dollars_cents_only_in_cents_fields(kind: str, how: tuple[str, ...]) -> None:
    doc = document(how)
    for path, v in walk(doc):
        key = last_key(path)
        if isinstance(v, float):  # effective_rate {low, mid, high}: named by the parent
            where = "/".join(path)
            assert key in NOT_MONEY or (len(path) > 1 and path[-2] in NOT_MONEY), f"{where} = {v}: money is an integer"
        if key.endswith("_cents"):
            assert type(v) is int, path


@pytest.mark.parametrize("kind, how", SPECS, ids=IDS)
def test_area_is_a_code_with_its_name_beside_it(kind: str, how: tuple[str, ...]) -> None:
    doc = document(how)
    for path, v in walk(doc):
        if isinstance(v, dict) and "area" in v and "query" in path:
            # the query's area is what --area / --zip resolved to (its name is in the document's `place`)
            assert v["area"] is None or re.fullmatch(r"[A-Z]{2}|\d{5}|\d{7}", v["area"]), (path, v["area"])
        elif isinstance(v, dict) and "area" in v:
            assert re.fullmatch(r"US|[A-Z]{2}|\d{5}|\d{7}", v["area"]), (path, v["area"])  # a state or a place
            assert isinstance(v.get("area_name"), str) and v["area_name"], path
            assert (v["area"] == "US") == (v["area_name"] == "US average"), path


@pytest.mark.parametrize("kind, how", SPECS, ids=IDS)
def test_sources_in_every_result_in_one_shape(kind: str, how: tuple[str, ...]) -> None:
    doc = document(how)
    if kind in {"estimate", "take_home", "states", "compare", "certs", "career", "offer", "data_show"}:
        assert doc["sources"], kind
    for path, v in walk(doc):
        if path and path[-1] == "sources" and path[-2:] != ("counts", "sources"):  # data show's counts: a number
            assert isinstance(v, list) and v, path
            for s in v:
                assert set(s) == SOURCE_KEYS, (path, s)
            assert len({s["key"] for s in v}) == len(v), path  # each source once


@pytest.mark.parametrize("kind, how", SPECS, ids=IDS)
def test_vintage_wherever_there_are_wages(kind: str, how: tuple[str, ...]) -> None:
    doc = document(how)
    if kind in {"estimate", "states", "compare", "certs", "career", "offer"}:
        assert set(doc["vintage"]) == VINTAGE_KEYS
        assert doc["vintage"]["wage_year"] == doc["wage_year"] and doc["vintage"]["price_year"] == doc["price_year"]
        assert "query" in doc


def test_the_sources_of_a_result_include_every_factor_of_its_estimates() -> None:
    est = run_json(["estimate", "--state", "TX", "--cert", "CPC", "--setting", "hospital"])
    factors = {f["source_key"] for f in est["factors"]}
    for args in (["states", "--cert", "CPC", "--setting", "hospital"],
                 ["compare", "--state", "TX", "--state", "CA", "--cert", "CPC", "--setting", "hospital"],
                 ["offer", "50k", "--state", "TX", "--cert", "CPC", "--setting", "hospital"]):
        assert factors <= {s["key"] for s in run_json(args)["sources"]}, args


def test_the_docs_state_the_rule_and_its_changelog() -> None:
    page = (REPO / "docs" / "scripting.md").read_text(encoding="utf-8")
    start = page.index("### JSON conventions")
    section = page[start:page.index("\n#", start)]
    for kind in KINDS:
        assert f"`{kind}`" in section, kind
    for word in ("schema_version", "area_name", "_cents", "sources", "vintage", "snake_case"):
        assert word in section, word
    assert f"**{SCHEMA_VERSION}**" in section  # the changelog names the current version


def test_every_schema_names_the_current_version() -> None:
    for p in sorted(Path(REPO / "schemas").glob("*.schema.json")):
        schema = json.loads(p.read_text(encoding="utf-8"))
        if "schema_version" in schema.get("properties", {}):
            assert schema["properties"]["schema_version"] == {"const": SCHEMA_VERSION}, p.name
