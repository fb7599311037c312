"""`coder-pay states`: every state + DC for one profile, ranked."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.decide import states_table
from coder_pay.query import build_query
from decide_support import RAW, cli, cli_json, dollars, state_block, table, variant

T = table()
STATES = RAW["states"]


def test_every_state_and_dc_with_code_and_name() -> None:
    doc = cli_json("states")
    assert doc["kind"] == "states"
    assert doc["total"] == 51
    assert len(doc["rows"]) == 51
    assert {r["code"] for r in doc["rows"]} == set(STATES)
    assert all(r["name"] == STATES[r["code"]]["name"] for r in doc["rows"])


def test_default_profile_is_the_whole_market_uncertified() -> None:
    # The settled default: the state's whole market (the middle half: p25 / p50 / p75), no credential.
    doc = cli_json("states")
    assert RAW["market"]["positions"] == [25, 50, 75]
    assert doc["query"]["credentials"] == [] and doc["query"]["years"] is None and doc["query"]["level"] is None
    ca = next(r for r in doc["rows"] if r["code"] == "CA")
    assert ca["band"] == {"low": STATES["CA"]["p25"], "mid": STATES["CA"]["p50"], "high": STATES["CA"]["p75"]}


def test_adjusted_is_pay_times_100_over_the_price_level() -> None:
    doc = cli_json("states")
    for r in doc["rows"]:
        s = STATES[r["code"]]
        # e.g. CA: 59,700 x 100 / 110.720 = 53,919.8 -> $53,920
        assert r["adjusted"]["mid"] == dollars(s["p50"] * 100 / s["rpp_all"])
        assert r["price_level"] == pytest.approx(s["rpp_all"])


def test_housing_basis_and_home_state() -> None:
    doc = cli_json("states", "--col", "housing", "--home", "OH")
    oh = STATES["OH"]["rpp_housing"]
    for r in doc["rows"]:
        s = STATES[r["code"]]
        assert r["price_level"] == pytest.approx(s["rpp_housing"])
        assert r["adjusted"]["mid"] == dollars(s["p50"] * oh / s["rpp_housing"])
    assert (doc["area"], doc["area_name"]) == ("OH", "Ohio")


def test_adjusted_equals_nominal_where_the_price_level_is_100() -> None:
    # Build a table variant whose Texas price level is exactly 100 (all items).
    block = state_block("TX")
    rpp = f"rpp_all = {STATES['TX']['rpp_all']}"
    assert rpp in block
    t = variant(block, block.replace(rpp, "rpp_all = 100.0"))
    res = states_table(t, build_query(t))
    tx = next(r for r in res.rows if r.code == "TX")
    assert tx.price_level == 100.0
    assert tx.adjusted == tx.band


@given(code=st.sampled_from(sorted(STATES)), cert=st.sampled_from([[], ["CPC"], ["CPC", "CCS"]]),
       years=st.one_of(st.none(), st.integers(0, 50)))
@settings(max_examples=25, deadline=None)
def test_col_at_index_100_is_the_identity_for_any_profile(code: str, cert: list[str], years: int | None) -> None:
    block = state_block(code)
    rpp = f"rpp_all = {STATES[code]['rpp_all']}"
    t = variant(block, block.replace(rpp, "rpp_all = 100.0"))
    row = next(r for r in states_table(t, build_query(t, certs=cert, years=years)).rows if r.code == code)
    assert row.adjusted == row.band


def test_sort_orders() -> None:
    pay = cli_json("states")["rows"]
    assert [r["band"]["mid"] for r in pay] == sorted((r["band"]["mid"] for r in pay), reverse=True)
    # the default sort is pay, highest first: the first row is the state with the highest p50 in the table
    assert pay[0]["band"]["mid"] == max(s["p50"] for s in STATES.values())
    adjusted = cli_json("states", "--sort", "adjusted")["rows"]
    assert [r["adjusted"]["mid"] for r in adjusted] == sorted((r["adjusted"]["mid"] for r in adjusted), reverse=True)
    price = cli_json("states", "--sort", "price")["rows"]
    assert [r["price_level"] for r in price] == sorted(r["price_level"] for r in price)
    assert price[0]["code"] == min(STATES, key=lambda c: STATES[c]["rpp_all"])
    name = cli_json("states", "--sort", "name")["rows"]
    assert [r["name"] for r in name] == sorted(s["name"] for s in STATES.values())
    for rows in (pay, adjusted, price, name):
        assert [r["rank"] for r in rows] == list(range(1, 52))


def test_ties_keep_code_order() -> None:
    # Give AK and AL the same wages: sorted by pay they must come out AK before AL.
    al = state_block("AL")
    new_al = al
    for p in ("p10", "p25", "p50", "p75", "p90"):
        new_al = new_al.replace(f"{p} = {STATES['AL'][p]}\n", f"{p} = {STATES['AK'][p]}\n")
    t = variant(al, new_al)
    codes = [r.code for r in states_table(t, build_query(t)).rows]
    assert codes.index("AK") + 1 == codes.index("AL")


def test_top_n_is_the_head_of_the_ranking() -> None:
    full = cli_json("states", "--sort", "adjusted")["rows"]
    top = cli_json("states", "--sort", "adjusted", "--top", "5")
    assert top["rows"] == full[:5]
    assert top["total"] == 51 and top["query"]["top"] == 5
    assert len(cli_json("states", "--top", "100")["rows"]) == 51


@pytest.mark.parametrize("args", [["--top", "0"], ["--top", "-3"], ["--sort", "salary"], ["--format", "xml"],
                                  ["--cert", "XYZ"], ["--years", "99"], ["--col", "rent"], ["--as-of", "1999"],
                                  ["--home", "Atlantis"]])
def test_bad_values_exit_2_with_empty_stdout(args: list[str]) -> None:
    res = cli("states", *args)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.startswith("coder-pay: error: ")
    assert res.stderr.count("\n") == 1


def test_csv_header_and_51_rows() -> None:
    res = cli("states", "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["rank", "code", "name", "low", "mid", "high", "price_level", "adjusted_low", "adjusted_mid",
                       "adjusted_high", "employment"]
    assert len(rows) == 52  # header + 50 states + DC
    by_code = {r[1]: r for r in rows[1:]}
    assert int(by_code["CA"][4]) == STATES["CA"]["p50"]
    assert by_code["DC"][2] == "District of Columbia"


def test_json_flag_and_format_json_agree() -> None:
    a = cli("states", "--json").stdout
    b = cli("states", "--format", "json").stdout
    assert a == b


def test_table_output_has_bars_ranks_and_vintage() -> None:
    res = cli("states", "--top", "3")
    assert res.exit_code == 0
    out = res.stdout
    assert "top 3 of the 50 states and DC" in out  # 50 states + DC = 51 rows
    assert "█" in out
    flat = " ".join(out.split())
    assert "BLS OEWS May 2024" in flat and "BEA regional price parities 2024" in flat
