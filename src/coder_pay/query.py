"""Turn what a user typed into a validated `Query`, or a `UsageError` that says what is wrong.

Used by every command and by `batch`, so that "CA", "ca", " California " and a misspelt
"Califrnia" are treated the same way everywhere. Pure: no printing, no Typer. Kept whole as one piece
(about 720 lines): every typed value's rule sits beside the others, each short; places are resolved in
places.py and only joined to the query here.
"""

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from . import money as _money
from .table import Factor, Table, name_key

if TYPE_CHECKING:
    from .places import Location

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


def place_code(place: "Location | None", state: str | None) -> str | None:
    """A place's price-level code: the place's own when one was given, else its state's (None: the US)."""
    return place.code if place is not None else state


def place_codes(area: "Location | None", home_area: "Location | None") -> dict[str, object]:
    """The place fields of a JSON `query`: the work place's code and ZIP, the home place's code."""
    return {"area": None if area is None else area.code, "zip": None if area is None else area.zip,
            "home_area": None if home_area is None else home_area.code}


class Query(NamedTuple):
    """A normalized profile: what the pay model is asked about."""

    state: str | None = None
    credentials: tuple[str, ...] = ()
    years: float | None = None  # whole numbers are ints; 3.5 years stays 3.5
    level: str | None = None
    specialty: str = "general"
    setting: str = "any"
    remote: bool = False
    home: str | None = None
    col: str = "all"
    as_of: int | None = None
    area: "Location | None" = None  # --area / --zip: the place of work (`state` is its state)
    home_area: "Location | None" = None  # --home given as a place (`home` is its state)
    notes: tuple[str, ...] = ()  # how the input was read, said with the answer (CPC-A read as CPC); not in JSON `query`

    def as_dict(self) -> dict[str, object]:
        return {
            "state": self.state, "credentials": list(self.credentials), "years": _whole(self.years),
            "level": self.level, "specialty": self.specialty, "setting": self.setting,
            "remote": self.remote, "home": self.home, "col": self.col, "as_of": self.as_of,
            **place_codes(self.area, self.home_area),
        }

    @property
    def work_place(self) -> str | None:
        """Where the job is, as a price-level code: the --area place, else the state (None: the US)."""
        return place_code(self.area, self.state)

    @property
    def home_place(self) -> str | None:
        """Where prices are compared: the --home place, else the --home state (None: the US average)."""
        return place_code(self.home_area, self.home)


def _whole(years: float | None) -> float | None:
    """3.0 -> 3 (an int in JSON), 3.5 -> 3.5."""
    return int(years) if isinstance(years, float) and years.is_integer() else years


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
    """A USPS code, a full state name or an alias from the table ('Calif.', 'Washington, D.C.'), any case,
    spaces and punctuation ignored -> 'CA'."""
    v = _clean(value, "state", flag)
    code = v.upper()
    if code in table.states:
        return code
    key = name_key(v)
    if key in table.state_names:
        return table.state_names[key]
    territory = TERRITORIES.get(code) or next((n for n in TERRITORIES.values() if name_key(n) == key), None)
    if territory is not None:
        shown = territory[0].upper() + territory[1:]
        raise UsageError("unknown_state", f"{shown} is not covered: coder-pay covers the 50 states and DC (the sources "
                                          "have no price parity for the territories). Use --remote for national pay.",
                         "state")
    near = _suggest_states(table, key)
    hint = ""
    if near:
        named = [f"{table.states[c].name} ({c})" for c in near]
        hint = f" Did you mean {', '.join(named[:-1]) + ' or ' if len(named) > 1 else ''}{named[-1]}?"
    raise UsageError("unknown_state", f"Unknown state '{_shown(v)}'.{hint} Use a USPS code such as CA or a full name.",
                     "state")


#: US territories BLS publishes but the table does not cover (no BEA price parity): named, never matched by spelling
#: to a state ("Guam" is not Georgia).
TERRITORIES = {"GU": "Guam", "PR": "Puerto Rico", "VI": "the U.S. Virgin Islands", "AS": "American Samoa",
               "MP": "the Northern Mariana Islands"}


def _suggest_states(table: Table, key: str) -> list[str]:
    """The states whose name starts with what was typed ('massa', 'new': up to four), else the closest
    name or alias."""
    starts = sorted({code for name, code in table.state_names.items() if len(key) >= 3 and name.startswith(key)})
    if 0 < len(starts) <= 4:
        return starts
    near = _suggest(key, table.state_names)
    return [table.state_names[near[0]]] if near else []


