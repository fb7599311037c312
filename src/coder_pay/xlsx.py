"""Excel workbooks (`--format xlsx -o FILE`), through rustpy-xlsxwriter (Python bindings of the Rust library
rust_xlsxwriter), an optional extra: `pip install 'coder-pay[excel]'`. The one module that imports it.

    book = Workbook("audit.xlsx")                        # UsageError 'excel_missing' without the extra
    book.sheet("Summary", [("group", TEXT), ("count", INT)], [["OH", 12], ["all", 12]])
    book.sheet("Rows", [("row", INT), ("salary", MONEY), ("verdict", TEXT)], rows)   # rows: any iterable, a generator
    book.close()                                         # the file appears whole, or not at all

The sheets' rows are pulled, in order, while `close` writes the workbook (constant-memory mode: a row is on disk
as soon as it is read), so memory stays flat however many rows there are; an exception raised by a row generator
(Ctrl-C, an error) ends the write and leaves no file. Cells are typed one by one: numbers are numbers (money as
whole dollars with a $ format, percentiles with one decimal), True/False booleans, None and '' empty, anything
else text, never a formula ('=1+1' stays text). Text longer than Excel's 32,767 characters is cut to fit (and
counted in `truncated`). Two columns may share a title. The header row is frozen and carries a filter. The
workbook is written to a temporary file next to the target and moved into place on `close`. Pure: no printing.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .query import UsageError

#: Column kinds.
TEXT, INT, MONEY, NUMBER, PERCENT, BOOL = "text", "int", "money", "number", "percent", "bool"
_FORMATS = {INT: "0", MONEY: "$#,##0", NUMBER: "0.0", PERCENT: "0.0%"}
#: Excel's limit on rows per sheet, the header's included.
MAX_ROWS = 1_048_576
#: Excel's limit on the characters of a cell.
MAX_TEXT = 32_767
#: Characters Excel does not allow in a sheet name.
_BAD_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})
_SURROGATE = re.compile("[\ud800-\udfff]")
INSTALL_HINT = "pip install 'coder-pay[excel]'"


def require_excel() -> Any:
    """The rustpy_xlsxwriter module, or a UsageError saying how to install it."""
    try:
        import rustpy_xlsxwriter
    except ImportError:
        raise UsageError("excel_missing", f"--format xlsx needs the rustpy-xlsxwriter package: {INSTALL_HINT}.",
                         "format") from None
    return rustpy_xlsxwriter


def too_many_rows() -> UsageError:
    return UsageError("too_many_rows", f"Excel holds at most {MAX_ROWS - 1:,} rows on a sheet; write CSV "
                                       "(--format csv) for a file this large.", "format")


class _Title(str):
    """A column title that is a dict key of its own. The writer takes the header from the first row's keys and
    each row's cells in order, and a dict's keys are unique: a second column titled like an earlier one (a kept
    input column named 'salary' beside the salary read) gets a key equal only to itself."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __hash__(self) -> int:
        return id(self)


