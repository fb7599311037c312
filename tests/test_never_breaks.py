"""Output that never breaks (issue 10): suggestions that point the right way, notes said once, tables that
fit the terminal and the stream's encoding, data tables whose misspelt keys are caught."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.table import default_path

ENV = {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "COLUMNS": "120", "NO_COLOR": "1", "CODER_PAY_DATA": ""}
TEXT = default_path().read_text(encoding="utf-8")


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


def edited(tmp_path: Path, *edits: tuple[str, str], name: str = "mine.toml") -> Path:
    text = TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- wrong suggestions


@pytest.mark.parametrize(("typed", "code"), [
    ("Washington DC", "DC"), ("Washington, D.C.", "DC"), ("D.C.", "DC"), ("washington d.c.", "DC"),
    ("Mass", "MA"), ("Mass.", "MA"), ("Penn", "PA"), ("Calif", "CA"), ("Wash.", "WA"), ("N. Dak.", "ND"),
    ("Washington", "WA"), ("District of Columbia", "DC"),
])
def test_state_names_and_common_abbreviations_resolve(typed: str, code: str) -> None:
    """'Washington DC' suggested Washington, 'Mass' suggested Mississippi."""
    r = run("estimate", "--state", typed, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["query"]["state"] == code
    r = run("compare", "--offer", f"{typed}:60000", "--offer", "TX:50000", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rows"][0]["code"] == code


@pytest.mark.parametrize(("typed", "hint"), [
    ("Massa", "Did you mean Massachusetts (MA)?"),
    ("Masachusets", "Did you mean Massachusetts (MA)?"),
    ("New", "Did you mean New Hampshire (NH), New Jersey (NJ), New Mexico (NM) or New York (NY)?"),
    ("Califrnia", "Did you mean California (CA)?"),
])
def test_an_unknown_state_suggests_the_states_it_starts(typed: str, hint: str) -> None:
    r = run("estimate", "--state", typed)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == f"coder-pay: error: Unknown state '{typed}'. {hint} Use a USPS code such as CA or a full name.\n"


def test_state_aliases_come_from_the_data_table(tmp_path: Path) -> None:
    mine = edited(tmp_path, ('aliases = ["Mass."]', 'aliases = ["Bay State"]'))
    r = run("--data", str(mine), "estimate", "--state", "bay state", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["query"]["state"] == "MA"
    r = run("--data", str(mine), "estimate", "--state", "Mass")  # no longer an alias: a suggestion
    assert r.exit_code == 2 and "Did you mean Massachusetts (MA)?" in r.stderr
    clash = edited(tmp_path, ('aliases = ["Mass."]', 'aliases = ["Miss."]'), name="clash.toml")
    r = run("--data", str(clash), "data", "validate")
    assert r.exit_code == 1
    assert "states.MS.aliases: 'Miss.' is already a name of states.MA" in r.stdout  # (MA is read first)


@pytest.mark.parametrize("argv", [
    ["estimate", "--data", "x.toml"],
    ["estimate", "--state", "New York", "--data", "x.toml", "--cert", "CPC"],
    ["data", "validate", "--data", "x.toml"],
])
def test_a_global_option_after_the_command_says_where_it_goes(argv: list[str]) -> None:
    """`estimate --data x.toml` suggested --state."""
    r = run(*argv)
    assert (r.exit_code, r.stdout) == (2, "")
    fixed = ["--data", "x.toml"] + [a for a in argv if a not in ("--data", "x.toml")]
    assert r.stderr == f"coder-pay: error: put --data before the command: {shlex.join(['coder-pay', *fixed])}\n"
    assert "--state" not in r.stderr.split(":")[2]  # no look-alike option suggested
    r = run(*argv, "--json")
    err = json.loads(r.stderr)["error"]
    assert err["code"] == "usage" and err["message"].startswith("put --data before the command: coder-pay --data x.toml ")


def test_a_bad_tables_hint_validates_the_table_named(tmp_path: Path) -> None:
    bad = edited(tmp_path, ("p50 = 59700", "p50 = -1"), ("rpp_all = 112.581", 'rpp_all = "high"'),
                 name="my table.toml")
    r = run("--data", str(bad), "estimate")
    assert r.exit_code == 1
    hint = f"run: coder-pay --data {shlex.quote(str(bad))} data validate)"
    assert r.stderr.rstrip("\n").endswith(hint), r.stderr
    r = run("estimate", env={"CODER_PAY_DATA": str(bad)})
    assert r.stderr.rstrip("\n").endswith(hint)
    # and that command does list both problems
    r = run(*shlex.split(hint.removeprefix("run: coder-pay ").rstrip(")")))
    assert r.exit_code == 1 and "states.CA.p50" in r.stdout and "states.CA.rpp_all" in r.stdout
