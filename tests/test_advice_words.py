"""Issue 16 items 6 and 8: credentials on the newer figures, compare's sentences for any number of places, offers
with their own setting and remote flag, titles that do not repeat themselves, suggestions that know synonyms."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay.decide import compare_offers
from coder_pay.model import estimate
from coder_pay.query import build_query, parse_offer
from decide_support import RAW, cli, cli_json, table

T = table()


def flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- suggestions


@pytest.mark.parametrize("typed, meant", [("junior", "entry"), ("Jr", "entry"), ("beginner", "entry"),
                                          ("intermediate", "mid"), ("sr", "senior"), ("veteran", "senior")])
def test_a_level_synonym_suggests_the_level_it_means(typed: str, meant: str) -> None:
    res = cli("estimate", "--level", typed)
    assert res.exit_code == 2 and f"Did you mean {meant}?" in res.stderr


@pytest.mark.parametrize("option", ["--setting", "--specialty", "--level"])
@pytest.mark.parametrize("word", ["remote", "work from home", "WFH"])
def test_remote_as_a_value_points_to_the_remote_option(option: str, word: str) -> None:
    res = cli("estimate", option, word)
    assert res.exit_code == 2 and "use --remote" in res.stderr and "Did you mean" not in res.stderr


@pytest.mark.parametrize("place, name", [("Guam", "Guam"), ("GU", "Guam"), ("Puerto Rico", "Puerto Rico"), ("PR", "Puerto Rico")])
def test_a_territory_is_named_as_not_covered_never_mapped_to_a_state(place: str, name: str) -> None:
    res = cli("estimate", "--state", place)
    assert res.exit_code == 2
    assert f"{name} is not covered" in res.stderr and "Georgia" not in res.stderr and "Did you mean" not in res.stderr


def test_plus_joins_credentials_like_a_comma() -> None:
    assert build_query(T, certs=["CPC+CRC"]).credentials == build_query(T, certs=["CPC,CRC"]).credentials == ("CPC", "CRC")
    assert cli_json("estimate", "--cert", "CPC+CRC")["band"] == cli_json("estimate", "--cert", "CPC,CRC")["band"]


@pytest.mark.parametrize("command", [["estimate"], ["take-home", "50000"]])
@pytest.mark.parametrize("option", [["--format", "csv"], ["-f", "csv"], ["--format", "json"]])
def test_a_table_option_on_a_command_without_it_points_to_json(command: list[str], option: list[str]) -> None:
    res = cli(*command, *option)
    assert res.exit_code == 2 and res.stdout == ""
    msg = json.loads(res.stderr)["error"]["message"] if "json" in option else res.stderr
    assert f"{command[0]} has no {option[0]}" in msg and "--json" in msg and "--remote" not in msg


# --------------------------------------------------------------------------- compare's sentences


def test_leads_read_right_for_any_number_of_states() -> None:
    """Was: 'Washington, $7,669 more than Colorado; the gap is 14.0 % of Ohio's' (Ohio neither)."""
    out = flat(cli("compare", "-s", "OH", "-s", "TX", "-s", "WA", "-s", "CO", env={"COLUMNS": "200"}).stdout)
    doc = cli_json("compare", "-s", "OH", "-s", "TX", "-s", "WA", "-s", "CO")
    lead = next(x for x in doc["leads"] if x["measure"] == "pay")
    assert (lead["winner"], lead["runner_up"]) == ("WA", "CO")
    co = next(r for r in doc["rows"] if r["code"] == "CO")["band"]["mid"]
    pct = lead["by"]["dollars"] / co * 100  # of Colorado's own figure
    want = f"Highest typical pay: Washington, ${lead['by']['dollars']:,} more than Colorado, the next highest (+{pct:.1f}%)."
    assert want in out
    assert "of Ohio's" not in out.split("Highest typical pay")[1].split(".")[0]
    two = flat(cli("compare", "-s", "OH", "-s", "WA").stdout)  # two places: the first row's figure, as its cells
    assert re.search(r"Highest typical pay: Washington, \$[\d,]+ more than Ohio; the gap is [\d.]+% of Ohio's", two)


# --------------------------------------------------------------------------- offers with their own setting


def test_an_offer_carries_its_own_setting_and_remote_flag() -> None:
    o = parse_offer(T, "OH:27/hr:insurance:remote")
    assert (o.state, o.salary, o.setting, o.remote) == ("OH", 27 * 2080, "insurance", True)
    assert parse_offer(T, "OH:58000").setting is None and parse_offer(T, "OH:58000").remote is None
    assert parse_offer(T, "New York:65k:remote").state == "NY"
    res = compare_offers(T, build_query(T), [("OH", 58000), ("OH", 56160, "insurance", True)])
    a, b = res.rows
    assert (a.setting, a.remote, b.setting, b.remote) == ("any", False, "insurance", True)
    # each offer against its own market: the remote insurance job against national pay at an insurer, today
    want = estimate(T, build_query(T, state="OH", setting="insurance", remote=True, as_of=2026)).band
    assert b.market == want and a.market == estimate(T, build_query(T, state="OH", as_of=2026)).band
    doc = cli_json("compare", "--offer", "OH:58000", "--offer", "OH:27/hr:insurance:remote")
    assert [(r["setting"], r["remote"]) for r in doc["rows"]] == [("any", False), ("insurance", True)]
    out = flat(cli("compare", "--offer", "OH:58000", "--offer", "OH:27/hr:insurance:remote", env={"COLUMNS": "200"}).stdout)
    assert "Ohio $56,160, insurance carrier (payer), remote" in out
    bad = cli("compare", "--offer", "OH:58000:hospitl")
    assert bad.exit_code == 2 and "Did you mean hospital?" in bad.stderr


