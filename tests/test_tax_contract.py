"""The take-home JSON shapes are a contract: real output must validate against schemas/*.schema.json.

Change a schema only together with SCHEMA_VERSION and docs/scripting.md's "JSON conventions".
"""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from coder_pay.cli import app
from conftest import ROOT

MONEY = ("gross", "federal_income_tax", "social_security", "medicare", "state_income_tax", "local_income_tax",
         "take_home")
TAKE_HOME_KEYS = {"schema_version", "kind", "query", "place", "tax_year", "filing_status", "state", "state_tax_included", *MONEY,
                  *(f"{k}_cents" for k in MONEY), "effective_rate", "working", "col_adjusted", "local", "local_notes",
                  "flagged", "caveats", "left_out", "notes", "sources", "data"}


def schema(name: str) -> Draft202012Validator:
    doc = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(doc)
    return Draft202012Validator(doc)


def invoke(*args: str) -> dict:  # type: ignore[type-arg]
    r = CliRunner().invoke(app, list(args))
    assert r.exit_code == 0, r.output
    doc: dict = json.loads(r.stdout)  # type: ignore[type-arg]
    return doc


def whole_and_cents(lines: dict) -> bool:  # type: ignore[type-arg]
    """Each line whole dollars, its `_cents` the exact amount, the dollars the cents rounded (halves up)."""
    return all(type(lines[k]) is int and type(lines[f"{k}_cents"]) is int
               and lines[k] == (lines[f"{k}_cents"] + 50) // 100 for k in MONEY)


@pytest.mark.parametrize("args", [
    ["take-home", "65k", "--state", "CA"],
    ["take-home", "50000", "--state", "TX", "--home", "NY", "--col", "housing"],
    ["take-home", "$1,234.56"],
    ["take-home", "250k", "--state", "UT"],
    ["take-home", "0", "--state", "NY"],
])
def test_take_home_document_validates_against_its_schema(args: list[str]) -> None:
    doc = invoke(*args, "--json")
    errors = sorted(schema("take-home").iter_errors(doc), key=str)
    assert not errors, [e.message for e in errors]
    assert set(doc) == TAKE_HOME_KEYS
    assert whole_and_cents(doc)
    assert doc["gross_cents"] - sum(doc[f"{k}_cents"] for k in MONEY[1:6]) == doc["take_home_cents"]


def test_after_tax_object_validates_against_its_schema() -> None:
    for args in (["estimate", "--state", "CA", "--after-tax"], ["estimate", "--remote", "--after-tax", "--home", "TX"],
                 ["estimate", "--state", "NY", "--cert", "CPC", "--level", "manager", "--after-tax", "--col", "housing"]):
        doc = invoke(*args, "--json")
        errors = sorted(schema("after-tax").iter_errors(doc["after_tax"]), key=str)
        assert not errors, [e.message for e in errors]
        for lines in doc["after_tax"]["lines"].values():
            assert whole_and_cents(lines)


def test_the_schema_rejects_a_document_missing_a_line() -> None:
    doc = invoke("take-home", "65k", "--state", "CA", "--json")
    del doc["state_income_tax"]
    assert not schema("take-home").is_valid(doc)


def test_estimate_with_after_tax_still_matches_the_estimate_schema() -> None:
    doc = invoke("estimate", "--state", "CA", "--after-tax", "--json")
    errors = sorted(schema("estimate").iter_errors(doc), key=str)
    assert not errors, errors
