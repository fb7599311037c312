"""Every decision command says which year its wages and prices are from; --as-of ages the wages."""

from __future__ import annotations

import pytest

from decide_support import RAW, cli, cli_json, dollars

RATE = RAW["wage_growth"]["rate"]
WAGE_YEAR = RAW["meta"]["wage_year"]
PRICE_YEAR = RAW["meta"]["price_year"]
COMMANDS = [["states", "--top", "3"], ["compare", "--state", "CA", "--state", "TX"], ["compare", "--offer", "CA:65k"],
            ["certs"], ["career", "--years", "3"], ["offer", "50k"]]


@pytest.mark.parametrize("args", COMMANDS, ids=[a[0] for a in COMMANDS])
def test_every_output_names_its_wage_and_price_years(args: list[str]) -> None:
    doc = cli_json(*args)
    assert doc["wage_year"] == WAGE_YEAR and doc["price_year"] == PRICE_YEAR
    assert doc["vintage"]["aged"] is False
    out = cli(*args).stdout
    assert f"BLS OEWS May {WAGE_YEAR}" in out and f"regional price parities {PRICE_YEAR}" in out


@pytest.mark.parametrize("args", COMMANDS, ids=[a[0] for a in COMMANDS])
def test_as_of_ages_the_wages_and_says_so(args: list[str]) -> None:
    doc = cli_json(*args, "--as-of", "2026")
    assert doc["wage_year"] == 2026 and doc["query"]["as_of"] == 2026
    v = doc["vintage"]
    assert v["aged"] is True and v["data_wage_year"] == WAGE_YEAR and v["growth_rate"] == RATE
    text = f"{WAGE_YEAR} aged to 2026 at {RATE:.2%}/yr"
    assert text in v["text"]
    assert text in cli(*args, "--as-of", "2026").stdout.replace("\n", " ")


def test_as_of_multiplies_by_the_growth_rate_per_year() -> None:
    ca = RAW["states"]["CA"]
    row = next(r for r in cli_json("states", "--as-of", "2026")["rows"] if r["code"] == "CA")
    assert row["band"]["mid"] == dollars(ca["p50"] * (1 + RATE) ** 2)  # 59,700 x 1.0301^2
    doc = cli_json("offer", str(dollars(ca["p50"] * (1 + RATE) ** 2)), "--state", "CA", "--as-of", "2026")
    assert doc["percentile"] == pytest.approx(50.0, abs=0.05)
    career = cli_json("career", "--as-of", "2026", "--span", "2")
    assert [r["calendar_year"] for r in career["rows"]] == [2026, 2027, 2028]


def test_housing_basis_is_named() -> None:
    assert "(housing)" in cli("states", "--top", "2", "--col", "housing").stdout
    assert cli_json("certs", "--col", "housing")["vintage"]["col"] == "housing"
