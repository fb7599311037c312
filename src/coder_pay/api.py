"""The library: every command's answer from Python, as the same dataclasses the CLI renders.

    import coder_pay
    est = coder_pay.estimate(state="CA", cert="CPC")            # -> model.Estimate
    chk = coder_pay.offer(58000, state="OH", cert="CPC", years=4, setting="hospital")   # -> decide.OfferCheck
    coder_pay.take_home(65000, state="NY")                       # -> tax.TakeHomeReport
    coder_pay.states(sort="adjusted", top=5)                     # -> decide.StatesResult
    coder_pay.compare(states=["CA", "TX"])                       # -> decide.StatesComparison
    coder_pay.compare(offers=["CA:65000", ("TX", 50000)])        # -> decide.OffersComparison
    coder_pay.certs(state="TX", years=1)                         # -> decide.CertsResult
    coder_pay.career(state="OH", cert="CPC", ladder=True)        # -> decide.CareerResult
    for row in coder_pay.batch("people.csv"): ...                # -> batch.BatchRow, one per data row

Profile parameters mean what the CLI options of the same name mean (`cert` is --cert: a code, a list of codes,
or "CPC,CRC" / "CPC+CRC"). `table` is a loaded table (load_table()); None loads the packaged one (or
$CODER_PAY_DATA) once. Bad input raises UsageError, whose message names the parameter (`years`, not --years).
Pure: nothing is printed. Kept apart from __init__ so that `import coder_pay` stays light: this module, and what
it needs, load on the first call.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, cast

from .query import Query, UsageError
from .table import Table

if TYPE_CHECKING:  # pragma: no cover - the result types, loaded with the functions that make them
    from .batch_rows import BatchRow
    from .decide import CareerResult, CertsResult, OfferCheck, OffersComparison, StatesComparison, StatesResult
    from .model import Estimate
    from .pay_audit import AuditReport
    from .tax import TakeHomeReport

Cert = str | Iterable[str]

_TABLE: Table | None = None

#: CLI spellings in messages -> the library's parameter names.
_FLAGS = {"--cert": "cert", "--as-of": "as_of", "--add-cert": "add_cert", "--raise": "raise_rate", "--offer": "offers",
          "SALARY": "salary"}
_FLAG = re.compile(r"(?<![\w-])--([a-z][a-z-]*)")


def _table(table: Table | None) -> Table:
    global _TABLE
    if table is not None:
        return table
    if _TABLE is None or _TABLE.path != str(_default_path()):
        from .table import load_table

        _TABLE = load_table()
    return _TABLE


def _default_path() -> str:
    from .table import resolve_path

    return str(resolve_path(None))


def _plain(message: str) -> str:
    """'--years must be from 0 to 50' -> 'years must be from 0 to 50'; '--remote' -> 'remote=True'."""
    message = message.replace("--remote", "remote=True").replace("SALARY", "salary")
    return _FLAG.sub(lambda m: _FLAGS.get(m.group(0), m.group(1).replace("-", "_")), message)


class _Library:
    """Re-raise a UsageError with the library's parameter names in its message."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> None:
        if isinstance(exc, UsageError):
            raise UsageError(exc.code, _plain(exc.message), exc.field) from None


def _certs(cert: Cert) -> list[str]:
    return [cert] if isinstance(cert, str) else list(cert)


def _query(t: Table, state: str | None, cert: Cert, years: float | None, level: str | None, specialty: str | None,
           setting: str | None, remote: bool, home: str | None, col: str, as_of: int | None, area: str | None = None,
           zip: str | None = None) -> Query:  # noqa: A002 (the parameter's name)
    from .query import build_query

    return build_query(t, state=state, certs=_certs(cert), years=years, level=level, specialty=specialty,
                       setting=setting, remote=remote, home=home, col=col, as_of=as_of, area=area, zip=zip)


def estimate(table: Table | None = None, query: Query | None = None, *, state: str | None = None, cert: Cert = (),
             years: float | None = None, level: str | None = None, specialty: str | None = None,
             setting: str | None = None, remote: bool = False, home: str | None = None, col: str = "all",
             as_of: int | None = None, area: str | None = None, zip: str | None = None) -> Estimate:  # noqa: A002
    """The salary band for a profile (published year unless `as_of`), adjusted for the cost of living, with every
    factor. `estimate(table, query)` (a built Query) still works."""
    from .model import estimate as _estimate

    with _Library():
        t = _table(table)
        q = query if query is not None else _query(t, state, cert, years, level, specialty, setting, remote, home,
                                                   col, as_of, area, zip)
        return _estimate(t, q)


