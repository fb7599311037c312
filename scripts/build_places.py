"""The places part of the data: data/places.toml and data/zips.tsv.gz (called by build_table.py).

places.toml holds the figures for places (BLS May 2024 wages of 91 metropolitan and 133 nonmetropolitan
areas (Puerto Rico's for its wages only), BEA 2024 price parities of 387 metros) and the index a typed place is resolved with (OMB 2023
principal cities and counties, BLS May 2021 county -> nonmetro area). zips.tsv.gz holds HUD's ZIP
crosswalks reduced to one line a ZIP; it is read only when a ZIP is asked for. Every row comes from a
source file; the rules that reduce them are written out here and in the files' comments.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter, defaultdict
from pathlib import Path

# Rules and thresholds written to places.toml (numbers a user may change there).
MIN_EMPLOYMENT = 100  # an area employing fewer coders than this is flagged as a small sample
MIN_QUARTILE_SPREAD = 0.10  # (p75 - p25) / median below this is flagged as a published oddity

USPS_BY_FIPS: dict[str, str] = {}  # filled from the delineation (FIPS state -> USPS code)

STATE_NAMES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY",
    "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH",
    "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH",
    "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
    "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}
COVERED = frozenset(STATE_NAMES.values())
TERRITORIES = {"PR": "Puerto Rico"}  # nonmetro areas kept for their published wages only (no parity, no tax)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


_WORD = re.compile(r"[a-z0-9]+")
_SAME = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt"}


def _key(text: str) -> str:
    """A city name as the ZIP file's USPS names are matched to OMB's ("SAINT PAUL" = "St. Paul")."""
    return " ".join(_SAME.get(w, w) for w in _WORD.findall(text.lower()))


def build_places(src: Path) -> tuple[str, bytes]:
    """(places.toml text, zips.tsv.gz bytes)."""
    pl = src / "places"
    delin = _rows(pl / "cbsa_delineation_2023.csv")
    cities = _rows(pl / "cbsa_principal_cities_2023.csv")
    defs = _rows(pl / "oews_area_definitions_M2021.csv")
    msa = _rows(src / "bls_oews_29-2072_msa_M2024.csv")
    bos = _rows(src / "bls_oews_29-2072_nonmetro_M2024.csv")
    rpp = {r["geo_fips"]: r for r in _rows(src / "bea_rpp_msa_2024.csv")}

    for r in delin:
        st = STATE_NAMES.get(r["State Name"])
        if st:
            USPS_BY_FIPS[r["FIPS State Code"]] = st
    cbsa_kind = {r["CBSA Code"]: r["Metropolitan/Micropolitan Statistical Area"].split()[0].lower() for r in delin}
    cbsa_title = {r["CBSA Code"]: r["CBSA Title"] for r in delin}
    cbsa_counties: dict[str, list[str]] = defaultdict(list)
    county_cbsa: dict[str, str] = {}
    county_name: dict[str, tuple[str, str]] = {}  # fips -> (name, state)
    for r in delin:
        st = USPS_BY_FIPS.get(r["FIPS State Code"])
        if st is None:
            continue  # Puerto Rico: not covered
        fips = r["FIPS State Code"] + r["FIPS County Code"]
        cbsa_counties[r["CBSA Code"]].append(fips)
        county_cbsa[fips] = r["CBSA Code"]
        county_name[fips] = (r["County/County Equivalent"], st)
    metros = sorted(c for c, k in cbsa_kind.items() if k == "metropolitan" and cbsa_counties.get(c))

    # nonmetro areas whose May 2024 code and name are those of the May 2021 definitions: their counties are known
    bos_by_code = {r["area_code"]: r for r in bos if r["state_code"] in COVERED}
    def_names: dict[str, set[str]] = defaultdict(set)
    for r in defs:
        def_names[r["May 2021 MSA code "].strip()].add(r["May 2021 MSA name"])
    known_bos = {c for c, r in bos_by_code.items() if r["area_name"] in def_names.get(c, ())}
    towns: dict[str, Counter[str]] = defaultdict(Counter)  # county fips -> nonmetro areas of its rows (New England: towns)
    for r in defs:
        fips = r["FIPS code"] + r["County code"]
        code = r["May 2021 MSA code "].strip()
        if r["Township code"] == "000":
            county_name.setdefault(fips, (r["County name (or Township name for the New England states)"],
                                          r["State abbreviation"]))
        if code in known_bos:
            towns[fips][code] += 1
        elif len(code) == 7:
            towns[fips]["?"] += 1  # a nonmetro area whose counties are not known for May 2024

    def county_target(fips: str) -> str:
        """A county's place: its 2023 metro; else its May 2024 nonmetro area if known; else its state."""
        cb = county_cbsa.get(fips)
        if cb is not None and cbsa_kind[cb] == "metropolitan":
            return cb
        votes = towns.get(fips)
        if votes:
            area, _ = votes.most_common(1)[0]
            if area != "?":
                return area
        return USPS_BY_FIPS.get(fips[:2], "")

    county_targets = {f: county_target(f) for f in county_name if USPS_BY_FIPS.get(f[:2])}

    def cbsa_target(cb: str, state: str) -> str:
        """A principal city's place: its metro; a micropolitan city's, the place of most of its CBSA's counties in
        the city's state."""
        if cbsa_kind.get(cb) == "metropolitan":
            return cb
        votes = Counter(county_targets[f] for f in cbsa_counties.get(cb, ())
                        if f in county_targets and county_name[f][1] == state)
        return votes.most_common(1)[0][0] if votes else state

    # ZIP crosswalks: each ZIP's CBSA and county by the share of its homes
    zip_cbsa: dict[str, list[tuple[float, float, str, str, str]]] = defaultdict(list)
    for r in _rows(pl / "zip_cbsa_crosswalk_2024Q4.csv"):
        zip_cbsa[r["ZIP"]].append((float(r["RES_RATIO"]), float(r["TOT_RATIO"]), r["CBSA"],
                                   r["USPS_ZIP_PREF_CITY"], r["USPS_ZIP_PREF_STATE"]))
    zip_county: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for r in _rows(pl / "zip_county_crosswalk_2024Q4.csv"):
        zip_county[r["ZIP"]].append((float(r["RES_RATIO"]), float(r["TOT_RATIO"]), r["COUNTY"]))

    # a principal city's county: the county holding most of the homes of the ZIPs USPS names after the city
    city_homes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for z, parts in zip_county.items():
        first = zip_cbsa.get(z)
        if not first:
            continue
        key = (_key(first[0][3]), first[0][4])
        for res, _tot, county in parts:
            city_homes[key][county] += res

    lines = ["# coder-pay places. Built by scripts/build_table.py from ../shared/sources (SOURCES.md sections 13-15,",
             "# 19, 20); edit the numbers freely (then run `coder-pay data validate`), or rebuild from the sources.",
             "# Source keys name [sources.*] entries of coder_pay.toml. The format is in docs/data.md ('Places').",
             "", "format = 1", "", "[meta]", "wage_year = 2024", "price_year = 2024", ""]
    w = lines.append
    w("# How a metro's 10th and 90th percentiles are derived (BLS publishes p25 / median / p75 only for metros):")
    w("# the tail keeps its state's ratio to the nearest quartile: p10 = p25 x state p10 / state p25,")
    w("# p90 = p75 x state p90 / state p75 (the state of the metro's principal city, first in its title).")
    w("[tails]")
    w('source = "assumption"')
    w(_basis("metro p10 = metro p25 x (state p10 / state p25); metro p90 = metro p75 x (state p90 / state p75): the "
             "state's tails beyond its quartiles, placed on the metro's published quartiles (derived, not published)"))
    w("")
    w("# Thin data: an area is flagged when BLS counts fewer coders than min_employment, or its published")
    w("# (p75 - p25) / median is below min_quartile_spread, or its median is above its mean.")
    w("[thresholds]")
    w(f"min_employment = {MIN_EMPLOYMENT}")
    w(f"min_quartile_spread = {MIN_QUARTILE_SPREAD}")
    w('source = "assumption"')
    w(_basis("no public rule: BLS suppresses estimates it cannot publish but marks no small sample; these limits flag "
             "Bismarck, ND (employment 40) and Columbia, SC (p25 $61,130 near p75 $66,550, median above mean)"))
    w("")
    w("# Prices of a nonmetropolitan area: BEA publishes no parity for one. Its state's 2024 parity is used")
    w("# (the state's own level, with housing), not BEA's single U.S. nonmetropolitan portion (all items only).")
    w("[nonmetro_prices]")
    w('use = "state"')
    w('source = "bea_rpp_states_2024"')
    us_nm = rpp.get("00999", {}).get("rpp_all_items", "")
    w(_basis(f"the state's 2024 parity, which includes its metros and so likely overstates rural prices; BEA's U.S. "
             f"nonmetropolitan portion ({us_nm}) has no state detail and no housing parity"))
    w("")

    w("# Metropolitan areas (OMB 2023): BLS May 2024 wages where the extract has them (91), BEA 2024 parities")
    w("# (387; none for Puerto Rico). `states`: as in the title, the principal city's state first.")
    wages = {r["cbsa_code"]: r for r in msa}
    n_metros = 0
    for cb in metros:
        title = cbsa_title[cb]
        states = [s for s in title.rsplit(", ", 1)[1].split("-") if s in COVERED]
        if not states:
            continue  # Puerto Rico
        n_metros += 1
        w(f"[metros.{cb}]")
        w(f"name = {_q(title)}")
        w(f"states = [{', '.join(_q(s) for s in states)}]")
        if cb in wages:
            r = wages[cb]
            w('wage_source = "oews_msa_2024"')
            w(f"employment = {int(r['employment'])}")
            w(f"mean = {int(r['annual_mean'])}")
            for p, col in (("p25", "a_p25"), ("p50", "a_median"), ("p75", "a_p75")):
                w(f"{p} = {int(r[col])}")
        if cb in rpp:
            r = rpp[cb]
            w('price_source = "bea_rpp_msa_2024"')
            w(f"rpp_all = {float(r['rpp_all_items']):.3f}")
            if r["rpp_housing"].strip():
                w(f"rpp_housing = {float(r['rpp_housing']):.3f}")
        w("")

    w("# Nonmetropolitan areas: BLS May 2024 (balance of state). Puerto Rico's is kept for its published wages")
    w("# only (`territory`: not a state of the data table; BEA publishes no parity for it and the sources hold no")
    w("# Puerto Rico income tax, so it has no adjusted or after-tax figure). Guam is not covered.")
    territories = {r["area_code"]: r for r in bos if r["state_code"] in TERRITORIES}
    for code in sorted({**bos_by_code, **territories}):
        r = bos_by_code.get(code) or territories[code]
        w(f"[nonmetro.{code}]")
        w(f"name = {_q(r['area_name'])}")
        w(f"state = {_q(r['state_code'])}")
        if code in territories:
            w(f"territory = {_q(TERRITORIES[r['state_code']])}")
        w('wage_source = "oews_bos_2024"')
        w(f"employment = {int(r['employment'])}")
        w(f"mean = {int(r['annual_mean'])}")
        for p, col in (("p10", "a_p10"), ("p25", "a_p25"), ("p50", "a_median"), ("p75", "a_p75"), ("p90", "a_p90")):
            w(f"{p} = {int(r[col])}")
        if code in territories:
            w("counties_known = false  # a territory's counties are not in the index (wages only)")
        elif code not in known_bos:
            w("counties_known = false  # renamed or redrawn since May 2021: its counties cannot be known from the sources")
        w("")

    w("# The index a typed place is resolved with. cities: OMB 2023 principal cities, \"name|ST|place|county[|other")
    w("# names;...]\" (OMB's names cleaned: \"Indianapolis city (balance)\" -> Indianapolis, other name \"Indianapolis city\")")
    w("# (place: the CBSA code of a metro, a nonmetro area's code for a micropolitan city, else the state;")
    w("# county: an independent city's own county equivalent, else the county holding most homes of the ZIPs")
    w("# USPS names after the city, HUD Q4 2024; may be empty).")
    w("# counties: \"fips|name|ST|place\" (place: its 2023 metro, else its nonmetro area by the BLS May 2021")
    w("# definitions where that area is unchanged, else its state).")
    w("[index]")
    w('sources = ["omb_delineation_2023", "bls_area_definitions_2021", "hud_zip_2024q4"]')
    entries = []
    seen = set()
    for r in cities:
        st = USPS_BY_FIPS.get(r["FIPS State Code"])
        if st is None:
            continue
        name, other = city_names(r["Principal City Name"])
        target = cbsa_target(r["CBSA Code"], st)
        if (name, st, target) in seen:
            continue
        seen.add((name, st, target))
        counts = city_homes.get((_key(name), st), Counter())
        inside = [(v, c) for c, v in counts.items() if c in cbsa_counties.get(r["CBSA Code"], ())]
        county = max(inside)[1] if inside else ""
        own = [f for f, (n, s_) in county_name.items() if s_ == st and n in (f"{name} city", name)]
        if own:  # an independent city, its own county equivalent (St. Louis city, Baltimore city, Carson City)
            county = own[0]
        entries.append(f"{name}|{st}|{target}|{county}" + (f"|{';'.join(other)}" if other else ""))
    w("cities = [")
    for e in entries:
        w(f"  {_q(e)},")
    w("]")
    w("counties = [")
    for fips in sorted(county_targets):
        name, st = county_name[fips]
        w(f"  {_q(f'{fips}|{name}|{st}|{county_targets[fips]}')},")
    w("]")
    w("")
    assert n_metros == 387, n_metros

    # zips.tsv.gz: zip, place, state, county, share of homes in the place's CBSA when the ZIP straddles, USPS city
    out = ["# coder-pay ZIP codes: HUD-USPS ZIP crosswalks Q4 2024 (ZIP -> CBSA, ZIP -> county), one line a ZIP:",
           "# zip<TAB>place<TAB>state<TAB>county<TAB>share<TAB>city. place: the metro (CBSA) holding most of the ZIP's",
           "# homes; else (outside metros) its county's nonmetro area, else its state. share: that metro's share of",
           "# the ZIP's homes when it straddles metros (empty: all of them). Built by scripts/build_table.py."]
    for z in sorted(zip_cbsa):
        parts = sorted(zip_cbsa[z], key=lambda t: (t[0], t[1]), reverse=True)
        res, _tot, cb, city, st = parts[0]
        if st not in COVERED:
            continue
        counties = sorted(zip_county.get(z, []), key=lambda t: (t[0], t[1]), reverse=True)
        county = counties[0][2] if counties else ""
        share = ""
        if cbsa_kind.get(cb) == "metropolitan" and cb in cbsa_counties:
            place = cb
            others = [p for p in parts[1:] if p[0] > 0 and p[2] != cb]
            if others and res < 0.995:
                share = f"{res:.2f}"
        else:
            place = county_targets.get(county, st) if county else st
        out.append(f"{z}\t{place}\t{st}\t{county}\t{share}\t{city.title()}")
    blob = gzip.compress(("\n".join(out) + "\n").encode("utf-8"), compresslevel=9, mtime=0)
    return "\n".join(lines) + "\n", blob