#: What separates credentials in one value: "CPC,CRC", "CPC; CRC", "CPC|CRC", "CPC/CCS", "CPC+CRC", "CPC CRC".
CREDENTIAL_SEPARATORS = re.compile(r"[,;|/+\s]+")


def apprentice_of(table: Table, code: str) -> str | None:
    """'CPC-A' -> 'CPC': the apprentice designation of a credential the table gives an apprentice
    stage (apprentice_ratio), else None."""
    base = code[:-2] if code.endswith("-A") else ""
    c = table.credentials.get(base)
    return base if c is not None and c.apprentice_ratio is not None else None


def resolve_credentials(table: Table, values: Iterable[str]) -> tuple[str, ...]:
    """Repeatable, and several in one value separated by commas, semicolons, '|', '/' or spaces:
    ["CPC,crc", "ccs"] -> ("CPC", "CRC", "CCS"), order kept, no repeats. An apprentice designation
    (CPC-A) is read as its credential (CPC): see `credential_notes`."""
    out: list[str] = []
    for raw in values:
        if not raw.strip():
            raise UsageError("empty_value", "--cert needs a value; got an empty credential.", "cert")
        for part in CREDENTIAL_SEPARATORS.split(raw):
            p = part.strip()
            if not p:
                continue
            code = p.upper()
            if code not in table.credentials:
                code = apprentice_of(table, code) or code
            if code not in table.credentials:
                near = _suggest(code, table.credentials)
                hint = f" Did you mean {near[0]}?" if near else ""
                known = ", ".join(table.credentials)
                raise UsageError("unknown_credential",
                                 f"Unknown certification '{_shown(p)}'.{hint} Known: {known}.", "cert")
            if code not in out:
                out.append(code)
    return tuple(out)


def credential_notes(table: Table, values: Iterable[str]) -> tuple[str, ...]:
    """What the output should say about credentials as typed: an apprentice designation (CPC-A)
    is priced as the full credential, because the pay model has no apprentice stage."""
    notes: list[str] = []
    for raw in values:
        for part in CREDENTIAL_SEPARATORS.split(raw):
            code = part.strip().upper()
            base = None if code in table.credentials else apprentice_of(table, code)
            if base is not None:
                c = table.credentials[base]
                src = table.sources.get(c.apprentice_source or "")
                when = f" ({src.publisher} {src.year})" if src is not None and src.year else ""
                notes.append(f"{base}-A (apprentice) is priced as {base}: the estimate has no apprentice stage; "
                             f"apprentices earned about {c.apprentice_ratio:.0%} of {base} pay{when}.")
    return tuple(dict.fromkeys(notes))


#: Words people use for a --level that coder-pay names otherwise: a suggestion by meaning, before any by spelling
#: ("junior" is entry level, not "senior").
LEVEL_SYNONYMS = {
    "entry": ("junior", "jr", "beginner", "new", "newbie", "novice", "trainee", "starter", "starting", "apprentice",
              "associate", "graduate", "intern", "level1", "i"),
    "mid": ("intermediate", "middle", "medium", "experienced", "level2", "ii"),
    "senior": ("sr", "veteran", "expert", "advanced", "lead", "level3", "iii"),
    "supervisor": ("teamlead", "coordinator", "supervising"),
    "manager": ("mgr", "management"),
    "director": ("head", "himdirector", "executive"),
}
#: What a person may type as a specialty or setting that is remote work, an option of its own (--remote).
REMOTE_WORDS = frozenset({"remote", "remotework", "workfromhome", "wfh", "telework", "telecommute", "homebased",
                          "fromhome", "athome", "virtual", "offsite"})


def resolve_choice(value: str, choices: Iterable[str], what: str, flag: str) -> str:
    v = _clean(value, what, flag)
    key = re.sub(r"[\s_]+", "-", v.lower())
    pool = list(choices)
    if key in pool:
        return key
    synonyms = LEVEL_SYNONYMS if what == "level" else {}
    meant = next((k for k, words in synonyms.items() if k in pool and name_key(v) in words), None)
    near = [meant] if meant else _suggest(key, pool)
    hint = f" Did you mean {near[0]}?" if near else ""
    if what == "level" and name_key(v) in REMOTE_WORDS:
        hint = " Remote work is not a level: use --remote (national pay)."
    raise UsageError(f"unknown_{what}", f"Unknown {what} '{_shown(v)}'.{hint} Choose from: {', '.join(pool)}.", what)


