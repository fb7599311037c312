"""Places: every metro and nonmetro area with published wages gives its published band, by code and by name;
what people type resolves (or stops with the choices / a did-you-mean); prices, flags and ZIP codes."""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

import pytest

from coder_pay.model import estimate, price
from coder_pay.places import check_places, load_places, place_flags, place_words, resolve_area, resolve_zip
from coder_pay.query import UsageError, build_query
from coder_pay.table import Table
from conftest import ROOT, SOURCES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not beside this checkout")

# The figures as the data file holds them, read here without coder-pay's code.
DOC = tomllib.loads((ROOT / "data" / "places.toml").read_text(encoding="utf-8"))
METROS = {c: m for c, m in DOC["metros"].items() if "p50" in m}
NONMETRO = DOC["nonmetro"]


def query_at(table: Table, typed: str):  # type: ignore[no-untyped-def]
    loc = resolve_area(table, typed, territory=True)  # as estimate resolves it (Puerto Rico's area: no state)
    return build_query(table, state=loc.state if loc.state in table.states else None)._replace(area=loc)


def test_the_sources_counts() -> None:
    # SOURCES.md: 91 metros with BLS May 2024 wages; 387 metros with BEA 2024 parities; 133 nonmetro areas, of
    # which Puerto Rico's is kept for its wages only (no BEA parity, no state in the table); Guam is not one.
    assert len(METROS) == 91
    assert sum("rpp_all" in m for m in DOC["metros"].values()) == 387
    assert len(NONMETRO) == 133 and "6600001" not in NONMETRO
    assert [c for c, n in NONMETRO.items() if "territory" in n] == ["7200006"]


@pytest.mark.parametrize("code", sorted(METROS))
def test_every_metro_gives_its_published_band_by_code_and_by_name(table: Table, code: str) -> None:
    m = METROS[code]
    want = (m["p25"], m["p50"], m["p75"])
    for typed in (code, m["name"]):
        q = query_at(table, typed)
        assert q.area is not None and q.area.code == code
        assert tuple(estimate(table, q).band) == want
        assert tuple(price(table, q).band) == want


@pytest.mark.parametrize("code", sorted(NONMETRO))
def test_every_nonmetro_area_gives_its_published_band_by_code_and_by_name(table: Table, code: str) -> None:
    n = NONMETRO[code]
    short = n["name"].removesuffix(" nonmetropolitan area")
    for typed in (code, n["name"], short + " nonmetro" if "territory" in n else short):  # "Puerto Rico": the territory
        q = query_at(table, typed)
        assert q.area is not None and q.area.code == code and (q.state or q.area.state) == n["state"]
        est = estimate(table, q)
        assert tuple(est.band) == (n["p25"], n["p50"], n["p75"])
        assert tuple(est.distribution) == (n["p10"], n["p25"], n["p50"], n["p75"], n["p90"])  # its published tails


@needs_sources
def test_the_data_file_holds_the_published_figures() -> None:
    with (SOURCES / "bls_oews_29-2072_msa_M2024.csv").open(newline="") as fh:
        msa = {r["cbsa_code"]: r for r in csv.DictReader(fh)}
    with (SOURCES / "bls_oews_29-2072_nonmetro_M2024.csv").open(newline="") as fh:
        bos = {r["area_code"]: r for r in csv.DictReader(fh)}
    with (SOURCES / "bea_rpp_msa_2024.csv").open(newline="") as fh:
        rpp = {r["geo_fips"]: r for r in csv.DictReader(fh)}
    assert set(METROS) == set(msa)
    for code, r in msa.items():
        m = METROS[code]
        assert (m["p25"], m["p50"], m["p75"], m["employment"]) == (
            int(r["a_p25"]), int(r["a_median"]), int(r["a_p75"]), int(r["employment"]))
    for code, n in NONMETRO.items():
        r = bos[code]
        assert [n[f"p{p}"] for p in (10, 25, 50, 75, 90)] == [int(r[k]) for k in ("a_p10", "a_p25", "a_median", "a_p75",
                                                                                  "a_p90")]
    for code, m in DOC["metros"].items():
        if "rpp_all" in m:
            assert m["rpp_all"] == pytest.approx(float(rpp[code]["rpp_all_items"]), abs=5e-4)
    # Seattle: BLS May 2024 p25 $54,690, median $67,790, p75 $84,750 (SOURCES.md section 14's table)
    assert (METROS["42660"]["p25"], METROS["42660"]["p50"], METROS["42660"]["p75"]) == (54690, 67790, 84750)


