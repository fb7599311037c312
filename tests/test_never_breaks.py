"""Output that never breaks (issue 10): suggestions that point the right way, notes said once, tables that
fit the terminal and the stream's encoding, data tables whose misspelt keys are caught."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coder_pay.cli import app
from conftest import CLI_ENV, edited_table

ENV = {**CLI_ENV, "COLUMNS": "120"}


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})


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
    mine = edited_table(tmp_path, ('aliases = ["Mass."]', 'aliases = ["Bay State"]'))
    r = run("--data", str(mine), "estimate", "--state", "bay state", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["query"]["state"] == "MA"
    r = run("--data", str(mine), "estimate", "--state", "Mass")  # no longer an alias: a suggestion
    assert r.exit_code == 2 and "Did you mean Massachusetts (MA)?" in r.stderr
    clash = edited_table(tmp_path, ('aliases = ["Mass."]', 'aliases = ["Miss."]'), name="clash.toml")
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
    bad = edited_table(tmp_path, ("p50 = 59700", "p50 = -1"), ("rpp_all = 110.720", 'rpp_all = "high"'),
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


# --------------------------------------------------------------------------- data validate: misspelt keys


def _line(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


def test_misspelt_keys_are_problems_with_their_line_and_a_suggestion(tmp_path: Path) -> None:
    """`exam_fees`, `factr` and `median` were accepted: the fee silently became 'no public figure'."""
    mine = edited_table(tmp_path,
                  ('yearly_membership = 222\ncost_source = "aapc_fees_2026"\ncost_note = "exam fee: no public figure',
                   'exam_fees = 300\nyearly_membership = 222\ncost_source = "aapc_fees_2026"\ncost_note = "exam fee: '
                   'no public figure'),  # [credentials."CIC"], the first with no exam fee
                  ('factor = 1.166\n', 'factr = 1.166\n'),
                  ("p50 = 59700", "median = 59700"))
    r = run("data", "validate", str(mine))
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        f"{mine}:{_line(mine, 'median = 59700')}: states.CA.median: unknown key; did you mean 'p50'?",
        f"{mine}:{_line(mine, '[states.CA]')}: states.CA.p50: missing",
        f"{mine}:{_line(mine, 'factr = 1.166')}: specialties.anesthesia.factr: unknown key; did you mean 'factor'?",
        f"{mine}:{_line(mine, '[specialties.anesthesia]')}: specialties.anesthesia.factor: missing",
        f"{mine}:{_line(mine, 'exam_fees = 300')}: credentials.CIC.exam_fees: unknown key; did you mean 'exam_fee'?",
    ]  # (an unknown key comes just before the problem it explains)
    r = run("--data", str(mine), "certs", "--json")  # no longer a silently different result
    assert r.exit_code == 1 and "states.CA.median: unknown key; did you mean 'p50'?" in r.stderr
    problems = json.loads(r.stderr)["error"]["problems"]
    assert {"key": "credentials.CIC.exam_fees", "line": _line(mine, "exam_fees = 300"),
            "message": "unknown key; did you mean 'exam_fee'?"} in problems


def test_an_unknown_key_with_nothing_close_lists_the_keys_of_its_table(tmp_path: Path) -> None:
    mine = edited_table(tmp_path, ("[remote]\nfactor = 1.0", "[remote]\nfactor = 1.0\nzzz = 1"),
                  ("[specialties.anesthesia]", "[specialities.anesthesia]"))
    r = run("data", "validate", str(mine), "--json")
    problems = json.loads(r.stdout)["problems"]
    assert {"key": "remote.zzz", "line": _line(mine, "zzz = 1"),
            "message": "unknown key (known here: basis, factor, source)"} in problems
    assert {"key": "specialities", "line": _line(mine, "[specialities.anesthesia]"),
            "message": "unknown key; did you mean 'specialties'?"} in problems
    assert not [p for p in problems if p["key"].startswith("specialities.")]  # one problem for the whole table


def test_a_key_the_loader_reads_is_known_without_being_listed_anywhere(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The check is generic: a field the loader starts reading (the pay model gains fields) is known at once."""
    import coder_pay.table_sections as T_sections

    mine = edited_table(tmp_path, ("[remote]\nfactor = 1.0", "[remote]\nfactor = 1.0\npremium = 1.05"))
    r = run("data", "validate", str(mine))
    assert r.exit_code == 1 and "remote.premium: unknown key" in r.stdout
    read_table = T_sections._read_table

    def reads_a_new_field(doc, r, path):  # type: ignore[no-untyped-def]
        r.number(doc["remote"], "premium", "remote", required=False)
        return read_table(doc, r, path)

    monkeypatch.setattr(T_sections, "_read_table", reads_a_new_field)
    r = run("data", "validate", str(mine))
    assert (r.exit_code, r.stdout) == (0, f"{mine}: valid\n")