def check_years(years: float | None, flag: str = "--years") -> float | None:
    """Years of experience, 0 to MAX_YEARS; fractions allowed (3.5), a whole float becomes an int."""
    if years is None:
        return None
    if isinstance(years, bool) or not isinstance(years, (int, float)) or years != years:  # (NaN != NaN)
        raise UsageError("bad_years", f"{flag} must be a number of years from 0 to {MAX_YEARS}.", "years")
    if years < 0 or years > MAX_YEARS:
        raise UsageError("bad_years", f"{flag} must be from 0 to {MAX_YEARS}, not {_whole(years)}.", "years")
    return _whole(years)


_YEARS_TEXT = re.compile(r"([+-]?(?:\d{1,6}(?:\.\d{0,6})?|\.\d{1,6}))\s*(?:y|yr|yrs|year|years)?\.?", re.IGNORECASE)


def parse_years(text: str, flag: str = "--years") -> float | None:
    """Years typed as text (batch cells): '' -> None; '7', ' 7 ', '3.5', '4 yrs', '4 years', '4y' -> 7, 3.5, 4.
    Anything else is a UsageError."""
    t = text.strip()
    if not t:
        return None
    m = _YEARS_TEXT.fullmatch(t)
    if not m:
        raise UsageError("bad_years", f"{flag} must be a number of years from 0 to {MAX_YEARS} (such as 4, 3.5 or "
                                      f"4 yrs), not '{_shown(t)}'.", "years")
    return check_years(float(m.group(1)), flag)


def level_years(table: Table, level: str) -> tuple[int, int]:
    """The years of experience a --level stands for: an experience level's own range from the table
    ([levels.*] min_years-max_years); a role (supervisor, manager, director) is a promotion above
    senior coder, so senior's range ([levels.senior]): at least its min_years."""
    lv = table.levels["senior" if level in ROLE_LEVELS else level]
    top = max(x.max_years for x in table.levels.values())
    return lv.min_years, MAX_YEARS if lv.max_years >= top else lv.max_years  # the top level has no ceiling


def years_text(lo: int, hi: int) -> str:
    """(0, 2) -> '0-2 years', (6, 50) -> '6 years or more'."""
    return f"{lo} years or more" if hi >= MAX_YEARS else f"{lo}-{hi} years"


def check_level_years(table: Table, level: str | None, years: float | None) -> None:
    """The one rule for --level with --years: the years must fall in the level's range (level_years), for
    experience levels and roles alike; otherwise a UsageError."""
    if level is None or years is None:
        return
    lo, hi = level_years(table, level)
    if not (lo <= years <= hi or (hi < MAX_YEARS and lo <= years < hi + 1)):  # whole years: entry 0-2 holds 2.5
        why = ": a role is a promotion above senior coder" if level in ROLE_LEVELS else ""
        raise UsageError("conflicting_options",
                         f"--years {_whole(years)} conflicts with --level {level} ({years_text(lo, hi)}{why}); give "
                         f"years in that range, or only one of the two.", "level")


def check_as_of(table: Table, as_of: int | None) -> int | None:
    if as_of is not None and not (table.wage_year - 10 <= as_of <= table.wage_year + 15):
        raise UsageError("bad_as_of", f"--as-of must be a year from {table.wage_year - 10} to {table.wage_year + 15}, "
                                      f"not {as_of}.", "as_of")
    return as_of


def resolve_factor(factors: dict[str, Factor], names: dict[str, str], value: str, what: str, flag: str) -> str:
    """A specialty or work setting by its key or one of its aliases: `names` is the table's map of them
    (Table.specialty_names, Table.setting_names, built once by the loader), matched as `name_key` does:
    'Physician Office', "doctor's office", 'Offices of Physicians' -> 'physician-office'."""
    v = _clean(value, what, flag)
    key = name_key(v)
    hit = names.get(key)
    if hit is not None:
        return hit
    if key in REMOTE_WORDS:
        raise UsageError(f"unknown_{what}", f"Remote work is not a {what}: use --remote (remote jobs are paid "
                                            f"nationally). Choose a {what} from: {', '.join(factors)}.", what)
    keys = {name_key(k): k for k in factors}
    near = _suggest(key, keys)  # a key first; else an alias, with its key
    aliases = {n: k for n, k in names.items() if n not in keys}
    alias = _suggest(key, aliases) if not near else []
    if near:
        hint = f" Did you mean {keys[near[0]]}?"
    elif alias:
        k = aliases[alias[0]]
        written = next(a for a in factors[k].aliases if name_key(a) == alias[0])
        hint = f" Did you mean {written} ({k})?"
    else:
        hint = ""
    raise UsageError(f"unknown_{what}", f"Unknown {what} '{_shown(v)}'.{hint} Choose from: {', '.join(factors)}.", what)


