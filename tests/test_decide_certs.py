"""`coder-pay certs`: uplift, cost, payback and first-year return of each credential."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.decide import PAYBACK_CAP_MONTHS, cert_payback, payback
from coder_pay.query import build_query
from decide_support import RAW, cli, cli_json, dollars, table

T = table()
CPC = RAW["credentials"]["CPC"]
ONE = RAW["credential_count"]["1"]["multiplier"]
TWO = RAW["credential_count"]["2"]["multiplier"]
NAT = RAW["national"]


def rows(*args: str) -> dict[str, dict]:
    return {r["code"]: r for r in cli_json("certs", *args)["rows"]}


def test_one_row_per_credential_in_the_table() -> None:
    assert list(rows()) == [c.upper() for c in RAW["credentials"]]


def test_payback_is_cost_over_monthly_uplift() -> None:
    # 3 years' experience (mid level, p35 / p54 / p68): no apprentice stage, since 3 >= 24 months / 12.
    r = rows("--years", "3")["CPC"]
    assert r["apprentice"] is None
    # typical pay now: national p54 = p50 + (p75 - p50) x 4 / 25 = 50,250 + 13,820 x 0.16 = 52,461.2 -> $52,461
    mid = NAT["p50"] + (NAT["p75"] - NAT["p50"]) * 4 / 25
    assert r["pay_without"] == dollars(mid)
    # with CPC: 52,461.2 x 1.2020 = 63,058.4 -> $63,058; uplift 63,058 - 52,461 = $10,597 a year
    assert r["pay_with"] == dollars(mid * ONE)
    uplift = dollars(mid * ONE) - dollars(mid)
    assert r["uplift"] == uplift
    # cost: exam fee $425 + first-year membership $157 = $582
    cost = CPC["exam_fee"] + CPC["first_year_membership"]
    assert r["cost"] == cost
    # payback = 582 / (10,597 / 12) = 0.66 months
    assert r["payback_months"] == round(cost / (uplift / 12), 1)
    # first-year return = 12 months of uplift - cost = 10,597 - 582 = $10,015, as % of cost
    assert r["first_year_return"] == uplift - cost
    assert r["first_year_return_pct"] == round((uplift - cost) / cost * 100, 2)


def test_apprentice_stage_when_experience_is_not_known() -> None:
    # No experience given: the apprentice stage applies (CPC-A at 0.82 of CPC pay for 24 months).
    r = rows("--state", "CA")["CPC"]
    ca = RAW["states"]["CA"]["p50"]  # whole market: typical = p50 = $59,700
    with_cpc = dollars(ca * ONE)  # 59,700 x 1.2020 = 71,759.4 -> $71,759
    ap_pay = dollars(with_cpc * CPC["apprentice_ratio"])  # 71,759 x 0.82 = 58,842.4 -> $58,842
    ap = r["apprentice"]
    assert ap["months"] == CPC["apprentice_months"] == 24
    assert ap["months_public_figure"] is False  # an assumption: the output must say "no public figure"
    assert ap["pay"] == ap_pay
    assert ap["uplift"] == ap_pay - ca  # 58,842 - 59,700 = -858: honestly negative
    assert ap["uplift"] < 0
    uplift = with_cpc - ca  # $12,059 once the stage is over
    assert r["uplift"] == uplift
    cost = CPC["exam_fee"] + CPC["first_year_membership"]
    # running total after 24 months: 24 x (-858 / 12) = -1,716; the rest, 582 + 1,716 = 2,298, at 12,059 / 12 a month
    expected = 24 + (cost - 24 * (ap_pay - ca) / 12) / (uplift / 12)
    assert r["payback_months"] == round(expected, 1)  # 26.3 months
    # first year: 12 months at the apprentice uplift = -858; return = -858 - 582 = -1,440
    assert r["first_year_uplift"] == ap_pay - ca
    assert r["first_year_return"] == ap_pay - ca - cost
    out = cli("certs", "--state", "CA").stdout
    assert "no public figure" in out and "CPC-A" in out


@pytest.mark.parametrize("args", [["--years", "2"], ["--level", "mid"], ["--level", "senior"], ["--level", "manager"]])
def test_no_apprentice_stage_with_two_years_or_more(args: list[str]) -> None:
    assert rows(*args)["CPC"]["apprentice"] is None


@pytest.mark.parametrize("args", [["--years", "1"], ["--level", "entry"], []])
def test_apprentice_stage_for_new_coders(args: list[str]) -> None:
    assert rows(*args)["CPC"]["apprentice"] is not None


def test_held_credentials_are_marked_and_add_nothing() -> None:
    r = rows("--cert", "CPC", "--years", "4")
    assert r["CPC"]["held"] is True and r["CPC"]["uplift"] == 0 and r["CPC"]["payback_months"] is None
    # the next credential: two credentials against one, same band position
    # 4 years = mid level (p54): 52,461.2 x 1.3948 - 52,461.2 x 1.2020
    mid = NAT["p50"] + (NAT["p75"] - NAT["p50"]) * 4 / 25
    assert r["CCS"]["uplift"] == dollars(mid * TWO) - dollars(mid * ONE)
    assert r["CCS"]["held"] is False


def test_credentials_without_a_public_cost() -> None:
    r = rows("--years", "5")
    for code in ("CCS", "RHIT", "COC"):
        assert "exam_fee" not in RAW["credentials"][code]
        assert r[code]["cost"] is None
        assert r[code]["payback_months"] is None and r[code]["payback_note"] == "cost: no public figure"
        assert "no public figure" in r[code]["cost_note"]
        assert r[code]["first_year_return"] is None
        assert r[code]["uplift"] > 0
    out = cli("certs", "--years", "5").stdout
    assert "no public figure" in out


def test_no_uplift_past_the_largest_credential_count() -> None:
    top = max(int(k) for k in RAW["credential_count"])
    held = ["CPC", "CCS", "RHIT", "CRC"][:top]
    r = rows("--cert", ",".join(held), "--years", "8")
    assert r["CPC"]["held"]
    assert r["COC"]["uplift"] == 0
    assert r["COC"]["payback_months"] is None


def test_training_ranges_are_shown_with_their_source() -> None:
    doc = cli_json("certs")
    training = {t["key"]: t for t in doc["training"]}
    assert training["self_study"]["low"] == RAW["training"]["self_study"]["low"]
    assert training["program"]["high"] == RAW["training"]["program"]["high"]
    out = cli("certs").stdout
    assert "$500 - $3,000" in out and "industry article" in out


def test_payback_rules() -> None:
    assert payback(None, 100.0) == (None, "cost: no public figure")
    assert payback(600, 100.0)[0] == 6.0  # 600 / 100 a month
    assert payback(600, 0.0)[0] is None
    assert payback(600, -5.0)[0] is None
    assert payback(0, 0.0)[0] == 0.0
    # a stage that pays back by itself: 600 / 200 = 3 months
    assert payback(600, 100.0, 24, 200.0)[0] == 3.0
    # a negative stage: -10 x 24 = -240 to make up, then (600 + 240) / 100 = 8.4 -> 32.4 months
    assert payback(600, 100.0, 24, -10.0)[0] == pytest.approx(32.4)
    # never within the cap
    months, why = payback(600, 0.5)
    assert months is None and str(PAYBACK_CAP_MONTHS) in why


@given(code=st.sampled_from(sorted(RAW["states"])), years=st.one_of(st.none(), st.integers(0, 50)),
       held=st.sampled_from([(), ("CCS",), ("CCS", "RHIT")]))
@settings(max_examples=40, deadline=None)
def test_uplift_is_never_negative_and_payback_is_consistent(code: str, years: int | None, held: tuple[str, ...]) -> None:
    res = cert_payback(T, build_query(T, state=code, years=years, certs=held))
    for r in res.rows:
        assert r.uplift >= 0
        assert r.pay_with >= r.pay_without
        if r.payback_months is not None and r.apprentice is None and r.cost:
            assert r.payback_months == pytest.approx(r.cost / (r.uplift / 12))


def test_bad_values_exit_2() -> None:
    for args in (["--state", "Califrnia"], ["--cert", "CPX"], ["--format", "pdf"], ["--years", "-1"]):
        res = cli("certs", *args)
        assert res.exit_code == 2 and res.stdout == ""
    assert "Did you mean California (CA)?" in cli("certs", "--state", "Califrnia").stderr


def test_csv_one_row_per_credential() -> None:
    lines = cli("certs", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("code,name,body,held,pay_without,pay_with,uplift,cost,payback_months")
    assert len(lines) == 1 + len(RAW["credentials"])
