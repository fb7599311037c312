"""The pay model, checked against hand-worked figures from the table's published sources.

Sources used below (all in data/coder_pay.toml, from ../shared/sources):
  California, BLS OEWS May 2024: p10 41,740  p25 47,280  p50 59,700  p75 79,970  p90 104,560; BEA RPP 2024 110.720
  Texas: p10 31,550  p25 37,780  p50 47,230  p75 61,980  p90 77,140
  Mississippi: p25 32,310  p50 39,970  p75 50,810; RPP 87.683 (all items)
  National: p10 35,780  p25 41,600  p50 50,250  p75 64,070  p90 80,950
  One credential (gross): AAPC 2025 certified $66,979 / not certified $55,721 = 1.2020 (table, 4 decimals);
  two: 1.3948; CRC / CPC: AAPC 2025 $74,629 / $67,147 = 1.1114
  Experience curve: amplitude 0.5212, time constant 9, market years 7.1; net share 0.629 (AAPC 2010, > 25 years)
  Bounds: experience_share 0.6, experience_knee 0.7, high_cap 1.25, band_knee 0.75
The formulas are in model.py's docstring; the arithmetic below was worked with a calculator, not the code.
"""

from __future__ import annotations

import pytest

from coder_pay.model import Band, estimate
from coder_pay.query import UsageError, build_query
from coder_pay.table import Table


def est(table: Table, **kw: object):  # type: ignore[no-untyped-def]
    return estimate(table, build_query(table, **kw))  # type: ignore[arg-type]


def test_california_cpc_by_hand(table: Table) -> None:
    e = est(table, state="CA", certs=["CPC"])
    # whole market: room U = ln(104,560 / 59,700) = 0.56043; T = U x tanh(ln 1.2020 / U) = 0.56043 x tanh(0.32830)
    # = 0.17765 (x1.19441, the credential's 20.2 % counted as 19.4 % inside the room)
    # low  = 47,280 x e^T = 56,471.6 -> 56,472 ; typical = 59,700 x e^T = 71,306.1 -> 71,306
    # high: T + ln(79,970 / 59,700) = 0.46997, under the band knee 0.75 x ln(1.25 x 104,560 / 59,700) = 0.58768,
    # but the cap is smooth: 0.58768 + ... is not reached, so high = 79,970 x e^T = 95,516.7 -> 95,517
    assert e.band == Band(56472, 71306, 95517)
    # adjusted to the US average: x 100 / 110.720 (BEA 2024) -> 51,004.3 ; 64,402.1 ; 86,269.4 (from the rounded band)
    assert e.col.band == Band(51004, 64402, 86269)
    assert e.col.area == "US"


def test_no_state_means_national_figures(table: Table) -> None:
    e = est(table)
    assert e.band == Band(41600, 50250, 64070)  # national p25 / p50 / p75, uncertified
    assert e.col.band == e.band  # US price level 100 against the US average 100


def test_adjustment_shrinks_california_and_grows_mississippi(table: Table) -> None:
    ca, ms = est(table, state="CA"), est(table, state="MS")
    assert ca.col.band.mid < ca.band.mid
    assert ms.col.band.mid > ms.band.mid
    # Mississippi: 39,970 x 100 / 87.683 = 45,584.7 -> 45,585
    assert ms.band.mid == 39970
    assert ms.col.band.mid == round(39970 * 100 / table.states["MS"].rpp_all)


def test_home_state_is_the_comparison_area(table: Table) -> None:
    e = est(table, state="TX", home="CA")
    # Texas p50 47,230 in California prices: x 110.720 / TX RPP
    assert e.col.area == "CA"
    assert e.col.band.mid == round(47230 * table.states["CA"].rpp_all / table.states["TX"].rpp_all)


def test_remote_pay_is_national_and_state_only_moves_prices(table: Table) -> None:
    ca, ms = est(table, state="CA", remote=True), est(table, state="MS", remote=True)
    assert ca.band == ms.band == Band(41600, 50250, 64070)
    assert ca.col.band.mid < ms.col.band.mid


def test_years_follow_the_experience_curve(table: Table) -> None:
    e = est(table, state="TX", certs=["CPC"], years=8)
    # e(8) = 0.5212 x (exp(-7.1/9) - exp(-8/9)) = 0.022535 (under the knee 0.7 x 0.6 x ln(77,140/47,230) = 0.20605)
    # the room left by the curve: ln(77,140/47,230) - bounded e(50) = 0.490593 - 0.233818 = 0.256775
    # the credential net of experience: 0.629 x ln(1.2020) = 0.115729 -> 0.256775 x tanh(0.115729/0.256775) = 0.108480
    # T = 0.022535 + 0.108480 = 0.131015 -> typical 47,230 x e^T = 53,841.5 -> 53,842; low 37,780 x e^T = 43,068.6;
    # high 61,980 x e^T = 70,656.3 (T + ln(61,980/47,230) = 0.40280 is under the band knee 0.5353)
    assert e.band == Band(43069, 53842, 70656)
    assert e.band.mid < table.states["TX"].wages.p90  # the case: was $80,574, above Texas's p90 $77,140


def test_the_whole_market_is_the_published_distribution(table: Table) -> None:
    for code, st in table.states.items():
        e = est(table, state=code)
        assert e.band == Band(round(st.wages.p25), round(st.wages.p50), round(st.wages.p75)), code
        assert e.profile == pytest.approx(st.wages, rel=1e-12)  # the distribution itself, unmoved


