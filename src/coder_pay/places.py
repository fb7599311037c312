"""Places: metropolitan and nonmetropolitan areas, what a person types for one, and their wages and prices.

The figures live in `places.toml` beside the data table (the packaged one when the table has no such
file): BLS May 2024 wages of metros (p25 / median / p75) and nonmetro areas (p10-p90), BEA 2024 price
parities of metros, and the index a typed place is resolved with (OMB 2023 principal cities and
counties). ZIP codes live in `zips.tsv.gz`, read only when a ZIP is asked for. Both are read on first
use, so a command about a state never pays for them. Pure: no printing, no Typer or Rich.

A resolved place is a `Location` (what was typed, the place it is priced as, its state, city and county
where known); the figures of a place are a `Place`. Kept whole as one piece: loading, the name index,
resolving and pricing all work on the one `Places` record, and each part is short.
"""

import math
import re
from pathlib import Path
from typing import Any, NamedTuple

from .query import UsageError
from .table import Distribution, Problem, Table, TableError

PLACES_FILE = "places.toml"
ZIPS_FILE = "zips.tsv.gz"
KINDS = ("metro", "nonmetro", "state", "national")


class Place(NamedTuple):
    """A metropolitan or nonmetropolitan area's figures. `wages`: its distribution (a metro's p10 / p90 derived
    from its state's shape: `tails_derived`), None where the sources publish none (its state's wages apply)."""

    code: str
    kind: str  # metro | nonmetro
    name: str
    states: tuple[str, ...]  # the principal state first
    wages: Distribution | None
    tails_derived: bool
    employment: int | None
    mean: int | None
    wage_source: str | None
    rpp_all: float | None  # None: BEA publishes no parity for it (its state's applies)
    rpp_housing: float | None
    price_source: str | None
    counties_known: bool = True
    territory: str | None = None  # "Puerto Rico": not a state of the table; its published wages only (no prices, no tax)

    @property
    def state(self) -> str:
        return self.states[0]

    @property
    def short_name(self) -> str:
        """"Eastern Wyoming" for "Eastern Wyoming nonmetropolitan area"; a metro's title as it is."""
        return self.name.removesuffix(" nonmetropolitan area")


class Location(NamedTuple):
    """What a typed place (--area, --zip, --home, a batch cell) resolved to."""

    code: str  # the place it is priced as: a CBSA code, a BLS nonmetro area code, or a state code
    kind: str  # metro | nonmetro | state
    name: str  # that place's name
    state: str  # the state the typed place is in
    typed: str  # as typed
    city: str | None = None  # a principal city or a ZIP's USPS city
    county: str | None = None  # 5-digit county FIPS where known
    zip: str | None = None
    notes: tuple[str, ...] = ()  # how it was resolved where a person should know (a straddling ZIP, a fallback)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "kind": self.kind, "name": self.name, "state": self.state, "typed": self.typed,
                "city": self.city, "county": self.county, "zip": self.zip}


class Thresholds(NamedTuple):
    min_employment: int
    min_quartile_spread: float
    source: str
    basis: str


class Name(NamedTuple):
    """One way to name a place in the index."""

    label: str  # as shown in a list of choices: "Portland, OR"
    code: str  # the place it resolves to (CBSA, nonmetro code, state)
    state: str  # the state it names
    states: tuple[str, ...]  # states it matches a typed state against
    city: str | None = None
    county: str | None = None
    rank: int = 0  # the order of choices: employment of the place it resolves to


class Places(NamedTuple):
    path: str
    metros: dict[str, Place]
    nonmetro: dict[str, Place]
    names: dict[str, tuple[Name, ...]]  # place_words key -> the places it may name
    thresholds: Thresholds
    tails_source: str
    tails_basis: str
    nonmetro_price_source: str
    nonmetro_price_basis: str
    index_sources: tuple[str, ...]
    counties: dict[str, tuple[tuple[str, str], ...]] = {}  # place code -> (county FIPS, state) of its counties

    def get(self, code: str) -> Place | None:
        return self.metros.get(code) or self.nonmetro.get(code)

    def all(self) -> list[Place]:
        return [*self.metros.values(), *self.nonmetro.values()]


# --------------------------------------------------------------------------- names as they are matched

