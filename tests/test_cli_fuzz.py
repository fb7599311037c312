"""Fuzzing the command line (issue 5): every command and every option, found by introspecting the Typer app.

Commands are enumerated from `typer.main.get_command(app)`, so commands added later are fuzzed too. Values
are any text (unicode, control characters, empty, huge), numbers out of range, and real words from the table
(so that runs also get past validation). Whatever the input, a run ends with exit 0, 1 or 2, never an
uncaught exception or a traceback; on exit 2 stdout is empty and stderr is one line (with --json, one JSON
object); a successful --json run prints one JSON object.

Each run happens in a fresh temporary directory with HOME pointing there, so that a command that writes a
file (an --output, `data init`) writes only there; free text never contains a path separator, and options
that take a file get prepared files. --install-completion is left out: it edits the user's shell start-up
files.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import shutil
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

import coder_pay.cli as cli
from coder_pay.table import default_path, load_table

os.environ.setdefault("_TYPER_FORCE_DISABLE_TERMINAL", "1")
os.environ.setdefault("COLUMNS", "100")
os.environ.pop("CODER_PAY_DATA", None)

ROOT = typer.main.get_command(cli.app)
SKIP_OPTIONS = {"--install-completion"}  # writes ~/.bashrc and friends
HELP_TOKENS = {"--help", "-h", "--version", "--show-completion"}
TABLE = load_table()


def walk(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and sub-command: (names from the root, command)."""
    yield path, cmd
    subs = getattr(cmd, "commands", None) or {}
    for name in sorted(subs):
        yield from walk(subs[name], (*path, name))


COMMANDS = list(walk(ROOT))
CHAINS = {path: [c for p, c in COMMANDS if path[: len(p)] == p] for path, _ in COMMANDS}  # root .. the command


def test_the_app_has_commands_to_fuzz() -> None:
    assert ("estimate",) in CHAINS
    assert all(p.param_type_name in ("option", "argument") for _, c in COMMANDS for p in c.params)


# --------------------------------------------------------------------------- values

FILES_DIR = Path(tempfile.mkdtemp(prefix="coder-pay-fuzz-"))
atexit.register(shutil.rmtree, FILES_DIR, ignore_errors=True)
_TABLE_TEXT = default_path().read_text(encoding="utf-8")
_FILES = {
    "table.toml": _TABLE_TEXT.encode(),
    "broken.toml": _TABLE_TEXT.replace("p10 = ", "p10 = $", 3).encode(),
    "negative.toml": _TABLE_TEXT.replace("p50 = ", "p50 = -", 1).encode(),
    "latin1.toml": _TABLE_TEXT.replace('"Alaska"', '"Alaska é"').encode("latin-1"),
    "empty.txt": b"",
    "junk.bin": bytes(range(256)) * 4,
    "rows.csv": "\ufeffstate,cert,years,level\r\nCA,CPC,3,\r\n,,,\r\nZZ,XYZ,-4,boss\r\n\"TX\",\"CPC,CRC\",,senior\r\n".encode(),
    "rows.jsonl": b'{"state": "CA", "cert": ["CPC"], "years": 3}\n\n{"state": 5}\nnot json\n{"years": "x", "extra": 1}\n',
    "utf16.csv": "state,years\nCA,3\n".encode("utf-16"),
}


def restore_input_files() -> None:
    """FILES_DIR as it was: a run may have overwritten a file (`data init FILE --force`) or created one
    (`data init .../does-not-exist.csv` writes a valid table there)."""
    for old in FILES_DIR.iterdir():
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    for name, data in _FILES.items():
        (FILES_DIR / name).write_bytes(data)
    (FILES_DIR / "a-directory").mkdir(exist_ok=True)


restore_input_files()
INPUT_FILES = [str(FILES_DIR / n) for n in [*_FILES, "a-directory", "does-not-exist.csv"]]

SAFE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\\")  # any unicode but a path separator
EDGE = ["", " ", "\t", "\n", "-", "--", "-1", "0", "-0", "00", "+5", "1e309", "nan", "inf", "-inf", "0x10", "1_000",
        "٣", "１２", "\x00", "\x1b[31m", "\ufeff", "é", "\u202e", "None", "null", "true", "[]", "{}", "'", '"', "%s", "{0}",
        "a,b,,c", ",", ";", "|", "99999999999999999999", "-99999999999999999999"]
