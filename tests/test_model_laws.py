"""Laws of the pay model over the whole packaged table (issue 5), as hypothesis properties.

The model is `estimate(table, build_query(table, ...))`. The laws: a band is ordered (low <= typical <=
high); more experience, a higher role or one more credential never lowers any band value; the
cost-of-living adjustment at price level 100 (and between a state and itself) is the identity; remote pay
does not depend on the state; and every state x credential count x level x specialty x setting gives
positive whole dollars.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.model import Band, Estimate, estimate
from coder_pay.query import LEVELS, MAX_YEARS, build_query
from coder_pay.table import Table, default_path, load_table, parse_table

TABLE = load_table()
STATES = sorted(TABLE.states)
CREDS = list(TABLE.credentials)
SPECIALTIES = list(TABLE.specialties)
SETTINGS = list(TABLE.settings)
LADDER = ("entry", "mid", "senior", "supervisor", "manager", "director")
assert set(LADDER) == set(LEVELS)
WAGE_YEAR = TABLE.wage_year

LAWS = settings(deadline=None, max_examples=150)


def est(table: Table = TABLE, **kw: Any) -> Estimate:
    return estimate(table, build_query(table, **kw))


def values(b: Band) -> tuple[int, int, int]:
    return b.low, b.mid, b.high


def at_most(a: Band, b: Band) -> bool:
    return all(x <= y for x, y in zip(values(a), values(b)))


def whole_positive(b: Band) -> bool:
    return all(type(x) is int and x > 0 for x in values(b))


# A profile: everything but experience (the laws vary that themselves).
maybe_state = st.none() | st.sampled_from(STATES)
profiles = st.fixed_dictionaries(
    {
        "state": maybe_state,
        "certs": st.lists(st.sampled_from(CREDS), unique=True, max_size=5),
        "specialty": st.sampled_from(SPECIALTIES),
        "setting": st.sampled_from(SETTINGS),
        "remote": st.booleans(),
        "home": maybe_state,
        "col": st.sampled_from(["all", "housing"]),
        "as_of": st.none() | st.integers(WAGE_YEAR - 10, WAGE_YEAR + 15),
    }
)
experience = st.one_of(
    st.just({}),
    st.builds(lambda y: {"years": y}, st.integers(0, MAX_YEARS)),
    st.builds(lambda lv: {"level": lv}, st.sampled_from(LADDER)),
)


@LAWS
@given(profiles, experience)
def test_a_band_is_ordered_and_in_positive_whole_dollars(p: dict[str, Any], x: dict[str, Any]) -> None:
    e = est(**p, **x)
    for band in (e.band, e.col.band):
        assert whole_positive(band)
        assert band.low <= band.mid <= band.high
    assert math.isfinite(e.multiplier) and e.multiplier > 0


@LAWS
@given(profiles, st.integers(0, MAX_YEARS), st.integers(0, MAX_YEARS))
def test_more_years_never_lower_pay(p: dict[str, Any], y1: int, y2: int) -> None:
    lo, hi = sorted((y1, y2))
    a, b = est(**p, years=lo), est(**p, years=hi)
    assert at_most(a.band, b.band), (lo, a.band, hi, b.band)
    assert at_most(a.col.band, b.col.band)


@LAWS
@given(profiles)
def test_each_step_up_the_ladder_never_lowers_pay(p: dict[str, Any]) -> None:
    bands = [est(**p, level=lv).band for lv in LADDER]
    for (l1, b1), (l2, b2) in zip(zip(LADDER, bands), zip(LADDER[1:], bands[1:])):
        assert at_most(b1, b2), f"{l1} {b1} -> {l2} {b2}"


@LAWS
@given(profiles, st.integers(0, MAX_YEARS))
def test_years_give_the_band_of_their_level(p: dict[str, Any], years: int) -> None:
    """--years N and the --level whose range holds N are the same experience."""
    level = next(lv.key for lv in TABLE.levels.values() if lv.min_years <= years <= lv.max_years)
    assert est(**p, years=years).band == est(**p, level=level).band


@LAWS
@given(profiles, experience, st.sampled_from(CREDS))
def test_one_more_credential_never_lowers_pay(p: dict[str, Any], x: dict[str, Any], extra: str) -> None:
    without = [c for c in p["certs"] if c != extra]
    a, b = est(**{**p, "certs": without}, **x), est(**{**p, "certs": [*without, extra]}, **x)
    assert at_most(a.band, b.band) and at_most(a.col.band, b.col.band)
    assert b.multiplier >= a.multiplier


@cache
def table_priced_at_100(state: str) -> Table:
    """The packaged table with `state`'s price levels (all items and housing) set to 100, by editing the TOML."""
    text = default_path().read_text(encoding="utf-8")
    start = text.index(f"[states.{state}]\n")
    end = text.find("\n[", start + 1)
    section = text[start:end]
    edited = re.sub(r"(?m)^(rpp_all|rpp_housing) = .*$", r"\1 = 100.0", section)
    assert edited.count("= 100.0") == 2
    table = parse_table(text[:start] + edited + text[end:])
    assert table.states[state].rpp_all == table.states[state].rpp_housing == 100.0
    return table