def offer(salary: int | float | str, *, state: str | None = None, cert: Cert = (), years: float | None = None,
          level: str | None = None, specialty: str | None = None, setting: str | None = None, remote: bool = False,
          home: str | None = None, col: str = "all", as_of: int | None = None, match_pct: float | None = None,
          health: int | None = None, pto_days: int | None = None, bonus_pct: float | None = None,
          after_tax: bool = False, table: Table | None = None, area: str | None = None,
          zip: str | None = None) -> OfferCheck:  # noqa: A002
    """Where a salary paid now falls in the profile's market (aged to the current year unless `as_of`): its
    percentile, the verdict, the counter-offer target; benefits and take-home when given or asked."""
    from .decide import Benefits, offer_check
    from .query import read_salary

    with _Library():
        t = _table(table)
        q = _query(t, state, cert, years, level, specialty, setting, remote, home, col, as_of, area, zip)
        pay = read_salary(t, str(salary), "salary", positive=True)
        b = Benefits(match_pct, health, pto_days, bonus_pct)
        return offer_check(t, q, pay.dollars, b, after_tax=after_tax)


def take_home(salary: int | float | str, *, state: str | None = None, home: str | None = None, col: str = "all",
              table: Table | None = None, area: str | None = None, zip: str | None = None) -> TakeHomeReport:  # noqa: A002
    """Take-home pay on a salary (single filer): each tax line (local taxes of `area` / `home` places too), the
    effective rate, what it buys."""
    from .query import build_take_home_query
    from .tax import local_places, take_home_report

    with _Library():
        t = _table(table)
        q = build_take_home_query(t, salary=str(salary), state=state, home=home, col=col, area=area, zip=zip)
        work, lives = local_places(t, q)
        return take_home_report(t, q, work=work, home=lives)


def states(*, sort: str = "pay", top: int | None = None, after_tax: bool = False, cert: Cert = (),
           years: float | None = None, level: str | None = None, specialty: str | None = None,
           setting: str | None = None, remote: bool = False, home: str | None = None, col: str = "all",
           as_of: int | None = None, table: Table | None = None) -> StatesResult:
    """Every state and DC ranked by `sort` (pay, adjusted, price, name) for the profile."""
    from .decide import states_table
    from .query import STATE_SORTS, check_count, resolve_choice

    with _Library():
        t = _table(table)
        key = resolve_choice(sort, STATE_SORTS, "sort", "sort")
        n = check_count(top, "top", lo=1)
        return states_table(t, _query(t, None, cert, years, level, specialty, setting, remote, home, col, as_of),
                            key, n, after_tax=after_tax)


def compare(*, states: Iterable[str] = (), offers: Iterable[str | tuple[Any, ...]] = (), areas: Iterable[str] = (),
            after_tax: bool = False,
            cert: Cert = (), years: float | None = None, level: str | None = None, specialty: str | None = None,
            setting: str | None = None, remote: bool = False, home: str | None = None, col: str = "all",
            as_of: int | None = None, table: Table | None = None) -> StatesComparison | OffersComparison:
    """Two or more states side by side, or job offers ("OH:58000", "OH:27/h:insurance:remote", or
    (state, salary[, setting[, remote]]) tuples) in purchasing power, each judged in today's dollars."""
    from .decide import compare_offers, compare_states
    from .query import parse_offer, resolve_state

    with _Library():
        t = _table(table)
        st, off, places = list(states), list(offers), list(areas)
        if bool(st or places) == bool(off):
            raise UsageError("missing_option", "give states or areas (two or more) or offers (one or more), not both "
                                               "or none.", "states")
        q = _query(t, None, cert, years, level, specialty, setting, remote, home, col, as_of)
        if off:
            parsed = []
            for o in off:
                if isinstance(o, str):
                    p = parse_offer(t, o, "offers")
                    parsed.append((p.where, p.salary, p.setting, p.remote))
                else:
                    parsed.append((resolve_state(t, str(o[0]), "offers"), int(o[1]), *o[2:]))
            return compare_offers(t, q, parsed, after_tax=after_tax)
        codes: list[Any] = list(dict.fromkeys(resolve_state(t, s, "states") for s in st))
        if places:
            from .places import resolve_area

            for a in places:
                loc = resolve_area(t, a, "areas")
                key = loc.state if loc.kind == "state" else loc
                if all(key != c and (isinstance(c, str) or c.code != getattr(key, "code", None)) for c in codes):
                    codes.append(key)
        if len(codes) < 2:
            raise UsageError("missing_option", "compare needs two or more different states or areas.", "states")
        return compare_states(t, q, codes, after_tax=after_tax)


