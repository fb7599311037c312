"""Which input column means what: the batch's column reader.

A column (CSV header) or key (JSON Lines) is read as one of COLUMNS when its name is the column's
own or one in COLUMN_NAMES (case, spaces and punctuation do not matter: 'Years of Experience' is
years), or when `--column` maps it explicitly. A name close to a column's but not read stops the
batch with a "did you mean" (LOOKALIKE_NAMES). `read_header` turns one header into a `Layout`;
batch_rows.py reads the rows through it. To read a new column: add it to COLUMNS (and its other names
to COLUMN_NAMES), then give it its meaning in batch_rows.py's `Cells` (how a cell is parsed). Pure.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .query import UsageError, _shown
from .table import name_key

#: The columns (CSV) or keys (JSON Lines) a batch reads: the `estimate` options, a place (area, ZIP), and pay: a
#: yearly salary, an hourly rate and a pay basis (Hourly / Salary), as an HR system's payroll export holds them.
COLUMNS = ("state", "cert", "years", "level", "specialty", "setting", "remote", "home", "col", "as_of", "area", "zip",
           "salary", "hourly", "pay_basis")
#: The columns that hold a row's pay (payroll.read_pay reads them together); the others describe the profile.
PAY_COLUMNS = ("salary", "hourly", "pay_basis")


PROFILE_COLUMNS = tuple(c for c in COLUMNS if c not in PAY_COLUMNS)


DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t", "|": "|"}


KEEP_ALL = ("all", "*")


#: Other names read as each column. The ONE list of synonyms: names, not figures. Matched as
#: `squash` does (case, spaces and punctuation ignored), so "Years of Experience", "years_of_experience"
#: and "YEARS OF EXPERIENCE" are one name.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "state": ("st", "state code", "state abbreviation", "work state", "us state"),
    "cert": ("certs", "creds", "certification", "certifications", "credential", "credentials", "certificate", "certificates",
             "designation", "designations", "coding credentials", "coding certifications"),
    "years": ("yrs", "years of experience", "years experience", "yrs of experience", "yrs experience", "yrs exp",
              "years exp", "experience", "experience years", "experience in years", "years in field", "yoe"),
    "level": ("experience level", "career level", "seniority", "seniority level"),
    "specialty": ("speciality", "specialties", "specialty area", "coding specialty", "specialization"),
    "setting": ("work setting", "work settings", "practice setting", "care setting", "facility type", "industry",
                "workplace"),
    "remote": ("is remote", "remote work", "work remote", "remote worker", "telework", "wfh", "work from home"),
    "home": ("compare with", "compare to", "compare prices with"),
    "col": ("cost of living", "price basis"),
    "as_of": ("as of year", "priced as of"),
    "area": ("work location", "location", "city", "work city", "office location", "office city", "metro", "metro area",
             "metropolitan area", "msa", "cbsa", "cbsa code", "msa code", "place", "worksite", "site"),
    "zip": ("zip code", "zipcode", "postal code", "postcode", "post code", "work zip", "work zip code", "zip5"),
    "salary": ("current salary", "salary annual", "annual salary", "yearly salary", "base salary", "annual base salary",
               "pay", "annual pay", "base pay", "current pay", "wage", "annual wage", "compensation",
               "annual compensation", "offer", "offered salary", "salary offer"),
    "hourly": ("hourly rate", "hourly pay", "hourly wage", "hourly", "rate", "pay rate", "base rate", "rate of pay",
               "wage rate", "hourly base rate", "base hourly rate", "current rate", "hourly rate of pay"),
    "pay_basis": ("pay type", "basis", "pay basis", "salary type", "pay class", "compensation type", "hourly or salary",
                  "hourly salary", "salaried hourly", "salary or hourly", "wage type", "pay category"),
}


#: Names NOT read as a column, but close enough to one that a column so named stops the batch
#: with a "did you mean" (when that column is not read from another one): the user says which.
LOOKALIKE_NAMES: dict[str, tuple[str, ...]] = {
    "state": ("home state", "state of residence", "residence state"),
}


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


#: Columns that identify a person, named in row messages: a name (Name, Full Name, Employee Name), else
#: an identifier (Employee ID, Emp No, Staff Number).
_WHO = r"(employee|emp|staff|worker|person|member|associate|full|first|last|preferred|display)?"


_NAME_COLUMN = re.compile(_WHO + "name")


_ID_COLUMN = re.compile(_WHO + r"(id|number|num|no)")


def squash(name: str) -> str:
    """'Years of Experience' -> 'yearsofexperience': how a header is matched against column names (the one
    name normalizer, table.name_key)."""
    return name_key(name)


_BY_NAME: dict[str, str] = {squash(n): col for col in COLUMNS for n in (col, *COLUMN_NAMES.get(col, ()))}


_LOOKALIKE: dict[str, str] = {squash(n): col for col, names in LOOKALIKE_NAMES.items() for n in names}


_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(_NOT_ALNUM.split(n.lower().strip())), col)
    for col in COLUMNS for n in (col.replace("_", " "), *COLUMN_NAMES.get(col, ())) if len(squash(n)) >= 5)


def column_for(name: str) -> str | None:
    """The column a header cell (or JSON key) is read as: 'Certifications' -> 'cert'; None: not read."""
    return _BY_NAME.get(squash(name))


def column_name(header: str) -> str:
    """'  As-Of ' -> 'as_of': a header cell in the spelling of COLUMNS (kept for library callers)."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def looks_like(name: str) -> str | None:
    """The column an unread header name resembles ('Certfications' -> 'cert', 'Primary Credential' ->
    'cert', 'Home State' -> 'state'), or None (Name, Employee ID, Department)."""
    s = squash(name)
    if not s:
        return None
    if s in _LOOKALIKE:
        return _LOOKALIKE[s]
    near = difflib.get_close_matches(s, list(_BY_NAME), n=1, cutoff=0.85) if len(s) >= 5 else []
    if near:  # a misspelling ('Certfications'); short names (Age, Year) only when exact
        return _BY_NAME[near[0]]
    words = tuple(w for w in _NOT_ALNUM.split(name.lower()) if w)
    for phrase, col in _PHRASES:
        k = len(phrase)
        if any(words[i:i + k] == phrase for i in range(len(words) - k + 1)):
            return col
    return None


