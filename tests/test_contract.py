"""The `estimate --json` document is a contract with scripts: pin its keys and types.

Change this test only together with SCHEMA_VERSION and docs/estimate.md's "JSON output" section.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from coder_pay.cli import app

TOP = {"schema_version": int, "kind": str, "query": dict, "place": dict, "wage_year": int, "price_year": int, "vintage": dict,
       "band": dict, "col_adjusted": dict, "factors": list, "notes": list, "flags": list, "sources": list, "data": dict}
QUERY = {"state", "credentials", "years", "level", "specialty", "setting", "remote", "home", "col", "as_of", "area", "zip",
         "home_area"}
COL = {"index": float, "area": str, "area_name": str, "basis": str, "price_level": float, "area_price_level": float,
       "band": dict}
FACTOR = {"factor", "label", "value", "multiplier", "detail", "basis", "source", "source_key", "source_kind", "year"}
SOURCE = {"key", "name", "publisher", "year", "kind", "url", "public_figure"}
FLAG = {"code": str, "factor": str, "message": str}


def test_estimate_document_shape() -> None:
    r = CliRunner().invoke(app, ["estimate", "--state", "CA", "--cert", "CPC", "--years", "4",
                                 "--specialty", "oncology", "--setting", "hospital", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert set(doc) == set(TOP)
    for key, typ in TOP.items():
        assert isinstance(doc[key], typ), key
    assert doc["schema_version"] == 2 and doc["kind"] == "estimate"
    assert set(doc["query"]) == QUERY
    for band in (doc["band"], doc["col_adjusted"]["band"]):
        assert set(band) == {"low", "mid", "high"}
        assert all(type(v) is int for v in band.values())
        assert band["low"] <= band["mid"] <= band["high"]
    assert set(doc["col_adjusted"]) == set(COL)
    for key, typ in COL.items():
        assert isinstance(doc["col_adjusted"][key], typ), key
    # credentials, specialty and setting are followed by how they were combined (bounds, "Combined")
    assert [f["factor"] for f in doc["factors"]] == ["state", "experience", "credentials", "specialty", "setting",
                                                     "bounds", "price_level"]
    assert [f["label"] for f in doc["factors"] if f["factor"] == "bounds"] == ["Combined"]
    for f in doc["factors"]:
        assert set(f) == FACTOR
        assert f["year"] is None or isinstance(f["year"], int)
    # oncology's premium comes from the undated industry article only; California's BLS estimates are precise
    assert [(f["code"], f["factor"]) for f in doc["flags"]] == [("article_only", "specialty")]
    for flag in doc["flags"]:
        assert set(flag) == set(FLAG)
        assert all(isinstance(flag[k], t) for k, t in FLAG.items())
    for s in doc["sources"]:
        assert set(s) == SOURCE
    assert {s["key"] for s in doc["sources"]} == {f["source_key"] for f in doc["factors"]}
