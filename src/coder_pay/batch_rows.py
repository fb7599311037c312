"""Many profiles at once: rows in (CSV with a header, or JSON Lines), one result out per row.
Kept whole (one piece, about 800 lines): the two readers, the cells -> query parsers and the pricing share
one row's state and its bounded caches (Cells, _Pricer) and are read together; the column reader is apart.

    for row in iter_batch(table, lines):          # lines: any iterable of text lines
        row.row, row.result                       # 1-based data-row number, Estimate (OfferCheck) or RowError

Rules (see docs/scripting.md, "Batch input"):
- CSV: the first record is the header; its delimiter (',', ';', tab or '|') is sniffed from it
  unless given. JSON Lines: one object per line. The column reader is batch_columns.py: a column
  (or key) is read as one of COLUMNS when its name is the column's own or one in COLUMN_NAMES
  (case, spaces and punctuation do not matter: 'Years of Experience' is years), or when `columns`
  maps it explicitly ({"cert": "Credentials"}).
- A column that is not read but looks like one of COLUMNS ('Certfications', 'Home State') stops
  the batch with a UsageError and a "did you mean", unless it is kept (`keep`): then it is carried
  unread. Other columns (Name, Employee ID, Department) are ignored, or carried when kept.
- Empty cells (and JSON null) mean "not given". `cert` holds several credentials separated by
  commas, semicolons, '|', '/' or spaces; in JSON it may also be a list. `years` may be fractional
  or carry a unit ('3.5', '4 yrs'). `remote` is true/false, yes/no, y/n, 1/0. `salary` (yearly,
  as `offer` takes it) makes the row an offer check.
- Rows are numbered 1, 2, ... over data rows: the header is not counted, and blank lines are
  skipped and not counted either, so row N is always the N-th line of output.
- A bad row (unknown state, bad years, a malformed JSON line, ...) gives a `RowError` in its
  place; the batch goes on. Only the header (or, in JSON Lines, the first record's keys) stops
  the batch, with a UsageError.

Two ways to price a row. The default gives the model's full result: an `Estimate`, or an
`OfferCheck` for a row with a salary (what `estimate --json` and `offer --json` print). `lean=True`
gives a `Priced` row (the band, the adjusted band, the offer's position): what CSV output and slim
JSON lines need, through one call into the model per distinct profile (`_band`).

Streams: one row is read, resolved and yielded at a time; nothing is accumulated. Cells and
profiles are memoized in bounded caches, so memory stays flat for any input size while repeated
values (a state, a credential list, a whole profile) cost a dictionary lookup.
Pure: no printing; the only input is the iterable it is given.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from .batch_columns import (  # the column reader (its names re-exported here, where they were)
    COLUMN_NAMES,
    COLUMNS,
    KEEP_ALL,
    LOOKALIKE_NAMES,
    PAY_COLUMNS,
    PROFILE_COLUMNS,
    Layout,
    column_for,
    column_name,
    looks_like,
    parse_column_option,
    read_header,
    resolve_delimiter,
    sniff_delimiter,
    squash,
)
from .model import Band, Estimate, Pricer, cost_of_living, estimate, round_dollars
from .money import BARE_HOURLY_BELOW, HOUR, MAX_SALARY, YEAR, low_pay_warning
from .payroll import PLACEHOLDERS, HRError, is_placeholder, parse_basis, parse_hr_years, read_pay, split_credentials
from .places import resolve_area, resolve_zip
from .query import (
    COL_BASES,
    LEVELS,
    Query,
    UsageError,
    _shown,
    _suggest,
    apprentice_of,
    check_as_of,
    check_level_years,
    credential_notes,
    parse_flag,
    parse_year,
    pay_floor,
    place_state,
    resolve_choice,
    resolve_credentials,
    resolve_factor,
    resolve_home,
    resolve_state,
)
from .table import Distribution, Table

INPUT_FORMATS = ("csv", "jsonl")
#: Distinct profiles remembered (per cache level). Bounded so memory does not grow with the input.
CACHE_SIZE = 8192
#: Distinct cell values remembered per column (a state, a credential list, a salary).
CELL_CACHE_SIZE = 1 << 16


_BOM = "\ufeff"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RowError:
    """Why one row gave no result. `code` is a stable identifier (unknown_state, bad_years, bad_json, ...)."""

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
    """One data row's outcome: its 1-based number and an Estimate, OfferCheck or Priced (or what
    `render` made of it), or a RowError."""

    row: int
    result: Any

    @property
    def ok(self) -> bool:
        return not isinstance(self.result, RowError)


class KeptRow(NamedTuple):
    """A BatchRow with the kept cells ({name: value}; None when nothing is kept), for a failed row the
    cell that identifies it ('Name: Dee') when there is one, and what the row's output should say about
    how it was read (`notes`: an hourly rate converted, a credential priced without) (`Batch.with_input`)."""

    row: int
    result: Any
    input: dict[str, Any] | None = None
    ident: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not isinstance(self.result, RowError)


class Offered(NamedTuple):
    """A row's salary against its market (decide.market_position), and with after_tax its take-home."""

    salary: int
    percentile: float
    verdict: str
    target: int
    take_home: int | None = None  # whole dollars
    take_home_adjusted: int | None = None  # in the comparison area's prices
    effective_rate: float | None = None
    beyond: str | None = None  # "below" the published p10 or "above" the p90 (`percentile` then reads 10 or 90)