@settings(deadline=None, max_examples=30)
@given(st.sampled_from(STATES), profiles, experience)
def test_price_level_100_is_the_identity(state: str, p: dict[str, Any], x: dict[str, Any]) -> None:
    table = table_priced_at_100(state)
    # living in the state, compared with the US average (100)
    e = est(table, **{**p, "state": state, "home": None}, **x)
    assert e.col.price_ratio == 1.0 and e.col.band == e.band
    # living anywhere at the US price level (no state), compared with the state
    e = est(table, **{**p, "state": None, "home": state}, **x)
    assert e.col.price_ratio == 1.0 and e.col.band == e.band
    # and the band itself does not move when only prices change
    assert e.band == est(**{**p, "state": None, "home": None}, **x).band


@LAWS
@given(st.sampled_from(STATES), profiles, experience)
def test_comparing_a_state_with_itself_is_the_identity(state: str, p: dict[str, Any], x: dict[str, Any]) -> None:
    e = est(**{**p, "state": state, "home": state}, **x)
    assert e.col.price_ratio == 1.0 and e.col.band == e.band


@LAWS
@given(profiles, experience)
def test_the_adjusted_band_is_the_band_times_the_price_ratio(p: dict[str, Any], x: dict[str, Any]) -> None:
    e = est(**p, **x)
    here = 100.0 if p["state"] is None else TABLE.states[p["state"]].price_level(p["col"])
    there = 100.0 if p["home"] is None else TABLE.states[p["home"]].price_level(p["col"])
    for got, band in zip(values(e.col.band), values(e.band)):
        assert abs(got - band * there / here) <= 0.5 + 1e-9


@LAWS
@given(st.lists(maybe_state, min_size=2, max_size=4), profiles, experience)
def test_remote_pay_does_not_depend_on_the_state(states: list[str | None], p: dict[str, Any], x: dict[str, Any]) -> None:
    bands = {est(**{**p, "state": s, "remote": True}, **x).band for s in states}
    assert len(bands) == 1, bands
    # ... it is the national band times the remote factor (x1.0 in the packaged table)
    national = est(**{**p, "state": None, "remote": False}, **x)
    if TABLE.remote.factor == 1.0:
        assert bands == {national.band}


def test_every_combination_gives_positive_whole_dollars() -> None:
    """Exhaustive: every state (and remote) x 0-4 credentials x no experience or each level x specialty x setting.
    About 100,000 estimates, ~5 s."""
    count = 0
    levels: list[str | None] = [None, *LADDER]
    wheres = [{"state": s} for s in STATES] + [{"remote": True}]
    for where in wheres:
        for n in range(len(TABLE.credential_counts) + 2):
            for level in levels:
                for spec in SPECIALTIES:
                    for sett in SETTINGS:
                        e = est(**where, certs=CREDS[:n], level=level, specialty=spec, setting=sett)
                        for band in (e.band, e.col.band):
                            assert whole_positive(band) and band.low <= band.mid <= band.high, (where, n, level, spec, sett)
                        count += 1
    assert count == len(wheres) * (len(TABLE.credential_counts) + 2) * len(levels) * len(SPECIALTIES) * len(SETTINGS)
