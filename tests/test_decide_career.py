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
NOW = 2026  # CODER_PAY_TODAY in conftest: career starts in the current year, in its dollars


def typical(years: float, level: str | None = None, creds: tuple[str, ...] = (), state: str | None = None) -> int:
    """National typical pay at `years` (with a role: the role's pay) in the current year's dollars, worked from the
    docs/estimate.md (hand_band)."""
    return hand_band(state=state, years=years, level=level, creds=creds, as_of=NOW)[1]


def test_the_pay_points_used_below_by_hand() -> None:
    # e(y) = 0.5212 x (exp(-7.1/9) - exp(-y/9)), bounded toward p10 below the median as docs/estimate.md says:
    # 0 years: e = -0.284393, past the knee 0.7 x ln(50,250/35,780) = 0.237735, so the bounded value is
    # -(0.237735 + 0.101886 x tanh(0.046658/0.101886)) = -0.281384 -> 50,250 x e^-0.281384 = 37,925.6 -> $37,926
    assert hand_band(years=0)[1] == 37926
    # 3 years: e = -0.136649 (inside the knee) -> 50,250 x e^-0.136649 = 43,831.9 -> $43,832
    assert hand_band(years=3)[1] == 43832
    # aged to 2026: x 51,140 / 50,250 (BLS May 2025 / May 2024, published) x 1.0239 (the rate past 2025)
    assert typical(0) == round(37925.6 * 51140 / 50250 * (1 + RATE))


def test_a_coder_stays_a_coder_by_default() -> None:
    """Issue 16: without --ladder no role above senior coder, however long the projection."""
    doc = cli_json("career", "--span", "40", "--raise", "0")
    assert {r["role"] for r in doc["rows"]} == {"coder", "senior"}
    assert doc["promotions"] is False and [r["role"] for r in doc["ladder"]] == ["coder", "senior"]
    by_exp = {r["experience"]: r["salary"] for r in doc["rows"]}
    for years in (0, 3, 6, 9, 12, 16, 30):
        assert by_exp[years] == typical(years)
    assert "a coder stays a coder" in cli("career").stdout


def test_roles_and_pay_up_the_ladder_without_raises() -> None:
    doc = cli_json("career", "--span", "20", "--raise", "0", "--ladder")
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
    assert by_exp[0] == typical(0)
    assert by_exp[6] == typical(6)  # senior coder: a title, no jump
    # a role: its BLS occupation's wages at its typical position (national: no placement), never below the coder's
    occ = RAW["occupations"]
    assert RAW["roles"]["supervisor"]["occupation"] == "43-1011" and RAW["roles"]["manager"]["occupation"] == "11-9111"
    g = 51140 / 50250 * (1 + RATE)  # 2024 -> 2026
    assert by_exp[sup] == max(round(occ["43-1011"]["p50"] * g), typical(sup)) == round(66140 * g)
    assert by_exp[man] == round(occ["11-9111"]["p25"] * g) == round(88560 * g)
    assert by_exp[dir_] == round(occ["11-9111"]["p50"] * g) == round(117960 * g)
    assert doc["query"]["ladder"] is True and doc["promotions"] is True


def test_a_role_in_a_state_is_placed_in_its_market() -> None:
    """Ohio: the role's national figure x Ohio's coder median / the national coder median."""
    rows = cli_json("career", "-s", "OH", "--ladder", "--years", "9", "--span", "1", "--raise", "0")["rows"]
    oh = RAW["states"]["OH"]["p50"] / NAT["p50"]
    g = 51140 / 50250 * (1 + RATE)
    assert rows[0]["role"] == "supervisor"
    assert rows[0]["salary"] == max(round(66140 * oh * g), typical(9, state="OH"))


def test_default_raise_is_the_tables_wage_growth() -> None:
    doc = cli_json("career")
    assert doc["raise"] == {"rate": RATE, "from_table": True, "basis": RAW["wage_growth"]["basis"],
                            "source": RAW["wage_growth"]["source"]}
    rows = doc["rows"]
    assert len(rows) == 11  # year 0 (now) to year 10
    assert rows[0]["salary"] == typical(0)
    assert rows[1]["salary"] == dollars(typical(1) * (1 + RATE))
    assert rows[4]["salary"] == dollars(typical(4) * (1 + RATE) ** 4)
    assert rows[10]["salary"] == dollars(typical(10) * (1 + RATE) ** 10)
    assert all(r["calendar_year"] == NOW + r["year"] for r in rows)  # starts this year, not in 2024
    assert doc["vintage"]["wage_year"] == NOW and doc["vintage"]["reason"] == "today"
    out = cli("career").stdout
    assert f"{RATE:.2%}" in out and "wage growth" in out