class Priced(NamedTuple):
    """One row as the lean path prices it: the query, the band and the band in the comparison area's
    prices (the numbers of `estimate(table, query)`), and the salary's position when there is one."""

    query: Query
    band: Band
    adjusted: Band
    offer: Offered | None = None
    wage_year: int = 0  # the year of the bands' dollars: the table's wage year, or the year they are aged to


def _bands(table: Table, pricer: Pricer, as_of: int | None = None) -> Callable[[Query], tuple[Band, Band, Distribution]]:
    """q -> (its band, the band in the comparison area's prices, the profile's distribution): the ONE way batch's
    lean path calls the pay model (a model.Pricer: the numbers of `estimate` without its factor records; `as_of`:
    the year when `q` names none). model.cost_of_living's price ratio is remembered per (state, place, home, home
    place, basis): there are few."""
    ratios: dict[tuple[Any, ...], float] = {}
    numbers = pricer.numbers

    def bands(q: Query) -> tuple[Band, Band, Distribution]:
        band, prof = numbers(q, as_of)
        key = (q.state, q.area, q.home, q.home_area, q.col)
        k = ratios.get(key)
        if k is None:
            if len(ratios) >= Pricer.CACHE_SIZE:
                ratios.clear()
            k = ratios[key] = cost_of_living(table, band, q.work_place, q.home_place, q.col).price_ratio
        return band, band.scaled(k), prof
    return bands


class Noted(NamedTuple):
    """A cell's (or a row's) value with what the row's output should say about how it was read."""

    value: Any
    notes: tuple[str, ...]


UnknownColumns = Callable[[list[str]], None]
Render = Callable[[Any], Any]
_row = tuple.__new__  # BatchRow(...) without the Python-level __new__: this runs once per row
_MISS = object()


# --------------------------------------------------------------------------- cells -> a query


def _years(cell: str) -> float | None:
    try:
        return parse_hr_years(cell)
    except HRError as e:
        raise UsageError(e.code, e.message, e.field) from None


#: A credentials cell's common shape ('CPC', 'CPC, CRC', 'CCS/CRC', 'CPC; CRC'): when each code is one the table
#: prices, `_credentials` reads it without split_credentials and resolve_credentials (to what they give).
_CODES_SHAPE = re.compile(r"[A-Za-z0-9-]+(?: ?[,;/|] ?[A-Za-z0-9-]+)*")
_CODE_SEPARATOR = re.compile(r" ?[,;/|] ?")


def _credentials(table: Table, notes: dict[str, None]) -> Callable[[str], Any]:
    """A credentials cell -> the credentials priced, or a Noted with what was left out: a credential the table
    recognises without a pay figure (CEMC), or an unknown one, is priced without, and the row says so; the
    reason a recognised one is not priced is said once (`notes`)."""
    known = table.credentials
    recognised = table.recognised_credentials

    def is_apprentice(code: str) -> bool:
        return apprentice_of(table, code) is not None

    def parse(cell: str) -> Any:
        if _CODES_SHAPE.fullmatch(cell) is not None and "AND" not in (up := cell.upper()):
            codes = _CODE_SEPARATOR.split(up)  # 'CPC, CRC' / 'CCS/CRC': codes the table prices, none said twice
            if all(c in known and c.lower() not in PLACEHOLDERS for c in codes):
                return tuple(dict.fromkeys(codes))
        parts = split_credentials(cell, known, recognised, is_apprentice)
        creds = resolve_credentials(table, [" ".join(parts.known)]) if parts.known else ()
        said: list[str] = []
        for code in parts.no_figure:
            rc = recognised[code]
            notes[f"{code} ({rc.name}, {rc.body}) is a credential the pay model does not price ({rc.note}): rows "
                  "that list it are priced without it."] = None
        if parts.no_figure:
            said.append(f"{', '.join(parts.no_figure)} not priced (no figure in the model)")
        for u in parts.unknown:
            near = _suggest(u.upper(), known)
            said.append(f"unknown credential '{_shown(u)}'{f' (did you mean {near[0]}?)' if near else ''} priced without")
        return Noted(creds, tuple(said)) if said else creds
    return parse


def _parsers(table: Table, notes: dict[str, None]) -> dict[str, Callable[[str], Any]]:
    """How each column's text becomes a Query value; each raises UsageError. (Pay: `read_pay`.)"""
    return {
        "state": lambda c: resolve_state(table, c),
        "cert": _credentials(table, notes),
        "years": _years,
        "level": lambda c: resolve_choice(c, LEVELS, "level", "--level"),
        "specialty": lambda c: resolve_factor(table.specialties, table.specialty_names, c, "specialty", "--specialty"),
        "setting": lambda c: resolve_factor(table.settings, table.setting_names, c, "setting", "--setting"),
        "remote": lambda c: bool(parse_flag(c, "remote")),
        "home": lambda c: resolve_home(table, c),
        "area": lambda c: resolve_area(table, c, "area"),
        "zip": lambda c: resolve_zip(table, c, "zip"),
        "col": lambda c: resolve_choice(c, COL_BASES, "col", "--col"),
        "as_of": lambda c: check_as_of(table, parse_year(c, "as_of")),
    }


