#!/usr/bin/env python3
"""Build data/coder_pay.toml from the public source files.

Usage:  python scripts/build_table.py [SOURCES_DIR] [-o OUT]

SOURCES_DIR defaults to ../shared/sources (beside the checkout). Every number in the
table is either copied from a source file or derived from source numbers by an
arithmetic step written out here and recorded in the table's `basis` text. Nothing is
typed in by hand except the derivation rules themselves and the figures that no source
has, which are marked `source = "assumption"` so that the output says so.

Run it after a source file changes, then review `git diff data/`.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCES = HERE.parent.parent / "shared" / "sources"
DEFAULT_OUT = HERE.parent / "data" / "coder_pay.toml"

PCTS = (10, 25, 50, 75, 90)

# Other names people type for a specialty or a work setting (HR exports, BLS industry titles).
# Names, not figures: `--setting clinic` and a batch cell "Offices of Physicians" both mean
# physician-office. Matched ignoring case, spaces and punctuation (table.name_key).
ALIASES = {
    "specialties.general": ["general coding", "generalist", "multi-specialty", "multispecialty", "none"],
    "specialties.anesthesia": ["anesthesiology", "anaesthesia", "anesthesia coding"],
    "specialties.emergency": ["emergency medicine", "emergency department", "emergency room", "ED", "ER"],
    "specialties.cardiology": ["cardiac", "cardiovascular", "heart"],
    "specialties.oncology": ["cancer", "hematology oncology", "hematology/oncology", "hem/onc"],
    "specialties.surgery": ["surgical", "general surgery", "operative"],
    "specialties.risk-adjustment": ["HCC", "HCC coding", "risk adjustment coding"],
    "settings.any": ["all", "any setting", "all settings", "whole market", "other", "unknown"],
    "settings.hospital": ["hospitals", "inpatient", "acute care", "acute care hospital", "medical center",
                          "health system", "General Medical and Surgical Hospitals"],
    "settings.physician-office": ["physician offices", "physician practice", "physicians office", "doctor's office",
                                  "doctors office", "doctor office", "medical office", "medical practice",
                                  "private practice", "group practice", "practice", "clinic", "clinics",
                                  "Offices of Physicians", "medical group"],
    "settings.outpatient": ["outpatient care", "outpatient care center", "Outpatient Care Centers", "ambulatory",
                            "ambulatory care", "ambulatory surgery center", "surgery center", "ASC", "urgent care"],
    "settings.nursing-care": ["nursing home", "nursing homes", "skilled nursing", "skilled nursing facility", "SNF",
                              "long-term care", "nursing care facility", "Nursing Care Facilities",
                              "Nursing Care Facilities (Skilled Nursing Facilities)"],
    "settings.home-health": ["home health", "home health care", "home health agency", "home care",
                             "Home Health Care Services", "hospice"],
    "settings.insurance": ["insurer", "insurance company", "insurance carrier", "Insurance Carriers", "payer", "payor",
                           "health plan", "health insurance", "health insurer", "managed care"],
    "settings.consulting": ["consultant", "consulting firm", "auditing", "coding audit", "consulting / auditing",
                            "management, scientific, and technical consulting services"],
    "settings.specialty-hospital": ["specialty (except psychiatric and substance abuse) hospitals",
                                    "rehabilitation hospital", "children's hospital"],
    "settings.psychiatric-hospital": ["psychiatric and substance abuse hospitals", "behavioral health hospital"],
    "settings.company-office": ["management of companies and enterprises", "corporate office", "health system office",
                                "headquarters"],
    "settings.admin-services": ["office administrative services", "revenue cycle management", "rcm"],
    "settings.staffing": ["employment services", "staffing agency", "temp agency", "contract"],
    "settings.billing-service": ["business support services", "billing company", "billing service", "call center"],
    "settings.health-it": ["computer systems design and related services", "software company", "health it", "vendor"],
    "settings.federal": ["federal executive branch (oews designation)", "federal government", "va", "veterans affairs",
                         "military"],
    "settings.state-government": ["state government, excluding schools and hospitals (oews designation)",
                                  "state government", "state agency"],
    "settings.local-government": ["local government, excluding schools and hospitals (oews designation)",
                                  "local government", "county", "city", "public health department"],
}



def write_sources(w: Callable[[str], None], entries: Iterable[tuple[str, str, str, int, str, str, str]]) -> None:
    """[sources.KEY] tables: (key, name, publisher, year, kind, url, origin) each."""
    for key, name, publisher, year, kind, url, origin in entries:
        w(f"[sources.{key}]")
        w(f"name = {q(name)}")
        w(f"publisher = {q(publisher)}")
        w(f"year = {year}  # 0 = undated")
        w(f"kind = {q(kind)}")
        w(f"url = {q(url)}")
        w(f"origin = {q(origin)}")
        w("")

def aliases(key: str) -> list[str]:
    """The `aliases = [...]` line of a specialty or setting, if it has any."""
    names = ALIASES.get(key)
    return [f"aliases = [{', '.join(q(n) for n in names)}]"] if names else []


def rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def q(s: str) -> str:
    """A TOML basic string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def percentile_of(value: float, dist: dict[int, float]) -> float:
    """Where `value` falls on a distribution given at PCTS (linear between points, clamped)."""
    pts = [(p, dist[p]) for p in PCTS]
    if value <= pts[0][1]:
        return float(pts[0][0])
    for (p0, v0), (p1, v1) in zip(pts, pts[1:]):
        if value <= v1:
            return p0 + (p1 - p0) * (value - v0) / (v1 - v0)
    return float(pts[-1][0])


# Work settings: BLS May 2024 industries that employ medical records specialists (key, NAICS, label); their
# other names are in ALIASES.
SETTINGS = [
    ("hospital", "622100", "Hospital"),
    ("specialty-hospital", "622300", "Specialty hospital"),
    ("psychiatric-hospital", "622200", "Psychiatric or substance-abuse hospital"),
    ("physician-office", "621100", "Physician office"),
    ("outpatient", "621400", "Outpatient care center"),
    ("nursing-care", "623100", "Nursing care facility"),
    ("home-health", "621600", "Home health care"),
    ("insurance", "524100", "Insurance carrier (payer)"),
    ("consulting", "541600", "Consulting"),
    ("company-office", "551100", "Corporate or health-system office"),
    ("admin-services", "561100", "Office administrative services"),
    ("staffing", "561300", "Staffing or employment agency"),
    ("billing-service", "561400", "Business support services"),
    ("health-it", "541500", "Health IT or software company"),
    ("federal", "999100", "Federal government (incl. VA)"),
    ("state-government", "999200", "State government"),
    ("local-government", "999300", "Local government"),
]

MAX_YEARLY_RISE = 0.06  # the experience curve's steepest year (issue 9); the time constant is derived from it
REP_YEARS_OVER_25 = 27  # representative experience of AAPC's "more than 25 years" group (assumption)
REP_YEARS_OVER_15 = 22  # ... of "more than 15 years" (assumption)


def experience_curve(by_exp: list[dict[str, str]]) -> dict[str, object]:
    """The experience curve's parameters from the AAPC figures: the amplitude from AAPC 2010 certified coders
    (1 year vs more than 25 years), the shortest whole-year time constant whose first year rises at most
    MAX_YEARLY_RISE, and the market's median experience from AAPC 2013 (more than 15 years vs all)."""
    import math

    fig = {(r["survey_year"], r["group"], r["certification"]): int(r["value"]) for r in by_exp
           if r["statistic"] == "average salary"}
    y1, y25 = fig[("2010", "1 year of experience", "certified")], fig[("2010", "more than 25 years", "certified")]
    gap = math.log(y25 / y1)
    tau = 1
    while True:
        amp = gap / (math.exp(-1 / tau) - math.exp(-REP_YEARS_OVER_25 / tau))
        if math.exp(amp * (1 - math.exp(-1 / tau))) - 1 <= MAX_YEARLY_RISE:
            break
        tau += 1
    all13, over15 = fig[("2013", "all respondents", "all")], fig[("2013", "more than 15 years", "all")]
    g22 = amp * (1 - math.exp(-REP_YEARS_OVER_15 / tau))
    g_m = g22 - math.log(over15 / all13)
    market_years = -tau * math.log(1 - g_m / amp)
    basis = (f"AAPC 2010 certified coders: 1 year ${y1:,}, more than 25 years ${y25:,} (taken as {REP_YEARS_OVER_25} years): "
             f"ln({y25}/{y1}) = {gap:.4f} between years 1 and {REP_YEARS_OVER_25}; time constant: the shortest whole number of "
             f"years for which no year adds more than {MAX_YEARLY_RISE:.0%}")
    market_basis = (f"AAPC 2013: more than 15 years ${over15:,} (taken as {REP_YEARS_OVER_15} years) vs all respondents "
                    f"${all13:,}; on the curve the all-respondent average sits at {market_years:.1f} years")
    return {"amplitude": amp, "tau": tau, "market_years": market_years, "basis": basis, "market_basis": market_basis}


