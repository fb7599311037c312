"""`coder-pay data path|show|validate|init`, the global --data option and $CODER_PAY_DATA, and the
atomic file writer behind `data init`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coder_pay.cli import app
from coder_pay.files import write_atomic
from coder_pay.table import USPS, default_path, load_table
from conftest import CLI_ENV, edited_table

ENV = CLI_ENV
DEFAULT = default_path()


def invoke(runner, args, env=None):
    return runner.invoke(app, args, env={**ENV, **(env or {})}, catch_exceptions=False)


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(needle):
            return i
    raise AssertionError(needle)


# --------------------------------------------------------------------------- data path


def test_data_path_is_the_packaged_table_by_default(runner):
    r = invoke(runner, ["data", "path"])
    assert r.exit_code == 0 and r.stdout == f"{DEFAULT}\n"
    doc = json.loads(invoke(runner, ["data", "path", "--json"]).stdout)
    assert doc == {"schema_version": 2, "kind": "data_path", "path": str(DEFAULT), "origin": "packaged"}


def test_data_path_honours_data_then_the_environment(runner, tmp_path):
    a = edited_table(tmp_path, name="a.toml")
    b = edited_table(tmp_path, name="b.toml")
    assert invoke(runner, ["data", "path"], env={"CODER_PAY_DATA": str(a)}).stdout == f"{a}\n"
    r = invoke(runner, ["--data", str(b), "data", "path", "--json"], env={"CODER_PAY_DATA": str(a)})
    assert json.loads(r.stdout)["path"] == str(b) and json.loads(r.stdout)["origin"] == "--data"
    r = invoke(runner, ["data", "path", "--json"], env={"CODER_PAY_DATA": str(a)})
    assert json.loads(r.stdout)["origin"] == "CODER_PAY_DATA"


def test_data_path_of_a_missing_file_is_an_error(runner, tmp_path):
    r = invoke(runner, ["--data", str(tmp_path / "gone.toml"), "data", "path"])
    assert r.exit_code == 1 and r.stdout == ""
    assert "gone.toml" in r.stderr and "not found" in r.stderr


# --------------------------------------------------------------------------- data show


def test_data_show_json(runner):
    r = invoke(runner, ["data", "show", "--json"])
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    table = load_table(DEFAULT)
    assert doc["kind"] == "data_show" and doc["schema_version"] == 2
    assert (doc["wage_year"], doc["price_year"]) == (2024, 2024)
    assert doc["coverage"]["states"] == sorted(USPS) and doc["counts"]["states"] == 51
    assert doc["coverage"]["credentials"] == list(table.credentials)
    assert doc["coverage"]["specialties"] == list(table.specialties)
    assert doc["coverage"]["settings"] == list(table.settings)
    assert doc["counts"]["sources"] == len(doc["sources"]) == len(table.sources)
    by_key = {s["key"]: s for s in doc["sources"]}
    assert by_key["oews_state_2024"]["year"] == 2024 and by_key["bea_rpp_states_2024"]["year"] == 2024
    assert by_key["assumption"]["year"] is None


def test_data_show_text(runner):
    r = invoke(runner, ["data", "show"], env={"COLUMNS": "70"})  # the path line never wraps, however long
    assert r.exit_code == 0
    out = r.stdout
    assert f"Data table: {DEFAULT} (packaged)" in out
    assert "Wages: BLS OEWS May 2024. Prices: BEA RPP 2024." in out
    assert "oews_state_2024" in out and "Sources (" in out and "Coverage" in out
    assert "CPC, COC" in out and "AK AL AR" in out


def test_data_show_honours_data(runner, tmp_path):
    mine = edited_table(tmp_path, ('name = "California"', 'name = "Golden State"'), name="mine.toml")
    r = invoke(runner, ["--data", str(mine), "data", "show", "--json"])
    assert json.loads(r.stdout)["path"] == str(mine)
    # the path line never wraps, however long tmp_path is and however narrow the terminal
    r = invoke(runner, ["data", "show"], env={"CODER_PAY_DATA": str(mine), "COLUMNS": "40"})
    assert f"Data table: {mine} (CODER_PAY_DATA)" in r.stdout


def test_data_show_of_a_bad_table(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n")
    r = invoke(runner, ["--data", str(bad), "data", "show", "--json"])
    assert r.exit_code == 1 and r.stdout == ""
    err = json.loads(r.stderr)
    assert err["error"]["code"] == "bad_table"


# --------------------------------------------------------------------------- data validate


def test_validate_the_packaged_table(runner):
    r = invoke(runner, ["data", "validate", str(DEFAULT)])
    assert (r.exit_code, r.stdout) == (0, f"{DEFAULT}: valid\n")
    r = invoke(runner, ["data", "validate"])  # no FILE: the table in use
    assert (r.exit_code, r.stdout) == (0, f"{DEFAULT}: valid\n")


def test_validate_lists_every_problem_with_key_and_line(runner, tmp_path):
    bad = edited_table(tmp_path,
                       ("rpp_all = 97.057", 'rpp_all = "high"'),  # in [states.TX]
                       ("multiplier = 1.2020", "multiplier = 0.9"),  # [credential_count.1]
                       ("p90 = 104560", "p90 = -1"), name="bad.toml")  # [states.CA]
    rpp, mult, p90 = line_of(bad, 'rpp_all = "high"'), line_of(bad, "multiplier = 0.9"), line_of(bad, "p90 = -1")
    r = invoke(runner, ["data", "validate", str(bad)])
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert f"{bad}:{p90}: states.CA.p90: must be greater than 0, not -1" in lines
    assert f"{bad}:{rpp}: states.TX.rpp_all: must be a number, not a string 'high'" in lines
    assert f"{bad}:{mult}: credential_count.1.multiplier: must be at least 1, not 0.9" in lines
    assert r.stderr == f"coder-pay: error: {bad}: 3 problems in the data table\n"

    doc = json.loads(invoke(runner, ["data", "validate", str(bad), "--json"]).stdout)
    assert doc["valid"] is False and doc["kind"] == "data_validate"
    found = {(p["key"], p["line"]) for p in doc["problems"]}
    assert {("states.CA.p90", p90), ("states.TX.rpp_all", rpp), ("credential_count.1.multiplier", mult)} <= found


def test_validate_json_of_a_valid_table(runner):
    r = invoke(runner, ["data", "validate", "--json"])
    assert r.exit_code == 0
    assert json.loads(r.stdout) == {"schema_version": 2, "kind": "data_validate", "path": str(DEFAULT), "valid": True,
                                    "problems": []}


def test_validate_a_file_that_is_not_toml_or_missing(runner, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("x = [\n")
    r = invoke(runner, ["data", "validate", str(broken)])
    assert r.exit_code == 1 and "not valid TOML" in r.stdout
    r = invoke(runner, ["data", "validate", str(tmp_path / "nope.toml")])
    assert r.exit_code == 1 and "file not found" in r.stdout


def test_validate_honours_data_and_the_environment_when_no_file_is_given(runner, tmp_path):
    bad = edited_table(tmp_path, ("multiplier = 1.2020", "multiplier = 0.9"), name="bad.toml")
    assert invoke(runner, ["--data", str(bad), "data", "validate"]).exit_code == 1
    assert invoke(runner, ["data", "validate"], env={"CODER_PAY_DATA": str(bad)}).exit_code == 1


# --------------------------------------------------------------------------- data init


def test_init_writes_a_copy_of_the_table_in_use(runner, tmp_path):
    out = tmp_path / "mine.toml"
    r = invoke(runner, ["data", "init", str(out)])
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == f"coder-pay: wrote {out} (a copy of {DEFAULT})\n"
    assert out.read_bytes() == DEFAULT.read_bytes()
    assert invoke(runner, ["data", "validate", str(out)]).exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]  # no temporary file left behind


def test_init_refuses_to_overwrite_without_force(runner, tmp_path):
    out = tmp_path / "mine.toml"
    out.write_text("my own work\n")
    r = invoke(runner, ["data", "init", str(out)])
    assert r.exit_code == 1
    assert r.stderr == f"coder-pay: error: {out} already exists; use --force to overwrite it.\n"
    assert out.read_text() == "my own work\n"
    r = invoke(runner, ["data", "init", str(out), "--force"])
    assert r.exit_code == 0 and out.read_bytes() == DEFAULT.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


def test_init_honours_data_and_refuses_a_bad_source(runner, tmp_path):
    mine = edited_table(tmp_path, ('name = "California"', 'name = "Golden State"'), name="mine.toml")
    out = tmp_path / "copy.toml"
    assert invoke(runner, ["--data", str(mine), "data", "init", str(out)]).exit_code == 0
    assert out.read_bytes() == mine.read_bytes()
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n")
    r = invoke(runner, ["data", "init", str(tmp_path / "x.toml")], env={"CODER_PAY_DATA": str(bad)})
    assert r.exit_code == 1 and not (tmp_path / "x.toml").exists()


def test_init_into_a_missing_directory(runner, tmp_path):
    r = invoke(runner, ["data", "init", str(tmp_path / "no" / "such" / "dir.toml")])
    assert r.exit_code == 4 and r.stderr.startswith("coder-pay: error: cannot write")  # issue 15: the output, 4


def test_init_to_a_name_with_a_nul_is_one_line(runner, tmp_path):  # found by the CLI fuzzer: was a ValueError
    r = invoke(runner, ["data", "init", f"{tmp_path}/a\x00b.toml"])
    assert (r.exit_code, r.stdout) == (1, "") and list(tmp_path.iterdir()) == []
    assert r.stderr.startswith(f"coder-pay: error: cannot write {tmp_path}/a\\x00b.toml: not a usable file name: ")
    assert r.stderr.count("\n") == 1 and r.stderr.endswith("\n")  # the reason after it is Python's (3.13 words it anew)


def test_write_atomic_never_leaves_a_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "t.toml"
    target.write_bytes(b"old")

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        write_atomic(target, b"new" * 1000, overwrite=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.toml"]


def test_write_atomic_exclusive_and_overwrite(tmp_path):
    target = tmp_path / "t.txt"
    write_atomic(target, b"one")
    with pytest.raises(FileExistsError):
        write_atomic(target, b"two")
    assert target.read_bytes() == b"one"
    write_atomic(target, b"three", overwrite=True)
    assert target.read_bytes() == b"three"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_data_help_lists_the_subcommands(runner):
    r = invoke(runner, ["data", "--help"])
    assert r.exit_code == 0
    for name in ("path", "show", "validate", "check", "init"):
        assert name in r.stdout


def test_init_into_a_directory_writes_the_table_inside_it(runner, tmp_path):
    """`data init /tmp --force` failed with 'Is a directory' after `data init /tmp` had suggested --force."""
    r = invoke(runner, ["data", "init", str(tmp_path)])
    out = tmp_path / DEFAULT.name  # coder_pay.toml
    assert r.exit_code == 0, r.output
    assert r.stderr == f"coder-pay: wrote {out} (a copy of {DEFAULT})\n"
    assert out.read_bytes() == DEFAULT.read_bytes()
    r = invoke(runner, ["data", "init", str(tmp_path)])  # again: the file inside exists now
    assert r.exit_code == 1 and r.stderr == f"coder-pay: error: {out} already exists; use --force to overwrite it.\n"
    out.write_text("my own work\n")
    r = invoke(runner, ["data", "init", str(tmp_path), "--force"])
    assert r.exit_code == 0 and out.read_bytes() == DEFAULT.read_bytes()
    mine = edited_table(tmp_path, ('name = "California"', 'name = "Golden State"'), name="mine.toml")
    sub = tmp_path / "sub"
    sub.mkdir()
    assert invoke(runner, ["--data", str(mine), "data", "init", str(sub)]).exit_code == 0
    assert (sub / "mine.toml").read_bytes() == mine.read_bytes()  # under the table's own name, as cp does


def test_init_never_suggests_force_for_a_directory(runner, tmp_path):
    (tmp_path / DEFAULT.name).mkdir()  # where the copy would go is itself a directory
    for extra in ([], ["--force"]):
        r = invoke(runner, ["data", "init", str(tmp_path), *extra])
        assert (r.exit_code, r.stdout) == (2, "")
        assert r.stderr == (f"coder-pay: error: cannot write {tmp_path / DEFAULT.name}: it is a directory; "
                            f"give a file name.\n")