_DEFAULTS = (*Query(), None)  # a Query's fields, and the ZIP column's place (it wins over a location column)
_SLOT = {name: i for i, name in enumerate(("state", "cert", "years", "level", "specialty", "setting", "remote", "home",
                                             "col", "as_of", "area", "home_area"))}  # where each column goes
_SLOT["zip"] = len(Query._fields)  # past the Query's fields (see _DEFAULTS)
_LEVEL, _YEARS, _STATE, _HOME, _HOME_AREA, _AREA, _ZIP = (_SLOT[k] for k in ("level", "years", "state", "home",
                                                                             "home_area", "area", "zip"))
#: A pay cell's common shapes, read without read_pay's Decimal work (Cells.pay): '$52,000.00' / '52000' / '52000.5',
#: '52k' / '52.5k', and an hourly rate '25.50' / '25'. ASCII digits only; anything else goes to read_pay.
_SALARY_SHAPE = re.compile(r"\$?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{0,2}))?")
_K_SHAPE = re.compile(r"([0-9]{1,4})(?:\.([0-9]{1,3}))?[kK]")
_RATE_SHAPE = re.compile(r"([0-9]{1,3})(?:\.([0-9]{0,2}))?")


def _cents(m: re.Match[str]) -> int:
    """Whole cents of a `_SALARY_SHAPE` / `_RATE_SHAPE` match (exact, as Decimal reads it)."""
    frac = m[2] or ""
    return int(m[1].replace(",", "")) * 100 + (int(frac.ljust(2, "0")) if frac else 0)


def _k_cents(m: re.Match[str]) -> int:
    """Whole cents of a `_K_SHAPE` match ('52.5k' -> 5,250,000): thousands with up to 3 decimals are whole dollars."""
    frac = m[2] or ""
    return (int(m[1]) * 1000 + (int(frac.ljust(3, "0")) if frac else 0)) * 100


_NQ = len(Query._fields)


