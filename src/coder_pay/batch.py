"""Many profiles at once: rows in (CSV with a header, or JSON Lines), one result out per row.

    for row in iter_batch(table, lines):          # lines: any iterable of text lines
        row.row, row.result                       # 1-based data-row number, Estimate or RowError

Rules (see README, "Batch"):
- CSV: the first record is the header; columns are named like the `estimate` options
  (COLUMNS below; case, spaces and '-'/'_' do not matter). JSON Lines: one object per line
  with the same keys. Unknown columns are ignored and reported once (`on_unknown_columns`).
- Empty cells (and JSON null) mean "not given". `cert` holds several credentials separated by
  ';', '|' or ','; in JSON it may also be a list. `remote` is true/false, yes/no, y/n, 1/0.
- Rows are numbered 1, 2, ... over data rows: the header is not counted, and blank lines are
  skipped and not counted either, so row N is always the N-th line of output.
- A bad row (unknown state, bad years, a malformed JSON line, ...) gives a `RowError` in its
  place; the batch goes on. Only a header that names no known column (or names one twice)
  stops the batch, with a UsageError.

Streams: one row is read, resolved and yielded at a time; nothing is accumulated. Results are
memoized per distinct profile in bounded LRU caches, so memory stays flat for any input size
while repeated profiles (the common case in a roster) cost a dictionary lookup.
Pure: no printing; the only input is the iterable it is given.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from .model import Estimate, estimate
from .query import Query, UsageError, build_query, parse_flag, parse_year, parse_years
from .table import Table

#: The columns (CSV) or keys (JSON Lines) a batch reads, in the order of the `estimate` options.
COLUMNS = ("state", "cert", "years", "level", "specialty", "setting", "remote", "home", "col", "as_of")
INPUT_FORMATS = ("csv", "jsonl")
#: Distinct profiles remembered (per cache level). Bounded so memory does not grow with the input.
CACHE_SIZE = 8192

_KNOWN = frozenset(COLUMNS)
_BOM = "\ufeff"


@dataclass(frozen=True)
class RowError:
    """Why one row gave no estimate. `code` is a stable identifier (unknown_state, bad_years, bad_json, ...)."""

    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, str]:
        d = {"code": self.code, "message": self.message}
        if self.field is not None:
            d["field"] = self.field
        return d


Result = Estimate | RowError


class BatchRow(NamedTuple):
    """One data row's outcome: its 1-based number and an Estimate (or what `render` made of it)
    or a RowError."""

    row: int
    result: Any

    @property
    def ok(self) -> bool:
        return not isinstance(self.result, RowError)


UnknownColumns = Callable[[list[str]], None]
Render = Callable[[Estimate], Any]
_row = tuple.__new__  # BatchRow(n, r) without the Python-level __new__: this runs once per row


# --------------------------------------------------------------------------- one profile


def column_name(header: str) -> str:
    """'  As-Of ' -> 'as_of': how a header cell or JSON key is matched against COLUMNS."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def query_from_cells(table: Table, cells: Mapping[str, str]) -> Query:
    """A Query from text cells keyed by column name; '' means not given. Raises UsageError."""
    def text(name: str) -> str | None:
        v = cells.get(name, "").strip()
        return v or None

    cert = cells.get("cert", "")
    return build_query(
        table,
        state=text("state"),
        certs=[cert] if cert.strip() else [],
        years=parse_years(cells.get("years", ""), "years"),
        level=text("level"),
        specialty=text("specialty"),
        setting=text("setting"),
        remote=bool(parse_flag(cells.get("remote", ""), "remote")),
        home=text("home"),
        col=text("col") or "all",
        as_of=parse_year(cells.get("as_of", ""), "as_of"),
    )