STATE_WORDS = sorted({*TABLE.states, *(s.name for s in TABLE.states.values()), *(s.name.upper() for s in TABLE.states.values())})
CERT_WORDS = sorted({*TABLE.credentials, *(c.lower() for c in TABLE.credentials), "cpc,crc", "CPC;CCS", "CPC, ,CRC", "cpc,cpc"})
YEARS = [str(n) for n in range(0, 51)]
AS_OF = [str(y) for y in range(TABLE.wage_year - 12, TABLE.wage_year + 18)]
LEVELS = ["entry", "mid", "senior", "supervisor", "manager", "director"]
# Real values for the shared options (StateOpt, CertOpt, ... are reused by every command), so that runs get past
# one option to the next; any other option draws from all of them.
POOLS: dict[str, list[str]] = {
    "state": STATE_WORDS, "home": STATE_WORDS, "cert": CERT_WORDS, "years": YEARS, "experience": YEARS,
    "level": LEVELS, "specialty": sorted(TABLE.specialties), "setting": sorted(TABLE.settings), "col": ["all", "housing"],
    "as_of": AS_OF,
}
WORDS = sorted({*(w for pool in POOLS.values() for w in pool), *TABLE.training, *TABLE.related, "json", "csv", "table",
                "50000", "65000.50", "$60,000", "3.5"})

free_text = st.one_of(
    st.text(SAFE_CHARS, max_size=40),
    st.sampled_from(EDGE),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
    st.builds(lambda c, n: c * n, SAFE_CHARS, st.integers(200, 20000)),  # huge
)


def typo(word: str, i: int, ch: str, op: int) -> str:
    """A real word with one slip: a letter dropped, added, changed or swapped, case flipped, cut short, padded."""
    i %= len(word) + 1
    return [word[:i] + word[i + 1:], word[:i] + ch + word[i:], word[:i] + ch + word[i + 1:],
            word[:i] + word[i + 1: i + 2] + word[i: i + 1] + word[i + 2:], word.swapcase(), word[:i], f"  {word} "][op]


def value_like(pool: list[str], mode: str) -> st.SearchStrategy[str]:
    """mode "real": a value from the pool; "bad": a near miss (a typo: the did-you-mean paths) or anything at
    all; "any": either."""
    real = st.sampled_from(pool)
    slip = st.builds(typo, real, st.integers(0, 40), st.sampled_from("abcdeilmnorstxyz -,.0123456789"), st.integers(0, 6))
    return {"real": real, "bad": st.one_of(slip, slip, free_text), "any": st.one_of(real, real, slip, free_text)}[mode]


in_files = st.one_of(st.sampled_from(INPUT_FILES), st.just("-"), st.text(SAFE_CHARS, max_size=20))
out_files = st.one_of(st.sampled_from(["out.csv", "out.json", "existing.txt", "new-dir-less.toml", "."]),
                      st.text(SAFE_CHARS, min_size=1, max_size=20))
OUT_NAME = re.compile(r"out|dest|save|write|export")
IN_NAME = re.compile(r"data|file|path|input|csv|table|rows")
GOOD_FILE = str(FILES_DIR / "table.toml")


def strategy_for(param: Any, mode: str) -> st.SearchStrategy[str]:
    name = (param.name or "").lower()
    type_name = type(param.type).__name__
    if OUT_NAME.search(name):
        return out_files
    if type_name in ("Path", "File") or IN_NAME.search(name):
        return {"real": st.sampled_from([GOOD_FILE, "-"]), "bad": st.one_of(in_files, value_like(WORDS, "bad"))}.get(
            mode, st.one_of(in_files, value_like(WORDS, "any")))
    choices = getattr(param.type, "choices", None)
    return value_like([str(c) for c in choices] if choices else POOLS.get(name, WORDS), mode)


def is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False) or getattr(param, "count", False))


def options_of(cmd: Any) -> list[Any]:
    return [p for p in cmd.params if p.param_type_name == "option" and not set(p.opts) & SKIP_OPTIONS]