class Cells:
    """Text cells (in `fields` order) -> a Query (a Noted one when a cell's reading is said on the row), or a
    RowError for the first bad cell. A placeholder ('N/A', 'None', '-', 'unknown', blank: payroll.PLACEHOLDERS)
    means "not given" in every column. Each column's values are memoized (bounded), so a state or a
    credential list typed a thousand times is resolved once, even when no two rows are alike; whole profiles
    are memoized too (`query`). `pay(salary, hourly, basis)`: a row's yearly pay (payroll.read_pay)."""

    def __init__(self, table: Table, fields: Sequence[str], cache_size: int = CACHE_SIZE):
        self.notes: dict[str, None] = {}  # what the output should say once (CPC-A read as CPC)
        parse = _parsers(table, self.notes)
        self.table = table
        self.fields = tuple(f for f in fields if f not in PAY_COLUMNS)
        slots = [_SLOT[f] for f in self.fields]
        parsers = [parse[f] for f in self.fields]
        caches: list[dict[str, Any]] = [{} for _ in self.fields]
        cert = self.fields.index("cert") if "cert" in self.fields else -1
        defaults = list(_DEFAULTS)

        def cell(k: int, text: str) -> Any:
            if is_placeholder(text):
                return defaults[slots[k]]
            try:
                v = parsers[k](text)
            except UsageError as e:
                return RowError(e.code, e.message, e.field)
            if k == cert and "-a" in text.lower():  # an apprentice designation (CPC-A)
                self.notes.update(dict.fromkeys(credential_notes(table, [text])))
            return v

        steps = list(zip(range(len(slots)), slots, caches))
        level_years = _LEVEL in slots and _YEARS in slots  # a level and years to check against each other
        placed = bool({_HOME, _AREA, _ZIP} & set(slots))  # a home, area or ZIP column: places to resolve

        def make(cells: tuple[str, ...]) -> Query | Noted | RowError:
            vals: list[Any] = list(defaults)
            said: tuple[str, ...] = ()
            for (k, slot, cache), text in zip(steps, cells):
                v = cache.get(text, _MISS)
                if v is _MISS:
                    if len(cache) >= CELL_CACHE_SIZE:
                        cache.clear()
                    v = cache[text] = cell(k, text)
                t = type(v)
                if t is RowError:
                    return v  # type: ignore[no-any-return]
                if t is Noted:
                    said += v.notes
                    v = v.value
                vals[slot] = v
            if level_years and vals[_LEVEL] is not None and vals[_YEARS] is not None:
                try:
                    check_level_years(table, vals[_LEVEL], vals[_YEARS])
                except UsageError as e:
                    return RowError(e.code, e.message, e.field)
            if not placed:  # (no home, area or ZIP column: nothing more to resolve)
                return tuple.__new__(Noted, (tuple.__new__(Query, vals[:_NQ]), said)) if said else \
                    tuple.__new__(Query, vals[:_NQ])
            if type(vals[_HOME]) is tuple:  # a home column: (its state, its place)
                vals[_HOME], vals[_HOME_AREA] = vals[_HOME]
            loc = vals[_ZIP] or vals[_AREA]
            if loc is not None:
                try:
                    vals[_STATE], vals[_AREA] = place_state(table, vals[_STATE], loc,
                                                            "zip" if vals[_ZIP] else "area", "state")
                except UsageError as e:
                    return RowError(e.code, e.message, e.field)
            q = tuple.__new__(Query, vals[:_NQ])
            return tuple.__new__(Noted, (q, said)) if said else q

        self.query: Callable[[tuple[str, ...]], Query | Noted | RowError] = _while_it_pays(make, cache_size)
        pays: dict[tuple[str, str, str], Any] = {}
        bases: dict[str, str] = {}

        def basis_of(basis: str) -> str:
            """What a pay-basis cell says (payroll.parse_basis): YEAR, HOUR, '' (a placeholder) or '?' (not a basis)."""
            said = bases.get(basis)
            if said is None:
                try:
                    said = parse_basis(basis) or ""
                except HRError:
                    said = "?"
                if len(bases) >= CELL_CACHE_SIZE:
                    bases.clear()
                bases[basis] = said
            return said
        hours, agreement = table.hours_per_year, table.pay_agreement
        floor, floor_what = pay_floor(table)

        def fast(salary: str, hourly: str, basis: str, hourly_column: str) -> Any:
            """`pay` of a common shape, exactly as read_pay (and low_pay_warning) read it, in integer cents; else
            _MISS. A salary ('52000', '$52,000.00', '52k') alone on a salaried or unsaid row, at least $1,000 and
            the low-pay floor: its whole dollars. An hourly rate ('25.50') alone on an hourly or unsaid row: its
            year's pay, Noted with read_pay's 'how' (and the low-pay warning when due)."""
            if not hourly or is_placeholder(hourly):
                if basis and basis_of(basis) not in (YEAR, ""):
                    return _MISS
                t = salary.strip()
                m = _SALARY_SHAPE.fullmatch(t)
                cents = _cents(m) if m is not None else _k_cents(k) if (k := _K_SHAPE.fullmatch(t)) is not None else 0
                yearly = (cents + 50) // 100  # int(amount + Decimal('0.5'))
                if BARE_HOURLY_BELOW * 100 <= cents <= MAX_SALARY * 100 and yearly >= floor:
                    return yearly
                return _MISS
            if type(hours) is not int or not is_placeholder(salary) or (basis and basis_of(basis) not in (HOUR, "")):
                return _MISS
            m = _RATE_SHAPE.fullmatch(hourly.strip())
            if m is None:
                return _MISS
            cents = _cents(m)
            whole, rest = divmod(cents * hours, 100)  # the year's pay: whole dollars and cents
            if not 0 < cents < BARE_HOURLY_BELOW * 100 or whole + (rest > 0) > MAX_SALARY:
                return _MISS
            shown_year = whole + (rest > 50 or (rest == 50 and whole % 2 == 1))  # Decimal's ',.0f': halves to even
            said = [f"{hourly_column} ${cents // 100:,}.{cents % 100:02d} an hour x {hours:,} hours = "
                    f"${shown_year:,} a year"]
            yearly = whole + (rest >= 50)
            low = low_pay_warning(yearly, hourly, floor, floor_what)
            if low is not None:
                said.append(low)
            return Noted(yearly, tuple(said))

        def pay(salary: str, hourly: str = "", basis: str = "", names: tuple[str, str] = ("salary", "hourly rate")
                ) -> int | Noted | RowError | None:
            """A row's yearly pay in whole dollars (a Noted one when how it was read is said on the row), a
            RowError, or None (no pay given)."""
            key = (salary, hourly, basis)
            v = pays.get(key, _MISS)
            if v is _MISS:
                if len(pays) >= CELL_CACHE_SIZE:
                    pays.clear()
                v = fast(salary, hourly, basis, names[1])
                if v is _MISS:
                    try:
                        got = read_pay(salary, hourly, basis, hours, salary_column=names[0], hourly_column=names[1],
                                       agreement=agreement)
                    except HRError as e:
                        v = RowError(e.code, e.message, e.field)
                        got = None
                    if got is None:
                        v = v if v is not _MISS else None
                    else:
                        said = [got.how] if got.how else []
                        low = low_pay_warning(got.yearly, salary if not is_placeholder(salary) else hourly, floor,
                                              floor_what)
                        if low is not None:
                            said.append(low)
                        v = Noted(got.yearly, tuple(said)) if said else got.yearly
                pays[key] = v
            return v  # type: ignore[no-any-return]

        self.pay = pay

    def salary(self, text: str) -> int | RowError | None:
        """A salary cell alone, in whole dollars a year (the reading's notes dropped)."""
        v: Any = self.pay(text)
        return v.value if type(v) is Noted else v  # type: ignore[no-any-return]


#: _while_it_pays: misses between two looks at the hit rate, and rows read without remembering after a poor one.
MEMO_WINDOW, MEMO_REST = 2048, 1 << 15


def _while_it_pays(make: Callable[[Any], Any], size: int) -> Callable[[Any], Any]:
    """`make`, remembering up to `size` results (then starting afresh), while remembering pays: every
    MEMO_WINDOW misses the hits are counted, and when they were fewer than the misses (a file of mostly
    distinct rows: keeping what will not come back costs more than remembering saves) the next MEMO_REST calls
    go straight to `make` before it looks again. `make` must be pure."""
    memo: dict[Any, Any] = {}
    misses = hits = rest = 0

    def remembered(key: Any) -> Any:
        nonlocal misses, hits, rest
        if rest:
            rest -= 1
            return make(key)
        v = memo.get(key, _MISS)
        if v is not _MISS:
            hits += 1
            return v
        v = make(key)
        if len(memo) >= size:
            memo.clear()
        memo[key] = v
        misses += 1
        if misses >= MEMO_WINDOW:
            if hits < misses:
                rest = MEMO_REST
                memo.clear()
            misses = hits = 0
        return v
    return remembered