# --------------------------------------------------------------------------- notes: grouped, boilerplate once


def test_certs_says_a_note_shared_by_credentials_once_naming_them_all() -> None:
    """`certs --cert CPC` printed 13 near-identical notes, one per credential pair."""
    from coder_pay.table import load_table

    table = load_table()
    r = run("certs", "--cert", "CPC")
    assert r.exit_code == 0, r.output
    flat = " ".join(r.stdout.split())
    body = ("no credential-specific pay figure exists (AHIMA publishes none); priced with the pooled 'any credential' "
            "figure (certified vs not certified), not the credential's own.")
    assert flat.count(body) == 1
    generic = [c for c, cr in table.credentials.items() if cr.premium_note]
    assert len(generic) > 1
    assert f"Note: {', '.join(generic)}: {body}" in flat  # every credential named once, in the table's order
    doc = json.loads(run("certs", "--cert", "CPC", "--json").stdout)  # JSON keeps every note as it was
    assert sum(body in n for n in doc["notes"]) >= 1


def test_notes_with_the_same_words_are_grouped_everywhere() -> None:
    from coder_pay.render import grouped_notes

    assert grouped_notes(["CPC: no figure.", "CPC, COC: no figure.", "Experience: from an article.",
                          "COC, CRC: no figure.", "Role: from an article.", "A note without a subject."]) == [
        "CPC, COC, CRC: no figure.", "Experience, Role: from an article.", "A note without a subject."]
    r = run("career", "--span", "2", "--specialty", "oncology")  # an article figure, said once however many years
    flat = " ".join(r.stdout.split())
    assert flat.count("from an undated industry article only") == 1
    assert flat.count("how the effects are bounded below the state's p90 is coder-pay's rule") == 1


AFTER_TAX = [["take-home", "50000", "--state", "NY"], ["estimate", "--state", "NY", "--after-tax"],
             ["states", "--after-tax", "--top", "3"], ["compare", "--state", "NY", "--state", "TX", "--after-tax"],
             ["compare", "--offer", "NY:60k", "--offer", "TX:50k", "--after-tax"],
             ["offer", "50000", "--state", "NY", "--after-tax"]]


@pytest.mark.parametrize("argv", AFTER_TAX, ids=" ".join)
def test_what_take_home_leaves_out_is_one_line_and_explain_gives_it_all(argv: list[str]) -> None:
    """The five-line 'Left out' paragraph was printed by every after-tax command, every time."""
    from coder_pay.tax import LEFT_OUT

    out = run(*argv, env={"COLUMNS": "200"}).stdout
    (line,) = [ln for ln in out.splitlines() if "Left out" in ln]
    assert line.startswith("Left out of take-home: local and city income taxes, tax credits and ")
    assert line.endswith("(--explain lists them).")
    assert not any(item in out for item in LEFT_OUT[2:])
    full = " ".join(run(*argv, "--explain", env={"COLUMNS": "200"}).stdout.split())
    assert all(" ".join(item.split()) in full for item in LEFT_OUT)
    doc = json.loads(run(*argv, "--json").stdout)  # JSON has them all, --explain or not
    left_out = doc["left_out"] if "left_out" in doc else doc["after_tax"]["left_out"]
    assert left_out == list(LEFT_OUT)


# --------------------------------------------------------------------------- any stream encoding

TABLE_COMMANDS = [
    ["estimate", "--state", "CA", "--cert", "CPC"], ["estimate", "--state", "NY", "--after-tax"],
    ["take-home", "65000", "--state", "CA"], ["states"], ["states", "--after-tax"],
    ["compare", "--state", "CA", "--state", "TX", "--after-tax"],
    ["compare", "--offer", "CA:65000", "--offer", "TX:50000", "--after-tax", "--home", "NY"],
    ["certs", "--cert", "CPC"], ["career", "--add-cert", "CPC@2"],
    ["offer", "52000", "--state", "TX", "--match", "4", "--health", "6000", "--after-tax"], ["data", "show"],
]
BLOCKS = "▏▎▍▌▋▊▉█▁▂▃▄▅▆▇"