def parse_column_option(text: str) -> tuple[str, str]:
    """--column 'cert=Credentials' -> ('cert', 'Credentials'). The column may be any of its names."""
    field, sep, name = str(text).partition("=")
    if not sep or not field.strip() or not name.strip():
        raise UsageError("bad_column", f"--column '{_shown(str(text))}' must be COLUMN=NAME, for example "
                                       "--column cert=Credentials.", "column")
    col = column_for(field)
    if col is None:
        near = difflib.get_close_matches(squash(field), list(_BY_NAME), n=1, cutoff=0.6)
        hint = f" Did you mean {_BY_NAME[near[0]]}?" if near else ""
        raise UsageError("bad_column", f"--column {_shown(field.strip())}=…: coder-pay reads no column "
                                       f"'{_shown(field.strip())}'.{hint} Columns: {', '.join(COLUMNS)}.", "column")
    return col, name.strip()


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a CSV header line: whichever of ',', ';', tab, '|' it holds most often outside
    quotes (a tie or none: ',')."""
    bare = re.sub(r'"[^"]*"', "", header_line)
    best = max((",", ";", "\t", "|"), key=lambda d: bare.count(d))
    return best if bare.count(best) else ","


def resolve_delimiter(text: str | None) -> str | None:
    """--delimiter ',', ';', 'tab' (or '\\t') or '|'; None: sniff it from the header."""
    if text is None:
        return None
    d = DELIMITERS.get(text) or DELIMITERS.get(text.strip().lower())
    if d is None:
        raise UsageError("bad_delimiter", f"--delimiter must be one of , ; tab |, not '{_shown(text)}'.", "delimiter")
    return d


class Layout(NamedTuple):
    """How one header is read: which column holds each field, which are carried, which names a row."""

    header: tuple[str, ...]  # as written (spaces around a name dropped)
    fields: tuple[str, ...]  # the COLUMNS read, in COLUMNS order
    positions: tuple[int, ...]  # where each is in a row
    keep: tuple[int, ...]  # positions of the kept columns, in the order asked (header order for 'all')
    kept_names: tuple[str, ...]  # their names in the output: as written, made unique ('column_3', 'Notes_2')
    ident: int | None  # position of the column that names a row in messages
    ignored: tuple[str, ...]  # names neither read nor kept


def _find(names: Sequence[str], wanted: str) -> int | None:
    w = wanted.strip()
    for test in (lambda n: n == w, lambda n: n.lower() == w.lower(), lambda n: squash(n) == squash(w) != ""):
        for i, n in enumerate(names):
            if test(n):
                return i
    return None


def _no_such_column(what: str, name: str, names: Sequence[str]) -> UsageError:
    lowered = {n.lower(): n for n in names if n}
    near = difflib.get_close_matches(name.strip().lower(), list(lowered), n=1, cutoff=0.6)
    hint = f" Did you mean '{lowered[near[0]]}'?" if near else ""
    shown = ", ".join(n for n in names if n)[:200]
    return UsageError("unknown_column", f"{what}: the input has no column '{_shown(name)}'.{hint} Its columns: {shown}.",
                      "column")


def read_header(header: Sequence[str], columns: Mapping[str, str] | None = None,
                keep: Sequence[str] | None = None, *, what: str = "the CSV header", require_known: bool = True) -> Layout:
    """The Layout of a header (or of a JSON object's keys). `columns`: {column: name in the header}
    read explicitly; `keep`: names to carry (or 'all' / '*'). Raises UsageError for a name given
    that is not there, a column named twice, an unread column that looks like one (did you mean),
    or a header that names no column at all."""
    names = tuple(str(h).strip() for h in header)
    where: dict[str, int] = {}
    for wanted, name in (columns or {}).items():
        i = _find(names, name)
        if i is None:
            raise _no_such_column(f"--column {wanted}={_shown(name)}", name, names)
        where[wanted] = i
    explicit = set(where)
    taken = set(where.values())
    for i, n in enumerate(names):
        col = column_for(n)
        if i in taken or col is None or col in explicit:
            continue
        if col in where:
            a = names[where[col]]
            raise UsageError("duplicate_column", f"{what} has two columns for {col}: '{_shown(a)}' and '{_shown(n)}'. "
                                                 f"Choose one with --column {col}='{_shown(a)}'.", "header")
        where[col] = i
    kept: list[int] = []
    for name in keep or ():
        if name.strip().lower() in KEEP_ALL:
            kept = list(range(len(names)))
            break
        i = _find(names, name)
        if i is None:
            raise _no_such_column(f"--keep {_shown(name)}", name, names)
        if i not in kept:
            kept.append(i)
    out_names: list[str] = []
    for i in kept:
        name = names[i] or f"column_{i + 1}"
        base, k = name, 1
        while name in out_names:
            k += 1
            name = f"{base}_{k}"
        out_names.append(name)
    read = set(where.values())
    unread = [i for i, n in enumerate(names) if n and i not in read and i not in kept]
    doubtful = [(names[i], like) for i in unread if (like := looks_like(names[i])) is not None and like not in where]
    if doubtful:
        which = "; ".join(f"'{_shown(n)}' (did you mean {like}?)" for n, like in doubtful)
        first, like = doubtful[0]
        raise UsageError("unread_column",
                         f"{what} has {'a column' if len(doubtful) == 1 else 'columns'} coder-pay does not read but "
                         f"that look{'s' if len(doubtful) == 1 else ''} like one: {which}. Read it with "
                         f"--column {like}='{_shown(first)}', or carry it unread with --keep '{_shown(first)}'.", "header")
    if not where and require_known:
        shown = ", ".join(names)[:80]
        raise UsageError("no_known_columns",
                         f"{what} ({shown}) names none of the columns coder-pay reads: {', '.join(COLUMNS)} "
                         "(or another name for one, such as Certifications or Years of Experience). "
                         "The first line must be a header.", "header")
    fields = tuple(c for c in COLUMNS if c in where)
    others = kept + [i for i in unread if i not in kept]
    ident = next((i for pattern in (_NAME_COLUMN, _ID_COLUMN) for i in others if pattern.fullmatch(squash(names[i]))),
                 kept[0] if kept else None)
    return Layout(names, fields, tuple(where[c] for c in fields), tuple(kept), tuple(out_names), ident,
                  tuple(names[i] for i in unread))


__all__ = ["COLUMNS", "COLUMN_NAMES", "DELIMITERS", "KEEP_ALL", "LOOKALIKE_NAMES", "PAY_COLUMNS",
           "PROFILE_COLUMNS", "Layout", "column_for",
           "column_name", "looks_like", "parse_column_option", "read_header", "resolve_delimiter", "sniff_delimiter", "squash"]