def query_from_cells(table: Table, cells: Mapping[str, str]) -> Query:
    """A Query from text cells keyed by column name; '' means not given. Raises UsageError."""
    c = Cells(table, PROFILE_COLUMNS, cache_size=1)
    q = c.query(tuple(cells.get(f, "") for f in PROFILE_COLUMNS))
    if isinstance(q, RowError):
        raise UsageError(q.code, q.message, q.field)
    return q.value if isinstance(q, Noted) else q


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


# --------------------------------------------------------------------------- pricing


class _Pricer:
    """A row's Query (and salary) -> its result, in the full or the lean way (see the module doc)."""

    def __init__(self, table: Table, lean: bool, after_tax: bool, render: Render | None, cache_size: int):
        self.verdicts: dict[str, int] = {}  # offer verdict -> rows
        verdicts = self.verdicts
        if after_tax:
            from .tax import require_tax

            require_tax(table)  # a table without [tax] fails once, before any row
        if lean:
            from .decide import market_position, salary_take_home
            from .vintage import salary_check_query

            pricer = Pricer(table)
            bands = _bands(table, pricer)
            wage_year = table.wage_year

            @lru_cache(maxsize=cache_size)
            def estimate_row(q: Query) -> Any:  # one Priced per profile: its encoders memoize its text
                band, adjusted, _ = bands(q)
                return tuple.__new__(Priced, (q, band, adjusted, None, wage_year if q.as_of is None else q.as_of))

            now = salary_check_query(table, Query())[0].as_of  # the year a salary paid now is judged in (once a batch)
            paid_year = wage_year if now is None else now
            new = tuple.__new__

            # a salary is paid now: priced in `now` unless q.as_of (remembered while profiles come back)
            paid_now = _while_it_pays(_bands(table, pricer, now), cache_size)

            def offer_row(q: Query, salary: int) -> Any:
                band, adjusted, prof = paid_now(q)
                pos = market_position(band, prof, salary)
                verdict = pos[1]
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
                if after_tax:
                    th, take_home_adjusted = salary_take_home(table, q, salary)
                    offered: tuple[Any, ...] = (salary, pos[0], verdict, pos[2], round_dollars(th.take_home),
                                                take_home_adjusted, th.effective_rate, pos[4])
                else:
                    offered = (salary, pos[0], verdict, pos[2], None, None, None, pos[4])
                return new(Priced, (q, band, adjusted, new(Offered, offered), paid_year if q.as_of is None else q.as_of))
        else:
            def full(q: Query) -> Any:
                est = estimate(table, q)
                return est if render is None else render(est)

            estimate_row = lru_cache(maxsize=cache_size)(full)

            def offer_row(q: Query, salary: int) -> Any:
                from .decide import offer_check

                res = offer_check(table, q, salary, after_tax=after_tax)
                verdicts[res.verdict] = verdicts.get(res.verdict, 0) + 1
                return res if render is None else render(res)

        self.estimate = estimate_row
        self.offer = offer_row


# --------------------------------------------------------------------------- readers


