"""Turn what a user typed into a validated `Query`, or a `UsageError` that says what is wrong.

Used by every command and by `batch`, so that "CA", "ca", " California " and a misspelt
"Califrnia" are treated the same way everywhere. Pure: no printing, no Typer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .table import Table

MAX_YEARS = 50
COL_BASES = ("all", "housing")
EXPERIENCE_LEVELS = ("entry", "mid", "senior")
ROLE_LEVELS = ("supervisor", "manager", "director")
LEVELS = EXPERIENCE_LEVELS + ROLE_LEVELS


class UsageError(ValueError):
    """A bad value from the user. `code` is a stable identifier scripts can match."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Query:
    """A normalized profile: what the pay model is asked about."""

    state: str | None = None
    credentials: tuple[str, ...] = ()
    years: int | None = None
    level: str | None = None
    specialty: str = "general"
    setting: str = "any"
    remote: bool = False
    home: str | None = None
    col: str = "all"
    as_of: int | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "state": self.state, "credentials": list(self.credentials), "years": self.years,
            "level": self.level, "specialty": self.specialty, "setting": self.setting,
            "remote": self.remote, "home": self.home, "col": self.col, "as_of": self.as_of,
        }


def _suggest(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    import difflib

    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    hits = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


def _clean(value: str, what: str, flag: str) -> str:
    v = value.strip()
    if not v:
        raise UsageError("empty_value", f"{flag} needs a value; got an empty {what}.", what)
    if len(v) > 200:
        raise UsageError(f"unknown_{what}", f"Unknown {what} '{v[:40]}…' (too long).", what)
    return v


def resolve_state(table: Table, value: str, flag: str = "--state") -> str:
    """A USPS code or a full state name, any case, surrounding spaces ignored -> 'CA'."""
    v = _clean(value, "state", flag)
    code = v.upper()
    if code in table.states:
        return code
    name = re.sub(r"\s+", " ", v.lower())
    if name in table._names:
        return table._names[name]
    shown = _shown(v)
    names = {s.name: c for c, s in table.states.items()}
    near = _suggest(v, list(names) + list(table.states))
    hint = ""
    if near:
        hit = near[0]
        code_hit = names.get(hit, hit)
        hint = f" Did you mean {table.states[code_hit].name} ({code_hit})?"
    raise UsageError("unknown_state", f"Unknown state '{shown}'.{hint} Use a USPS code such as CA or a full name.",
                     "state")


def resolve_credentials(table: Table, values: Iterable[str]) -> tuple[str, ...]:
    """Repeatable and comma-separated: ["CPC,crc", "ccs"] -> ("CPC", "CRC", "CCS"), order kept, no repeats."""
    out: list[str] = []
    for raw in values:
        for part in re.split(r"[,;|]", raw):
            p = part.strip()
            if not p:
                if not raw.strip():
                    raise UsageError("empty_value", "--cert needs a value; got an empty credential.", "cert")
                continue
            code = p.upper()
            if code not in table.credentials:
                near = _suggest(code, table.credentials)
                hint = f" Did you mean {near[0]}?" if near else ""
                known = ", ".join(table.credentials)
                raise UsageError("unknown_credential",
                                 f"Unknown certification '{_shown(p)}'.{hint} Known: {known}.", "cert")
            if code not in out:
                out.append(code)
    return tuple(out)


def resolve_choice(value: str, choices: Iterable[str], what: str, flag: str) -> str:
    v = _clean(value, what, flag)
    key = re.sub(r"[\s_]+", "-", v.lower())
    pool = list(choices)
    if key in pool:
        return key
    near = _suggest(key, pool)
    hint = f" Did you mean {near[0]}?" if near else ""
    raise UsageError(f"unknown_{what}", f"Unknown {what} '{_shown(v)}'.{hint} Choose from: {', '.join(pool)}.", what)


def check_years(years: int | None, flag: str = "--years") -> int | None:
    if years is None:
        return None
    if isinstance(years, bool) or not isinstance(years, int):
        raise UsageError("bad_years", f"{flag} must be a whole number of years from 0 to {MAX_YEARS}.", "years")
    if years < 0 or years > MAX_YEARS:
        raise UsageError("bad_years", f"{flag} must be from 0 to {MAX_YEARS}, not {years}.", "years")
    return years


def parse_years(text: str, flag: str = "--years") -> int | None:
    """Years typed as text (batch cells): '', '7', ' 7 ' -> int; anything else is a UsageError."""
    t = text.strip()
    if not t:
        return None
    if not re.fullmatch(r"[+-]?\d{1,6}", t):
        raise UsageError("bad_years", f"{flag} must be a whole number of years from 0 to {MAX_YEARS}, not '{_shown(t)}'.",
                         "years")
    return check_years(int(t), flag)


def level_for_years(table: Table, years: int) -> str:
    for lv in table.levels.values():
        if lv.min_years <= years <= lv.max_years:
            return lv.key
    return max(table.levels.values(), key=lambda lv: lv.max_years).key


def build_query(
    table: Table,
    *,
    state: str | None = None,
    certs: Iterable[str] = (),
    years: int | None = None,
    level: str | None = None,
    specialty: str | None = None,
    setting: str | None = None,
    remote: bool = False,
    home: str | None = None,
    col: str = "all",
    as_of: int | None = None,
) -> Query:
    """Validate every input; the first bad one raises UsageError."""
    st = resolve_state(table, state) if state is not None else None
    hm = resolve_state(table, home, "--home") if home is not None else None
    creds = resolve_credentials(table, certs)
    yrs = check_years(years)
    lvl = resolve_choice(level, LEVELS, "level", "--level") if level is not None else None
    if lvl in EXPERIENCE_LEVELS and yrs is not None and level_for_years(table, yrs) != lvl:
        lv = table.levels[lvl]
        raise UsageError("conflicting_options",
                         f"--years {yrs} conflicts with --level {lvl} ({lv.min_years}-{lv.max_years} years); give one of them.",
                         "level")
    spec = resolve_choice(specialty, table.specialties, "specialty", "--specialty") if specialty is not None else "general"
    sett = resolve_choice(setting, table.settings, "setting", "--setting") if setting is not None else "any"
    colb = resolve_choice(col, COL_BASES, "col", "--col")
    if as_of is not None and not (table.wage_year - 10 <= as_of <= table.wage_year + 15):
        raise UsageError("bad_as_of", f"--as-of must be a year from {table.wage_year - 10} to {table.wage_year + 15}, "
                                      f"not {as_of}.", "as_of")
    return Query(state=st, credentials=creds, years=yrs, level=lvl, specialty=spec, setting=sett,
                 remote=bool(remote), home=hm, col=colb, as_of=as_of)


def _shown(v: str) -> str:
    """A user value made safe to echo on one line."""
    s = "".join(ch if ch.isprintable() else "?" for ch in v)
    return s if len(s) <= 60 else s[:57] + "…"


# --------------------------------------------------------------------------- text cells (batch input)

_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


def parse_flag(text: str, flag: str = "--remote") -> bool | None:
    """Yes/no typed as text (batch cells): true/false, yes/no, y/n, 1/0 in any case; '' -> None (not given)."""
    t = text.strip().lower()
    if not t:
        return None
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    what = flag.lstrip("-").replace("-", "_")
    raise UsageError(f"bad_{what}", f"{flag} must be true or false (yes/no, y/n, 1/0), not '{_shown(text.strip())}'.", what)


def parse_year(text: str, flag: str = "--as-of") -> int | None:
    """A calendar year typed as text: '' -> None, ' 2026 ' -> 2026. The range is checked by build_query."""
    t = text.strip()
    if not t:
        return None
    if not re.fullmatch(r"\d{4}", t):
        what = flag.lstrip("-").replace("-", "_")
        raise UsageError(f"bad_{what}", f"{flag} must be a year such as 2026, not '{_shown(t)}'.", what)
    return int(t)
