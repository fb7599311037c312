"""`coder-pay compare`: states side by side, and job offers in purchasing power."""

from __future__ import annotations

import json

import pytest

from decide_support import RAW, cli, cli_json, dollars

STATES = RAW["states"]


def test_states_nominal_and_adjusted_with_differences_to_the_first() -> None:
    doc = cli_json("compare", "--state", "CA", "--state", "tx", "--state", "New York")
    assert doc["kind"] == "compare" and doc["mode"] == "states"
    assert [r["code"] for r in doc["rows"]] == ["CA", "TX", "NY"]
    assert doc["query"]["states"] == ["CA", "TX", "NY"]
    ca, tx, _ny = doc["rows"]
    for r in doc["rows"]:
        s = STATES[r["code"]]
        assert r["band"]["mid"] == s["p50"]
        assert r["adjusted"]["mid"] == dollars(s["p50"] * 100 / s["rpp_all"])
    # TX against CA: 47,230 - 59,700 = -12,470, i.e. -12,470 / 59,700 = -20.89 %
    d = STATES["TX"]["p50"] - STATES["CA"]["p50"]
    assert tx["vs_first"]["pay"] == {"dollars": d, "percent": round(d / STATES["CA"]["p50"] * 100, 2)}
    da = tx["adjusted"]["mid"] - ca["adjusted"]["mid"]
    assert tx["vs_first"]["adjusted"]["dollars"] == da
    assert ca["vs_first"]["pay"] == {"dollars": 0, "percent": 0.0}
    leads = {lead["measure"]: lead for lead in doc["leads"]}
    by_pay = sorted(doc["rows"], key=lambda r: -r["band"]["mid"])
    assert leads["pay"]["winner"] == by_pay[0]["code"] and leads["pay"]["runner_up"] == by_pay[1]["code"]
    assert leads["pay"]["by"]["dollars"] == by_pay[0]["band"]["mid"] - by_pay[1]["band"]["mid"]
    by_adj = sorted(doc["rows"], key=lambda r: -r["adjusted"]["mid"])
    assert leads["adjusted"]["winner"] == by_adj[0]["code"]


def test_one_state_and_home_compares_the_two() -> None:
    doc = cli_json("compare", "--state", "CA", "--home", "TX")
    assert [r["code"] for r in doc["rows"]] == ["CA", "TX"]
    tx = doc["rows"][1]
    assert tx["adjusted"] == tx["band"]  # home dollars of home pay: unchanged
    ca = doc["rows"][0]
    assert ca["adjusted"]["mid"] == dollars(STATES["CA"]["p50"] * STATES["TX"]["rpp_all"] / STATES["CA"]["rpp_all"])


@pytest.mark.parametrize("args", [["--state", "CA"], ["--state", "CA", "--state", "ca"], [],
                                  ["--state", "CA", "--offer", "TX:50000"], ["--state", "CA", "--home", "CA"]])
def test_too_few_states_or_both_modes_exit_2(args: list[str]) -> None:
    res = cli("compare", *args)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith("coder-pay: error: ")


def test_offers_in_us_average_dollars_and_which_buys_more() -> None:
    doc = cli_json("compare", "--offer", "CA:65000", "--offer", "TX:50000")
    assert doc["mode"] == "offers"
    ca, tx = doc["rows"]
    # CA: 65,000 x 100 / 110.720 = 58,706.6 -> $58,707;  TX: 50,000 x 100 / 97.057 = 51,516.1 -> $51,516
    us_ca = dollars(65000 * 100 / STATES["CA"]["rpp_all"])
    us_tx = dollars(50000 * 100 / STATES["TX"]["rpp_all"])
    assert (ca["us_dollars"], tx["us_dollars"]) == (us_ca, us_tx)
    assert ca["home_dollars"] is None
    (lead,) = doc["leads"]
    assert lead["measure"] == "purchasing_power"
    assert lead["winner"] == "CA:65000" and lead["runner_up"] == "TX:50000"
    assert lead["by"]["dollars"] == us_ca - us_tx  # 58,707 - 51,516 = 7,191
    # the percent is of the first offer's figure, the base of every vs_first: 7,191 / 58,707 = 12.25%
    assert lead["by"]["percent"] == round((us_ca - us_tx) / us_ca * 100, 2)
    assert tx["vs_first"]["dollars"] == us_tx - us_ca
    # each offer against the typical pay of the profile in its state (whole market: p50), in today's dollars
    # (the market aged to 2026: x 51,140 / 50,250, BLS's published May 2025 step, x 1.0239 for 2026)
    aged = dollars(STATES["TX"]["p50"] * 51140 / 50250 * (1 + RAW["wage_growth"]["rate"]))
    assert tx["market"]["mid"] == aged
    assert tx["vs_market"]["dollars"] == 50000 - aged
    assert doc["vintage"]["reason"] == "today" and doc["wage_year"] == 2026
    then = cli_json("compare", "--offer", "CA:65000", "--offer", "TX:50000", "--as-of", "2024")
    assert then["rows"][1]["market"]["mid"] == STATES["TX"]["p50"]  # --as-of still chooses


