"""The JSON Schema files in schemas/ checked against real output of the commands."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.documents import BATCH_FIELDS
from coder_pay.table import default_path
from conftest import CLI_ENV

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
ENV = CLI_ENV
runner = CliRunner()


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def invoke(args, input=None, env=None):
    return runner.invoke(app, args, input=input, env={**ENV, **(env or {})}, catch_exceptions=False)


def assert_valid(name: str, doc: dict) -> None:
    errors = sorted(validator(name).iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_every_schema_file_is_a_valid_draft_2020_12_schema_and_is_tested():
    names = sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json"))
    assert {"batch-row", "batch-row-error", "data-path", "data-show", "data-validate", "error", "estimate"} <= set(names)
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    for name in names:
        assert f'"{name}"' in tests or f"{name}.schema.json" in tests, f"no test checks output against {name}"
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


PROFILES = [
    [],
    ["--state", "CA", "--cert", "CPC"],
    ["--state", "tx", "--cert", "CPC,CRC,CCS", "--years", "0", "--col", "housing"],
    ["--state", "NY", "--level", "director", "--specialty", "oncology", "--setting", "insurance", "--as-of", "2027"],
    ["--state", "WA", "--remote", "--home", "MS", "--years", "30"],
    # thin data: DC's BLS estimates (wage RSE 9.7 %, employment RSE 21.7 %), consulting's (employment RSE 15.9 %),
    # an article-only specialty premium
    ["--state", "DC", "--setting", "consulting", "--specialty", "oncology", "--years", "5"],
    ["--state", "DC", "--level", "manager"],  # a role: BLS 11-9111 placed in DC
]


@pytest.mark.parametrize("args", PROFILES)
def test_estimate_json(args):
    r = invoke(["estimate", *args, "--json"])
    assert r.exit_code == 0
    assert_valid("estimate", json.loads(r.stdout))


def test_the_profiles_reach_every_flag_and_the_combined_factor():
    """The schema's flag and factor definitions are exercised, not only the empty cases."""
    docs = [json.loads(invoke(["estimate", *args, "--json"]).stdout) for args in PROFILES]
    flags = {(f["code"], f["factor"]) for d in docs for f in d["flags"]}
    assert flags == {("thin_data", "state"), ("thin_data", "setting"), ("article_only", "specialty")}
    assert "bounds" in {f["factor"] for d in docs for f in d["factors"]}


@pytest.mark.parametrize("args", [["states", "--setting", "consulting", "--specialty", "oncology"],
                                  ["offer", "52k", "--state", "DC", "--specialty", "oncology"],
                                  ["offer", "52k", "--state", "CA"]])
def test_states_rows_and_offers_carry_flags(args):
    doc = json.loads(invoke([*args, "--json"]).stdout)
    kind = args[0]
    assert_valid(kind, doc)
    flags = [f for r in doc["rows"] for f in r["flags"]] if kind == "states" else doc["flags"]
    assert {f["code"] for f in flags} == (set() if args[-1] == "CA" else {"thin_data", "article_only"})
    for mutate in (lambda f: f.__setitem__("code", "imprecise"), lambda f: f.pop("message"),
                   lambda f: f.__setitem__("extra", 1)):
        bad = copy.deepcopy(doc)
        target = bad["rows"][0]["flags"] if kind == "states" else bad["flags"]
        target.append({"code": "thin_data", "factor": "state", "message": "x"})
        assert validator(kind).is_valid(bad)
        mutate(target[-1])
        assert not validator(kind).is_valid(bad)
    bad = copy.deepcopy(doc)
    (bad["rows"][0] if kind == "states" else bad).pop("flags")
    assert not validator(kind).is_valid(bad)  # always present, empty when there is nothing to flag


def test_batch_lines_estimates_and_row_errors():
    rows = ("state,cert,years,level,remote\nCA,CPC,3,,\nZZ,,,,\nCA,XYZ,,,\nCA,,ten,,\nCA,,,,maybe\nCA,,3,senior,\n"
            "TX,CPC|CRC,,manager,yes\n")
    r = invoke(["batch"], input=rows)
    assert r.exit_code == 3
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    kinds = [d["kind"] for d in docs]
    assert kinds.count("estimate") == 3 and kinds.count("batch_row_error") == 4  # CA,XYZ: priced without XYZ, said
    assert docs[2]["row_notes"] == ["unknown credential 'XYZ' priced without"]
    for d in docs:
        assert_valid("estimate" if d["kind"] == "estimate" else "batch-row-error", d)
    r = invoke(["batch", "--input-format", "jsonl"], input='{"state": "CA"}\n{oops\n[]\n{"cert": [1]}\n')
    for line in r.stdout.splitlines():
        d = json.loads(line)
        assert_valid("estimate" if d["kind"] == "estimate" else "batch-row-error", d)


