"""Issue 16 item 7 and issue 14 item 5 through the command line (CliRunner and the installed command), and the
laws of local taxes (hypothesis). Figures worked by hand in tests/test_tax_forms.py and tests/test_localtax.py."""

from __future__ import annotations

import json
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.localtax import LocalPlace
from coder_pay.table import Table
from coder_pay.tax import require_tax, take_home
from conftest import ROOT
from test_tax_contract import schema


def cli_json(*args: str) -> dict:  # type: ignore[type-arg]
    r = CliRunner().invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    doc: dict = json.loads(r.stdout)  # type: ignore[type-arg]
    return doc


def test_ohio_exemption_by_income_through_the_cli() -> None:
    # $50,000: exemption $2,150 (MAGI above 40,000): 342.00 + 2.75% x (47,850 - 26,050) = 941.50 -> $942
    doc = cli_json("take-home", "50000", "--state", "OH")
    assert doc["state_income_tax_cents"] == 94_150 and doc["working"]["state"]["exemption"] == 2150
    assert not doc["flagged"] and doc["local"] == [] and doc["local_income_tax"] == 0
    assert any("personal exemption $2,150" in a for a in doc["working"]["state"]["adjustments"])


def test_oregon_names_the_kicker_and_subtracts_federal_tax() -> None:
    doc = cli_json("take-home", "50000", "--state", "OR")
    # federal tax 3,871.50 subtracted: taxable 50,000 - 2,835 - 3,871.50 = 43,293.50 -> 3,478.18 - 256 = 3,222.18
    assert doc["state_income_tax_cents"] == 322_218
    assert doc["flagged"] and any("kicker" in c for c in doc["caveats"])
    assert any("federal income tax deducted" in a for a in doc["working"]["state"]["adjustments"])


def test_a_refundable_credit_below_the_tax_is_money_back_and_valid_json() -> None:
    # Idaho, $15,000: no Idaho tax (taxable 0 after the 15,750 deduction); the $155 grocery credit is paid out
    doc = cli_json("take-home", "15000", "--state", "ID")
    assert doc["state_income_tax"] == -155 and doc["state_income_tax_cents"] == -15_500
    assert not sorted(schema("take-home").iter_errors(doc), key=str)
    assert doc["gross_cents"] - sum(doc[f"{k}_cents"] for k in ("federal_income_tax", "social_security", "medicare",
                                                                 "state_income_tax", "local_income_tax")) \
        == doc["take_home_cents"]


def test_the_table_shows_the_law_applied() -> None:
    r = CliRunner().invoke(app, ["take-home", "70000", "--state", "CT"])
    assert r.exit_code == 0, r.output
    flat = " ".join(r.stdout.split())
    # CT $70,000: 3,100 + the $75 add-back, no credit above 64,500: 3,175.00
    assert "-$3,175.00" in flat and "phase-out of the 2% bracket: +$75" in flat


def test_installed_command_applies_the_forms(coder_pay_cmd: str) -> None:
    r = subprocess.run([coder_pay_cmd, "take-home", "90000", "--state", "MO", "--json"], capture_output=True,
                       text=True, timeout=60, cwd=ROOT.parent)
    assert r.returncode == 0 and r.stderr == ""
    doc = json.loads(r.stdout)
    # MO $90,000: federal tax 11,249 x 15% = 1,687.35 deducted; taxable 90,000 - 15,750 - 1,687.35 = 72,562.65
    assert doc["working"]["state"]["taxable_income"] == 72_563 and not doc["flagged"]


# --------------------------------------------------------------------------- laws of local taxes

PLACES = [
    LocalPlace("PA", ("42101",), "Philadelphia"), LocalPlace("NJ", ("34007",), "Camden"),
    LocalPlace("NY", ("36047",), "Brooklyn"), LocalPlace("NY", ("36119",), "Yonkers"),
    LocalPlace("MI", ("26163",), "Detroit"), LocalPlace("MI", ("26065",), "Lansing"),
    LocalPlace("OH", ("39035",), "Cleveland"), LocalPlace("OH", ("39035",), "Lakewood"),
    LocalPlace("KY", ("21111",), "Louisville"), LocalPlace("KY", ("21067",), "Lexington-Fayette"),
    LocalPlace("MD", ("24031",), None), LocalPlace("IN", ("18097",), None), LocalPlace("CO", ("08031",), "Denver"),
    LocalPlace("OR", ("41051",), "Portland"), LocalPlace("MO", (), "Kansas City"), LocalPlace("TX", (), "Austin"),
]


@settings(max_examples=200, deadline=None)
@given(work=st.sampled_from(PLACES), home=st.sampled_from([None, *PLACES]),
       gross=st.integers(min_value=0, max_value=400_000))
def test_local_taxes_are_never_negative_and_only_lower_take_home(table: Table, work: LocalPlace,
                                                                 home: LocalPlace | None, gross: int) -> None:
    tax = require_tax(table)
    lives = (home or work).state
    plain = take_home(tax, gross, lives)
    r = take_home(tax, gross, lives, work=work, home=home)
    assert all(ln.amount >= 0 for ln in r.local)
    assert r.local_income_tax == round(sum(ln.amount for ln in r.local), 2)
    assert r.take_home == round(plain.take_home - r.local_income_tax, 2)
    # each jurisdiction at most once; a resident of it is never also charged as a nonresident
    keys = [ln.key for ln in r.local]
    assert len(keys) == len(set(keys))
    # living and working in the same place is the default (home None)
    if home is None:
        assert r == take_home(tax, gross, lives, work=work, home=work)