# --------------------------------------------------------------------------- titles


def test_a_remote_title_says_remote_once() -> None:
    """Was: 'remote (national pay) in Ohio (remote)'."""
    title = flat(cli("certs", "--remote", "-s", "OH", env={"COLUMNS": "200"}).stdout).split(" (typical pay")[0]
    assert title.count("remote") == 1 and "living in Ohio" in title


# --------------------------------------------------------------------------- credentials on the newer figures


def test_cpco_and_cdeo_are_priced_from_aapc_2021() -> None:
    for code, avg in (("CPCO", 80550), ("CDEO", 73723)):
        c = T.credentials[code]
        assert c.premium == pytest.approx(round(avg / 60097, 4)) and c.premium_source == "aapc_2021"
        factors = cli_json("estimate", "--cert", code)["factors"]
        cred = next(f for f in factors if f["factor"] == "credentials")
        assert f"{code} x{avg / 60097:.3f}" in cred["detail"]
    # fits the model: CPCO alone stays under the survey's CPCO-vs-non-certified ratio (80,550 / 47,200)
    assert RAW["credential_count"]["1"]["multiplier"] * T.credentials["CPCO"].premium < 80550 / 47200


def test_the_aapc_2019_steps_for_two_and_three_credentials() -> None:
    one = RAW["credential_count"]["1"]["multiplier"]
    assert RAW["credential_count"]["2"]["multiplier"] == pytest.approx(one * 64890 / 55923, abs=1e-4)
    assert RAW["credential_count"]["3"]["multiplier"] == pytest.approx(one * 70608 / 55923, abs=1e-4)
    assert RAW["credential_count"]["3"]["source"] == "aapc_2019"


@pytest.mark.parametrize("code", ["CCS", "CCS-P", "CCA", "RHIT", "RHIA", "CDIP"])
def test_ahima_credentials_say_they_get_the_pooled_figure(code: str) -> None:
    doc = cli_json("estimate", "--cert", code)
    assert any("pooled 'any credential' figure" in n and code in n for n in doc["notes"])
    assert T.credentials[code].premium is None


# --------------------------------------------------------------------------- honest tails (issue 16 item 4)

@given(code=st.one_of(st.none(), st.sampled_from(sorted(RAW["states"]))), salary=st.integers(1, 2_000_000),
       years=st.one_of(st.none(), st.integers(0, 50)), remote=st.booleans())
@settings(max_examples=150, deadline=None)
def test_no_percentile_beyond_what_bls_publishes(code: str | None, salary: int, years: int | None, remote: bool) -> None:
    """Every percentile an offer reports, in the document and in words, is within p10-p90; beyond them it is marked."""
    from coder_pay.decide import offer_check
    from coder_pay.documents import offer_doc

    res = offer_check(T, build_query(T, state=code, years=years, remote=remote), salary)
    doc = offer_doc(T, res)
    prof = res.estimate.profile
    for pct, mark, dist in ((doc["percentile"], doc["beyond_published"], prof),
                            (doc["whole_market"]["percentile"], doc["whole_market"]["beyond_published"], None)):
        assert 10 <= pct <= 90
        if dist is not None:
            assert mark == ("below" if salary < dist.p10 else "above" if salary > dist.p90 else None)
        assert (mark == "below") <= (pct == 10) and (mark == "above") <= (pct == 90)


def test_batch_and_audit_mark_salaries_beyond_the_published_range() -> None:
    """A salary row's position is 'below p10' / 'above p90' beyond what BLS publishes (its percentile reads 10 / 90)."""
    from typer.testing import CliRunner

    from coder_pay.cli import app

    def run(*args: str, text: str) -> str:
        return CliRunner().invoke(app, list(args), input=text, env={"CODER_PAY_TODAY": "2026-12-05"}).stdout

    out = run("batch", "--compact", "--no-summary", text="state,salary\nOH,20000\nOH,200000\nOH,53000\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["percentile"], r["position"]) for r in rows[:2]] == [(10.0, "below p10"), (90.0, "above p90")]
    assert rows[2]["position"].startswith("p") and 10 <= rows[2]["percentile"] <= 90
    doc = json.loads(run("audit", "-", "--json", text="Employee ID,state,salary\nA1,OH,20000\nA2,OH,50000\n"))
    furthest = {f["input"]["Employee ID"]: f for f in doc["furthest_below"]}
    assert doc["vintage"]["reason"] == "today" and doc["wage_year"] == 2026
    assert furthest["A1"]["position"] == "below p10" and furthest["A1"]["percentile"] == 10.0