@pytest.mark.parametrize("text, rate", [("5%", 0.05), ("0.05", 0.05), ("-1%", -0.01)])
def test_raise_option(text: str, rate: float) -> None:
    doc = cli_json("career", "--raise", text, "--span", "3")
    assert doc["raise"]["rate"] == pytest.approx(rate) and doc["raise"]["from_table"] is False
    assert doc["rows"][3]["salary"] == dollars(typical(3) * (1 + rate) ** 3)


def test_start_experience() -> None:
    rows = cli_json("career", "--years", "7", "--span", "3", "--raise", "0", "--ladder")["rows"]
    assert [r["experience"] for r in rows] == [7, 8, 9, 10]
    assert cli_json("career", "--experience", "7", "--span", "3", "--raise", "0", "--ladder")["rows"] == rows
    assert [r["role"] for r in rows] == ["senior", "senior", "supervisor", "supervisor"]
    assert "promoted to Coding supervisor" in rows[2]["events"]


def test_add_cert_from_a_given_year() -> None:
    rows = cli_json("career", "--add-cert", "CPC@3", "--span", "5", "--raise", "0")["rows"]
    assert [r["credentials"] for r in rows] == [[], [], [], ["CPC"], ["CPC"], ["CPC"]]
    assert "adds CPC" in rows[3]["events"]
    assert rows[2]["salary"] == typical(2)
    assert rows[3]["salary"] == typical(3, creds=("CPC",))  # 3 years of experience: past the apprentice stage
    assert rows[3]["apprentice"] == []


def test_add_cert_early_is_an_apprentice_as_in_certs() -> None:
    """Issue 16 item 5: one story. A CPC added at 1 year of experience is a CPC-A until 24 months of experience:
    paid 82 % of CPC pay, never less than without it; certs -y 1 counts the same 12 months."""
    rows = cli_json("career", "-s", "TX", "--add-cert", "CPC@1", "--span", "3", "--raise", "0")["rows"]
    with_cpc = typical(1, creds=("CPC",), state="TX")
    without = typical(1, state="TX")
    assert rows[1]["apprentice"] == ["CPC"] and "adds CPC (as CPC-A, apprentice)" in rows[1]["events"]
    assert rows[1]["salary"] == max(round(with_cpc * 0.82), without)
    assert rows[2]["apprentice"] == [] and "CPC-A becomes CPC" in rows[2]["events"]
    assert rows[2]["salary"] == typical(2, creds=("CPC",), state="TX")
    certs = cli_json("certs", "-s", "TX", "-y", "1")
    cpc = next(r for r in certs["rows"] if r["code"] == "CPC")
    assert cpc["apprentice"]["months"] == 12  # 24 months of experience less the 12 already had
    certs0 = cli_json("certs", "-s", "TX", "-y", "0")
    assert next(r for r in certs0["rows"] if r["code"] == "CPC")["apprentice"]["months"] == 24


def test_related_careers_are_bls_occupations_beside_the_coders_median() -> None:
    doc = cli_json("career")
    assert doc["coder_median"]["salary"] == NAT["p50"] == 50250
    rel = {r["occupation"]: r for r in doc["related"]}
    assert "29-2072" not in rel  # never the coders' own occupation as another career
    assert set(rel) == {"29-9021", "43-3021", "11-9111", "43-1011", "13-1041", "31-9094", "43-6013", "31-9092",
                        "43-9041"}
    # BLS May 2024 national (SOURCES.md section 21), checked by hand against the raw rows
    assert (rel["29-9021"]["p25"], rel["29-9021"]["median"], rel["29-9021"]["p75"]) == (48400, 67310, 92410)
    assert (rel["43-3021"]["p25"], rel["43-3021"]["median"], rel["43-3021"]["p75"]) == (40260, 47170, 56350)
    assert rel["43-3021"]["vs_coder"] == {"dollars": 47170 - 50250, "percent": round((47170 - 50250) / 50250 * 100, 2)}
    medians = [r["median"] for r in doc["related"]]
    assert medians == sorted(medians, reverse=True)
    out = cli("career", env={"COLUMNS": "200"}).stdout
    assert "Billing and posting clerk" in out and "Medical records specialist" not in out
    assert "$50,250" in out