def build_query(
    table: Table,
    *,
    state: str | None = None,
    certs: Iterable[str] = (),
    years: float | None = None,
    level: str | None = None,
    specialty: str | None = None,
    setting: str | None = None,
    remote: bool = False,
    home: str | None = None,
    col: str = "all",
    as_of: int | None = None,
    area: str | None = None,
    zip: str | None = None,  # noqa: A002 (the option's name)
    territory: bool = False,
) -> Query:
    """Validate every input; the first bad one raises UsageError. `territory`: a territory's area (Puerto Rico's
    nonmetro area) is accepted as the place of work (estimate only: its published band, no price level)."""
    st, loc = resolve_work_place(table, state, area, zip, territory=territory)
    hm, home_loc = resolve_home(table, home)
    creds = resolve_credentials(table, certs)
    yrs = check_years(years)
    lvl = resolve_choice(level, LEVELS, "level", "--level") if level is not None else None
    check_level_years(table, lvl, yrs)
    spec = (resolve_factor(table.specialties, table.specialty_names, specialty, "specialty", "--specialty")
            if specialty is not None else "general")
    sett = resolve_factor(table.settings, table.setting_names, setting, "setting", "--setting") if setting is not None else "any"
    colb = resolve_choice(col, COL_BASES, "col", "--col")
    check_as_of(table, as_of)
    return Query(state=st, credentials=creds, years=yrs, level=lvl, specialty=spec, setting=sett,
                 remote=bool(remote), home=hm, col=colb, as_of=as_of, area=loc, home_area=home_loc,
                 notes=credential_notes(table, certs))


def resolve_work_place(table: Table, state: str | None, area: str | None, zip_code: str | None, *,
                       territory: bool = False) -> "tuple[str | None, Location | None]":
    """--state, --area and --zip -> (the state, the place). The state follows from a place; a --state beside a
    place that is not in it is a usage error. `territory`: a territory's area (Puerto Rico's) is accepted, with
    no state (None: it is not a state of the table)."""
    st = resolve_state(table, state) if state is not None else None
    if area is not None and zip_code is not None:
        raise UsageError("conflicting_options", "give --area or --zip, not both.", "area")
    if area is None and zip_code is None:
        return st, None
    from .places import resolve_area, resolve_zip

    loc = resolve_area(table, area, territory=territory) if area is not None else resolve_zip(table, str(zip_code))
    if loc.state not in table.states:  # a territory's area: its own wages, no state
        if st is not None:
            raise UsageError("conflicting_options", f"--state {st} does not match --area '{_shown(loc.typed)}' "
                                                    f"({loc.name}); drop --state.", "state")
        return None, loc
    return place_state(table, st, loc, "--zip" if zip_code is not None else "--area", "--state")


def place_state(table: Table, st: str | None, loc: "Location", flag: str,
                state_flag: str) -> "tuple[str | None, Location | None]":
    """(the state, the place) of a resolved place beside a state that may have been given: the state follows
    from the place; a state it is not in is a usage error (a metro across states takes the one given)."""
    if loc.kind == "state":
        if st is not None and st != loc.state:
            raise UsageError("conflicting_options", f"{state_flag} {st} does not match {flag} '{_shown(loc.typed)}' "
                                                    f"(in {loc.state}).", "state")
        return loc.state, loc if loc.zip is not None or loc.notes else None
    if st is not None and st != loc.state:
        states = _place_states(table, loc)
        if st not in states or loc.city is not None or loc.county is not None or loc.zip is not None:
            where = "/".join(states) if loc.city is None and loc.county is None else loc.state
            raise UsageError("conflicting_options", f"{state_flag} {st} does not match {flag} '{_shown(loc.typed)}' "
                                                    f"({loc.name}, in {where}); drop {state_flag} or change it.",
                             "state")
        loc = loc._replace(state=st)  # a metro across states, with the state of the job
    return loc.state, loc


def _place_states(table: Table, loc: "Location") -> tuple[str, ...]:
    from .places import load_places

    pl = load_places(table).get(loc.code)
    return pl.states if pl is not None else (loc.state,)