# Consolidated city-county names (OMB) and the short names people use for them.
SHORT_NAMES: dict[str, list[str]] = {"Lexington-Fayette": ["Lexington"], "Urban Honolulu": ["Honolulu"], "Boise City": ["Boise"],
               "Macon-Bibb County": ["Macon"], "Butte-Silver Bow": ["Butte"], "Augusta-Richmond County": ["Augusta"]}
_GOVERNMENT = re.compile(r" (?:city|unified government|consolidated government|metropolitan government|metro government)$")


def city_names(omb: str) -> tuple[str, list[str]]:
    """An OMB principal city name -> (the name shown, other names it is typed as)."""
    other: list[str] = []
    name = omb
    paren = re.fullmatch(r"(.*) \((?!balance)(.*)\)", name)  # "San Buenaventura (Ventura)"
    if paren:
        name, alt = paren.group(1), paren.group(2)
        other.append(alt)
    if name.endswith(" (balance)"):
        name = name.removesuffix(" (balance)")
        other.append(name)
        name = _GOVERNMENT.sub("", name)
        head = re.split(r"[-/]", name)[0]  # "Nashville-Davidson" -> Nashville, "Louisville/Jefferson County"
        if head != name:
            other.append(name)
            name = head
    if name in SHORT_NAMES:
        other.append(name)
        name = SHORT_NAMES[name][0]
    return name, list(dict.fromkeys(o for o in other if o != name))


def _basis(text: str) -> str:
    return f"basis = {_q(text)}"
