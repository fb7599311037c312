"""Issue 15: Excel workbooks through the optional excel extra (rustpy-xlsxwriter). Each workbook is read back as the
zip of XML it is (tests/workbook_reader.py, no other library): typed numbers, formats, a frozen header, a filter,
text that stays text, duplicate titles, Excel's limits, and no half-written file whatever goes wrong."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coder_pay import xlsx
from coder_pay.cli import app
from coder_pay.query import UsageError
from conftest import installed_command
from workbook_reader import read_workbook

pytest.importorskip("rustpy_xlsxwriter", reason="the excel extra (rustpy-xlsxwriter) is not installed")

ENV = {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "COLUMNS": "120", "NO_COLOR": "1", "CODER_PAY_DATA": ""}


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- the module


def test_a_workbook_has_typed_numbers_a_frozen_header_and_a_filter(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    book = xlsx.Workbook(out)
    book.sheet("Rows", [("row", xlsx.INT), ("name", xlsx.TEXT), ("salary", xlsx.MONEY), ("percentile", xlsx.NUMBER),
                        ("rate", xlsx.PERCENT), ("remote", xlsx.BOOL)],
               [[1, "José Núñez", 58000, 61.5, 0.2125, True], [2, "Ann", None, "", None, False]])
    book.close()
    rows = read_workbook(out)["Rows"]
    assert rows.header == ["row", "name", "salary", "percentile", "rate", "remote"]
    assert rows.frozen_rows == 1 and rows.autofilter == "A1:F3"
    assert rows.values() == [[1.0, "José Núñez", 58000.0, 61.5, 0.2125, True], [2.0, "Ann", None, None, None, False]]
    first = rows.rows[1]
    assert [c.number_format for c in first if c is not None][:5] == ["0", None, "$#,##0", "0.0", "0.0%"]
    assert book.truncated == 0 and leftovers(tmp_path) == []


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\")"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, text: str) -> None:
    out = tmp_path / "f.xlsx"
    book = xlsx.Workbook(out)
    book.sheet("Rows", [("name", xlsx.TEXT)], [[text]])
    book.close()
    (cell,) = read_workbook(out)["Rows"].rows[1]
    assert cell is not None and cell.value == text and not cell.formula


def test_sheets_come_in_the_order_given_and_a_sheet_without_rows_keeps_its_header(tmp_path: Path) -> None:
    out = tmp_path / "audit.xlsx"
    book = xlsx.Workbook(out)
    book.sheet("Summary", [("group", xlsx.TEXT), ("count", xlsx.INT)], [["OH", 1]])
    book.sheet("Rows", [("row", xlsx.INT)], iter([]))
    book.sheet("Bad: [name]?", [("row", xlsx.INT)], [[1]])
    book.close()
    sheets = read_workbook(out)
    assert list(sheets) == ["Summary", "Rows", "Bad_ _name__"]  # what Excel forbids in a sheet name replaced
    assert sheets["Summary"].values() == [["OH", 1.0]]
    assert sheets["Rows"].header == ["row"] and sheets["Rows"].values() == [] and sheets["Rows"].frozen_rows == 1


def test_two_columns_may_share_a_title(tmp_path: Path) -> None:
    out = tmp_path / "dup.xlsx"
    book = xlsx.Workbook(out)
    book.sheet("Rows", [("salary", xlsx.TEXT), ("notes", xlsx.TEXT), ("salary", xlsx.MONEY), ("notes", xlsx.TEXT)],
               [["52,000.00", "input note", 52000, "our note"], ["$61,500", None, 61500, None]])
    book.close()
    rows = read_workbook(out)["Rows"]
    assert rows.header == ["salary", "notes", "salary", "notes"]
    assert rows.values() == [["52,000.00", "input note", 52000.0, "our note"], ["$61,500", None, 61500.0, None]]


def test_text_longer_than_excel_holds_is_cut_and_counted(tmp_path: Path) -> None:
    out = tmp_path / "long.xlsx"
    book = xlsx.Workbook(out)
    long = "x" * 40_000
    fits = "é" * xlsx.MAX_TEXT  # at the limit: kept whole
    book.sheet("Rows", [("note", xlsx.TEXT), ("y" * 33_000, xlsx.TEXT)], [[long, fits], ["short", None]])
    book.close()
    rows = read_workbook(out)["Rows"]
    (cut, whole), (short, _) = rows.values()
    assert len(cut) == 32_767 == xlsx.MAX_TEXT and cut == "x" * 32_766 + "\u2026"
    assert whole == fits and short == "short"
    assert len(rows.header[1]) == 32_767
    assert book.truncated == 2  # the cell and the title


def test_text_from_json_input_is_made_fit(tmp_path: Path) -> None:
    out = tmp_path / "json.xlsx"
    book = xlsx.Workbook(out)
    book.sheet("Rows", [("a", xlsx.TEXT), ("b", xlsx.TEXT), ("c", xlsx.TEXT), ("d", xlsx.TEXT)],
               [["bad \ud800 half", ["CPC", "CRC"], {"k": 1}, 1234]])
    book.close()
    assert read_workbook(out)["Rows"].values() == [["bad \ufffd half", '["CPC", "CRC"]', '{"k": 1}', 1234.0]]


def test_an_unwritable_place_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        xlsx.Workbook(tmp_path / "missing" / "out.xlsx")
    (tmp_path / "taken").mkdir()
    with pytest.raises(IsADirectoryError):
        xlsx.Workbook(tmp_path / "taken")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"] and list((tmp_path / "taken").iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_what_is_not_a_regular_file_is_refused_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"  # as a device (/dev/null, /dev/full): os.replace would put a file in its place
    os.mkfifo(pipe)
    with pytest.raises(OSError) as info:
        xlsx.Workbook(pipe)
    assert "not a regular file" in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"] and not pipe.is_file()


def test_what_a_row_generator_raises_passes_through_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    out.write_bytes(b"the old file")

    def rows(stop: BaseException) -> Iterator[list[int]]:
        yield [1]
        yield [2]
        raise stop

    for stop in (KeyboardInterrupt(), ValueError("a bad row")):
        book = xlsx.Workbook(out)
        book.sheet("Rows", [("row", xlsx.INT)], rows(stop))
        with pytest.raises(type(stop)):
            book.close()
        assert out.read_bytes() == b"the old file" and leftovers(tmp_path) == []


def test_rows_are_pulled_while_the_workbook_is_written(tmp_path: Path) -> None:
    pulled: list[int] = []

    def rows() -> Iterator[list[int]]:
        for i in range(3):
            pulled.append(i)
            yield [i]

    book = xlsx.Workbook(tmp_path / "lazy.xlsx")
    book.sheet("Rows", [("row", xlsx.INT)], rows())
    assert pulled == []  # nothing read yet: a generator over a million rows is not held in memory
    book.close()
    assert pulled == [0, 1, 2]


def test_a_sheet_holds_at_most_excels_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # a header and 3 rows
    ok = xlsx.Workbook(tmp_path / "ok.xlsx")
    ok.sheet("Rows", [("row", xlsx.INT)], [[1], [2], [3]])
    ok.close()
    book = xlsx.Workbook(tmp_path / "big.xlsx")
    book.sheet("Rows", [("row", xlsx.INT)], [[1], [2], [3], [4]])
    with pytest.raises(UsageError) as info:
        book.close()
    assert info.value.code == "too_many_rows" and "at most 3 rows" in info.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.xlsx"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_oserror_and_nothing_else_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capfd: pytest.CaptureFixture[str]) -> None:
    real_mkstemp = xlsx.tempfile.mkstemp
    full = tmp_path / ".out.xlsx.full.tmp"

    def onto_dev_full(*a: object, **k: object) -> tuple[int, str]:
        fd, name = real_mkstemp(*a, **k)  # type: ignore[call-overload]
        os.close(fd)
        os.unlink(name)
        full.symlink_to("/dev/full")  # the workbook's temporary file: every write fails with ENOSPC
        return os.open(os.devnull, os.O_RDONLY), str(full)

    monkeypatch.setattr(xlsx.tempfile, "mkstemp", onto_dev_full)
    book = xlsx.Workbook(tmp_path / "out.xlsx")
    book.sheet("Rows", [("row", xlsx.INT), ("name", xlsx.TEXT)], ([i, f"person {i}"] for i in range(2000)))
    with pytest.raises(OSError) as info:
        book.close()
    assert info.value.errno == errno.ENOSPC and info.value.strerror == os.strerror(errno.ENOSPC)
    assert capfd.readouterr().err == ""  # the Rust zip writer's own complaint is not shown
    assert list(tmp_path.iterdir()) == []
    print("stderr is back", file=sys.stderr, flush=True)
    assert capfd.readouterr().err == "stderr is back\n"


def test_without_the_extra_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "rustpy_xlsxwriter", None)  # import fails as if not installed
    with pytest.raises(UsageError) as info:
        xlsx.Workbook(tmp_path / "out.xlsx")
    assert info.value.code == "excel_missing" and "pip install 'coder-pay[excel]'" in info.value.message
    for command in ("batch", "audit"):
        r = CliRunner().invoke(app, [command, "--format", "xlsx", "-o", str(tmp_path / "out.xlsx")],
                               input="state,salary\nOH,50000\n", env=ENV)
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr == ("coder-pay: error: --format xlsx needs the rustpy-xlsxwriter package: "
                            "pip install 'coder-pay[excel]'.\n")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- batch and audit


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=input, env=ENV, catch_exceptions=False)


def test_kept_columns_named_like_output_fields_are_all_kept(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    src = tmp_path / "in.csv"
    src.write_text("state,salary,notes,gap\nOH,\"52,000\",=1+1,wide\n", encoding="utf-8")
    r = invoke("batch", str(src), "--format", "xlsx", "-o", str(out), "--keep", "salary,notes,gap")
    assert r.exit_code == 0, r.output
    rows = read_workbook(out)["Rows"]
    assert rows.header[:4] == ["salary", "notes", "gap", "row"]
    assert rows.header.count("salary") == rows.header.count("notes") == rows.header.count("gap") == 2
    kept_salary, read_salary = rows.column("salary")[0], rows.column("salary", 1)[0]
    assert kept_salary is not None and kept_salary.value == "52,000"  # the input cell, as text
    assert read_salary is not None and read_salary.value == 52_000.0 and read_salary.number_format == "$#,##0"
    kept_note = rows.column("notes")[0]
    assert kept_note is not None and kept_note.value == "=1+1" and not kept_note.formula
    assert rows.column("gap")[0].value == "wide"  # type: ignore[union-attr]
    assert isinstance(rows.column("gap", 1)[0].value, float)  # type: ignore[union-attr]


def test_a_cell_too_long_for_excel_is_cut_with_a_note(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    src = tmp_path / "in.csv"
    src.write_text("state,comment\nOH," + "c" * 40_000 + "\nTX,short\n", encoding="utf-8")
    r = invoke("batch", str(src), "--format", "xlsx", "-o", str(out), "--keep", "comment")
    assert r.exit_code == 0, r.output
    assert f"coder-pay: note: 1 cell longer than Excel's 32,767 characters cut short in {out}." in r.stderr
    comment = [c.value for c in read_workbook(out)["Rows"].column("comment") if c is not None]
    assert comment == ["c" * 32_766 + "\u2026", "short"]


def test_a_header_without_rows_is_a_sheet_with_its_header(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    r = invoke("batch", "--format", "xlsx", "-o", str(out), input="state,cert\n")
    assert r.exit_code == 0, r.output
    rows = read_workbook(out)["Rows"]
    assert rows.header[:3] == ["row", "state", "area"] and rows.values() == []


@pytest.mark.parametrize("chunk", [1024, 3])  # the rows wait in a spool, CHUNK rows a record: one, or two and a part
def test_the_audit_workbook_has_its_summary_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    from coder_pay.cli import audit_cmd

    monkeypatch.setattr(audit_cmd._AuditBook, "CHUNK", chunk)
    out = tmp_path / "audit.xlsx"
    src = tmp_path / "in.csv"
    # OH's market band's low (BLS p25, $44,100 in the table) is above 30,000 and 31,000: E1 and E2 are below it;
    # E3 has no salary (not compared), E4 fails
    src.write_text("Employee ID,state,salary\nE1,OH,30000\nE2,OH,31000\nE3,OH,\nE4,ZZ,50000\n", encoding="utf-8")
    r = invoke("audit", str(src), "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 3 and r.stdout == "" and "row 4 (Employee ID: E4)" in r.stderr
    book = read_workbook(out)
    assert list(book) == ["Summary", "Rows", "Furthest below"]
    summary, rows, furthest = book["Summary"], book["Rows"], book["Furthest below"]
    assert summary.header[:4] == ["by", "value", "count", "median_salary"] and summary.frozen_rows == 1
    oh, total = (dict(zip(summary.header, r)) for r in summary.values())
    assert (oh["value"], oh["count"], oh["median_salary"], oh["below_low"], oh["without_salary"]) == ("OH", 2, 30_500, 2, 1)
    assert total["count"] == 2 and total["failed"] == 1
    assert summary.column("median_salary")[0].number_format == "$#,##0"  # type: ignore[union-attr]
    assert [r[0] for r in rows.values()] == [1.0, 2.0, 3.0, 4.0]  # every row read, in order
    assert rows.header[:3] == ["row", "Employee ID", "state"] and rows.header.count("state") == 2
    assert [r[1] for r in rows.values()] == ["E1", "E2", "E3", "E4"]
    assert rows.values()[3][-1].startswith("Unknown state 'ZZ'")
    assert [r[1] for r in furthest.values()] == ["E1", "E2"]  # the furthest below first


# --------------------------------------------------------------------------- the installed command


def run(*args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": ""}
    return subprocess.run([installed_command(), *args], capture_output=True, env=env, timeout=120, **kw)  # type: ignore[call-overload, no-any-return]


def test_the_installed_command_writes_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    p = run("batch", "--format", "xlsx", "-o", str(out), input=b"state,salary\nOH,50000\nZZ,1\nCA,27/h\n")
    assert p.returncode == 3 and p.stdout == b""
    assert p.stderr.decode().startswith("coder-pay: row 2: Unknown state 'ZZ'")
    rows = read_workbook(out)["Rows"]
    assert [r[0] for r in rows.values()] == [1.0, 2.0, 3.0]
    assert rows.column("salary")[2].value == 27 * 2080  # type: ignore[union-attr]


def test_the_installed_command_without_the_extra(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow" / "rustpy_xlsxwriter"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('not installed')\n")
    env = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": "", "PYTHONPATH": str(shadow.parent)}
    p = subprocess.run([installed_command(), "batch", "--format", "xlsx", "-o", str(tmp_path / "o.xlsx")],
                       input=b"state\nOH\n", capture_output=True, env=env, timeout=60)
    assert p.returncode == 2 and p.stdout == b""
    assert p.stderr == b"coder-pay: error: --format xlsx needs the rustpy-xlsxwriter package: pip install 'coder-pay[excel]'.\n"
    assert not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize("target", ["missing/out.xlsx", "."])
def test_an_unwritable_workbook_is_exit_4_in_one_line(tmp_path: Path, target: str) -> None:
    p = run("batch", "--format", "xlsx", "-o", str(tmp_path / target), input=b"state\nOH\n")
    assert p.returncode == 4 and p.stdout == b""
    err = p.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("coder-pay: error: cannot write ")
    assert leftovers(tmp_path) == []


def test_ctrl_c_while_a_workbook_is_written_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    env = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": ""}
    p = subprocess.Popen([installed_command(), "batch", "--format", "xlsx", "-o", str(out)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert p.stdin is not None and p.stderr is not None
        p.stdin.write(b"state\nOH\nZZ\n")
        p.stdin.flush()
        said = p.stderr.readline()  # row 2 failed: the rows are being read while the workbook is written
        assert said.startswith(b"coder-pay: row 2:")
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
    finally:
        p.kill()
    assert p.returncode == 130
    assert err.decode() == f"\ncoder-pay: interrupted: nothing written to {out} (it is written whole or not at all).\n"
    assert list(tmp_path.iterdir()) == []