def backtest_entries(by_exp: list[dict[str, str]], by_cred: list[dict[str, str]], cert: dict[tuple[str, str], dict[str, str]],
                     aapc: list[dict[str, str]], art: dict[tuple[str, str], dict[str, str]]) -> str:
    """`coder-pay data check`'s published figures beyond the table's own BLS wages: AAPC averages and ratios, and
    the industry article's ranges. A profile is an inline table of estimate options (national unless `state`)."""
    out: list[str] = ["# ---------------------------------------------------------------- back-test (coder-pay data check)",
                      "# Published figures the model is held to (BLS state medians, national percentiles and industry medians",
                      "# are read from the tables above). `published` is a level; with `versus`, the ratio published / versus_published",
                      "# is compared with the model's ratio of the two profiles. A mean is put on the median footing by the BLS",
                      "# national median / mean. `tolerance`: the largest relative error that passes; `held = false`: shown, not held."]
    w = out.append
    ex = {(r["survey_year"], r["group"], r["certification"]): int(r["value"]) for r in by_exp if r["statistic"] == "average salary"}
    cr = {(r["survey_year"], r["group"]): int(r["value"]) for r in by_cred if r["statistic"] == "average salary"}
    hj = {r["group"]: int(r["value"]) for r in aapc if r["statistic"] == "median income"}
    a18 = {r["group"]: int(r["value"]) for r in aapc if r["income_year"] == "2018" and r["category"] == "credential"}
    a19 = {r["group"]: int(r["value"]) for r in aapc if r["income_year"] == "2019?"}
    c_yes = int(cert[("average salary", "certified (AAPC 2025 survey)")]["value"])
    c_no = int(cert[("average salary", "not certified (AAPC 2025 survey)")]["value"])
    c_three = int(cert[("average salary", "three or more credentials (AAPC 2025 survey)")]["value"])

    def entry(key: str, label: str, profile: str, source: str, tolerance: float, *, published: int | None = None,
              statistic: str = "mean", versus: str | None = None, versus_published: int | None = None,
              low: int | None = None, high: int | None = None, held: bool = True, note: str = "") -> None:
        w(f"[backtest.{key}]")
        w(f"label = {q(label)}")
        w(f"profile = {profile}")
        if versus is not None:
            w(f"versus = {versus}")
        if published is not None:
            w(f"published = {published}")
        if versus_published is not None:
            w(f"versus_published = {versus_published}")
        if low is not None:
            w(f"low = {low}")
            w(f"high = {high}")
        w(f"statistic = {q(statistic)}")
        w(f"source = {q(source)}")
        w(f"tolerance = {tolerance}")
        if not held:
            w("held = false")
        if note:
            w(f"note = {q(note)}")
        w("")

    entry("aapc_2025_not_certified", "AAPC 2025: non-certified average", "{}", "aapc_2025", 0.10, published=c_no)
    entry("aapc_2025_certified", "AAPC 2025: certified average", '{ cert = ["CPC"] }', "aapc_2025", 0.10, published=c_yes)
    entry("aapc_2025_three", "AAPC 2025: three or more credentials", '{ cert = ["CPC", "COC", "CRC"] }', "aapc_2025", 0.10,
          published=c_three)
    entry("aapc_2025_crc_vs_cpc", "AAPC 2025: CRC / CPC", '{ cert = ["CRC"] }', "aapc_2025_crc", 0.05,
          published=cr[("2025", "CRC")], versus='{ cert = ["CPC"] }', versus_published=cr[("2025", "CPC")])
    entry("aapc_2019_two_vs_one", "AAPC 2019: two credentials / certified", '{ cert = ["CPC", "CCS"] }', "aapc_2019", 0.05,
          published=a19["two credentials"], versus='{ cert = ["CPC"] }',
          versus_published=a19["certified (all orgs: AAPC, AHIMA, other)"])
    entry("aapc_2010_coc_vs_cpc", "AAPC 2010: CPC-H (now COC) / CPC", '{ cert = ["COC"] }', "aapc_2010_credentials", 0.05,
          published=cr[("2010", "CPC-H (now COC)")], versus='{ cert = ["CPC"] }', versus_published=cr[("2010", "CPC")])
    entry("aapc_2018_cic_vs_cpc", "AAPC 2018: CIC / CPC", '{ cert = ["CIC"] }', "aapc_2018", 0.05,
          published=a18["CIC"], versus='{ cert = ["CPC"] }', versus_published=a18["CPC"])
    entry("aapc_2012_cpma_vs_cpc", "AAPC 2012: CPMA / CPC", '{ cert = ["CPMA"] }', "aapc_2012", 0.10,
          published=cr[("2012", "CPMA")], versus='{ cert = ["CPC"] }', versus_published=cr[("2012", "CPC")])
    entry("cpb_vs_cpc", "CPB / CPC medians (survey year not stated)", '{ cert = ["CPB"] }', "healthjob_undated", 0.05,
          published=hj["CPB"], versus='{ cert = ["CPC"] }', versus_published=hj["CPC"], statistic="median")
    entry("aapc_2010_certified_27_vs_1", "AAPC 2010 certified: more than 25 years / 1 year",
          f'{{ cert = ["CPC"], years = {REP_YEARS_OVER_25} }}', "aapc_2010_experience", 0.05,
          published=ex[("2010", "more than 25 years", "certified")], versus='{ cert = ["CPC"], years = 1 }',
          versus_published=ex[("2010", "1 year of experience", "certified")],
          note=f"more than 25 years taken as {REP_YEARS_OVER_25}")
    entry("aapc_2010_noncertified_7_vs_0", "AAPC 2010 non-certified: 7 years / first year", "{ years = 7 }",
          "aapc_2010_experience", 0.10, published=ex[("2010", "7 years", "not certified")], versus="{ years = 0 }",
          versus_published=ex[("2010", "first year", "not certified")])
    entry("aapc_2010_noncertified_27_vs_0", "AAPC 2010 non-certified: more than 25 years / first year",
          f"{{ years = {REP_YEARS_OVER_25} }}", "aapc_2010_experience", 0.10,
          published=ex[("2010", "more than 25 years", "not certified")], versus="{ years = 0 }",
          versus_published=ex[("2010", "first year", "not certified")], note=f"more than 25 years taken as {REP_YEARS_OVER_25}")
    entry("aapc_2010_certified_vs_not_year_1", "AAPC 2010: certified 1 year / non-certified first year",
          '{ cert = ["CPC"], years = 1 }', "aapc_2010_experience", 0.10,
          published=ex[("2010", "1 year of experience", "certified")], versus="{ years = 0 }",
          versus_published=ex[("2010", "first year", "not certified")])
    entry("aapc_2013_over_15_vs_all", "AAPC 2013: more than 15 years / all respondents", f"{{ years = {REP_YEARS_OVER_15} }}",
          "aapc_2013", 0.05, published=ex[("2013", "more than 15 years", "all")], versus="{}",
          versus_published=ex[("2013", "all respondents", "all")], note=f"more than 15 years taken as {REP_YEARS_OVER_15}")

    def rng(category: str, group: str) -> tuple[int, int]:
        r = art[(category, group)]
        return int(r["low"]), int(r["high"])

    for key, group, years in (("entry", "entry-level (0-2 years)", 1), ("mid", "mid-level (3-5 years)", 4),
                              ("senior", "senior (6+ years)", 10)):
        lo, hi = rng("experience", group)
        entry(f"article_{key}", f"Article: {group}", f"{{ years = {years} }}", "industry_article", 0.15, low=lo, high=hi,
              statistic="range")
    for key, group in (("anesthesia", "anesthesia"), ("emergency", "emergency medicine"), ("cardiology", "cardiology"),
                       ("oncology", "oncology"), ("surgery", "surgical"), ("risk-adjustment", "risk adjustment")):
        lo, hi = rng("specialty", group)
        entry(f"article_{key.replace('-', '_')}", f"Article: {group} coders", f'{{ specialty = "{key}" }}', "industry_article",
              0.15, low=lo, high=hi, statistic="range")
    for key, group in (("hospital", "hospital"), ("physician-office", "physician office"), ("insurance", "insurance company"),
                       ("consulting", "consulting / auditing")):
        lo, hi = rng("setting", group)
        entry(f"article_{key.replace('-', '_')}", f"Article: {group}", f'{{ setting = "{key}" }}', "industry_article", 0.15,
              low=lo, high=hi, statistic="range", held=False,
              note="BLS May 2024 industry medians cover settings; the survey wins")
    lo, hi = rng("work_arrangement", "remote")
    entry("article_remote", "Article: remote coders", "{ remote = true }", "industry_article", 0.15, low=lo, high=hi,
          statistic="range")
    lo, hi = rng("role", "medical coding manager")
    entry("article_manager", "Article: coding managers", '{ level = "manager" }', "industry_article", 0.15, low=lo, high=hi,
          statistic="range")
    return "\n".join(out)

# Other names a user may type for a state: the traditional abbreviations of the U.S. Government
# Publishing Office Style Manual (the "Ala.", "Calif.", "Mass." of addresses and newspapers) and
# "Washington, D.C.". Names, not figures; matched ignoring case, spaces and punctuation.
STATE_ALIASES: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."), "CO": ("Colo.",),
    "CT": ("Conn.",), "DE": ("Del.",), "DC": ("Washington, D.C.",), "FL": ("Fla.",), "IL": ("Ill.",),
    "IN": ("Ind.",), "KS": ("Kan.", "Kans."), "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",),
    "MS": ("Miss.",), "MT": ("Mont.",), "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NM": ("N. Mex.",),
    "ND": ("N. Dak.",), "OK": ("Okla.",), "OR": ("Ore.", "Oreg."), "PA": ("Penn.", "Penna."),
    "SD": ("S. Dak.",), "TN": ("Tenn.",), "TX": ("Tex.",), "WA": ("Wash.",), "WV": ("W. Va.",),
    "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",),
}


#: Credentials a payroll file holds that the pay model does not price: (code, name, body). Names only, no
#: figures (CPCO and CDEO are priced credentials, from AAPC's own 2021 pages: see [credentials]).
RECOGNISED_CREDENTIALS = [
    ("CEMC", "Certified Evaluation and Management Coder", "AAPC"),
    ("CPPM", "Certified Physician Practice Manager", "AAPC"),
    ("CPC-P", "Certified Professional Coder - Payer", "AAPC"),
    ("CPC-I", "Certified Professional Coder - Instructor", "AAPC"),
    ("CANPC", "Certified Anesthesia and Pain Management Coder", "AAPC"),
    ("CASCC", "Certified Ambulatory Surgery Center Coder", "AAPC"),
    ("CCC", "Certified Cardiology Coder", "AAPC"),
    ("CEDC", "Certified Emergency Department Coder", "AAPC"),
    ("CFPC", "Certified Family Practice Coder", "AAPC"),
    ("CGIC", "Certified Gastroenterology Coder", "AAPC"),
    ("CGSC", "Certified General Surgery Coder", "AAPC"),
    ("CHONC", "Certified Hematology and Oncology Coder", "AAPC"),
    ("CIRCC", "Certified Interventional Radiology Cardiovascular Coder", "AAPC"),
    ("COBGC", "Certified Obstetrics Gynecology Coder", "AAPC"),
    ("COSC", "Certified Orthopaedic Surgery Coder", "AAPC"),
    ("CPEDC", "Certified Pediatrics Coder", "AAPC"),
    ("CUC", "Certified Urology Coder", "AAPC"),
    ("CHDA", "Certified Health Data Analyst", "AHIMA"),
    ("CHPS", "Certified in Healthcare Privacy and Security", "AHIMA"),
    ("CCDS", "Certified Clinical Documentation Specialist", "ACDIS"),
    ("CCDS-O", "Certified Clinical Documentation Specialist - Outpatient", "ACDIS"),
    ("CBCS", "Certified Billing and Coding Specialist", "NHA"),
]


def recognised_credentials(cfig: dict[tuple[str, str], int]) -> str:
    """[recognised_credentials]: credentials a payroll file may list that the pay model has no figure for. A row
    holding one is priced without it, and says so. Where the sources hold an old figure for one (AAPC 2010 via
    Becker's), the note names it and says why it is not used."""
    out = ["# Credentials recognised in payroll files but not priced: the pay model has no credential-specific",
           "# figure for them. A row that lists one is priced without it, with a note naming it (coder-pay audit,",
           "# batch). `note` says why; figures named in a note are not used by the model.", ""]
    for code, name, body in RECOGNISED_CREDENTIALS:
        old = cfig.get(("2010", code))
        note = ("no public pay figure" if old is None else
                f"its one public figure is an AAPC 2010 average (${old:,}, job title coder, via Becker's ASC), which "
                "the model does not use")
        out += [f'[recognised_credentials."{code}"]', f"name = {q(name)}", f"body = {q(body)}", f"note = {q(note)}",
                *(['source = "aapc_2010_credentials"'] if old is not None else []), ""]
    return "\n".join(out)