# ----------------------------------------------------------------------------- what people type


@pytest.mark.parametrize(("typed", "code", "state"), [
    ("41940", "41940", "CA"),  # a CBSA code
    ("5600007", "5600007", "WY"),  # a BLS nonmetro area code
    ("Eastern Wyoming nonmetropolitan area", "5600007", "WY"),  # its name
    ("eastern wyoming", "5600007", "WY"),
    ("Seattle-Tacoma-Bellevue, WA", "42660", "WA"),  # a metro title
    ("Seattle", "42660", "WA"),  # a principal city
    ("seattle, wa", "42660", "WA"),
    ("St. Paul, MN", "33460", "MN"),
    ("Saint Paul", "33460", "MN"),
    ("Saint Louis", "41180", "MO"),
    ("Austin TX", "12420", "TX"),
    ("Austin, Texas", "12420", "TX"),
    ("Travis County, TX", "12420", "TX"),  # a county
    ("Travis Co., TX", "12420", "TX"),
    ("Camden, NJ", "37980", "NJ"),  # a principal city in the second state of a metro
    ("Kansas City, KS", "28140", "KS"),
    ("New York City", "35620", "NY"),
    ("Louisville", "31140", "KY"),  # OMB: "Louisville/Jefferson County metro government (balance)"
    ("Honolulu", "46520", "HI"),  # OMB: "Urban Honolulu"
    ("Greeley, CO", "24540", "CO"),  # CO is Colorado, not a county
])
def test_place_names_resolve(table: Table, typed: str, code: str, state: str) -> None:
    loc = resolve_area(table, typed)
    assert (loc.code, loc.state) == (code, state)


def test_a_state_typed_as_a_place_is_the_state(table: Table) -> None:
    loc = resolve_area(table, "Ohio")
    assert (loc.kind, loc.code) == ("state", "OH")


@pytest.mark.parametrize(("typed", "choices"), [
    ("Portland", ["Portland, OR", "Portland, ME"]),
    ("Charleston", ["Charleston, SC", "Charleston, WV"]),
    ("Jackson", ["Jackson, MS", "Jackson, TN", "Jackson, MI"]),
    ("Kansas City", ["Kansas City, MO", "Kansas City, KS"]),
])
def test_an_ambiguous_name_lists_its_choices_with_their_states(table: Table, typed: str, choices: list[str]) -> None:
    with pytest.raises(UsageError) as info:
        resolve_area(table, typed)
    assert info.value.code == "ambiguous_area"
    assert "\n" not in info.value.message
    for c in choices:
        assert c in info.value.message


def test_an_unknown_name_gets_a_did_you_mean_in_one_line(table: Table) -> None:
    with pytest.raises(UsageError) as info:
        resolve_area(table, "Seattel")
    assert info.value.code == "unknown_area" and "Did you mean Seattle, WA?" in info.value.message
    assert "\n" not in info.value.message
    with pytest.raises(UsageError) as info:
        resolve_area(table, "Springfeld, MO")
    assert "Did you mean Springfield, MO?" in info.value.message


def test_a_zip_typed_as_an_area_points_to_zip(table: Table) -> None:
    with pytest.raises(UsageError, match="--zip"):
        resolve_area(table, "78701")


def test_puerto_rico_is_refused_where_a_price_level_or_a_tax_is_needed(table: Table) -> None:
    for typed in ("7200006", "Puerto Rico nonmetropolitan area"):  # resolve_area's default: every command but estimate
        with pytest.raises(UsageError) as info:
            resolve_area(table, typed)
        assert info.value.code == "uncovered_area" and "BEA publishes no price parity for Puerto Rico" in info.value.message
    with pytest.raises(UsageError, match="covers the 50 states and DC"):  # the territory is not its nonmetro area
        resolve_area(table, "Puerto Rico", territory=True)