def _installed(argv: list[str], **env: str) -> subprocess.CompletedProcess[bytes]:
    import os

    from conftest import installed_command

    return subprocess.run([installed_command(), *argv], capture_output=True, timeout=60,
                          env={**os.environ, "CODER_PAY_DATA": "", **env})


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("argv", TABLE_COMMANDS, ids=" ".join)
def test_tables_fall_back_to_what_the_stream_can_encode(argv: list[str], encoding: str) -> None:
    """`PYTHONIOENCODING=cp1252 coder-pay states > out.txt` (a Windows redirect) ended in UnicodeEncodeError."""
    p = _installed(argv, PYTHONIOENCODING=encoding, COLUMNS="100")
    assert (p.returncode, p.stderr) == (0, b""), p.stderr.decode(errors="replace")
    text = p.stdout.decode(encoding)  # every byte is of that encoding
    assert "$" in text or argv[0] == "data"
    assert not any(ch in text for ch in BLOCKS)
    if argv[0] in ("states", "career"):
        assert "#" in text  # the bars are drawn in ASCII, not left out
    if argv[0] == "career":
        (trajectory,) = [ln for ln in text.splitlines() if ln.startswith("Trajectory")]
        spark = trajectory.split(": ", 1)[1].split("  ")[0]
        assert len(spark) == 11 and set(spark) <= set("_.:-=+*#")  # one ASCII tick a year, 0 to 10


def test_a_utf8_stream_still_gets_block_bars() -> None:
    p = _installed(["states", "--top", "3"], PYTHONIOENCODING="utf-8", COLUMNS="100")
    assert p.returncode == 0 and "█" in p.stdout.decode("utf-8")


def test_a_name_the_stream_cannot_encode_does_not_break_the_table(tmp_path: Path) -> None:
    mine = edited_table(tmp_path, ('name = "Hawaii"', 'name = "Hawaiʻi"'))  # U+02BB, in neither cp1252 nor ASCII
    for encoding in ("cp1252", "ascii"):
        p = _installed(["--data", str(mine), "states", "--sort", "name"], PYTHONIOENCODING=encoding, COLUMNS="100")
        assert (p.returncode, p.stderr) == (0, b"")
        assert "HI Hawai?i" in p.stdout.decode(encoding)
    p = _installed(["--data", str(mine), "states", "--json"], PYTHONIOENCODING="ascii")
    assert (p.returncode, p.stderr) == (0, b"")
    doc = json.loads(p.stdout.decode("ascii"))  # the same JSON, with a \u escape
    assert [r["name"] for r in doc["rows"] if r["code"] == "HI"] == ["Hawaiʻi"]
    p = _installed(["--data", str(mine), "states", "--format", "csv"], PYTHONIOENCODING="ascii")
    assert p.returncode == 0 and b",HI,Hawai?i," in p.stdout


# --------------------------------------------------------------------------- narrow terminals

MONEY = re.compile(r"\$\d(?:[\d,]*\d)?")


def _money_is_whole(out: str) -> None:
    assert "$…" not in out and not re.search(r"\$[\d,]*…", out)
    for m in MONEY.finditer(out):
        assert re.fullmatch(r"\$\d{1,3}(,\d{3})*", m.group()), (m.group(), out)


@pytest.mark.parametrize("width", [60, 70, 80])
@pytest.mark.parametrize("argv", TABLE_COMMANDS[:-1], ids=" ".join)
def test_money_is_never_cut_at_any_width(argv: list[str], width: int) -> None:
    """At 70 columns or fewer, `states` and `career` printed '$51,…' while the bar kept its width."""
    r = run(*argv, env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    _money_is_whole(r.stdout)
    assert max(len(ln) for ln in r.stdout.splitlines()) <= width


@pytest.mark.parametrize("width", [60, 70, 80])
def test_states_and_career_keep_every_figure_and_give_up_the_bar_first(width: int) -> None:
    doc = json.loads(run("states", "--json").stdout)
    out = run("states", env={"COLUMNS": str(width)}).stdout
    assert "█" not in out  # the bar goes first ...
    for row in doc["rows"]:  # ... the typical and adjusted pay of every state are there, whole
        line = next(ln for ln in out.splitlines() if f" {row['code']} " in ln or f"│ {row['code']}" in ln)
        assert f"${row['band']['mid']:,}" in line and f"${row['adjusted']['mid']:,}" in line
    if width >= 70:  # ... and the band's low and high too, while the names can give way (wrapped, or codes)
        assert "Low" in out and "High" in out and "Not shown" not in out
    else:
        assert "Not shown at 60 columns: Low, High." in out
    career = json.loads(run("career", "--add-cert", "CPC@2", "--json").stdout)
    out = run("career", "--add-cert", "CPC@2", env={"COLUMNS": str(width)}).stdout
    for y in career["rows"]:
        line = next(ln for ln in out.splitlines() if ln.startswith(f"│ {y['calendar_year']} "))
        assert f"${y['salary']:,}" in line and f"${y['adjusted']:,}" in line


def test_a_wide_terminal_keeps_the_bars() -> None:
    assert "█" in run("states", env={"COLUMNS": "120"}).stdout
    assert "█" in run("career", env={"COLUMNS": "120"}).stdout