def build(src: Path) -> str:
    out: list[str] = []
    w = out.append

    national = {r["year"][:4]: r for r in rows(src / "bls_oews_29-2072_national.csv")}
    n24, n23 = national["2024"], national["2023"]
    n25 = rows(src / "oews_M2025" / "bls_oews_29-2072_M2025_national.csv")[0]
    related = rows(src / "bls_oews_related_occupations_national_M2024_raw_rows.csv")
    more = rows(src / "aapc_salary_by_credential_more.csv")
    nat_dist = {10: int(n24["a_p10"]), 25: int(n24["a_p25"]), 50: int(n24["a_median"]),
                75: int(n24["a_p75"]), 90: int(n24["a_p90"])}
    states = rows(src / "bls_oews_29-2072_state_percentiles.csv")
    rpp = {r["state_code"]: r for r in rows(src / "bea_rpp_states_2024.csv")}
    article = rows(src / "industry_article_figures.csv")
    art = {(r["category"], r["group"]): r for r in article}
    certs = rows(src / "certification_costs_and_premiums.csv")
    cert = {(r["item"], r["group"]): r for r in certs}
    aapc = rows(src / "aapc_ahima_salary_figures.csv")
    industries = rows(src / "bls_oews_29-2072_industry_M2024.csv")
    industry = {r["naics"]: r for r in industries}
    raw_states = {r["PRIM_STATE"]: r for r in rows(src / "bls_oews_29-2072_state_M2024_raw_rows.csv")}
    by_cred = rows(src / "aapc_salary_by_credential.csv")
    by_exp = rows(src / "aapc_salary_by_experience.csv")
    fees = rows(src / "exam_fees.csv")

    w("# coder-pay data table. Built by scripts/build_table.py from ../shared/sources;")
    w("# edit the numbers freely (then run `coder-pay data validate`), or rebuild from the sources.")
    w("# Every figure names a [sources.*] entry; `basis` says how a derived figure was computed.")
    w("# The format is documented in docs/data-table.md.")
    w("")
    w("format = 1")
    w("")
    w("[meta]")
    w('occupation = "Medical Records Specialists (BLS SOC 29-2072, includes medical coders)"')
    w("wage_year = 2024")
    w("price_year = 2024")
    w('currency = "USD"')
    w("")

    # ---------------------------------------------------------------- sources
    w("# ---------------------------------------------------------------- sources")
    sources = [
        ("oews_national_2024", "BLS OEWS May 2024, national, 29-2072", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", n24["source"]),
        ("oews_national_2023", "BLS OEWS May 2023, national, 29-2072", "BLS", 2023, "survey",
         "https://www.bls.gov/oes/", n23["source"]),
        ("oews_national_2025", "BLS OEWS May 2025, national, 29-2072", "BLS", 2025, "survey",
         "https://www.bls.gov/oes/", n25["source"]),
        ("oews_related_2024", "BLS OEWS May 2024, national, related occupations", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", RELATED_ORIGIN),
        ("aapc_2021", "AAPC 2021 Medical Coding and Billing Salary Survey (republished as the 2022 report)", "AAPC", 2021,
         "survey", "https://www.aapc.com/resources/research/medical-coding-salary-survey/",
         "AAPC's own pages: the salary report and the CPCO and CDEO credential pages"),
        ("oews_state_2024", "BLS OEWS May 2024, state percentiles, 29-2072", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", states[0]["source"].split("; row")[0]),
        ("bea_rpp_states_2024", "BEA Regional Price Parities by state, 2024", "BEA", 2024, "statistics",
         "https://www.bea.gov/data/prices-inflation/regional-price-parities-state-and-metro-area",
         "BEA SARPP (rpp_year 2024, released 2026-02-19), via github:ethanmiclat/purchasepower src/data/states.json "
         "@007d8833c64149716eaad9ce77a5f78d551f255d"),
        ("bea_rpp_msa_2024", "BEA Regional Price Parities by metropolitan area, 2024", "BEA", 2024, "statistics",
         "https://www.bea.gov/data/prices-inflation/regional-price-parities-state-and-metro-area",
         "BEA MARPP (rpp_year 2024), via github:ethanmiclat/purchasepower src/data/metros.json "
         "@007d8833c64149716eaad9ce77a5f78d551f255d"),
        ("oews_msa_2024", "BLS OEWS May 2024, metropolitan areas, 29-2072 (p25 / median / p75)", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", "extract of BLS oesm24ma MSA_M2024_dl, via github:Atharva-Kurlekar7/the-reallocation-engine "
         "@4b11e246a56b99a4b740c60f402863ced5a8689c"),
        ("oews_bos_2024", "BLS OEWS May 2024, nonmetropolitan areas, 29-2072", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", "extract of BLS oesm24ma BOS_M2024_dl, via github:cdailystyles/laborcompare "
         "@047473c100803e87ec9a8dbec0988e004c76f70a"),
        ("omb_delineation_2023", "OMB Bulletin 23-01: metropolitan areas, counties and principal cities (Census lists 1 and 2)",
         "OMB", 2023, "statistics", "https://www.census.gov/geographies/reference-files/time-series/demo/metro-micro/delineation-files.html",
         "Census list1_2023 / list2_2023, via github:narslab/mobile-emissions-typology "
         "@04a883784d6a31cecefe7ad81f2ebf3b795dc9e7"),
        ("bls_area_definitions_2021", "BLS OEWS area definitions, May 2021 (county -> nonmetropolitan area)", "BLS", 2021,
         "statistics", "https://www.bls.gov/oes/current/msa_def.htm",
         "area_definitions_m2021.xlsx, via github:syeo-1/bls-wage-dash-app @756ff635ef17bb4fc6d4ffbd345f63cbbad74deb"),
        ("hud_zip_2024q4", "HUD-USPS ZIP crosswalks (ZIP -> CBSA, ZIP -> county), Q4 2024", "HUD", 2024, "statistics",
         "https://www.huduser.gov/portal/datasets/usps_crosswalk.html",
         "ZIP_CBSA_122024 / ZIP_COUNTY_122024, via github:hwunrow/cgnn @9c2ab362dd948775220f54326096c5e0ebd8eadf"),
        ("aapc_2025", "AAPC 2025 Salary Survey (as cited by a certification guide)", "AAPC", 2025,
         "survey (secondary)", "https://mbc-bv6.pages.dev/certifications", "secondary page citing the AAPC 2025 survey"),
        ("aapc_2019", "AAPC annual salary survey (likely 2019)", "AAPC", 2019, "survey",
         "https://www.aapc.com/resources/research/medical-coding-salary-survey/", "older stored version of the AAPC page"),
        ("aapc_2010", "AAPC 2010 salary survey (CPC-A vs CPC)", "AAPC", 2010, "survey (secondary, historical)",
         "", "summarised in third-party pages"),
        ("aapc_2023", "AAPC 2023 Medical Coding and Billing Salary Report", "AAPC", 2023, "survey",
         "http://www.aapc.com/surveys/medical-coding-salary-survey07.aspx", "55% of respondents remote; no remote pay differential reported"),
        ("aapc_fees_2026", "AAPC exam and membership fees (certification guide)", "AAPC", 2026, "fee schedule (secondary)",
         "https://mbc-bv6.pages.dev/certifications/cpc", "secondary page quoting AAPC fees"),
        ("oews_industry_2024", "BLS OEWS May 2024, national industry percentiles, 29-2072", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", industries[0]["source"]),
        ("aapc_2025_crc", "AAPC 2025 Salary Survey, CRC and CPC averages (as cited by an exam-prep article)", "AAPC", 2025,
         "survey (secondary)", "https://open-exam-prep.com/blog/crc-vs-cpc-certification-worth-it-2026",
         "article dated 2026-06-18 citing the AAPC 2025 salary survey"),
        ("aapc_2010_experience", "AAPC 2010 salary survey, pay by experience and certification", "AAPC", 2010,
         "survey (secondary, historical)",
         "https://beckersasc.com/asc-coding-billing-and-collections/6-factors-that-affect-average-medical-coder-salary.html",
         "Becker's ASC summary of the AAPC 2010 survey"),
        ("aapc_2010_credentials", "AAPC 2010 salary survey, averages by credential (job title coder)", "AAPC", 2010,
         "survey (secondary, historical)",
         "https://beckersasc.com/asc-coding-billing-and-collections/6-factors-that-affect-average-medical-coder-salary.html",
         "Becker's ASC summary of the AAPC 2010 survey; only respondents whose job title is coder"),
        ("aapc_2012", "AAPC 2012 Health Care Salary Survey (via Becker's ASC)", "AAPC", 2012, "survey (secondary, historical)",
         "https://mail.beckersasc.com/asc-coding-billing-and-collections/how-much-do-professional-coders-make-aapc-statistics-from-2008-to-2012.html",
         "Becker's ASC five-year comparison published with the 2012 survey"),
        ("aapc_2013", "AAPC 2013 Healthcare Salary Survey", "AAPC", 2013, "survey",
         "https://notifications.aapc.com/blog/26067-2013-salary-survey-coder-employment-on-the-rise/",
         "AAPC blog; about 15,000 respondents"),
        ("aapc_2018", "AAPC 2018 Salary Survey", "AAPC", 2018, "survey",
         "https://www.aapc.com/blog/45517-2018-salary-survey-credentials-serve-our-members-well/", "AAPC blog"),
        ("healthjob_undated", "CPB and CPC medians (healthjob.org; AAPC survey year not stated)", "AAPC", 0,
         "survey (secondary, undated)", "https://healthjob.org/guide/medical-billing-and-coding-salary",
         "article dated 2024; the survey year is not stated"),
        ("industry_article", "Career-guide article 'What Is Medical Coding Salary? Complete Guide to Career Earnings'",
         "unattributed", 0, "industry article", "", "undated, unattributed article; its figures are claims, not survey results"),
        ("policyengine_2025", "2025 tax parameters (IRS, SSA, state revenue departments) via PolicyEngine US", "PolicyEngine US",
         2025, "tax law", "https://github.com/PolicyEngine/policyengine-us",
         "PolicyEngine/policyengine-us@8914f89da05465871c6bb62855853a85b244cd1e, parameters/gov"),
        ("assumption", "No public figure: an assumption of coder-pay, change it in the table", "coder-pay", 0,
         "assumption", "", "no public source gives this number"),
    ]
    sources += fee_sources(fees)
    write_sources(w, sources)

    # ---------------------------------------------------------------- national
    w("# ---------------------------------------------------------------- wages")
    w("# Annual wages (hourly x 2,080), wage-and-salary workers only.")
    w("[national]")
    w('source = "oews_national_2024"')
    w(f"employment = {n24['employment']}")
    w(f"mean = {n24['annual_mean']}")
    for p in PCTS:
        w(f"p{p} = {nat_dist[p]}")
    w(f"employment_rse = {float(n24['employment_rse_pct'])}  # relative standard error, percent (BLS EMP_PRSE)")
    w(f"wage_rse = {float(n24['wage_rse_pct'])}  # percent (BLS MEAN_PRSE)")
    w("")
    w(wage_growth(n23, n24, n25))
    w("# Every state + DC: BLS OEWS May 2024 percentiles, BEA 2024 price parities (US = 100),")
    w("# aliases (optional): other names accepted for the state (traditional abbreviations, U.S. GPO Style")
    w("# Manual), matched ignoring case, spaces and punctuation.")
    for r in sorted(states, key=lambda r: r["state_code"]):
        code = r["state_code"]
        if code not in rpp or code == "US":
            continue  # territories: no BEA price parity
        pr = rpp[code]
        w(f"[states.{code}]")
        w(f"name = {q(r['state_name'])}")
        if code in STATE_ALIASES:
            w(f"aliases = [{', '.join(q(a) for a in STATE_ALIASES[code])}]")
        w('wage_source = "oews_state_2024"')
        w(f"employment = {r['employment']}")
        w(f"mean = {r['annual_mean']}")
        w(f"p10 = {r['p10']}")
        w(f"p25 = {r['p25']}")
        w(f"p50 = {r['p50']}")
        w(f"p75 = {r['p75']}")
        w(f"p90 = {r['p90']}")
        raw = raw_states[code]
        w(f"employment_rse = {float(raw['EMP_PRSE'])}")
        w(f"wage_rse = {float(raw['MEAN_PRSE'])}")
        w('price_source = "bea_rpp_states_2024"')
        w(f"rpp_all = {float(pr['rpp_all_items']):.3f}")
        w(f"rpp_housing = {float(pr['rpp_housing']):.3f}")
        w("")

    # ---------------------------------------------------------------- experience
    w("# ---------------------------------------------------------------- experience and roles")
    w("# With no experience given the band is the whole market: the state's own percentiles.")
    w("[market]")
    w("positions = [25, 50, 75]")
    w('source = "oews_state_2024"')
    w('basis = "the middle half of all coders in the state: 25th, 50th and 75th percentiles"')
    w("")
    curve = experience_curve(by_exp)
    w("# Experience: a smooth curve in log pay, e(y) = amplitude x (exp(-market_years/time_constant) - exp(-y/time_constant)),")
    w("# zero at market_years (where the whole market's median coder is taken to stand), rising fastest early.")
    w("[experience]")
    w(f"amplitude = {curve['amplitude']:.4f}")
    w(f"time_constant = {curve['tau']}")
    w(f"max_yearly_rise = {MAX_YEARLY_RISE}")
    w('source = "aapc_2010_experience"')
    w(f"basis = {q(curve['basis'])}")
    w(f"market_years = {curve['market_years']:.1f}")
    w('market_years_source = "aapc_2013"')
    w(f"market_years_basis = {q(curve['market_basis'])}")
    w("")
    w("# --level: a shorthand for a range of years; the band is the curve at `years`.")
    w("# `source`: where the range of years comes from; `years_source`: where its price point `years` comes from.")
    levels = [("entry", "Entry level (0-2 years)", 0, 2, 1, "industry_article", "the middle of the article's 0-2 years"),
              ("mid", "Mid level (3-5 years)", 3, 5, 4, "industry_article", "the middle of the article's 3-5 years"),
              ("senior", "Senior (6+ years)", 6, 50, 10, "assumption",
               "the article's senior range is open-ended (6+ years); 10 years is coder-pay's assumption")]
    for key, label, lo_y, hi_y, rep, years_src, basis in levels:
        w(f"[levels.{key}]")
        w(f"label = {q(label)}")
        w(f"min_years = {lo_y}")
        w(f"max_years = {hi_y}")
        w('source = "industry_article"')
        w(f"years = {rep}")
        w(f'years_source = "{years_src}"')
        w(f"basis = {q(basis)}")
        w("")
    w("# How effects combine (see docs/estimate.md, 'How the estimate is computed'). Pay is worked in log terms from the state's")
    w("# median; the experience curve may use `experience_share` of the room between the median and p90, the other")
    w("# effects (credentials, specialty, setting) share what is left, and both approach their bound smoothly instead")
    w("# of multiplying past it. The high end of a band is at most `high_cap` x p90.")
    w("[bounds]")
    w("experience_share = 0.6")
    w("experience_knee = 0.7")
    w("high_cap = 1.25")
    w("band_knee = 0.75")
    w('source = "assumption"')
    w(f"basis = {q('chosen so that every non-management profile keeps its typical pay at or below the state p90 and 20-year over 0-year pay between 1.35 and 1.80 in all 51 areas (checked by the loader and the tests)')}")
    w("")

    w(occupations_and_roles(related))
    # ---------------------------------------------------------------- credentials
    w("# ---------------------------------------------------------------- credentials")
    import math

    w("# Credentials: the pay ratio for the number held, times the best credential-specific ratio held (relative")
    w("# to CPC, the reference). Survey averages compare groups that also differ in experience: with --years the")
    w("# model uses each gross ratio ^ credential_net.share, the part of such a gap left at the same experience.")
    c_yes = int(cert[("average salary", "certified (AAPC 2025 survey)")]["value"])
    c_no = int(cert[("average salary", "not certified (AAPC 2025 survey)")]["value"])
    c_three = int(cert[("average salary", "three or more credentials (AAPC 2025 survey)")]["value"])
    a19 = {r["group"]: int(r["value"]) for r in aapc if r["income_year"] == "2019?"}
    fig = {(r["survey_year"], r["group"], r["certification"]): int(r["value"]) for r in by_exp
           if r["statistic"] == "average salary"}
    # the one pair surveyed at the same experience: both "more than 25 years" (the 1-year pair compares "1 year"
    # with "first year", a year apart, so experience is in its gap too)
    same = [(fig[("2010", "more than 25 years", "certified")], fig[("2010", "more than 25 years", "not certified")])]
    net1 = sum(math.log(a / b) for a, b in same) / len(same)
    gross1 = math.log(c_yes / c_no)
    share = net1 / gross1
    w("[credential_net]")
    w(f"share = {share:.3f}")
    w('source = "aapc_2010_experience"')
    pairs = "; ".join(f"${a:,} / ${b:,}" for a, b in same)
    w(f"basis = {q(f'AAPC 2010 certified / non-certified at the same experience (more than 25 years): {pairs}, log gap {net1:.4f}, over the AAPC 2025 gross gap ln({c_yes}/{c_no}) = {gross1:.4f}')}")
    w("")
    two, any_c = a19["two credentials"], a19["certified (all orgs: AAPC, AHIMA, other)"]
    three = a19["three or more credentials"]
    w("# Gross pay ratios by the number of credentials held, as the surveys give them (the model makes them net).")
    counts = [
        (1, c_yes / c_no, "aapc_2025", f"AAPC 2025 certified ${c_yes:,} / not certified ${c_no:,}"),
        (2, c_yes / c_no * two / any_c, "aapc_2019",
         f"one credential x AAPC 2019 two credentials ${two:,} / certified ${any_c:,} (no 2025 figure for two)"),
        (3, c_yes / c_no * three / any_c, "aapc_2019",
         f"one credential x AAPC 2019 three or more ${three:,} / certified ${any_c:,}; used for 3 or more (AAPC's own "
         f"figures; a secondary page's 2025 three or more ${c_three:,} / not certified ${c_no:,} = x{c_three / c_no:.3f} "
         f"is not used)"),
    ]
    for n, mult, src_key, basis in counts:
        w(f"[credential_count.{n}]")
        w(f"multiplier = {mult:.4f}")
        w(f'source = "{src_key}"')
        w(f"basis = {q(basis)}")
        w("")

    # credential-specific premiums, relative to CPC in the same survey, made net with net_share
    cfig = {(r["survey_year"], r["group"]): int(r["value"]) for r in by_cred if r["statistic"] == "average salary"}
    hj = {r["group"]: int(r["value"]) for r in aapc if r["statistic"] == "median income"}
    a18 = {r["group"]: int(r["value"]) for r in aapc if r["income_year"] == "2018" and r["category"] == "credential"}
    premiums = {
        "CRC": (cfig[("2025", "CRC")], cfig[("2025", "CPC")], "aapc_2025_crc", "AAPC 2025 averages: CRC", "CPC"),
        "COC": (cfig[("2010", "CPC-H (now COC)")], cfig[("2010", "CPC")], "aapc_2010_credentials",
                "AAPC 2010 averages (job title coder): CPC-H (now COC)", "CPC"),
        "CIC": (a18["CIC"], a18["CPC"], "aapc_2018", "AAPC 2018 averages: CIC", "CPC"),
        "CPMA": (cfig[("2012", "CPMA")], cfig[("2012", "CPC")], "aapc_2012", "AAPC 2012 averages: CPMA", "CPC"),
        "CPB": (hj["CPB"], hj["CPC"], "healthjob_undated", "medians (AAPC survey year not stated): CPB", "CPC"),
    }
    m21 = {r["credential"]: int(r["value"]) for r in more
           if r["publisher"] == "AAPC" and r["credential"] in ("CPCO", "CDEO", "ANY_CERTIFIED", "NOT_CERTIFIED")
           and r["survey_year"].startswith(("2021", "2022"))}
    for code in ("CPCO", "CDEO"):
        # AAPC 2021 has no CPC average: the certified average stands in for CPC, the most held credential
        premiums[code] = (m21[code], m21["ANY_CERTIFIED"], "aapc_2021",
                          f"AAPC 2021 averages (labelled 2022 by AAPC): {code}", "all certified coders (no CPC figure that year)")

    student = int(cert[("membership", "AAPC student (yearly)")]["value"])
    pro = int(cert[("membership", "AAPC professional (yearly)")]["value"])
    apprentice = cert[("average salary", "CPC-A (apprentice)")]
    full = cert[("average salary", "CPC (same survey)")]
    credentials = [
        ("CPC", "Certified Professional Coder", "AAPC"),
        ("COC", "Certified Outpatient Coder", "AAPC"),
        ("CIC", "Certified Inpatient Coder", "AAPC"),
        ("CRC", "Certified Risk Adjustment Coder", "AAPC"),
        ("CPMA", "Certified Professional Medical Auditor", "AAPC"),
        ("CPB", "Certified Professional Biller", "AAPC"),
        ("CPCO", "Certified Professional Compliance Officer", "AAPC"),
        ("CDEO", "Certified Documentation Expert Outpatient", "AAPC"),
        ("CCS", "Certified Coding Specialist", "AHIMA"),
        ("CCS-P", "Certified Coding Specialist - Physician-based", "AHIMA"),
        ("CCA", "Certified Coding Associate", "AHIMA"),
        ("RHIT", "Registered Health Information Technician", "AHIMA"),
        ("RHIA", "Registered Health Information Administrator", "AHIMA"),
        ("CDIP", "Certified Documentation Integrity Practitioner", "AHIMA"),
    ]
    w("# Costs: only where a public figure exists; a missing exam_fee means 'no public figure'.")
    w("# exam_fee is the fee the payback counts (exam_fee_terms says which): AAPC, one attempt (membership")
    w("# required, counted as first-year or yearly membership); AHIMA, the non-member price (membership is")
    w("# optional and its dues have no public figure here), the member price beside it. exam_fee_source")
    w("# names the page the fee comes from; cost_source the memberships'.")
    for code, name, body in credentials:
        w(f'[credentials."{code}"]')
        w(f"name = {q(name)}")
        w(f"body = {q(body)}")
        fee = exam_fee_fields(fees, code, body)
        if code == "CPC" and fee.get("exam_fee") != int(cert[("exam fee", "CPC (one attempt)")]["value"]):
            raise SystemExit("build_table: the CPC exam fee differs between exam_fees.csv and "
                             "certification_costs_and_premiums.csv")
        for key, value in fee.items():
            w(f"{key} = {q(value) if isinstance(value, str) else value}")
        if body == "AAPC":
            if code == "CPC":
                w(f"first_year_membership = {student}")
            w(f"yearly_membership = {pro}")
            w('cost_source = "aapc_fees_2026"')
        if "exam_fee" not in fee:
            w(f"cost_note = {q(NO_FEE_NOTE[body])}")
        if code == "CPC":
            ap_v, full_v = int(apprentice["value"]), int(full["value"])
            w(f"apprentice_ratio = {ap_v / full_v:.2f}")
            w('apprentice_source = "aapc_2010"')
            w(f"apprentice_basis = {q(f'CPC-A average ${ap_v:,} / CPC average ${full_v:,} in the same survey')}")
            w("apprentice_months = 24")
            w('apprentice_months_source = "assumption"')
        if code == "CPC":
            w("premium = 1.0")
            w('premium_source = "aapc_2025_crc"')
            w('premium_basis = "the reference credential"')
        elif code in premiums:
            x, ref, src_key, what, ref_name = premiums[code]
            w(f"premium = {x / ref:.4f}")
            w(f'premium_source = "{src_key}"')
            w(f"premium_basis = {q(f'{what} ${x:,} / {ref_name} ${ref:,}')}")
        else:
            w(f"premium_note = {q(POOLED_NOTE)}")
        w("")

    w("# Training before a first credential (shown by `certs`, not counted in the exam cost).")
    for key, group in (("self_study", "self-study program cost"), ("program", "certificate or associate program cost")):
        r = art[("education", group)]
        w(f"[training.{key}]")
        w(f"label = {q(group)}")
        w(f"low = {r['low']}")
        w(f"high = {r['high']}")
        w('source = "industry_article"')
        w("")

    w(recognised_credentials(cfig))

    # ---------------------------------------------------------------- specialties
    w("# ---------------------------------------------------------------- specialty, setting, remote")
    ra = art[("specialty", "risk adjustment")]
    ra_mid = (int(ra["low"]) + int(ra["high"])) / 2
    general = ra_mid / 1.30
    w("# Specialty factor = article range midpoint / general coding reference; the reference is")
    w(f"# the risk-adjustment midpoint ${ra_mid:,.0f} / 1.30 = ${general:,.0f} (the article: risk adjustment pays 20-40% above general coding).")
    w("[specialties.general]")
    w('label = "General coding"')
    out.extend(aliases("specialties.general"))
    w("factor = 1.0")
    w('source = "industry_article"')
    w('basis = "reference level"')
    w("")
    specs = [("anesthesia", "anesthesia", "Anesthesia"), ("emergency", "emergency medicine", "Emergency medicine"),
             ("cardiology", "cardiology", "Cardiology"), ("oncology", "oncology", "Oncology"),
             ("surgery", "surgical", "Surgery"), ("risk-adjustment", "risk adjustment", "Risk adjustment")]
    for key, group, label in specs:
        r = art[("specialty", group)]
        lo, hi = int(r["low"]), int(r["high"])
        mid = (lo + hi) / 2
        w(f"[specialties.{key}]")
        w(f"label = {q(label)}")
        out.extend(aliases(f"specialties.{key}"))
        w(f"factor = {mid / general:.3f}")
        w('source = "industry_article"')
        w(f"basis = {q(f'article range ${lo:,}-${hi:,}, midpoint ${mid:,.0f} / ${general:,.0f}')}")
        w("")

    nat_median = int(n24["a_median"])
    w(f"# Work setting factor = the industry's BLS May 2024 median for 29-2072 / the all-industry median ${nat_median:,}.")
    w("# employment_rse / wage_rse: BLS relative standard errors (percent) of the industry's estimates.")
    w("[settings.any]")
    w('label = "Any setting (whole market)"')
    out.extend(aliases("settings.any"))
    w("factor = 1.0")
    w('source = "oews_state_2024"')
    w('basis = "the market as a whole"')
    w("")
    for key, naics, label in SETTINGS:
        r = industry[naics]
        med = int(r["a_median"])
        w(f"[settings.{key}]")
        w(f"label = {q(label)}")
        w(f"factor = {med / nat_median:.4f}")
        w(f"median = {med}")
        w(f"employment = {int(r['employment'])}")
        w(f"employment_rse = {float(r['employment_rse_pct'])}")
        w(f"wage_rse = {float(r['wage_rse_pct'])}")
        w('source = "oews_industry_2024"')
        ind_name = r["industry"]
        w(f"basis = {q(f'{ind_name} (NAICS {naics[:4]}) median ${med:,} / all industries ${nat_median:,}')}")
        out.extend(aliases(f"settings.{key}"))
        w("")

    w("# Remote: pay set nationally. The band uses the national distribution whatever the state;")
    w("# the state only sets the price level. AAPC reports no remote pay differential.")
    w("[remote]")
    w("factor = 1.0")
    w('source = "aapc_2023"')
    w('basis = "national band; AAPC 2023: 55% remote, no remote pay differential reported; the article: remote pay is set regardless of location"')
    w("")

    w("# Thin data: an answer is flagged when it rests on a BLS estimate whose relative standard error")
    w("# (percent) is at or above these limits.")
    w("[precision]")
    w("wage_rse_max = 4.0")
    w("employment_rse_max = 10.0")
    w('source = "assumption"')
    w(f"basis = {q('a wage RSE of 4 % puts the 95 % confidence interval of the mean wage near +-8 %, as wide as most effects in the model; an employment RSE of 10 % or more means the area or industry has few sampled coders (the limits the source notes use)')}")
    w("")
    w("# coder-pay data check: how far the model may be from each BLS May 2024 industry median ([settings.*] median).")
    w("[check]")
    w("industry_tolerance = 0.05")
    w('source = "assumption"')
    w(f"basis = {q('a setting alone is bounded like any effect (room x tanh), which costs the best-paid industries a few percent')}")
    w("")
    w(backtest_entries(by_exp, by_cred, cert, aapc, art))

    # ---------------------------------------------------------------- offers, careers
    w("# ---------------------------------------------------------------- offers and careers")
    w("[benefits]")
    w("work_days_per_year = 260")
    w("hours_per_year = 2080")
    w("# A payroll row's salary and its hourly rate x hours_per_year agree within this share of the larger (else the row")
    w("# is flagged, never resolved): coder-pay's tolerance, not a published figure. HR systems count 2,080 or 2,088 hours.")
    w("pay_agreement = 0.01")
    w('pay_agreement_source = "assumption"')
    w('source = "oews_national_2024"')
    w('basis = "BLS annual wage = hourly x 2,080 hours = 52 weeks x 5 days x 8 hours"')
    w("")
    # ---------------------------------------------------------------- tax
    w(build_tax(src / "tax"))
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- exam fees (exam_fees.csv, SOURCES.md section 18)
# One [sources] entry per page the fees are quoted from (its year from the file; 0 = not stated). The CPC page is
# the one certification_costs_and_premiums.csv also quotes for the memberships: aapc_fees_2026.
FEE_PAGES = {
    "https://mbc-bv6.pages.dev/certifications/cpc": ("aapc_fees_2026", "", ""),
    "https://cca101.com/cca-exam-fee-structure":
        ("ahima_fees_cca101", "AHIMA CCA exam fees (exam-prep site cca101.com)", "fee schedule (secondary)"),
    "https://mbc-bv6.pages.dev/certifications/ccs":
        ("ahima_fees_2025", "AHIMA CCS exam fees (certification guide)", "fee schedule (secondary)"),
    "https://visualfoodie.com/meeting-all-rhit-certificate-requirements":
        ("ahima_fees_rhit_blog", "AHIMA RHIT exam fees (lifestyle blog: low reliability)",
         "fee schedule (secondary, low reliability)"),
    "https://open-exam-prep.com/blog/aapc-crc-certified-risk-adjustment-coder-exam-guide-2026":
        ("aapc_fees_crc_2026", "AAPC CRC exam fees (exam-prep site open-exam-prep.com)", "fee schedule (secondary)"),
    "https://cocexamprep.com/blog/coc-exam-registration-steps-and-application-guide-2026":
        ("aapc_fees_coc_2026", "AAPC COC exam fee (exam-prep site cocexamprep.com)", "fee schedule (secondary)"),
}
NO_FEE_NOTE = {"AAPC": "exam fee: no public figure for this credential (AAPC fees range $117-$425)",
               "AHIMA": "AHIMA exam fee: no public figure"}


POOLED_NOTE = ("no credential-specific pay figure exists (AHIMA publishes none); priced with the pooled "
               "'any credential' figure (certified vs not certified), not the credential's own")
RELATED_ORIGIN = ("github:LanaGeis/Employment-Trend-Analysis data/national_M2024_dl.csv @commit "
                  "ac82a0cb4c62c79f5ca1b6dd3cb7a810b31c90a7 (verbatim BLS oesm24nat; cross-industry rows; SOURCES.md section 21)")


def wage_growth(n23: dict[str, str], n24: dict[str, str], n25: dict[str, str]) -> str:
    """[wage_growth]: ageing steps through the published national medians, then the rate (SOURCES.md 1, 23)."""
    m23, m24, m25 = int(n23["a_median"]), int(n24["a_median"]), int(n25["A_MEDIAN"])
    rate = (m25 / m23) ** 0.5 - 1
    basis = (f"compound yearly change of the BLS national median, May 2023 ${m23:,} -> May 2025 ${m25:,} (the two latest "
             f"published years: {m24 / m23 - 1:+.2%}, {m25 / m24 - 1:+.2%}); used only past the last published year")
    out = ["# Ageing the wages (--as-of, and salary checks judged in today's dollars): between two years with a",
           "# published national median ([wage_growth.published.YEAR]) by their ratio; past the last one at `rate`",
           "# a year. May be negative.",
           "[wage_growth]", f"rate = {rate:.4f}", "from_year = 2023", "to_year = 2025", 'source = "oews_national_2025"',
           f"basis = {q(basis)}", ""]
    for year, m, key in ((2023, m23, "oews_national_2023"), (2024, m24, "oews_national_2024"),
                         (2025, m25, "oews_national_2025")):
        out += [f"[wage_growth.published.{year}]", f"median = {m}", f'source = "{key}"', ""]
    return "\n".join(out)


# Related careers and the roles of `career --ladder` (SOURCES.md section 21): label for each BLS occupation.
OCCUPATION_LABELS = {
    "29-9021": "Health information technologist or medical registrar",
    "43-3021": "Billing and posting clerk",
    "11-9111": "Medical and health services manager",
    "43-1011": "Office and administrative support supervisor",
    "13-1041": "Compliance officer",
    "31-9094": "Medical transcriptionist",
    "43-6013": "Medical secretary or administrative assistant",
    "31-9092": "Medical assistant",
    "43-9041": "Insurance claims and policy processing clerk",
}
ROLES = [  # key, label, rank, years to the role (assumption), BLS occupation, positions, why those positions
    ("supervisor", "Coding supervisor", 1, 9, "43-1011", (25, 50, 75),
     "a coding supervisor is a first-line supervisor of office workers (BLS 43-1011): its middle half"),
    ("manager", "Coding manager", 2, 12, "11-9111", (10, 25, 50),
     "a coding or HIM department manager is counted among medical and health services managers (BLS 11-9111), "
     "whose distribution runs up to hospital executives: its lower half (p10 / p25 / median)"),
    ("director", "Director of HIM", 3, 16, "11-9111", (25, 50, 75),
     "HIM directors are counted among medical and health services managers (BLS 11-9111): its middle half"),
]


def occupations_and_roles(related: list[dict[str, str]]) -> str:
    out = ["# Other BLS occupations, May 2024 national, cross-industry (SOURCES.md section 21): the roles above senior",
           "# coder are priced from them (placed in the state's market: x the state's coder median / the national one),",
           "# and `career` shows the related ones. Never the coders' own occupation (29-2072).", ""]
    for r in sorted(related, key=lambda r: r["OCC_CODE"]):
        code = r["OCC_CODE"]
        if code == "29-2072":
            continue
        num = {k: int(r[k].replace(",", "")) for k in ("TOT_EMP", "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90")}
        out += [f'[occupations."{code}"]', f"title = {q(r['OCC_TITLE'])}", f"label = {q(OCCUPATION_LABELS[code])}",
                "related = true", 'source = "oews_related_2024"', f"employment = {num['TOT_EMP']}",
                f"p10 = {num['A_PCT10']}", f"p25 = {num['A_PCT25']}", f"p50 = {num['A_MEDIAN']}",
                f"p75 = {num['A_PCT75']}", f"p90 = {num['A_PCT90']}", ""]
    out += ["# Roles above senior coder (`--level supervisor|manager|director`, `career --ladder`): the band is the",
            "# occupation's wages at `positions`, placed in the state's market. typical_years: when `career --ladder`",
            "# promotes (no public figure: coder-pay's assumption).", ""]
    for key, label, rank, years, occ, pos, basis in ROLES:
        out += [f"[roles.{key}]", f"label = {q(label)}", f"steps_above_senior = {rank}", f"typical_years = {years}",
                'years_source = "assumption"', f'occupation = "{occ}"', f"positions = [{', '.join(map(str, pos))}]",
                'positions_source = "assumption"', f"positions_basis = {q(basis)}", ""]
    return "\n".join(out)


def _fee_year(text: str) -> int:
    """'2026' -> 2026, '2025-2026' -> 2025 (the fee schedule's year), 'not stated' -> 0 (undated)."""
    m = re.search(r"\b(\d{4})\b", text)
    return int(m.group(1)) if m else 0


def _fee_value(text: str) -> tuple[int, bool]:
    """'425' -> (425, False); '499 (approx.)' -> (499, True)."""
    m = re.fullmatch(r"(\d+)( \(approx\.\))?", text.strip())
    if not m:
        raise SystemExit(f"build_table: exam_fees.csv value {text!r} is not a whole-dollar fee")
    return int(m.group(1)), bool(m.group(2))


def fee_sources(fees: list[dict[str, str]]) -> list[tuple[str, str, str, int, str, str, str]]:
    """The [sources] entries of the fee pages other than aapc_fees_2026 (which the main list has)."""
    out = []
    for url, (key, name, kind) in FEE_PAGES.items():
        page = [r for r in fees if r["url_or_origin"] == url]
        if not page:
            raise SystemExit(f"build_table: exam_fees.csv no longer quotes {url}; review FEE_PAGES")
        if not name:
            continue
        first = page[0]
        grade = first["primary_or_secondary"]
        if "secondary" not in grade or ("low reliability" in kind) != ("LOW reliability" in grade):
            raise SystemExit(f"build_table: exam_fees.csv grades {url} {grade!r}, FEE_PAGES says {kind!r}")
        creds = sorted({r["credential"] for r in page})
        origin = f"exam_fees.csv, {first['org']} {', '.join(creds)}: {grade}; year as given: {first['year']}"
        if first["notes"]:
            origin += f"; {first['notes']}"
        out.append((key, name, first["org"], _fee_year(first["year"]), kind, url, origin))
    return out


def exam_fee_fields(fees: list[dict[str, str]], code: str, body: str) -> dict[str, object]:
    """exam_fee (what the payback counts), its terms, the other published price, and its source; {} when
    exam_fees.csv has no fee for the credential (the table then says 'no public figure')."""
    mine = {(r["fee_type"], r["member_status"]): r for r in fees if r["credential"] == code}
    out: dict[str, object] = {}
    if body == "AHIMA" and ("exam fee", "non-member") in mine:
        row = mine[("exam fee", "non-member")]
        member, _ = _fee_value(mine[("exam fee", "AHIMA member")]["value"])
        out["exam_fee"], approx = _fee_value(row["value"])
        out["exam_fee_terms"] = "non-member price" + (", approx." if approx else "")
        out["member_exam_fee"] = member
    elif body == "AAPC" and ("exam fee, one attempt", "AAPC member required") in mine:
        row = mine[("exam fee, one attempt", "AAPC member required")]
        out["exam_fee"], approx = _fee_value(row["value"])
        out["exam_fee_terms"] = "one attempt" + (", approx." if approx else "")
        two = mine.get(("exam fee, two attempts", "AAPC member required"))
        if two is not None:
            out["two_attempt_exam_fee"] = _fee_value(two["value"])[0]
    elif body == "AAPC" and ("exam fee, two attempts", "AAPC member required") in mine:
        row = mine[("exam fee, two attempts", "AAPC member required")]  # only a two-attempt package is published
        out["exam_fee"], approx = _fee_value(row["value"])
        out["exam_fee_terms"] = "two-attempt package" + (", approx." if approx else "") + "; one-attempt price not stated"
    else:
        return out
    out["exam_fee_source"] = FEE_PAGES[row["url_or_origin"]][0]
    if "LOW reliability" in row["primary_or_secondary"]:
        out["cost_note"] = f"exam fee: low reliability ({row['url_or_origin'].split('/')[2]}, a lifestyle blog); " \
                           f"{row['notes'] or 'confirm it'}"
    return out


def build_tax(src: Path) -> str:
    out: list[str] = []
    w = out.append
    fed = rows(src / "federal_2025.csv")
    fica = {r["item"]: r for r in rows(src / "fica.csv")}
    w("# ---------------------------------------------------------------- taxes (2025, single filer)")
    w("[tax]")
    w("year = 2025")
    w('source = "policyengine_2025"')
    w("")
    w("[tax.federal]")
    std = next(r for r in fed if r["item"] == "standard_deduction")
    w(f"standard_deduction = {std['amount']}")
    brackets = [(int(r["bracket_floor"]), float(r["rate"])) for r in fed if r["item"] == "bracket"]
    w("brackets = [" + ", ".join(f"[{f}, {r}]" for f, r in brackets) + "]  # [floor of taxable income, marginal rate]")
    w('basis = "IRS Rev. Proc. 2024-40 brackets; standard deduction as amended by OBBBA (July 2025)"')
    w("")
    ss = fica["social_security_employee"]
    med = fica["medicare_employee"]
    add = fica["additional_medicare_employee"]
    w("[tax.fica]")
    w(f"social_security_rate = {ss['rate']}")
    w(f"social_security_wage_base = {ss['threshold_or_wage_base']}")
    w(f"medicare_rate = {med['rate']}")
    w(f"additional_medicare_rate = {add['rate']}")
    w(f"additional_medicare_threshold = {add['threshold_or_wage_base']}")
    w("")
    fed_std = int(std["amount"])
    by_state: dict[str, list[dict[str, str]]] = {}
    for r in rows(src / "state_income_tax.csv"):
        by_state.setdefault(r["state_code"], []).append(r)
    # States whose note in tax/SOURCES.md says the brackets alone misstate the tax
    # (credits, phase-outs, non-standard encodings, federal-tax deductions), less those whose
    # whole misstatement is modelled by the corrections below (DE, IA, IL, NE, OR, UT, WI).
    misstated = set(LEFT_OUT_BY_STATE)
    for code in sorted(by_state):
        rs = by_state[code]
        first = rs[0]
        sd = first["standard_deduction"]
        note = first["note"].strip()
        if sd == "FEDERAL":
            if code == "SC":
                sd_val = 15000
                note += " Standard deduction: pre-OBBBA federal 15000, as PolicyEngine applies for SC in 2025."
            else:
                sd_val = fed_std
                note += f" Standard deduction: the federal {fed_std} (conformity to OBBBA not verified)."
        else:
            sd_val = int(sd)
        fix = state_corrections(code, first["note"], fed_std)
        fix.update(tax_law(src / "policyengine", code, first["note"]))
        exemption = int(first["personal_exemption"])
        for field, csv_value in (("standard_deduction", sd_val), ("personal_exemption", exemption)):
            if field in fix and fix.pop(field) != csv_value:  # two source files, one figure: they must agree
                raise SystemExit(f"build_table: {code} {field}: tax/policyengine/ and state_income_tax.csv disagree")
        w(f"[tax.states.{code}]")
        w("brackets = [" + ", ".join(f"[{int(r['bracket_floor'])}, {float(r['rate'])}]" for r in rs) + "]")
        w(f"standard_deduction = {sd_val}")
        w(f"personal_exemption = {exemption}")
        w(f"brackets_misstate = {'true' if code in misstated else 'false'}")
        w(f"note = {q(note)}")
        left = LEFT_OUT_BY_STATE.get(code, [])
        if left:
            fix.pop("caveat", None)  # said item by item in left_out
            fix["left_out"] = [x["text"] for x in left]
            fix["left_out_above"] = [x.get("above", 0) for x in left]  # 0: at every income
        if code in LOCAL_GAPS:
            fix["local_gap"] = LOCAL_GAPS[code]
        for key, value in fix.items():
            w(f"{key} = {toml_value(value)}")
        w("")
    w(build_local(src / "local", src.parent / "places"))
    return "\n".join(out)


def _figure(note: str, pattern: str, code: str) -> str:
    """A number quoted in a state's source note (the build fails if the note no longer says it)."""
    m = re.search(pattern, note)
    if not m:
        raise SystemExit(f"build_table: tax note for {code} no longer matches {pattern!r}; review state_corrections()")
    return m.group(1)


# Simple corrections that tax/SOURCES.md lists and gives figures for. Each figure is read out of the
# state's own `note` in state_income_tax.csv, so a changed source breaks the build instead of drifting.
PERSONAL_CREDITS = {  # state: pattern for the flat nonrefundable personal credit (single filer)
    "AR": r"Personal tax credit \$(\d+)",
    "CA": r"Personal exemption is a credit of \$(\d+)",
    "DE": r"Personal credit \$(\d+)",
    "IA": r"Personal exemption credit \$(\d+)",
    "NE": r"Personal exemption credit \$(\d+)",
    "OR": r"Personal exemption credit \$(\d+)",
}


def state_corrections(code: str, note: str, fed_std: int) -> dict[str, object]:
    """Fields beyond brackets/deduction/exemption for the states whose corrections are modelled:
    personal credits (AR CA DE IA NE OR), OR's credit income limit, UT's taxpayer credit and its
    phase-out, WI's standard-deduction phase-out, IL's exemption income limit; plus `caveat` (what
    is still not modelled) where the state stays flagged."""
    fix: dict[str, object] = {}
    if code in PERSONAL_CREDITS:
        fix["credit"] = int(_figure(note, PERSONAL_CREDITS[code], code))
    if code == "OR":
        fix["credit_income_limit"] = int(_figure(note, r"not allowed above income (\d+)", code))
    if code == "UT":
        rate = float(_figure(note, r"credit = ([\d.]+) x \(federal standard deduction", code))
        fix["credit"] = round(rate * fed_std, 2)
        fix["credit_phaseout_start"] = int(_figure(note, r"above (\d+) \(single", code))
        fix["credit_phaseout_rate"] = float(_figure(note, r"reduced by ([\d.]+) x income above", code))
        fix["basis"] = (f"taxpayer credit = {rate:g} x federal standard deduction {fed_std} (no dependents; "
                        "conformity to OBBBA not verified), reduced by credit_phaseout_rate x income above credit_phaseout_start")
    if code == "WI":
        fix["deduction_phaseout_start"] = int(_figure(note, r"income above (\d+)", code))
        fix["deduction_phaseout_rate"] = float(_figure(note, r"reduced by ([\d.]+) x income", code))
    if code == "IL":
        fix["exemption_income_limit"] = int(_figure(note, r"Exemption not allowed if AGI > (\d+)", code))
    if code == "AR":
        fix["caveat"] = ("The $29 personal credit is modelled; not modelled: above net income 95000 the bracket reduction "
                         "tapers (from $369 at 95001 to $89 at 97801 and above), so the brackets understate the tax there, "
                         "and low-income tax tables also apply.")
    if code == "CA":
        fix["caveat"] = ("The $153 personal exemption credit is modelled as flat; PolicyEngine also reduces it at high "
                         "incomes (ca/tax/income/exemptions/phase_out), which is not in coder-pay's sources or model.")
    return fix


# ---------------------------------------------------------------- tax law beyond the brackets (tax/policyengine/)
# Each figure below is read from a verbatim PolicyEngine parameter file in ../shared/sources/tax/policyengine/
# (or, where tax/SOURCES.md names no such file, from the state's note in state_income_tax.csv): the value in
# effect on TAX_DATE (the last dated entry on or before it). The rules that use them are in coder_pay/tax.py.
TAX_DATE = "2025-01-01"
PE_COMMIT = "8914f89da05465871c6bb62855853a85b244cd1e"


def _yaml_scalar(text: str) -> object:
    t = text.strip()
    if t in ("true", "false"):
        return t == "true"
    if t in (".inf", "inf"):
        return float("inf")
    try:
        return int(t.replace("_", ""))
    except ValueError:
        pass
    try:
        return float(t.replace("_", ""))
    except ValueError:
        return t


def read_yaml(path: Path) -> object:
    """The block-YAML subset PolicyEngine's parameter files use (mappings, lists of mappings or scalars,
    scalars, comments): enough to read their values, without a YAML dependency in the builder."""
    lines: list[tuple[int, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        body = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if body.strip():
            lines.append((len(body) - len(body.lstrip()), body.strip()))
    pos = 0

    def block(indent: int) -> object:
        nonlocal pos
        if pos < len(lines) and lines[pos][1].startswith("- "):
            items: list[object] = []
            while pos < len(lines) and lines[pos][0] == indent and lines[pos][1].startswith("- "):
                ind, text = lines[pos]
                rest = text[2:]
                if ":" in rest and not rest.startswith(("http", '"')):
                    lines[pos] = (ind + 2, rest)  # "- key: v" opens a mapping at indent+2
                    items.append(block(ind + 2))
                else:
                    pos += 1
                    items.append(_yaml_scalar(rest))
            return items
        out: dict[str, object] = {}
        while pos < len(lines) and lines[pos][0] == indent and not lines[pos][1].startswith("- "):
            text = lines[pos][1]
            key, _, value = text.partition(":")
            pos += 1
            if value.strip():
                out[key.strip()] = _yaml_scalar(value)
            elif pos < len(lines) and (lines[pos][0] > indent or lines[pos][1].startswith("- ")):
                out[key.strip()] = block(lines[pos][0])
            else:
                out[key.strip()] = None
        return out

    return block(lines[0][0]) if lines else {}


def dated(series: object, what: str) -> object:
    """The value of a {date: value} series (or {values: {...}}) in effect on TAX_DATE."""
    if isinstance(series, dict) and "values" in series:
        series = series["values"]
    if not isinstance(series, dict):
        return series
    keys = sorted(k for k in series if str(k) <= TAX_DATE)
    if not keys:
        raise SystemExit(f"build_table: {what} has no value on or before {TAX_DATE}")
    return series[keys[-1]]


def pe(folder: Path, name: str, status: str | None = "SINGLE") -> object:
    """A scalar PolicyEngine parameter (by filing status when the file is broken down by it)."""
    doc = read_yaml(folder / f"{name}.yaml")
    assert isinstance(doc, dict)
    if status and status in doc:
        return dated(doc[status], name)
    return dated(doc.get("values", doc), name)


def pe_scale(folder: Path, name: str, value_key: str = "amount") -> list[list[float]]:
    """A PolicyEngine bracket scale as [[threshold, amount or rate], ...] in effect on TAX_DATE."""
    doc = read_yaml(folder / f"{name}.yaml")
    assert isinstance(doc, dict) and isinstance(doc.get("brackets"), list)
    out: list[list[float]] = []
    for b in doc["brackets"]:
        assert isinstance(b, dict)
        t = dated(b["threshold"], name)
        v = dated(b[value_key], name)
        if isinstance(t, float) and t == float("inf"):
            continue
        out.append([t, v])  # type: ignore[list-item]
    return out


def pe_source(name: str) -> str:
    return f"tax/policyengine/{name}.yaml (PolicyEngine/policyengine-us@{PE_COMMIT[:10]}, value in force {TAX_DATE})"


def tax_law(folder: Path, code: str, note: str) -> dict[str, object]:
    """The phase-outs, deductions and credits tax/SOURCES.md lists for a single wage earner without
    children (issue 16 item 7): OH's exemption by income and $20 credit, OR's federal-tax subtraction,
    MO's and AL's federal-tax deductions, AL's deduction floor, CT's exemption phase-out, 2% phase-out
    add-back, recaptures and personal credit, MA's deduction of FICA, ID's grocery credit, ME's
    deduction phase-out, MD's exemption by income. Field meanings: table.StateTax."""
    f: dict[str, object] = {}
    src: list[str] = []
    if code == "OH":
        sched = pe_scale(folder, "oh_tax_income_exemptions_personal_amount")
        f["exemption_schedule"] = sched
        f["credit"] = int(_figure(note, r"\$(\d+) exemption credit", code))
        f["credit_taxable_income_below"] = int(_figure(note, r"exemption credit if income < (\d+)", code))
        src.append(pe_source("oh_tax_income_exemptions_personal_amount"))
    if code == "OR":
        f["federal_tax_deduction_caps"] = pe_scale(folder, "or_tax_income_subtractions_federal_tax_liability_cap_single")
        f["federal_tax_deduction_rates"] = [[0, 1.0]]
        f["credit"] = pe(folder, "or_tax_income_credits_exemption_amount")
        f["credit_income_limit"] = pe(folder, "or_tax_income_credits_exemption_income_limit_regular")
        src += [pe_source("or_tax_income_subtractions_federal_tax_liability_cap_single"),
                pe_source("or_tax_income_credits_exemption_amount")]
    if code == "MO":
        f["federal_tax_deduction_rates"] = pe_scale(folder, "mo_tax_income_deductions_federal_income_tax_rate")
        f["federal_tax_deduction_caps"] = [[0, pe(folder, "mo_tax_income_deductions_federal_income_tax_cap")]]
        src.append(pe_source("mo_tax_income_deductions_federal_income_tax_rate"))
    if code == "AL":
        credits = pe(folder, "al_tax_income_deductions_federal_tax_credits")
        if not isinstance(credits, list) or set(credits) - {"eitc", "american_opportunity_credit", "refundable_ctc"}:
            raise SystemExit(f"build_table: AL federal tax deduction credits changed: {credits!r}; review tax_law()")
        f["federal_tax_deduction_rates"] = [[0, 1.0]]  # less credits a single filer without children has none of
        f["deduction_minimum"] = int(_figure(note, r"minimum of (\d+)", code))
        f["deduction_minimum_above"] = int(_figure(note, r"above AGI (\d+)", code))
        src.append(pe_source("al_tax_income_deductions_federal_tax_credits"))
    if code == "CT":
        f["personal_exemption"] = pe(folder, "ct_tax_income_exemptions_personal_max_amount")
        f["exemption_reduction_start"] = pe(folder, "ct_tax_income_exemptions_personal_reduction_start")
        f["exemption_reduction_increment"] = pe(folder, "ct_tax_income_exemptions_personal_reduction_increment", None)
        f["exemption_reduction_amount"] = pe(folder, "ct_tax_income_exemptions_personal_reduction_amount", None)
        adds = [{"label": "phase-out of the 2% bracket", "start": pe(folder, "ct_tax_income_add_back_start"),
                 "increment": pe(folder, "ct_tax_income_add_back_increment"),
                 "amount": pe(folder, "ct_tax_income_add_back_amount"),
                 "max": pe(folder, "ct_tax_income_add_back_max_amount")}]
        if pe(folder, "ct_tax_income_recapture_low_in_effect", None) is True:
            adds.append({"label": "recapture (lower brackets)", "start": pe(folder, "ct_tax_income_recapture_low_start"),
                         "increment": pe(folder, "ct_tax_income_recapture_low_increment"),
                         "amount": pe(folder, "ct_tax_income_recapture_low_amount"),
                         "max": pe(folder, "ct_tax_income_recapture_low_max_amount")})
        adds.append({"label": "recapture (middle brackets)", "start": pe(folder, "ct_tax_income_recapture_middle_start"),
                     "increment": pe(folder, "ct_tax_income_recapture_middle_increment"),
                     "amount": pe(folder, "ct_tax_income_recapture_middle_amount"),
                     "max": pe(folder, "ct_tax_income_recapture_middle_max_amount")})
        f["tax_add_backs"] = [[a["start"], a["increment"], a["amount"], a["max"]] for a in adds]
        f["tax_add_back_labels"] = [a["label"] for a in adds]
        f["credit_fraction_schedule"] = pe_scale(folder, "ct_tax_income_agi_single")
        src += [pe_source("ct_tax_income_exemptions_personal_max_amount"), pe_source("ct_tax_income_add_back_amount"),
                pe_source("ct_tax_income_recapture_low_amount"), pe_source("ct_tax_income_agi_single")]
    if code == "MA":
        f["fica_deduction_cap"] = pe(folder, "ma_tax_income_deductions_public_retirement_contributions", None)
        src.append(pe_source("ma_tax_income_deductions_public_retirement_contributions"))
    if code == "ID":
        f["refundable_credit"] = pe(folder, "id_tax_income_credits_grocery_base_amount", None)
        f["refundable_credit_label"] = "grocery credit"
        src.append(pe_source("id_tax_income_credits_grocery_base_amount"))
    if code == "ME":
        f["deduction_phaseout_start"] = pe(folder, "me_tax_income_deductions_phase_out_start")
        f["deduction_phaseout_width"] = pe(folder, "me_tax_income_deductions_phase_out_width")
        src.append(pe_source("me_tax_income_deductions_phase_out_start"))
    if code == "WI":
        f["standard_deduction"] = pe(folder, "wi_tax_income_deductions_standard_max")
        scale = pe_scale(folder, "wi_tax_income_deductions_standard_phase_out_single", "rate")
        f["deduction_phaseout_start"], f["deduction_phaseout_rate"] = scale[-1]
        src.append(pe_source("wi_tax_income_deductions_standard_phase_out_single"))
    if code == "MD":
        m = re.search(r"Personal exemption (\d+) for AGI < (\d+); (\d+) from (\d+), (\d+) from (\d+), (\d+) from (\d+)", note)
        if not m:
            raise SystemExit("build_table: MD exemption note changed; review tax_law()")
        n = [int(x) for x in m.groups()]
        f["exemption_schedule"] = [[0, n[0]], [n[3], n[2]], [n[5], n[4]], [n[7], n[6]]]
        src.append("state_income_tax.csv note (PE md/tax/income/exemptions/personal/single.yaml)")
    if src:
        f["law_sources"] = "; ".join(src)
    return f


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return q(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + "}"
    return repr(v)


# What the model still leaves out, per state, said on that state's answers (`above`: only at incomes above it).
# Words, not figures, except figures quoted from tax/SOURCES.md or state_income_tax.csv's notes.
LOW_INCOME = ("not in coder-pay's sources (tax/SOURCES.md: PolicyEngine gives a single wage earner {amt} at $30,000); "
              "it lowers the tax of lower incomes")
LEFT_OUT_BY_STATE: dict[str, list[dict[str, object]]] = {
    "AL": [{"text": "AL's standard deduction phases down from $3,000 to $2,500 above AGI $26,000 at a pace not in "
                    "coder-pay's sources: $2,500 is used above $26,000 (at most $25 too much tax while it phases down)",
            "above": 26000},
           {"text": "Alabama lets filers itemize the Social Security and Medicare tax they paid (Code of Alabama "
                    "40-18-15), which beats the $2,500 standard deduction at most coders' pay; Alabama's itemized "
                    "deductions are not in coder-pay's sources, so the standard deduction is used (the tax is "
                    "overstated, by about 5% of the difference)"}],
    "AR": [{"text": "AR's bracket reduction tapers above net income $95,000 ($369 at 95,001 down to $89 at 97,801 "
                    "and above): not applied, so the tax is understated there", "above": 95000},
           {"text": "AR's low-income tax tables are not applied"}],
    "CA": [{"text": "CA reduces the $153 personal exemption credit at high incomes "
                    "(ca/tax/income/exemptions/phase_out, not in coder-pay's sources)"},
           {"text": "California's earned income tax credit (CalEITC, refundable, for lower incomes) is not in "
                    "coder-pay's sources"}],
    "CO": [{"text": "Colorado's TABOR sales-tax refund (refundable, a few dollars, when the state refunds a surplus) "
                    "is not in coder-pay's sources"}],
    "ID": [{"text": "Idaho's Permanent Building Fund tax (a flat amount on each return) is not in coder-pay's sources"}],
    "OR": [{"text": "Oregon's surplus credit ('kicker') on 2025 returns (refundable, a share of the 2024 tax) is not in "
                    "coder-pay's sources; it can lower Oregon's tax by several hundred dollars"}],
    "CT": [{"text": "CT's recapture for the highest incomes (beyond the middle-bracket recapture) is not in "
                    "coder-pay's sources", "above": 200000}],
    "HI": [{"text": "HI's refundable food/excise tax credit: " + LOW_INCOME.format(amt="$110")},
           {"text": "Hawaii's itemized deductions (which can beat its $4,400 standard deduction at higher pay) are not "
                    "in coder-pay's sources; the standard deduction is used"}],
    "DC": [{"text": "DC's low-income credit: " + LOW_INCOME.format(amt="$80")}],
    "ME": [{"text": "ME's sales and property tax fairness credits (refundable; the property part depends on rent paid): "
                    + LOW_INCOME.format(amt="$355")},
           {"text": "ME's personal exemption phase-out at high incomes (PE personal_exemption/phaseout/*) is not in "
                    "coder-pay's sources"}],
    "MN": [{"text": "MN's child and working families credit (refundable): " + LOW_INCOME.format(amt="$379")},
           {"text": "MN's standard deduction reduction at high AGI (PE deductions/standard/reduction/*) is not in "
                    "coder-pay's sources"}],
    "NM": [{"text": "NM's low-income rebate: " + LOW_INCOME.format(amt="$45")},
           {"text": "NM's low- and middle-income exemption (PE exemptions/low_and_middle_income/*) is not in "
                    "coder-pay's sources"}],
    "NY": [{"text": "NY's supplemental tax (recapture of the lower brackets' benefit at high incomes; PE "
                    "ny/.../supplemental/*) is not in coder-pay's sources"}],
    "RI": [{"text": "RI's standard deduction and exemption phase-outs at high income (PE deductions/standard/phase_out/*, "
                    "exemption/reduction/*) are not in coder-pay's sources"}],
}


# ---------------------------------------------------------------- local income and wage taxes (tax/local/)
LOCAL_SOURCES = {  # source_repo in local_income_tax_2025.csv -> [sources] key
    "PolicyEngine/policyengine-us": "local_policyengine_2025",
    "spurwork/laravel-taxes": "local_laravel_taxes_2020",
    "tashiscool/UsTaxes": "local_ustaxes_2025",
}
LOCAL_SOURCE_ENTRIES = [
    ("local_policyengine_2025", "2025 local income tax rates (city, county) via PolicyEngine US", "PolicyEngine US", 2025,
     "tax law", "https://github.com/PolicyEngine/policyengine-us",
     "tax/local/local_income_tax_2025.csv; PolicyEngine/policyengine-us@8914f89da0 gov/local and in/tax/income/county_rates.yaml"),
    ("local_laravel_taxes_2020", "City and occupational tax rates in the laravel-taxes payroll library (values of 2017-2020)",
     "spurwork/laravel-taxes", 2020, "payroll library (secondary; values 2017-2020, assumed unchanged for 2025)",
     "https://github.com/spurwork/laravel-taxes",
     "tax/local/local_income_tax_2025.csv; spurwork/laravel-taxes@5c3f66d715; see tax/local/PROVENANCE.md"),
    ("local_ustaxes_2025", "Pittsburgh earned income tax in the UsTaxes fork (labelled 2025; low confidence)",
     "tashiscool/UsTaxes", 2025, "tax software (secondary, low confidence)", "https://github.com/tashiscool/UsTaxes",
     "tax/local/local_income_tax_2025.csv; tashiscool/UsTaxes@0446302dea src/forms/Y2025/localForms/Pittsburgh"),
    ("local_pages_2025", "Local tax pages: Toledo Municipal Code, Cincinnati rate, Oregon Metro SHS, Portland Arts Tax",
     "city and regional governments (quoted pages)", 2025, "tax law (web pages)", "",
     "tax/local/local_income_tax_2025.csv and tax/local/raw/pages/*.txt"),
]

# Geography, not figures: the counties (by name, looked up in places/oews_area_definitions_M2021.csv for their
# FIPS code) that a city or district covers, where it is a county or a set of counties; and the names people and
# OMB's principal-city list (places/cbsa_principal_cities_2023.csv) use for it.
LOCAL_COUNTIES = {
    "New York City": ["Bronx County", "Kings County", "New York County", "Queens County", "Richmond County"],
    "Philadelphia": ["Philadelphia County"],
    "Baltimore City": ["Baltimore city"],
    "St. Louis (city)": ["St. Louis city"],
    "Denver": ["Denver County"],
    "Louisville Metro (Jefferson County)": ["Jefferson County"],
    "Lexington-Fayette Urban County": ["Fayette County"],
    "Fayette County Public Schools": ["Fayette County"],
    "Multnomah County Preschool for All (PFA)": ["Multnomah County"],
    "Metro Supportive Housing Services (SHS)": ["Multnomah County", "Washington County", "Clackamas County"],
}
LOCAL_CITIES = {
    "New York City": ["New York City", "New York", "Manhattan", "Brooklyn", "Bronx", "Queens", "Staten Island"],
    "Baltimore City": ["Baltimore"],
    "St. Louis (city)": ["St. Louis", "Saint Louis"],
    "Louisville Metro (Jefferson County)": ["Louisville", "Louisville/Jefferson County",
                                            "Louisville/Jefferson County metro government (balance)"],
    "Lexington-Fayette Urban County": ["Lexington", "Lexington-Fayette"],
    "Fayette County Public Schools": ["Lexington", "Lexington-Fayette"],
    "Multnomah County Preschool for All (PFA)": [],
    "Metro Supportive Housing Services (SHS)": [],
    "Portland Arts Tax": ["Portland"],
}
LOCAL_MERGE = {  # rows that are one jurisdiction under two names
    "Pittsburgh (city 1% + Pittsburgh School District 2%)": "Pittsburgh",
}
# Where the sources stop, per state (`local_gap` of [tax.states.XX]): said on after-tax answers for a place in that
# state that matches no jurisdiction.
LOCAL_GAPS = {
    "OH": "Ohio municipal income tax: only Columbus, Cleveland, Cincinnati, Toledo, Akron and Dayton are in coder-pay's "
          "sources; about 600 other Ohio municipalities and all school-district income taxes are not",
    "PA": "Pennsylvania local earned income tax: only Philadelphia and Pittsburgh are in coder-pay's sources; the other "
          "municipalities' and school districts' earned income taxes and the Local Services Tax are not",
    "KY": "Kentucky occupational license taxes: only Louisville (Jefferson County) and Lexington-Fayette are in "
          "coder-pay's sources; other cities' and counties' are not",
    "MI": "Michigan city income tax: 24 cities in coder-pay's sources tax income (values of 2020); this place is not one "
          "of them",
    "AL": "Alabama occupational taxes: only Birmingham's is in coder-pay's sources; other cities' are not",
    "CO": "Colorado occupational privilege taxes: only Denver, Aurora, Glendale, Greenwood Village and Sheridan are in "
          "coder-pay's sources",
    "MD": "Maryland county income tax (2.25 % to 3.3 % of Maryland taxable income) applies to every resident: "
          "the place names no county, so none is added; give a county, a ZIP or a county seat",
    "IN": "Indiana county income tax applies to every resident: the place names no county, so none is added; give a "
          "county or a ZIP",
    "OR": "Oregon local taxes: only Multnomah County's Preschool for All, Metro's SHS tax and Portland's Arts Tax are in "
          "coder-pay's sources (the Lane Transit District tax is not)",
    "NY": "New York local income tax: New York City and Yonkers are in coder-pay's sources",
    "MO": "Missouri earnings taxes: Kansas City and St. Louis (city) are in coder-pay's sources",
    "DE": "Delaware: Wilmington's earned income tax is in coder-pay's sources",
}


def _pct(text: str) -> float:
    return round(float(text.strip().rstrip("%")) / 100, 8)


def _local_rule(r: dict[str, str], rows_same: list[dict[str, str]]) -> dict[str, object]:
    """One resident or nonresident rule from one row (or two dated rows, blended over calendar 2025)."""
    rule: dict[str, object] = {"base": "flat" if r["base"] == "flat_per_period" else r["base"]}
    if r["base"] == "flat_per_period":
        m = re.match(r"([\d.]+)/(month|year)", r["period_amount"])
        if not m:
            raise SystemExit(f"build_table: local tax {r['jurisdiction']}: period amount {r['period_amount']!r}")
        amount, per = float(m.group(1)), m.group(2)
        rule["per_year"] = round(amount * (12 if per == "month" else 1), 2)
        t = re.search(r"(?:wages|income) >= ?(\d+)", r["threshold"])
        if t:
            rule["wage_threshold"] = int(t.group(1)) * (12 if "month" in r["threshold"] else 1)
        monthly = "month" in r["threshold"]
        rule["basis"] = (f"${amount:.2f} a {per}" + (" x 12" if per == "month" else "")
                         + ((f"; owed in a month with wages of at least ${t.group(1)} (x 12: even monthly pay)" if monthly
                             else f"; owed with income of at least ${t.group(1)}") if t else ""))
        return rule
    text = r["rate_or_schedule"]
    if len(rows_same) == 2:  # Philadelphia: one rate to 30 June 2025, another from 1 July
        a, b = sorted(rows_same, key=lambda x: x["effective_from"])
        rate = round((_pct(a["rate_or_schedule"]) + _pct(b["rate_or_schedule"])) / 2, 8)
        rule["rates"] = [[0, rate]]
        rule["basis"] = (f"{a['rate_or_schedule']} before {b['effective_from']} and {b['rate_or_schedule']} from then: "
                         f"half of 2025 each (even pay through the year)")
    elif ";" in text or ":" in text:
        rule["rates"] = [[int(f), _pct(p)] for f, p in (part.split(":") for part in text.split(";"))]
    else:
        rule["rates"] = [[0, _pct(text)]]
    if "fixed-rate-by-bracket" in r["note"]:
        rule["whole"] = True  # the bracket's rate on the whole base (PolicyEngine's reading of the form)
    m = re.match(r"(\d+) per personal exemption", r["threshold"])
    if m:
        rule["exemption"] = int(m.group(1))
    return rule


def _county_key(name: str) -> str:
    """'LaPorte County' and 'La Porte County', 'Baltimore City' and 'Baltimore city' are one county."""
    return re.sub(r"[^a-z]", "", name.lower())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"\(.*?\)", "", text).lower()).strip("_")


def build_local(src: Path, places: Path) -> str:
    """[tax.local.*]: one table per jurisdiction of tax/local/local_income_tax_2025.csv, with its matching keys
    (state, county FIPS, city names), resident and nonresident rules, source and year; [tax.local_gaps]."""
    out: list[str] = []
    w = out.append
    fips: dict[tuple[str, str], str] = {}
    for r in rows(places / "oews_area_definitions_M2021.csv"):
        fips[(r["State abbreviation"], _county_key(r["County name (or Township name for the New England states)"]))] = \
            r["FIPS code"].zfill(2) + r["County code"].zfill(3)
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    extra_notes: dict[tuple[str, str], list[str]] = {}
    for r in rows(src / "local_income_tax_2025.csv"):
        name = LOCAL_MERGE.get(r["jurisdiction"], r["jurisdiction"])
        if name.endswith("(income-based reduced rate)"):
            base = name.split(" (")[0]
            extra_notes.setdefault((r["state"], base), []).append(
                f"Not applied: an income-based reduced rate of {r['rate_or_schedule']} ({r['note']})")
            continue
        groups.setdefault((r["state"], name), []).append(r)
    write_sources(w, LOCAL_SOURCE_ENTRIES)
    w("# Local income and wage taxes, 2025, single filer (tax/local/local_income_tax_2025.csv). A jurisdiction is")
    w("# matched by state and county FIPS (`counties`) or city name (`cities`); resident_* taxes those who live in it,")
    w("# nonresident_* those who work in it and live elsewhere; `work_based`: taxes only work done in it.")
    w("# *_base: wages | state_taxable_income | state_tax | flat; *_rates: [[floor, rate], ...], marginal unless *_whole;")
    w("# *_exemption: taken off the base; flat: *_per_year, owed from *_wage_threshold (a year's wages).")
    seen: set[str] = set()
    for (state, name), rs in groups.items():
        key = f"{state.lower()}_{_slug(name)}"
        if key in seen:
            raise SystemExit(f"build_table: two local jurisdictions make the key {key}")
        seen.add(key)
        first = rs[0]
        kind = first["kind"]
        counties: list[str] = []
        county_names = LOCAL_COUNTIES.get(name, [name] if kind == "county" else [])
        for cn in county_names:
            code = fips.get((state, _county_key(cn)))
            if code is None:
                raise SystemExit(f"build_table: local tax {name}, {state}: county {cn!r} not in oews_area_definitions")
            counties.append(code)
        cities = LOCAL_CITIES.get(name, [] if kind == "county" else [re.sub(r"\s*\(.*\)", "", name)])
        res = [r for r in rs if r["applies_to"] in ("resident", "both")]
        non = [r for r in rs if r["applies_to"] in ("nonresident", "both")]
        notes = list(dict.fromkeys(r["note"] for r in rs)) + extra_notes.get((state, name), [])
        sources = sorted({LOCAL_SOURCES.get(r["source_repo"], "local_pages_2025") for r in rs},
                         key=lambda k: k != "local_policyengine_2025")  # PolicyEngine first; the others in the note
        w("")
        w(f"[tax.local.{key}]")
        w(f"name = {q(name)}")
        w(f"state = {q(state)}")
        w(f"kind = {q(kind)}")
        w(f"work_based = {toml_value(kind == 'occupational' or 'occupational' in first['note'].lower())}")
        w(f"counties = {toml_value(counties)}")
        w(f"cities = {toml_value(cities)}")
        for who, group in (("resident", res), ("nonresident", non)):
            if group:
                rule = _local_rule(group[0], [r for r in group if r["applies_to"] == group[0]["applies_to"]])
                for k, v in rule.items():
                    w(f"{who}_{k} = {toml_value(v)}")
        w(f"source = {q(sources[0])}")
        if len(sources) > 1:
            notes.append("Also from: " + ", ".join(sources[1:]) + " (see [sources]).")
        w(f"effective = {q('; '.join(dict.fromkeys(r['effective_from'] for r in rs)))}")
        w(f"note = {q(' '.join(notes))}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="?", type=Path, default=DEFAULT_SOURCES)
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="'-' for stdout")
    args = ap.parse_args(argv)
    text = build(args.sources)
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
        # the places (read only when a place is asked for) and the ZIP codes (only when a ZIP is), beside the table
        from build_places import build_places

        places, zips = build_places(args.sources)
        for name, data in (("places.toml", places.encode("utf-8")), ("zips.tsv.gz", zips)):
            args.output.with_name(name).write_bytes(data)
            print(f"wrote {args.output.with_name(name)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
