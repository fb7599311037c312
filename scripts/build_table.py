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
                                  "Offices of Physicians"],
    "settings.outpatient": ["outpatient care", "outpatient care center", "Outpatient Care Centers", "ambulatory",
                            "ambulatory care", "ambulatory surgery center", "surgery center", "ASC", "urgent care"],
    "settings.nursing-care": ["nursing home", "nursing homes", "skilled nursing", "skilled nursing facility", "SNF",
                              "long-term care", "nursing care facility", "Nursing Care Facilities",
                              "Nursing Care Facilities (Skilled Nursing Facilities)"],
    "settings.home-health": ["home health", "home health care", "home health agency", "home care",
                             "Home Health Care Services"],
    "settings.insurance": ["insurer", "insurance company", "insurance carrier", "Insurance Carriers", "payer", "payor",
                           "health plan", "health insurance", "health insurer", "managed care"],
    "settings.consulting": ["consultant", "consulting firm", "auditing", "coding audit", "consulting / auditing"],
}


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


def build(src: Path) -> str:
    out: list[str] = []
    w = out.append

    national = {r["year"][:4]: r for r in rows(src / "bls_oews_29-2072_national.csv")}
    n24, n23 = national["2024"], national["2023"]
    nat_dist = {10: int(n24["a_p10"]), 25: int(n24["a_p25"]), 50: int(n24["a_median"]),
                75: int(n24["a_p75"]), 90: int(n24["a_p90"])}
    states = rows(src / "bls_oews_29-2072_state_percentiles.csv")
    rpp = {r["state_code"]: r for r in rows(src / "bea_rpp_states.csv")}
    article = rows(src / "industry_article_figures.csv")
    art = {(r["category"], r["group"]): r for r in article}
    certs = rows(src / "certification_costs_and_premiums.csv")
    cert = {(r["item"], r["group"]): r for r in certs}
    aapc = rows(src / "aapc_ahima_salary_figures.csv")
    industry = {r["industry"]: r for r in rows(src / "bls_oes_29-2071_industry_2011.csv")}

    w("# coder-pay data table. Built by scripts/build_table.py from ../shared/sources;")
    w("# edit the numbers freely (then run `coder-pay data validate`), or rebuild from the sources.")
    w("# Every figure names a [sources.*] entry; `basis` says how a derived figure was computed.")
    w("# The format is documented in README.md, section 'The data table'.")
    w("")
    w("format = 1")
    w("")
    w("[meta]")
    w('occupation = "Medical Records Specialists (BLS SOC 29-2072, includes medical coders)"')
    w("wage_year = 2024")
    w("price_year = 2023")
    w('currency = "USD"')
    w("")

    # ---------------------------------------------------------------- sources
    w("# ---------------------------------------------------------------- sources")
    sources = [
        ("oews_national_2024", "BLS OEWS May 2024, national, 29-2072", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", n24["source"]),
        ("oews_national_2023", "BLS OEWS May 2023, national, 29-2072", "BLS", 2023, "survey",
         "https://www.bls.gov/oes/", n23["source"]),
        ("oews_state_2024", "BLS OEWS May 2024, state percentiles, 29-2072", "BLS", 2024, "survey",
         "https://www.bls.gov/oes/", states[0]["source"].split("; row")[0]),
        ("bea_rpp_2023", "BEA Regional Price Parities by state, 2023", "BEA", 2023, "statistics",
         "https://www.bea.gov/data/prices-inflation/regional-price-parities-state-and-metro-area",
         "BEA SARPP_STATE_2008_2023 (last updated 2025-02-20), via github:camnoval/MedianLivingIndex"),
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
        ("oes_industry_2011", "BLS OES May 2011, industries, 29-2071 (old SOC, broader group)", "BLS", 2011,
         "survey (historical)", "https://www.bls.gov/oes/", "UNT web archive copy of the BLS OES May 2011 page"),
        ("industry_article", "Career-guide article 'What Is Medical Coding Salary? Complete Guide to Career Earnings'",
         "unattributed", 0, "industry article", "", "undated, unattributed article; its figures are claims, not survey results"),
        ("policyengine_2025", "2025 tax parameters (IRS, SSA, state revenue departments) via PolicyEngine US", "PolicyEngine US",
         2025, "tax law", "https://github.com/PolicyEngine/policyengine-us",
         "PolicyEngine/policyengine-us@8914f89da05465871c6bb62855853a85b244cd1e, parameters/gov"),
        ("assumption", "No public figure: an assumption of coder-pay, change it in the table", "coder-pay", 0,
         "assumption", "", "no public source gives this number"),
    ]
    for key, name, publisher, year, kind, url, origin in sources:
        w(f"[sources.{key}]")
        w(f"name = {q(name)}")
        w(f"publisher = {q(publisher)}")
        w(f"year = {year}  # 0 = undated")
        w(f"kind = {q(kind)}")
        w(f"url = {q(url)}")
        w(f"origin = {q(origin)}")
        w("")

    # ---------------------------------------------------------------- national
    w("# ---------------------------------------------------------------- wages")
    w("# Annual wages (hourly x 2,080), wage-and-salary workers only.")
    w("[national]")
    w('source = "oews_national_2024"')
    w(f"employment = {n24['employment']}")
    w(f"mean = {n24['annual_mean']}")
    for p in PCTS:
        w(f"p{p} = {nat_dist[p]}")
    w("")
    g = int(n24["a_median"]) / int(n23["a_median"]) - 1
    w("# Yearly wage growth, used by --as-of to age the wages. May be negative.")
    w("[wage_growth]")
    w(f"rate = {g:.4f}")
    w("from_year = 2023")
    w("to_year = 2024")
    w('source = "oews_national_2023"')
    m23, m24 = int(n23["a_median"]), int(n24["a_median"])
    w(f"basis = {q(f'BLS national median May 2023 ${m23:,} -> May 2024 ${m24:,}')}")
    w("")

    w("# Every state + DC: BLS OEWS May 2024 percentiles, BEA 2023 price parities (US = 100).")
    for r in sorted(states, key=lambda r: r["state_code"]):
        code = r["state_code"]
        if code not in rpp or code == "US":
            continue  # territories: no BEA price parity
        pr = rpp[code]
        w(f"[states.{code}]")
        w(f"name = {q(r['state_name'])}")
        w('wage_source = "oews_state_2024"')
        w(f"employment = {r['employment']}")
        w(f"mean = {r['annual_mean']}")
        w(f"p10 = {r['p10']}")
        w(f"p25 = {r['p25']}")
        w(f"p50 = {r['p50']}")
        w(f"p75 = {r['p75']}")
        w(f"p90 = {r['p90']}")
        w('price_source = "bea_rpp_2023"')
        w(f"rpp_all = {float(pr['rpp_all_items_2023']):.3f}")
        w(f"rpp_housing = {float(pr['rpp_housing_2023']):.3f}")
        w("")

    # ---------------------------------------------------------------- experience
    w("# ---------------------------------------------------------------- experience and roles")
    w("# A band is three positions (percentiles, 10-90) on the state's wage distribution:")
    w("# low, typical, high. With no experience given the band is the whole market.")
    w("[market]")
    w("positions = [25, 50, 75]")
    w('source = "oews_state_2024"')
    w('basis = "the middle half of all coders in the state: 25th, 50th and 75th percentiles"')
    w("")
    levels = [("entry", "Entry level (0-2 years)", 0, 2, "entry-level (0-2 years)"),
              ("mid", "Mid level (3-5 years)", 3, 5, "mid-level (3-5 years)"),
              ("senior", "Senior (6+ years)", 6, 50, "senior (6+ years)")]
    for key, label, lo_y, hi_y, group in levels:
        a = art[("experience", group)]
        lo, hi = int(a["low"]), int(a["high"])
        pos = [percentile_of(lo, nat_dist), percentile_of((lo + hi) / 2, nat_dist), percentile_of(hi, nat_dist)]
        pos_i = [round(x) for x in pos]
        w(f"[levels.{key}]")
        w(f"label = {q(label)}")
        w(f"min_years = {lo_y}")
        w(f"max_years = {hi_y}")
        w(f"positions = [{', '.join(str(x) for x in pos_i)}]")
        w('source = "industry_article"')
        w(f"basis = {q(f'article range ${lo:,}-${hi:,} (and its midpoint) placed on the BLS May 2024 national distribution, clamped to 10-90')}")
        w("")

    raise_row = art[("career", "promotion raise")]
    w("# Roles above senior coder: the senior band raised by one promotion step each.")
    w("[promotion]")
    w(f"raise = {int(raise_row['low']) / 100:.2f}")
    w('source = "industry_article"')
    basis = "low end of the article's 15-30% per step; it reproduces the article's own manager range ($75,000-$100,000)"
    w(f"basis = {q(basis)}")
    w("")
    roles = [("supervisor", "Coding supervisor", 1, 9), ("manager", "Coding manager", 2, 12),
             ("director", "Director of HIM", 3, 16)]
    for key, label, steps, years in roles:
        w(f"[roles.{key}]")
        w(f"label = {q(label)}")
        w(f"steps_above_senior = {steps}")
        w(f"typical_years = {years}")
        w('years_source = "assumption"')
        w("")

    # ---------------------------------------------------------------- credentials
    w("# ---------------------------------------------------------------- credentials")
    w("# Pay with credentials = band x multiplier for the number of credentials held.")
    w("# Baseline: the BLS market band counts as uncertified pay (AAPC 2025 non-certified average")
    w("# $55,721 is within 0.5% of the BLS May 2024 mean $55,970).")
    c_yes = int(cert[("average salary", "certified (AAPC 2025 survey)")]["value"])
    c_no = int(cert[("average salary", "not certified (AAPC 2025 survey)")]["value"])
    c_three = int(cert[("average salary", "three or more credentials (AAPC 2025 survey)")]["value"])
    a19 = {r["group"]: int(r["value"]) for r in aapc if r["income_year"] == "2019?"}
    two_vs_one = a19["two credentials"] / a19["certified (all orgs: AAPC, AHIMA, other)"]
    m1 = c_yes / c_no
    m3 = c_three / c_no
    m2 = m1 * two_vs_one
    w("[credential_count.1]")
    w(f"multiplier = {m1:.4f}")
    w('source = "aapc_2025"')
    w(f"basis = {q(f'certified ${c_yes:,} / not certified ${c_no:,}')}")
    w("")
    w("[credential_count.2]")
    w(f"multiplier = {m2:.4f}")
    w('source = "aapc_2019"')
    two, any_c = a19["two credentials"], a19["certified (all orgs: AAPC, AHIMA, other)"]
    w(f"basis = {q(f'one-credential multiplier x AAPC 2019 two credentials ${two:,} / certified ${any_c:,} (no 2025 figure for two)')}")
    w("")
    w("[credential_count.3]")
    w(f"multiplier = {m3:.4f}")
    w('source = "aapc_2025"')
    w(f"basis = {q(f'three or more credentials ${c_three:,} / not certified ${c_no:,}; used for 3 or more')}")
    w("")

    exam = int(cert[("exam fee", "CPC (one attempt)")]["value"])
    student = int(cert[("membership", "AAPC student (yearly)")]["value"])
    pro = int(cert[("membership", "AAPC professional (yearly)")]["value"])
    apprentice = cert[("average salary", "CPC-A (apprentice)")]
    full = cert[("average salary", "CPC (same survey)")]
    credentials = [
        ("CPC", "Certified Professional Coder", "AAPC", True),
        ("COC", "Certified Outpatient Coder", "AAPC", False),
        ("CIC", "Certified Inpatient Coder", "AAPC", False),
        ("CRC", "Certified Risk Adjustment Coder", "AAPC", False),
        ("CPMA", "Certified Professional Medical Auditor", "AAPC", False),
        ("CPB", "Certified Professional Biller", "AAPC", False),
        ("CCS", "Certified Coding Specialist", "AHIMA", False),
        ("CCS-P", "Certified Coding Specialist - Physician-based", "AHIMA", False),
        ("CCA", "Certified Coding Associate", "AHIMA", False),
        ("RHIT", "Registered Health Information Technician", "AHIMA", False),
        ("RHIA", "Registered Health Information Administrator", "AHIMA", False),
        ("CDIP", "Certified Documentation Integrity Practitioner", "AHIMA", False),
    ]
    w("# Costs: only where a public figure exists; a missing exam_fee means 'no public figure'.")
    for code, name, body, known in credentials:
        w(f'[credentials."{code}"]')
        w(f"name = {q(name)}")
        w(f"body = {q(body)}")
        if known:
            w(f"exam_fee = {exam}")
            w(f"first_year_membership = {student}")
            w(f"yearly_membership = {pro}")
            w('cost_source = "aapc_fees_2026"')
            ap_v, full_v = int(apprentice["value"]), int(full["value"])
            w(f"apprentice_ratio = {ap_v / full_v:.2f}")
            w('apprentice_source = "aapc_2010"')
            w(f"apprentice_basis = {q(f'CPC-A average ${ap_v:,} / CPC average ${full_v:,} in the same survey')}")
            w("apprentice_months = 24")
            w('apprentice_months_source = "assumption"')
        elif body == "AAPC":
            w(f"yearly_membership = {pro}")
            w('cost_source = "aapc_fees_2026"')
            w(f'cost_note = {q("exam fee: no public figure for this credential (AAPC fees range $117-$425)")}')
        else:
            w('cost_note = "AHIMA exam fee: no public figure"')
        w('premium_note = "no credential-specific public figure; the certified-vs-non-certified premium applies"')
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

    overall_2011 = int(national["2011"]["annual_mean"])
    w(f"# Setting factor = BLS 2011 industry mean / all-industry mean ${overall_2011:,} where BLS has the")
    w("# industry; insurance and consulting only in the article, scaled to the BLS hospital factor.")
    w("[settings.any]")
    w('label = "Any setting (whole market)"')
    out.extend(aliases("settings.any"))
    w("factor = 1.0")
    w('source = "oews_state_2024"')
    w('basis = "the market as a whole"')
    w("")
    bls_settings = [("hospital", "General Medical and Surgical Hospitals", "Hospital"),
                    ("physician-office", "Offices of Physicians", "Physician office"),
                    ("outpatient", "Outpatient Care Centers", "Outpatient care center"),
                    ("nursing-care", "Nursing Care Facilities", "Nursing care facility"),
                    ("home-health", "Home Health Care Services", "Home health care")]
    hosp_factor = int(industry["General Medical and Surgical Hospitals"]["annual_mean"]) / overall_2011
    for key, ind, label in bls_settings:
        m = int(industry[ind]["annual_mean"])
        w(f"[settings.{key}]")
        w(f"label = {q(label)}")
        out.extend(aliases(f"settings.{key}"))
        w(f"factor = {m / overall_2011:.3f}")
        w('source = "oes_industry_2011"')
        w(f"basis = {q(f'{ind} mean ${m:,} / all industries ${overall_2011:,} (2011, old SOC 29-2071)')}")
        w("")
    art_hosp = art[("setting", "hospital")]
    hosp_mid = (int(art_hosp["low"]) + int(art_hosp["high"])) / 2
    for key, group, label in (("insurance", "insurance company", "Insurance company"),
                              ("consulting", "consulting / auditing", "Consulting / auditing")):
        r = art[("setting", group)]
        lo, hi = int(r["low"]), int(r["high"])
        mid = (lo + hi) / 2
        w(f"[settings.{key}]")
        w(f"label = {q(label)}")
        out.extend(aliases(f"settings.{key}"))
        w(f"factor = {mid / hosp_mid * hosp_factor:.3f}")
        w('source = "industry_article"')
        w(f"basis = {q(f'article range ${lo:,}-${hi:,}: midpoint ${mid:,.0f} / article hospital midpoint ${hosp_mid:,.0f} x BLS hospital factor {hosp_factor:.3f}')}")
        w("")

    w("# Remote: pay set nationally. The band uses the national distribution whatever the state;")
    w("# the state only sets the price level. AAPC reports no remote pay differential.")
    w("[remote]")
    w("factor = 1.0")
    w('source = "aapc_2023"')
    w('basis = "national band; AAPC 2023: 55% remote, no remote pay differential reported; the article: remote pay is set regardless of location"')
    w("")

    # ---------------------------------------------------------------- offers, careers
    w("# ---------------------------------------------------------------- offers and careers")
    w("[benefits]")
    w("work_days_per_year = 260")
    w('source = "oews_national_2024"')
    w('basis = "BLS annual wage = hourly x 2,080 hours = 52 weeks x 5 days x 8 hours"')
    w("")
    w("# Related careers, compared by `career`.")
    for key, group in (("billing", "medical billing specialist"),
                       ("hit", "health information technician"),
                       ("records", "medical records specialist")):
        r = art[("related_career", group)]
        w(f"[related.{key}]")
        w(f"label = {q(group[0].upper() + group[1:])}")
        w(f"low = {r['low']}")
        w(f"high = {r['high']}")
        w('source = "industry_article"')
        w("")

    # ---------------------------------------------------------------- tax
    w(build_tax(src / "tax"))
    return "\n".join(out).rstrip() + "\n"


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
    misstated = {"AL", "AR", "CA", "CT", "MD", "ME", "MN", "MO", "NM",
                 "NY", "OH", "RI", "SC"}
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
        w(f"[tax.states.{code}]")
        w("brackets = [" + ", ".join(f"[{int(r['bracket_floor'])}, {float(r['rate'])}]" for r in rs) + "]")
        w(f"standard_deduction = {sd_val}")
        w(f"personal_exemption = {int(first['personal_exemption'])}")
        w(f"brackets_misstate = {'true' if code in misstated else 'false'}")
        w(f"note = {q(note)}")
        fix = state_corrections(code, first["note"], fed_std)
        for key, value in fix.items():
            w(f"{key} = {q(value) if isinstance(value, str) else value}")
        w("")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
