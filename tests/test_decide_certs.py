"""`coder-pay certs`: uplift, cost, payback and first-year return of each credential."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.decide import PAYBACK_CAP_MONTHS, cert_payback, payback
from coder_pay.model import estimate
from coder_pay.query import build_query
from decide_support import RAW, cli, cli_json, dollars, hand_band, table

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
    # 3 years' experience: no apprentice stage, since 3 >= 24 months / 12.
    r = rows("--years", "3")["CPC"]
    assert r["apprentice"] is None
    # typical pay now and with CPC, worked from docs/estimate.md's formulas (decide_support.hand_band):
    # national, 3 years: e(3) = 0.5212 x (exp(-7.1/9) - exp(-3/9)) = -0.136649 -> 50,250 x e^-0.136649 = $43,832;
    # the room the curve leaves: ln(80,950/50,250) - 0.233043 (e(50) bounded) = 0.243779;
    # with CPC: + 0.243779 x tanh(0.629 x ln 1.2020 / 0.243779) = +0.107752 -> 50,250 x e^-0.028897 = $48,819
    without, with_ = hand_band(years=3)[1], hand_band(creds=("CPC",), years=3)[1]
    assert (without, with_) == (43832, 48819)
    assert r["pay_without"] == without and r["pay_with"] == with_
    uplift = with_ - without
    assert r["uplift"] == uplift
    # cost: exam fee $425 + first-year membership $157 = $582
    cost = CPC["exam_fee"] + CPC["first_year_membership"]
    assert r["cost"] == cost
    # payback = 582 / (uplift / 12) months
    assert r["payback_months"] == round(cost / (uplift / 12), 1)
    # first-year return = 12 months of uplift - cost (the net gain after a year)
    assert r["first_year_return"] == uplift - cost
    assert "first_year_return_pct" not in r  # a percent of a $582 cost read as +1,621 %: replaced by the net gain
    # net gain after 1, 3, 5 years: uplift x years - cost - the $222 renewal at the start of each later year
    renewal = CPC["yearly_membership"]
    assert r["renewal"] == renewal
    assert r["net_gain"] == [{"years": n, "extra_pay": uplift * n, "costs": cost + renewal * (n - 1),
                              "net": uplift * n - cost - renewal * (n - 1)} for n in (1, 3, 5)]


def test_apprentice_stage_when_experience_is_not_known() -> None:
    # No experience given: the apprentice stage applies (CPC-A at 0.82 of CPC pay for 24 months).
    r = rows("--state", "CA")["CPC"]
    ca = RAW["states"]["CA"]["p50"]  # whole market: typical = p50 = $59,700
    with_cpc = hand_band("CA", ("CPC",))[1]  # 59,700 x e^(0.56043 x tanh(ln 1.2020 / 0.56043)) = $71,306
    assert with_cpc == 71306
    ratio_pay = dollars(with_cpc * CPC["apprentice_ratio"])  # 71,306 x 0.82 = 58,470.9 -> $58,471
    ap = r["apprentice"]
    assert ap["months"] == CPC["apprentice_months"] == 24
    assert ap["months_public_figure"] is False  # an assumption: the output must say "no public figure"
    # 58,471 is below the uncertified $59,700: the stage is paid at least the pay without the credential
    assert ratio_pay < ca
    assert ap["ratio_pay"] == ratio_pay and ap["floored"] is True
    assert ap["pay"] == ca and ap["uplift"] == 0
    uplift = with_cpc - ca  # $11,606 once the stage is over
    assert r["uplift"] == uplift
    cost = CPC["exam_fee"] + CPC["first_year_membership"]
    # nothing earned back during the 24 months; then 582 at 11,606 / 12 a month: 24 + 0.60 = 24.6 months
    assert r["payback_months"] == round(24 + cost / (uplift / 12), 1)
    # first year: 12 months at the apprentice uplift (0); return = 0 - 582
    assert r["first_year_uplift"] == 0
    assert r["first_year_return"] == -cost
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
    # the next credential: two credentials against one, at 4 years (docs/estimate.md formulas)
    assert r["CCS"]["uplift"] == hand_band(creds=("CPC", "CCS"), years=4)[1] - hand_band(creds=("CPC",), years=4)[1]
    assert r["CCS"]["held"] is False


def test_credentials_without_a_public_cost() -> None:
    r = rows("--years", "5")
    for code in ("CCS-P", "RHIA", "CIC"):
        assert "exam_fee" not in RAW["credentials"][code]
        assert r[code]["cost"] is None
        assert r[code]["payback_months"] is None and r[code]["payback_note"] == "cost: no public figure"
        assert "no public figure" in r[code]["cost_note"]
        assert r[code]["first_year_return"] is None
        assert r[code]["uplift"] > 0
    out = cli("certs", "--years", "5").stdout
    assert "no public figure" in out


def test_no_uplift_past_the_largest_credential_count() -> None:
    """Past the largest count, another credential adds only if its own premium beats the best one held."""
    top = max(int(k) for k in RAW["credential_count"])
    best = max(RAW["credentials"], key=lambda c: RAW["credentials"][c].get("premium", 1.0))  # CPMA, x1.242
    held = [best, "CPC", "CCS", "RHIT"][:top]
    r = rows("--cert", ",".join(held), "--years", "8")
    assert r["CPC"]["held"] and r[best]["held"]
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


# --------------------------------------------------------------------------- issue 9: advice that follows from the band

YEARS = (1, 3, 5)


@given(code=st.sampled_from(sorted(RAW["states"])), years=st.one_of(st.none(), st.integers(0, 1)),
       level=st.sampled_from([None, "entry"]), remote=st.booleans(),
       held=st.sampled_from([(), ("CCS",), ("RHIT", "CCA")]))
@settings(max_examples=60, deadline=None)
def test_the_apprentice_stage_never_pays_less_than_no_credential(code: str, years: int | None, level: str | None,
                                                                 remote: bool, held: tuple[str, ...]) -> None:
    """A credential never lowers pay: the CPC-A stage pays at least what the same coder earns without the CPC."""
    q = build_query(T, state=code, years=years, level=None if years is not None else level, remote=remote, certs=held)
    row = {r.code: r for r in cert_payback(T, q).rows}["CPC"]
    ap = row.apprentice
    assert ap is not None  # under two years' experience (or not known): the stage applies
    without = estimate(T, q).band.mid
    with_cpc = estimate(T, q._replace(credentials=q.credentials + ("CPC",))).band.mid
    ratio_pay = dollars(with_cpc * CPC["apprentice_ratio"])
    assert row.pay_without == without and ap.ratio_pay == ratio_pay
    assert ap.pay == max(ratio_pay, without)  # the rule: the ratio's pay, floored at the pay without
    assert ap.floored == (ratio_pay < without)
    assert ap.pay >= without and ap.uplift >= 0 and row.first_year_uplift >= 0
    assert all(g.extra_pay >= 0 for g in row.net_gain)


def test_the_old_negative_apprentice_stage_is_gone() -> None:
    # issue 9: at 0 years in Texas the CPC-A stage made a CPC *lower* pay (-$1,101 in the first year).
    r = rows("--state", "TX", "--years", "0")["CPC"]
    assert r["apprentice"]["uplift"] >= 0 and r["first_year_uplift"] >= 0
    assert r["first_year_return"] >= -r["cost"]  # at worst the first year has not yet earned the cost back
    out = cli("certs", "--state", "TX", "--years", "0").stdout
    assert "never below the pay without it" in out


def test_net_gain_with_an_apprentice_stage() -> None:
    # No experience given, Texas: the stage applies. Expected values follow from the row's own uplifts
    # (the pay model's business) and the fees in the table (by hand).
    r = rows("--state", "TX")["CPC"]
    ap, up = r["apprentice"], r["uplift"]
    cost = CPC["exam_fee"] + CPC["first_year_membership"]  # 425 + 157 = 582
    renewal = CPC["yearly_membership"]  # 222 a year from the second year
    months = ap["months"]  # 24
    for g in r["net_gain"]:
        n = g["years"]
        in_stage = min(months, 12 * n)
        extra = dollars((ap["uplift"] * in_stage + up * (12 * n - in_stage)) / 12)
        assert g == {"years": n, "extra_pay": extra, "costs": cost + renewal * (n - 1),
                     "net": extra - cost - renewal * (n - 1)}
    assert [g["years"] for g in r["net_gain"]] == list(YEARS)


def test_exam_fees_of_the_table_are_the_cost() -> None:
    """AHIMA: the non-member price, no membership (dues have no public figure); AAPC: one attempt + membership."""
    r = rows("--years", "5")
    creds = RAW["credentials"]
    for code in ("CCA", "CCS", "RHIT"):
        c = creds[code]
        assert r[code]["cost"] == c["exam_fee"] and c["exam_fee"] > c["member_exam_fee"]  # non-member price counts
        assert r[code]["member_exam_fee"] == c["member_exam_fee"]
        assert [p["item"] for p in r[code]["cost_parts"]] == ["exam fee"]
        assert r[code]["cost_parts"][0]["terms"] == "non-member price"
        assert r[code]["renewal"] is None and "no public figure" in r[code]["renewal_note"]
        # no renewal counted: the net gain after n years is n years of uplift minus the fee
        assert [g["net"] for g in r[code]["net_gain"]] == [r[code]["uplift"] * n - c["exam_fee"] for n in YEARS]
    for code in ("CRC", "COC"):  # AAPC: exam fee + a year's membership (no first-year figure but CPC's)
        c = creds[code]
        assert r[code]["cost"] == c["exam_fee"] + c["yearly_membership"]
        assert r[code]["cost_parts"][0]["source"] == c["exam_fee_source"]
        assert r[code]["cost_parts"][1]["source"] == c["cost_source"]
    assert r["CRC"]["two_attempt_exam_fee"] == creds["CRC"]["two_attempt_exam_fee"]
    assert "two-attempt package" in r["COC"]["cost_parts"][0]["terms"]
    out = cli("certs", "--years", "5").stdout
    assert "two-attempt package" in out
    assert "RHIT exam fee: low reliability" in out and f"${creds['RHIT']['exam_fee']}†" in out
    assert "AHIMA members pay" in out


def test_membership_is_counted_once_per_body() -> None:
    # Holding CPC (AAPC), CRC costs only its exam fee: the AAPC membership is already paid and renewed.
    r = rows("--cert", "CPC", "--years", "5")["CRC"]
    fee = RAW["credentials"]["CRC"]["exam_fee"]
    assert r["cost"] == fee and [p["item"] for p in r["cost_parts"]] == ["exam fee"]
    assert r["renewal"] is None and "already paid" in r["renewal_note"]
    assert [g["net"] for g in r["net_gain"]] == [r["uplift"] * n - fee for n in YEARS]
    # an AHIMA credential does not make AAPC's membership paid
    assert rows("--cert", "CCS", "--years", "5")["CRC"]["renewal"] == RAW["credentials"]["CRC"]["yearly_membership"]


@given(code=st.sampled_from(sorted(RAW["states"])), years=st.one_of(st.none(), st.integers(0, 50)),
       held=st.sampled_from([(), ("CPC",), ("CCS", "RHIT")]))
@settings(max_examples=40, deadline=None)
def test_net_gain_agrees_with_the_payback(code: str, years: int | None, held: tuple[str, ...]) -> None:
    res = cert_payback(T, build_query(T, state=code, years=years, certs=held))
    for r in res.rows:
        if r.held:
            assert r.net_gain == ()
            continue
        assert [g.years for g in r.net_gain] == list(YEARS)
        assert [g.extra_pay for g in r.net_gain] == sorted(g.extra_pay for g in r.net_gain)  # never falls
        if r.cost is None:
            assert all(g.costs is None and g.net is None for g in r.net_gain)
            continue
        first = r.net_gain[0]
        assert first.net == r.first_year_return and first.extra_pay == r.first_year_uplift
        # within a year, no renewal is due: paid back by month 12 exactly when the first year's net is >= 0
        if r.payback_months is not None:
            assert (r.payback_months <= 12 + 1e-9) == (first.net >= 0)


def test_csv_has_the_net_gain_columns() -> None:
    header = cli("certs", "--format", "csv").stdout.splitlines()[0].split(",")
    assert [h for h in header if h.startswith("net_gain_")] == ["net_gain_1y", "net_gain_3y", "net_gain_5y"]
    assert "first_year_return_pct" not in header
