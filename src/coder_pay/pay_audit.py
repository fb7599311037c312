"""A pay audit: salaries against their market, summed up by group, the way a compensation analyst reads a
payroll file.

    tally = Tally(by="state")
    for each priced row: tally.add(group, salary, low, typical, row=n, kept={...}, percentile=p)
    for a row without pay: tally.unpriced(group); for a failed row: tally.failed(group)
    report = tally.report(top=10)        # an AuditReport: groups, total, furthest below

Per group (and for everyone): headcount (rows with a salary compared), the median salary, the median
market typical pay (the middle of each person's band), how many are paid below their band's low and below
its typical pay, and what it would cost a year to bring each of them up to the band's low and up to the
typical pay. The people furthest below market are those with the lowest salary as a share of their typical
pay (the compa-ratio), with their kept ID columns.

Memory: two numbers per audited row (kept in compact arrays, for the medians) and `top` kept rows; nothing
else grows with the input. Pure: no printing.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The group of a row whose grouping value is not given (a blank state, a missing column value).
NOT_GIVEN = "(not given)"
#: What `--by` groups by from the row's profile (anything else is an input column's name).
PROFILE_GROUPS = ("state", "area", "setting", "level")


def gap(salary: float, target: float) -> int:
    """The raise to a target (the typical pay: the counter-offer target; or the band's low), whole dollars:
    target minus salary, 0 at or above it."""
    return max(int(target - salary + 0.5), 0) if salary < target else 0


def _median(values: array[float]) -> float | None:
    n = len(values)
    if not n:
        return None
    s = sorted(values)
    mid = n // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2


def _dollars(x: float | None) -> int | None:
    return None if x is None else int(x + 0.5)


@dataclass(frozen=True)
class GroupFigures:
    """One group's (or everyone's) audit figures. Money in whole dollars a year; None when nobody in the
    group has a salary compared."""

    value: str  # the group's value ('OH', 'Coding', NOT_GIVEN); 'all' for the total
    count: int  # people with a salary compared with their market
    median_salary: int | None
    median_typical: int | None  # the median of each person's market typical pay
    below_low: int  # paid below their band's low
    below_typical: int  # paid below their band's typical pay
    cost_to_low: int  # a year, to bring everyone below the low up to it
    cost_to_typical: int  # a year, to bring everyone below the typical pay up to it
    without_salary: int = 0  # rows priced but with no pay given
    failed: int = 0  # rows that could not be read

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count, "median_salary": self.median_salary,
                "median_typical": self.median_typical, "below_low": self.below_low, "below_typical": self.below_typical,
                "cost_to_low": self.cost_to_low, "cost_to_typical": self.cost_to_typical,
                "without_salary": self.without_salary, "failed": self.failed}


@dataclass(frozen=True)
class BelowMarket:
    """One of the people furthest below market."""

    row: int  # the input's data row (the spreadsheet's numbering)
    group: str
    salary: int
    low: int
    typical: int
    gap: int  # typical - salary
    ratio: float  # salary / typical (the compa-ratio)
    percentile: float | None  # the salary's position in the profile's market
    kept: Mapping[str, Any] | None = None  # the kept input columns (IDs, names)
    beyond: str | None = None  # "below" the published p10 or "above" the p90 (percentile then reads 10 or 90)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"row": self.row, "group": self.group, "salary": self.salary, "low": self.low,
                             "typical": self.typical, "gap": self.gap, "ratio": round(self.ratio, 4),
                             "percentile": None if self.percentile is None else round(self.percentile, 1)}
        if self.kept is not None:
            d["input"] = dict(self.kept)
        return d


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be read: its number, who it is (a name or ID cell) and why."""

    row: int
    code: str
    message: str
    who: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"row": self.row, "code": self.code, "message": self.message}
        if self.who:
            d["who"] = self.who
        return d


