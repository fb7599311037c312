"""`coder-pay take-home` and `estimate --after-tax` through the CLI: output, JSON, errors, exit codes.

Expected figures are the hand-worked ones of tests/test_tax.py (the working is repeated where used).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.query import UsageError, parse_salary


def run(runner: CliRunner, *args: str, **kw: object):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), **kw)  # type: ignore[arg-type]


def no_tax_table(table_text: str, tmp_path: Path) -> Path:
    path = tmp_path / "no-tax.toml"
    path.write_text(table_text[: table_text.index("# ---------------------------------------------------------------- taxes")])
    return path


# --------------------------------------------------------------------------- parse_salary


@pytest.mark.parametrize(("text", "dollars"), [
    ("65000", 65_000), ("65,000", 65_000), ("65k", 65_000), ("65K", 65_000), ("$65k", 65_000), (" $65,000 ", 65_000),
    ("62.5k", 62_500), ("$65,000.50", 65_000.50), ("1.2m", 1_200_000), ("0", 0), ("1,234,567.89", 1_234_567.89),
    ("65 k", 65_000), ("65,000/yr", 65_000), ("65000 a year", 65_000),  # issue 15: one money grammar
])
def test_parse_salary_accepts_the_ways_people_write_salaries(text: str, dollars: float) -> None:
    assert parse_salary(text) == dollars


@pytest.mark.parametrize(("text", "needle"), [
    ("", "must be an amount of pay"), ("abc", "not 'abc'"), ("6,5000", "not '6,5000'"), ("65 kk", "not '65 kk'"),
    ("-5", "not '-5'"), ("65.001", "whole cents"), ("11m", "at most $10,000,000"), ("65kk", "not '65kk'"),
])
def test_parse_salary_rejects_anything_else(text: str, needle: str) -> None:
    with pytest.raises(UsageError) as e:
        parse_salary(text)
    assert e.value.code == "bad_salary" and e.value.field == "salary" and needle in e.value.message


# --------------------------------------------------------------------------- take-home


def test_take_home_json_matches_the_hand_worked_california_case(runner: CliRunner) -> None:
    r = run(runner, "take-home", "$65k", "--state", "california", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["query"] == {"salary": 65000, "salary_cents": 6_500_000, "state": "CA", "home": None, "col": "all",
                            "area": None, "zip": None, "home_area": None}
    # federal 5,749.00; Social Security 4,030.00; Medicare 942.50; CA 2,127.57 - 153 = 1,974.57 (see test_tax.py)
    lines = ("gross", "federal_income_tax", "social_security", "medicare", "state_income_tax", "take_home")
    assert [doc[f"{k}_cents"] for k in lines] == [6_500_000, 574_900, 403_000, 94_250, 197_457, 5_230_393]
    # whole dollars, halves up: 942.50 -> 943, 1,974.57 -> 1,975, 52,303.93 -> 52,304
    assert [doc[k] for k in lines] == [65_000, 5_749, 4_030, 943, 1_975, 52_304]
    assert doc["state_tax_included"] is True
    assert doc["effective_rate"] == 0.1953  # (65,000 - 52,303.93) / 65,000 = 0.19532...
    # in US-average prices: 52,303.93 x 100 / 110.720 (California, BEA RPP 2024, all items) = 47,239.82 -> 47,240
    assert doc["col_adjusted"]["take_home"] == 47_240
    assert doc["col_adjusted"]["area"] == "US" and doc["col_adjusted"]["price_level"] == 110.72
    assert doc["tax_year"] == 2025 and doc["flagged"] is True and len(doc["caveats"]) == 1
    assert {s["key"] for s in doc["sources"]} == {"policyengine_2025", "bea_rpp_states_2024"}
    assert r.stderr == ""


def test_take_home_in_another_states_prices(runner: CliRunner) -> None:
    r = run(runner, "take-home", "50000", "--state", "TX", "--home", "CA", "--json")
    doc = json.loads(r.stdout)
    # Texas take-home 42,303.50 (test_tax.py) in California prices: x 110.720 / 97.057 = 48,258.69 -> 48,259
    assert doc["take_home_cents"] == 4_230_350
    assert doc["col_adjusted"]["take_home"] == 48_259 and doc["col_adjusted"]["area_name"] == "California"


def test_take_home_housing_prices(runner: CliRunner) -> None:
    doc = json.loads(run(runner, "take-home", "50000", "--state", "TX", "--col", "housing", "--json").stdout)
    # 42,303.50 x 100 / 96.503 (Texas housing RPP 2024) = 43,836.46 -> 43,836
    assert doc["col_adjusted"]["basis"] == "housing" and doc["col_adjusted"]["take_home"] == 43_836


def test_take_home_table_shows_lines_rate_prices_caveats_and_left_out(runner: CliRunner) -> None:
    r = run(runner, "take-home", "65,000", "--state", "CA")
    assert r.exit_code == 0, r.output
    out = r.stdout
    for text in ("Take-home on $65,000 in California, 2025 tax, single filer", "Federal income tax", "-$5,749.00",
                 "Social Security", "-$4,030.00", "Medicare", "-$942.50", "State income tax (CA)", "-$1,974.57",
                 "Take-home pay", "$52,303.93", "19.53%", "In US average prices (all items)", "$47,240",
                 "taxable $59,294", "personal credit $153.00", "Caveat: CA income tax is approximate",
                 "Left out", "local and city income taxes", "(--explain lists them)", "PolicyEngine US 2025", "BEA 2024",
                 "Tax: 2025 rules"):
        assert text in out, text
    assert "\x1b[" not in out and r.stderr == ""


def test_take_home_without_a_state_says_there_is_no_state_tax(runner: CliRunner) -> None:
    r = run(runner, "take-home", "50k")
    assert r.exit_code == 0
    assert "State income tax (no state)" in r.stdout and "No state given: no state income tax is included." in r.stdout
    assert "$42,303.50" in r.stdout  # 50,000 - 3,871.50 - 3,100 - 725


@pytest.mark.parametrize(("args", "needle"), [
    (["take-home", "lots"], "SALARY must be an amount of pay such as 58000, 58,000/yr, $58k, 27.50/h or '27 an hour', "
                            "not 'lots'."),
    (["take-home", "65.001"], "SALARY must be in whole cents"),
    (["take-home", "65k", "--state", "Texs"], "Unknown state 'Texs'. Did you mean Texas (TX)?"),
    (["take-home", "65k", "--home", "Califrnia"], "Did you mean California (CA)?"),
    (["take-home", "65k", "--col", "rent"], "Unknown col 'rent'"),
    (["take-home"], "Missing argument 'SALARY'"),
    (["take-home", "-5"], "No such option"),
])
def test_take_home_bad_input_exits_2_with_one_line(runner: CliRunner, args: list[str], needle: str) -> None:
    r = run(runner, *args)
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output


def test_take_home_json_errors_are_json_on_stderr(runner: CliRunner) -> None:
    r = run(runner, "take-home", "lots", "--state", "CA", "--json")
    assert r.exit_code == 2 and r.stdout == ""
    err = json.loads(r.stderr)["error"]
    assert err["code"] == "bad_salary" and err["field"] == "salary" and err["exit_code"] == 2
    r = run(runner, "take-home", "65k", "--state", "ZZ", "--json")
    assert r.exit_code == 2 and json.loads(r.stderr)["error"]["code"] == "unknown_state"


def test_a_table_without_tax_fails_after_tax_commands_with_exit_1(runner: CliRunner, table_text: str,
                                                                  tmp_path: Path) -> None:
    path = no_tax_table(table_text, tmp_path)
    for args in (["take-home", "65k", "--state", "CA"], ["estimate", "--state", "CA", "--after-tax"]):
        r = run(runner, "--data", str(path), *args)
        assert r.exit_code == 1, r.output
        assert r.stdout == ""
        assert "tax: missing table: after-tax figures need the [tax] section" in r.stderr
        assert str(path) in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run(runner, "--data", str(path), "take-home", "65k", "--json")
    assert r.exit_code == 1 and r.stdout == "" and json.loads(r.stderr)["error"]["code"] == "bad_table"
    # everything else still works from that table
    assert run(runner, "--data", str(path), "estimate", "--state", "CA").exit_code == 0


def test_bad_salary_is_reported_before_the_table_is_read(runner: CliRunner, tmp_path: Path) -> None:
    r = run(runner, "--data", str(tmp_path / "missing.toml"), "take-home", "lots")
    assert r.exit_code == 2 and "SALARY must be" in r.stderr


# --------------------------------------------------------------------------- estimate --after-tax


def test_estimate_without_after_tax_is_unchanged(runner: CliRunner) -> None:
    doc = json.loads(run(runner, "estimate", "--state", "CA", "--json").stdout)
    assert "after_tax" not in doc


def test_estimate_after_tax_json(runner: CliRunner) -> None:
    r = run(runner, "estimate", "--state", "TX", "--after-tax", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    at = doc["after_tax"]
    # Texas band (BLS May 2024 p25 / p50 / p75): 37,780 / 47,230 / 61,980
    assert doc["band"] == {"low": 37_780, "mid": 47_230, "high": 61_980}
    # mid, worked by hand: federal taxable 47,230 - 15,750 = 31,480: 1,192.50 + 0.12 x 19,555 (2,346.60) = 3,539.10
    # Social Security 0.062 x 47,230 = 2,928.26; Medicare 0.0145 x 47,230 = 684.835 -> 684.84; Texas: 0
    # take-home 47,230 - 3,539.10 - 2,928.26 - 684.84 = 40,077.80 -> 40,078
    assert at["lines"]["mid"] == {"gross": 47_230, "federal_income_tax": 3_539, "social_security": 2_928,
                                  "medicare": 685, "state_income_tax": 0, "local_income_tax": 0, "take_home": 40_078,
                                  "gross_cents": 4_723_000, "federal_income_tax_cents": 353_910,
                                  "social_security_cents": 292_826, "medicare_cents": 68_484,
                                  "state_income_tax_cents": 0, "local_income_tax_cents": 0, "take_home_cents": 4_007_780,
                                  "effective_rate": 0.1514}
    assert at["band"]["mid"] == 40_078
    # in US-average prices: 40,077.80 x 100 / 97.057 = 41,293.05 -> 41,293
    assert at["col_band"]["mid"] == 41_293
    assert at["band"]["low"] <= at["band"]["mid"] <= at["band"]["high"]
    assert at["state"] == "TX" and at["tax_year"] == 2025 and at["wage_year"] == 2024 and at["flagged"] is False


def test_estimate_after_tax_remote_is_taxed_where_the_person_lives(runner: CliRunner) -> None:
    doc = json.loads(run(runner, "estimate", "--remote", "--state", "CA", "--after-tax", "--json").stdout)
    at = doc["after_tax"]
    # remote: national band (p50 50,250) but California's income tax, and California prices
    assert doc["band"]["mid"] == 50_250 and at["lines"]["mid"]["gross"] == 50_250
    assert at["state"] == "CA" and at["lines"]["mid"]["state_income_tax"] > 0 and at["flagged"] is True


def test_estimate_after_tax_table(runner: CliRunner) -> None:
    r = run(runner, "estimate", "--state", "TX", "--after-tax")
    assert r.exit_code == 0, r.output
    for text in ("Take-home (2025 tax)", "$40,078", "Take-home in US average prices (all items)", "$41,293",
                 "2025 federal and state rules applied to 2024 wages, living in Texas", "Left out of take-home",
                 "(--explain lists them)"):
        assert text in r.stdout, text


def test_help_lists_take_home_and_after_tax(runner: CliRunner) -> None:
    assert "take-home" in run(runner, "--help").stdout
    assert "--after-tax" in run(runner, "estimate", "--help").stdout
    h = run(runner, "take-home", "--help").stdout
    assert "SALARY" in h and "--state" in h and "--home" in h and "--json" in h
