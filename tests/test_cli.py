"""`coder-pay estimate` through Typer's CliRunner: output, JSON, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coder_pay.cli import app


def run(runner: CliRunner, *args: str, **kw: object):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), **kw)  # type: ignore[arg-type]


def test_estimate_table_shows_band_adjusted_band_factors_and_vintage(runner: CliRunner) -> None:
    r = run(runner, "estimate", "--state", "CA", "--cert", "CPC")
    assert r.exit_code == 0, r.output
    out = r.stdout
    # CA + CPC, whole market: 47280 / 59700 / 79970 x exp(0.56043 x tanh(ln 1.2020 / 0.56043)) = x1.19441 ->
    # 56472 / 71306 / 95517; at US prices 71306 x 100 / 110.720 = 64402.1 -> 64402 (test_api shows the working)
    for text in ("$56,472", "$71,306", "$95,517", "$64,402", "US average", "Credentials", "Combined", "AAPC 2025",
                 "BLS 2024", "BEA 2024", "BLS OEWS May 2024"):
        assert text in out
    assert "\x1b[" not in out  # no colour codes when not a terminal
    assert r.stderr == ""


def test_estimate_json_is_one_document(runner: CliRunner) -> None:
    r = run(runner, "estimate", "--state", "ca", "--cert", "cpc,crc", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 2
    assert doc["query"]["state"] == "CA" and doc["query"]["credentials"] == ["CPC", "CRC"]
    assert all(isinstance(doc["band"][k], int) for k in ("low", "mid", "high"))
    assert doc["col_adjusted"]["area"] == "US"


def test_thin_data_is_flagged_in_the_table_and_in_json(runner: CliRunner) -> None:
    # [precision]: flagged at a wage RSE >= 4.0 % or an employment RSE >= 10.0 %. [states.DC]: wage_rse 9.7,
    # employment_rse 21.7 (both); [states.UT]: employment_rse 10.0 (exactly at the limit), wage_rse 3.1;
    # [states.CA]: 3.8 and 1.7 (neither). Specialties come from the undated industry article only.
    r = run(runner, "estimate", "--state", "DC")
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())  # Rich wraps the line
    assert ("Caution: Wages in District of Columbia: BLS marks the estimate as imprecise (its mean wage has a relative "
            "standard error of 9.7% and its employment estimate 21.7%); treat the figures as approximate.") in text
    assert "Caution" not in run(runner, "estimate", "--state", "CA").stdout

    def flags(*args: str) -> list[tuple[str, str, str]]:
        r = run(runner, "estimate", *args, "--json")
        assert r.exit_code == 0, r.output
        return [(f["code"], f["factor"], f["message"]) for f in json.loads(r.stdout)["flags"]]

    assert [(c, f) for c, f, _ in flags("--state", "DC")] == [("thin_data", "state")]
    ((code, factor, message),) = flags("--state", "UT")
    assert (code, factor) == ("thin_data", "state") and "employment estimate 10%" in message and "mean wage" not in message
    assert flags("--state", "CA") == []
    assert flags("--state", "CA", "--remote") == []  # remote: the national wages, not the state's, are used
    assert flags("--state", "CA", "--specialty", "oncology") == [
        ("article_only", "specialty", "Specialty premium: from an undated industry article only; no survey gives it.")]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--state", "Califrnia"], "Unknown state 'Califrnia'. Did you mean California (CA)?"),
        (["--state", ""], "--state needs a value"),
        (["--state", "   "], "--state needs a value"),
        (["--cert", "CPX"], "Unknown certification 'CPX'. Did you mean CPC?"),
        (["--years", "-1"], "--years must be from 0 to 50, not -1"),
        (["--years", "99"], "--years must be from 0 to 50, not 99"),
        (["--years", "two"], "'two' is not a valid int"),
        (["--years", "1", "--level", "senior"], "--years 1 conflicts with --level senior"),
        (["--level", "junior"], "Unknown level 'junior'"),
        (["--specialty", "cardio"], "Did you mean cardiology?"),
        (["--setting", "hospitl"], "Did you mean hospital?"),
        (["--home", "Texs"], "Did you mean Texas (TX)?"),
        (["--bogus"], "No such option"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_stdout(runner: CliRunner, args: list[str], needle: str) -> None:
    r = run(runner, "estimate", *args)
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output


def test_json_errors_are_json_on_stderr(runner: CliRunner) -> None:
    for args in (["--state", "ZZ"], ["--years", "abc"]):
        r = run(runner, "estimate", *args, "--json")
        assert r.exit_code == 2 and r.stdout == ""
        doc = json.loads(r.stderr)
        assert doc["error"]["code"] in {"unknown_state", "usage"}
        assert doc["error"]["message"]


def test_missing_data_table_exits_1_naming_the_file(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    r = run(runner, "--data", str(missing), "estimate")
    assert r.exit_code == 1 and r.stdout == ""
    assert str(missing) in r.stderr and "file not found" in r.stderr


def test_malformed_table_from_env_var_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n[meta\nwage_year = 2024\n")
    r = run(runner, "estimate", "--json", env={"CODER_PAY_DATA": str(bad)})
    assert r.exit_code == 1 and r.stdout == ""
    err = json.loads(r.stderr)["error"]
    assert err["code"] == "bad_table" and str(bad) in err["message"]
    assert err["problems"][0]["line"] == 2


def test_data_option_wins_over_env(runner: CliRunner, tmp_path: Path, table_text: str) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(table_text.replace("p50 = 59700", "p50 = 59800", 1))
    r = run(runner, "--data", str(mine), "estimate", "--state", "CA", "--json",
            env={"CODER_PAY_DATA": str(tmp_path / "missing.toml")})
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["band"]["mid"] == 59800


def test_version_and_help(runner: CliRunner) -> None:
    from coder_pay import __version__

    assert run(runner, "--version").stdout.strip() == f"coder-pay {__version__}"
    r = run(runner, "estimate", "--help")
    assert r.exit_code == 0 and "--state" in r.stdout and "--json" in r.stdout