def test_puerto_rico_gives_its_published_band_and_no_adjusted_figure(table: Table) -> None:
    # BLS May 2024: employment 40, p10 = p25 = median = $19,760, p75 $23,130, p90 $28,660 (checked by hand
    # against bls_oews_29-2072_nonmetro_M2024.csv)
    q = build_query(table, area="7200006", territory=True)
    assert q.state is None and q.area is not None and q.area.state == "PR"
    est = estimate(table, q)
    assert tuple(est.band) == (19760, 19760, 23130) and tuple(est.distribution) == (19760, 19760, 19760, 23130, 28660)
    assert est.col is None and "price_level" not in {f.factor for f in est.factors}
    assert any("no price parity for Puerto Rico" in n and "take-home is not available" in n for n in est.notes)
    assert {f.code for f in est.flags} == {"thin_data", "odd_data"}
    assert tuple(price(table, q).band) == (19760, 19760, 23130)
    with pytest.raises(ValueError):
        est.priced_col  # noqa: B018 (every command that needs a price level refuses the place first)


def test_saint_and_st_are_the_same_words() -> None:
    assert place_words("Saint Louis") == place_words("St. Louis") == ("st", "louis")
    assert place_words("Fort Worth") == place_words("Ft. Worth")


def test_a_principal_city_carries_its_county_for_local_taxes(table: Table) -> None:
    assert resolve_area(table, "Philadelphia").county == "42101"  # Philadelphia County
    assert resolve_area(table, "Indianapolis").county == "18097"  # Marion County
    assert resolve_area(table, "Baltimore").county == "24510"  # Baltimore city, its own county equivalent
    assert resolve_area(table, "St. Louis").county == "29510"


# ----------------------------------------------------------------------------- ZIP codes


@pytest.mark.parametrize(("zip_code", "code", "county"), [
    ("78701", "12420", "48453"),  # SOURCES.md section 20's checks
    ("44114", "17410", "39035"),
    ("55101", "33460", "27123"),
    ("10001", "35620", "36061"),
    ("78701-1234", "12420", "48453"),
])
def test_zip_codes_resolve_to_their_metro(table: Table, zip_code: str, code: str, county: str) -> None:
    loc = resolve_zip(table, zip_code)
    assert (loc.code, loc.county, loc.zip) == (code, county, zip_code[:5])


def test_a_rural_zip_goes_to_its_nonmetro_area_or_says_its_state(table: Table) -> None:
    rows = [ln.split("\t") for ln in gzip.decompress((ROOT / "data" / "zips.tsv.gz").read_bytes()).decode().split("\n")
            if ln and not ln.startswith("#")]
    nonmetro = next(r for r in rows if len(r[1]) == 7)
    loc = resolve_zip(table, nonmetro[0])
    assert loc.kind == "nonmetro" and any("outside any metro" in n for n in loc.notes)
    state = next(r for r in rows if len(r[1]) == 2)
    loc = resolve_zip(table, state[0])
    assert loc.kind == "state" and any("wages and prices" in n for n in loc.notes)
    straddle = next(r for r in rows if r[4])
    assert any("straddles" in n for n in resolve_zip(table, straddle[0]).notes)


@pytest.mark.parametrize("bad", ["1234", "abcde", "00601", "99999"])
def test_a_bad_or_unknown_zip_is_a_usage_error(table: Table, bad: str) -> None:
    with pytest.raises(UsageError):
        resolve_zip(table, bad)


# ----------------------------------------------------------------------------- prices and flags


def test_a_metro_is_priced_at_its_own_2024_parity(table: Table) -> None:
    est = estimate(table, query_at(table, "Seattle"))
    assert est.col.home_price_level == pytest.approx(DOC["metros"]["42660"]["rpp_all"])
    q = query_at(table, "Seattle")._replace(col="housing")
    assert estimate(table, q).col.home_price_level == pytest.approx(DOC["metros"]["42660"]["rpp_housing"])


def test_a_metro_without_wages_takes_its_states_wages_and_its_own_prices(table: Table) -> None:
    est = estimate(table, query_at(table, "Bozeman"))
    mt = table.states["MT"]
    assert tuple(est.band) == (mt.wages.p25, mt.wages.p50, mt.wages.p75)
    assert est.col.home_price_level == pytest.approx(DOC["metros"]["14580"]["rpp_all"])
    assert any("publish no BLS wages" in n for n in est.notes)


def test_a_nonmetro_area_is_priced_at_its_states_parity_and_says_so(table: Table) -> None:
    est = estimate(table, query_at(table, "Eastern Wyoming"))
    assert est.col.home_price_level == pytest.approx(table.states["WY"].rpp_all)
    assert any("no parity for a nonmetro area" in n for n in est.notes)


