"""`coder-pay offer SALARY`: percentile, verdict, market band, counter-offer and total compensation."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.decide import Benefits, market_verdict, offer_check
from coder_pay.documents import offer_doc
from coder_pay.model import estimate
from coder_pay.query import Query, build_query
from coder_pay.table import Distribution
from decide_support import RAW, cli, dollars, hand_band, table
from decide_support import cli_json as _cli_json

T = table()
W = RAW["meta"]["wage_year"]


def cli_json(*args: str) -> dict:
    """The offer as judged against the published year's market (--as-of 2024) unless the test says --as-of: the
    figures below are BLS's May 2024 ones. Today's dollars are tested on their own (test_todays_dollars_*)."""
    return _cli_json(*args, *(() if "--as-of" in args else ("--as-of", str(W))))

TX = RAW["states"]["TX"]
ONE = RAW["credential_count"]["1"]["multiplier"]


def test_an_offer_below_the_market_p10_reads_below_market() -> None:
    for salary in (TX["p10"] - 1, TX["p10"] - 500, 20000):
        doc = cli_json("offer", str(salary), "--state", "TX")
        assert doc["verdict"] == "below market"
        assert doc["target"]["salary"] == TX["p50"]  # whole market: typical = p50
        res = offer_check(T, build_query(T, state="TX", as_of=W), salary)
        assert (res.percentile, res.beyond) == (10, "below")  # BLS publishes nothing below the 10th percentile
        assert (doc["percentile"], doc["beyond_published"]) == (10, "below")
        assert doc["whole_market"]["beyond_published"] == "below"
    assert cli_json("offer", str(TX["p10"]), "--state", "TX")["beyond_published"] is None


def test_whole_market_band_and_percentiles_at_published_points() -> None:
    doc = cli_json("offer", str(TX["p50"]), "--state", "TX")
    assert doc["market"] == {"low": TX["p25"], "mid": TX["p50"], "high": TX["p75"]}
    assert doc["percentile"] == 50.0
    assert cli_json("offer", str(TX["p25"]), "--state", "TX")["percentile"] == 25.0
    assert cli_json("offer", str(TX["p90"]), "--state", "TX")["percentile"] == 90.0


def test_verdict_thresholds_are_the_band_ends() -> None:
    lo, hi = TX["p25"], TX["p75"]
    verdict = {s: cli_json("offer", str(s), "--state", "TX")["verdict"] for s in (lo - 1, lo, hi, hi + 1)}
    assert verdict == {lo - 1: "below market", lo: "within market", hi: "within market", hi + 1: "above market"}
    doc = cli_json("offer", str(lo), "--state", "TX")
    assert doc["thresholds"] == {"below_market_under": lo, "above_market_over": hi, "positions": [25, 50, 75]}


def test_the_band_depends_on_experience() -> None:
    # 1 year: the experience curve, worked from docs/estimate.md (decide_support.hand_band)
    doc = cli_json("offer", "40000", "--state", "TX", "--years", "1")
    lo, mid, hi = hand_band("TX", years=1)
    assert doc["market"] == {"low": lo, "mid": mid, "high": hi}
    assert mid < dollars(TX["p50"])  # a first-year coder earns under the state's median
    # the band is the profile distribution's 25th / 50th / 75th percentiles (to the rounding of whole dollars)
    assert doc["thresholds"]["positions"] == pytest.approx([25.0, 50.0, 75.0], abs=0.05)


def test_percentile_uses_the_profiles_multipliers() -> None:
    # With one credential the profile's distribution moves up: its typical pay sits at the 50th percentile.
    typical = hand_band("TX", ("CPC",))[1]  # 47,230 x e^(0.490593 x tanh(ln 1.2020 / 0.490593)) = $56,309
    assert typical == 56309
    doc = cli_json("offer", str(typical), "--state", "TX", "--cert", "CPC")
    assert doc["percentile"] == pytest.approx(50.0, abs=0.05)
    assert doc["market"]["mid"] == typical


def test_remote_and_no_state_use_the_national_distribution() -> None:
    nat = RAW["national"]
    assert cli_json("offer", str(nat["p50"]))["percentile"] == 50.0
    assert cli_json("offer", str(nat["p50"]), "--state", "CA", "--remote")["percentile"] == 50.0


def test_counter_offer_target() -> None:
    below = cli_json("offer", str(TX["p50"] - 5000), "--state", "TX")
    assert below["target"]["salary"] == TX["p50"]
    assert "typical pay" in below["target"]["reason"]
    above = cli_json("offer", str(TX["p50"] + 5000), "--state", "TX")
    assert above["target"]["salary"] == TX["p50"] + 5000
    assert "negotiate benefits" in above["target"]["reason"]


def test_total_compensation() -> None:
    doc = cli_json("offer", "50k", "--match", "4", "--health", "$6,000", "--bonus", "10%", "--pto", "10")
    # 50,000 + 4% match 2,000 + health 6,000 + 10% bonus 5,000 = 63,000
    tc = doc["total_compensation"]
    assert (tc["match"], tc["health"], tc["bonus"], tc["total"]) == (2000, 6000, 5000, 63000)
    # PTO: 50,000 / 260 work days x 10 days = 1,923.08 -> $1,923 (already inside the salary)
    assert RAW["benefits"]["work_days_per_year"] == 260
    assert tc["pto_value"] == dollars(50000 / 260 * 10)
    assert tc["total"] == 50000 + 2000 + 6000 + 5000
    assert doc["query"]["benefits"] == {"match_pct": 4.0, "health": 6000, "pto_days": 10, "bonus_pct": 10.0}
    assert cli_json("offer", "50k")["total_compensation"] is None


def test_salary_is_adjusted_for_prices() -> None:
    doc = cli_json("offer", "65000", "--state", "CA")
    assert doc["adjusted_salary"]["amount"] == dollars(65000 * 100 / RAW["states"]["CA"]["rpp_all"])


@pytest.mark.parametrize("args", [["abc"], ["65,00"], ["0"], ["50k", "--match", "-1"], ["50k", "--health", "-5"],
                                  ["50k", "--pto", "-1"], ["50k", "--bonus", "-2"], ["50k", "--pto", "400"],
                                  ["50k", "--match", "x"], ["50k", "--state", "Texsa"], ["50k", "--years", "60"]])
def test_bad_values_exit_2_with_empty_stdout(args: list[str]) -> None:
    res = cli("offer", *args)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith("coder-pay: error: ")
    res = cli("offer", *args, "--json")
    assert res.exit_code == 2 and res.stdout == ""
    assert json.loads(res.stderr)["error"]["exit_code"] == 2


def test_table_output() -> None:
    out = cli("offer", "52k", "--state", "TX", "--years", "3", "--match", "4").stdout
    assert "Verdict" in out and "within market" in out and "Counter-offer target" in out
    assert "Total compensation" in out and "BLS OEWS May 2024" in out


@given(code=st.sampled_from(sorted(RAW["states"])), salary=st.integers(10_000, 300_000),
       years=st.one_of(st.none(), st.integers(0, 50)))
@settings(max_examples=60, deadline=None)
def test_verdict_and_percentile_agree_with_the_band(code: str, salary: int, years: int | None) -> None:
    res = offer_check(T, build_query(T, state=code, years=years), salary, Benefits())
    assert 10 <= res.percentile <= 90  # never the 0th, 1st or 100th: BLS publishes p10-p90
    assert (res.beyond == "below") == (salary < res.estimate.profile.p10)
    assert (res.beyond == "above") == (salary > res.estimate.profile.p90)
    b = res.market
    assert res.verdict == ("below market" if salary < b.low else "above market" if salary > b.high else "within market")
    assert res.target >= salary
    higher = offer_check(T, build_query(T, state=code, years=years), salary + 1000)
    assert higher.percentile >= res.percentile


# --------------------------------------------------------------------------- issue 9: advice that follows from the band
# Expected values come through the library (the pay model is being rewritten): the laws below hold for any
# band the model gives, as long as the band is read from `decide.profile_distribution`.

STATES = sorted(RAW["states"])
CREDS = sorted(RAW["credentials"])
PROFILES = st.fixed_dictionaries({
    "state": st.one_of(st.none(), st.sampled_from(STATES)),
    "certs": st.lists(st.sampled_from(CREDS), max_size=3, unique=True),
    "experience": st.one_of(st.none(), st.integers(0, 50).map(lambda y: ("years", y)),
                            st.sampled_from(["entry", "mid", "senior", "supervisor", "manager", "director"])
                            .map(lambda lv: ("level", lv))),
    "specialty": st.sampled_from(sorted(RAW["specialties"])),
    "setting": st.sampled_from(sorted(RAW["settings"])),
    "remote": st.booleans(),
    "as_of": st.one_of(st.none(), st.integers(RAW["meta"]["wage_year"] - 10, RAW["meta"]["wage_year"] + 15)),
})


def profile(p: dict) -> Query:
    exp = p["experience"] or (None, None)
    return build_query(T, state=p["state"], certs=p["certs"], specialty=p["specialty"], setting=p["setting"],
                       remote=p["remote"], as_of=p["as_of"], **({exp[0]: exp[1]} if exp[0] else {}))


def assert_consistent(salary: float, pct: float, verdict: str, positions: list[float] | tuple[float, ...],
                      band: dict[str, int], target: int) -> None:
    lo, mid, hi = positions
    assert lo <= mid <= hi
    assert verdict == ("below market" if salary < band["low"] else "above market" if salary > band["high"]
                       else "within market")
    if verdict == "below market":
        assert pct <= lo
    elif verdict == "above market":
        assert pct >= hi
    else:
        assert lo <= pct <= hi
    if salary >= band["mid"]:  # at or above typical pay: never "below market", no raise target
        assert verdict != "below market"
        assert target == salary and pct >= mid
    else:  # below typical pay: never "above market"; the target is the typical pay, inside the band
        assert verdict != "above market"
        assert target == band["mid"] and salary < target <= band["high"] and pct <= mid


@given(p=PROFILES, salary=st.integers(1, 400_000))
@settings(max_examples=300, deadline=None)
def test_verdict_percentile_and_target_agree_for_every_profile(p: dict, salary: int) -> None:
    q = profile(p)
    res = offer_check(T, q, salary)
    band = res.market._asdict()
    # the verdict is the one rule, decide.market_verdict
    assert res.verdict == market_verdict(salary, res.market)
    assert_consistent(salary, res.percentile, res.verdict, res.positions, band, res.target)
    # the same agreement in the JSON document, after rounding
    doc = offer_doc(T, res)
    assert_consistent(salary, doc["percentile"], doc["verdict"], doc["thresholds"]["positions"], doc["market"],
                      doc["target"]["salary"])
    # the percentile of the typical pay is the band's middle position; of its ends, their positions
    for i, end in enumerate(res.market):
        assert offer_check(T, q, end).percentile == res.positions[i]
    # both percentiles rise with the salary
    more = offer_check(T, q, salary + 1000)
    assert more.percentile >= res.percentile and more.whole_market.percentile >= res.whole_market.percentile
    assert 10 <= res.whole_market.percentile <= 90
    # in today's dollars by default (the market aged to the current year), with --as-of to that year
    assert res.vintage.wage_year == (q.as_of if q.as_of is not None else 2026)
    assert res.vintage.reason == ("as_of" if q.as_of is not None else "today")


def test_the_band_is_read_from_profile_distribution_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """`decide.profile_distribution` is the one seam between the pay model and the advice: re-pointed, the
    percentile, the band's positions and the whole-market percentile all follow it."""
    import coder_pay.decide as decide

    q = build_query(T, state="TX", certs=["CPC"], years=8, as_of=W)
    est = estimate(T, q)
    assert decide.profile_distribution(est) == est.profile
    res = offer_check(T, q, 65_000)
    dist = decide.profile_distribution(est)
    assert res.percentile == dist.percentile_of(65_000)
    assert res.positions == tuple(dist.percentile_of(x) for x in res.market)

    shifted = Distribution(*(v * 1.1 for v in dist))
    monkeypatch.setattr(decide, "profile_distribution", lambda e: shifted)
    moved = offer_check(T, q, 65_000)
    assert moved.percentile == shifted.percentile_of(65_000)
    assert moved.positions == tuple(shifted.percentile_of(x) for x in moved.market)
    assert moved.whole_market.percentile == shifted.percentile_of(65_000)


