"""Places on the command line: --area / --zip / --home PLACE on the profile commands, `areas`, the JSON
`place` object, errors (exit 2, one line, JSON under --json)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from coder_pay.cli import app
from decide_support import ENV, REPO, cli, cli_json

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PLACES = tomllib.loads((REPO / "data" / "places.toml").read_text(encoding="utf-8"))


def valid(name: str, doc: dict[str, Any]) -> None:
    schema = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_estimate_area_seattle_is_its_published_band_with_the_place_in_json() -> None:
    doc = cli_json("estimate", "--area", "Seattle")
    valid("estimate", doc)
    m = PLACES["metros"]["42660"]  # BLS May 2024: p25 54,690, median 67,790, p75 84,750
    assert doc["band"] == {"low": m["p25"], "mid": m["p50"], "high": m["p75"]} == {"low": 54690, "mid": 67790,
                                                                                  "high": 84750}
    assert doc["query"]["area"] == "42660" and doc["query"]["state"] == "WA" and doc["query"]["zip"] is None
    place = doc["place"]
    assert (place["kind"], place["code"], place["name"], place["states"]) == ("metro", "42660",
                                                                             "Seattle-Tacoma-Bellevue, WA", ["WA"])
    assert place["wages"] == {"from": "metro", "code": "42660", "source": "oews_msa_2024", "tails": "derived"}
    assert place["prices"]["from"] == "metro" and place["prices"]["price_level"] == m["rpp_all"]
    # US-average prices: 67,790 x 100 / Seattle's 111.133 = 60,999.0 -> 60,999
    assert doc["col_adjusted"]["band"]["mid"] == round(67790 * 100 / m["rpp_all"])
    assert any(f["factor"] == "area" and "derived" in f["detail"] for f in doc["factors"])


def test_estimate_zip_says_how_it_was_resolved() -> None:
    doc = cli_json("estimate", "--zip", "78701")
    assert doc["query"]["zip"] == "78701" and doc["query"]["area"] == "12420" and doc["place"]["county"] == "48453"
    valid("estimate", doc)


def test_table_output_names_the_place_and_derived_tails() -> None:
    out = " ".join(cli("estimate", "--area", "Seattle").stdout.split())
    assert "in Seattle-Tacoma-Bellevue, WA" in out and "$67,790" in out and "derived" in out and "Washington's" in out


@pytest.mark.parametrize(("args", "code"), [
    (["--area", "Portland"], "ambiguous_area"),
    (["--area", "Seattel"], "unknown_area"),
    (["--area", "Seattle", "--state", "OR"], "conflicting_options"),
    (["--area", "Seattle", "--zip", "98101"], "conflicting_options"),
    (["--zip", "1234"], "bad_zip"),
    (["--home", "Nowhereville"], "unknown_state"),
])
def test_place_errors_exit_2_in_one_line_and_as_json(args: list[str], code: str) -> None:
    r = cli("estimate", *args)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("coder-pay: error: ") and r.stderr.count("\n") == 1
    r = cli("estimate", *args, "--json")
    assert r.exit_code == 2 and r.stdout == ""
    assert json.loads(r.stderr)["error"]["code"] == code


def test_ambiguous_place_lists_choices_with_states() -> None:
    err = cli("estimate", "--area", "Portland").stderr
    assert "Portland, OR" in err and "Portland, ME" in err


def test_state_beside_a_metro_across_states_is_the_jobs_state() -> None:
    doc = cli_json("estimate", "--area", "Philadelphia-Camden-Wilmington", "--state", "NJ")
    assert doc["query"]["state"] == "NJ" and doc["query"]["area"] == "37980"


def test_home_accepts_a_place() -> None:
    doc = cli_json("estimate", "--state", "OH", "--home", "Seattle")
    assert doc["query"]["home"] == "WA" and doc["query"]["home_area"] == "42660"
    assert doc["col_adjusted"]["area"] == "42660" and doc["col_adjusted"]["area_name"] == "Seattle-Tacoma-Bellevue, WA"
    # Ohio's typical 45,620... in Seattle prices: x 111.133 / 92.774
    oh = cli_json("estimate", "--state", "OH")["band"]["mid"]
    assert doc["col_adjusted"]["band"]["mid"] == round(oh * PLACES["metros"]["42660"]["rpp_all"] / 92.774)


def test_remote_area_is_national_pay_at_the_places_prices() -> None:
    doc = cli_json("estimate", "--remote", "--area", "Boise")
    assert doc["band"] == {"low": 41600, "mid": 50250, "high": 64070}  # BLS national p25 / median / p75
    assert doc["place"]["wages"]["from"] == "national" and doc["place"]["prices"]["code"] == "14260"


def test_offer_take_home_career_carry_the_place() -> None:
    for args, schema in ((["offer", "60000", "--area", "Austin, TX"], "offer"),
                         (["take-home", "58000", "--area", "Philadelphia"], "take-home"),
                         (["career", "--area", "Seattle", "--span", "2"], "career")):
        doc = cli_json(*args)
        valid(schema, doc)
        assert doc["place"]["code"] in ("12420", "37980", "42660")
    th = cli_json("take-home", "58000", "--area", "Philadelphia")
    assert th["col_adjusted"]["price_level"] == PLACES["metros"]["37980"]["rpp_all"]


def test_offer_percentile_is_among_the_places_coders() -> None:
    doc = cli_json("offer", "67790", "--area", "Seattle", "--as-of", "2024")  # in May 2024 dollars: the median
    assert doc["whole_market"]["area"] == "42660" and doc["whole_market"]["percentile"] == 50.0


# ----------------------------------------------------------------------------- areas


def test_areas_in_texas_ranks_its_metros_and_nonmetro_areas() -> None:
    doc = cli_json("areas", "--state", "TX")
    valid("areas", doc)
    codes = {r["code"] for r in doc["rows"]}
    want = {c for c, m in PLACES["metros"].items() if "p50" in m and "TX" in m["states"]}
    want |= {c for c, n in PLACES["nonmetro"].items() if n["state"] == "TX"}
    assert codes == want and doc["total"] == len(want)
    mids = [r["band"]["mid"] for r in doc["rows"]]
    assert mids == sorted(mids, reverse=True)
    for r in doc["rows"]:
        src = PLACES["metros"].get(r["code"]) or PLACES["nonmetro"][r["code"]]
        assert r["band"] == {"low": src["p25"], "mid": src["p50"], "high": src["p75"]}
        assert r["kind"] in ("metro", "nonmetro") and r["employment"] == src["employment"]


def test_areas_marks_thin_and_odd_places() -> None:
    doc = cli_json("areas", "--state", "ND")
    bis = next(r for r in doc["rows"] if r["code"] == "13900")  # Bismarck, employment 40
    assert [f["code"] for f in bis["flags"]] == ["thin_data"]
    out = cli("areas", "--state", "SC").stdout
    assert "Columbia, SC~" in out and "close to p75" in " ".join(out.split())


def test_areas_csv_top_sort_and_after_tax() -> None:
    r = cli("areas", "--top", "3", "--sort", "adjusted", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 3 and rows[0]["code"] == "41940"  # San Jose: the highest adjusted median (SOURCES.md)
    doc = cli_json("areas", "--state", "WA", "--after-tax")
    valid("areas", doc)
    assert all("after_tax" in r for r in doc["rows"])


def test_states_takes_no_area() -> None:
    assert cli("states", "--area", "Seattle").exit_code == 2


def test_installed_command_estimate_area() -> None:
    exe = Path(sys.executable).with_name("coder-pay")
    p = subprocess.run([str(exe), "estimate", "--area", "St. Paul, MN", "--json"], capture_output=True, text=True)
    assert p.returncode == 0 and json.loads(p.stdout)["place"]["code"] == "33460"


# ----------------------------------------------------------------------------- batch


def batch(*args: str, text: str) -> Any:
    return CliRunner().invoke(app, ["batch", *args], input=text, env=ENV)


def test_batch_reads_a_location_column_and_writes_area_and_area_name() -> None:
    text = ("Name,Work Location,Work State,Certifications,Postal Code\n"
            "Ann,Seattle,WA,CPC,\nBob,Austin,,,\nCy,Portland,,,\nDee,,,,78701\nEve,Seattle,OR,,\n")
    r = batch("--format", "csv", "--keep", "Name", text=text)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert r.exit_code == 3  # two rows fail (issue 15: 3, not 1)
    by = {row["Name"]: row for row in rows}
    assert (by["Ann"]["area"], by["Ann"]["area_name"], by["Ann"]["state"]) == ("42660", "Seattle-Tacoma-Bellevue, WA",
                                                                              "WA")
    assert by["Bob"]["area"] == "12420" and by["Bob"]["state"] == "TX"
    assert by["Dee"]["area"] == "12420"  # the ZIP column (a ZIP wins over a location column)
    assert "ambiguous" in by["Cy"]["error"] and "Portland, OR" in by["Cy"]["error"]
    assert "does not match" in by["Eve"]["error"]
    # the whole market of a metro is its published band, as in estimate
    m = PLACES["metros"]["12420"]
    assert (int(by["Bob"]["low"]), int(by["Bob"]["mid"]), int(by["Bob"]["high"])) == (m["p25"], m["p50"], m["p75"])


def test_batch_fields_area_and_full_json_carry_the_place() -> None:
    text = "city,state\nSeattle,WA\n"
    line = json.loads(batch("--fields", "row,area,area_name,mid", text=text).stdout)
    assert line == {"schema_version": 2, "kind": "batch_row", "row": 1, "area": "42660",
                    "area_name": "Seattle-Tacoma-Bellevue, WA", "mid": 67790}
    valid("batch-row", line)
    doc = json.loads(batch(text=text).stdout)
    assert doc["place"]["code"] == "42660"
    valid("estimate", doc)


# ----------------------------------------------------------------------------- compare


def test_compare_places_side_by_side() -> None:
    doc = cli_json("compare", "--area", "Seattle", "--area", "Boise")
    valid("compare", doc)
    assert doc["query"]["areas"] == ["42660", "14260"] and doc["query"]["states"] == []
    sea, boi = doc["rows"]
    assert (sea["kind"], sea["band"]["mid"], boi["band"]["mid"]) == ("metro", 67790, 52070)  # BLS medians
    assert doc["leads"][0]["winner"] == "42660" and doc["leads"][0]["by"]["dollars"] == 67790 - 52070
    mixed = cli_json("compare", "--state", "OH", "--area", "Columbus, OH")
    assert mixed["query"]["states"] == ["OH"] and mixed["query"]["areas"] == ["18140"]


def test_compare_offers_at_places() -> None:
    doc = cli_json("compare", "--offer", "Seattle:60000", "--offer", "TX:52000", "--after-tax")
    valid("compare", doc)
    sea, tx = doc["rows"]
    assert doc["query"]["offers"][0] == {"state": "WA", "area": "42660", "salary": 60000}
    # 60,000 x 100 / Seattle's parity (111.133) = 53,989; Washington taxes no wages
    assert sea["us_dollars"] == round(60000 * 100 / PLACES["metros"]["42660"]["rpp_all"])
    assert sea["after_tax"]["lines"]["state_income_tax"] == 0
    assert cli("compare", "--offer", "Portland:60000").exit_code == 2


# ----------------------------------------------------------------------------- data commands


def test_data_show_lists_the_places_and_data_check_holds_them() -> None:
    doc = cli_json("data", "show")
    valid("data-show", doc)
    pl = doc["places"]
    assert pl["counts"]["metros_with_wages"] == 91 and pl["counts"]["nonmetro"] == 133
    assert {"code": "42660", "name": "Seattle-Tacoma-Bellevue, WA", "states": ["WA"], "wages": True,
            "prices": True} in pl["metros"]
    chk = cli_json("data", "check", "--family", "metros")
    assert chk["ok"] and chk["total"]["count"] == 91 * 3 and chk["total"]["passed"] == 91 * 3
    text = cli("data", "check").stdout
    assert "every check of this family: coder-pay data check --family metros" in text
    assert "273/273 pass" in text


# ----------------------------------------------------------------------------- the library


def test_places_from_python() -> None:
    import coder_pay

    assert tuple(coder_pay.estimate(area="Seattle").band) == (54690, 67790, 84750)
    assert coder_pay.areas(state="TX", top=1).rows[0].code == "19100"  # Dallas-Fort Worth: Texas' highest median
    assert [r.code for r in coder_pay.compare(areas=["Seattle", "Boise"]).rows] == ["42660", "14260"]
    with pytest.raises(coder_pay.UsageError) as e:
        coder_pay.estimate(area="Portland")
    assert "--" not in e.value.message and e.value.code == "ambiguous_area"


def test_completion_offers_place_names() -> None:
    from coder_pay.cli.complete import complete_area, complete_home

    got = dict(complete_area(None, "seatt"))  # type: ignore[arg-type]
    assert "Seattle, WA" in got and got["Seattle, WA"] == "Seattle-Tacoma-Bellevue, WA"
    assert len(complete_area(None, "")) <= 50  # type: ignore[arg-type]
    homes = [v for v, _ in complete_home(None, "O")]  # type: ignore[arg-type]
    assert "OH" in homes and any(v.startswith("Ocala") or v.startswith("Odessa") for v in homes)


def test_audit_by_area_groups_by_the_place() -> None:
    text = 'Name,City,Salary\nAnn,Seattle,60000\nBob,"Austin, TX",45000\nCy,Seattle,70000\n'
    r = CliRunner().invoke(app, ["audit", "--by", "area", "--json"], input=text, env=ENV)
    doc = json.loads(r.stdout)
    groups = {g["value"]: g["count"] for g in doc["groups"]}
    assert groups == {"Seattle-Tacoma-Bellevue, WA": 2, "Austin-Round Rock-San Marcos, TX": 1}


# ----------------------------------------------------------------------------- Puerto Rico: wages only


@pytest.mark.parametrize("typed", ["7200006", "Puerto Rico nonmetropolitan area"])
def test_puerto_rico_estimate_is_its_published_band_with_no_adjusted_figure(typed: str) -> None:
    doc = cli_json("estimate", "--area", typed)
    valid("estimate", doc)
    assert doc["band"] == {"low": 19760, "mid": 19760, "high": 23130}  # BLS May 2024 p25 / median / p75
    assert doc["col_adjusted"] is None and doc["query"]["state"] is None and doc["query"]["area"] == "7200006"
    assert doc["place"]["prices"]["from"] == "none" and doc["place"]["prices"]["price_level"] is None
    assert doc["place"]["wages"] == {"from": "nonmetro", "code": "7200006", "source": "oews_bos_2024", "tails": "published"}
    assert any("no price parity for Puerto Rico" in n for n in doc["notes"])
    assert {f["code"] for f in doc["flags"]} == {"thin_data", "odd_data"}
    res = cli("estimate", "--area", typed)
    assert res.exit_code == 0 and "$19,760" in res.stdout and "$23,130" in res.stdout
    assert "Cost-of-living adjusted" in res.stdout and "n/a" in res.stdout and "no price parity" in res.stdout


@pytest.mark.parametrize("args", [["estimate", "--after-tax"], ["take-home", "30000"], ["offer", "30000"],
                                  ["certs"], ["career"], ["compare", "--area", "Boise"]])
def test_puerto_rico_is_refused_where_a_price_level_or_a_tax_is_needed(args: list[str]) -> None:
    res = cli(*args, "--area", "7200006")
    assert res.exit_code == 2 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "no price parity for Puerto Rico" in res.stderr


def test_areas_leaves_puerto_rico_out_and_says_so() -> None:
    doc = cli_json("areas")
    assert "7200006" not in {r["code"] for r in doc["rows"]}
    assert any("Not ranked: Puerto Rico nonmetropolitan area" in n for n in doc["notes"])