def test_batch_lines_slim_offers_and_kept_columns():
    hr = ("Name,State,Certifications,Years of Experience,Work Setting,Salary\n"
          "Ana,CA,CPC CRC,3.5,clinic,$82k\nBen,ZZ,,,,50000\nCy,TX,,,,\nDee,WA,CPC-A,2,payer,24.50\n")
    for args in (["--compact"], ["--fields", ",".join(BATCH_FIELDS)], ["--fields", "cert,years,remote,as_of"],
                 ["--compact", "--keep", "all"], ["--keep", "name"], ["--keep", "name", "--after-tax"]):
        r = invoke(["batch", *args, "--after-tax"] if "take_home" in ",".join(args) else ["batch", *args], input=hr)
        docs = [json.loads(line) for line in r.stdout.splitlines()]
        assert len(docs) == 4, (args, r.stderr)
        for d in docs:
            name = {"batch_row": "batch-row", "batch_row_error": "batch-row-error"}.get(d["kind"], d["kind"])
            assert_valid(name, d)
    doc = json.loads(invoke(["batch", "--keep", "name"], input=hr).stdout.splitlines()[0])
    assert doc["kind"] == "offer" and doc["query"]["years"] == 3.5 and doc["input"] == {"Name": "Ana"}
    v = validator("batch-row")
    slim = json.loads(invoke(["batch", "--compact"], input=hr).stdout.splitlines()[0])
    assert v.is_valid(slim)
    for mutate in (lambda d: d.__setitem__("mid", 1.5), lambda d: d.__setitem__("surprise", 1),
                   lambda d: d.__setitem__("verdict", "fair"), lambda d: d.__setitem__("kind", "estimate")):
        bad = copy.deepcopy(slim)
        mutate(bad)
        assert not v.is_valid(bad)


def test_error_documents(tmp_path):
    r = invoke(["estimate", "--state", "ZZ", "--json"])
    assert r.exit_code == 2 and r.stdout == ""
    assert_valid("error", json.loads(r.stderr))
    r = invoke(["estimate", "--years", "x", "--json"])  # a usage error from option parsing
    assert r.exit_code == 2
    assert_valid("error", json.loads(r.stderr))
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n")
    r = invoke(["--data", str(bad), "estimate", "--json"])
    assert r.exit_code == 1
    doc = json.loads(r.stderr)
    assert doc["error"]["problems"]
    assert_valid("error", doc)
    r = invoke(["--data", str(bad), "data", "show", "--json"])
    assert_valid("error", json.loads(r.stderr))