@dataclass(frozen=True)
class AuditReport:
    by: str  # what the rows are grouped by ('state', 'Department')
    groups: tuple[GroupFigures, ...]  # in order of value, NOT_GIVEN last
    total: GroupFigures
    furthest: tuple[BelowMarket, ...]  # the people furthest below their typical pay, furthest first
    rows: int = 0  # data rows read (the spreadsheet's numbering: blank lines and repeated headers too)
    blank: int = 0  # blank lines among them
    repeated_header: int = 0  # rows that repeat the header
    errors: tuple[RowProblem, ...] = ()  # the rows that failed (the first MAX_ERRORS)
    notes: tuple[str, ...] = ()

    def rows_doc(self) -> dict[str, int]:
        """Every data row accounted for: read = compared + without_salary + failed + blank + repeated_header."""
        t = self.total
        return {"read": self.rows, "compared": t.count, "without_salary": t.without_salary, "failed": t.failed,
                "blank": self.blank, "repeated_header": self.repeated_header}


@dataclass
class _Acc:
    salaries: array[float] = field(default_factory=lambda: array("d"))
    typicals: array[float] = field(default_factory=lambda: array("d"))
    below_low: int = 0
    below_typical: int = 0
    cost_to_low: int = 0  # the sum of each person's whole-dollar raise (`gap`): the rows' gaps add up to it
    cost_to_typical: int = 0
    without_salary: int = 0
    failed: int = 0

    def add(self, salary: float, low: float, typical: float) -> None:
        self.salaries.append(salary)
        self.typicals.append(typical)
        if salary < low:
            self.below_low += 1
            self.cost_to_low += gap(salary, low)
        if salary < typical:
            self.below_typical += 1
            self.cost_to_typical += gap(salary, typical)

    def merge(self, other: _Acc) -> None:
        self.salaries.extend(other.salaries)
        self.typicals.extend(other.typicals)
        self.below_low += other.below_low
        self.below_typical += other.below_typical
        self.cost_to_low += other.cost_to_low
        self.cost_to_typical += other.cost_to_typical
        self.without_salary += other.without_salary
        self.failed += other.failed

    def figures(self, value: str) -> GroupFigures:
        return GroupFigures(value, len(self.salaries), _dollars(_median(self.salaries)), _dollars(_median(self.typicals)),
                            self.below_low, self.below_typical, self.cost_to_low, self.cost_to_typical,
                            self.without_salary, self.failed)


class Tally:
    """Rows in, an AuditReport out. `top`: how many of the people furthest below market to keep."""

    def __init__(self, by: str, top: int = 10):
        self.by = by
        self.top = top
        self.rows = 0
        self._groups: dict[str, _Acc] = {}
        self._heap: list[tuple[float, int, int, BelowMarket]] = []  # (-ratio, -gap, -row): the worst stay

    def _acc(self, group: str | None) -> _Acc:
        key = group if group else NOT_GIVEN
        acc = self._groups.get(key)
        if acc is None:
            acc = self._groups[key] = _Acc()
        return acc

    def add(self, group: str | None, salary: float, low: float, typical: float, *, row: int,
            percentile: float | None = None, kept: Mapping[str, Any] | None = None, beyond: str | None = None) -> None:
        """A person with a salary compared with their market band (low, typical)."""
        self.rows += 1
        self._acc(group).add(salary, low, typical)
        if salary < typical and self.top > 0:
            ratio = salary / typical
            g = gap(salary, typical)
            item = (-ratio, g, -row)
            if len(self._heap) < self.top or item > self._heap[0][:3]:
                entry = BelowMarket(row, group or NOT_GIVEN, int(salary + 0.5), int(low + 0.5), int(typical + 0.5), g,
                                    ratio, percentile, kept, beyond)
                if len(self._heap) < self.top:
                    heapq.heappush(self._heap, (*item, entry))
                else:
                    heapq.heapreplace(self._heap, (*item, entry))

    def unpriced(self, group: str | None) -> None:
        """A row priced but with no pay given."""
        self.rows += 1
        self._acc(group).without_salary += 1

    def failed(self, group: str | None = None) -> None:
        """A row that could not be read; `group` None: its group is not known (counted in the total only)."""
        self.rows += 1
        if group is None:
            self._failed_somewhere += 1
        else:
            self._acc(group).failed += 1

    _failed_somewhere = 0

    def report(self) -> AuditReport:
        total = _Acc()
        for acc in self._groups.values():
            total.merge(acc)
        total.failed += self._failed_somewhere
        order = sorted(self._groups, key=lambda v: (v == NOT_GIVEN, v.lower(), v))
        groups = tuple(self._groups[v].figures(v) for v in order)
        furthest = tuple(e[3] for e in sorted(self._heap, reverse=True))
        return AuditReport(self.by, groups, total.figures("all"), furthest, self.rows)