def resolve_home(table: Table, home: str | None) -> "tuple[str | None, Location | None]":
    """--home: a state (its code or name), else a place (a city, metro, county, nonmetro area or ZIP code)."""
    if home is None:
        return None, None
    try:
        return resolve_state(table, home, "--home"), None
    except UsageError as not_a_state:
        from .places import resolve_area, resolve_zip

        text = home.strip()
        try:
            loc = resolve_zip(table, text, "--home") if text.isdigit() and len(text) == 5 else resolve_area(
                table, text, "--home")
        except UsageError as exc:
            if exc.code in ("ambiguous_area", "uncovered_area"):
                raise
            raise not_a_state from None
        if loc.kind == "state" and not loc.notes:
            return loc.state, None
        return loc.state, loc


_shown = _money.shown  # a user value made safe to echo on one line (one rule, in money.py)


# --------------------------------------------------------------------------- take-home

MAX_SALARY = _money.MAX_SALARY  # a typo guard ("65000k"), not a pay figure
HOURLY_HINT_BELOW = _money.BARE_HOURLY_BELOW  # a bare amount under this is an hourly rate (money.bare_basis)


class Salary(NamedTuple):
    """A salary as typed, read as dollars a year: `24.50/h` is the hourly rate x the table's hours a year."""

    amount: float  # dollars a year, cents kept
    hourly: float | None = None  # the hourly rate typed (None: typed as a yearly amount)
    hours_per_year: int | None = None  # the hours a year it was multiplied by
    notes: tuple[str, ...] = ()  # what to tell the user: how an hourly rate was read; a yearly amount that looks hourly

    @property
    def dollars(self) -> int:
        """Whole dollars, halves up."""
        return int(self.amount + 0.5)


def parse_salary_text(text: str, what: str) -> tuple[float, bool]:
    """(amount, hourly) from what `money.read_money` reads: '65000', '65,000', '65k', '$65K', '58 k', '1.2m',
    '$65,000.50', '58,000/yr', '24.50/h', '27hr', '27 an hour'; cents kept; `hourly` only when the text says so
    (a bare amount's basis is `read_salary`'s business). Negative, malformed or too large: a UsageError naming `what`."""
    try:
        m = _money.read_money(text, what)
    except _money.MoneyError as e:
        raise UsageError(e.code, e.message, "salary") from None
    return float(m.amount), m.per == _money.HOUR


def parse_salary(text: str, what: str = "SALARY", hours_per_year: int | None = None) -> float:
    """A salary as typed -> dollars a year (cents kept). An hourly rate ('24.50/h') is multiplied by
    `hours_per_year` (without it, an hourly rate is a UsageError). Commands use `read_salary`, which
    takes the hours from the data table and says what it did."""
    amount, hourly = parse_salary_text(text, what)
    if not hourly:
        return amount
    if hours_per_year is None:
        raise UsageError("bad_salary", f"{what} {_shown(str(text).strip())} is an hourly rate; give a yearly amount here.",
                         "salary")
    yearly = round(amount * hours_per_year, 2)
    if yearly > MAX_SALARY:
        raise UsageError("bad_salary", f"{what} {_shown(str(text).strip())} is ${yearly:,.0f} a year "
                                       f"(x {hours_per_year:,} hours): at most ${MAX_SALARY:,}; check the number.", "salary")
    return yearly


def read_salary(table: Table, text: str, what: str = "SALARY", *, positive: bool = False, shell: bool = True) -> Salary:
    """The one reader of salaries (offer, take-home, compare --offer, batch and audit pay cells), in the
    grammar of `money.read_money`. An hourly rate ('24.50/h', '27 an hour') is multiplied by the table's
    [benefits] hours_per_year (BLS: annual wage = hourly x 2,080), said so in `notes`; an amount that says
    neither is read by `money.bare_basis` (under $1,000: an hourly rate), said so too. `positive` (a salary
    check): $0, or a yearly amount under $1,000, is a UsageError: never a verdict on $27 a year; an amount
    below every state's published p10 carries a warning (`money.low_pay_warning`; `shell`: the text came
    from a command line, where a `$` may have been eaten)."""
    t = str(text).strip()
    try:
        m = _money.read_money(t, what)
    except _money.MoneyError as e:
        raise UsageError(e.code, e.message, "salary") from None
    amount = float(m.amount)
    said = what if _shown(t) in what else f"{what} {_shown(t)}"  # "SALARY 24.50/h", "--offer CA:24.50/h"
    per = m.per or _money.bare_basis(m.amount)
    if per == _money.HOUR:
        hours = table.hours_per_year
        if hours is None:
            raise UsageError("bad_salary", f"{what} {_shown(t)}: this data table has no [benefits] hours_per_year to turn "
                                           f"an hourly rate into a yearly salary; give a yearly amount.", "salary")
        yearly = round(amount * hours, 2)
        if yearly > MAX_SALARY:
            raise UsageError("bad_salary", f"{what} {_shown(t)} is ${yearly:,.0f} a year (x {hours:,} hours): at most "
                                           f"${MAX_SALARY:,}; check the number.", "salary")
        src = table.sources[table.hours_source or table.work_days_source]
        how = ("is an hourly rate" if m.per else
               f"has no /h or /yr and is under ${HOURLY_HINT_BELOW:,}, so it is read as an hourly rate")
        salary = Salary(yearly, amount, hours, (f"{said} {how}: ${amount:,.2f} x {hours:,} hours = ${yearly:,.0f} a year "
                                                f"({src.publisher} {src.year or 'undated'}: annual wage = hourly x "
                                                f"{hours:,} hours).",))
    else:
        salary = Salary(amount)
    if positive and salary.dollars <= 0:
        raise UsageError("bad_salary", f"{what} must be more than $0, not '{_shown(t)}'.", "salary")
    if positive and salary.hourly is None and salary.amount < HOURLY_HINT_BELOW:
        raise UsageError("bad_salary", f"{what} '{_shown(t)}' is under ${HOURLY_HINT_BELOW:,} a year, which is not a "
                                       f"salary; for an hourly rate write {_shown(t).split('/')[0].strip()}/h.", "salary")
    if positive:
        floor, floor_what = pay_floor(table)
        low = _money.low_pay_warning(salary.amount, t, floor, floor_what, shell=shell)
        if low is not None:
            salary = salary._replace(notes=(*salary.notes, f"{what}: {low}"))
    return salary