def test_years_to_roles_are_labelled_no_public_figure() -> None:
    doc = cli_json("career", "--ladder")
    ladder = {r["role"]: r for r in doc["ladder"]}
    for role in ("supervisor", "manager", "director"):
        assert ladder[role]["public_figure"] is (RAW["roles"][role]["years_source"] != "assumption")
        assert ladder[role]["occupation"] == RAW["roles"][role]["occupation"]
    assert any(n.startswith("Years to each role above senior coder: no public figure") for n in doc["notes"])
    out = cli("career", "--ladder").stdout
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
                                  ["--span", "5", "--until", "2030"], ["--until", "2026"], ["--until", "2077"],
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
    # the same profile as `estimate --years 7` (senior coder) aged to this year: year 0 is its typical pay
    assert rows[0]["salary"] == cli_json("estimate", "--years", "7", "--as-of", "2026")["band"]["mid"]
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
    first = NOW  # the projection starts in the current year
    rows = cli_json("career", "--until", str(first + 6))["rows"]
    assert [r["calendar_year"] for r in rows] == list(range(first, first + 7))
    rows = cli_json("career", "--until", "2030", "--as-of", "2027")["rows"]  # --as-of moves the start
    assert [r["calendar_year"] for r in rows] == [2027, 2028, 2029, 2030]


def test_default_span_stops_at_fifty_years_of_experience() -> None:
    rows = cli_json("career", "--years", "45")["rows"]
    assert [r["experience"] for r in rows] == [45, 46, 47, 48, 49, 50]


def test_help_names_span_and_years() -> None:
    out = cli("career", "--help", env={"COLUMNS": "200"}).stdout
    assert "--span" in out and "--until" in out and "Years of experience at the start" in out


def test_senior_coder_from_6_years_is_the_articles_figure() -> None:
    """Senior coder starts at the article's 6 years (a public figure, if an article's); the senior level's price
    point (10 years) is the assumption, not the ladder. No promotion raise from the article any more."""
    doc = cli_json("career", "--state", "TX", "--span", "12", "--ladder")
    ladder = {r["role"]: r for r in doc["ladder"]}
    assert ladder["senior"]["public_figure"] is True and ladder["senior"]["from_years"] == 6
    assert not [n for n in doc["notes"] if n.startswith("Promotion raise")]
    assert not [f for f in doc["flags"] if f["factor"] == "role"]


# --------------------------------------------------------------------------- laws (issue 16)


@given(code=st.sampled_from(sorted(RAW["states"])), start=st.integers(0, 40), span=st.integers(1, 10),
       cert=st.sampled_from([(), ("CPC",), ("CPC", "CRC")]), add=st.sampled_from([(), (("CPC", 1),), (("CRC", 2),)]))
@settings(max_examples=60, deadline=None)
def test_without_the_ladder_no_role_above_senior_coder(code: str, start: int, span: int, cert: tuple[str, ...],
                                                       add: tuple[tuple[str, int], ...]) -> None:
    span = min(span, 50 - start)
    added = tuple(a for a in add if a[0] not in cert)
    res = career_path(T, build_query(T, state=code, certs=cert), span=span, start_experience=start, added=added)
    assert {r.role for r in res.rows} <= {"coder", "senior"}


@given(code=st.sampled_from(sorted(RAW["states"])), start=st.integers(0, 30), span=st.integers(1, 20),
       cert=st.sampled_from([(), ("CPC",), ("CCS",), ("CPC", "CRC", "CPMA")]), remote=st.booleans(),
       setting=st.sampled_from(["any", "hospital", "physician-offices"]),
       add=st.sampled_from([(), (("CPC", 1),), (("CRC", 3),), (("CPC", 0), ("CRC", 5))]))
@settings(max_examples=80, deadline=None)
def test_with_the_ladder_no_jump_above_6_percent_but_at_a_promotion_or_a_credential(
        code: str, start: int, span: int, cert: tuple[str, ...], remote: bool, setting: str,
        add: tuple[tuple[str, int], ...]) -> None:
    """No year-to-year change above 6 % in the year's typical pay (today's dollars: the raise is on top) except
    in a year with an event (a promotion, a new credential, an apprentice becoming a full holder); and a role's
    pay inside the published p10-p90 of its BLS occupation placed in the state."""
    from coder_pay.model import role_distribution

    span = min(span, 50 - start)
    added = tuple(a for a in add if a[0] not in cert)
    q = build_query(T, state=code, certs=cert, remote=remote, setting=setting)
    res = career_path(T, q, span=span, start_experience=start, added=added, ladder=True)
    for a, b in zip(res.rows, res.rows[1:]):
        if not b.events:
            assert b.base <= a.base * 1.06 + 1, (a, b)
    g = 51140 / 50250 * (1 + RATE)
    for r in res.rows:
        if r.role in ("supervisor", "manager", "director"):
            d = role_distribution(T, r.role, T.national if remote else T.states[code].wages)
            assert d.p10 * g - 1 <= r.base <= d.p90 * g + 1