def test_offers_in_home_dollars() -> None:
    doc = cli_json("compare", "--offer", "CA:65000", "--offer", "TX:50000", "--home", "OH")
    oh = STATES["OH"]["rpp_all"]
    ca, tx = doc["rows"]
    assert ca["home_dollars"] == dollars(65000 * oh / STATES["CA"]["rpp_all"])
    assert tx["home_dollars"] == dollars(50000 * oh / STATES["TX"]["rpp_all"])
    assert (doc["area"], doc["area_name"]) == ("OH", "Ohio")
    assert doc["leads"][0]["by_home"]["dollars"] == ca["home_dollars"] - tx["home_dollars"]


def test_offers_on_housing_prices() -> None:
    doc = cli_json("compare", "--offer", "CA:65000", "--offer", "TX:50000", "--col", "housing")
    ca, tx = doc["rows"]
    assert ca["us_dollars"] == dollars(65000 * 100 / STATES["CA"]["rpp_housing"])
    assert ca["price_level"] == pytest.approx(STATES["CA"]["rpp_housing"])


@pytest.mark.parametrize("salary", ["65000", "65,000", "65k", "65K", "$65k"])
def test_offer_salary_forms(salary: str) -> None:
    doc = cli_json("compare", "--offer", f"CA:{salary}")
    assert doc["rows"][0]["salary"] == 65000
    assert doc["leads"] == []  # one offer: nothing to beat


@pytest.mark.parametrize("offer", ["CA:65,00", "CA:", ":65000", "CA65000", "CA:sixty", "CA:0", "CA:65m", "ZZ:65000",
                                   "CA:$", "CA:65000k"])
def test_bad_offer_strings_exit_2_with_empty_stdout(offer: str) -> None:
    res = cli("compare", "--offer", offer)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.startswith("coder-pay: error: ") and res.stderr.count("\n") == 1
    res = cli("compare", "--offer", offer, "--json")
    assert res.exit_code == 2 and res.stdout == ""
    err = json.loads(res.stderr)["error"]
    assert err["exit_code"] == 2 and err["code"] in ("bad_offer", "bad_salary", "unknown_state")


def test_table_output_spells_out_the_difference() -> None:
    out = cli("compare", "--offer", "CA:65000", "--offer", "TX:50000").stdout
    # 65,000 x 100 / 110.720 = 58,706.6 -> 58,707; 50,000 x 100 / 97.057 = 51,516.1 -> 51,516 (BEA 2024)
    assert "California $65,000 buys more: $7,191 more than Texas $50,000 at US average prices; the gap is 12.2% of " \
           "the first offer's." in " ".join(out.split())  # 7,191 / 58,707 = 12.25%
    out = cli("compare", "--state", "CA", "--state", "TX").stdout
    assert "Highest typical pay: California" in out and "Most purchasing power" in out
    assert "BLS OEWS May 2024" in out


def test_csv_one_row_per_state_or_offer() -> None:
    lines = cli("compare", "--state", "CA", "--state", "TX", "--state", "NY", "--format", "csv").stdout.splitlines()
    assert len(lines) == 4 and lines[0].startswith("code,name,low,mid,high,price_level")
    lines = cli("compare", "--offer", "CA:65k", "--offer", "TX:50k", "--format", "csv").stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("code,name,salary,price_level,us_dollars,home_dollars")
    assert lines[1].split(",")[5] == ""  # no --home: empty cell