#: Failed rows listed in a report (all are counted).
MAX_ERRORS = 1000


def level_of(table: Any, level: str | None, years: float | None) -> str | None:
    """The career level a row belongs to: its level, else the experience level whose years hold its years."""
    if level is not None:
        return level
    if years is None:
        return None
    for key, lv in table.levels.items():
        if key in ("entry", "mid", "senior") and lv.min_years <= years < lv.max_years + 1:
            return str(key)
    return "senior" if years >= 0 else None


def area_of(q: Any) -> str | None:
    """The area a row is priced in: its place ('Seattle-Tacoma-Bellevue, WA'), else its state's code."""
    loc = getattr(q, "area", None)
    return q.state if loc is None else str(loc.name)


def run_audit(batch: Any, by: str, top: int = 10, *, group_column: str | None = None,
              on_error: Any = None, on_row: Any = None) -> AuditReport:
    """Audit the rows of a `batch.Batch` (lean) grouped `by` a profile field (PROFILE_GROUPS) or, with
    `group_column`, by the kept input column of that name. `on_error(n, error, ident)` is called for each failed
    row; `on_row(n, result, input, group, notes)` for every row read (a workbook's rows sheet), as it comes."""
    from .batch_rows import RowError

    table = batch.table
    tally = Tally(by, top)
    errors: list[RowProblem] = []
    ids = [k for k in batch.kept if k != group_column] if group_column is not None else list(batch.kept)

    for n, res, inp, ident, _said in batch.with_input():
        if group_column is not None:
            raw = inp.get(group_column) if inp else None
            from .payroll import is_placeholder

            group = None if raw is None or is_placeholder(str(raw)) else str(raw).strip()
        elif type(res) is RowError:
            group = None
        else:
            q = res.query
            group = (q.state if by == "state" else area_of(q) if by == "area" else
                     q.setting if by == "setting" else level_of(table, q.level, q.years))
        if on_row is not None:
            on_row(n, res, inp, group, _said)
        if type(res) is RowError:
            tally.failed(group if group_column is not None else None)
            if len(errors) < MAX_ERRORS:
                errors.append(RowProblem(n, res.code, res.message, ident))
            if on_error is not None:
                on_error(n, res, ident)
            continue
        o = res.offer
        if o is None:
            tally.unpriced(group)
            continue
        kept = {k: inp[k] for k in ids} if inp and ids else None
        tally.add(group, o.salary, res.band.low, res.band.mid, row=n, percentile=o.percentile, kept=kept,
                  beyond=o.beyond)
    r = tally.report()
    return AuditReport(r.by, r.groups, r.total, r.furthest, batch.rows, batch.blank, batch.repeated_header_count,
                       tuple(errors), tuple(batch.notes))


def audit(table: Any, lines: Any, by: str = "state", top: int = 10, *, input_format: str = "csv",
          columns: Any = None, keep: Any = None, delimiter: str | None = None) -> AuditReport | None:
    """Audit a payroll file read as `coder-pay audit` reads it: `lines` is any iterable of text lines (a file
    opened with newline=''), grouped `by` 'state', 'setting', 'level' or an input column's name; `keep`: the
    columns that identify a person (default: every column is carried, the report keeps them all). None: an
    empty input. Raises UsageError for an unusable header. Failed rows are in the report's `errors`."""
    from .batch_rows import Batch

    b = Batch(table, lines, input_format, columns=columns, keep=list(keep or ["*"]), delimiter=delimiter, lean=True)
    if b.layout is None:
        return None
    key = by.strip().lower()
    group_column = None if key in PROFILE_GROUPS else next((k for k in b.kept if k.strip().lower() == key), None)
    if key not in PROFILE_GROUPS and group_column is None:
        from .query import UsageError

        raise UsageError("unknown_column", f"by: the input has no column '{by}'.", "by")
    return run_audit(b, group_column or key, top, group_column=group_column)


__all__ = ["MAX_ERRORS", "NOT_GIVEN", "PROFILE_GROUPS", "AuditReport", "BelowMarket", "GroupFigures", "RowProblem", "Tally",
           "area_of", "audit", "gap", "level_of", "run_audit"]
