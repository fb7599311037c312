"""The pay model, checked against hand-worked figures from the table's published sources.

Sources used below (all in data/coder_pay.toml, from ../shared/sources):
  California, BLS OEWS May 2024: p10 41,740  p25 47,280  p50 59,700  p75 79,970  p90 104,560; BEA RPP 2023 112.581
  Mississippi: p25 32,310  p50 39,970  p75 50,810; RPP 87.683 (all items)
  National: p25 41,600  p50 50,250  p75 64,070
  One credential: AAPC 2025 certified $66,979 / not certified $55,721 = 1.2020 (table, 4 decimals)
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
    # 47,280 x 1.2020 = 56,830.56 -> 56,831 ; 59,700 x 1.2020 = 71,759.4 -> 71,759 ; 79,970 x 1.2020 = 96,123.94 -> 96,124
    assert e.band == Band(56831, 71759, 96124)
    # adjusted to the US average: x 100 / 112.581 -> 50,480.3 ; 63,740.1 ; 85,382.3 (from the rounded band)
    assert e.col.band == Band(50480, 63740, 85382)
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
    # Texas p50 47,230 in California prices: x 112.581 / TX RPP
    assert e.col.area == "CA"
    assert e.col.band.mid == round(47230 * table.states["CA"].rpp_all / table.states["TX"].rpp_all)


def test_remote_pay_is_national_and_state_only_moves_prices(table: Table) -> None:
    ca, ms = est(table, state="CA", remote=True), est(table, state="MS", remote=True)
    assert ca.band == ms.band == Band(41600, 50250, 64070)
    assert ca.col.band.mid < ms.col.band.mid


def test_years_pick_the_experience_level(table: Table) -> None:
    entry, senior = table.levels["entry"], table.levels["senior"]
    e1 = est(table, state="CA", years=1)
    assert e1.positions == entry.positions
    e8 = est(table, state="CA", years=8)
    assert e8.positions == senior.positions
    # senior typical = p80 of California: between p75 79,970 and p90 104,560, one third of the way:
    # 79,970 + (104,560 - 79,970) x 5/15 = 88,166.67 -> 88,167
    assert senior.positions[1] == 80
    assert e8.band.mid == 88167


def test_roles_raise_the_senior_band_by_promotion_steps(table: Table) -> None:
    senior = est(table, level="senior")
    director = est(table, level="director")
    k = (1 + table.promotion_raise) ** table.roles["director"].steps_above_senior  # 1.15^3 = 1.520875
    assert director.band.mid == pytest.approx(senior.band.mid * k, abs=1)


def test_credentials_count_multipliers(table: Table) -> None:
    base = est(table, state="TX").band.mid  # 47,230
    two = est(table, state="TX", certs=["CPC", "CRC"]).band.mid
    assert two == round(47230 * table.credential_counts[2].multiplier)
    assert two > est(table, state="TX", certs=["CPC"]).band.mid > base


def test_specialty_and_setting_multiply(table: Table) -> None:
    e = est(table, specialty="risk-adjustment", setting="hospital")
    k = table.specialties["risk-adjustment"].factor * table.settings["hospital"].factor  # 1.3 x 1.057
    assert e.band.mid == round(50250 * k)
    assert {f.factor for f in e.factors} >= {"specialty", "setting"}


def test_every_factor_carries_a_source_with_a_year_or_says_undated(table: Table) -> None:
    e = est(table, state="CA", certs=["CCS"], specialty="cardiology", setting="consulting", years=4)
    for f in e.factors:
        assert f.source in table.sources
    # article-only figures and missing credential figures are said out loud
    assert any("industry article" in n for n in e.notes)
    assert any(n.startswith("CCS:") for n in e.notes)


def test_as_of_ages_wages_with_the_growth_rate(table: Table) -> None:
    e = est(table, as_of=2026)
    assert e.wage_year == 2026
    assert e.band.mid == round(50250 * (1 + table.growth_rate) ** 2)


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
