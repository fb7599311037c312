"""Values as people type them (issue 10): credentials in one value ('CPC CRC', 'CPC/CCS', 'CPC-A'),
fractional years ('3.5', '4 yrs'), and settings and specialties by other names ('clinic', 'payer',
BLS industry titles) - in the core, through the CLI, and in the table's `aliases`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coder_pay import load_table
from coder_pay.cli import app
from coder_pay.model import estimate
from coder_pay.query import (
    Query,
    UsageError,
    build_query,
    check_level_years,
    credential_notes,
    parse_years,
    resolve_credentials,
    resolve_factor,
)
from coder_pay.table import default_path, name_key
from conftest import CLI_ENV, problems_of

TABLE = load_table()
ENV = CLI_ENV
runner = CliRunner()


def invoke(args):
    return runner.invoke(app, args, env=ENV, catch_exceptions=False)


# --------------------------------------------------------------------------- credentials


@pytest.mark.parametrize("typed", ["CPC CRC", "CPC/CRC", "CPC;CRC", "CPC|CRC", "cpc, crc", " CPC  /  crc ", "CPC\tCRC"])
def test_several_credentials_in_one_value(typed):
    assert resolve_credentials(TABLE, [typed]) == ("CPC", "CRC")


def test_cert_cpc_crc_on_the_command_line_is_two_credentials():
    """Was: "Unknown certification 'CPC CRC'. Did you mean CRC?" (issue 10, wrong suggestions)."""
    r = invoke(["estimate", "--state", "CA", "--cert", "CPC CRC", "--json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["query"]["credentials"] == ["CPC", "CRC"]
    both = invoke(["estimate", "--state", "CA", "--cert", "CPC", "--cert", "CRC", "--json"])
    assert json.loads(r.stdout)["band"] == json.loads(both.stdout)["band"]


def test_a_misspelt_credential_among_several_is_named_alone():
    r = invoke(["estimate", "--cert", "CPC CRX"])
    assert r.exit_code == 2
    assert "Unknown certification 'CRX'. Did you mean CRC?" in r.stderr


def test_cpc_a_is_read_as_cpc_with_a_note():
    """CPC-A is the apprentice designation of CPC; the model has no apprentice stage, so it is priced
    as CPC and the output says so, with the table's apprentice ratio."""
    ratio = TABLE.credentials["CPC"].apprentice_ratio
    assert ratio is not None  # the table gives CPC an apprentice stage
    assert resolve_credentials(TABLE, ["CPC-A"]) == ("CPC",)
    assert resolve_credentials(TABLE, ["cpc-a, CRC"]) == ("CPC", "CRC")
    [note] = credential_notes(TABLE, ["CPC-A"])
    assert note.startswith("CPC-A (apprentice) is priced as CPC") and f"{ratio:.0%}" in note
    assert credential_notes(TABLE, ["CPC", "CRC"]) == ()
    a = json.loads(invoke(["estimate", "--state", "TX", "--cert", "CPC-A", "--json"]).stdout)
    b = json.loads(invoke(["estimate", "--state", "TX", "--cert", "CPC", "--json"]).stdout)
    assert a["band"] == b["band"] and a["query"]["credentials"] == ["CPC"]
    assert note in a["notes"] and note not in b["notes"]
    text = invoke(["estimate", "--state", "TX", "--cert", "CPC-A"]).stdout
    assert "CPC-A (apprentice) is priced as CPC" in " ".join(text.split())
    offer = json.loads(invoke(["offer", "45000", "--state", "TX", "--cert", "CPC-A", "--json"]).stdout)
    assert note in offer["notes"]


def test_an_apprentice_designation_only_for_credentials_with_an_apprentice_stage():
    without = [c for c, cred in TABLE.credentials.items() if cred.apprentice_ratio is None]
    assert without  # e.g. CCS
    with pytest.raises(UsageError) as info:
        resolve_credentials(TABLE, [f"{without[0]}-A"])
    assert info.value.code == "unknown_credential"


# --------------------------------------------------------------------------- years


@pytest.mark.parametrize(("typed", "years"), [("3.5", 3.5), ("4 yrs", 4), ("4 years", 4), ("4y", 4), ("4 Yr.", 4),
                                              (" 7 ", 7), ("10.0", 10), (".5", 0.5), ("0", 0)])
def test_years_as_hr_exports_write_them(typed, years):
    got = parse_years(typed, "years")
    assert got == years and type(got) is type(years)  # whole numbers stay ints (JSON 4, not 4.0)


@pytest.mark.parametrize("typed", ["ten", "3 months", "4..5", "-1", "51", "4 yrs 6 months"])
def test_years_that_are_not_years(typed):
    with pytest.raises(UsageError) as info:
        parse_years(typed, "years")
    assert info.value.code == "bad_years"


def test_fractional_years_in_the_query_and_its_json():
    q = build_query(TABLE, years=3.5)
    assert q.years == 3.5 and q.as_dict()["years"] == 3.5
    assert Query(years=4.0).as_dict()["years"] == 4 and isinstance(Query(years=4.0).as_dict()["years"], int)
    assert estimate(TABLE, q).query.years == 3.5


