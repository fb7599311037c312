"""Excel workbooks (`--format xlsx -o FILE`), through XlsxWriter, an optional extra:
`pip install 'coder-pay[excel]'`.

    book = Workbook("audit.xlsx")                       # UsageError 'excel_missing' without XlsxWriter
    rows = book.sheet("Rows", [("row", INT), ("salary", MONEY), ("verdict", TEXT)])
    rows.write([1, 58000, "within market"])             # row by row: memory stays flat (constant_memory)
    book.close()                                        # the file appears whole, or not at all

Numbers are written as numbers (currency cells as whole dollars with a $ format, percentiles with one
decimal), the header row is frozen and carries a filter. The workbook is written to a temporary file next
to the target and moved into place on `close`, so a failure leaves no half-written file. Pure: no printing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .query import UsageError

#: Column kinds.
TEXT, INT, MONEY, NUMBER, PERCENT, BOOL = "text", "int", "money", "number", "percent", "bool"
_FORMATS = {INT: "0", MONEY: "$#,##0", NUMBER: "0.0", PERCENT: "0.0%"}
#: Excel's limit on rows per sheet (rows past it go to a continuation sheet).
MAX_ROWS = 1_048_576
#: Characters Excel does not allow in a sheet name.
_BAD_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})
INSTALL_HINT = "pip install 'coder-pay[excel]'"


def require_xlsxwriter() -> Any:
    """The xlsxwriter module, or a UsageError saying how to install it."""
    try:
        import xlsxwriter  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError("excel_missing", f"--format xlsx needs the XlsxWriter package: {INSTALL_HINT}.",
                         "format") from None
    return xlsxwriter


class Sheet:
    """One worksheet, written row by row in order."""

    def __init__(self, book: Workbook, name: str, columns: Sequence[tuple[str, str]]):
        self._ws = book._wb.add_worksheet(name.translate(_BAD_SHEET)[:31])
        self._book = book
        self.name = name
        self.columns = list(columns)
        self._kinds = [k for _, k in columns]
        self._fmt = [book._formats.get(k) for k in self._kinds]
        self.rows = 0  # data rows written
        header = book._formats["header"]
        for c, (title, kind) in enumerate(columns):
            self._ws.write_string(0, c, title, header)
            self._ws.set_column(c, c, max(10, min(len(title) + 2, 40)) if kind != TEXT else max(12, min(len(title) + 2, 40)))
        self._ws.freeze_panes(1, 0)
        ws = self._ws
        self._number = ws.write_number
        self._string = ws.write_string
        self._bool = ws.write_boolean

    def write(self, values: Sequence[Any]) -> None:
        """One row: None and '' leave a cell empty; numbers in number columns are written as numbers; anything
        else as text (never as a formula: a cell '=1+1' stays text)."""
        if self.rows + 1 >= MAX_ROWS:
            raise UsageError("too_many_rows", f"Excel holds at most {MAX_ROWS - 1:,} rows on a sheet; write CSV "
                                              "(--format csv) for a file this large.", "format")
        self.rows += 1
        r = self.rows
        number, string, fmt = self._number, self._string, self._fmt
        for c, (kind, v) in enumerate(zip(self._kinds, values)):
            if v is None or v == "":
                continue
            if kind == TEXT or isinstance(v, str):
                string(r, c, str(v))
            elif kind == BOOL or isinstance(v, bool):
                self._bool(r, c, bool(v))
            else:
                number(r, c, v, fmt[c])

    def finish(self) -> None:
        self._ws.autofilter(0, 0, max(self.rows, 1), max(len(self.columns) - 1, 0))


class Workbook:
    """An .xlsx file being written (see the module doc). `overwrite`: replace an existing file."""

    def __init__(self, path: str | os.PathLike[str], *, overwrite: bool = True):
        xlsxwriter = require_xlsxwriter()
        self.path = Path(path)
        directory = self.path.parent if str(self.path.parent) else Path(".")
        if not directory.is_dir():
            raise OSError(2, "No such directory", str(directory))
        fd, self._tmp = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        os.close(fd)
        self._overwrite = overwrite
        self._wb = xlsxwriter.Workbook(self._tmp, {"constant_memory": True, "strings_to_formulas": False,
                                                   "strings_to_urls": False, "strings_to_numbers": False})
        self._formats: dict[str, Any] = {k: self._wb.add_format({"num_format": f}) for k, f in _FORMATS.items()}
        self._formats["header"] = self._wb.add_format({"bold": True, "bottom": 1})
        self._sheets: list[Sheet] = []

    def sheet(self, name: str, columns: Sequence[tuple[str, str]]) -> Sheet:
        s = Sheet(self, name, columns)
        self._sheets.append(s)
        return s

    def close(self) -> None:
        """Write the workbook and move it into place; OSError if it cannot be written (no file is left)."""
        try:
            for s in self._sheets:
                s.finish()
            try:
                self._wb.close()
            except Exception as e:  # xlsxwriter's FileCreateError wraps the OSError
                cause = e.__context__ if isinstance(e.__context__, OSError) else None
                if cause is not None:
                    raise cause from None
                raise OSError(str(e)) from None
            os.chmod(self._tmp, 0o666 & ~_umask())
            if not self._overwrite and self.path.exists():
                raise FileExistsError(str(self.path))
            os.replace(self._tmp, self.path)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary file (after a failure, or an interrupted run)."""
        try:
            os.unlink(self._tmp)
        except FileNotFoundError:
            pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["BOOL", "INSTALL_HINT", "INT", "MAX_ROWS", "MONEY", "NUMBER", "PERCENT", "TEXT", "Sheet", "Workbook",
           "require_xlsxwriter"]