def test_whole_market_percentile_is_the_published_state_distribution() -> None:
    # Whatever the profile, the second percentile is the salary among all coders in the state (BLS May 2024):
    # at the state's published p25 / p50 / p75 / p90 it reads 25 / 50 / 75 / 90.
    for pct in (25, 50, 75, 90):
        salary = TX[f"p{pct}"]
        doc = cli_json("offer", str(salary), "--state", "TX", "--cert", "CPC", "--years", "8",
                       "--setting", "hospital")
        assert doc["whole_market"] == {"percentile": float(pct), "beyond_published": None, "area": "TX",
                                       "area_name": "Texas", "source": RAW["states"]["TX"]["wage_source"]}
    # linear between published points: 65,000 in Texas = 75 + 15 x (65,000 - 61,980) / (77,140 - 61,980)
    want = 75 + 15 * (65_000 - TX["p75"]) / (TX["p90"] - TX["p75"])
    assert cli_json("offer", "65000", "--state", "TX", "--cert", "CPC", "--years", "8")["whole_market"][
        "percentile"] == round(want, 1)
    # remote or no state: the national distribution
    nat = RAW["national"]
    for args in (["--state", "TX", "--remote"], []):
        wm = cli_json("offer", str(nat["p75"]), "--cert", "CRC", *args)["whole_market"]
        assert wm["percentile"] == 75.0 and wm["area"] is None and wm["area_name"] == "the United States"


