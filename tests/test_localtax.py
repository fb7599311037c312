"""Local income and wage taxes (issue 14 item 5): the jurisdiction found for a place, and the tax worked out by hand
from ../shared/sources/tax/local/local_income_tax_2025.csv (rates quoted beside each case).

Places are given as the place resolver builds them: LocalPlace(state, county FIPS codes, city, name, exact).
"""

from __future__ import annotations

import pytest

from coder_pay.localtax import LocalPlace, jurisdictions_at
from coder_pay.table import Table, TaxTable
from coder_pay.tax import require_tax, take_home

PHILADELPHIA = LocalPlace("PA", ("42101",), "Philadelphia", "Philadelphia, PA")
CAMDEN = LocalPlace("NJ", ("34007",), "Camden", "Camden, NJ")
BROOKLYN = LocalPlace("NY", ("36047",), "Brooklyn", "Brooklyn, NY")
YONKERS = LocalPlace("NY", ("36119",), "Yonkers", "Yonkers, NY")
DETROIT = LocalPlace("MI", ("26163",), "Detroit", "Detroit, MI")
LANSING = LocalPlace("MI", ("26065",), "Lansing", "Lansing, MI")
LAKEWOOD = LocalPlace("OH", ("39035",), "Lakewood", "Lakewood, OH")
CLEVELAND = LocalPlace("OH", ("39035",), "Cleveland", "Cleveland, OH")
LOUISVILLE = LocalPlace("KY", ("21111",), "Louisville", "Louisville, KY")
LEXINGTON = LocalPlace("KY", ("21067",), "Lexington-Fayette", "Lexington, KY")


@pytest.fixture(scope="module")
def tax(table: Table) -> TaxTable:
    return require_tax(table)


def local(r) -> dict[str, tuple[str, float]]:  # type: ignore[no-untyped-def]
    return {ln.jurisdiction: (ln.applies_as, ln.amount) for ln in r.local}


def test_no_place_no_local_tax(tax: TaxTable) -> None:
    r = take_home(tax, 58_000, "PA")
    assert r.local == () and r.local_notes == () and r.local_income_tax == 0


def test_philadelphia_resident_pays_the_resident_wage_tax(tax: TaxTable) -> None:
    # 3.75% to 30 June 2025, 3.74% from 1 July: half a year each = 3.745% x 58,000 = 2,172.10
    r = take_home(tax, 58_000, "PA", work=PHILADELPHIA)
    assert local(r) == {"Philadelphia": ("resident", 2172.10)}
    assert r.local_income_tax == 2172.10
    assert r.take_home == pytest.approx(take_home(tax, 58_000, "PA").take_home - 2172.10, abs=0.001)
    assert r.local[0].rate == "3.745% of wages" and r.local[0].source == "local_policyengine_2025"


def test_a_new_jersey_resident_working_in_philadelphia_pays_the_nonresident_rate(tax: TaxTable) -> None:
    # 3.44% / 3.43%: 3.435% x 58,000 = 1,992.30
    r = take_home(tax, 58_000, "NJ", work=PHILADELPHIA, home=CAMDEN)
    assert local(r) == {"Philadelphia": ("nonresident", 1992.30)}


def test_new_york_city_taxes_residents_on_ny_taxable_income(tax: TaxTable) -> None:
    # NY taxable income 58,000 - 8,000 = 50,000: 3.078% x 12,000 (369.36) + 3.762% x 13,000 (489.06)
    #   + 3.819% x 25,000 (954.75) = 1,813.17
    r = take_home(tax, 58_000, "NY", work=BROOKLYN)
    assert local(r) == {"New York City": ("resident", 1813.17)}
    # NYC does not tax those who work there and live elsewhere
    assert take_home(tax, 58_000, "NJ", work=BROOKLYN, home=CAMDEN).local == ()


def test_yonkers_resident_surcharge_and_nonresident_earnings_tax(tax: TaxTable) -> None:
    ny_tax = take_home(tax, 58_000, "NY").state_income_tax
    r = take_home(tax, 58_000, "NY", work=YONKERS)
    assert local(r) == {"Yonkers": ("resident", round(0.1675 * ny_tax, 2))}  # 16.75% of NY State tax
    # lives in Brooklyn, works in Yonkers: NYC resident tax, and Yonkers 0.5% x 58,000 = 290.00 as a nonresident
    r = take_home(tax, 58_000, "NY", work=YONKERS, home=BROOKLYN)
    assert local(r) == {"New York City": ("resident", 1813.17), "Yonkers": ("nonresident", 290.00)}


def test_maryland_county_on_maryland_taxable_income(tax: TaxTable) -> None:
    # Montgomery County 3.2% of MD taxable income: 58,000 - 3,350 deduction - 3,200 exemption = 51,450 -> 1,646.40
    r = take_home(tax, 58_000, "MD", work=LocalPlace("MD", ("24031",), None, "Montgomery County, MD"))
    assert local(r) == {"Montgomery County": ("resident", 1646.40)}
    # Frederick: PolicyEngine applies the bracket's rate to the whole income: 2.96% x 51,450 = 1,522.92
    r = take_home(tax, 58_000, "MD", work=LocalPlace("MD", ("24021",), None, "Frederick County, MD"))
    assert local(r) == {"Frederick County": ("resident", 1522.92)}


