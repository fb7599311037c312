"""The values typed to the decision commands: salaries, offers, rates, percents, CODE@YEAR."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coder_pay.query import (
    UsageError,
    parse_add_cert,
    parse_money,
    parse_offer,
    parse_percent,
    parse_rate,
    parse_salary,
    resolve_format,
)
from decide_support import table

T = table()


@pytest.mark.parametrize("text", ["65000", "65,000", "65k", "65K", "$65k", "$65,000", " 65000 ", "$65K", "65.0k"])
def test_salary_forms_the_issue_names_all_read_65000(text: str) -> None:
    assert parse_salary(text) == 65000


def test_salary_with_a_decimal_thousand() -> None:
    assert parse_salary("52.5k") == 52500  # 52.5 x 1000
    assert parse_salary("1,250,000") == 1_250_000


@pytest.mark.parametrize("text", ["", "abc", "65,00", "6,5000", "65kk", "65m", "k", "$", "65 000", "--5", "0", "$0k",
                                  "-65000", "65000k", "1e5"])
def test_anything_else_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as e:
        parse_money(text, "SALARY")
    assert e.value.code == "bad_salary"


@pytest.mark.parametrize("text", ["1" * 200, "9" * 29, "1" * 40 + ".5", "1" * 30 + "k"])
def test_a_number_too_long_for_decimal_precision_is_a_usage_error(text: str) -> None:
    # found by the CLI fuzzer: 29+ digits overflowed Decimal.quantize (InvalidOperation, a traceback)
    with pytest.raises(UsageError, match="must be at most") as e:
        parse_salary(text)
    assert e.value.code == "bad_salary"


def test_zero_dollars_allowed_only_where_asked() -> None:
    assert parse_money("0", "--health", allow_zero=True) == 0
    with pytest.raises(UsageError, match="must not be negative"):
        parse_money("-100", "--health", allow_zero=True)


@given(st.integers(min_value=1, max_value=9_999_999))
def test_plain_and_grouped_forms_agree(n: int) -> None:
    assert parse_salary(str(n)) == n
    assert parse_salary(f"{n:,}") == n
    assert parse_salary(f"${n:,}") == n


@given(st.integers(min_value=1, max_value=9_999))
def test_k_means_thousands(n: int) -> None:
    assert parse_salary(f"{n}k") == n * 1000


def test_offer_is_state_colon_salary() -> None:
    o = parse_offer(T, "ca:65k")
    assert (o.state, o.salary) == ("CA", 65000)
    o = parse_offer(T, "New York:$70,000")
    assert (o.state, o.salary) == ("NY", 70000)


@pytest.mark.parametrize("text, code", [("CA65000", "bad_offer"), (":65000", "bad_offer"), ("CA:", "bad_offer"),
                                        ("ZZ:65000", "unknown_state"), ("CA:abc", "bad_salary"),
                                        ("CA:65,00", "bad_salary")])
def test_bad_offers(text: str, code: str) -> None:
    with pytest.raises(UsageError) as e:
        parse_offer(T, text)
    assert e.value.code == code


@pytest.mark.parametrize("text, rate", [("0.03", 0.03), ("3%", 0.03), ("3.5 %", 0.035), ("-2%", -0.02), ("0", 0.0),
                                        (".05", 0.05)])
def test_rate_decimal_or_percent(text: str, rate: float) -> None:
    assert parse_rate(text, "--raise") == pytest.approx(rate)


@pytest.mark.parametrize("text", ["3", "abc", "80%", "-60%", "3%%", ""])
def test_bad_rates(text: str) -> None:
    with pytest.raises(UsageError):
        parse_rate(text, "--raise")


def test_percent_of_salary() -> None:
    assert parse_percent("4", "--match") == 4.0
    assert parse_percent("4.5%", "--match") == 4.5
    for bad in ("-1", "x", "101"):
        with pytest.raises(UsageError):
            parse_percent(bad, "--match")


def test_add_cert() -> None:
    assert parse_add_cert(T, "cpc@2", 10) == ("CPC", 2)
    assert parse_add_cert(T, "CCS-P@0", 10) == ("CCS-P", 0)
    for bad in ("CPC", "CPC@", "@2", "CPC@x", "CPC@11", "CPC,CCS@2", "XYZ@1"):
        with pytest.raises(UsageError):
            parse_add_cert(T, bad, 10)
    with pytest.raises(UsageError, match="already held"):
        parse_add_cert(T, "CPC@1", 10, ["CPC"])


def test_format_and_json_flag() -> None:
    assert resolve_format(None, False) == "table"
    assert resolve_format(None, True) == "json"
    assert resolve_format("CSV", False) == "csv"
    assert resolve_format("json", True) == "json"
    with pytest.raises(UsageError):
        resolve_format("csv", True)
    with pytest.raises(UsageError):
        resolve_format("xml", False)
