"""--after-tax in the decision model (decide.py): states, compare (states and offers) and offer.

Every expected take-home below is worked out by hand from the 2025 figures in the data table (read
here with tomllib as RAW and checked first), the way tests/test_tax.py does:

Federal: standard deduction 15,750; 10% up to 11,925 (1,192.50), 12% up to 48,475.
FICA: Social Security 6.2% (wage base 176,100, not reached here), Medicare 1.45% (extra 0.9% above 200,000).
California: standard deduction 5,706, no exemption; 1% to 11,079 (110.79), 2% to 26,264 (303.70),
    4% to 41,452 (607.52), 6% to 57,542; less the flat $153 personal credit.
Texas, Washington: no wage income tax.
Price levels (BEA RPP 2024, all items): Texas 97.057, California 110.720.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.decide import (
    AFTER_TAX_SORT_KEYS,
    Benefits,
    compare_offers,
    compare_states,
    offer_check,
    sort_order,
    states_table,
)
from coder_pay.query import build_query
from coder_pay.table import TableError, parse_table
from decide_support import RAW, TABLE_TEXT, dollars, table

T = table()
TAX = RAW["tax"]

# ---- the hand-worked take-homes used below

# Texas, $50,000: federal taxable 50,000 - 15,750 = 34,250: 1,192.50 + 0.12 x (34,250 - 11,925 = 22,325) 2,679.00
#   = 3,871.50; Social Security 0.062 x 50,000 = 3,100.00; Medicare 0.0145 x 50,000 = 725.00; state 0
TX_50K = 50_000 - 3_871.50 - 3_100.00 - 725.00  # 42,303.50
# Texas, $52,000: federal taxable 36,250: 1,192.50 + 0.12 x (36,250 - 11,925 = 24,325) 2,919.00 = 4,111.50;
#   Social Security 0.062 x 52,000 = 3,224.00; Medicare 0.0145 x 52,000 = 754.00; state 0
TX_52K = 52_000 - 4_111.50 - 3_224.00 - 754.00  # 43,910.50
# California, $65,000 (docs/readme-issue6.md): 52,303.93
CA_65K = 65_000 - 5_749.00 - 4_030.00 - 942.50 - 1_974.57
# California, $60,000: federal taxable 44,250: 1,192.50 + 0.12 x (44,250 - 11,925 = 32,325) 3,879.00 = 5,071.50
#   Social Security 0.062 x 60,000 = 3,720.00; Medicare 0.0145 x 60,000 = 870.00
#   state taxable 60,000 - 5,706 = 54,294: 110.79 + 303.70 + 607.52 + 0.06 x (54,294 - 41,452 = 12,842) 770.52
#   = 1,792.53, less the $153 credit = 1,639.53
CA_60K = 60_000 - 5_071.50 - 3_720.00 - 870.00 - 1_639.53  # 48,698.97
PRICE = {"TX": 97.057, "CA": 110.720}


def test_the_table_holds_the_figures_the_working_uses() -> None:
    assert TAX["year"] == 2025
    assert TAX["federal"]["standard_deduction"] == 15_750
    assert TAX["federal"]["brackets"][:3] == [[0, 0.1], [11925, 0.12], [48475, 0.22]]
    assert (TAX["fica"]["social_security_rate"], TAX["fica"]["medicare_rate"]) == (0.062, 0.0145)
    ca = TAX["states"]["CA"]
    assert ca["brackets"][:5] == [[0, 0.01], [11079, 0.02], [26264, 0.04], [41452, 0.06], [57542, 0.08]]
    assert (ca["standard_deduction"], ca["personal_exemption"], ca["credit"]) == (5706, 0, 153)
    for code in ("TX", "WA"):
        assert TAX["states"][code]["brackets"] == [[0, 0.0]]
    for code, level in PRICE.items():
        assert RAW["states"][code]["rpp_all"] == level
    assert round(TX_52K, 2) == 43_910.50
    assert round(TX_50K, 2) == 42_303.50 and round(CA_65K, 2) == 52_303.93 and round(CA_60K, 2) == 48_698.97


# --------------------------------------------------------------------------- compare --offer


def test_offers_after_tax_worked_example_tx_50k_against_ca_65k() -> None:
    res = compare_offers(T, build_query(T), [("TX", 50_000), ("CA", 65_000)], after_tax=True)
    tx, ca = res.rows
    assert tx.after_tax is not None and ca.after_tax is not None
    assert tx.after_tax.result.take_home == pytest.approx(TX_50K)
    assert ca.after_tax.result.take_home == pytest.approx(CA_65K)
    # purchasing power after tax: 42,303.50 x 100 / 97.057 = 43,586.24 -> 43,586
    #                             52,303.93 x 100 / 110.720 = 47,239.82 -> 47,240
    assert tx.after_tax.us_dollars == dollars(TX_50K * 100 / PRICE["TX"]) == 43_586
    assert ca.after_tax.us_dollars == dollars(CA_65K * 100 / PRICE["CA"]) == 47_240
    # before tax California leads by 58,707 - 51,516 = 7,191; after tax by 47,240 - 43,586 = 3,654
    assert res.best is not None and (res.best.winner, res.best.by.dollars) == ("CA:65000", 7_191)
    b = res.after_tax_best
    assert b is not None and b.measure == "take_home_purchasing_power"
    assert (b.winner, b.runner_up, b.by.dollars) == ("CA:65000", "TX:50000", 3_654)
    assert b.by.percent == pytest.approx(3_654 / 43_586 * 100)  # 8.38%
    assert ca.after_tax.vs_first.dollars == 3_654 and tx.after_tax.vs_first.dollars == 0
    assert res.after_tax is not None and res.after_tax.flagged == ("CA",) and res.after_tax.tax_year == 2025


def test_taxes_turn_the_ranking_tx_52k_against_ca_60k() -> None:
    res = compare_offers(T, build_query(T), [("TX", 52_000), ("CA", 60_000)], after_tax=True)
    # before tax: 60,000 x 100 / 110.720 = 54,191 against 52,000 x 100 / 97.057 = 53,577: California by 614
    assert res.best is not None and (res.best.winner, res.best.by.dollars) == ("CA:60000", 54_191 - 53_577)
    # after tax: 48,698.97 x 100 / 110.720 = 43,983.90 -> 43,984 against 43,910.50 x 100 / 97.057 = 45,241.97
    # -> 45,242: Texas by 1,258
    ca = res.rows[1].after_tax
    assert ca is not None and ca.us_dollars == dollars(CA_60K * 100 / PRICE["CA"]) == 43_984
    b = res.after_tax_best
    assert b is not None and (b.winner, b.runner_up, b.by.dollars) == ("TX:52000", "CA:60000", 1_258)
    assert b.by.percent == pytest.approx(1_258 / 45_242 * 100)  # 2.78%: of the first offer's (TX), as vs_first is


def test_offers_after_tax_in_home_dollars() -> None:
    oh = RAW["states"]["OH"]["rpp_all"]
    res = compare_offers(T, build_query(T, home="OH"), [("TX", 52_000), ("CA", 60_000)], after_tax=True)
    tx, ca = (r.after_tax for r in res.rows)
    assert tx is not None and ca is not None
    # take-home x Ohio's price level / the offer state's price level
    assert tx.home_dollars == dollars(TX_52K * oh / PRICE["TX"])
    assert ca.home_dollars == dollars(CA_60K * oh / PRICE["CA"])
    b = res.after_tax_best
    assert b is not None and b.by_home is not None and b.by_home.dollars == tx.home_dollars - ca.home_dollars
    # the comparison does not depend on the area: the same winner and (to rounding) the same percent
    assert b.winner == "TX:52000" and b.by_home.percent == pytest.approx(b.by.percent, abs=0.01)


def test_offers_after_tax_on_housing_prices() -> None:
    res = compare_offers(T, build_query(T, col="housing"), [("TX", 50_000), ("CA", 65_000)], after_tax=True)
    tx, ca = (r.after_tax for r in res.rows)
    assert tx is not None and ca is not None
    # housing price levels (BEA 2024) 96.503 and 154.346: 42,303.50 x 100 / 96.503 = 43,836.46 -> 43,836 and
    # 52,303.93 x 100 / 154.346 = 33,887.45 -> 33,887
    assert (RAW["states"]["TX"]["rpp_housing"], RAW["states"]["CA"]["rpp_housing"]) == (96.503, 154.346)
    assert (tx.us_dollars, ca.us_dollars) == (43_836, 33_887)
    assert res.after_tax_best is not None and res.after_tax_best.winner == "TX:50000"


def test_offers_without_after_tax_carry_nothing_after_tax() -> None:
    res = compare_offers(T, build_query(T), [("TX", 50_000), ("CA", 65_000)])
    assert res.after_tax is None and res.after_tax_best is None and all(r.after_tax is None for r in res.rows)


def test_one_offer_after_tax_names_no_winner() -> None:
    res = compare_offers(T, build_query(T), [("TX", 50_000)], after_tax=True)
    assert res.after_tax_best is None and res.rows[0].after_tax is not None


@settings(max_examples=60, deadline=None)
@given(offers=st.lists(st.tuples(st.sampled_from(sorted(RAW["states"])), st.integers(1, 1_000_000)), min_size=2,
                       max_size=4),
       col=st.sampled_from(["all", "housing"]))
def test_offers_after_tax_laws(offers: list[tuple[str, int]], col: str) -> None:
    """Take-home never exceeds the salary (plus a refundable state credit paid out: Idaho's grocery credit at tiny
    salaries), so take-home purchasing power never exceeds purchasing power before tax (with that credit); the
    verdict goes to the largest take-home purchasing power (ties: the first given)."""
    res = compare_offers(T, build_query(T, col=col), offers, after_tax=True)
    power = []
    for r in res.rows:
        assert r.after_tax is not None
        th = r.after_tax.result
        refund = th.state_working.refundable_credit if th.state_working else 0.0
        assert 0 <= th.take_home <= r.salary + refund and th.state == r.code
        assert r.after_tax.us_dollars == dollars(th.take_home * 100 / RAW["states"][r.code][f"rpp_{col}"])
        assert r.after_tax.us_dollars <= r.us_dollars + dollars(refund * 100 / RAW["states"][r.code][f"rpp_{col}"]) + 1
        power.append(r.after_tax.us_dollars)
    b = res.after_tax_best
    assert b is not None
    winner = power.index(max(power))
    assert b.winner == res.rows[winner].label and b.by.dollars == max(power) - sorted(power)[-2]


# --------------------------------------------------------------------------- compare --state

# Typical pay (BLS May 2024 p50): Texas 47,230, California 59,700.
# Texas 47,230 (tests/test_tax_cli.py): take-home 40,077.80 -> 40,078; x 100 / 97.057 = 41,293.05 -> 41,293
TX_TYP = 47_230 - 3_539.10 - 2_928.26 - 684.84
# California 59,700: federal taxable 43,950: 1,192.50 + 0.12 x 32,025 (3,843.00) = 5,035.50;
#   Social Security 3,701.40; Medicare 0.0145 x 59,700 = 865.65;
#   state taxable 59,700 - 5,706 = 53,994: 110.79 + 303.70 + 607.52 + 0.06 x 12,542 (752.52) = 1,774.53 - 153 = 1,621.53
CA_TYP = 59_700 - 5_035.50 - 3_701.40 - 865.65 - 1_621.53  # 48,475.92


def test_compare_states_after_tax_on_the_typical_pay() -> None:
    assert (RAW["states"]["TX"]["p50"], RAW["states"]["CA"]["p50"]) == (47_230, 59_700)
    res = compare_states(T, build_query(T), ["CA", "TX"], after_tax=True)
    ca, tx = (r.after_tax for r in res.rows)
    assert ca is not None and tx is not None
    assert ca.take_home.results[1].take_home == pytest.approx(CA_TYP)
    assert tx.take_home.results[1].take_home == pytest.approx(TX_TYP)
    assert (ca.take_home.band.mid, tx.take_home.band.mid) == (dollars(CA_TYP), dollars(TX_TYP)) == (48_476, 40_078)
    # 48,475.92 x 100 / 110.720 = 43,782.44 -> 43,782
    assert (ca.take_home.col_band.mid, tx.take_home.col_band.mid) == (43_782, 41_293)
    assert tx.vs_first.dollars == 40_078 - 48_476 and tx.adjusted_vs_first.dollars == 41_293 - 43_782
    leads = {lead.measure: lead for lead in res.after_tax_leads}
    assert (leads["take_home"].winner, leads["take_home"].by.dollars) == ("CA", 8_398)
    assert (leads["take_home_adjusted"].winner, leads["take_home_adjusted"].by.dollars) == ("CA", 2_489)
    assert res.after_tax is not None and res.after_tax.measure == "take_home_adjusted"
    # the before-tax leads are still there, unchanged
    assert res.most_purchasing_power.measure == "adjusted"


def test_compare_states_remote_taxes_where_you_would_live() -> None:
    res = compare_states(T, build_query(T, remote=True), ["TX", "WA"], after_tax=True)
    tx, wa = (r.after_tax for r in res.rows)
    assert tx is not None and wa is not None
    # remote: the national band in both, and neither state taxes wages: the same take-home
    assert res.rows[0].band == res.rows[1].band
    assert tx.take_home.band == wa.take_home.band
    # ... but not the same purchasing power: Washington's prices are higher
    assert wa.take_home.col_band.mid < tx.take_home.col_band.mid


# --------------------------------------------------------------------------- states

# Hawaii 62,990 (p50): federal taxable 47,240: 1,192.50 + 0.12 x 35,315 (4,237.80) = 5,430.30;
#   Social Security 0.062 x 62,990 = 3,905.38; Medicare 0.0145 x 62,990 = 913.355 -> 913.36;
#   state taxable 62,990 - 4,400 - 1,144 = 57,446: 1.4% x 9,600 (134.40) + 3.2% x 4,800 (153.60)
#   + 5.5% x 4,800 (264.00) + 6.4% x 4,800 (307.20) + 6.8% x 12,000 (816.00) + 7.2% x 12,000 (864.00)
#   + 7.6% x 9,446 (717.896) = 3,257.096 -> 3,257.10
HI_TYP = 62_990 - 5_430.30 - 3_905.38 - 913.36 - 3_257.10  # 49,483.86
# Washington 62,250: federal taxable 46,500: 1,192.50 + 0.12 x 34,575 (4,149.00) = 5,341.50;
#   Social Security 3,859.50; Medicare 0.0145 x 62,250 = 902.625 -> 902.63; no state tax
WA_TYP = 62_250 - 5_341.50 - 3_859.50 - 902.63  # 52,146.37


def test_states_after_tax_puts_washington_above_hawaii() -> None:
    hi = TAX["states"]["HI"]
    assert (hi["standard_deduction"], hi["personal_exemption"]) == (4_400, 1_144)
    assert hi["brackets"][:7] == [[0, 0.014], [9600, 0.032], [14400, 0.055], [19200, 0.064], [24000, 0.068],
                                  [36000, 0.072], [48000, 0.076]]
    assert (RAW["states"]["HI"]["p50"], RAW["states"]["WA"]["p50"]) == (62_990, 62_250)
    q = build_query(T)
    before = {r.code: r for r in states_table(T, q).rows}
    after = {r.code: r for r in states_table(T, q, after_tax=True).rows}
    # by typical pay Hawaii (62,990) ranks above Washington (62,250) ...
    assert before["HI"].rank < before["WA"].rank
    # ... by take-home Washington (52,146.37) ranks above Hawaii (49,483.86)
    hi_at, wa_at = after["HI"].after_tax, after["WA"].after_tax
    assert hi_at is not None and wa_at is not None
    assert hi_at.results[1].take_home == pytest.approx(HI_TYP)
    assert wa_at.results[1].take_home == pytest.approx(WA_TYP)
    assert (hi_at.band.mid, wa_at.band.mid) == (49_484, 52_146)
    assert after["WA"].rank < after["HI"].rank


@pytest.mark.parametrize("sort, measure", [("pay", lambda r: r.after_tax.band.mid),
                                           ("adjusted", lambda r: r.after_tax.col_band.mid)])
def test_states_after_tax_rank_on_take_home(sort: str, measure) -> None:  # type: ignore[no-untyped-def]
    res = states_table(T, build_query(T, certs=["CPC"], years=4), sort, after_tax=True)
    values = [measure(r) for r in res.ranked]
    assert values == sorted(values, reverse=True)
    assert [r.rank for r in res.ranked] == list(range(1, 52))
    assert sort_order(sort, True) == AFTER_TAX_SORT_KEYS[sort]
    assert res.after_tax is not None and res.after_tax.measure == {"pay": "take_home", "adjusted": "take_home_adjusted"}[sort]


@pytest.mark.parametrize("sort", ["price", "name"])
def test_price_and_name_sorts_do_not_change_with_after_tax(sort: str) -> None:
    q = build_query(T)
    assert [r.code for r in states_table(T, q, sort).ranked] == [r.code for r in states_table(T, q, sort, after_tax=True).ranked]
    assert sort_order(sort, True) == sort_order(sort, False)
    res = states_table(T, q, sort, after_tax=True)
    assert res.after_tax is not None and res.after_tax.measure is None


def test_states_after_tax_laws() -> None:
    """Take-home is below the typical pay everywhere, each row is taxed by its own state, and the
    nine states without a wage income tax take none."""
    res = states_table(T, build_query(T), after_tax=True, top=5)
    assert len(res.rows) == 5 and len(res.ranked) == 51
    no_tax = {c for c, s in TAX["states"].items() if s["brackets"] == [[0, 0.0]]}
    assert no_tax == {"AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY"}
    for r in res.ranked:
        at = r.after_tax
        assert at is not None and at.state == r.code
        mid = at.results[1]
        assert 0 < mid.take_home < r.band.mid
        assert mid.gross == r.band.mid
        if r.code in no_tax:
            assert mid.state_income_tax == 0
        # take-home in the comparison area's prices: take-home x 100 / the state's price level
        assert at.col_band.mid == dollars(mid.take_home * 100 / r.price_level)
    # the summary covers the rows shown (the first 5), not all 51
    assert res.after_tax is not None and set(res.after_tax.flagged) <= {r.code for r in res.rows}


# --------------------------------------------------------------------------- offer


def test_offer_after_tax_with_benefits_taxes_salary_and_bonus_only() -> None:
    b = Benefits(match_pct=4, health=6_000, pto_days=15, bonus_pct=3)
    res = offer_check(T, build_query(T, state="TX", years=3, certs=["CPC"]), 52_000, b, after_tax=True)
    oa, tc = res.after_tax, res.total
    assert oa is not None and tc is not None
    # match 4% x 52,000 = 2,080; bonus 3% x 52,000 = 1,560; health 6,000
    assert (tc.match, tc.bonus, tc.health) == (2_080, 1_560, 6_000)
    # the salary alone: federal taxable 36,250: 1,192.50 + 0.12 x 24,325 (2,919.00) = 4,111.50;
    #   Social Security 3,224.00; Medicare 754.00; Texas 0 -> 43,910.50
    assert oa.salary.take_home == 52_000 - 4_111.50 - 3_224.00 - 754.00
    # in US-average prices: 43,910.50 x 100 / 97.057 = 45,241.97 -> 45,242
    assert oa.adjusted == dollars(43_910.50 * 100 / PRICE["TX"]) == 45_242
    # taxable wages 52,000 + 1,560 = 53,560: federal taxable 37,810: 1,192.50 + 0.12 x 25,885 (3,106.20) = 4,298.70
    #   Social Security 0.062 x 53,560 = 3,320.72; Medicare 0.0145 x 53,560 = 776.62 -> 45,163.96
    assert oa.wages is not None and oa.wages.gross == 53_560
    assert oa.wages.take_home == pytest.approx(53_560 - 4_298.70 - 3_320.72 - 776.62)
    # not taxed: the match and the employer-paid premium: 2,080 + 6,000 = 8,080; total 53,243.96 -> 53,244
    assert oa.untaxed == 8_080 and oa.total == 53_244
    # PTO is inside the salary: it changes nothing
    res2 = offer_check(T, build_query(T, state="TX", years=3, certs=["CPC"]), 52_000,
                       Benefits(match_pct=4, health=6_000, bonus_pct=3), after_tax=True)
    assert res2.after_tax is not None and res2.after_tax.total == oa.total


def test_offer_after_tax_without_benefits_and_without_a_state() -> None:
    res = offer_check(T, build_query(T), 52_000, Benefits(), after_tax=True)
    oa = res.after_tax
    assert oa is not None and oa.wages is None and oa.total is None and oa.untaxed is None
    # no state: federal and FICA only (as Texas above), and the caveat says so
    assert oa.salary.take_home == 43_910.50 and oa.salary.state is None
    assert any("No state given" in c for c in oa.salary.caveats)
    # US prices where you live (the United States, 100) -> the same dollars
    assert oa.adjusted == 43_911  # 43,910.50 halves up


def test_offer_after_tax_remote_is_taxed_where_you_live() -> None:
    res = offer_check(T, build_query(T, state="CA", remote=True), 65_000, after_tax=True)
    assert res.after_tax is not None and res.after_tax.salary.take_home == pytest.approx(CA_65K)
    assert res.after_tax.salary.flagged


# --------------------------------------------------------------------------- no [tax] section


def test_every_after_tax_path_needs_the_tax_section() -> None:
    t = parse_table(TABLE_TEXT[: TABLE_TEXT.index("# ---------------------------------------------------------------- taxes")],
                    "no-tax.toml")
    q = build_query(t, state="TX")
    for call in (lambda: states_table(t, q, after_tax=True),
                 lambda: compare_states(t, q, ["CA", "TX"], after_tax=True),
                 lambda: compare_offers(t, q, [("TX", 50_000)], after_tax=True),
                 lambda: offer_check(t, q, 50_000, Benefits(match_pct=4), after_tax=True)):
        with pytest.raises(TableError) as e:
            call()
        assert e.value.problems[0].key == "tax" and "[tax] section" in str(e.value)
    # without --after-tax the same table still works
    assert states_table(t, q).rows and compare_offers(t, q, [("TX", 50_000)]).rows
