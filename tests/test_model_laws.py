"""Laws of the pay model over the whole packaged table (issues 5 and 9), as hypothesis properties.

The model is `estimate(table, build_query(table, ...))`. The laws: a band is ordered (low <= typical <=
high); the whole market is exactly the state's published p25 / p50 / p75; typical pay never falls as years
rise and never rises more than 6 % from one year to the next; 20 years' experience pays 1.35-1.80 times
0 years'; a non-management profile's typical pay stays at or below the state's p90 and its high end at or
below 1.25 x p90; more experience, a higher role or one more credential never lowers any band value; the
national certified coder is within 10 % of AAPC's certified average on the median footing; the
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

from coder_pay.model import Band, Estimate, Pricer, estimate
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

PRICER = Pricer(TABLE)  # one for every example: it answers from what earlier examples made it remember


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


years_any = st.integers(0, MAX_YEARS) | st.floats(0, MAX_YEARS, allow_nan=False)


@LAWS
@given(profiles, years_any, years_any)
def test_more_years_never_lower_pay(p: dict[str, Any], y1: float, y2: float) -> None:
    lo, hi = sorted((y1, y2))
    a, b = est(**p, years=lo), est(**p, years=hi)
    assert at_most(a.band, b.band), (lo, a.band, hi, b.band)
    assert at_most(a.col.band, b.col.band)


@LAWS
@given(profiles, st.sampled_from((None, *LADDER[3:])))
def test_typical_pay_rises_at_most_6_percent_a_year(p: dict[str, Any], role: str | None) -> None:
    """0 to 50 years, one year at a time, everything else fixed (a role held throughout: no role begins)."""
    first = 0 if role is None else TABLE.levels["senior"].min_years  # a role is held from senior's years on
    mids = [est(**p, years=y, level=role).band.mid for y in range(first, MAX_YEARS + 1)]
    for y, (a, b) in enumerate(zip(mids, mids[1:]), first):
        assert a <= b <= a * 1.06 + 1, (y, a, b)  # +1: whole-dollar rounding


@LAWS
@given(profiles)
def test_20_years_pay_between_1_35_and_1_80_times_0_years(p: dict[str, Any]) -> None:
    ratio = est(**p, years=20).band.mid / est(**p, years=0).band.mid
    assert 1.35 <= ratio <= 1.80, ratio


def test_the_whole_market_is_the_published_distribution() -> None:
    for code, dist in [(None, TABLE.national), *((c, s.wages) for c, s in TABLE.states.items())]:
        e = est(state=code)
        assert values(e.band) == (round(dist.p25), round(dist.p50), round(dist.p75)), code


def p90_of(p: dict[str, Any]) -> float:
    return TABLE.national.p90 if p["remote"] or p["state"] is None else TABLE.states[p["state"]].wages.p90


@LAWS
@given(profiles, st.just({}) | st.builds(lambda y: {"years": y}, years_any)
       | st.builds(lambda lv: {"level": lv}, st.sampled_from(LADDER[:3])))
def test_a_coder_stays_inside_the_published_distribution(p: dict[str, Any], x: dict[str, Any]) -> None:
    """Any non-management profile: typical pay at most the state's p90, the high end at most 1.25 x p90."""
    e = est(**{**p, "as_of": None}, **x)
    assert e.band.mid <= p90_of(p) + 0.5 and e.band.high <= 1.25 * p90_of(p) + 0.5, (e.band, p90_of(p))


def test_the_most_stacked_profiles_stay_inside_the_distribution() -> None:
    """Exhaustive over the strongest stack: three credentials with the highest credential-specific premium, the
    highest specialty and each of the highest settings, every state and remote, whole market and 0-50 years."""
    best_cred = max(CREDS, key=lambda c: TABLE.credentials[c].premium or 1.0)
    certs = [best_cred, *[c for c in CREDS if c != best_cred][:2]]
    spec = max(SPECIALTIES, key=lambda k: TABLE.specialties[k].factor)
    top_settings = sorted(SETTINGS, key=lambda k: -TABLE.settings[k].factor)[:3]
    for where in [{"state": s, "remote": False} for s in STATES] + [{"state": None, "remote": True}]:
        for sett in top_settings:
            for x in [{}, *({"years": y} for y in range(MAX_YEARS + 1))]:
                e = est(**where, certs=certs, specialty=spec, setting=sett, **x)
                top = p90_of(where)
                assert e.band.mid <= top + 0.5 and e.band.high <= 1.25 * top + 0.5, (where, sett, x, e.band, top)


def test_a_role_is_its_bls_occupation_placed_in_the_state() -> None:
    """Issue 16: a role above senior coder is priced from BLS May 2024 national figures for its occupation
    (first-line office supervisors 43-1011, medical and health services managers 11-9111), x the state's coder
    median / the national coder median, read at the role's positions; inside that placed distribution."""
    for code in ("TX", "SC", "CA"):
        k = TABLE.states[code].wages.p50 / TABLE.national.p50
        for role in LADDER[3:]:
            r = TABLE.roles[role]
            occ = TABLE.occupations[r.occupation]
            band = est(state=code, certs=["CPC"], level=role).band
            want = [occ.wages.at(p) * k for p in r.positions]
            assert [abs(x - y) <= 0.5 for x, y in zip(values(band), want)] == [True] * 3, (code, role, band, want)
            assert occ.wages.p10 * k - 0.5 <= band.low and band.high <= occ.wages.p90 * k + 0.5


