"""The one money grammar: how every command reads an amount of pay (offer, take-home, compare --offer,
batch and audit cells).

    read_money("58,000/yr")    -> Money(58000, "year")     read_money("27/h")       -> Money(27, "hour")
    read_money("$58,000.00")   -> Money(58000, None)       read_money("27 an hour") -> Money(27, "hour")
    read_money("58 k")         -> Money(58000, None)       read_money("27hr")       -> Money(27, "hour")

An amount is an optional `$`, digits (with or without thousands commas), optional cents, an optional
`k` (thousand) or `m` (million), then optionally what it is per: an hour (`/h`, `/hr`, `hr`, `per hour`,
`an hour`, `hourly`) or a year (`/yr`, `/year`, `a year`, `per annum`, `annually`, `yearly`, `/y`).

One rule for an amount that says neither (`bare_basis`): below BARE_HOURLY_BELOW dollars it is an hourly
rate (a yearly salary under $1,000 is not a salary), at or above it a year's pay; the reader says which it
chose. A column or a pay-basis cell that says "hourly" or "salary" decides instead.

`low_pay_warning`: an amount below every state's published 10th percentile is almost surely a slip (an
hourly rate in a salary column, a missing digit, or a shell that ate `$5` of `$58,000`): the warning says
what it was read as and how to quote it. Pure: no printing, no Typer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover - imported where an amount is read: a run that reads none never loads decimal
    from decimal import Decimal

#: A typo guard ("65000k"), not a pay figure.
MAX_SALARY = 10_000_000
#: A bare amount (no "/h", no "/yr") below this is an hourly rate; at or above it, a year's pay.
BARE_HOURLY_BELOW = 1_000
#: What an amount is per.
HOUR, YEAR = "hour", "year"

_HOUR_WORDS = r"h|hr|hrs|hour|hours|hourly"
_YEAR_WORDS = r"y|yr|yrs|year|years|yearly|annum|annual|annually|pa|p\.a"
_MONEY = re.compile(
    r"(?P<neg>-)?\s*\$?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d*))?\s*(?P<unit>[km])?"
    r"(?:\s*(?:/\s*|per\s+|an?\s+|each\s+)?(?:(?P<hour>" + _HOUR_WORDS + r")|(?P<year>" + _YEAR_WORDS + r"))\.?)?",
    re.IGNORECASE)
_EXAMPLES = "such as 58000, 58,000/yr, $58k, 27.50/h or '27 an hour'"


class MoneyError(ValueError):
    """An amount that cannot be read. `code` is 'bad_salary'; the message names `what` was typed."""

    code = "bad_salary"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Money(NamedTuple):
    """An amount as typed: dollars (cents kept) and what it said it is per (None: it did not say)."""

    amount: Decimal
    per: str | None  # HOUR, YEAR or None


def shown(text: str) -> str:
    """A typed value made safe to echo on one line."""
    s = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return s if len(s) <= 60 else s[:57] + "…"


def read_money(text: str, what: str = "SALARY") -> Money:
    """The amount in `text` and what it is per. Negative, malformed, fractional cents or too large:
    MoneyError naming `what`."""
    t = str(text).strip()
    m = _MONEY.fullmatch(t)
    if not m:
        raise MoneyError(f"{what} must be an amount of pay {_EXAMPLES}, not '{shown(t)}'.")
    if m["neg"]:
        raise MoneyError(f"{what} must not be negative, not '{shown(t)}'.")
    if m["unit"] and m["hour"]:
        raise MoneyError(f"{what} '{shown(t)}': a thousand-dollar unit (k, m) with an hourly rate; check the number.")
    from decimal import Decimal

    value = Decimal(m["num"].replace(",", "") + ("." + m["frac"] if m["frac"] else ""))
    value *= {"": 1, "k": 1_000, "m": 1_000_000}[(m["unit"] or "").lower()]
    if value > MAX_SALARY:  # first: quantize() raises InvalidOperation past Decimal's 28 digits
        raise MoneyError(f"{what} must be at most ${MAX_SALARY:,}, not '{shown(t)}'; check the number.")
    if value != value.quantize(Decimal("0.01")):
        raise MoneyError(f"{what} must be in whole cents, not '{shown(t)}'.")
    return Money(value, HOUR if m["hour"] else YEAR if m["year"] else None)


def bare_basis(amount: Decimal | float) -> str:
    """What a bare amount (one that does not say /h or /yr) is per: the ONE rule for offer, compare,
    take-home, batch and audit."""
    return HOUR if 0 < amount < BARE_HOURLY_BELOW else YEAR


def low_pay_warning(yearly: float, typed: str, floor: float, floor_what: str, *, shell: bool = False) -> str | None:
    """A warning for a yearly amount below `floor` (the lowest published 10th percentile of any state,
    `floor_what` saying whose and how much), or None. It says what the text was read as; with `shell` (the value came from a
    command line) and no `$` left in it, how a shell may have eaten a `$` and how to quote it."""
    if yearly >= floor:
        return None
    t = str(typed).strip()
    text = (f"'{shown(t)}' was read as ${yearly:,.0f} a year, below every state's published 10th percentile "
            f"({floor_what}); check it.")
    if shell and "$" not in t and t[:1].isdigit():
        text += (" If you typed a $ before it, your shell replaced '$' and the digit after it (as in $58,000 -> "
                 "8,000): put the amount in single quotes ('$58,000') or leave out the $.")
    return text


__all__ = ["BARE_HOURLY_BELOW", "HOUR", "MAX_SALARY", "YEAR", "Money", "MoneyError", "bare_basis", "low_pay_warning",
           "read_money", "shown"]