def test_whole_market_is_aged_like_the_profile() -> None:
    # --as-of ages every wage (the published May 2025 step, then the rate): the state's p50 aged is still the 50th.
    g = RAW["wage_growth"]["rate"]
    year = RAW["meta"]["wage_year"] + 2
    salary = dollars(TX["p50"] * 51140 / 50250 * (1 + g))
    doc = cli_json("offer", str(salary), "--state", "TX", "--years", "4", "--as-of", str(year))
    assert doc["whole_market"]["percentile"] == pytest.approx(50.0, abs=0.05)


def test_the_output_shows_both_percentiles() -> None:
    res = offer_check(T, build_query(T, state="TX", certs=["CPC"], years=8), 65_000)
    out = cli("offer", "65000", "--state", "TX", "--cert", "CPC", "--years", "8").stdout  # today's dollars
    assert "Percentile among all coders in Texas" in out
    n = round(res.whole_market.percentile)
    assert f"Among all coders in Texas (BLS {RAW['meta']['wage_year']}, every level and credential) the salary is " \
           f"at the {n}th percentile" in " ".join(out.split())
    low = " ".join(cli("offer", "20000", "--state", "CA").stdout.split())  # under the published p10
    assert offer_check(T, build_query(T, state="CA"), 20_000).whole_market.beyond == "below"
    assert ("the salary is below the 10th percentile (the lowest BLS publishes); in this profile's market, below the "
            "10th percentile (the lowest BLS publishes)") in low
    import re

    assert "below 10th" in low and not re.search(r"\b(0th|1st|100th) percentile", low)
    high = " ".join(cli("offer", "200000", "--state", "CA").stdout.split())
    assert "above the 90th percentile (the highest BLS publishes)" in high and "above 90th" in high
    assert "Percentile in this profile's market" in out


