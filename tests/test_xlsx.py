"""Issue 15: Excel workbooks through the optional XlsxWriter extra. The workbook is opened as the zip of XML
it is, without another library: typed numbers, formats, a frozen header, a filter, no half-written file."""

from __future__ import annotations

import builtins
import re
import zipfile
from pathlib import Path

import pytest

from coder_pay import xlsx
from coder_pay.query import UsageError

pytest.importorskip("xlsxwriter", reason="the excel extra (XlsxWriter) is not installed")


def _sheet_xml(path: Path, n: int = 1) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{n}.xml").decode()


def test_a_workbook_has_typed_numbers_a_frozen_header_and_a_filter(tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    book = xlsx.Workbook(out)
    s = book.sheet("Rows", [("row", xlsx.INT), ("name", xlsx.TEXT), ("salary", xlsx.MONEY), ("position", xlsx.NUMBER)])
    s.write([1, "José Núñez", 58000, 61.5])
    s.write([2, "=1+1", None, ""])
    book.close()
    xml = _sheet_xml(out)
    assert '<pane ySplit="1"' in xml and 'state="frozen"' in xml
    assert '<autoFilter ref="A1:D3"/>' in xml
    assert "<v>58000</v>" in xml and "<v>61.5</v>" in xml  # numbers, not text
    assert "<f>" not in xml  # '=1+1' stays text, never a formula
    with zipfile.ZipFile(out) as z:
        styles = z.read("xl/styles.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else xml
    assert "$#,##0" in styles
    assert "José Núñez" in strings
    assert not list(tmp_path.glob(".*tmp"))  # the temporary file is gone


def test_two_sheets(tmp_path: Path) -> None:
    out = tmp_path / "audit.xlsx"
    book = xlsx.Workbook(out)
    rows = book.sheet("Rows", [("row", xlsx.INT)])
    summary = book.sheet("Summary", [("group", xlsx.TEXT), ("count", xlsx.INT)])
    rows.write([1])
    summary.write(["OH", 1])
    book.close()
    with zipfile.ZipFile(out) as z:
        names = re.findall(r'name="([^"]+)"', z.read("xl/workbook.xml").decode())
    assert "Rows" in names and "Summary" in names


def test_an_unwritable_place_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        xlsx.Workbook(tmp_path / "missing" / "out.xlsx")
    target = tmp_path / "taken"
    target.mkdir()  # a directory where the file should go: the move fails (as root too)
    book = xlsx.Workbook(target)
    book.sheet("Rows", [("row", xlsx.INT)]).write([1])
    with pytest.raises(OSError):
        book.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # no temporary file left
    assert list(target.iterdir()) == []


def test_without_xlsxwriter_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_xlsxwriter(name: str, *a: object, **k: object) -> object:
        if name == "xlsxwriter":
            raise ImportError(name)
        return real(name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_xlsxwriter)
    with pytest.raises(UsageError) as info:
        xlsx.require_xlsxwriter()
    assert info.value.code == "excel_missing" and "pip install 'coder-pay[excel]'" in info.value.message