def test_a_certified_coder_nationally_is_near_aapcs_certified_average() -> None:
    """AAPC's averages are means; BLS's typical pay is a median. On one footing: AAPC mean x BLS national
    median / BLS national mean (50,250 / 55,970 = 0.8978). AAPC 2025 certified $66,979 -> $60,134."""
    footing = TABLE.national.p50 / TABLE.national_mean
    aapc_certified = 66979 * footing
    for cred in ("CPC", "CCS", "RHIT"):
        typical = est(certs=[cred]).band.mid
        assert abs(typical / aapc_certified - 1) <= 0.10, (cred, typical, aapc_certified)


@LAWS
@given(profiles)
def test_a_level_is_priced_at_its_years(p: dict[str, Any]) -> None:
    """--level entry|mid|senior is a shorthand for a range of years, priced at the level's `years`."""
    for lv in TABLE.levels.values():
        assert est(**p, level=lv.key).band == est(**p, years=lv.years).band


@LAWS
@given(profiles)
def test_each_step_up_the_ladder_never_lowers_pay(p: dict[str, Any]) -> None:
    """Coder levels rise with experience, roles with rank (a role is its occupation's pay, not the coder's: a
    senior coder with several credentials may out-earn a new supervisor; `career --ladder` then keeps the coder's
    pay, see test_decide_career)."""
    for steps in (LADDER[:3], LADDER[3:]):
        bands = [est(**p, level=lv).band for lv in steps]
        for (l1, b1), (l2, b2) in zip(zip(steps, bands), zip(steps[1:], bands[1:])):
            assert at_most(b1, b2), f"{l1} {b1} -> {l2} {b2}"


@LAWS
@given(profiles, experience, st.sampled_from(CREDS))
def test_one_more_credential_never_lowers_pay(p: dict[str, Any], x: dict[str, Any], extra: str) -> None:
    without = [c for c in p["certs"] if c != extra]
    a, b = est(**{**p, "certs": without}, **x), est(**{**p, "certs": [*without, extra]}, **x)
    assert at_most(a.band, b.band) and at_most(a.col.band, b.col.band)


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
    """Exhaustive: every state (and remote) x 0, 1, 3 and 5 credentials x no experience, entry, senior and a
    role x every specialty x every setting. About 100,000 estimates, ~8 s."""
    count = 0
    levels: list[str | None] = [None, "entry", "senior", "manager"]
    counts = (0, 1, 3, 5)
    wheres = [{"state": s} for s in STATES] + [{"remote": True}]
    for where in wheres:
        for n in counts:
            for level in levels:
                for spec in SPECIALTIES:
                    for sett in SETTINGS:
                        e = est(**where, certs=CREDS[:n], level=level, specialty=spec, setting=sett)
                        for band in (e.band, e.col.band):
                            assert whole_positive(band) and band.low <= band.mid <= band.high, (where, n, level, spec, sett)
                        count += 1
    assert count == len(wheres) * len(counts) * len(levels) * len(SPECIALTIES) * len(SETTINGS)


@LAWS
@given(profiles, st.integers(0, 30), st.lists(st.tuples(st.sampled_from(CREDS), st.integers(0, 20)), max_size=2))
def test_a_career_has_no_jump_above_6_percent_but_at_a_promotion_or_a_credential(
        p: dict[str, Any], start: int, adds: list[tuple[str, int]]) -> None:
    """`career`'s pay for the experience (in the starting year's dollars, before the yearly raise) moves at most
    6 % from one year to the next, except in a year a role begins or a credential is added (an apprentice's
    CPC-A becoming a CPC is the credential's pay arriving: it counts as the credential's year)."""
    from coder_pay.decide import career_path

    held = set(p["certs"])
    added = tuple(dict((c, y) for c, y in adds if c not in held).items())
    q = build_query(TABLE, **{**p, "as_of": None})
    rows = career_path(TABLE, q, span=20, start_experience=start, added=added).rows
    for a, b in zip(rows, rows[1:]):
        if b.role != a.role or b.credentials != a.credentials or b.apprentice != a.apprentice:
            continue
        assert a.base <= b.base <= a.base * 1.06 + 1, (a, b)


@LAWS
@given(profiles, experience)
def test_the_pricer_gives_estimates_numbers(p: dict[str, Any], x: dict[str, Any]) -> None:
    """Batch prices rows through model.Pricer (what repeats remembered, no factor records): the same band and
    profile distribution as estimate(), whatever it remembered before."""
    q = build_query(TABLE, **p, **x)
    e = est(**p, **x)
    shared = PRICER(q)
    assert shared.band == Pricer(TABLE)(q).band == e.band
    assert shared.profile == e.profile


def test_the_pricer_forgets_past_its_bound(monkeypatch: Any) -> None:
    """A file of endless distinct years or credential sets does not grow the Pricer's memory past its bound."""
    pricer = Pricer(TABLE)
    monkeypatch.setattr(Pricer, "CACHE_SIZE", 8)
    for i in range(40):
        q = build_query(TABLE, state="TX", years=i / 4, certs=CREDS[: i % 5])
        assert pricer(q).band == est(state="TX", years=i / 4, certs=CREDS[: i % 5]).band
        assert len(pricer._curve) <= 8 and len(pricer._creds) <= 8
