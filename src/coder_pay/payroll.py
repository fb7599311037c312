"""What an HR system's payroll export holds, read the way a compensation analyst reads it: placeholders
for "not given", years as HR writes them, credentials the pay model has no figure for, and pay given
as a yearly salary, an hourly rate or both, with a pay-basis column saying which.

    is_placeholder("N/A")                  -> True      ("NA", "None", "-", "--", "n.a.", "unknown", "")
    parse_hr_years("10+"), ("<1"), ("2 yrs 6 mos")  -> 10, 0, 2.5
    read_pay(PayCells(salary="", hourly="27.50", basis="Hourly"), hours=2080, ...) -> Pay(57200, ...)

Pure: no printing, no Typer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from decimal import Decimal
from typing import NamedTuple

from .money import BARE_HOURLY_BELOW, HOUR, MAX_SALARY, YEAR, MoneyError, bare_basis, read_money, shown

#: Cells that mean "not given" in any column (compared after `_placeholder_key`).
PLACEHOLDERS = frozenset({"", "n/a", "na", "n.a.", "n.a", "n/a.", "none", "null", "nil", "-", "--", "---", "—", "–",
                          "unknown", "unk", "not applicable", "not available", "not given", "?", "tbd"})
#: What a pay-basis cell ('Pay Type', 'Basis', 'Pay Basis', 'FLSA') may say, and what it means.
BASIS_WORDS: dict[str, str] = {
    "hourly": HOUR, "hour": HOUR, "hr": HOUR, "h": HOUR, "per hour": HOUR, "non-exempt hourly": HOUR, "wage": HOUR,
    "hourly wage": HOUR, "hourly rate": HOUR,
    "salary": YEAR, "salaried": YEAR, "annual": YEAR, "annually": YEAR, "yearly": YEAR, "year": YEAR, "yr": YEAR,
    "y": YEAR, "s": YEAR, "salary annual": YEAR, "exempt salaried": YEAR, "annual salary": YEAR,
}

def _placeholder_key(cell: str) -> str:
    return " ".join(cell.strip().lower().split())


def is_placeholder(cell: str | None) -> bool:
    """True for a cell that means "not given": blank, N/A, NA, None, -, --, n.a., unknown..."""
    return cell is None or _placeholder_key(cell) in PLACEHOLDERS


class HRError(ValueError):
    """A cell that cannot be read: `code` and `field` as the batch's RowError carries them."""

    def __init__(self, code: str, message: str, field: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


_NUM = r"(\d{1,3}(?:\.\d{1,4})?|\.\d{1,4})"
_Y = r"(?:y|yr|yrs|year|years)\.?"
_M = r"(?:m|mo|mos|mon|mons|month|months)\.?"
_YEARS_AND_MONTHS = re.compile(rf"(?:{_NUM}\s*{_Y})?\s*,?\s*(?:and\s+)?(?:{_NUM}\s*{_M})?", re.IGNORECASE)
_PLUS = re.compile(rf"(?:{_NUM}\s*\+\s*(?:{_Y})?|(?:over|more than|at least)\s+{_NUM}\s*(?:{_Y})?)", re.IGNORECASE)
_UNDER = re.compile(rf"(?:<\s*|less than\s+|under\s+){_NUM}\s*(?:{_Y})?", re.IGNORECASE)
_PLAIN = re.compile(rf"{_NUM}\s*(?:{_Y})?", re.IGNORECASE)


def parse_hr_years(cell: str, max_years: int = 50) -> float | None:
    """Years of experience as HR writes them: '7', '3.5', '4 yrs' -> 7, 3.5, 4; '10+' or 'over 10' -> 10 (at
    least 10: the number given); '<1' or 'less than 1' -> 0; '2 yrs 6 mos' -> 2.5, '18 months' -> 1.5; a
    placeholder -> None. Anything else, or more than `max_years`: HRError."""
    if is_placeholder(cell):
        return None
    t = " ".join(cell.strip().split())
    value: float | None = None
    if (m := _PLAIN.fullmatch(t)) is not None:
        value = float(m.group(1))
    elif (m := _PLUS.fullmatch(t)) is not None:
        value = float(m.group(1) or m.group(2))
    elif _UNDER.fullmatch(t) is not None:
        value = 0.0
    elif (m := _YEARS_AND_MONTHS.fullmatch(t)) is not None and (m.group(1) or m.group(2)):
        value = float(m.group(1) or 0) + float(m.group(2) or 0) / 12
        value = round(value, 2)
    if value is None or value > max_years:
        raise HRError("bad_years", f"years must be a number of years from 0 to {max_years} (such as 4, 3.5, 4 yrs, "
                                   f"10+, <1 or 2 yrs 6 mos), not '{shown(t)}'.", "years")
    return int(value) if value.is_integer() else value


def parse_basis(cell: str) -> str | None:
    """A pay-basis cell: 'Hourly' -> HOUR, 'Salary' / 'Salaried' / 'Annual' -> YEAR, a placeholder -> None."""
    if is_placeholder(cell):
        return None
    key = _placeholder_key(cell).replace("_", " ")
    basis = BASIS_WORDS.get(key) or BASIS_WORDS.get(key.replace("-", " "))
    if basis is None:
        raise HRError("bad_pay_basis", f"pay basis must be Hourly or Salary (or Annual), not '{shown(cell.strip())}'.",
                      "pay_basis")
    return basis


class Pay(NamedTuple):
    """A row's yearly pay as read from its pay cells, and how (for a note when it was not a plain yearly salary)."""

    yearly: int  # whole dollars a year
    hourly: float | None  # the hourly rate it came from (None: a yearly amount)
    how: str  # '' for a plain yearly salary; else how it was read ('27.50 an hour x 2,080 hours')


def _number(cell: str) -> str:
    """'27/yr' -> '27': the amount of a pay cell without its unit, for a message."""
    m = re.match(r"\s*\$?\s*[\d,]*\.?\d*", cell)
    return (m.group(0).strip() if m else "") or shown(cell.strip())


def _one(cell: str, column: str, basis: str | None, hourly_column: bool) -> tuple[Decimal, str, bool]:
    """(amount, per, said): one pay cell read by the money grammar. A cell's own '/h' or '/yr' says what it is
    per; a bare amount follows `money.bare_basis` (under $1,000: an hour). The row's pay basis (when given)
    never re-reads an amount, it checks it: a contradiction is HRError 'pay_conflict'."""
    try:
        m = read_money(cell, column)
    except MoneyError as e:
        raise HRError("bad_salary", e.message, "salary") from None
    per = m.per or bare_basis(m.amount)
    if basis is not None and per != basis and (basis == YEAR or hourly_column):
        said = "hourly" if basis == HOUR else "salaried"
        bare = f"under ${BARE_HOURLY_BELOW:,}" if per == HOUR else f"of ${BARE_HOURLY_BELOW:,} or more"
        what = ("an hourly rate" if per == HOUR else "a year's pay") + ("" if m.per else f" (a bare amount {bare})")
        raise HRError("pay_conflict", f"{column} '{shown(cell.strip())}' is {what} but the row's pay basis says {said}.",
                      "salary")
    return m.amount, per, m.per is not None


def read_pay(salary: str | None, hourly: str | None, basis_cell: str | None, hours: int | None, *,
             salary_column: str = "salary", hourly_column: str = "hourly rate", agreement: float = 0.0) -> Pay | None:
    """A row's yearly pay from its salary cell, its hourly-rate cell and its pay-basis cell (each may be
    absent or a placeholder). None: no pay given. Rules:
    - each cell is read by `money.read_money`: its own '/h' or '/yr' says what it is per; a bare amount is
      read by the one rule, `money.bare_basis` (under $1,000: an hour), in every column;
    - an hourly rate is multiplied by `hours` (the table's hours a year) and the Pay says so;
    - both cells filled: their yearly amounts must agree within `agreement` (a share of the larger: the table's
      [benefits] pay_agreement; 0, to the dollar), else HRError 'pay_conflict' (never resolved silently); when
      they agree the salary cell is the pay;
    - one cell filled: the pay-basis cell (Hourly / Salary) checks it, never re-reads it: a salaried row
      paid by the hour, or an hourly row whose hourly-rate cell holds a year's pay, is HRError 'pay_conflict'
      (the salary cell of an hourly row may hold the annualized pay);
    - a yearly amount under $1,000 is HRError: never a verdict on $27 a year."""
    basis = parse_basis(basis_cell) if basis_cell is not None else None
    cells = [(cell, column, is_hourly) for cell, column, is_hourly in ((salary, salary_column, False),
                                                                       (hourly, hourly_column, True))
             if not is_placeholder(cell)]
    got: list[tuple[int, float | None, str, str]] = []  # (yearly, hourly, how, column)
    for cell, column, is_hourly in cells:
        assert cell is not None
        amount, per, said = _one(cell, column, basis if len(cells) == 1 else None, is_hourly)
        bare = not said and (per == YEAR) == is_hourly  # read by the bare rule against the column's name: say so
        if per == HOUR:
            if hours is None:
                raise HRError("bad_salary", f"{column} '{shown(cell.strip())}' is an hourly rate, and the data table has "
                                            "no [benefits] hours_per_year to turn it into a yearly salary.", "salary")
            per_year = amount * hours
            if per_year > MAX_SALARY:
                raise HRError("bad_salary", f"{column} '{shown(cell.strip())}' is ${per_year:,.0f} a year as an hourly rate "
                                            f"(x {hours:,} hours); check the number.", "salary")
            why = f" (no /h or /yr and under ${BARE_HOURLY_BELOW:,}: read as an hourly rate)" if bare else ""
            got.append((int(per_year + Decimal("0.5")), float(amount),
                        f"{column} ${amount:,.2f} an hour x {hours:,} hours = ${per_year:,.0f} a year{why}", column))
        else:
            if amount < BARE_HOURLY_BELOW:
                raise HRError("bad_salary", f"{column} '{shown(cell.strip())}' is under ${BARE_HOURLY_BELOW:,} a year, "
                                            f"which is not a salary; for an hourly rate write {_number(cell)}/h.", "salary")
            how = "" if not is_hourly else f"{column} ${amount:,.0f} read as a year's pay" + (
                f" (no /h or /yr and at least ${BARE_HOURLY_BELOW:,})" if bare else "")
            got.append((int(amount + Decimal("0.5")), None, how, column))
    if not got:
        return None
    if len(got) == 2:
        (a, _, how_a, col_a), (b, _, how_b, col_b) = got
        if abs(a - b) > agreement * max(a, b):
            shown_b = f"${b:,} a year" if " = " not in how_b else "= " + how_b.split(" = ")[-1].split(" (")[0]
            raise HRError("pay_conflict", f"{col_a} (${a:,} a year) and {col_b} ({shown_b}) disagree by "
                                          f"${abs(a - b):,}; correct one of them or leave it empty.", "salary")
        return Pay(a, None, how_a)
    yearly, rate, how, _ = got[0]
    return Pay(yearly, rate, how)


class CredentialCells(NamedTuple):
    """A credentials cell split three ways: priced, recognised without a public pay figure, unknown."""

    known: tuple[str, ...]  # as typed, for the credential reader (query.resolve_credentials)
    no_figure: tuple[str, ...]  # recognised codes (CEMC, CCDS...) the pay model has no figure for
    unknown: tuple[str, ...]  # as typed


_SEPARATORS = re.compile(r"[,;|/+&\s]+|\band\b", re.IGNORECASE)


def split_credentials(cell: str, known: Container[str], no_figure: Container[str],
                      is_apprentice: Callable[[str], bool] | None = None) -> CredentialCells:
    """'CPC, CEMC' -> known ('CPC',), no_figure ('CEMC',); 'CPC; XYZ' -> unknown ('XYZ',). Placeholders
    ('N/A', 'None') are dropped. `known`: the codes the table prices; `no_figure`: codes recognised without
    a figure. `is_apprentice(code)`: a code read as a known one (CPC-A)."""
    kn: list[str] = []
    nf: list[str] = []
    un: list[str] = []
    if is_placeholder(cell):
        return CredentialCells((), (), ())
    for part in _SEPARATORS.split(cell):
        p = part.strip(".")  # (a part holds no whitespace: the separators took it)
        if not p or p.lower() in PLACEHOLDERS:  # is_placeholder(p), for a part without whitespace
            continue
        code = p.upper()
        if code in known or (is_apprentice is not None and is_apprentice(code)):
            kn.append(p)
        elif code in no_figure:
            if code not in nf:
                nf.append(code)
        elif p not in un:
            un.append(p)
    return CredentialCells(tuple(kn), tuple(nf), tuple(un))


__all__ = ["BASIS_WORDS", "PLACEHOLDERS", "CredentialCells", "HRError", "Pay", "is_placeholder",
           "parse_basis", "parse_hr_years", "read_pay", "split_credentials"]