def areas(*, state: str | None = None, sort: str = "pay", top: int | None = None, after_tax: bool = False,
          cert: Cert = (), years: float | None = None, level: str | None = None, specialty: str | None = None,
          setting: str | None = None, remote: bool = False, home: str | None = None, col: str = "all",
          as_of: int | None = None, table: Table | None = None) -> StatesResult:
    """Every metro and nonmetro area with published BLS wages (those of `state` only, when given) ranked by `sort`
    (pay, adjusted, price, name) for the profile, as `states` ranks states."""
    from .decide import areas_table
    from .query import STATE_SORTS, check_count, resolve_choice, resolve_state

    with _Library():
        t = _table(table)
        key = resolve_choice(sort, STATE_SORTS, "sort", "sort")
        n = check_count(top, "top", lo=1)
        within = resolve_state(t, state, "state") if state is not None else None
        return areas_table(t, _query(t, None, cert, years, level, specialty, setting, remote, home, col, as_of),
                           key, n, within, after_tax=after_tax)


def certs(*, state: str | None = None, cert: Cert = (), years: float | None = None, level: str | None = None,
          specialty: str | None = None, setting: str | None = None, remote: bool = False, home: str | None = None,
          col: str = "all", as_of: int | None = None, table: Table | None = None, area: str | None = None,
          zip: str | None = None) -> CertsResult:  # noqa: A002
    """What each credential adds to pay, what it costs, when it pays back (with the CPC-A apprentice stage)."""
    from .decide import cert_payback

    with _Library():
        t = _table(table)
        return cert_payback(t, _query(t, state, cert, years, level, specialty, setting, remote, home, col, as_of,
                                      area, zip))


def career(*, years: int = 0, span: int | None = None, until: int | None = None, raise_rate: float | str | None = None,
           add_cert: Iterable[str | tuple[str, int]] = (), ladder: bool = False, state: str | None = None,
           cert: Cert = (), specialty: str | None = None, setting: str | None = None, remote: bool = False,
           home: str | None = None, col: str = "all", as_of: int | None = None,
           table: Table | None = None, area: str | None = None, zip: str | None = None) -> CareerResult:  # noqa: A002
    """Year by year from this year (or `as_of`): a coder stays a coder unless `ladder`; `add_cert` ("CPC@2" or
    ("CPC", 2)) adds a credential from that year, as an apprentice first where the stage applies."""
    from .decide import career_path
    from .query import career_span, parse_add_cert, parse_rate

    with _Library():
        t = _table(table)
        cs = career_span(t, years=years, span=span, until=until, as_of=as_of)
        rate = parse_rate(str(raise_rate), "raise_rate") if isinstance(raise_rate, str) else raise_rate
        q = _query(t, state, cert, None, None, specialty, setting, remote, home, col, as_of, area, zip)
        added: list[tuple[str, int]] = []
        for a in add_cert:
            text = a if isinstance(a, str) else f"{a[0]}@{a[1]}"
            added.append(parse_add_cert(t, text, cs.span, list(q.credentials) + [c for c, _ in added]))
        return career_path(t, q, span=cs.span, start_experience=cs.start, raise_rate=rate, added=tuple(added),
                           ladder=ladder)


def batch(source: str | os.PathLike[str] | IO[str] | Iterable[dict[str, Any]], *, table: Table | None = None,
          **options: Any) -> Iterator[BatchRow]:
    """Every data row of a CSV file (a path or an open text file) or of records (dicts, e.g. a DataFrame's
    to_dict("records")), priced: a BatchRow each (row.result: an Estimate, an OfferCheck for a salary row -
    judged in today's dollars - or a RowError). `options` are iter_batch's."""
    from .batch_rows import estimate_many, iter_batch

    t = _table(table)
    if isinstance(source, (str, os.PathLike)):
        with open(source, newline="", encoding="utf-8-sig") as f:
            yield from iter_batch(t, f, **options)
    elif hasattr(source, "read"):
        yield from iter_batch(t, cast("IO[str]", source), **options)
    else:
        yield from estimate_many(t, source, **options)


def audit(source: str | os.PathLike[str] | IO[str], *, by: str = "state", top: int = 10, table: Table | None = None,
          **options: Any) -> AuditReport | None:
    """A pay audit of a payroll file (a path or an open text file), as `coder-pay audit` makes it: per group (`by`:
    state, setting, level or an input column's name) the headcount, median salary and median market typical pay,
    how many are below the band's low and below typical and what bringing them up costs a year, the total, the
    people furthest below market, and the rows that failed (`errors`); salaries judged in today's dollars. None:
    an empty file. `options`: input_format, columns, keep, delimiter."""
    from .pay_audit import audit as run

    t = _table(table)
    if isinstance(source, (str, os.PathLike)):
        with open(source, newline="", encoding="utf-8-sig") as f:
            return run(t, f, by, top, **options)
    return run(t, source, by, top, **options)