def pay_floor(table: Table) -> tuple[float, str]:
    """The lowest published 10th percentile of any state, and whose it is ('Mississippi's'): below it,
    a yearly salary is almost surely a slip (`money.low_pay_warning`)."""
    st = min(table.states.values(), key=lambda s: s.wages.p10)
    return st.wages.p10, f"the lowest, {st.name}'s, is ${st.wages.p10:,.0f} in {table.wage_year}"


def parse_money(text: str, flag: str, *, allow_zero: bool = False) -> int:
    """A yearly dollar amount (not an hourly rate) in whole dollars (halves up), more than $0 unless `allow_zero`."""
    amount, hourly = parse_salary_text(text, flag)
    if hourly:
        raise UsageError("bad_salary", f"{flag} must be dollars a year, not an hourly rate ('{_shown(str(text).strip())}').",
                         "salary")
    dollars = int(amount + 0.5)
    if dollars <= 0 and not (allow_zero and dollars == 0):
        raise UsageError("bad_salary", f"{flag} must be more than $0, not '{_shown(str(text).strip())}'.", "salary")
    return dollars


class TakeHomeQuery(NamedTuple):
    """A normalized take-home question: salary, where the person lives, whose prices to compare with."""

    salary: float  # dollars a year, cents kept
    state: str | None = None
    home: str | None = None
    col: str = "all"
    notes: tuple[str, ...] = ()  # how the salary was read (an hourly rate; an amount that looks hourly)
    area: "Location | None" = None  # --area / --zip: where the job is (`state` is its state)
    home_area: "Location | None" = None  # --home given as a place

    def as_dict(self) -> dict[str, object]:
        cents = int(round(self.salary * 100))
        return {"salary": (cents + 50) // 100, "salary_cents": cents, "state": self.state, "home": self.home,
                "col": self.col, **place_codes(self.area, self.home_area)}

    @property
    def work_place(self) -> str | None:
        """Where the salary is earned and spent unless --home says otherwise, as a price-level code."""
        return place_code(self.area, self.state)

    @property
    def home_place(self) -> str | None:
        return place_code(self.home_area, self.home)


def build_take_home_query(table: Table, *, salary: str, state: str | None = None, home: str | None = None,
                          col: str = "all", area: str | None = None,
                          zip: str | None = None) -> TakeHomeQuery:  # noqa: A002 (the option's name)
    """Validate the inputs of `take-home`; the first bad one raises UsageError."""
    pay = read_salary(table, salary)
    st, loc = resolve_work_place(table, state, area, zip)
    hm, home_loc = resolve_home(table, home)
    return TakeHomeQuery(pay.amount, st, hm, resolve_choice(col, COL_BASES, "col", "--col"), pay.notes, loc, home_loc)


# --------------------------------------------------------------------------- decision commands' values
# Salaries, offers, rates and the other values typed to `states`, `compare`, `certs`, `career`
# and `offer`. Each parser returns a plain value or raises UsageError naming the flag.