class Batch:
    """A batch being read. Constructing it reads the CSV header (or the first JSON Lines record),
    so `layout`, `fields`, `kept` and `has_salary` are known before the first row is priced, and a
    bad header raises UsageError before anything is written. Iterate for the BatchRows.

    `columns`: {column: input name} read explicitly (from --column); `keep`: input names to carry
    ('all' or '*': every one); `delimiter`: CSV only (None: sniffed); `lean`: price rows as Priced
    (else Estimate / OfferCheck, through `render` when given); `after_tax`: a salary row's take-home.
    After (or during) iteration: `failed` rows, `verdicts` {verdict: rows}, `notes` to say once."""

    def __init__(self, table: Table, lines: Iterable[str], input_format: str = "csv", *,
                 columns: Mapping[str, str] | None = None, keep: Sequence[str] | None = None,
                 delimiter: str | None = None, lean: bool = False, after_tax: bool = False,
                 render: Render | None = None, on_unknown_columns: UnknownColumns | None = None,
                 cache_size: int = CACHE_SIZE):
        if input_format not in INPUT_FORMATS:
            raise UsageError("bad_input_format", f"Unknown input format '{input_format}'. Choose from: "
                                                 f"{', '.join(INPUT_FORMATS)}.", "input_format")
        self.table = table
        self.input_format = input_format
        self.columns = dict(columns or {})
        self.keep = list(keep or ())
        self.keep_all = any(k.strip().lower() in KEEP_ALL for k in self.keep)
        self.failed = 0  # rows that gave a RowError so far
        self.rows = 0  # data rows read so far (blank lines and repeated headers counted: the spreadsheet's numbering)
        self.blank = 0  # blank lines among them (skipped)
        self.repeated_headers: list[int] = []  # rows that repeat the header (skipped), the first ones
        self._on_unknown = on_unknown_columns
        self._it = iter(lines)
        self._first: str | None = None  # JSON Lines: the first non-blank line, read ahead
        self._layouts: dict[tuple[Any, ...], Layout | RowError] = {}
        self._warned = False
        self.layout: Layout | None = None
        if input_format == "csv":
            self._reader = self._open_csv(delimiter)
        else:
            self._open_jsonl()
        fields: tuple[str, ...] = self.layout.fields if self.layout is not None else ()
        self.fields = fields
        self.has_salary = any(f in PAY_COLUMNS[:2] for f in fields)  # a salary or an hourly-rate column
        if after_tax and not self.has_salary and self.layout is not None:
            raise UsageError("conflicting_options", "--after-tax needs a salary column: it gives the take-home of "
                                                    "each row's salary (for a band's take-home, use estimate --after-tax).",
                             "after_tax")
        self.kept: tuple[str, ...] = self.layout.kept_names if self.layout is not None else ()
        self._cells = Cells(table, PROFILE_COLUMNS if input_format == "jsonl" else fields, cache_size)
        self._price = _Pricer(table, lean, after_tax, render, cache_size)
        self.verdicts = self._price.verdicts

    @property
    def notes(self) -> tuple[str, ...]:
        said = list(self._cells.notes)
        if self.repeated_headers:
            rows = ", ".join(map(str, self.repeated_headers[:10])) + (" ..." if len(self.repeated_headers) > 10 else "")
            k = self.repeated_header_count
            said.append(f"{k:,} row{'s' if k != 1 else ''} repeat{'s' if k == 1 else ''} the header (row {rows}): "
                        "skipped.")
        return tuple(said)

    repeated_header_count = 0

    def take_counts(self) -> tuple[int, dict[str, int], list[str]]:
        """What this Batch has counted since the last call (failed rows, offer verdicts, notes first said since the
        last `add_counts`), then forgotten: the report of a chunk of rows priced out of turn (in a worker process,
        or ahead here), added back in the rows' order by `add_counts`, so that notes keep the order of the rows."""
        all_notes = self._cells.notes
        notes = list(all_notes)[self._notes_taken:]
        for note in notes:
            del all_notes[note]
        counts = (self.failed, dict(self.verdicts), notes)
        self.failed = 0
        self.verdicts.clear()
        return counts

    def add_counts(self, counts: tuple[int, dict[str, int], list[str]]) -> None:
        """Add a worker's `take_counts` to this Batch's own."""
        failed, verdicts, notes = counts
        self.failed += failed
        for verdict, k in verdicts.items():
            self.verdicts[verdict] = self.verdicts.get(verdict, 0) + k
        self._cells.notes.update(dict.fromkeys(notes))
        self._notes_taken = len(self._cells.notes)

    _notes_taken = 0  # notes said before the last add_counts

    # -- CSV
    def _open_csv(self, delimiter: str | None) -> Any:
        first = ""
        for line in self._it:
            if line.startswith(_BOM):
                line = line[1:]
            if line.strip():
                first = line
                break
        if not first:
            return None  # empty input: no rows, not an error
        reader = csv.reader(itertools.chain([first], self._it), delimiter=delimiter or sniff_delimiter(first))
        try:
            header = next(reader)
        except csv.Error as e:
            raise UsageError("bad_csv", f"cannot read the CSV header: {e}.", "header") from None
        self.layout = read_header(header, self.columns, self.keep)
        if self.layout.ignored and self._on_unknown is not None:
            self._on_unknown(list(self.layout.ignored))
        return reader

    def _pay_of(self, layout: Layout) -> Callable[[Sequence[str]], Any] | None:
        """The row's pay from its salary, hourly-rate and pay-basis cells (None: no pay column)."""
        at = {f: p for f, p in zip(layout.fields, layout.positions)}
        if "salary" not in at and "hourly" not in at:
            return None
        pay = self._cells.pay
        names = (layout.header[at["salary"]] if "salary" in at else "salary",
                 layout.header[at["hourly"]] if "hourly" in at else "hourly rate")
        s, h, b = at.get("salary", -1), at.get("hourly", -1), at.get("pay_basis", -1)
        if h < 0 and b < 0:
            return lambda row: pay(row[s])
        return lambda row: pay(row[s] if s >= 0 else "", row[h] if h >= 0 else "", row[b] if b >= 0 else "", names)

    def _csv_rows(self) -> Iterator[KeptRow]:
        if self._reader is None:
            return  # an empty input
        price = self.csv_pricer()
        for item in self.csv_records():
            yield item if type(item) is KeptRow else price(*item)

    def csv_records(self) -> Iterator[tuple[int, list[str]] | KeptRow]:
        """The CSV's data rows in order, each as (its row number, its cells) to be priced (`csv_pricer`), or as a
        KeptRow when it cannot be read (bad CSV, too many cells). Blank lines and repeated headers are skipped and
        counted here (`blank`, `repeated_headers`), so row numbers stay the spreadsheet's. Reading and pricing are
        apart so that rows can be priced elsewhere (batch's worker processes) in the order they were read."""
        reader, layout = self._reader, self.layout
        if reader is None or layout is None:
            return
        width = len(layout.header)
        kept_names = layout.kept_names
        keep_get = _getter(list(layout.keep)) if layout.keep else None
        header = [h.strip().lower() for h in layout.header]
        first_cells = {header[0]} if header else set()
        n = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                n += 1
                self.rows = n
                self.failed += 1
                yield KeptRow(n, RowError("bad_csv", f"cannot read this CSV row: {e}.", None))
                continue
            n += 1
            self.rows = n
            if len(row) != width or (width == 1 and not row[0].strip()):
                if not row or (len(row) == 1 and not row[0].strip()):
                    self.blank += 1
                    continue  # a blank line: skipped, counted (the spreadsheet's numbering)
                if len(row) < width:  # a short row: the missing cells are empty
                    row = row + [""] * (width - len(row))
                elif any(c.strip() for c in row[width:]):
                    self.failed += 1
                    yield KeptRow(n, RowError("extra_cells", f"this row has {len(row)} cells but the header has {width}.",
                                               None), None if keep_get is None else dict(zip(kept_names, keep_get(row))),
                                   self._ident(row))
                    continue
            if row[0].strip().lower() in first_cells and [c.strip().lower() for c in row] == header:
                self.repeated_header_count += 1
                if len(self.repeated_headers) < 11:
                    self.repeated_headers.append(n)
                continue  # the header again (files pasted together): skipped, said once
            yield n, row

    def csv_pricer(self) -> Callable[[int, list[str]], KeptRow]:
        """price(n, cells): one CSV data row (as `csv_records` gives it, with the header's width) as a KeptRow;
        a failed row is counted in `failed`."""
        layout = self.layout
        if layout is None:
            raise ValueError("no CSV header has been read: nothing to price")
        query = self._cells.query
        estimate_row, offer_row = self._price.estimate, self._price.offer
        profile = _getter([p for f, p in zip(layout.fields, layout.positions) if f not in PAY_COLUMNS])
        pay_of = self._pay_of(layout)
        kept_names = layout.kept_names
        keep_get = _getter(list(layout.keep)) if layout.keep else None

        def price(n: int, row: list[str]) -> KeptRow:
            q: Any = query(profile(row))
            said: tuple[str, ...] = ()
            if type(q) is Noted:
                q, said = q
            if type(q) is RowError:
                res: Any = q
            elif pay_of is None:
                res = estimate_row(q)
            else:
                s: Any = pay_of(row)
                if type(s) is Noted:
                    said += s.notes
                    s = s.value
                res = estimate_row(q) if s is None else s if type(s) is RowError else offer_row(q, s)
            inp = None if keep_get is None else dict(zip(kept_names, keep_get(row)))
            if type(res) is RowError:
                self.failed += 1
                return KeptRow(n, res, inp, self._ident(row), said)
            return _row(KeptRow, (n, res, inp, None, said))
        return price

    def _ident(self, row: Sequence[Any]) -> str | None:
        layout = self.layout
        if layout is None or layout.ident is None or layout.ident >= len(row):
            return None
        value = _shown(str(row[layout.ident]).strip())
        return f"{layout.header[layout.ident]}: {value}" if value else None

    # -- JSON Lines (and records)
    _skipped_before_first = 0  # JSON Lines: blank lines before the first record (counted as rows)

    def _open_jsonl(self) -> None:
        """Read up to the first record: its keys give the layout (and a bad one stops the batch)."""
        for line in self._it:
            if line.startswith(_BOM):
                line = line[1:]
            if not line.strip():
                self._skipped_before_first += 1
                self.blank += 1
                continue
            self._first = line
            try:
                obj = json.loads(line)
            except ValueError:
                return  # reported as row 1
            if isinstance(obj, dict):
                lay = self._layout_of(tuple(obj), raising=True)
                self.layout = lay if isinstance(lay, Layout) else None
            return

    def _layout_of(self, keys: tuple[Any, ...], raising: bool = False) -> Layout | RowError:
        """The layout of a record's keys (memoized: records usually share theirs)."""
        lay = self._layouts.get(keys)
        if lay is None:
            if len(self._layouts) > 1024:
                self._layouts.clear()
            try:
                lay = read_header([str(k) for k in keys], self.columns, self.keep, what="the JSON object",
                                  require_known=False)
            except UsageError as e:
                if raising:
                    raise
                lay = RowError(e.code, e.message, None)
            self._layouts[keys] = lay
            if isinstance(lay, Layout) and lay.ignored and self._on_unknown is not None and not self._warned:
                self._warned = True
                self._on_unknown(list(lay.ignored))
        return lay

    def _jsonl_rows(self) -> Iterator[KeptRow]:
        if self._first is None:
            return
        loads = json.loads
        n = 0
        n = self._skipped_before_first
        for line in itertools.chain([self._first], self._it):
            n += 1
            self.rows = n
            if not line.strip():
                self.blank += 1
                continue  # a blank line: skipped, counted (line N is row N)
            try:
                obj = loads(line)
            except ValueError as e:
                self.failed += 1
                where = f" (column {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
                msg = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
                yield KeptRow(n, RowError("bad_json", f"not valid JSON: {msg}{where}.", None))
                continue
            res, inp, ident, said = self._record(obj)
            if type(res) is RowError:
                self.failed += 1
                yield KeptRow(n, res, inp, ident, said)
            else:
                yield _row(KeptRow, (n, res, inp, None, said))

    def records(self, records: Iterable[Any]) -> Iterator[KeptRow]:
        """Each mapping as a BatchRow (estimate_many)."""
        n = 0
        for rec in records:
            n += 1
            self.rows = n
            res, inp, ident, said = self._record(rec)
            if type(res) is RowError:
                self.failed += 1
            yield KeptRow(n, res, inp, ident, said)

    def _record(self, obj: Any) -> tuple[Any, dict[str, Any] | None, str | None, tuple[str, ...]]:
        if not isinstance(obj, Mapping):
            return RowError("bad_line", 'each line must be a JSON object such as {"state": "CA"}.', None), None, None, ()
        keys = tuple(obj)
        lay = self._layout_of(keys)
        if isinstance(lay, RowError):
            return lay, None, None, ()
        inp = {name: obj[keys[i]] for name, i in zip(lay.kept_names, lay.keep)} if lay.keep else None
        ident = None
        if lay.ident is not None:
            v = obj[keys[lay.ident]]
            text = "" if v is None else _shown(str(v).strip())
            ident = f"{lay.header[lay.ident]}: {text}" if text else None
        try:
            texts = {f: cell_text(obj[keys[p]], f) for f, p in zip(lay.fields, lay.positions)}
        except UsageError as e:
            return RowError(e.code, e.message, e.field), inp, ident, ()
        q: Any = self._cells.query(tuple(texts.get(f, "") for f in PROFILE_COLUMNS))
        said: tuple[str, ...] = ()
        if type(q) is Noted:
            q, said = q
        if type(q) is RowError:
            return q, inp, ident, said
        if "salary" in texts or "hourly" in texts:
            names = (lay.header[lay.positions[lay.fields.index("salary")]] if "salary" in texts else "salary",
                     lay.header[lay.positions[lay.fields.index("hourly")]] if "hourly" in texts else "hourly rate")
            s: Any = self._cells.pay(texts.get("salary", ""), texts.get("hourly", ""), texts.get("pay_basis", ""), names)
            if type(s) is Noted:
                said += s.notes
                s = s.value
            if type(s) is RowError:
                return s, inp, ident, said
            if s is not None:
                return self._price.offer(q, s), inp, ident, said
        return self._price.estimate(q), inp, ident, said

    def with_input(self) -> Iterator[KeptRow]:
        """Each row with its kept cells and, when it failed, what identifies it."""
        return self._csv_rows() if self.input_format == "csv" else self._jsonl_rows()

    def __iter__(self) -> Iterator[BatchRow]:
        for r in self.with_input():
            yield _row(BatchRow, r[:2])