def test_a_salary_above_typical_pay_gets_no_raise_target() -> None:
    for args in (["--state", "TX", "--cert", "CPC", "--years", "8"], ["--state", "CA"], ["--level", "director"]):
        doc = cli_json("offer", "1000", *args)
        mid, high = doc["market"]["mid"], doc["market"]["high"]
        assert doc["target"]["salary"] == mid <= high  # below typical: ask for typical, never above the band
        above = cli_json("offer", str(mid + 1), *args)
        assert above["verdict"] != "below market"
        assert above["target"]["salary"] == mid + 1 and "negotiate benefits" in above["target"]["reason"]


@given(p=PROFILES, salary=st.integers(1, 400_000))
@settings(max_examples=100, deadline=None)
def test_todays_dollars_is_the_market_aged_to_the_current_year(p: dict, salary: int) -> None:
    """Issue 16 law: the check with no --as-of is the check --as-of the current year, figure for figure."""
    q = profile({**p, "as_of": None})
    now, asked = offer_check(T, q, salary), offer_check(T, q._replace(as_of=2026), salary)
    assert (now.percentile, now.verdict, now.target, now.market, now.beyond) == \
        (asked.percentile, asked.verdict, asked.target, asked.market, asked.beyond)
    assert now.query.as_of is None and now.vintage.reason == "today" and asked.vintage.reason == "as_of"


def test_todays_dollars_the_issue_example() -> None:
    """`offer 58000 -s OH -c CPC -y 4 --setting hospital`: judged against 2026's market, not May 2024's."""
    args = ("offer", "58000", "-s", "OH", "-c", "CPC", "-y", "4", "--setting", "hospital")
    now, then = _cli_json(*args), _cli_json(*args, "--as-of", "2024")
    assert now["market"]["mid"] == dollars(then["market"]["mid"] * 51140 / 50250 * (1 + RAW["wage_growth"]["rate"])) \
        or abs(now["market"]["mid"] - then["market"]["mid"] * 51140 / 50250 * (1 + RAW["wage_growth"]["rate"])) <= 1
    assert now["percentile"] < then["percentile"]
    out = " ".join(cli(*args).stdout.split())
    assert "aged to 2026 (today's dollars, for money paid now)" in out