OUTPUT_FORMATS = ("table", "json", "csv")
STATE_SORTS = ("pay", "adjusted", "price", "name")
MAX_SPAN = 50  # career projection length, years


class Offer(NamedTuple):
    """A job offer: where it is and its yearly salary."""

    state: str
    salary: int
    text: str  # as typed, for messages
    notes: tuple[str, ...] = ()  # how the salary was read (see read_salary)
    area: "Location | None" = None  # PLACE:SALARY: the place (`state` is its state)
    setting: str | None = None  # the offer's own work setting (None: the profile's --setting)
    remote: bool | None = None  # the offer is a remote job (None: the profile's --remote)

    @property
    def where(self) -> "str | Location":
        """What compare_offers takes: the place, else the state code."""
        return self.area if self.area is not None else self.state


def parse_offer(table: Table, text: str, flag: str = "--offer") -> Offer:
    """'CA:65000', 'New York:65k' -> Offer('NY', 65000); a place: 'Seattle:60k', 'Austin, TX:58000' (a city,
    metro, county, nonmetro area or ZIP). The salary follows the place; after it, an offer may carry its own work
    setting and remote flag: 'OH:58000:insurance:remote', 'TX:27/h:hospital' (each optional, any order)."""
    t = str(text).strip()
    parts = t.split(":")
    setting: str | None = None
    remote: bool | None = None
    while len(parts) > 2:  # trailing words: remote, or a work setting
        word = parts[-1].strip()
        if name_key(word) in REMOTE_WORDS and remote is None:
            remote = True
        elif setting is None:
            setting = resolve_factor(table.settings, table.setting_names, word, "setting", f"{flag} {_shown(t)}")
        else:
            break
        parts.pop()
    where, sep, amount = ":".join(parts).rpartition(":")
    if not sep or not where.strip() or not amount.strip():
        raise UsageError("bad_offer", f"{flag} '{_shown(t)}' must be PLACE:SALARY[:SETTING][:remote] (a state, city, "
                                      "metro or ZIP), for example CA:65000, Seattle:60000 or OH:58000:insurance:remote.",
                         "offer")
    try:
        code, loc = resolve_state(table, where, flag), None
    except UsageError as not_a_state:
        from .places import resolve_area, resolve_zip

        w = where.strip()
        try:
            loc = resolve_zip(table, w, flag) if w.isdigit() and len(w) == 5 else resolve_area(table, w, flag)
        except UsageError as exc:
            if exc.code in ("ambiguous_area", "uncovered_area"):
                raise
            raise not_a_state from None
        code = loc.state
        if loc.kind == "state" and not loc.notes:
            loc = None
    pay = read_salary(table, amount, f"{flag} {_shown(t)}", positive=True)
    return Offer(code, pay.dollars, t, pay.notes, loc, setting, remote)


def parse_rate(text: str, flag: str, *, lo: float = -0.5, hi: float = 0.5) -> float:
    """A yearly rate typed as a decimal (0.03) or a percent (3%, 3.5 %) -> 0.03."""
    t = str(text).strip()
    m = re.fullmatch(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(%?)", t)
    if not m:
        raise UsageError("bad_rate", f"{flag} must be a rate such as 0.03 or 3%, not '{_shown(t)}'.", "rate")
    value = float(m.group(1))
    if m.group(2):
        value /= 100
    elif abs(value) >= 1:
        raise UsageError("bad_rate", f"{flag} {t} is ambiguous: write {t}% for a percent or a decimal such as 0.03.",
                         "rate")
    if not lo <= value <= hi:
        raise UsageError("bad_rate", f"{flag} must be from {lo:.0%} to {hi:.0%}, not {value:.2%}.", "rate")
    return value


def parse_percent(text: str, flag: str, *, hi: float = 100.0) -> float:
    """A percent of salary: '4', '4%', '4.5' -> 4.0 (percent points); 0 to `hi`."""
    t = str(text).strip()
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)\s*%?", t)
    if not m:
        what = "negative" if t.startswith("-") else "not a percent"
        raise UsageError("bad_percent", f"{flag} must be a percent from 0 to {hi:g} (such as 4 or 4%), not '{_shown(t)}' "
                                        f"({what}).", "percent")
    value = float(m.group(1))
    if value > hi:
        raise UsageError("bad_percent", f"{flag} must be from 0 to {hi:g} percent, not {value:g}.", "percent")
    return value


def check_count(value: int | None, flag: str, *, lo: int = 1, hi: int | None = None) -> int | None:
    """A whole number option (--top, --pto, --span in career) within its range."""
    if value is None:
        return None
    if value < lo or (hi is not None and value > hi):
        rng = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
        raise UsageError("bad_number", f"{flag} must be {rng}, not {value}.", flag.lstrip("-"))
    return value


