"""Every decision command says which year its wages and prices are from; --as-of ages the wages; money paid now
(offer, compare --offer) is judged in today's dollars and career starts this year (issue 16 item 1)."""

from __future__ import annotations

import pytest

from decide_support import RAW, cli, cli_json, dollars

RATE = RAW["wage_growth"]["rate"]
WAGE_YEAR = RAW["meta"]["wage_year"]
PRICE_YEAR = RAW["meta"]["price_year"]
NOW = 2026  # CODER_PAY_TODAY (conftest)
# May 2024 -> May 2025: BLS's published national medians $50,250 -> $51,140 (SOURCES.md section 23); then the rate
STEP_2025 = 51140 / 50250
PUBLISHED = [["states", "--top", "3"], ["compare", "--state", "CA", "--state", "TX"], ["certs"]]
PAID_NOW = [["compare", "--offer", "CA:65k"], ["career", "--years", "3"], ["offer", "50k"]]
COMMANDS = PUBLISHED + PAID_NOW
IDS = [a[0] + ("-offer" if "--offer" in a else "") for a in COMMANDS]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("args", PUBLISHED, ids=[a[0] for a in PUBLISHED])
def test_published_figures_stay_in_their_year_and_say_how_to_age(args: list[str]) -> None:
    doc = cli_json(*args)
    assert doc["wage_year"] == WAGE_YEAR and doc["price_year"] == PRICE_YEAR
    v = doc["vintage"]
    assert v["aged"] is False and v["reason"] == "published" and v["current_year"] == NOW and v["ageing"] == []
    out = flat(cli(*args).stdout)
    assert f"BLS OEWS May {WAGE_YEAR}" in out and f"regional price parities {PRICE_YEAR}" in out
    assert f"--as-of {NOW} ages them to {NOW}" in out


@pytest.mark.parametrize("args", PAID_NOW, ids=[a[0] for a in PAID_NOW])
def test_money_paid_now_is_judged_in_todays_dollars(args: list[str]) -> None:
    doc = cli_json(*args)
    v = doc["vintage"]
    assert doc["wage_year"] == NOW and v["aged"] is True and v["reason"] == "today" and v["data_wage_year"] == WAGE_YEAR
    assert doc["query"]["as_of"] is None  # as typed: the vintage says the year used
    assert [(s["from_year"], s["to_year"], s["published"]) for s in v["ageing"]] == [(2024, 2025, True), (2025, 2026, False)]
    assert v["ageing"][0]["ratio"] == pytest.approx(STEP_2025, abs=1e-6)
    assert v["ageing"][1]["ratio"] == pytest.approx(1 + RATE, abs=1e-6)
    out = flat(cli(*args).stdout)
    assert f"aged to {NOW} (today's dollars, for money paid now)" in out and "published May 2025 median" in out


@pytest.mark.parametrize("args", COMMANDS, ids=IDS)
def test_as_of_ages_the_wages_and_says_so(args: list[str]) -> None:
    doc = cli_json(*args, "--as-of", "2027")
    assert doc["wage_year"] == 2027 and doc["query"]["as_of"] == 2027
    v = doc["vintage"]
    assert v["aged"] is True and v["data_wage_year"] == WAGE_YEAR and v["growth_rate"] == RATE and v["reason"] == "as_of"
    assert "aged to 2027 (--as-of): 2024->2025 +1.77% (BLS's published May 2025 median), 2025->2027 +2.39%/yr" in v["text"]
    assert "aged to 2027 (--as-of)" in flat(cli(*args, "--as-of", "2027").stdout)


@pytest.mark.parametrize("args", PAID_NOW, ids=[a[0] for a in PAID_NOW])
def test_as_of_still_chooses_for_money_paid_now(args: list[str]) -> None:
    doc = cli_json(*args, "--as-of", str(WAGE_YEAR))
    assert doc["wage_year"] == WAGE_YEAR and doc["vintage"]["aged"] is False and doc["vintage"]["reason"] == "as_of"


def test_as_of_multiplies_by_the_published_step_then_the_rate() -> None:
    ca = RAW["states"]["CA"]
    row = next(r for r in cli_json("states", "--as-of", "2025")["rows"] if r["code"] == "CA")
    assert row["band"]["mid"] == dollars(ca["p50"] * 51140 / 50250)  # 59,700 x 1.01771: the published step only
    row = next(r for r in cli_json("states", "--as-of", "2026")["rows"] if r["code"] == "CA")
    assert row["band"]["mid"] == dollars(ca["p50"] * 51140 / 50250 * (1 + RATE))
    doc = cli_json("offer", str(dollars(ca["p50"] * 51140 / 50250 * (1 + RATE))), "--state", "CA")
    assert doc["percentile"] == pytest.approx(50.0, abs=0.05)  # today's dollars by default: 2026 here
    career = cli_json("career", "--as-of", "2027", "--span", "2")
    assert [r["calendar_year"] for r in career["rows"]] == [2027, 2028, 2029]


def test_the_rate_is_named_and_derived_from_published_medians() -> None:
    wg = RAW["wage_growth"]
    assert wg["published"]["2025"] == {"median": 51140, "source": "oews_national_2025"}
    assert wg["published"]["2023"]["median"] == 48780
    assert RATE == round((51140 / 48780) ** 0.5 - 1, 4)  # compound, May 2023 -> May 2025
    assert "used only past the last published year" in wg["basis"]


def test_today_is_read_from_the_environment_and_checked() -> None:
    res = cli("offer", "50k", "--json", env={"CODER_PAY_TODAY": "2030-06-01"})
    import json

    assert json.loads(res.stdout)["wage_year"] == 2030
    res = cli("offer", "50k", env={"CODER_PAY_TODAY": "soon"})
    assert res.exit_code == 2 and "CODER_PAY_TODAY must be a year" in res.stderr


def test_housing_basis_is_named() -> None:
    assert "(housing)" in cli("states", "--top", "2", "--col", "housing").stdout
    assert cli_json("certs", "--col", "housing")["vintage"]["col"] == "housing"
