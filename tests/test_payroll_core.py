"""Issue 15, the core: one money grammar, HR placeholders and years, a row's pay from its salary, hourly
and basis cells, and the audit's sums. Expected figures worked by hand in the comments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay import money, query
from coder_pay.money import HOUR, YEAR, MoneyError, bare_basis, low_pay_warning, read_money
from coder_pay.pay_audit import NOT_GIVEN, Tally, gap
from coder_pay.payroll import HRError, is_placeholder, parse_basis, parse_hr_years, read_pay, split_credentials
from coder_pay.query import UsageError

# --------------------------------------------------------------------------- the money grammar


@pytest.mark.parametrize("text, amount, per", [
    ("58,000/yr", 58000, YEAR), ("58000/year", 58000, YEAR), ("$58,000.00", 58000, None), ("58 k", 58000, None),
    ("58K", 58000, None), ("27hr", 27, HOUR), ("27/h", 27, HOUR), ("27 an hour", 27, HOUR), ("27.50 per hour", 27.5, HOUR),
    ("$24.50/hour", 24.5, HOUR), ("58,000 a year", 58000, YEAR), ("58k/yr", 58000, YEAR), ("27 hourly", 27, HOUR),
    ("58000 annually", 58000, YEAR), ("$ 27.50/hr.", 27.5, HOUR), ("62.5k", 62500, None), ("1.2m", 1_200_000, None),
    ("58000 per annum", 58000, YEAR), (" 58000 ", 58000, None),
])
def test_every_pay_form_reads(text: str, amount: float, per: str | None) -> None:
    m = read_money(text)
    assert m.amount == Decimal(str(amount)) and m.per == per


@pytest.mark.parametrize("text", ["-5", "27k/h", "abc", "58,00", "27 a", "1e5", "27.505", "", "$", "58000/month",
                                  "99999999999999999999999999999999"])
def test_malformed_amounts_are_refused_naming_what(text: str) -> None:
    with pytest.raises(MoneyError) as info:
        read_money(text, "--offer")
    assert info.value.message.startswith("--offer ")


def test_one_rule_for_a_bare_amount() -> None:
    assert bare_basis(Decimal("27")) == bare_basis(999.99) == HOUR
    assert bare_basis(Decimal("1000")) == bare_basis(58000) == YEAR


def test_offer_and_a_batch_cell_read_a_bare_27_alike(table) -> None:  # type: ignore[no-untyped-def]
    hours = table.hours_per_year
    s = query.read_salary(table, "27", positive=True)
    p = read_pay("27", None, None, hours)
    assert s.dollars == p.yearly == 27 * hours  # 27 x 2,080 = 56,160: never a verdict on $27 a year
    assert "read as an hourly rate" in s.notes[0] and "read as an hourly rate" in p.how


def test_an_explicit_yearly_amount_under_1000_is_no_salary(table) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="under \\$1,000 a year"):
        query.read_salary(table, "27/yr", positive=True)
    with pytest.raises(HRError, match="under \\$1,000 a year"):
        read_pay("27/yr", None, None, 2080)


def test_below_every_states_p10_warns_with_how_to_quote(table) -> None:  # type: ignore[no-untyped-def]
    floor = min(s.wages.p10 for s in table.states.values())
    s = query.read_salary(table, "8,000", "SALARY", positive=True)  # bash: $58,000 -> 8,000
    warning = s.notes[-1]
    assert "read as $8,000 a year" in warning and f"${floor:,.0f}" in warning
    assert "'$58,000'" in warning  # how to quote it
    assert query.read_salary(table, "58,000", positive=True).notes == ()  # an ordinary salary: nothing said


def test_the_low_pay_warning_names_the_shell_only_when_a_dollar_may_have_gone() -> None:
    assert low_pay_warning(30_000, "30000", 28_300, "x") is None
    w = low_pay_warning(8_000, "8,000", 28_300, "x", shell=True)
    assert w is not None and "shell" in w
    w = low_pay_warning(8_000, "$8,000", 28_300, "x", shell=True)
    assert w is not None and "shell" not in w
    w = low_pay_warning(8_000, "8,000", 28_300, "x", shell=False)
    assert w is not None and "shell" not in w


def test_parse_money_keeps_yearly_amounts_for_benefits() -> None:
    assert query.parse_money("10", "--health", allow_zero=True) == 10  # a benefit in dollars a year, not hourly
    with pytest.raises(UsageError):
        query.parse_money("10/h", "--health")


def test_money_has_one_max() -> None:
    assert query.MAX_SALARY == money.MAX_SALARY


# --------------------------------------------------------------------------- HR cells


@pytest.mark.parametrize("cell", ["", "  ", "N/A", "n/a", "NA", "None", "-", "--", "n.a.", "unknown", "Unknown", "NULL"])
def test_placeholders_mean_not_given(cell: str) -> None:
    assert is_placeholder(cell)


@pytest.mark.parametrize("cell", ["NAB", "ND", "0", "Nonetheless", "CPC"])
def test_values_are_not_placeholders(cell: str) -> None:
    assert not is_placeholder(cell)


@pytest.mark.parametrize("cell, years", [
    ("10+", 10), ("<1", 0), ("< 1 yr", 0), ("less than 1 year", 0), ("2 yrs 6 mos", 2.5), ("2 years, 6 months", 2.5),
    ("18 months", 1.5), ("6 mos", 0.5), ("3.5", 3.5), ("4 yrs", 4), ("over 10", 10), ("N/A", None), ("", None),
])
def test_years_as_hr_writes_them(cell: str, years: float | None) -> None:
    assert parse_hr_years(cell) == years


@pytest.mark.parametrize("cell", ["abc", "60", "1-2", "-1", "ten"])
def test_bad_years_fail_the_row(cell: str) -> None:
    with pytest.raises(HRError) as info:
        parse_hr_years(cell)
    assert info.value.code == "bad_years"


@pytest.mark.parametrize("cell, basis", [("Hourly", HOUR), ("hourly", HOUR), ("Salary", YEAR), ("Salaried", YEAR),
                                         ("Annual", YEAR), ("N/A", None)])
def test_pay_basis_words(cell: str, basis: str | None) -> None:
    assert parse_basis(cell) == basis


def test_an_unknown_pay_basis_fails() -> None:
    with pytest.raises(HRError, match="Weekly"):
        parse_basis("Weekly")


# --------------------------------------------------------------------------- a row's pay


def test_the_hourly_cell_is_read_when_the_salary_is_empty() -> None:
    p = read_pay("", "27.50", "Hourly", 2080)
    assert p is not None and p.yearly == 57_200 and p.hourly == 27.5  # 27.50 x 2,080
    assert "x 2,080 hours = $57,200 a year" in p.how


def test_two_cells_that_agree_give_the_salary() -> None:
    p = read_pay("57,200", "27.50", "Hourly", 2080)
    assert p is not None and p.yearly == 57_200 and p.how == ""
    p = read_pay("57,400", "27.50", None, 2080, agreement=0.01)  # within 1 %: an HR system's 2,088 hours
    assert p is not None and p.yearly == 57_400


def test_without_a_tolerance_two_cells_must_agree_to_the_dollar() -> None:
    with pytest.raises(HRError) as info:
        read_pay("57,400", "27.50", None, 2080)  # a table without [benefits] pay_agreement
    assert info.value.code == "pay_conflict" and "$200" in info.value.message
    assert read_pay("57,200", "27.50", None, 2080) is not None


def test_the_tolerance_is_the_tables() -> None:
    from coder_pay import load_table

    table = load_table()
    assert table.pay_agreement == 0.01  # data/coder_pay.toml [benefits] pay_agreement
    p = read_pay("57,772", "27.50", None, table.hours_per_year, agreement=table.pay_agreement)  # 1 % of 57,772 = 577.72
    assert p is not None and p.yearly == 57_772
    with pytest.raises(HRError):
        read_pay("57,780", "27.50", None, table.hours_per_year, agreement=table.pay_agreement)  # 580 > 577.80


def test_two_cells_that_disagree_are_flagged() -> None:
    with pytest.raises(HRError) as info:
        read_pay("60,000", "27.50", None, 2080)
    assert info.value.code == "pay_conflict" and "$2,800" in info.value.message  # 60,000 - 57,200


@pytest.mark.parametrize("salary, hourly, basis", [("27.50", "", "Salary"), ("", "58000", "Hourly"),
                                                    ("", "27/h", "Salary")])
def test_a_basis_that_contradicts_the_amount_is_flagged(salary: str, hourly: str, basis: str) -> None:
    with pytest.raises(HRError) as info:
        read_pay(salary, hourly, basis, 2080)
    assert info.value.code == "pay_conflict"


def test_an_hourly_row_may_carry_its_annualized_salary() -> None:
    p = read_pay("58000", "", "Hourly", 2080)
    assert p is not None and p.yearly == 58_000


def test_no_pay_is_none_and_placeholders_are_no_pay() -> None:
    assert read_pay("N/A", "--", "N/A", 2080) is None
    assert read_pay(None, None, None, 2080) is None


def test_an_hourly_rate_without_hours_in_the_table_fails() -> None:
    with pytest.raises(HRError, match="hours_per_year"):
        read_pay("", "27.50", None, None)


# --------------------------------------------------------------------------- credentials


def test_credentials_split_into_priced_no_figure_and_unknown() -> None:
    known = {"CPC": 1, "CCS": 1}
    nf = frozenset({"CEMC", "CCDS"})
    assert split_credentials("CPC, CEMC", known, nf) == (("CPC",), ("CEMC",), ())
    assert split_credentials("CPC; XYZ and ccs", known, nf) == (("CPC", "ccs"), (), ("XYZ",))
    assert split_credentials("N/A", known, nf) == ((), (), ())
    assert split_credentials("CPC-A", known, nf, lambda c: c == "CPC-A") == (("CPC-A",), (), ())


# --------------------------------------------------------------------------- the audit's sums


def test_the_audit_sums_by_hand() -> None:
    t = Tally("Department", top=2)
    # Coding: salaries 40,000 (low 44,000, typical 50,000), 52,000 (44,000 / 50,000), 60,000 (50,000 / 60,000)
    t.add("Coding", 40_000, 44_000, 50_000, row=1, kept={"ID": "A1"}, percentile=12.0)
    t.add("Coding", 52_000, 44_000, 50_000, row=2, kept={"ID": "A2"})
    t.add("Coding", 60_000, 50_000, 60_000, row=4, kept={"ID": "A4"})
    # Billing: 45,000 (low 46,000, typical 55,000); one row without pay, one failed
    t.add("Billing", 45_000, 46_000, 55_000, row=5, kept={"ID": "B5"})
    t.unpriced("Billing")
    t.failed("")
    r = t.report()
    assert [g.value for g in r.groups] == ["Billing", "Coding", NOT_GIVEN]
    billing, coding, missing = r.groups
    assert (coding.count, coding.median_salary, coding.median_typical) == (3, 52_000, 50_000)
    assert (coding.below_low, coding.below_typical) == (1, 1)
    assert (coding.cost_to_low, coding.cost_to_typical) == (4_000, 10_000)
    assert (billing.count, billing.without_salary, billing.cost_to_low, billing.cost_to_typical) == (1, 1, 1_000, 10_000)
    assert missing.failed == 1 and missing.count == 0 and missing.median_salary is None
    total = r.total
    assert total.count == 4 and total.median_salary == 48_500  # (45,000 + 52,000) / 2
    assert total.median_typical == 52_500  # typicals 50,000 50,000 55,000 60,000
    assert (total.cost_to_low, total.cost_to_typical, total.without_salary, total.failed) == (5_000, 20_000, 1, 1)
    assert r.rows == 6
    # furthest below: compa-ratios 40/50 = 0.80 (row 1), 45/55 = 0.818 (row 5); top 2
    assert [(b.row, b.gap, b.kept) for b in r.furthest] == [(1, 10_000, {"ID": "A1"}), (5, 10_000, {"ID": "B5"})]
    assert r.furthest[0].as_dict()["percentile"] == 12.0


def test_gap_is_target_minus_salary_and_never_negative() -> None:
    assert gap(40_000, 50_000) == 10_000
    assert gap(50_000, 50_000) == gap(60_000, 50_000) == 0
    assert gap(49_999.6, 50_000) == 0 and gap(49_999.4, 50_000) == 1


def test_the_furthest_below_keep_only_the_worst() -> None:
    t = Tally("state", top=3)
    for i in range(1, 101):  # ratio i / 100 of a 100,000 typical
        t.add("OH", i * 1_000, 80_000, 100_000, row=i)
    assert [b.row for b in t.report().furthest] == [1, 2, 3]


def _split_credentials_general(cell: str, known: Any, no_figure: Any, is_apprentice: Any) -> tuple[Any, ...]:
    """split_credentials as first written: each part stripped and checked by is_placeholder."""
    import re

    kn: list[str] = []
    nf: list[str] = []
    un: list[str] = []
    if is_placeholder(cell):
        return ((), (), ())
    for part in re.split(r"[,;|/+&\s]+|\band\b", cell, flags=re.IGNORECASE):
        p = part.strip().strip(".")
        if not p or is_placeholder(p):
            continue
        code = p.upper()
        if code in known or (is_apprentice is not None and is_apprentice(code)):
            kn.append(p)
        elif code in no_figure:
            if code not in nf:
                nf.append(code)
        elif p not in un:
            un.append(p)
    return (tuple(kn), tuple(nf), tuple(un))


_CODES = ["CPC", "cpc", "CCS", "CRC", "CCS-P", "CPC-A", "CEMC", "ccds", "XYZ", "N/A", "NA", "None", "-", "?", "n.a.",
          "and", "AND", "Unknown", "tbd", "—", "CPC.", ".", ""]


@settings(max_examples=400)
@given(st.one_of(
    st.tuples(st.lists(st.sampled_from(_CODES), max_size=4), st.sampled_from([", ", "; ", "/", " and ", " ", "|", " & ", "+"]))
    .map(lambda t: t[1].join(t[0])),
    st.text(st.sampled_from(list("CPSAcpa-./,; \t\u00a0&|+?—nNdDéİ")), max_size=14)))
def test_split_credentials_is_the_general_reading(cell: str) -> None:
    """split_credentials' cheaper placeholder check on a part (which holds no whitespace) reads every cell as the
    general reading does."""
    known = {"CPC": 1, "CCS": 1, "CRC": 1, "CCS-P": 1}
    nf = frozenset({"CEMC", "CCDS"})
    for apprentice in (None, lambda c: c == "CPC-A"):
        assert tuple(split_credentials(cell, known, nf, apprentice)) == \
            _split_credentials_general(cell, known, nf, apprentice)