def test_data_documents(tmp_path):
    assert_valid("data-show", json.loads(invoke(["data", "show", "--json"]).stdout))
    assert_valid("data-path", json.loads(invoke(["data", "path", "--json"]).stdout))
    assert_valid("data-validate", json.loads(invoke(["data", "validate", "--json"]).stdout))
    text = default_path().read_text(encoding="utf-8").replace("multiplier = 1.2020", "multiplier = 0.9", 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('rpp_all = 97.057', 'rpp_all = "high"', 1), encoding="utf-8")
    r = invoke(["data", "validate", str(bad), "--json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["valid"] is False and len(doc["problems"]) >= 2
    assert_valid("data-validate", doc)
    missing = json.loads(invoke(["data", "validate", str(tmp_path / "nope.toml"), "--json"]).stdout)
    assert missing["problems"][0]["line"] is None
    assert_valid("data-validate", missing)


def test_data_check_documents(tmp_path):
    ok = json.loads(invoke(["data", "check", "--json"]).stdout)
    assert_valid("data-check", ok)
    assert {c["unit"] for c in ok["checks"]} == {"dollars", "ratio"} and any(c["statistic"] == "range" for c in ok["checks"])
    assert_valid("data-check", json.loads(invoke(["data", "check", "--json", "--family", "ranges", "--failed"]).stdout))
    text = default_path().read_text(encoding="utf-8").replace("published = 66979", "published = 133958", 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    r = invoke(["--data", str(bad), "data", "check", "--json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False
    assert_valid("data-check", doc)
    assert_valid("error", json.loads(r.stderr))
    v = validator("data-check")
    for mutate in (lambda d: d["checks"][0].__setitem__("model", 59700.5),  # dollars are whole dollars
                   lambda d: d.__setitem__("ok", True),  # ok with a failed check
                   lambda d: d["checks"][0].__setitem__("family", "other"),
                   lambda d: d["checks"][0].__setitem__("surprise", 1)):
        wrong = copy.deepcopy(doc)
        mutate(wrong)
        assert not v.is_valid(wrong)


def test_the_schemas_reject_what_they_should():
    """The schemas are not vacuous: a changed field or an undocumented one fails them."""
    doc = json.loads(invoke(["estimate", "--state", "DC", "--specialty", "oncology", "--json"]).stdout)
    v = validator("estimate")
    assert v.is_valid(doc)
    assert doc["flags"] and "bounds" in [f["factor"] for f in doc["factors"]]
    for mutate in (lambda d: d["band"].__setitem__("mid", 61234.5),  # money is whole dollars
                   lambda d: d.__setitem__("schema_version", 1),  # the version before the JSON conventions
                   lambda d: d.__setitem__("surprise", 1),  # a new field must be documented here first
                   lambda d: d["query"].__setitem__("state", "California"),
                   lambda d: d.pop("sources"),
                   lambda d: d.pop("flags"),
                   lambda d: d["flags"][0].__setitem__("code", "imprecise"),  # codes are a closed list
                   lambda d: d["flags"][0].__setitem__("factor", "weather"),
                   lambda d: d["flags"][0].pop("message"),
                   lambda d: d["flags"][0].__setitem__("message", ""),
                   # the id is bounds; "Combined" is its label
                   lambda d: next(f for f in d["factors"] if f["factor"] == "bounds").__setitem__("factor", "combined")):
        bad = copy.deepcopy(doc)
        mutate(bad)
        assert not v.is_valid(bad)
    ok = json.loads(invoke(["data", "validate", "--json"]).stdout)
    assert not validator("data-validate").is_valid({**ok, "valid": False})  # invalid with no problems listed


ADVICE = [
    ("certs", ["certs", "--state", "TX", "--years", "0"]),  # the CPC-A stage, floored at the pay without
    ("certs", ["certs", "--cert", "CPC", "--years", "5"]),  # a held credential, membership already paid
    ("offer", ["offer", "65000", "--state", "TX", "--cert", "CPC", "--years", "8"]),
    ("offer", ["offer", "70k", "--state", "OH", "--remote", "--as-of", "2026"]),
]


@pytest.mark.parametrize("name, args", ADVICE, ids=[" ".join(a) for _, a in ADVICE])
def test_certs_and_offer_documents(name, args):
    r = invoke([*args, "--json"])
    assert r.exit_code == 0
    assert_valid(name, json.loads(r.stdout))


def test_certs_and_offer_schemas_pin_the_issue_9_fields():
    """The net gain replaced first_year_return_pct; the apprentice stage never has a negative uplift; every
    cost part names its source; an offer carries its whole-market percentile."""
    certs = json.loads(invoke(["certs", "--state", "TX", "--years", "0", "--json"]).stdout)
    v = validator("certs")
    assert v.is_valid(certs)
    cpc = next(i for i, row in enumerate(certs["rows"]) if row["code"] == "CPC")
    for mutate in (lambda d: d["rows"][cpc].__setitem__("first_year_return_pct", 1621.0),
                   lambda d: d["rows"][cpc]["apprentice"].__setitem__("uplift", -519),
                   lambda d: d["rows"][cpc].pop("net_gain"),
                   lambda d: d["rows"][cpc]["net_gain"][0].__setitem__("net", 1.5),
                   lambda d: d["rows"][cpc]["cost_parts"][0].pop("source")):
        bad = copy.deepcopy(certs)
        mutate(bad)
        assert not v.is_valid(bad)
    offer = json.loads(invoke(["offer", "65000", "--state", "TX", "--json"]).stdout)
    v = validator("offer")
    assert v.is_valid(offer)
    for mutate in (lambda d: d.pop("whole_market"),
                   lambda d: d["whole_market"].__setitem__("percentile", 101),
                   lambda d: d["whole_market"].__setitem__("area", "Texas"),
                   lambda d: d["thresholds"]["positions"].__setitem__(2, 120.0)):
        bad = copy.deepcopy(offer)
        mutate(bad)
        assert not v.is_valid(bad)