def test_roles_are_priced_from_their_bls_occupation(table: Table) -> None:
    director = est(table, level="director")
    # a director of HIM: BLS 11-9111 medical and health services managers, May 2024 national p25 / p50 / p75
    assert director.band == Band(88560, 117960, 162420)
    manager = est(table, level="manager")  # the lower half of the same occupation: p10 / p25 / p50
    assert manager.band == Band(69680, 88560, 117960)
    # in Ohio: x Ohio's coder median / the national one
    oh = est(table, state="OH", level="supervisor")
    k = table.states["OH"].wages.p50 / 50250
    assert oh.band == Band(round(53190 * k), round(66140 * k), round(82340 * k))
    role = next(f for f in oh.factors if f.factor == "role")
    assert "43-1011" in role.detail and role.source == "oews_related_2024"
    # a coder's effects are not a role's: said, not silently dropped
    with_cpc = est(table, state="OH", level="supervisor", certs=["CPC"])
    assert with_cpc.band == oh.band and any("credentials not applied" in n for n in with_cpc.notes)


def test_credentials_combine_inside_the_room(table: Table) -> None:
    base = est(table, state="TX").band.mid  # 47,230
    two = est(table, state="TX", certs=["CPC", "CRC"]).band.mid
    one = est(table, state="TX", certs=["CPC"]).band.mid
    # two credentials, the best of them CRC: ln(1.3948 x 1.1114) = 0.438371; room ln(77,140/47,230) = 0.490593
    # 0.490593 x tanh(0.438396/0.490593) = ... -> 47,230 x e^T = 67,013.4 ; one (CPC): ln 1.2020 -> 56,308.7
    assert (two, one) == (67013, 56309)
    assert two > one > base


def test_specialty_and_setting_never_simply_multiply(table: Table) -> None:
    e = est(table, specialty="risk-adjustment", setting="hospital")
    # ln 1.3 + ln 1.1397 = 0.393129; national room ln(80,950/50,250) = 0.476821;
    # 0.476821 x tanh(0.393129/0.476821) = 0.323047 -> 50,250 x e^0.323047 = 69,411.8 (multiplied: 74,450)
    assert e.band.mid == 69412
    assert e.band.mid < round(50250 * 1.3 * 1.1397)
    assert {f.factor for f in e.factors} >= {"specialty", "setting", "bounds"}


def test_every_factor_carries_a_source_with_a_year_or_says_undated(table: Table) -> None:
    e = est(table, state="CA", certs=["CCS"], specialty="cardiology", setting="consulting", years=4)
    for f in e.factors:
        assert f.source in table.sources
    # article-only figures and missing credential figures are said out loud
    assert any("industry article" in n for n in e.notes) or any(f.code == "article_only" for f in e.flags)
    assert any(n.startswith("CCS:") for n in e.notes)


def test_thin_data_is_flagged(table: Table) -> None:
    # Nevada: BLS MEAN_PRSE 6.7 (>= 4) and EMP_PRSE 11.8 (>= 10); Texas: 2.0 and 3.9 (neither)
    nv = est(table, state="NV").flags
    assert [(f.code, f.factor) for f in nv] == [("thin_data", "state")]
    assert "6.7%" in nv[0].message and "11.8%" in nv[0].message
    assert est(table, state="TX").flags == ()
    # consulting (NAICS 5416): wage RSE 4.5, employment RSE 15.9; the specialty premium is article-only
    flags = est(table, state="TX", setting="consulting", specialty="oncology").flags
    assert {(f.code, f.factor) for f in flags} == {("thin_data", "setting"), ("article_only", "specialty")}
    # remote work reads the national wages: the state's thin data does not apply
    assert est(table, state="NV", remote=True).flags == ()


def test_as_of_ages_wages_with_the_growth_rate(table: Table) -> None:
    e = est(table, as_of=2026)
    assert e.wage_year == 2026
    # 2024 -> 2025: BLS's published national medians, $50,250 -> $51,140; 2025 -> 2026 at the table's rate
    assert e.band.mid == round(50250 * 51140 / 50250 * (1 + table.growth_rate))
    assert est(table, as_of=2025).band.mid == 51140
    assert est(table, as_of=2023).band.mid == 48780  # back to May 2023's published median


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"state": "Califrnia"}, "unknown_state"),
        ({"state": ""}, "empty_value"),
        ({"certs": ["CPX"]}, "unknown_credential"),
        ({"years": -1}, "bad_years"),
        ({"years": 51}, "bad_years"),
        ({"years": 1, "level": "senior"}, "conflicting_options"),
        ({"specialty": "dermatology"}, "unknown_specialty"),
        ({"setting": "moon"}, "unknown_setting"),
    ],
)
def test_bad_inputs_raise_usage_errors(table: Table, kw: dict[str, object], code: str) -> None:
    with pytest.raises(UsageError) as info:
        build_query(table, **kw)  # type: ignore[arg-type]
    assert info.value.code == code


def test_did_you_mean(table: Table) -> None:
    with pytest.raises(UsageError, match=r"Did you mean California \(CA\)\?"):
        build_query(table, state="Califrnia")
    with pytest.raises(UsageError, match="Did you mean CPC"):
        build_query(table, certs=["CPX"])


def test_state_spellings_are_equivalent(table: Table) -> None:
    codes = {build_query(table, state=s).state for s in ("CA", "ca", " California ", "CALIFORNIA", "california")}
    assert codes == {"CA"}
    assert build_query(table, state="district of columbia").state == "DC"
    assert build_query(table, certs=["cpc,crc", "CCS", "cpc"]).credentials == ("CPC", "CRC", "CCS")
