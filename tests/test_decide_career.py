"""`coder-pay career`: a year-by-year projection up the ladder."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.decide import career_path
from coder_pay.query import build_query
from decide_support import RAW, cli, cli_json, dollars, hand_band, table

T = table()
NAT = RAW["national"]
RATE = RAW["wage_growth"]["rate"]
PROMO = RAW["promotion"]["raise"]



def typical(years: float, level: str | None = None, creds: tuple[str, ...] = ()) -> int:
    """National typical pay at `years` (with a role: the role's pay), worked from docs/estimate.md (hand_band)."""
    return hand_band(years=years, level=level, creds=creds)[1]


def test_the_pay_points_used_below_by_hand() -> None:
    # e(y) = 0.5212 x (exp(-7.1/9) - exp(-y/9)), bounded toward p10 below the median as docs/estimate.md says:
    # 0 years: e = -0.284393, past the knee 0.7 x ln(50,250/35,780) = 0.237735, so the bounded value is
    # -(0.237735 + 0.101886 x tanh(0.046658/0.101886)) = -0.281384 -> 50,250 x e^-0.281384 = 37,925.6 -> $37,926
    assert typical(0) == 37926
    # 3 years: e = -0.136649 (inside the knee) -> 50,250 x e^-0.136649 = 43,831.9 -> $43,832
    assert typical(3) == 43832


def test_roles_and_pay_up_the_ladder_without_raises() -> None:
    doc = cli_json("career", "--span", "20", "--raise", "0")
    rows = doc["rows"]
    assert [r["year"] for r in rows] == list(range(21))
    senior_from = RAW["levels"]["senior"]["min_years"]  # 6
    sup, man, dir_ = (RAW["roles"][k]["typical_years"] for k in ("supervisor", "manager", "director"))  # 9, 12, 16
    for r in rows:
        e = r["experience"]
        want = ("coder" if e < senior_from else "senior" if e < sup else "supervisor" if e < man
                else "manager" if e < dir_ else "director")
        assert r["role"] == want, r
    by_exp = {r["experience"]: r["salary"] for r in rows}
    assert by_exp[0] == typical(0) == 37926
    assert by_exp[3] == typical(3) == 43832
    assert by_exp[6] == typical(6)  # senior coder: a title, no jump
    # a role: the coder's pay at those years x 1.15 per promotion step
    for years, role, steps in ((sup, "supervisor", 1), (man, "manager", 2), (dir_, "director", 3)):
        assert by_exp[years] == typical(years, role)
        assert abs(by_exp[years] - hand_band(years=years)[1] * (1 + PROMO) ** steps) <= 1


def test_default_raise_is_the_tables_wage_growth() -> None:
    doc = cli_json("career")
    assert doc["raise"] == {"rate": RATE, "from_table": True, "basis": RAW["wage_growth"]["basis"],
                            "source": RAW["wage_growth"]["source"]}
    rows = doc["rows"]
    assert len(rows) == 11  # year 0 (now) to year 10
    # salary in year t = typical pay for that step x (1 + 0.0301) ^ t
    assert rows[0]["salary"] == typical(0)
    assert rows[1]["salary"] == dollars(typical(1) * (1 + RATE))
    assert rows[4]["salary"] == dollars(typical(4) * (1 + RATE) ** 4)
    assert rows[10]["salary"] == dollars(typical(10, "supervisor") * (1 + RATE) ** 10)
    assert all(r["calendar_year"] == RAW["meta"]["wage_year"] + r["year"] for r in rows)
    out = cli("career").stdout
    assert f"{RATE:.2%}" in out and "wage growth" in out


@pytest.mark.parametrize("text, rate", [("5%", 0.05), ("0.05", 0.05), ("-1%", -0.01)])
def test_raise_option(text: str, rate: float) -> None:
    doc = cli_json("career", "--raise", text, "--span", "3")
    assert doc["raise"]["rate"] == pytest.approx(rate) and doc["raise"]["from_table"] is False
    assert doc["rows"][3]["salary"] == dollars(typical(3) * (1 + rate) ** 3)


def test_start_experience() -> None:
    rows = cli_json("career", "--years", "7", "--span", "3", "--raise", "0")["rows"]
    assert [r["experience"] for r in rows] == [7, 8, 9, 10]
    assert cli_json("career", "--experience", "7", "--span", "3", "--raise", "0")["rows"] == rows  # the older name
    assert [r["role"] for r in rows] == ["senior", "senior", "supervisor", "supervisor"]
    assert "promoted to Coding supervisor" in rows[2]["events"]


def test_add_cert_from_a_given_year() -> None:
    rows = cli_json("career", "--add-cert", "CPC@3", "--span", "5", "--raise", "0")["rows"]
    assert [r["credentials"] for r in rows] == [[], [], [], ["CPC"], ["CPC"], ["CPC"]]
    assert "adds CPC" in rows[3]["events"]
    assert rows[2]["salary"] == typical(2)
    assert rows[3]["salary"] == typical(3, creds=("CPC",)) == 48819  # see test_decide_certs: 3 years with CPC


def test_related_careers_against_the_national_median() -> None:
    doc = cli_json("career")
    assert doc["coder_median"]["salary"] == NAT["p50"]
    rel = {r["key"]: r for r in doc["related"]}
    b = RAW["related"]["billing"]
    mid = (b["low"] + b["high"]) / 2  # (40,000 + 55,000) / 2 = 47,500
    assert rel["billing"]["mid"] == dollars(mid)
    assert rel["billing"]["vs_coder"] == {"dollars": dollars(mid) - NAT["p50"],
                                          "percent": round((mid - NAT["p50"]) / NAT["p50"] * 100, 2)}
    assert {"billing", "hit"} <= set(rel)
    out = cli("career").stdout
    assert "Medical billing specialist" in out and "Health information technician" in out
    assert "industry article" in out


def test_years_to_roles_are_labelled_no_public_figure() -> None:
    doc = cli_json("career")
    ladder = {r["role"]: r for r in doc["ladder"]}
    for role in ("supervisor", "manager", "director"):
        assert ladder[role]["public_figure"] is (RAW["roles"][role]["years_source"] != "assumption")
    out = cli("career").stdout
    assert "no public figure" in out


def test_chart_and_json_rows() -> None:
    out = cli("career", "--span", "12").stdout
    assert "█" in out and "Trajectory" in out
    doc = cli_json("career", "--span", "12")
    assert {"year", "role", "salary"} <= set(doc["rows"][0])
    assert doc["query"]["years"] == 0 and doc["query"]["span"] == 12


@pytest.mark.parametrize("args", [["--span", "0"], ["--span", "51"], ["--years", "-1"], ["--years", "51"],
                                  ["--experience", "-1"], ["--experience", "51"],
                                  ["--raise", "3"], ["--raise", "x"], ["--add-cert", "CPC"], ["--add-cert", "CPC@11"],
                                  ["--add-cert", "CPC@1", "--cert", "CPC"], ["--add-cert", "ZZZ@1"],
                                  ["--state", "Texsa"], ["--years", "45", "--span", "10"],
                                  ["--experience", "30", "--years", "21"], ["--years", "30", "--span", "21"],
                                  ["--span", "5", "--until", "2030"], ["--until", "2024"], ["--until", "2075"],
                                  ["--years", "3", "--experience", "4", "--span", "5"]])
def test_bad_values_exit_2(args: list[str]) -> None:
    res = cli("career", *args)
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith("coder-pay: error: ")


@given(code=st.sampled_from(sorted(RAW["states"])), start=st.integers(0, 30), span=st.integers(1, 20),
       raise_rate=st.floats(0, 0.1), cert=st.sampled_from([(), ("CPC",)]))
@settings(max_examples=40, deadline=None)
def test_pay_never_falls_with_a_non_negative_raise(code: str, start: int, span: int, raise_rate: float,
                                                   cert: tuple[str, ...]) -> None:
    res = career_path(T, build_query(T, state=code, certs=cert), span=span, start_experience=start,
                      raise_rate=raise_rate)
    salaries = [r.salary for r in res.rows]
    assert all(b >= a for a, b in zip(salaries, salaries[1:]))
    assert len(res.rows) == span + 1


# --------------------------------------------------------------------------- one meaning of --years (issue 10)


def test_years_is_experience_as_in_every_command() -> None:
    """`career --years 7` starts from 7 years' experience (it used to project 7 years from 0)."""
    doc = cli_json("career", "--years", "7", "--raise", "0")
    rows = doc["rows"]
    assert rows[0]["experience"] == 7 and len(rows) == 11  # the default span, 10 years
    assert doc["query"]["years"] == 7 and doc["query"]["span"] == 10 and "experience" not in doc["query"]
    # the same profile as `estimate --years 7` (senior coder): year 0 is its typical pay
    assert rows[0]["salary"] == cli_json("estimate", "--years", "7")["band"]["mid"]
    assert cli_json("career", "-y", "7", "--raise", "0")["rows"] == rows
    res = cli("career", "--years", "7")
    assert res.exit_code == 0 and res.stderr == ""  # not the old spelling: no warning
    assert "Career from 7 years' experience" in res.stdout


def test_old_spelling_still_works_with_a_warning() -> None:
    """`--years N --experience E` without --span: the old meaning (N years from E), said on stderr."""
    res = cli("career", "--years", "4", "--experience", "2", "--format", "csv")
    assert res.exit_code == 0
    assert res.stderr == ("coder-pay: warning: career --years is now experience; use --span N for the projection "
                          "length (read as --years 2 --span 4, the old meaning, this time).\n")
    assert [line.split(",")[2] for line in res.stdout.splitlines()[1:]] == ["2", "3", "4", "5", "6"]
    new = cli_json("career", "--years", "2", "--span", "4")
    res = cli("career", "--years", "4", "--experience", "2", "--json")
    assert res.stderr == ""  # with --json, stderr carries only an error object: the warning is in `notes`
    old = json.loads(res.stdout)
    assert old["notes"][0].startswith("career --years is now experience")
    assert old["rows"] == new["rows"] and old["query"] == new["query"]
    # with --span the two are one option under two names: equal, or a usage error
    assert cli_json("career", "--years", "3", "--experience", "3", "--span", "2")["rows"][0]["experience"] == 3


def test_until_a_calendar_year() -> None:
    first = RAW["meta"]["wage_year"]  # 2024: the projection starts in the wage year
    rows = cli_json("career", "--until", str(first + 6))["rows"]
    assert [r["calendar_year"] for r in rows] == list(range(first, first + 7))
    rows = cli_json("career", "--until", "2030", "--as-of", "2026")["rows"]  # --as-of moves the start
    assert [r["calendar_year"] for r in rows] == [2026, 2027, 2028, 2029, 2030]


def test_default_span_stops_at_fifty_years_of_experience() -> None:
    rows = cli_json("career", "--years", "45")["rows"]
    assert [r["experience"] for r in rows] == [45, 46, 47, 48, 49, 50]


def test_help_names_span_and_years() -> None:
    out = cli("career", "--help", env={"COLUMNS": "200"}).stdout
    assert "--span" in out and "--until" in out and "Years of experience at the start" in out


def test_senior_coder_from_6_years_is_the_articles_figure_and_the_raise_is_said_once() -> None:
    """Senior coder starts at the article's 6 years (a public figure, if an article's); the senior level's price
    point (10 years) is the assumption, not the ladder. A role's article-only raise is one Caution, not also a Note."""
    doc = cli_json("career", "--state", "TX", "--span", "12")
    ladder = {r["role"]: r for r in doc["ladder"]}
    assert ladder["senior"]["public_figure"] is True and ladder["senior"]["from_years"] == 6
    said = [n for n in doc["notes"] if n.startswith("Promotion raise")]
    flagged = [f for f in doc["flags"] if f["code"] == "article_only" and f["factor"] == "role"]
    assert len(said) + len(flagged) == 1