def cell_text(value: Any, name: str) -> str:
    """A JSON value (or a pandas/numpy scalar) as the text a CSV cell would hold.

    None and NaN -> '' (not given); true/false -> 'true'/'false'; whole numbers (7 or 7.0) -> '7';
    a list of strings (cert) -> 'A;B'. Anything else raises UsageError."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (list, tuple)) and name == "cert" and all(isinstance(x, str) for x in value):
        return ";".join(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):  # numpy scalars from a DataFrame
        return cell_text(value.item(), name)
    kind = "a list" if isinstance(value, (list, tuple)) else "an object" if isinstance(value, dict) else type(value).__name__
    raise UsageError(f"bad_{name}", f"{name} must be text{' or a list of text' if name == 'cert' else ''}, not {kind}.", name)


class Profiles:
    """Resolves rows of text cells to results, memoized at two levels (both bounded LRU): by the
    raw cells, and by the normalized Query (so 'ca' and 'California' share one result).

    The result is the Estimate, or `render(estimate)` when a `render` function is given (e.g. the
    CLI's encoder, so that a repeated profile costs one lookup and no encoding); a bad profile
    gives a RowError."""

    def __init__(self, table: Table, columns: tuple[str, ...], cache_size: int = CACHE_SIZE,
                 render: Render | None = None):
        self.table = table
        self.columns = columns

        @lru_cache(maxsize=cache_size)
        def by_query(q: Query) -> Any:
            est = estimate(table, q)
            return est if render is None else render(est)

        @lru_cache(maxsize=cache_size)
        def by_cells(cells: tuple[str, ...]) -> Any:
            try:
                return by_query(query_from_cells(table, dict(zip(columns, cells))))
            except UsageError as e:
                return RowError(e.code, e.message, e.field)

        self.resolve: Callable[[tuple[str, ...]], Any] = by_cells


# --------------------------------------------------------------------------- readers


def iter_batch(table: Table, lines: Iterable[str], input_format: str = "csv", *,
               on_unknown_columns: UnknownColumns | None = None, render: Render | None = None,
               cache_size: int = CACHE_SIZE) -> Iterator[BatchRow]:
    """Each data row of `lines` (CSV with a header, or JSON Lines) as a BatchRow, in input order.

    `lines` is any iterable of text lines, e.g. a file opened with newline='' (a leading UTF-8
    byte-order mark and CRLF endings are handled). `on_unknown_columns` is called at most once,
    with the names of the columns (or JSON keys) that are not read. `render`, if given, is applied
    once per distinct profile and its value stands in for the Estimate in the rows."""
    if input_format == "csv":
        return _csv_rows(table, lines, on_unknown_columns, cache_size, render)
    if input_format == "jsonl":
        return _json_rows(table, lines, on_unknown_columns, cache_size, render)
    raise UsageError("bad_input_format", f"Unknown input format '{input_format}'. Choose from: {', '.join(INPUT_FORMATS)}.",
                     "input_format")


def estimate_many(table: Table, records: Iterable[Mapping[str, Any]], *,
                  on_unknown_columns: UnknownColumns | None = None, render: Render | None = None,
                  cache_size: int = CACHE_SIZE) -> Iterator[BatchRow]:
    """Each mapping (e.g. from `DataFrame.to_dict("records")` or `csv.DictReader`) as a BatchRow.
    Keys and values follow the JSON Lines rules; None/NaN mean "not given"."""
    profiles = Profiles(table, COLUMNS, cache_size, render)
    warn = _Warner(on_unknown_columns)
    n = 0
    for rec in records:
        n += 1
        yield BatchRow(n, _from_mapping(profiles, rec, warn))


def _csv_rows(table: Table, lines: Iterable[str], on_unknown: UnknownColumns | None, cache_size: int,
              render: Render | None) -> Iterator[BatchRow]:
    reader = csv.reader(lines)
    header: list[str] | None = None
    while header is None:
        try:
            first = next(reader)
        except StopIteration:
            return  # empty input: no rows, not an error
        except csv.Error as e:
            raise UsageError("bad_csv", f"cannot read the CSV header: {e}.", "header") from None
        if first and first[0].startswith(_BOM):
            first[0] = first[0][1:]
        if any(c.strip() for c in first):
            header = first  # leading blank lines before the header are skipped

    names = [column_name(h) for h in header]
    where: dict[str, int] = {}
    unknown: list[str] = []
    for i, (name, raw) in enumerate(zip(names, header)):
        if name in _KNOWN:
            if name in where:
                raise UsageError("duplicate_column", f"the CSV header names column '{name}' twice.", "header")
            where[name] = i
        elif name:
            unknown.append(raw.strip())
    if not where:
        shown = ", ".join(h.strip() for h in header)[:80]
        raise UsageError("no_known_columns",
                         f"the CSV header ({shown}) names none of the columns coder-pay reads: {', '.join(COLUMNS)}. "
                         "The first line must be a header.", "header")
    if unknown and on_unknown is not None:
        on_unknown(unknown)

    present = tuple(c for c in COLUMNS if c in where)
    pos = [where[c] for c in present]
    width = len(header)
    getter: Callable[[list[str]], tuple[str, ...]]
    if len(pos) == 1:
        only = pos[0]

        def getter(row: list[str]) -> tuple[str, ...]:
            return (row[only],)
    else:
        getter = itemgetter(*pos)
    resolve = Profiles(table, present, cache_size, render).resolve

    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            n += 1
            yield BatchRow(n, RowError("bad_csv", f"cannot read this CSV row: {e}.", None))
            continue
        if len(row) == width and (width > 1 or row[0].strip()):
            n += 1
            yield _row(BatchRow, (n, resolve(getter(row))))
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line: skipped, not counted
        n += 1
        if len(row) < width:  # a short row: the missing cells are empty
            row = row + [""] * (width - len(row))
        elif any(c.strip() for c in row[width:]):
            yield BatchRow(n, RowError("extra_cells", f"this row has {len(row)} cells but the header has {width}.", None))
            continue
        yield BatchRow(n, resolve(getter(row)))


def _json_rows(table: Table, lines: Iterable[str], on_unknown: UnknownColumns | None, cache_size: int,
               render: Render | None) -> Iterator[BatchRow]:
    profiles = Profiles(table, COLUMNS, cache_size, render)
    warn = _Warner(on_unknown)
    loads = json.loads
    n = 0
    first = True
    for line in lines:
        if first and line.startswith(_BOM):
            line = line[1:]
        first = False
        s = line.strip()
        if not s:
            continue  # a blank line: skipped, not counted
        n += 1
        try:
            obj = loads(s)
        except ValueError as e:
            where = f" (column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
            msg = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
            yield BatchRow(n, RowError("bad_json", f"not valid JSON: {msg}{where}.", None))
            continue
        if not isinstance(obj, dict):
            yield BatchRow(n, RowError("bad_line", 'each line must be a JSON object such as {"state": "CA"}.', None))
            continue
        yield BatchRow(n, _from_mapping(profiles, obj, warn))


class _Warner:
    """Calls `on_unknown` once, the first time a record has keys that are not COLUMNS."""

    def __init__(self, on_unknown: UnknownColumns | None):
        self.on_unknown = on_unknown
        self.done = on_unknown is None

    def check(self, rec: Mapping[str, Any]) -> None:
        extra = [k for k in rec if k not in _KNOWN and column_name(str(k)) not in _KNOWN]
        if extra:
            self.done = True
            assert self.on_unknown is not None
            self.on_unknown([str(k) for k in extra])


def _from_mapping(profiles: Profiles, rec: Mapping[str, Any], warn: _Warner) -> Any:
    if not warn.done:
        warn.check(rec)
    get = rec.get
    try:
        if len(rec) and all(k in _KNOWN for k in rec):  # the usual case: keys already spelt as COLUMNS
            cells = tuple(cell_text(get(c), c) for c in COLUMNS)
        else:
            norm = {column_name(str(k)): v for k, v in rec.items()}
            cells = tuple(cell_text(norm.get(c), c) for c in COLUMNS)
    except UsageError as e:
        return RowError(e.code, e.message, e.field)
    return profiles.resolve(cells)


__all__ = ["CACHE_SIZE", "COLUMNS", "INPUT_FORMATS", "BatchRow", "Profiles", "Render", "Result", "RowError", "cell_text",
           "column_name", "estimate_many", "iter_batch", "query_from_cells"]