_WORD = re.compile(r"[a-z0-9]+")
_SAME_WORD = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt", "cnty": "county", "twp": "township"}


def place_words(text: str) -> tuple[str, ...]:
    """A place name as it is matched: lower case, punctuation dropped, 'Saint' read as 'St.', 'Fort' as 'Ft.',
    'Mount' as 'Mt.'. "St. Paul, MN" and "saint paul mn" give the same words."""
    t = text.lower().replace("\u00f1", "n").replace("'", "").replace("\u2019", "")
    return tuple(_SAME_WORD.get(w, w) for w in _WORD.findall(t))


def _key(text: str) -> str:
    return " ".join(place_words(text))


# --------------------------------------------------------------------------- loading

_LOADED: dict[tuple[str, str], Places] = {}


_PATHS: dict[str, Path] = {}


def places_path(table: Table) -> Path:
    """places.toml beside the table, else the packaged one (a source checkout: data/); looked up once a table."""
    got = _PATHS.get(table.path)
    if got is None:
        beside = Path(table.path).with_name(PLACES_FILE)
        packaged = Path(__file__).with_name("data") / PLACES_FILE
        got = _PATHS[table.path] = beside if beside.is_file() else packaged if packaged.is_file() else (
            Path(__file__).resolve().parents[2] / "data" / PLACES_FILE)
    return got


def load_places(table: Table) -> Places:
    """The places for `table`, read and checked on first use (TableError if the file is missing or invalid)."""
    got = _LOADED.get((table.path, ""))
    if got is not None:
        return got
    path = places_path(table)
    memo = (table.path, str(path))
    got = _LOADED.get(memo)
    if got is None:
        from .table import _decode, _read_bytes, _toml_loads
        from .table_cache import _built_places, _parse_cached, _remember_places

        raw = _read_bytes(path)
        got = _built_places(table, path, raw)  # built before for this table and these bytes (start-up)
        if got is None:
            cached = _parse_cached(path, raw)
            if cached is not None:
                doc = cached[0]
            else:
                try:
                    doc = _toml_loads(_decode(path, raw))
                except ValueError as exc:
                    raise TableError(str(path), [Problem("", f"not valid TOML: {exc}")]) from None
            problems: list[Problem] = []
            got = _read_places(doc, table, str(path), problems)
            if problems:
                raise TableError(str(path), problems)
            _remember_places(table, path, raw, doc, got)
        _LOADED[memo] = _LOADED[(table.path, "")] = got
    return got


