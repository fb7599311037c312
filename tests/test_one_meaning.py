"""One meaning per word (issue 10): hourly salaries, take-home without a state, --level with --years,
and wording that says what it means. Run as a user runs them: the CLI, and the installed command.

(`career --years` is tested in test_decide_career.py; the JSON rule in test_json_conventions.py.)
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from coder_pay import query
from coder_pay.query import UsageError
from decide_support import RAW, REPO, cli, cli_json, installed_command, subprocess_env, table, variant

T = table()
HOURLY = 50_960  # 24.50 x 2,080, by hand (BLS: annual wage = hourly x 2,080 hours, 52 weeks x 40 hours)


def test_the_table_holds_the_bls_hours_a_year() -> None:
    assert RAW["benefits"]["hours_per_year"] == 2080 and RAW["benefits"]["source"] == "oews_national_2024"


# --------------------------------------------------------------------------- hourly salaries


@pytest.mark.parametrize("text", ["24.50/h", "24.50/hr", "$24.50/hour", "24.5/H", "24.50 per hour"])
def test_offer_reads_an_hourly_rate_times_the_tables_hours(text: str) -> None:
    res = cli("offer", text, "--state", "TX")
    assert res.exit_code == 0, res.stderr
    assert "Offer of $50,960 for" in res.stdout
    assert res.stderr.startswith("coder-pay: warning: SALARY ")
    assert "is an hourly rate: $24.50 x 2,080 hours = $50,960 a year (BLS 2024" in res.stderr
    doc = cli_json("offer", text, "--state", "TX")
    assert doc["salary"] == doc["query"]["salary"] == HOURLY
    assert "is an hourly rate" in doc["notes"][0]  # with --json, in the document (stderr stays empty)


def test_every_salary_input_shares_the_hourly_reading() -> None:
    th = cli_json("take-home", "24.50/h", "--state", "TX")
    assert th["query"]["salary"] == th["gross"] == HOURLY and "hourly rate" in th["notes"][0]
    rows = cli_json("compare", "--offer", "TX:24.50/h", "--offer", "CA:$30/hr")["rows"]
    assert [r["salary"] for r in rows] == [HOURLY, 62_400]  # 30 x 2,080
    res = cli("compare", "--offer", "TX:24.50/h", "--offer", "CA:65k")
    assert "--offer TX:24.50/h is an hourly rate: $24.50 x 2,080 hours = $50,960 a year" in res.stderr
    assert query.read_salary(T, "24.50/h").amount == HOURLY  # the one reader batch's salary cells use too


def test_the_hours_come_from_the_table() -> None:
    t = variant("hours_per_year = 2080", "hours_per_year = 2000")
    assert query.read_salary(t, "24.50/h").amount == 49_000  # 24.50 x 2,000
    no_hours = variant("hours_per_year = 2080\n", "")
    with pytest.raises(UsageError, match="no \\[benefits\\] hours_per_year"):
        query.read_salary(no_hours, "24.50/h")
    assert query.read_salary(no_hours, "52k").amount == 52_000


def test_a_bare_amount_under_1000_is_read_as_hourly_and_said() -> None:
    """Issue 15: one rule for a bare small amount, the same in offer and batch: never a verdict on $24.50 a year."""
    res = cli("offer", "24.50", "--state", "TX")
    assert res.exit_code == 0
    assert "Offer of $50,960 for" in res.stdout  # 24.50 x 2,080
    assert res.stderr == ("coder-pay: warning: SALARY 24.50 has no /h or /yr and is under $1,000, so it is read as an "
                          "hourly rate: $24.50 x 2,080 hours = $50,960 a year (BLS 2024: annual wage = hourly x 2,080 "
                          "hours).\n")
    res = cli("offer", "24.50", "--state", "TX", "--json")
    assert res.stderr == "" and "read as an hourly rate" in json.loads(res.stdout)["notes"][0]
    assert json.loads(res.stdout)["salary"] == HOURLY
    assert "read as an hourly rate" in cli("take-home", "900").stderr
    assert cli("offer", "30000", "--state", "TX").stderr == ""  # a yearly amount above every state's p10: nothing said
    assert cli("offer", "52k").stderr == ""


@pytest.mark.parametrize("text", ["24.50/h/h", "24k/h", "24.5.0/h", "/h", "24.50/day"])
def test_malformed_hourly_rates_are_usage_errors(text: str) -> None:
    res = cli("offer", text)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith("coder-pay: error: SALARY ")


def test_money_that_is_not_a_salary_is_not_hourly() -> None:
    with pytest.raises(UsageError, match="not an hourly rate"):
        query.parse_money("10/h", "--health", allow_zero=True)
    assert cli("offer", "52k", "--health", "10/h").exit_code == 2


def test_hourly_offer_as_a_subprocess() -> None:
    r = subprocess.run([*installed_command(), "offer", "$24.50/hour", "--state", "TX", "--json"], capture_output=True,
                       text=True, env=subprocess_env(), timeout=60)
    assert r.returncode == 0 and r.stderr == ""
    assert json.loads(r.stdout)["salary"] == HOURLY


# --------------------------------------------------------------------------- take-home without --state


def test_take_home_without_a_state_says_so_on_the_first_line() -> None:
    res = cli("take-home", "50000")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0] == "No --state: federal tax only, no state income tax."
    doc = cli_json("take-home", "50000")
    assert doc["state"] is None and doc["state_tax_included"] is False and doc["state_income_tax"] == 0
    with_state = cli("take-home", "50000", "--state", "TX")
    assert "No --state" not in with_state.stdout
    assert cli_json("take-home", "50000", "--state", "TX")["state_tax_included"] is True
    help_ = re.sub("[│╭╮╰╯─]", " ", cli("take-home", "--help", env={"COLUMNS": "200"}).stdout)
    assert "no state income tax (said so)" in " ".join(help_.split())


# --------------------------------------------------------------------------- --level with --years: one rule


def test_level_ranges_come_from_the_table() -> None:
    lv = RAW["levels"]
    assert query.level_years(T, "entry") == (lv["entry"]["min_years"], lv["entry"]["max_years"])  # 0-2
    assert query.level_years(T, "mid") == (lv["mid"]["min_years"], lv["mid"]["max_years"])  # 3-5
    for role in ("senior", "supervisor", "manager", "director"):  # a role is a promotion above senior coder
        assert query.level_years(T, role) == (lv["senior"]["min_years"], 50)  # 6 or more


@pytest.mark.parametrize("level, years", [("entry", 0), ("entry", 2), ("mid", 3), ("mid", 5), ("senior", 6),
                                          ("senior", 50), ("supervisor", 6), ("manager", 12), ("director", 30)])
def test_years_inside_the_levels_range_are_accepted(level: str, years: int) -> None:
    doc = cli_json("estimate", "--level", level, "--years", str(years))
    assert (doc["query"]["level"], doc["query"]["years"]) == (level, years)


@pytest.mark.parametrize("level, years, range_", [("entry", 3, "0-2 years"), ("mid", 2, "3-5 years"),
                                                  ("mid", 6, "3-5 years"), ("senior", 2, "6 years or more"),
                                                  ("supervisor", 5, "6 years or more"),
                                                  ("director", 2, "6 years or more")])
def test_years_outside_the_levels_range_are_refused_for_levels_and_roles_alike(level: str, years: int,
                                                                                range_: str) -> None:
    for cmd in (["estimate"], ["offer", "50k"], ["states"], ["certs"]):
        res = cli(*cmd, "--level", level, "--years", str(years))
        assert res.exit_code == 2 and res.stdout == "", cmd
        assert f"--years {years} conflicts with --level {level} ({range_}" in res.stderr
    from typer.testing import CliRunner

    from coder_pay.cli import app
    rows = CliRunner().invoke(app, ["batch"], input=f"level,years\n{level},{years}\n")
    assert json.loads(rows.stdout)["error"]["code"] == "conflicting_options"


def test_the_rule_is_in_help_and_docs() -> None:
    help_ = " ".join(re.sub("[│╭╮╰╯─]", " ", cli("estimate", "--help", env={"COLUMNS": "200"}).stdout).split())
    assert "With --years, the years must fall in the level's range (a role's: senior's)" in help_
    page = " ".join((REPO / "docs" / "estimate.md").read_text(encoding="utf-8").split())
    assert "a role (`supervisor`, `manager`, `director`) is a promotion above senior coder" in page


# --------------------------------------------------------------------------- wording


def test_states_count_reads_50_states_and_dc() -> None:
    assert "all 50 states and DC" in cli("states").stdout
    assert "top 5 of the 50 states and DC" in cli("states", "--top", "5").stdout
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert "51 states" not in text, path.name


@pytest.mark.parametrize("salary", ["50000", "51234.57", "60000", "40k", "123456.78"])
def test_medicare_share_reads_the_same_at_every_salary(salary: str) -> None:
    """Medicare is 1.45% of wages (below the additional-tax threshold): one rounding rule for every share."""
    out = cli("take-home", salary).stdout
    row = next(line for line in out.splitlines() if line.startswith("│ Medicare"))
    assert row.rstrip(" │").endswith("1.45%"), row


def cells(out: str, label: str) -> list[str]:
    row = next(line for line in out.splitlines() if line.startswith(f"│ {label}"))
    return [c.strip() for c in row.strip("│").split("│")[1:]]


def test_a_small_gap_never_reads_as_zero_percent() -> None:
    p50 = RAW["states"]["CA"]["p50"]  # 59,700: typical pay for the whole market in California
    out = cli("compare", "--offer", f"CA:{p50 - 23}", "--offer", f"CA:{p50}", "--as-of", "2024").stdout
    # 59,677 against 59,700: -$23, -23 / 59,700 = -0.0385% -> two significant digits, not "-0.0%"
    assert "-$23 (-0.039%)" in out and "(-0.0%)" not in out
    assert "$0 (0.0%)" in out  # no gap at all


def test_one_gap_one_percentage_in_table_and_sentence() -> None:
    out = cli("compare", "--state", "CA", "--state", "TX").stdout
    flat = " ".join(out.split())
    (table_cell,) = cells(out, "Adjusted vs CA")[1:]
    m = re.fullmatch(r"-\$([\d,]+) \(-([\d.]+)%\)", table_cell)
    assert m, table_cell
    assert (f"Most purchasing power (US average prices): California, ${m[1]} more than Texas; the gap is {m[2]}% "
            f"of California's.") in flat
    doc = cli_json("compare", "--state", "CA", "--state", "TX")
    lead = doc["leads"][1]
    tx = doc["rows"][1]["vs_first"]["adjusted"]
    assert lead["by"] == {"dollars": -tx["dollars"], "percent": -tx["percent"]}