def test_levels_hold_the_fractions_up_to_the_next_level():
    """Levels run in whole years (entry 0-2, mid 3-5): 2.5 years is still entry, 5.9 still mid."""
    levels = sorted(TABLE.levels.values(), key=lambda lv: lv.min_years)
    for lv, nxt in zip(levels, levels[1:]):
        assert nxt.min_years == lv.max_years + 1  # the table's levels are contiguous whole years
        check_level_years(TABLE, lv.key, lv.max_years + 0.5)  # a fraction past the range is still this level
        check_level_years(TABLE, nxt.key, nxt.min_years)
        with pytest.raises(UsageError):
            check_level_years(TABLE, nxt.key, lv.max_years + 0.5)
    entry = TABLE.levels["entry"]
    check_level_years(TABLE, "entry", entry.max_years + 0.5)
    with pytest.raises(UsageError) as info:
        check_level_years(TABLE, "mid", entry.max_years + 0.5)
    assert info.value.code == "conflicting_options" and f"--years {entry.max_years + 0.5}" in info.value.message


# --------------------------------------------------------------------------- settings and specialties by other names


@pytest.mark.parametrize(("typed", "key"), [
    ("clinic", "physician-office"), ("physician practice", "physician-office"), ("doctor's office", "physician-office"),
    ("Doctors Office", "physician-office"), ("Offices of Physicians", "physician-office"),
    ("payer", "insurance"), ("health plan", "insurance"), ("insurance carrier", "insurance"),
    ("General Medical and Surgical Hospitals", "hospital"), ("Physician_Office", "physician-office"),
    ("Nursing Care Facilities (Skilled Nursing Facilities)", "nursing-care"),
])
def test_settings_by_the_words_people_use(typed, key):
    assert resolve_factor(TABLE.settings, TABLE.setting_names, typed, "setting", "--setting") == key


def test_every_alias_in_the_table_resolves_to_its_entry():
    for factors, names, what in ((TABLE.settings, TABLE.setting_names, "setting"),
                                 (TABLE.specialties, TABLE.specialty_names, "specialty")):
        for key, f in factors.items():
            for alias in f.aliases:
                assert resolve_factor(factors, names, alias, what, f"--{what}") == key, alias
    assert TABLE.settings["physician-office"].aliases  # the packaged table has aliases
    assert all(TABLE.settings[k].aliases for k in ("hospital", "physician-office", "outpatient", "nursing-care",
                                                   "home-health", "insurance", "consulting"))


def test_setting_aliases_on_the_command_line():
    a = json.loads(invoke(["estimate", "--state", "OH", "--setting", "clinic", "--json"]).stdout)
    b = json.loads(invoke(["estimate", "--state", "OH", "--setting", "physician-office", "--json"]).stdout)
    assert a["query"]["setting"] == "physician-office" and a["band"] == b["band"]
    s = json.loads(invoke(["estimate", "--specialty", "HCC", "--json"]).stdout)
    assert s["query"]["specialty"] == "risk-adjustment"


def test_a_misspelt_alias_suggests_the_alias_and_its_key():
    r = invoke(["estimate", "--setting", "clinc"])
    assert r.exit_code == 2
    assert "Unknown setting 'clinc'. Did you mean clinic (physician-office)?" in r.stderr
    r = invoke(["estimate", "--specialty", "cardio"])  # a key still comes first
    assert "Did you mean cardiology?" in r.stderr


def test_name_key_is_the_one_normalizer_of_names():
    # case, spaces and punctuation ignored; '&' read as 'and': for settings, specialties, states and batch headers alike
    assert name_key("Doctor's Office") == "doctorsoffice" == name_key("doctors office") == name_key("Doctors_Office")
    assert name_key("  Risk_Adjustment ") == "riskadjustment" == name_key("risk-adjustment")
    assert name_key("Consulting / Auditing") == "consultingauditing"
    assert name_key("Hem & Onc") == "hemandonc" == name_key("hem and onc")
    assert name_key("Washington, D.C.") == "washingtondc" == name_key("washington dc")
    assert name_key("Years of Experience") == "yearsofexperience"


def _with_aliases(line_after: str, aliases: str) -> str:
    text = default_path().read_text(encoding="utf-8")
    start = text.index(line_after)
    end = text.index("\n", text.index("aliases = ", start))
    return text[:text.index("aliases = ", start)] + aliases + text[end:]


def test_the_table_checks_aliases():
    bad = _with_aliases("[settings.hospital]", 'aliases = "clinic"')
    assert any(p.endswith("settings.hospital.aliases: must be a list of names such as [\"clinic\", \"Calif.\"], "
                          "not 'clinic'") for p in problems_of(bad))
    clash = _with_aliases("[settings.hospital]", 'aliases = ["clinic"]')  # physician-office's alias
    [p] = [p for p in problems_of(clash) if "aliases" in p]  # reported once, at the second entry that claims it
    assert "settings.physician-office.aliases: 'clinic' also names settings.hospital; a name must mean one entry" in p
    assert p.startswith("line ")
    key = _with_aliases("[settings.hospital]", 'aliases = ["Outpatient"]')  # another entry's own key
    assert any("'Outpatient' also names settings.outpatient" in p for p in problems_of(key))


def test_the_alias_maps_are_built_once_by_the_loader_and_hold_every_name():
    for factors, names in ((TABLE.settings, TABLE.setting_names), (TABLE.specialties, TABLE.specialty_names)):
        assert {name_key(k) for k in factors} | {name_key(a) for f in factors.values() for a in f.aliases} == set(names)
        assert all(names[name_key(a)] == k for k, f in factors.items() for a in f.aliases)
    assert TABLE.state_names[name_key("Washington, D.C.")] == "DC" and TABLE.state_names["ca"] == "CA"