@st.composite
def command_line(draw: st.DrawFn, path: tuple[str, ...]) -> tuple[list[str], bool]:
    """argv for `path`: a few options of the groups on the way (rarely; not --version and the like, which end
    the run early: the root's own fuzzing covers them), the command's options and its arguments.
    Usually every value is real but one (so that each check along the way is reached), sometimes all are
    wild. Also returns whether --json was given as the command's own flag."""
    chain = CHAINS[path]
    leaf = chain[-1]
    own = draw(st.lists(st.sampled_from(options_of(leaf)), max_size=len(options_of(leaf)) + 1)) if options_of(leaf) else []
    args = [p for p in leaf.params if p.param_type_name == "argument"]
    wild = draw(st.integers(0, 4)) == 0
    bad = draw(st.integers(-1, len(own) + len(args) - 1))  # -1: every value real

    def value(p: Any, i: int) -> str:
        return draw(strategy_for(p, "any" if wild else "bad" if i == bad else "real"))

    def option(p: Any, i: int, depth: int) -> list[str]:
        nonlocal json_flag
        flag = draw(st.sampled_from([*p.opts, *p.secondary_opts]))
        if is_flag(p):
            json_flag |= flag == "--json" and depth == len(chain) - 1
            return [flag]
        vals = [value(p, i) for _ in range(max(p.nargs, 1))]
        if len(vals) == 1 and flag.startswith("--") and draw(st.booleans()):
            return [f"{flag}={vals[0]}"]
        return [flag, *vals]

    json_flag = False
    argv: list[str] = []
    for depth, cmd in enumerate(chain[:-1]):
        if depth:
            argv.append(path[depth - 1])
        above = [p for p in options_of(cmd) if not p.is_eager and not set(p.opts) & HELP_TOKENS]
        if above and draw(st.integers(0, 7)) == 0:
            argv += option(draw(st.sampled_from(above)), -2, depth)
    if path:
        argv.append(path[-1])
    for i, p in enumerate(own):
        argv += option(p, i, len(chain) - 1)
    for j, p in enumerate(args):
        n = draw(st.integers(0, 3)) if p.nargs == -1 else p.nargs
        if wild and draw(st.integers(0, 4)) == 0:
            n = max(n - 1, 0)  # one missing
        argv += [value(p, len(own) + j) for _ in range(n)]
    if draw(st.integers(0, 11)) == 0:  # now and then a stray token anywhere
        stray = draw(st.one_of(st.sampled_from(["--bogus", "-z", "--json", "--help", "extra"]), free_text))
        argv.insert(draw(st.integers(0, len(argv))), stray)
    return argv, json_flag


# --------------------------------------------------------------------------- running


@contextlib.contextmanager
def fresh_directory() -> Iterator[str]:
    old = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="coder-pay-run-") as d:
        Path(d, "existing.txt").write_text("keep me\n")
        os.chdir(d)
        try:
            yield d
        finally:
            os.chdir(old)


@pytest.fixture(scope="module", autouse=True)
def load_the_default_table_once() -> Iterator[None]:
    """The default table takes ~25 ms to load; the fuzzer is after the options, so reuse it.
    Any --data file or $CODER_PAY_DATA is still loaded (and validated) for real."""
    real = cli.load_table

    def load(path: Any = None) -> Any:
        return TABLE if path is None and not os.environ.get("CODER_PAY_DATA") else real(path)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli.runtime, "load_table", load)
        yield


RUNNER = CliRunner()


def run(argv: list[str], stdin: bytes | str | None, data_env: str | None) -> Result:
    with fresh_directory() as home:
        env = {"CODER_PAY_DATA": data_env, "HOME": home, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home,
               "NO_COLOR": "1", "COLUMNS": "100", "_TYPER_FORCE_DISABLE_TERMINAL": "1"}
        return RUNNER.invoke(cli.app, argv, input=stdin, env=env)


VALUE_OPTIONS = {o for _, c in COMMANDS for p in c.params if p.param_type_name == "option" and not is_flag(p) for o in p.opts}


def json_errors(argv: list[str]) -> tuple[bool, bool]:
    """(certainly, possibly): is a usage error for argv a JSON object? cli.py decides twice: for Click's own
    errors from the raw tokens (--json, --format=json, `--format json` anywhere), for the command's own from the
    values Click settled on (--json set, or the last --format json in any case). Where the two differ (--json
    as another option's value, after `--`, --format given twice, JSON in capitals), either form is right."""
    raw = "--json" in argv or "--format=json" in argv or ("--format", "json") in zip(argv, argv[1:])
    flag, formats, i = False, [], 0
    while i < len(argv):  # as Click reads options: a value-taking option takes the next token, `--` ends options
        a = argv[i]
        if a == "--":
            break
        if a in VALUE_OPTIONS:
            if a == "--format" and i + 1 < len(argv):
                formats.append(argv[i + 1])
            i += 1
        elif a.startswith("--format="):
            formats.append(a[len("--format="):])
        flag |= a == "--json"
        i += 1
    settled = flag or (bool(formats) and formats[-1].strip().lower() == "json")
    return raw and settled, raw or settled