class Workbook:
    """An .xlsx file being written (see the module doc)."""

    def __init__(self, path: str | os.PathLike[str]):
        self._writer = require_excel()
        self.path = Path(path)
        directory = self.path.parent if str(self.path.parent) else Path(".")
        if not directory.is_dir():
            raise FileNotFoundError(errno.ENOENT, "No such directory", str(directory))
        if self.path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(self.path))
        if self.path.exists() and not self.path.is_file():  # a device (/dev/full): it would be replaced, not written
            raise OSError(errno.EINVAL, "not a regular file (a workbook is written to a file)", str(self.path))
        fd, self._tmp = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        os.close(fd)
        self._sheets: list[tuple[str, list[tuple[str, str]], Iterable[Sequence[Any]]]] = []
        self._stderr: tuple[int, IO[bytes]] | None = None
        #: Cells cut to Excel's limit of MAX_TEXT characters.
        self.truncated = 0

    def sheet(self, name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> None:
        """A sheet of `columns` ((title, kind) pairs), its rows (sequences of cells, in the columns' order) pulled
        when the workbook is written."""
        self._sheets.append((name.translate(_BAD_SHEET)[:31], list(columns), rows))

    def close(self) -> None:
        """Write the workbook and move it into place. OSError if it cannot be written; whatever a row generator
        raises passes through; either way the target is as it was and the temporary file is gone."""
        try:
            written = False
            try:
                self._write()
                written = True
            finally:
                self._unmute(pass_on=written)
            os.chmod(self._tmp, 0o666 & ~_umask())
            os.replace(self._tmp, self.path)
        finally:
            self._unmute(pass_on=False)  # (again: a Ctrl-C may have come before the first)
            self.discard()

    def discard(self) -> None:
        """Remove the temporary file (after a failure, or an interrupted run)."""
        try:
            os.unlink(self._tmp)
        except FileNotFoundError:
            pass

    # ------------------------------------------------------------------ writing

    def _write(self) -> None:
        rx = self._writer
        header = rx.Format().set_bold().set_border_bottom("thin")
        formats = {k: rx.Format().set_num_format(f) for k, f in _FORMATS.items()}
        entries: list[tuple[str, Iterator[dict[Any, Any]]]] = []
        column_formats: dict[str, list[Any]] = {}
        widths: dict[str, list[float]] = {}
        headers: dict[str, Any] = {}
        filters: dict[str, bool] = {}
        for i, (name, columns, rows) in enumerate(self._sheets):
            entries.append((name, self._records(columns, rows, last=i == len(self._sheets) - 1)))
            column_formats[name] = [formats.get(kind) for _, kind in columns]
            widths[name] = [float(max(10 if kind != TEXT else 12, min(len(title) + 2, 40))) for title, kind in columns]
            headers[name] = header
            filters[name] = True
        try:
            rx.write_worksheets(entries, self._tmp, freeze_panes={"general": {"row": 1, "col": 0}}, autofit=False,
                                column_formats=column_formats, column_widths=widths, header_format=headers,
                                autofilter=filters)
        except RuntimeError as e:  # "Excel write error: ...": its temporary files could not be written
            if not str(e).startswith("Excel write error"):
                raise
            raise _os_error(e) from None
        except OSError as e:  # "Failed to save workbook: ... (os error 28)"
            raise _os_error(e) from None

    def _records(self, columns: list[tuple[str, str]], rows: Iterable[Sequence[Any]], last: bool) -> Iterator[dict[Any, Any]]:
        """Each row as the writer takes it: a dict of title -> cell, text made fit for Excel."""
        keys: list[str] = []
        for title, _ in columns:
            t = self._fit(str(title))
            keys.append(_Title(t) if t in keys else t)
        text = [i for i, (_, kind) in enumerate(columns) if kind == TEXT]
        limit = MAX_ROWS - 1
        n = 0
        fit = self._fit
        for row in rows:
            if n >= limit:
                raise too_many_rows()
            n += 1
            for i in text:
                v = row[i]
                if v.__class__ is str and v.isascii() and len(v) <= MAX_TEXT or v is None:
                    continue
                w = fit(v)
                if w is not v:
                    row = list(row)
                    row[i] = w
            yield dict(zip(keys, row))
        if n == 0:  # the writer takes the header from the first row: a header-only sheet needs an empty one
            yield dict.fromkeys(keys)
        if last:
            self._mute()

    def _fit(self, v: Any) -> Any:
        """A text cell as Excel can hold it: lone surrogates (from JSON input) replaced, at most MAX_TEXT characters;
        a number or a boolean as it is; anything else (a list from JSON input) as JSON text."""
        if isinstance(v, str):
            if not v.isascii():
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError:
                    v = _SURROGATE.sub("\ufffd", v)
            if len(v) > MAX_TEXT:
                self.truncated += 1
                v = v[:MAX_TEXT - 1] + "\u2026"
            return v
        if v is None or isinstance(v, (int, float)):
            return v
        return self._fit(json.dumps(v, ensure_ascii=False, default=str))

    # The Rust zip writer prints a line of its own to stderr (fd 2) when it cannot finish the archive (a full disk),
    # on top of the OSError that `close` raises and the CLI reports in one line. While the file is assembled, after
    # the last row has been read, stderr is a temporary file: passed on when the write succeeds, dropped when it
    # fails.

    def _mute(self) -> None:
        try:
            sys.stderr.flush()
        except (AttributeError, OSError, ValueError):
            pass
        try:
            caught = tempfile.TemporaryFile()
            saved = os.dup(2)
        except OSError:
            return
        try:
            os.dup2(caught.fileno(), 2)
        except OSError:
            os.close(saved)
            caught.close()
            return
        self._stderr = (saved, caught)

    def _unmute(self, pass_on: bool) -> None:
        if self._stderr is None:
            return
        saved, caught = self._stderr
        self._stderr = None
        try:
            os.dup2(saved, 2)
        finally:
            os.close(saved)
        with caught:
            if pass_on:
                caught.seek(0)
                said = caught.read()
                if said:
                    os.write(2, said)


def _os_error(e: Exception) -> OSError:
    """The writer's error as an OSError with its errno ('... (os error 28)': ENOSPC), else with its text."""
    m = re.search(r"os error (\d+)", str(e))
    if m:
        n = int(m.group(1))
        return OSError(n, os.strerror(n))
    return OSError(str(e))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["BOOL", "INSTALL_HINT", "INT", "MAX_ROWS", "MAX_TEXT", "MONEY", "NUMBER", "PERCENT", "TEXT", "Workbook",
           "require_excel", "too_many_rows"]
