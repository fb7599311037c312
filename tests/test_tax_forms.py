"""Take-home as the forms compute it (issue 16 item 7): every state at $30k, $50k, $70k and $90k against a
figure worked out here, independently of the model and of the data table, from the source files themselves
(../shared/sources/tax: state_income_tax.csv, federal_2025.csv, fica.csv and the PolicyEngine parameter files
in tax/policyengine/). Each state's worksheet is written out below as its form has it.

The model reads the same law from the table the builder wrote; this file reads it from the sources with its
own small readers (a regex per figure), so a mistake in the builder, the table or the model shows here.
"""

from __future__ import annotations

import csv
import math
import re

import pytest

from coder_pay.table import Table
from coder_pay.tax import require_tax, take_home
from conftest import SOURCES

TAX = SOURCES / "tax"
PE = TAX / "policyengine"
needs_sources = pytest.mark.skipif(not TAX.is_dir(), reason="../shared/sources/tax is not beside this checkout")
INCOMES = (30_000, 50_000, 70_000, 90_000)


# --------------------------------------------------------------------------- the tests' own readers


def _rows(name: str) -> list[dict[str, str]]:
    with (TAX / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float:
    return float(text.replace("_", ""))


def series_2025(block: str) -> float:
    """The value in force in 2025 of a dated series written as lines `YYYY-MM-DD: value`."""
    found = [(d, v) for d, v in re.findall(r"(\d{4}-\d\d-\d\d):\s*([\d_.]+)", block) if d <= "2025-12-31"]
    return _num(max(found)[1])


def yaml_single(name: str) -> float:
    """A PolicyEngine parameter for a single filer (the `SINGLE:` series, or the file's only series)."""
    text = (PE / f"{name}.yaml").read_text(encoding="utf-8")
    m = re.search(r"^SINGLE:\s*\n((?:[ \t]+.*\n?)+)", text, re.M) or re.search(r"^values:\s*\n((?:[ \t]+.*\n?)+)", text, re.M)
    assert m, name
    return series_2025(m.group(1))


def yaml_scale(name: str, value: str = "amount") -> list[tuple[float, float]]:
    """[(threshold, amount or rate)] of a PolicyEngine bracket scale, as in force in 2025."""
    text = (PE / f"{name}.yaml").read_text(encoding="utf-8").split("brackets:")[1].split("\nmetadata:")[0]
    out = []
    for item in re.split(r"\n\s*- ", text)[1:]:
        th = re.search(r"threshold:\s*\n((?:\s+(?:values:|\d{4}-\d\d-\d\d:.*)\n?)+)", item + "\n")
        am = re.search(value + r":\s*\n((?:\s+(?:values:|\d{4}-\d\d-\d\d:.*)\n?)+)", item + "\n")
        assert th and am, item
        if ".inf" in th.group(1) and "2025" not in th.group(1):
            continue
        out.append((series_2025(th.group(1)), series_2025(am.group(1))))
    return out


def lookup(scale: list[tuple[float, float]], income: float) -> float:
    """A single-amount scale: the amount of the last threshold the income reaches."""
    return max(((t, a) for t, a in scale if income >= t), default=(0, 0.0))[1]


def marginal(brackets: list[tuple[float, float]], taxable: float) -> float:
    tax = 0.0
    for i, (floor, rate) in enumerate(brackets):
        top = brackets[i + 1][0] if i + 1 < len(brackets) else math.inf
        if taxable > floor:
            tax += (min(taxable, top) - floor) * rate
    return tax


FED = _rows("federal_2025.csv") if TAX.is_dir() else []
FED_BRACKETS = [(float(r["bracket_floor"]), float(r["rate"])) for r in FED if r["item"] == "bracket"]
FED_STD = next((float(r["amount"]) for r in FED if r["item"] == "standard_deduction"), 0.0)
FED_STD_PRE_OBBBA = next((float(r["amount"]) for r in FED if r["item"] == "standard_deduction_pre_obbba"), 0.0)
FICA = {r["item"]: r for r in _rows("fica.csv")} if TAX.is_dir() else {}
STATES: dict[str, list[dict[str, str]]] = {}
for _r in _rows("state_income_tax.csv") if TAX.is_dir() else []:
    STATES.setdefault(_r["state_code"], []).append(_r)


def federal_tax(wages: float) -> float:
    return marginal(FED_BRACKETS, max(0.0, wages - FED_STD))


def fica(wages: float) -> float:
    ss_row = FICA["social_security_employee"]
    ss = float(ss_row["rate"]) * min(wages, float(ss_row["threshold_or_wage_base"]))
    med = float(FICA["medicare_employee"]["rate"]) * wages
    return ss + med  # (the additional Medicare tax starts above these incomes)


def note(code: str) -> str:
    return STATES[code][0]["note"]


def figure(code: str, pattern: str) -> float:
    m = re.search(pattern, note(code))
    assert m, (code, pattern)
    return _num(m.group(1))


# --------------------------------------------------------------------------- the worksheets


def state_tax(code: str, wages: float) -> float:
    """The state's income tax on `wages` for a single filer without children, from the sources."""
    rows = STATES[code]
    brackets = [(float(r["bracket_floor"]), float(r["rate"])) for r in rows]
    sd_text = rows[0]["standard_deduction"]
    deduction = (FED_STD_PRE_OBBBA if code == "SC" else FED_STD) if sd_text == "FEDERAL" else float(sd_text)
    exemption = float(rows[0]["personal_exemption"])
    agi = wages
    fed = federal_tax(wages)
    credit = 0.0
    refundable = 0.0
    add = 0.0
    credit_share = 0.0
    subtract = 0.0
    if code == "OH":  # IT 1040 line 4: exemption by MAGI; $20 exemption credit while Ohio taxable income < 30,000
        exemption = lookup(yaml_scale("oh_tax_income_exemptions_personal_amount"), agi)
        if agi - exemption < figure("OH", r"if income < (\d+)"):
            credit = figure("OH", r"\$(\d+) exemption credit")
    elif code == "OR":  # OR-40: federal tax subtraction (capped by AGI), exemption credit below the income limit
        subtract = min(fed, lookup(yaml_scale("or_tax_income_subtractions_federal_tax_liability_cap_single"), agi))
        if agi <= yaml_single("or_tax_income_credits_exemption_income_limit_regular"):
            credit = series_2025((PE / "or_tax_income_credits_exemption_amount.yaml").read_text())
    elif code == "MO":  # MO-1040 lines 12-13: a share of federal tax by AGI, capped
        share = lookup(yaml_scale("mo_tax_income_deductions_federal_income_tax_rate"), agi)
        subtract = min(share * fed, yaml_single("mo_tax_income_deductions_federal_income_tax_cap"))
    elif code == "AL":  # Form 40: the whole federal income tax; standard deduction at its floor above AGI 26,000
        subtract = fed
        if agi > figure("AL", r"above AGI (\d+)"):
            deduction = figure("AL", r"minimum of (\d+)")
    elif code == "CT":  # CT-1040 tax calculation schedule: exemption phase-out, Table C add-back, Table E credit
        start = yaml_single("ct_tax_income_exemptions_personal_reduction_start")
        step = yaml_single("ct_tax_income_exemptions_personal_reduction_increment")
        cut = yaml_single("ct_tax_income_exemptions_personal_reduction_amount")
        exemption = max(0.0, yaml_single("ct_tax_income_exemptions_personal_max_amount")
                        - math.ceil(max(0.0, agi - start) / step) * cut)
        over = max(0.0, agi - yaml_single("ct_tax_income_add_back_start"))
        steps = math.ceil(over / yaml_single("ct_tax_income_add_back_increment"))
        add = min(steps * yaml_single("ct_tax_income_add_back_amount"), yaml_single("ct_tax_income_add_back_max_amount"))
        credit_share = lookup(yaml_scale("ct_tax_income_agi_single"), agi)
    elif code == "MA":  # Form 1 line 11: Social Security and Medicare paid, up to the cap
        subtract = min(fica(wages), yaml_single("ma_tax_income_deductions_public_retirement_contributions"))
    elif code == "ID":  # Form 40: the grocery credit, refundable
        refundable = yaml_single("id_tax_income_credits_grocery_base_amount")
    elif code == "WI":  # Form 1: standard deduction less 12% of income above the phase-out start
        scale = yaml_scale("wi_tax_income_deductions_standard_phase_out_single", "rate")
        deduction = max(0.0, yaml_single("wi_tax_income_deductions_standard_max") - scale[-1][1] * max(0.0, agi - scale[-1][0]))
    elif code == "MD":  # Form 502: exemption by AGI (3,200 below 100,000)
        exemption = figure("MD", r"Personal exemption (\d+) for AGI < 100000")
    elif code == "UT":  # TC-40: 6% of the federal standard deduction, less 1.3% of income above the base
        c = figure("UT", r"credit = ([\d.]+) x") * FED_STD
        credit = max(0.0, c - figure("UT", r"reduced by ([\d.]+) x") * max(0.0, agi - figure("UT", r"above (\d+) \(single")))
    elif code == "IL":
        if agi > figure("IL", r"AGI > (\d+)"):
            exemption = 0.0
    else:
        m = re.search(r"(?:credit|Personal tax credit|is a credit of) \$(\d+)", note(code))
        if m and code in ("AR", "CA", "DE", "IA", "NE"):
            credit = float(m.group(1))
    taxable = max(0.0, agi - deduction - exemption - subtract)
    tax = marginal(brackets, taxable) + add
    tax -= tax * credit_share
    tax = max(0.0, tax - credit)
    return tax - refundable


def hand_take_home(code: str, wages: float) -> float:
    return wages - federal_tax(wages) - fica(wages) - state_tax(code, wages)


# --------------------------------------------------------------------------- the law


@needs_sources
@pytest.mark.parametrize("code", sorted(STATES) if TAX.is_dir() else [])
def test_take_home_matches_the_forms_for_every_state(table: Table, code: str) -> None:
    tax = require_tax(table)
    for wages in INCOMES:
        got = take_home(tax, wages, code)
        want = hand_take_home(code, wages)
        assert abs(got.take_home - want) < 1, (code, wages, got.take_home, round(want, 2), got.state_working)


@needs_sources
def test_worked_examples_from_the_forms(table: Table) -> None:
    """A few worked through in full, as a preparer would (the figures are from the sources, the sums by hand)."""
    tax = require_tax(table)
    # OH $50,000: exemption $2,150 (MAGI over 40,000); taxable 47,850; 342.00 + 2.75% x (47,850 - 26,050) = 941.50
    # (PE encodes the 0% bracket as 1.31287% to 26,050, which is the $342 base amount.)
    assert take_home(tax, 50_000, "OH").state_income_tax == pytest.approx(941.50, abs=0.01)
    # OH $30,000: exemption $2,400; taxable 27,600 < 30,000 so the $20 credit: 342.00 + 2.75% x 1,550 - 20 = 364.63
    assert take_home(tax, 30_000, "OH").state_income_tax == pytest.approx(364.63, abs=0.01)
    # CT $70,000: exemption 0 (15,000 - 40 x 1,000); tax 200 + 1,800 + 5.5% x 20,000 = 3,100; add-back
    # ceil(13,500 / 5,000) x $25 = $75; credit 0% above 64,500: 3,175
    assert take_home(tax, 70_000, "CT").state_income_tax == pytest.approx(3175.00, abs=0.01)
    # CT $50,000: exemption 0; 200 + 4.5% x 40,000 = 2,000; credit 10% (AGI over 33,300): 1,800
    assert take_home(tax, 50_000, "CT").state_income_tax == pytest.approx(1800.00, abs=0.01)
    # MA $50,000: 5% x (50,000 - 4,400 exemption - 2,000 FICA deduction) = 2,180
    assert take_home(tax, 50_000, "MA").state_income_tax == pytest.approx(2180.00, abs=0.01)
    # ID $50,000: 5.3% x (50,000 - 15,750 - 4,811) = 1,560.27; less the $155 grocery credit = 1,405.27
    assert take_home(tax, 50_000, "ID").state_income_tax == pytest.approx(1405.27, abs=0.01)
    # MO $50,000: federal tax 3,871.50 x 15% (AGI 50,000 and up) = 580.73 deducted
    mo = take_home(tax, 50_000, "MO").state_working
    assert mo is not None and mo.federal_tax_deduction == pytest.approx(580.72, abs=0.01)


@needs_sources
def test_refundable_credit_can_leave_money_back(table: Table) -> None:
    # ID at $15,000: no Idaho tax (taxable 0 after the federal deduction); the $155 grocery credit is paid out
    r = take_home(require_tax(table), 15_000, "ID")
    assert r.state_income_tax == -155.0 and r.state_working is not None and r.state_working.refundable_credit == 155.0


@needs_sources
@pytest.mark.parametrize("code, words", [("ME", "fairness"), ("MN", "working families"), ("HI", "food"),
                                          ("DC", "low-income"), ("NM", "rebate")])
def test_low_income_credits_missing_from_the_sources_are_named(table: Table, code: str, words: str) -> None:
    r = take_home(require_tax(table), 30_000, code)
    assert r.flagged and any(words in c for c in r.caveats)


def test_states_whose_law_is_now_applied_are_not_flagged_at_coder_pay(table: Table) -> None:
    tax = require_tax(table)
    for code in ("OH", "MO", "WI", "MA", "MD", "CT"):
        for wages in INCOMES:
            r = take_home(tax, wages, code)
            assert not r.flagged, (code, wages, r.caveats)
    al = take_home(tax, 50_000, "AL")
    assert al.flagged and "2,500" in al.caveats[0] and "itemize" in al.caveats[0]
    # what PolicyEngine has and the sources do not is named: Oregon's kicker, Idaho's building fund tax
    assert "kicker" in take_home(tax, 50_000, "OR").caveats[0]
    assert "Building Fund" in take_home(tax, 50_000, "ID").caveats[0]