def check(argv: list[str], r: Result, json_flag: bool) -> None:
    shown = f"argv={argv!r}\nexit={r.exit_code}\nstdout={r.stdout[:800]!r}\nstderr={r.stderr[:800]!r}"
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"uncaught {r.exception!r}\n{shown}\n" + "".join(traceback.format_exception(*r.exc_info)))
    assert r.exit_code in (0, 1, 2, 3, 4), shown  # 3: batch/audit rows failed (the others written); 4: output unwritable
    assert "Traceback" not in r.output, shown
    json_sure, json_maybe = json_errors(argv)
    if r.exit_code == 2:
        assert r.stdout == "", shown
        lines = r.stderr.split("\n")
        assert len(lines) == 2 and lines[1] == "" and lines[0].strip(), f"not one line on stderr\n{shown}"
        if json_sure or (json_maybe and lines[0].startswith("{")):
            doc = json.loads(lines[0])
            assert isinstance(doc, dict) and doc["error"]["exit_code"] == 2 and doc["schema_version"] >= 1, shown
        else:
            assert lines[0].startswith("coder-pay: error: "), shown
    elif r.exit_code == 4:
        assert len(r.stderr.strip().splitlines()) == 1, f"exit 4 without one line on stderr\n{shown}"
    elif r.exit_code == 1 or (r.exit_code == 3 and not json_flag):
        assert r.stderr.strip(), f"exit {r.exit_code} without a reason\n{shown}"
    elif json_flag and not HELP_TOKENS & set(argv) and not any(a in ("-o", "--output") or a.startswith(("--output=", "-o="))
                                                               for a in argv):  # -o FILE: the JSON is in the file
        doc = json.loads(r.stdout)
        assert isinstance(doc, dict) and "schema_version" in doc, shown


stdin_data = st.none() | st.binary(max_size=300) | st.text(max_size=300) | st.sampled_from([_FILES["rows.csv"],
                                                                                              _FILES["rows.jsonl"]])
data_env = st.one_of(st.none(), st.none(), st.none(), st.none(), st.sampled_from(INPUT_FILES))

FUZZ = settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "(root)")
@FUZZ
@given(data=st.data())
def test_any_option_values_end_in_a_documented_exit(path: tuple[str, ...], data: st.DataObject) -> None:
    argv, json_flag = data.draw(command_line(path), label="argv")
    r = run(argv, data.draw(stdin_data, label="stdin"), data.draw(data_env, label="CODER_PAY_DATA"))
    check(argv, r, json_flag)


VALUED = [(path, p) for path, c in COMMANDS for p in options_of(c) if not is_flag(p) and not OUT_NAME.search(p.name or "")]


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VALUED), st.data(), st.booleans())
def test_a_near_miss_of_a_real_value_gets_a_clear_answer(option: tuple[tuple[str, ...], Any], data: st.DataObject,
                                                         json_out: bool) -> None:
    """One option, one slip of the finger (a real value with a letter dropped, added, changed, swapped, case
    flipped, cut short, padded): the did-you-mean paths. Each option of each command in turn."""
    path, p = option
    pool = [str(c) for c in p.type.choices] if getattr(p.type, "choices", None) else POOLS.get(p.name, WORDS)
    value = data.draw(st.builds(typo, st.sampled_from(pool), st.integers(0, 40), st.sampled_from("abelnorsxy -,0159"),
                                st.integers(0, 6)), label="value")
    json_flag = json_out and any("--json" in q.opts for q in CHAINS[path][-1].params)
    argv = [*path, p.opts[0], value, *(["--json"] if json_flag else [])]
    check(argv, run(argv, None, None), json_flag)


ALL_TOKENS = sorted({t for _, c in COMMANDS for p in c.params for t in (*p.opts, *p.secondary_opts)} - SKIP_OPTIONS
                    | {n for path, _ in COMMANDS for n in path} | {"--help", "-h"})


@settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.one_of(st.sampled_from(ALL_TOKENS), value_like(WORDS, "any")), max_size=12), stdin_data)
def test_any_token_soup_ends_in_a_documented_exit(argv: list[str], stdin: Any) -> None:
    check(argv, run(argv, stdin, None), json_flag=False)


@settings(deadline=None, max_examples=60)
@given(st.one_of(st.text(SAFE_CHARS, max_size=60), st.sampled_from(EDGE), st.sampled_from(INPUT_FILES)), st.booleans())
def test_any_data_path_fails_on_one_line(path: str, json_out: bool) -> None:
    """--data FILE is the one way to reach exit 1 from the command line today: whatever the name (newlines,
    escapes, a directory, a broken or non-UTF-8 file), the reason is one line (one JSON object with --json)."""
    restore_input_files()  # other fuzz runs may have written over them (`data init FILE --force`)
    argv = ["--data", path, "estimate", *(["--json"] if json_out else [])]
    r = run(argv, None, None)
    check(argv, r, json_out)
    if path == str(FILES_DIR / "table.toml"):
        assert r.exit_code == 0
        return
    empty = not path.strip()  # --data "" is a usage error, not a silent fall-back to the packaged table
    assert (r.exit_code, r.stdout) == ((2, "") if empty else (1, ""))
    (line,) = r.stderr.rstrip("\n").split("\n")  # lines end at \n only (str.splitlines also splits at \x85)
    if json_out:
        assert json.loads(line)["error"]["code"] == ("empty_value" if empty else "bad_table")
    else:
        assert line.startswith("coder-pay: error: " + ("--data needs a value" if empty else "data table "))