def test_metro_tails_are_derived_from_the_states_shape_and_said(table: Table) -> None:
    est = estimate(table, query_at(table, "Seattle"))
    wa = table.states["WA"].wages
    assert est.distribution.p10 == pytest.approx(54690 * wa.p10 / wa.p25)
    assert est.distribution.p90 == pytest.approx(84750 * wa.p90 / wa.p75)
    wages = next(f for f in est.factors if f.factor == "area")
    assert "derived" in wages.detail


def test_remote_with_an_area_is_national_pay_at_the_areas_prices(table: Table) -> None:
    q = query_at(table, "Boise")._replace(remote=True)
    est = estimate(table, q)
    national = estimate(table, build_query(table, remote=True))
    assert est.band == national.band
    assert est.col.home_price_level == pytest.approx(DOC["metros"]["14260"]["rpp_all"])


def test_a_profile_stands_to_its_metro_as_to_its_state(table: Table) -> None:
    # the same profile moves the metro's median by the same log shift as it would a state with the metro's shape
    base = estimate(table, query_at(table, "Seattle")).band.mid
    cpc = estimate(table, query_at(table, "Seattle")._replace(credentials=("CPC",))).band.mid
    assert cpc >= base  # a credential never lowers an estimate


def test_thin_and_odd_places_are_flagged_by_the_tables_thresholds(table: Table) -> None:
    assert [c for c, _ in place_flags(table, "13900")] == ["thin_data"]  # Bismarck, ND: employment 40
    (odd,) = place_flags(table, "17900")  # Columbia, SC
    assert odd[0] == "odd_data" and "close to p75" in odd[1] and "above the mean" in odd[1]
    assert place_flags(table, "42660") == ()  # Seattle
    flags = estimate(table, query_at(table, "Bismarck")).flags
    assert any(f.code == "thin_data" and "Bismarck" in f.message for f in flags)


def test_the_places_file_is_valid_and_every_name_resolves_back(table: Table) -> None:
    assert check_places(table) == []
    assert len(load_places(table).metros) == 387


def test_a_places_file_beside_a_table_is_the_one_read(tmp_path: Path, table: Table) -> None:
    import shutil

    from coder_pay.places import check_places as check
    from coder_pay.table import load_table

    shutil.copy(ROOT / "data" / "coder_pay.toml", tmp_path / "coder_pay.toml")
    text = (ROOT / "data" / "places.toml").read_text(encoding="utf-8")
    (tmp_path / "places.toml").write_text(text.replace("min_employment = 100", "min_employment = -3"), encoding="utf-8")
    problems = check(load_table(tmp_path / "coder_pay.toml"))
    assert [p.key for p in problems] == ["thresholds.min_employment"]


def test_what_the_local_tax_lookup_gets_of_a_place(table: Table) -> None:
    from coder_pay.places import local_place_fields

    assert local_place_fields(table, resolve_area(table, "Philadelphia")) == {
        "state": "PA", "counties": ("42101",), "city": "Philadelphia", "name": "Philadelphia", "exact": True}
    metro = local_place_fields(table, resolve_area(table, "Seattle-Tacoma-Bellevue"))
    assert metro["exact"] is False and metro["city"] is None and "53033" in metro["counties"]  # King County
    z = local_place_fields(table, resolve_zip(table, "10001"))
    assert (z["counties"], z["city"], z["exact"]) == (("36061",), "New York", True)


def test_validate_wants_a_parity_for_every_metro_with_wages(tmp_path: Path) -> None:
    import shutil

    from coder_pay.table import load_table

    shutil.copy(ROOT / "data" / "coder_pay.toml", tmp_path / "coder_pay.toml")
    text = (ROOT / "data" / "places.toml").read_text(encoding="utf-8")
    head, sep, rest = text.partition("[metros.42660]")
    body, nxt, tail = rest.partition("\n\n")
    body = "\n".join(ln for ln in body.split("\n") if not ln.startswith(("rpp_", "price_source")))
    (tmp_path / "places.toml").write_text(head + sep + body + nxt + tail, encoding="utf-8")
    problems = check_places(load_table(tmp_path / "coder_pay.toml"))
    assert [p.key for p in problems] == ["metros.42660"] and "no BEA parity" in problems[0].message