class _Check:
    """Reads values of the places file, collecting problems (key path and message)."""

    def __init__(self, problems: list[Problem], sources: dict[str, Any]):
        self.problems = problems
        self.sources = sources

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    def table(self, d: Any, key: str, path: str) -> dict[str, Any]:
        v = d.get(key) if isinstance(d, dict) else None
        if not isinstance(v, dict):
            self.fail(f"{path}{key}", "missing table" if v is None else "must be a table")
            return {}
        return v

    def number(self, d: dict[str, Any], key: str, path: str, *, required: bool = True, integer: bool = False,
               hi: float | None = None) -> float | None:
        if key not in d:
            if required:
                self.fail(f"{path}.{key}", "missing")
            return None
        v = d[key]
        ok = type(v) is int or (type(v) is float and not integer and math.isfinite(v))
        if not ok or v <= 0 or (hi is not None and v > hi):
            what = "a whole number" if integer else "a number"
            self.fail(f"{path}.{key}", f"must be {what} above 0{f' and at most {hi:g}' if hi is not None else ''}, "
                                       f"not {v!r}")
            return None
        return v  # type: ignore[no-any-return]

    def text(self, d: dict[str, Any], key: str, path: str) -> str:
        v = d.get(key)
        if not isinstance(v, str) or not v.strip():
            self.fail(f"{path}.{key}", "missing" if v is None else "must be non-empty text")
            return ""
        return v

    def source(self, d: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        if key not in d and not required:
            return None
        v = self.text(d, key, path)
        if v and v not in self.sources:
            self.fail(f"{path}.{key}", f"names no [sources.{v}] in the data table")
        return v or None


def _read_places(doc: dict[str, Any], table: Table, path: str, problems: list[Problem]) -> Places:
    c = _Check(problems, table.sources)
    if doc.get("format") != 1:
        c.fail("format", f"must be 1, not {doc.get('format')!r}")
    meta = c.table(doc, "meta", "")
    for k, want in (("wage_year", table.wage_year), ("price_year", table.price_year)):
        if meta and meta.get(k) != want:
            c.fail(f"meta.{k}", f"must be the data table's {k} ({want}), not {meta.get(k)!r}: figures of different "
                                f"years are never mixed")
    tails = c.table(doc, "tails", "")
    th = c.table(doc, "thresholds", "")
    thresholds = Thresholds(int(c.number(th, "min_employment", "thresholds", integer=True) or 0),
                            float(c.number(th, "min_quartile_spread", "thresholds", hi=1) or 0.0),
                            c.source(th, "source", "thresholds") or "", str(th.get("basis", "")))
    nmp = c.table(doc, "nonmetro_prices", "")
    if nmp and nmp.get("use") != "state":
        c.fail("nonmetro_prices.use", f"must be \"state\" (the only parity the sources give by state), not {nmp.get('use')!r}")

    metros: dict[str, Place] = {}
    for code, m in c.table(doc, "metros", "").items():
        mp = f"metros.{code}"
        if not re.fullmatch(r"\d{5}", code) or not isinstance(m, dict):
            c.fail(mp, "keys must be 5-digit CBSA codes holding a table")
            continue
        states = m.get("states")
        if not isinstance(states, list) or not states or any(s not in table.states for s in states):
            c.fail(f"{mp}.states", f"must list the metro's states, each a state of the data table, not {states!r}")
            continue
        has_wages = any(k in m for k in ("p25", "p50", "p75", "employment", "mean", "wage_source"))
        wages, emp, mean, wsrc = None, None, None, None
        if has_wages:
            q = [c.number(m, k, mp, integer=True) for k in ("p25", "p50", "p75")]
            emp = c.number(m, "employment", mp, integer=True)
            mean = c.number(m, "mean", mp, integer=True)
            wsrc = c.source(m, "wage_source", mp)
            if None not in q:
                p25, p50, p75 = (float(x or 0) for x in q)
                if not p25 <= p50 <= p75 or p25 == p75:
                    c.fail(f"{mp}.p50", f"percentiles must rise: p25 {p25:g} <= p50 {p50:g} <= p75 {p75:g}, p25 < p75")
                else:
                    sw = table.states[states[0]].wages
                    wages = Distribution(p25 * sw.p10 / sw.p25, p25, p50, p75, p75 * sw.p90 / sw.p75)
        rall = c.number(m, "rpp_all", mp, required=False, hi=300)
        rhouse = c.number(m, "rpp_housing", mp, required=False, hi=500)
        psrc = c.source(m, "price_source", mp, required=rall is not None)
        metros[code] = Place(code, "metro", c.text(m, "name", mp), tuple(states), wages, True,
                             None if emp is None else int(emp), None if mean is None else int(mean), wsrc,
                             rall, rhouse, psrc)

    nonmetro: dict[str, Place] = {}
    for code, n in c.table(doc, "nonmetro", "").items():
        np_ = f"nonmetro.{code}"
        if not re.fullmatch(r"\d{7}", code) or not isinstance(n, dict):
            c.fail(np_, "keys must be 7-digit BLS area codes holding a table")
            continue
        st = n.get("state")
        territory = n.get("territory")
        if territory is not None and (not isinstance(territory, str) or not territory or st in table.states):
            c.fail(f"{np_}.territory", f"must name the territory of a state code outside the data table, not {territory!r}")
            continue
        if st not in table.states and territory is None:
            c.fail(f"{np_}.state", f"must be a state of the data table (or carry `territory`), not {st!r}")
            continue
        pts = [c.number(n, f"p{p}", np_, integer=True) for p in (10, 25, 50, 75, 90)]
        dist = None
        if None not in pts:
            dist = Distribution(*(float(x or 0) for x in pts))
            if not all(a <= b for a, b in zip(dist, dist[1:])) or dist.p10 == dist.p90:
                c.fail(f"{np_}.p50", "percentiles must rise from p10 to p90 (BLS publishes ties)")
                dist = None
        emp = c.number(n, "employment", np_, integer=True)
        mean = c.number(n, "mean", np_, integer=True)
        known = n.get("counties_known", True)
        nonmetro[code] = Place(code, "nonmetro", c.text(n, "name", np_), (str(st),), dist, False,
                               None if emp is None else int(emp), None if mean is None else int(mean),
                               c.source(n, "wage_source", np_), None, None, None, known is not False, territory)

    # the whole market must read the published quartiles exactly (see model.place_profile)
    b = table.bounds
    for pl in [*metros.values(), *nonmetro.values()]:
        if pl.wages is not None and b.high_cap > 0:
            room = math.log(b.high_cap * pl.wages.p90 / pl.wages.p50)
            if math.log(pl.wages.p75 / pl.wages.p50) > b.band_knee * room:
                c.fail(f"{pl.kind}.{pl.code}", "its published p75 would be moved by the data table's bounds.band_knee")

    idx = c.table(doc, "index", "")
    index_sources = tuple(s for s in idx.get("sources", ()) if isinstance(s, str))
    for s in index_sources:
        if s not in table.sources:
            c.fail("index.sources", f"names no [sources.{s}] in the data table: {s!r}")
    places = Places(path, metros, nonmetro, {}, thresholds, c.source(tails, "source", "tails") or "",
                    str(tails.get("basis", "")), c.source(nmp, "source", "nonmetro_prices") or "",
                    str(nmp.get("basis", "")), index_sources, {})
    _index(places, idx, table, c)
    return places


def _rank(places: Places, code: str) -> int:
    pl = places.get(code)
    return (pl.employment or 0) if pl is not None else -1


def _index(places: Places, idx: dict[str, Any], table: Table, c: _Check) -> None:
    names: dict[str, list[Name]] = {}

    def add(text: str, name: Name) -> None:
        k = _key(text)
        if k:
            names.setdefault(k, []).append(name)

    for pl in places.metros.values():
        r = _rank(places, pl.code)
        label = pl.name
        add(pl.name, Name(label, pl.code, pl.state, pl.states, rank=r))
        add(pl.name.rsplit(", ", 1)[0], Name(label, pl.code, pl.state, pl.states, rank=r))
    for pl in places.nonmetro.values():
        r = _rank(places, pl.code)
        # a territory's short name is the territory itself (its metros are not covered): not this area's name
        for text in (pl.name, pl.short_name + " nonmetro") if pl.territory else (pl.name, pl.short_name,
                                                                                pl.short_name + " nonmetro"):
            add(text, Name(pl.name, pl.code, pl.state, pl.states, rank=r))
    for i, entry in enumerate(idx.get("cities", ())):
        parts = entry.split("|") if isinstance(entry, str) else []
        if len(parts) < 4 or parts[1] not in table.states:
            c.fail(f"index.cities[{i}]", f"must be \"name|ST|place|county[|other names]\", not {entry!r}")
            continue
        city, st, code, county = parts[:4]
        if places.get(code) is None and code not in table.states:
            c.fail(f"index.cities[{i}]", f"{city}, {st}: names no place {code!r}")
            continue
        nm = Name(f"{city}, {st}", code, st, (st,), city, county or None, _rank(places, code))
        for text in (city, *(parts[4].split(";") if len(parts) > 4 and parts[4] else ())):
            add(text, nm)
    by_place: dict[str, list[tuple[str, str]]] = {}
    for i, entry in enumerate(idx.get("counties", ())):
        parts = entry.split("|") if isinstance(entry, str) else []
        if len(parts) != 4 or parts[2] not in table.states:
            c.fail(f"index.counties[{i}]", f"must be \"fips|name|ST|place\", not {entry!r}")
            continue
        fips, county, st, code = parts
        if places.get(code) is None and code not in table.states:
            c.fail(f"index.counties[{i}]", f"{county}, {st}: names no place {code!r}")
            continue
        nm = Name(f"{county}, {st}", code, st, (st,), None, fips, _rank(places, code))
        by_place.setdefault(code, []).append((fips, st))
        add(county, nm)
        if county.endswith(" County"):
            add(county.removesuffix("County") + "Co", nm)  # "Travis Co., TX"
    places.names.update({k: tuple(v) for k, v in names.items()})
    places.counties.update({k: tuple(v) for k, v in by_place.items()})


def check_places(table: Table) -> list[Problem]:
    """Every problem of the places file for `table` (empty: valid), read afresh."""
    _PATHS.pop(table.path, None)
    _LOADED.pop((table.path, ""), None)
    _LOADED.pop((table.path, str(places_path(table))), None)
    try:
        pl = load_places(table)
    except TableError as exc:
        return exc.problems
    problems = []
    for p in pl.all():  # every place's own name resolves back to it
        try:
            loc = resolve_area(table, p.code, territory=True)
            back = resolve_area(table, p.name, territory=True)
        except UsageError as exc:
            problems.append(Problem(f"{p.kind}.{p.code}", f"its name does not resolve: {exc.message}"))
            continue
        if loc.code != p.code or back.code != p.code:
            problems.append(Problem(f"{p.kind}.{p.code}", f"its name {p.name!r} resolves to {back.code}"))
        if p.kind == "metro" and p.wages is not None and p.rpp_all is None:
            problems.append(Problem(f"metros.{p.code}", "has BLS wages but no BEA parity (rpp_all): its prices would "
                                                        "silently be its state's"))
    return problems


# --------------------------------------------------------------------------- the figures of a place


def place_of(table: Table, code: str) -> Place:
    """The figures of a metro or nonmetro area by its code (KeyError if there is none)."""
    pl = load_places(table).get(code)
    if pl is None:
        raise KeyError(code)
    return pl


def price_level(table: Table, code: str, basis: str) -> float:
    """A place's price level (US = 100): a metro's own parity; a nonmetro area's, or a metro's without one, its
    state's (a metro without a housing parity: its state's housing parity)."""
    if len(code) == 2:
        return table.states[code].price_level(basis)
    pl = place_of(table, code)
    own = pl.rpp_housing if basis == "housing" else pl.rpp_all
    if own is None and pl.territory is not None:
        raise KeyError(f"{pl.name}: no price parity is published for {pl.territory}")  # never priced (model._col_use)
    return own if own is not None else table.states[pl.state].price_level(basis)


def unpriced_note(pl: Place) -> str:
    """What an answer about a territory's area says instead of an adjusted figure and a take-home."""
    return (f"{pl.name}: BEA publishes no price parity for {pl.territory}, so no cost-of-living adjusted figure is "
            f"given; take-home is not available ({pl.territory}'s income tax is not in the sources).")


def price_source(table: Table, code: str, basis: str = "all") -> str:
    if len(code) == 2:
        return table.states[code].price_source
    pl = place_of(table, code)
    own = pl.rpp_housing if basis == "housing" else pl.rpp_all
    if own is not None and pl.price_source:
        return pl.price_source
    if pl.territory is not None:
        return ""
    return table.states[pl.state].price_source


def price_note(table: Table, code: str, basis: str = "all") -> str:
    """How a place is priced, where it is not by its own parity ('' where it is)."""
    if len(code) == 2:
        return ""
    pl = place_of(table, code)
    if pl.territory is not None:
        return unpriced_note(pl)
    st = table.states[pl.state]
    if pl.kind == "nonmetro":
        return (f"Prices in {pl.short_name}: BEA publishes no parity for a nonmetro area; {st.name}'s "
                f"{table.price_year} parity is used (it includes the state's metros).")
    own = pl.rpp_housing if basis == "housing" else pl.rpp_all
    if own is None:
        what = "housing parity" if basis == "housing" and pl.rpp_all is not None else "parity"
        return f"Prices in {pl.name}: BEA publishes no {what} for it in the sources; {st.name}'s is used."
    return ""


def place_name(table: Table, code: str | None) -> str:
    if code is None:
        return "US average"
    if len(code) == 2:
        return table.states[code].name
    return place_of(table, code).name


def place_flags(table: Table, code: str) -> tuple[tuple[str, str], ...]:
    """(code, message) for a place whose published wages rest on a small sample or look odd, by the thresholds
    of places.toml."""
    pls = load_places(table)
    pl = pls.get(code)
    if pl is None or pl.wages is None:
        return ()
    th = pls.thresholds
    out = []
    if pl.employment is not None and pl.employment < th.min_employment:
        out.append(("thin_data", f"Wages in {pl.name}: BLS counts only {pl.employment:,} coders there (under "
                                 f"{th.min_employment:,}); treat the figures as approximate."))
    w = pl.wages
    odd = []
    if (w.p75 - w.p25) / w.p50 < th.min_quartile_spread:
        odd.append(f"p25 ${w.p25:,.0f} is close to p75 ${w.p75:,.0f}")
    pts = w.points()[1:4] if pl.tails_derived else w.points()  # derived tails are not published figures
    odd += [f"p{a} and p{b} are both ${va:,.0f}" for (a, va), (b, vb) in zip(pts, pts[1:]) if va == vb]
    if pl.mean is not None and w.p50 > pl.mean:
        odd.append(f"the median ${w.p50:,.0f} is above the mean ${pl.mean:,}")
    if odd:
        out.append(("odd_data", f"Wages in {pl.name}: as published, {' and '.join(odd)}; treat the band with care."))
    return tuple(out)


# --------------------------------------------------------------------------- resolving what was typed

_STATE_WORDS: dict[str, str] = {}


def _state_of(table: Table, words: tuple[str, ...]) -> str | None:
    if not _STATE_WORDS:
        for code, st in table.states.items():
            _STATE_WORDS[code.lower()] = code
            _STATE_WORDS[_key(st.name)] = code
            for a in st.aliases:
                _STATE_WORDS.setdefault(_key(a), code)
    k = " ".join(words)
    return _STATE_WORDS.get(k) if k else None


def _shown(v: str) -> str:
    s = "".join(ch if ch.isprintable() else "?" for ch in v.strip())
    return s if len(s) <= 60 else s[:57] + "…"


def _location(table: Table, places: Places, name: Name, typed: str) -> Location:
    notes: list[str] = []
    if len(name.code) == 2:
        kind, pname = "state", table.states[name.code].name
        notes.append(f"{name.label}: its nonmetro area cannot be known from the sources (BLS redrew it after May 2021 "
                     f"or it lies outside any area); priced at {pname}'s wages and prices.")
    else:
        pl = places.get(name.code)
        assert pl is not None
        kind, pname = pl.kind, pl.name
    return Location(name.code, kind, pname, name.state, typed, name.city, name.county, None, tuple(notes))


def resolve_area(table: Table, text: str, flag: str = "--area", *, territory: bool = False) -> Location:
    """What a person typed for a place -> its Location. A CBSA code, a BLS nonmetro area code, a metro title, a
    nonmetro area's name, a principal city or a county, each with or without its state ("Seattle",
    "seattle, wa", "St. Paul, MN", "Saint Louis", "Austin TX", "Travis County, TX"). UsageError: ambiguous
    (the choices, with their states), unknown (a did-you-mean), or not covered: a territory's area (Puerto Rico's)
    only where `territory` (estimate: its published band, with no adjusted or after-tax figure)."""
    loc = _resolve_area(table, text, flag)
    pl = load_places(table).get(loc.code) if loc.kind == "nonmetro" else None
    if pl is not None and pl.territory is not None and not territory:
        raise UsageError("uncovered_area", territory_refusal(pl, flag), "area")
    return loc


def territory_refusal(pl: Place, flag: str = "--area") -> str:
    """The one line that refuses a territory's area where a price level or a tax is needed."""
    return (f"{flag}: {pl.name} is in {pl.territory}: coder-pay gives only its published wage band there "
            f"(coder-pay estimate --area {pl.code}, without --after-tax); BEA publishes no price parity for "
            f"{pl.territory} and its income tax is not in the sources.")


def _resolve_area(table: Table, text: str, flag: str) -> Location:
    places = load_places(table)
    typed = text.strip()
    shown = _shown(typed)
    if not typed:
        raise UsageError("unknown_area", f"{flag} needs a place: a city, metro, county or nonmetro area.", "area")
    compact = typed.replace(" ", "")
    if compact.isdigit():
        pl = places.get(compact)
        if pl is not None:
            return Location(pl.code, pl.kind, pl.name, pl.state, typed)
        hint = " For a ZIP code use --zip." if len(compact) == 5 else ""
        raise UsageError("unknown_area", f"Unknown {flag} code '{shown}': not a metro (CBSA) code or a BLS nonmetro "
                                         f"area code in the table.{hint}", "area")
    words = place_words(typed)
    found, st_typed = _match(table, places, words)
    if not found and words and words[-1] == "city":  # "New York City"
        found, st_typed = _match(table, places, words[:-1])
    uniq: dict[tuple[str, str], Name] = {}
    for n in sorted(found, key=lambda n: (-n.rank, n.city is None, n.county is None)):  # a city's name first
        uniq.setdefault((n.code, n.state), n)
    metros = [n for n in uniq.values() if len(n.code) == 5]
    if len(uniq) > 1 and len(metros) == 1 and st_typed is None:  # "Austin": the metro, not Austin, MN (a small town)
        others = "; ".join(n.label for n in uniq.values() if n is not metros[0])
        loc = _location(table, places, metros[0], typed)
        return loc._replace(notes=(*loc.notes, f"'{shown}' read as {metros[0].label}, the only metro of that name "
                                               f"(also: {others}; add the state for one of those)."))
    if len(uniq) == 1:
        return _location(table, places, next(iter(uniq.values())), typed)
    if len(uniq) > 1:
        choices = "; ".join(_choice(table, places, n) for n in uniq.values())
        first = next(iter(uniq.values()))
        raise UsageError("ambiguous_area", f"'{shown}' is ambiguous: {choices}. Add the state, e.g. {flag} "
                                           f"'{first.label}'.", "area")
    st = _state_of(table, words)
    if st is not None:  # a state typed where a place belongs: the state itself
        return Location(st, "state", table.states[st].name, st, typed)
    if "puerto" in words or "guam" in words or (words and words[-1] in ("pr", "gu")):
        terr = [p for p in places.nonmetro.values() if p.territory and "puerto" in words]
        also = f" (and, wages only, {terr[0].name}: coder-pay estimate --area {terr[0].code})" if terr else ""
        raise UsageError("uncovered_area", f"{flag}: '{shown}' is not covered: coder-pay covers the 50 states and "
                                           f"DC{also}.", "area")
    near = _near(table, places, words, st_typed)
    hint = f" Did you mean {near}?" if near else ""
    where = f" in {table.states[st_typed].name}" if st_typed else ""
    raise UsageError("unknown_area", f"Unknown {flag} '{shown}'{where}.{hint} Give a city, metro, county or nonmetro "
                                     "area (coder-pay areas lists them), or use --zip.", "area")


def _match(table: Table, places: Places, words: tuple[str, ...]) -> tuple[list[Name], str | None]:
    """The names `words` may mean; a trailing state ("..., WA", "... Texas") narrows them to that state."""
    st_typed = None
    for n in (1, 2, 3):
        if len(words) > n:
            st = _state_of(table, words[-n:])
            if st is not None:
                st_typed = st_typed or st
                got = [x._replace(state=st) for x in places.names.get(" ".join(words[:-n]), ()) if st in x.states]
                if got:
                    return got, st
    whole = list(places.names.get(" ".join(words), ()))
    if st_typed is not None and not whole:
        return [], st_typed
    return whole, None


def _choice(table: Table, places: Places, n: Name) -> str:
    if len(n.code) == 2:
        return f"{n.label} (state wages)"
    pl = places.get(n.code)
    assert pl is not None
    return n.label if n.label == pl.name else f"{n.label} ({pl.short_name})"


def _near(table: Table, places: Places, words: tuple[str, ...], state: str | None) -> str | None:
    import difflib

    keys = [k for k, ns in places.names.items() if state is None or any(state in n.states for n in ns)]
    text = " ".join(words)
    if state is not None:
        for n in (1, 2, 3):
            if len(words) > n and _state_of(table, words[-n:]) == state:
                text = " ".join(words[:-n])
                break
    got = difflib.get_close_matches(text, keys, n=1, cutoff=0.75)
    if not got:
        return None
    best = max((n for n in places.names[got[0]] if state is None or state in n.states),
               key=lambda n: (n.rank, n.city is not None))
    return best.label if state is None or best.state == state else f"{best.label.rsplit(', ', 1)[0]}, {state}"


# --------------------------------------------------------------------------- ZIP codes

_ZIPS: dict[str, dict[str, tuple[str, ...]]] = {}


def zips_path(table: Table) -> Path:
    return places_path(table).with_name(ZIPS_FILE)


def _zips(table: Table) -> dict[str, tuple[str, ...]]:
    path = zips_path(table)
    got = _ZIPS.get(str(path))
    if got is None:
        import gzip

        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise TableError(str(path), [Problem("", f"cannot read the ZIP codes: {exc}")]) from None
        got = {}
        for line in text.split("\n"):
            if line and not line.startswith("#"):
                parts = line.split("\t")
                got[parts[0]] = tuple(parts[1:])
        _ZIPS[str(path)] = got
    return got


_ZIP = re.compile(r"(\d{5})(?:-?\d{4})?")


def resolve_zip(table: Table, text: str, flag: str = "--zip") -> Location:
    """A ZIP code -> its Location: the metro holding most of its homes (said so when it straddles metros); outside
    metros, its county's nonmetro area where the sources know it, else its state (said so)."""
    typed = text.strip()
    m = _ZIP.fullmatch(typed.replace(" ", ""))
    if m is None:
        raise UsageError("bad_zip", f"{flag} must be a 5-digit ZIP code, not '{_shown(typed)}'.", "zip")
    z = m.group(1)
    row = _zips(table).get(z)
    if row is None:
        raise UsageError("unknown_zip", f"Unknown {flag} {z}: not in HUD's ZIP crosswalk for the 50 states and DC "
                                        "(Q4 2024). Try --area with the city or county.", "zip")
    code, st, county, share, city = row
    places = load_places(table)
    notes: list[str] = []
    if len(code) == 2:
        kind, name = "state", table.states[code].name
        notes.append(f"ZIP {z} is outside any metro and its county's nonmetro area cannot be known from the sources; "
                     f"priced at {name}'s wages and prices.")
    else:
        pl = places.get(code)
        if pl is None:
            raise TableError(str(zips_path(table)), [Problem("", f"ZIP {z} names no place {code!r}")])
        kind, name = pl.kind, pl.name
        if share:
            notes.append(f"ZIP {z} straddles metro areas: {float(share):.0%} of its homes are in {pl.name}, "
                         "where it is priced.")
        elif pl.kind == "nonmetro":
            notes.append(f"ZIP {z} is outside any metro: priced as its county's nonmetro area, {pl.name}.")
    return Location(code, kind, name, st, typed, city or None, county or None, z, tuple(notes))


# --------------------------------------------------------------------------- what a document says of a place


def local_place_fields(table: Table, loc: Location) -> dict[str, Any]:
    """What the local-tax lookup needs of a place (the keyword arguments of localtax.LocalPlace): its state, the
    county FIPS codes it lies in within that state (one for a county, a city whose county is known or a ZIP;
    every county of a metro or nonmetro area), its city, a name, and whether it is exact (a city, county or
    ZIP: True; a whole area or state: False)."""
    exact = loc.city is not None or loc.zip is not None or loc.county is not None  # (a metro's name has no county)
    if loc.county is not None:
        counties: tuple[str, ...] = (loc.county,)
    elif loc.kind in ("metro", "nonmetro"):
        counties = tuple(f for f, st in load_places(table).counties.get(loc.code, ()) if st == loc.state)
    else:
        counties = ()
    name = f"ZIP {loc.zip}" if loc.zip is not None else loc.typed.strip() if exact else loc.name
    return {"state": loc.state, "counties": counties, "city": loc.city, "name": name, "exact": exact}


def local_places(table: Table, q: Any) -> tuple[Any, Any]:
    """(work, home) as the local-tax lookup takes them (localtax.LocalPlace, or None) for a Query or a
    TakeHomeQuery: the job's place (--area / --zip) and where the person lives (--home as a place; without it,
    where they work; a remote job is done where they live). Both None: no place given, state taxes only."""
    from .localtax import LocalPlace

    work = None if q.area is None else LocalPlace(**local_place_fields(table, q.area))
    home = None if q.home_area is None else LocalPlace(**local_place_fields(table, q.home_area))
    if getattr(q, "remote", False) and home is None:
        home = work  # a remote job lives at its place
    if getattr(q, "remote", False):
        work = home
    return work, home