class CareerSpan(NamedTuple):
    """What `career` projects: from `start` years of experience, over `span` years."""

    start: int
    span: int
    notes: tuple[str, ...] = ()  # a warning when the old spelling was read the old way


DEFAULT_SPAN = 10  # career projection length when none is given, years


def career_span(table: Table, *, years: int | None = None, experience: int | None = None, span: int | None = None,
                until: int | None = None, as_of: int | None = None) -> CareerSpan:
    """The options of `career`. `--years` is years of experience, as in every command; `--experience`
    is the same option under its older name; `--span N` or `--until YEAR` is the projection length.

    The old spelling (`--years` was the length, `--experience` the start) is read the old way,
    with a warning, only where it is unambiguous: `--years` and `--experience` both given without
    `--span` or `--until`. Alone, `--years N` is experience."""
    notes: list[str] = []
    if years is not None and experience is not None and span is None and until is None:
        notes.append(f"career --years is now experience; use --span N for the projection length (read as "
                     f"--years {experience} --span {years}, the old meaning, this time).")
        years, experience, span = experience, None, years
    if years is not None and experience is not None and years != experience:
        raise UsageError("conflicting_options", f"--experience is another name for --years (years of experience); "
                                                f"got --years {years} and --experience {experience}: give one.", "years")
    start = years if years is not None else experience
    flag = "--years" if years is not None else "--experience"
    start = check_count(start, flag, lo=0, hi=MAX_YEARS) or 0
    if span is not None and until is not None:
        raise UsageError("conflicting_options", "--span conflicts with --until; give one of them.", "span")
    if until is not None:
        from .vintage import current_year

        first = as_of if as_of is not None else max(current_year(), table.wage_year)
        if not first < until <= first + MAX_SPAN:
            raise UsageError("bad_number", f"--until must be a year from {first + 1} to {first + MAX_SPAN} (the projection "
                                           f"starts in {first}), not {until}.", "until")
        span, flag = until - first, "--until"
    else:
        n = check_count(span, "--span", lo=1, hi=MAX_SPAN)
        # by default 10 years, fewer when experience would pass the 50-year ceiling
        span, flag = (max(1, min(DEFAULT_SPAN, MAX_YEARS - start)) if n is None else n), "--span"
    if start + span > MAX_YEARS:
        raise UsageError("bad_number", f"{years_flag(years, experience)} {start} plus {span} years of projection passes "
                                       f"{MAX_YEARS} years of experience; project at most {MAX_YEARS - start} years "
                                       f"({flag}).", "span")
    return CareerSpan(start, span, tuple(notes))


def years_flag(years: int | None, experience: int | None) -> str:
    return "--experience" if years is None and experience is not None else "--years"


def resolve_format(fmt: str | None, json_flag: bool) -> str:
    """--format table|json|csv and --json (= --format json); asking for two formats is an error."""
    chosen = resolve_choice(fmt, OUTPUT_FORMATS, "format", "--format") if fmt is not None else None
    if json_flag and chosen not in (None, "json"):
        raise UsageError("conflicting_options", f"--json conflicts with --format {chosen}; give one of them.", "format")
    return "json" if json_flag else (chosen or "table")


def parse_add_cert(table: Table, text: str, span: int, held: Iterable[str] = ()) -> tuple[str, int]:
    """'CPC@3' -> ('CPC', 3): a credential added from projection year 3 on (0 to `span`)."""
    t = str(text).strip()
    code_text, sep, year_text = t.partition("@")
    if not sep or not re.fullmatch(r"\s*\d{1,3}\s*", year_text) or not code_text.strip():
        raise UsageError("bad_add_cert", f"--add-cert '{_shown(t)}' must be CODE@YEAR, for example CPC@2.", "add_cert")
    codes = resolve_credentials(table, [code_text])
    if len(codes) != 1:
        raise UsageError("bad_add_cert", f"--add-cert '{_shown(t)}' names one credential per option.", "add_cert")
    year = int(year_text)
    if year > span:
        raise UsageError("bad_add_cert", f"--add-cert {codes[0]}@{year}: the year must be from 0 to {span} "
                                         f"(the projection length).", "add_cert")
    if codes[0] in set(held):
        raise UsageError("bad_add_cert", f"--add-cert {codes[0]}: already held (given with --cert or another --add-cert).",
                         "add_cert")
    return codes[0], year


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