def _getter(positions: Sequence[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    if not positions:
        return lambda row: ()
    return itemgetter(*positions)


def iter_batch(table: Table, lines: Iterable[str], input_format: str = "csv", *,
               on_unknown_columns: UnknownColumns | None = None, render: Render | None = None,
               cache_size: int = CACHE_SIZE, columns: Mapping[str, str] | None = None,
               keep: Sequence[str] | None = None, delimiter: str | None = None, lean: bool = False,
               after_tax: bool = False) -> Iterator[BatchRow]:
    """Each data row of `lines` (CSV with a header, or JSON Lines) as a BatchRow, in input order.

    `lines` is any iterable of text lines, e.g. a file opened with newline='' (a leading UTF-8
    byte-order mark and CRLF endings are handled). `on_unknown_columns` is called at most once,
    with the names of the columns (or JSON keys) that are neither read nor kept. `render`, if given,
    is applied once per distinct profile and its value stands in for the Estimate in the rows
    (and to each OfferCheck). The other options are those of `Batch`."""
    yield from Batch(table, lines, input_format, columns=columns, keep=keep, delimiter=delimiter, lean=lean,
                     after_tax=after_tax, render=render, on_unknown_columns=on_unknown_columns, cache_size=cache_size)


def estimate_many(table: Table, records: Iterable[Mapping[str, Any]], *,
                  on_unknown_columns: UnknownColumns | None = None, render: Render | None = None,
                  cache_size: int = CACHE_SIZE, columns: Mapping[str, str] | None = None,
                  keep: Sequence[str] | None = None, lean: bool = False) -> Iterator[BatchRow]:
    """Each mapping (e.g. from `DataFrame.to_dict("records")` or `csv.DictReader`) as a BatchRow.
    Keys and values follow the JSON Lines rules; None/NaN mean "not given"."""
    b = Batch(table, (), "jsonl", columns=columns, keep=keep, lean=lean, render=render,
              on_unknown_columns=on_unknown_columns, cache_size=cache_size)
    for r in b.records(records):
        yield _row(BatchRow, r[:2])


__all__ = ["CACHE_SIZE", "COLUMNS", "COLUMN_NAMES", "INPUT_FORMATS", "LOOKALIKE_NAMES", "PROFILE_COLUMNS", "Batch",
           "BatchRow", "Cells", "KeptRow", "Layout", "Offered", "Priced", "Render", "Result", "RowError", "cell_text",
           "column_for", "column_name", "estimate_many", "iter_batch", "looks_like", "parse_column_option", "query_from_cells",
           "read_header", "resolve_delimiter", "sniff_delimiter", "squash"]
