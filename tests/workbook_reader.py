"""Read back the .xlsx workbooks coder-pay writes, without another library: a workbook is a zip of XML parts
(ECMA-376). Enough of the format for the tests: sheet names in order, each cell's value with its type (a number,
text, a boolean), its number format, whether it holds a formula, the frozen panes and the filter."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_BUILTIN_FORMATS = {0: None, 1: "0", 2: "0.00", 9: "0%", 10: "0.00%"}


@dataclass
class Cell:
    value: Any  # float (every number), str, bool
    number_format: str | None = None
    formula: bool = False


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell | None]] = field(default_factory=list)  # row by row from A1; None: no cell there
    frozen_rows: int = 0
    autofilter: str | None = None

    @property
    def header(self) -> list[Any]:
        return [None if c is None else c.value for c in self.rows[0]]

    def values(self) -> list[list[Any]]:
        """The data rows' values (the header left out), each row as long as the header."""
        width = len(self.rows[0])
        return [[None if c is None else c.value for c in r] + [None] * (width - len(r)) for r in self.rows[1:]]

    def column(self, title: str, nth: int = 0) -> list[Cell | None]:
        """The data cells of the `nth` column titled `title`."""
        at = [i for i, t in enumerate(self.header) if t == title][nth]
        return [r[at] if at < len(r) else None for r in self.rows[1:]]


def _column_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters is not None
    n = 0
    for ch in letters.group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_workbook(path: Path) -> dict[str, Sheet]:
    """Every sheet of the workbook, by name, in the workbook's order."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        custom = {int(f.get("numFmtId", "0")): f.get("formatCode") for f in styles.iterfind("m:numFmts/m:numFmt", NS)}
        xf_formats = []
        for xf in styles.iterfind("m:cellXfs/m:xf", NS):
            fid = int(xf.get("numFmtId", "0"))
            xf_formats.append(custom.get(fid, _BUILTIN_FORMATS.get(fid)))
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            sst = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in sst.findall("m:si", NS)]
        out: dict[str, Sheet] = {}
        for s in book.iterfind("m:sheets/m:sheet", NS):
            target = targets[s.get(f"{{{NS['r']}}}id")] or ""
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            xml = ElementTree.fromstring(z.read(part))
            sheet = Sheet(s.get("name") or "")
            pane = xml.find("m:sheetViews/m:sheetView/m:pane", NS)
            if pane is not None and pane.get("state") == "frozen":
                sheet.frozen_rows = int(float(pane.get("ySplit", "0")))
            af = xml.find("m:autoFilter", NS)
            sheet.autofilter = None if af is None else af.get("ref")
            for row in xml.iterfind("m:sheetData/m:row", NS):
                r = int(row.get("r", "0")) - 1
                while len(sheet.rows) <= r:
                    sheet.rows.append([])
                cells = sheet.rows[r]
                for c in row.findall("m:c", NS):
                    col = _column_index(c.get("r", "A1"))
                    kind = c.get("t", "n")
                    v = c.find("m:v", NS)
                    value: Any
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                    elif kind == "s":
                        value = shared[int(v.text or "0")] if v is not None else ""
                    elif kind == "b":
                        value = v is not None and v.text == "1"
                    elif kind in ("str", "e"):
                        value = v.text if v is not None else ""
                    else:
                        value = float(v.text) if v is not None and v.text is not None else None
                    fmt = xf_formats[int(c.get("s", "0"))] if xf_formats else None
                    while len(cells) <= col:
                        cells.append(None)
                    cells[col] = Cell(value, fmt, c.find("m:f", NS) is not None)
            out[sheet.name] = sheet
        return out