def test_a_place_without_a_county_in_maryland_says_the_county_tax_is_missing(tax: TaxTable) -> None:
    r = take_home(tax, 58_000, "MD", work=LocalPlace("MD", (), None, "Maryland"))
    assert r.local == () and r.flagged
    assert any("Maryland county income tax" in n and "names no county" in n for n in r.local_notes)


def test_indiana_county(tax: TaxTable) -> None:
    # Marion County 2.02% x Indiana taxable income (58,000 - 1,000 exemption = 57,000) = 1,151.40
    r = take_home(tax, 58_000, "IN", work=LocalPlace("IN", ("18097",), None, "Marion County, IN"))
    assert local(r) == {"Marion County": ("resident", 1151.40)}


def test_detroit_resident_and_nonresident_and_two_cities(tax: TaxTable) -> None:
    # Detroit resident 2.4% x (58,000 - 600 exemption) = 1,377.60
    assert local(take_home(tax, 58_000, "MI", work=DETROIT)) == {"Detroit": ("resident", 1377.60)}
    # lives in Lansing (1% x 57,400 = 574.00), works in Detroit (nonresident 1.2% x 57,400 = 688.80): both, and the
    # credit one city may give for the other's tax is named as left out
    r = take_home(tax, 58_000, "MI", work=DETROIT, home=LANSING)
    assert local(r) == {"Lansing": ("resident", 574.00), "Detroit": ("nonresident", 688.80)}
    assert any("Two localities" in n for n in r.local_notes)


def test_ohio_city_outside_the_sources_says_so(tax: TaxTable) -> None:
    r = take_home(tax, 58_000, "OH", work=CLEVELAND, home=LAKEWOOD)
    assert local(r) == {"Cleveland": ("nonresident", 1450.00)}  # 2.5% x 58,000
    assert any("Lakewood" in n and "600 other Ohio municipalities" in n for n in r.local_notes)
    assert r.flagged and any("Lakewood" in c for c in r.caveats)


def test_kentucky_occupational_taxes_follow_the_work(tax: TaxTable) -> None:
    # Louisville resident working there: 2.2% x 58,000 = 1,276.00
    assert local(take_home(tax, 58_000, "KY", work=LOUISVILLE)) == {
        "Louisville Metro (Jefferson County)": ("resident", 1276.00)}
    # lives in Louisville, works in Lexington: Lexington's 2.25% (1,305.00) and the Fayette schools' 0.5% (290.00);
    # Louisville's occupational tax is on work done there, so none
    r = take_home(tax, 58_000, "KY", work=LEXINGTON, home=LOUISVILLE)
    assert local(r) == {"Lexington-Fayette Urban County": ("nonresident", 1305.00),
                        "Fayette County Public Schools": ("nonresident", 290.00)}


def test_denver_occupational_privilege_tax(tax: TaxTable) -> None:
    denver = LocalPlace("CO", ("08031",), "Denver", "Denver, CO")
    assert local(take_home(tax, 58_000, "CO", work=denver)) == {"Denver": ("resident", 69.00)}  # $5.75 x 12
    assert take_home(tax, 5_000, "CO", work=denver).local_income_tax == 0  # under $500 a month


def test_a_whole_metro_names_the_city_taxes_inside_it_without_charging_them(tax: TaxTable) -> None:
    metro = LocalPlace("NY", ("36005", "36047", "36061", "36081", "36085", "36119", "36059"), None,
                       "New York-Newark-Jersey City metro", exact=False)
    m = jurisdictions_at(tax, metro)
    assert m.sure == () and {j.name for j in m.maybe} == {"New York City"}
    r = take_home(tax, 58_000, "NY", work=metro)
    assert r.local == () and any("New York City" in n and "give a city" in n for n in r.local_notes)


def test_multnomah_preschool_tax_above_125k_and_not_for_other_states(tax: TaxTable) -> None:
    portland = LocalPlace("OR", ("41051",), "Portland", "Portland, OR")
    r = take_home(tax, 200_000, "OR", work=portland)
    st = r.state_working
    assert st is not None
    over = st.taxable_income - 125_000
    # PFA 1.5% and Metro SHS 1% of Oregon taxable income above 125,000; the Arts Tax $35
    assert local(r) == {"Multnomah County Preschool for All (PFA)": ("resident", pytest.approx(0.015 * over, abs=0.011)),
                        "Metro Supportive Housing Services (SHS)": ("resident", pytest.approx(0.01 * over, abs=0.011)),
                        "Portland Arts Tax": ("resident", 35.00)}
    # below 125,000 only the Arts Tax is owed
    assert take_home(tax, 58_000, "OR", work=portland).local_income_tax == 35.00
    # living in Washington: the county taxes are on Oregon taxable income, which coder-pay does not compute
    vancouver = LocalPlace("WA", ("53011",), "Vancouver", "Vancouver, WA")
    r = take_home(tax, 200_000, "WA", work=portland, home=vancouver)
    assert r.local == () and any("Oregon" in n or "OR taxable" in n for n in r.local_notes)


def test_every_jurisdiction_in_the_sources_is_in_the_table(tax: TaxTable) -> None:
    # 167 jurisdictions in tax/local (SOURCES.md): Philadelphia's reduced rate is a note on Philadelphia and the
    # two Pittsburgh rows are one city, so 165 tables; every one matchable by county or city
    assert len(tax.local) == 165
    assert sum(1 for j in tax.local.values() if j.state == "IN") == 92
    assert sum(1 for j in tax.local.values() if j.state == "MD") == 24
    assert all(j.counties or j.cities for j in tax.local.values())
