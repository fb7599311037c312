"""The command-line interface: options in, a query to the model, a renderer out.

Exit codes (see README "Exit codes"): 0 success, 1 data-table or runtime error (or a batch
with failed rows), 2 usage error (bad option or value), 130 interrupted (Ctrl-C).
No business rules here: they live in model.py, query.py and table.py.
"""


import enum
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, NoReturn, Optional, TypeVar

import typer
from typer.core import TyperGroup

try:  # Typer 0.28 bundles its own Click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    # click is not installed beside Typer 0.28 (hence import-not-found; no-redef where it is)
    from click import exceptions as click_exc  # type: ignore[no-redef, import-not-found, unused-ignore]

from . import __version__
from .documents import dumps, error_doc
from .query import UsageError
from .table import Table, TableError, load_table, resolve_path

T = TypeVar("T")


class Exit(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


# --------------------------------------------------------------------------- output


def write_out(text: str, *, ascii_text: Callable[[], str] | None = None) -> None:
    """Results to stdout (a closed pipe is handled in CoderPayGroup.main). A character the stream cannot
    encode (a name in a user's table, on a cp1252 or ASCII stream) is written as `ascii_text()` gives it,
    else as '?', instead of failing."""
    text = text if text.endswith("\n") else text + "\n"
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # nothing was written: the text is encoded before it is written
        enc = sys.stdout.encoding or "ascii"
        sys.stdout.write(ascii_text() + "\n" if ascii_text else text.encode(enc, "replace").decode(enc))
    sys.stdout.flush()


def write_json(doc: dict[str, Any]) -> None:
    import json

    write_out(dumps(doc), ascii_text=lambda: json.dumps(doc))  # \u escapes: the same JSON, in ASCII


def fail(code: str, message: str, exit_code: int, json_mode: bool, **extra: Any) -> NoReturn:
    """One line on stderr (a JSON object with --json), then exit."""
    if json_mode:
        sys.stderr.write(dumps(error_doc(code, message, exit_code, **extra)) + "\n")
    else:
        sys.stderr.write(f"coder-pay: error: {one_line(message)}\n")
    sys.stderr.flush()
    raise typer.Exit(exit_code)


def one_line(text: str) -> str:
    """A message with control characters escaped (a path or key may hold a newline): it stays one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def run(json_mode: bool, fn: Callable[[], T]) -> T:
    """Call `fn`, turning the core's errors into the documented exit codes."""
    try:
        return fn()
    except UsageError as e:
        fail(e.code, e.message, Exit.USAGE, json_mode, field=e.field)
    except TableError as e:
        fail("bad_table", str(e), Exit.ERROR, json_mode, path=e.path,
             problems=[{"key": p.key, "line": p.line, "message": p.message} for p in e.problems][:50])


def get_table(ctx: typer.Context) -> Table:
    """The data table for this run, loaded once (--data, then $CODER_PAY_DATA, then the packaged one)."""
    obj = ctx.ensure_object(dict)
    if "table" not in obj:
        if obj.get("data") is not None and not obj["data"].strip():  # --data "$UNSET": not the packaged table
            raise UsageError("empty_value", "--data needs a value; got an empty path.", "data")
        obj["table"] = load_table(obj.get("data"))
    table: Table = obj["table"]
    return table


# --------------------------------------------------------------------------- the app


class CoderPayGroup(TyperGroup):
    """Formats Click's own usage errors like ours (one line, or JSON with --json), and
    handles Ctrl-C and closed pipes without a traceback."""

    def main(self, args: Optional[Sequence[str]] = None, prog_name: Optional[str] = None,  # noqa: UP045
             complete_var: Optional[str] = None, standalone_mode: bool = True,  # noqa: UP045
             windows_expand_args: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        json_mode = "--json" in argv or "--format=json" in argv or ("--format", "json") in zip(argv, argv[1:])
        try:
            rv = super().main(args=argv, prog_name=prog_name or "coder-pay", complete_var=complete_var,
                              standalone_mode=False, windows_expand_args=windows_expand_args, **extra)
            code = rv if isinstance(rv, int) else 0
        except click_exc.NoArgsIsHelpError as e:  # `coder-pay` (or a command group) alone: its help, as with --help
            if e.format_message().strip():  # (Typer's Rich help has already printed it)
                write_out(e.format_message())
            code = Exit.OK
        except click_exc.ClickException as e:
            code = e.exit_code if e.exit_code != 1 else Exit.USAGE
            moved = self._global_option_misplaced(e, argv)
            msg = moved or e.format_message()
            cmd = getattr(getattr(e, "ctx", None), "command_path", "coder-pay")
            if json_mode:
                sys.stderr.write(dumps(error_doc("usage", msg, code)) + "\n")
            else:
                sys.stderr.write(f"coder-pay: error: {msg}" + ("" if moved else f" (see '{cmd} --help')") + "\n")
        except (typer.Abort, KeyboardInterrupt):  # typer.Abort: Typer 0.28's own (its bundled Click has none)
            sys.stderr.write("\n" if not json_mode else dumps(error_doc("interrupted", "interrupted", 130)) + "\n")
            code = Exit.INTERRUPTED
        except BrokenPipeError:
            _silence_stdout()
            code = Exit.OK
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
        if standalone_mode:
            sys.exit(code)
        return code

    def _global_option_misplaced(self, e: Exception, argv: list[str]) -> str | None:
        """`estimate --data x.toml`: an option of coder-pay itself given after the command. Click would call it
        unknown and suggest a look-alike option of the command; say where it goes instead."""
        name = getattr(e, "option_name", None)
        if not isinstance(e, click_exc.NoSuchOption) or not name:
            return None
        opt = next((p for p in self.params if name in getattr(p, "opts", ())), None)
        if opt is None:
            return None
        import shlex

        if getattr(opt, "is_eager", False):  # --version: the command does not matter
            return f"{name} is an option of coder-pay itself: {shlex.join(['coder-pay', name])}"
        command = _invoked_command(argv)
        start = argv.index(command) if command in argv else 0
        at = next((i for i in range(start, len(argv)) if argv[i] == name or argv[i].startswith(name + "=")), None)
        if at is None:
            return None
        moved = argv[at:at + 1]
        if argv[at] == name and not getattr(opt, "is_flag", False):
            moved.append(argv[at + 1] if at + 1 < len(argv) else str(getattr(opt, "metavar", None) or "VALUE"))
        rest = argv[:at] + argv[at + len(moved):]
        if command in rest:  # the same option before the command too: the one after it is meant
            k = rest.index(command)
            rest = [a for i, a in enumerate(rest) if i >= k or not (a == name or a.startswith(name + "=")
                                                                   or (i and rest[i - 1] == name))]
        return f"put {name} before the command: {shlex.join(['coder-pay', *moved, *rest])}"


def _silence_stdout() -> None:
    """After the reader of a pipe has gone, point stdout at /dev/null so that Python's
    final flush does not print 'Exception ignored … BrokenPipeError'."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


app = typer.Typer(
    cls=CoderPayGroup,
    name="coder-pay",
    help="Salary bands for US medical coders, from BLS wages and BEA price levels.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        write_out(f"coder-pay {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    ctx: typer.Context,
    data: Optional[str] = typer.Option(  # noqa: UP045
        None, "--data", metavar="FILE",
        help=f"Use this data table instead of the packaged one (also ${'CODER_PAY_DATA'}).",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Salary bands for US medical coders, from BLS wages and BEA price levels."""
    ctx.ensure_object(dict)["data"] = data


# ---- shell completion (values for --state/--home, --cert, --level, --specialty, --setting)


def _completion_table(ctx: Any) -> Table | None:
    """The table for completing values (honours --data and $CODER_PAY_DATA); None if it cannot be read."""
    try:
        root = ctx.find_root() if ctx is not None else None
        data = root.params.get("data") if root is not None else None
        return load_table(data)
    except Exception:  # completion must never fail loudly
        return None


def _matching(typed: str, choices: dict[str, str]) -> list[tuple[str, str]]:
    """(value, help) for the choices that start with what was typed, in any case, offered in the case
    typed ('c' -> 'ca', 'C' -> 'CA'): the shell only offers values that start with the typed text, and
    every value here is accepted in any case."""
    low = typed.lower()
    out = []
    for value, help_ in choices.items():
        if not value.lower().startswith(low):
            continue
        if not value.startswith(typed):
            value = value.lower() if typed == low else value.upper() if typed == typed.upper() else typed + value[len(typed):]
        out.append((value, help_))
    return out


def complete_state(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """USPS codes, with the state's name as help."""
    table = _completion_table(ctx)
    return [] if table is None else _matching(incomplete, {c: st.name for c, st in sorted(table.states.items())})


def complete_cert(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Credential codes; in a comma list ('CPC,cc') the last item is completed."""
    table = _completion_table(ctx)
    if table is None:
        return []
    head, sep, last = incomplete.rpartition(",")
    chosen = {c.strip().upper() for c in head.split(",")}
    left = {c: cr.name for c, cr in table.credentials.items() if c not in chosen}
    return [(head + sep + v, h) for v, h in _matching(last, left)]


def complete_level(incomplete: str) -> list[tuple[str, str]]:
    from .query import LEVELS

    return _matching(incomplete, {lv: "" for lv in LEVELS})


def complete_specialty(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    table = _completion_table(ctx)
    return [] if table is None else _matching(incomplete, {k: f.label for k, f in table.specialties.items()})


def complete_setting(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    table = _completion_table(ctx)
    return [] if table is None else _matching(incomplete, {k: f.label for k, f in table.settings.items()})


def complete_col(incomplete: str) -> list[tuple[str, str]]:
    from .query import COL_BASES

    return _matching(incomplete, {k: "" for k in COL_BASES})


def complete_sort(incomplete: str) -> list[tuple[str, str]]:
    from .query import STATE_SORTS

    return _matching(incomplete, {k: "" for k in STATE_SORTS})


def complete_add_cert(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """CODE@YEAR: the credential codes with '@' (so the shell adds no space), then the projection years."""
    table = _completion_table(ctx)
    if table is None:
        return []
    code, at, year = incomplete.partition("@")
    names = {c: cr.name for c, cr in table.credentials.items()}
    if not at:
        codes = _matching(code, names)
        if len(codes) != 1:
            return [(v + "@", h) for v, h in codes]
        code = codes[0][0]  # one credential left: offer its years (several values: the shell adds no space)
    elif code.upper() not in names:
        return []
    try:
        span = int(getattr(ctx, "params", {}).get("span") or 10)
    except (TypeError, ValueError):
        span = 10
    return [(f"{code}@{y}", f"{names[code.upper()]} from projection year {y}")
            for y in range(0, max(span, 1) + 1) if str(y).startswith(year)]


# --------------------------------------------------------------------------- shared options

StateOpt = typer.Option(None, "--state", "-s", help="State: USPS code or name (CA, ca, California). Default: national.",
                       autocompletion=complete_state)
CertOpt = typer.Option([], "--cert", "-c", help="Credential held (repeat, or comma list): CPC, CCS, RHIT…",
                      autocompletion=complete_cert)
YearsOpt = typer.Option(None, "--years", "-y", help="Years of experience, 0-50.")
LevelOpt = typer.Option(None, "--level", "-l", help="entry, mid or senior (each a range of years), or a role above "
                                                    "senior: supervisor, manager or director. With --years, the years must "
                                                    "fall in the level's range (a role's: senior's).",
                       autocompletion=complete_level)
SpecialtyOpt = typer.Option(None, "--specialty", help="general, anesthesia, emergency, cardiology, oncology, surgery, "
                                                      "risk-adjustment.", autocompletion=complete_specialty)
SettingOpt = typer.Option(None, "--setting", help="hospital, physician-office, outpatient, insurance, consulting, …",
                         autocompletion=complete_setting)
RemoteOpt = typer.Option(False, "--remote", help="Remote job: national pay; --state is where you live.")
HomeOpt = typer.Option(None, "--home", help="Compare prices with this state instead of the US average.",
                      autocompletion=complete_state)
ColOpt = typer.Option("all", "--col", help="Price level: all (all items) or housing.", autocompletion=complete_col)
AsOfOpt = typer.Option(None, "--as-of", metavar="YEAR", help="Age the wages to this year with the table's growth rate.")
JsonOpt = typer.Option(False, "--json", help="Print one JSON document instead of a table.")
AfterTaxOpt = typer.Option(False, "--after-tax", help="Also show take-home pay (federal, FICA and state income tax "
                                                      "of where you live; single filer) and what it buys.")
ExplainOpt = typer.Option(False, "--explain", help="Print long notes in full (what take-home leaves out) instead of "
                                                   "one line each.")


@app.command()
def estimate(
    ctx: typer.Context,
    state: Optional[str] = StateOpt,  # noqa: UP045
    cert: list[str] = CertOpt,
    years: Optional[int] = YearsOpt,  # noqa: UP045
    level: Optional[str] = LevelOpt,  # noqa: UP045
    specialty: Optional[str] = SpecialtyOpt,  # noqa: UP045
    setting: Optional[str] = SettingOpt,  # noqa: UP045
    remote: bool = RemoteOpt,
    home: Optional[str] = HomeOpt,  # noqa: UP045
    col: str = ColOpt,
    as_of: Optional[int] = AsOfOpt,  # noqa: UP045
    after_tax: bool = AfterTaxOpt,
    explain: bool = ExplainOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Estimate a salary band (low / typical / high) and its cost-of-living-adjusted value."""
    from .model import estimate as run_estimate
    from .query import build_query, credential_notes

    def work() -> Any:
        table = get_table(ctx)
        q = build_query(table, state=state, certs=cert, years=years, level=level, specialty=specialty,
                        setting=setting, remote=remote, home=home, col=col, as_of=as_of)
        est = run_estimate(table, q)
        extra = credential_notes(table, cert)  # CPC-A read as CPC
        if extra:
            est = est._replace(notes=est.notes + extra)
        if not after_tax:
            return table, est, None
        from .tax import after_tax_band

        return table, est, after_tax_band(table, est)

    table, est, at = run(json_out, work)
    if json_out:
        from .documents import estimate_doc

        doc = estimate_doc(table, est)
        if at is not None:
            from .documents import after_tax_doc

            doc["after_tax"] = after_tax_doc(table, at)
        write_json(doc)
    else:
        from .render import print_estimate

        print_estimate(table, est, after_tax=at, explain=explain)


# ---- commands: take-home

TaxStateOpt = typer.Option(None, "--state", "-s", help="State you live in (USPS code or name): its income tax applies. "
                                                       "Without it: federal tax only, no state income tax (said so).",
                                                       autocompletion=complete_state)


@app.command("take-home")
def take_home_cmd(
    ctx: typer.Context,
    salary: str = typer.Argument(..., metavar="SALARY", help="Gross salary: yearly (65000, 65,000, 65k, $65k) or "
                                                            "hourly (24.50/h: x the table's 2,080 hours a year)."),
    state: Optional[str] = TaxStateOpt,  # noqa: UP045
    home: Optional[str] = HomeOpt,  # noqa: UP045
    col: str = ColOpt,
    explain: bool = ExplainOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Take-home pay on a salary: each tax line, the effective rate, and what it buys (2025 tax, single filer)."""
    from .query import build_take_home_query, parse_salary_text
    from .tax import take_home_report

    def work() -> Any:
        parse_salary_text(salary, "SALARY")  # a malformed salary is a usage error before the table is read
        table = get_table(ctx)
        q = build_take_home_query(table, salary=salary, state=state, home=home, col=col)
        return table, take_home_report(table, q)

    table, rep = run(json_out, work)
    warn(rep.query.notes, json_out)
    if json_out:
        from .documents import take_home_doc

        write_json(take_home_doc(table, rep))
    else:
        from .render import print_take_home

        print_take_home(table, rep, explain=explain)


# ---- commands: states, compare, certs, career, offer

FormatOpt = typer.Option(None, "--format", metavar="FORMAT", help="Output: table (default), json or csv.")
SortOpt = typer.Option("pay", "--sort", help="pay (default, highest first), adjusted (highest first), "
                                             "price (cheapest first) or name. With --after-tax, pay and "
                                             "adjusted rank on take-home.", autocompletion=complete_sort)
TopOpt = typer.Option(None, "--top", metavar="N", help="Show only the first N states of the ranking.")
StatesOpt = typer.Option([], "--state", "-s", help="A state to compare (repeat: --state CA --state TX).",
                         autocompletion=complete_state)
OffersOpt = typer.Option([], "--offer", "-o", metavar="ST:SALARY",
                         help="An offer to compare (repeat): CA:65000, TX:50k, 'New York:$70,000'.")


def _json_wanted(fmt: Optional[str], json_out: bool) -> bool:  # noqa: UP045
    return json_out or (fmt or "").strip().lower() == "json"


def write_csv(header: list[str], rows: list[list[Any]]) -> None:
    """The whole CSV is built first, so an error never leaves half a file on stdout."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_out(buf.getvalue())


def warn(notes: Sequence[str], json_mode: bool) -> None:
    """Warnings about what was typed, on stderr; with --json they go in the document's `notes` instead."""
    if json_mode or not notes:
        return
    for note in notes:
        sys.stderr.write(f"coder-pay: warning: {one_line(note)}\n")
    sys.stderr.flush()


def with_notes(doc: dict[str, Any], notes: Sequence[str]) -> dict[str, Any]:
    """The document with the warnings about its input first in its `notes`."""
    if notes:
        doc["notes"] = [*notes, *doc.get("notes", [])]
    return doc


def emit(fmt: str, table: Table, result: Any, to_doc: Callable[..., dict[str, Any]], render_name: str,
         notes: Sequence[str] = (), **render_kw: Any) -> None:
    """One result out as a Rich table, a JSON document or CSV (CSV is made from the JSON document).
    `notes`: warnings about the input (see `warn`); `render_kw` go to the renderer (--explain)."""
    warn(notes, fmt == "json")
    if fmt == "table":
        from . import render

        getattr(render, render_name)(table, result, **render_kw)
        return
    doc = to_doc(table, result)
    if fmt == "csv":
        from .documents import csv_table

        write_csv(*csv_table(doc))
    else:
        write_json(with_notes(doc, notes))


@app.command()
def states(
    ctx: typer.Context,
    cert: list[str] = CertOpt,
    years: Optional[int] = YearsOpt,  # noqa: UP045
    level: Optional[str] = LevelOpt,  # noqa: UP045
    specialty: Optional[str] = SpecialtyOpt,  # noqa: UP045
    setting: Optional[str] = SettingOpt,  # noqa: UP045
    remote: bool = RemoteOpt,
    home: Optional[str] = HomeOpt,  # noqa: UP045
    col: str = ColOpt,
    as_of: Optional[int] = AsOfOpt,  # noqa: UP045
    sort: str = SortOpt,
    top: Optional[int] = TopOpt,  # noqa: UP045
    after_tax: bool = AfterTaxOpt,
    explain: bool = ExplainOpt,
    fmt: Optional[str] = FormatOpt,  # noqa: UP045
    json_out: bool = JsonOpt,
) -> None:
    """Every state + DC ranked: typical pay, band, price level and cost-of-living-adjusted pay."""
    from .decide import states_table
    from .documents import states_doc
    from .query import STATE_SORTS, build_query, check_count, resolve_choice, resolve_format

    def work() -> Any:
        out = resolve_format(fmt, json_out)
        key = resolve_choice(sort, STATE_SORTS, "sort", "--sort")
        n = check_count(top, "--top", lo=1)
        table = get_table(ctx)
        q = build_query(table, certs=cert, years=years, level=level, specialty=specialty, setting=setting,
                        remote=remote, home=home, col=col, as_of=as_of)
        return out, table, states_table(table, q, key, n, after_tax=after_tax)

    out, table, res = run(_json_wanted(fmt, json_out), work)
    emit(out, table, res, states_doc, "print_states", explain=explain)


@app.command()
def compare(
    ctx: typer.Context,
    state: list[str] = StatesOpt,
    offer: list[str] = OffersOpt,
    cert: list[str] = CertOpt,
    years: Optional[int] = YearsOpt,  # noqa: UP045
    level: Optional[str] = LevelOpt,  # noqa: UP045
    specialty: Optional[str] = SpecialtyOpt,  # noqa: UP045
    setting: Optional[str] = SettingOpt,  # noqa: UP045
    remote: bool = RemoteOpt,
    home: Optional[str] = HomeOpt,  # noqa: UP045
    col: str = ColOpt,
    as_of: Optional[int] = AsOfOpt,  # noqa: UP045
    after_tax: bool = AfterTaxOpt,
    explain: bool = ExplainOpt,
    fmt: Optional[str] = FormatOpt,  # noqa: UP045
    json_out: bool = JsonOpt,
) -> None:
    """Compare states (--state, two or more) or job offers (--offer ST:SALARY) side by side."""
    from .decide import compare_offers, compare_states
    from .documents import compare_doc
    from .query import UsageError, build_query, parse_offer, resolve_format, resolve_state

    def work() -> Any:
        out = resolve_format(fmt, json_out)
        if state and offer:
            raise UsageError("conflicting_options", "give --state (compare states) or --offer (compare offers), "
                                                    "not both.", "state")
        if not state and not offer:
            raise UsageError("missing_option", "give two or more --state, or one or more --offer ST:SALARY.", "state")
        table = get_table(ctx)
        q = build_query(table, certs=cert, years=years, level=level, specialty=specialty, setting=setting,
                        remote=remote, home=home, col=col, as_of=as_of)
        if offer:
            offers = [parse_offer(table, o) for o in offer]
            return (out, table, compare_offers(table, q, [(o.state, o.salary) for o in offers], after_tax=after_tax),
                    [n for o in offers for n in o.notes])
        codes = list(dict.fromkeys(resolve_state(table, s) for s in state))
        if len(codes) == 1 and q.home is not None and q.home not in codes:
            codes.append(q.home)  # one state and --home: compare the state with home
        if len(codes) < 2:
            raise UsageError("missing_option", "compare needs two or more different --state (or one --state and "
                                               "a different --home).", "state")
        return out, table, compare_states(table, q, codes, after_tax=after_tax), []

    out, table, res, notes = run(_json_wanted(fmt, json_out), work)
    emit(out, table, res, compare_doc, "print_compare", notes, explain=explain)


@app.command()
def certs(
    ctx: typer.Context,
    state: Optional[str] = StateOpt,  # noqa: UP045
    cert: list[str] = CertOpt,
    years: Optional[int] = YearsOpt,  # noqa: UP045
    level: Optional[str] = LevelOpt,  # noqa: UP045
    specialty: Optional[str] = SpecialtyOpt,  # noqa: UP045
    setting: Optional[str] = SettingOpt,  # noqa: UP045
    remote: bool = RemoteOpt,
    home: Optional[str] = HomeOpt,  # noqa: UP045
    col: str = ColOpt,
    as_of: Optional[int] = AsOfOpt,  # noqa: UP045
    fmt: Optional[str] = FormatOpt,  # noqa: UP045
    json_out: bool = JsonOpt,
) -> None:
    """What each credential adds to pay, what it costs, and when it pays back."""
    from .decide import cert_payback
    from .documents import certs_doc
    from .query import build_query, resolve_format

    def work() -> Any:
        out = resolve_format(fmt, json_out)
        table = get_table(ctx)
        q = build_query(table, state=state, certs=cert, years=years, level=level, specialty=specialty,
                        setting=setting, remote=remote, home=home, col=col, as_of=as_of)
        return out, table, cert_payback(table, q)

    out, table, res = run(_json_wanted(fmt, json_out), work)
    emit(out, table, res, certs_doc, "print_certs")


@app.command()
def career(
    ctx: typer.Context,
    years: Optional[int] = typer.Option(None, "--years", "-y", metavar="N",  # noqa: UP045
                                        help="Years of experience at the start, 0-50 (default 0), as in every command."),
    experience: Optional[int] = typer.Option(None, "--experience", "-e", metavar="N",  # noqa: UP045
                                             help="Another name for --years."),
    span: Optional[int] = typer.Option(None, "--span", metavar="N",  # noqa: UP045
                                       help="Years to project, 1-50 (default 10)."),
    until: Optional[int] = typer.Option(None, "--until", metavar="YEAR",  # noqa: UP045
                                        help="Project up to this calendar year (instead of --span)."),
    raise_text: Optional[str] = typer.Option(None, "--raise", metavar="RATE",  # noqa: UP045
                                             help="Yearly raise: 0.03 or 3%. Default: the table's wage growth."),
    add_cert: list[str] = typer.Option([], "--add-cert", metavar="CODE@YEAR",
                                       help="Add a credential from that projection year on (repeat): CPC@2.",
                                       autocompletion=complete_add_cert),
    ladder: bool = typer.Option(False, "--ladder",
                                help="Promote along the ladder (supervisor, manager, director), each role priced from "
                                     "BLS figures; by default a coder stays a coder."),
    state: Optional[str] = StateOpt,  # noqa: UP045
    cert: list[str] = CertOpt,
    specialty: Optional[str] = SpecialtyOpt,  # noqa: UP045
    setting: Optional[str] = SettingOpt,  # noqa: UP045
    remote: bool = RemoteOpt,
    home: Optional[str] = HomeOpt,  # noqa: UP045
    col: str = ColOpt,
    as_of: Optional[int] = AsOfOpt,  # noqa: UP045
    fmt: Optional[str] = FormatOpt,  # noqa: UP045
    json_out: bool = JsonOpt,
) -> None:
    """Year by year from this year: role, salary and a chart over --span N years (default 10), from --years E of
    experience.

    Until the next release, the old spelling `--years N --experience E` (N years from E) still
    works, with a warning."""
    from .decide import career_path
    from .documents import career_doc
    from .query import build_query, career_span, parse_add_cert, parse_rate, resolve_format

    def work() -> Any:
        out = resolve_format(fmt, json_out)
        table = get_table(ctx)
        cs = career_span(table, years=years, experience=experience, span=span, until=until, as_of=as_of)
        rate = parse_rate(raise_text, "--raise") if raise_text is not None else None
        q = build_query(table, state=state, certs=cert, specialty=specialty, setting=setting, remote=remote,
                        home=home, col=col, as_of=as_of)
        added: list[tuple[str, int]] = []
        for text in add_cert:
            added.append(parse_add_cert(table, text, cs.span, list(q.credentials) + [c for c, _ in added]))
        return out, table, career_path(table, q, span=cs.span, start_experience=cs.start, raise_rate=rate,
                                       added=tuple(added), ladder=ladder), cs.notes

    out, table, res, notes = run(_json_wanted(fmt, json_out), work)
    emit(out, table, res, career_doc, "print_career", notes)


@app.command()
def offer(
    ctx: typer.Context,
    salary: str = typer.Argument(..., metavar="SALARY", help="Salary offered: yearly (52000, 52,000, 52k, $52k) or "
                                                            "hourly (24.50/h: x the table's 2,080 hours a year)."),
    state: Optional[str] = StateOpt,  # noqa: UP045
    cert: list[str] = CertOpt,
    years: Optional[int] = YearsOpt,  # noqa: UP045
    level: Optional[str] = LevelOpt,  # noqa: UP045
    specialty: Optional[str] = SpecialtyOpt,  # noqa: UP045
    setting: Optional[str] = SettingOpt,  # noqa: UP045
    remote: bool = RemoteOpt,
    home: Optional[str] = HomeOpt,  # noqa: UP045
    col: str = ColOpt,
    as_of: Optional[int] = AsOfOpt,  # noqa: UP045
    match: Optional[str] = typer.Option(None, "--match", metavar="PCT",  # noqa: UP045
                                        help="Benefits: employer 401(k) match, percent of salary."),
    health: Optional[str] = typer.Option(None, "--health", metavar="DOLLARS",  # noqa: UP045
                                         help="Benefits: health premium the employer pays, dollars a year."),
    pto: Optional[int] = typer.Option(None, "--pto", metavar="DAYS", help="Benefits: paid days off a year."),  # noqa: UP045
    bonus: Optional[str] = typer.Option(None, "--bonus", metavar="PCT",  # noqa: UP045
                                        help="Benefits: yearly bonus, percent of salary."),
    after_tax: bool = AfterTaxOpt,
    explain: bool = ExplainOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Is this offer fair? Its percentile, a verdict, the market band and a counter-offer target."""
    from .decide import Benefits, offer_check
    from .documents import offer_doc
    from .query import build_query, check_count, credential_notes, parse_money, parse_percent, parse_salary_text, read_salary

    def work() -> Any:
        parse_salary_text(salary, "SALARY")  # a malformed salary is a usage error before the table is read
        table = get_table(ctx)
        pay = read_salary(table, salary, "SALARY", positive=True)
        q = build_query(table, state=state, certs=cert, years=years, level=level, specialty=specialty,
                        setting=setting, remote=remote, home=home, col=col, as_of=as_of)
        b = Benefits(
            match_pct=parse_percent(match, "--match") if match is not None else None,
            health=parse_money(health, "--health", allow_zero=True) if health is not None else None,
            pto_days=check_count(pto, "--pto", lo=0, hi=table.work_days_per_year),
            bonus_pct=parse_percent(bonus, "--bonus", hi=1000) if bonus is not None else None,
        )
        res = offer_check(table, q, pay.dollars, b, after_tax=after_tax)
        extra = credential_notes(table, cert)  # CPC-A read as CPC
        if extra:
            import dataclasses

            res = dataclasses.replace(res, notes=res.notes + extra)
        return table, b, res, pay.notes

    table, b, res, notes = run(json_out, work)
    warn(notes, json_out)
    if json_out:
        write_json(with_notes(offer_doc(table, res, b), notes))
    else:
        from .render import print_offer

        print_offer(table, res, explain=explain)


# ---- commands: batch, data


class InputFormat(str, enum.Enum):
    csv = "csv"
    jsonl = "jsonl"


class BatchFormat(str, enum.Enum):
    jsonl = "jsonl"
    csv = "csv"


#: Output buffer of a batch: flushed whenever the input has to be read again, and at the end.
BATCH_OUT_BUFFER = 1 << 16


@app.command()
def batch(
    ctx: typer.Context,
    file: str = typer.Argument("-", metavar="[FILE|-]", help="CSV (with a header) or JSON Lines; - or nothing: stdin."),
    input_format: InputFormat = typer.Option(InputFormat.csv, "--input-format", help="csv (with a header) or jsonl."),
    out_format: BatchFormat = typer.Option(BatchFormat.jsonl, "--format", "-f",
                                           help="jsonl (each line the document of 'estimate --json', or of "
                                                "'offer --json' for a row with a salary) or csv."),
    column: list[str] = typer.Option([], "--column", metavar="COLUMN=NAME",
                                     help="Read the input column NAME as COLUMN (repeat): --column cert=Credentials."),
    keep: list[str] = typer.Option([], "--keep", metavar="NAMES",
                                   help="Carry these input columns into the output (comma list, repeatable; "
                                        "'all' or '*' for every column): --keep name,employee_id."),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", "-d",  # noqa: UP045
                                            help="CSV delimiter: , ; tab or | (default: sniffed from the header)."),
    fields: Optional[str] = typer.Option(None, "--fields", metavar="A,B,...",  # noqa: UP045
                                         help="Slim rows with these fields only (JSON Lines and CSV): row, "
                                              "state, cert, years, level, specialty, setting, remote, home, col, "
                                              "as_of, low, mid, high, adjusted_low, adjusted_mid, adjusted_high; "
                                              "salary, percentile, verdict, target (a salary column); take_home, "
                                              "take_home_adjusted, effective_rate (--after-tax)."),
    compact: bool = typer.Option(False, "--compact", help="Slim rows: row, low, mid, high, adjusted_mid (and the "
                                                         "offer check and take-home when given)."),
    after_tax: bool = typer.Option(False, "--after-tax", help="With a salary column: each salary's take-home "
                                                              "(federal, FICA and state tax; single filer)."),
    summary: Optional[bool] = typer.Option(None, "--summary/--no-summary",  # noqa: UP045
                                           help="Counts on stderr at the end (rows below / within / above market, "
                                                "failed). Default: on with a salary column."),
) -> None:
    """Price many profiles: one result per input row, in order, streamed (JSON Lines or CSV).

    Columns (CSV header) or keys (JSON Lines): state, cert, years, level, specialty, setting,
    remote, home, col, as_of, and salary (each row becomes an offer check), also under other
    common names (Certifications, Years of Experience, Work Setting, Current Salary...); empty
    means not given. A bad row is reported on stderr with its row number and name, and keeps its
    place in the output; the exit status is then 1.
    """
    import contextlib
    import stat

    from .files import text_lines

    table = run(False, lambda: get_table(ctx))

    def options() -> tuple[dict[str, str], list[str], str | None]:
        from .batch import parse_column_option, resolve_delimiter

        cols: dict[str, str] = {}
        for text in column:
            col, name = parse_column_option(text)
            if col in cols:
                raise UsageError("bad_column", f"--column {col} is given twice.", "column")
            cols[col] = name
        names = [n.strip() for text in keep for n in text.split(",") if n.strip()]
        if keep and not names:
            raise UsageError("empty_value", "--keep needs a column name, such as --keep name.", "keep")
        return cols, names, resolve_delimiter(delimiter)

    cols, kept, delim = run(False, options)
    if file == "-":
        source: Any = sys.stdin.buffer
        size = None
        if _is_tty(sys.stdin):
            sys.stderr.write("coder-pay: reading rows from the terminal (a CSV header first); end with Ctrl-D\n")
    else:
        try:
            source = open(file, "rb", buffering=0)  # closed below
        except OSError as e:
            fail("bad_input", f"cannot read {file}: {e.strerror or e}", Exit.USAGE, False)
        except ValueError as e:  # a NUL in the name (only in-process: argv cannot hold one)
            fail("bad_input", f"cannot read {file}: not a usable file name: {e}", Exit.USAGE, False)
        st = os.fstat(source.fileno())
        size = st.st_size if stat.S_ISREG(st.st_mode) else None  # a pipe (<(...)) has no size to show progress on
    out = _binary_stdout()
    progress = None
    if size is not None and _is_tty(sys.stderr) and not _is_tty(sys.stdout):
        from .render import batch_progress

        progress = batch_progress(size, os.path.basename(file))
    spec = _BatchSpec(input_format.value, out_format.value, cols, kept, delim, fields, compact, after_tax)
    try:
        with progress if progress is not None else contextlib.nullcontext() as advance:
            lines = text_lines(source, before_read=out.flush, on_read=advance)
            b = _write_batch(table, lines, spec, out)
        out.flush()
    except BrokenPipeError:  # the reader of stdout has gone (| head): stop quietly
        _silence_stdout()
        raise typer.Exit(Exit.OK) from None
    except UsageError as e:  # the header or an option is unusable: nothing has been written
        fail(e.code, e.message, Exit.USAGE, False)
    except TableError as e:  # --after-tax with a table that has no [tax]
        fail("bad_table", str(e), Exit.ERROR, False)
    finally:
        if file != "-":
            source.close()
    if b is not None:
        for note in b.notes:
            sys.stderr.write(f"coder-pay: note: {note}\n")
        if summary or (summary is None and b.has_salary):
            sys.stderr.write(f"coder-pay: {_batch_summary(b)}\n")
    if b is not None and b.failed:
        raise typer.Exit(Exit.ERROR)


class _BatchSpec(NamedTuple):
    input_format: str
    out_format: str
    columns: dict[str, str]
    keep: list[str]
    delimiter: Optional[str]  # noqa: UP045
    fields: Optional[str]  # noqa: UP045
    compact: bool
    after_tax: bool

    @property
    def lean(self) -> bool:
        return self.out_format == "csv" or self.fields is not None or self.compact


def _batch_summary(b: Any) -> str:
    """'250 rows: 41 below market, 180 within market, 27 above market; 2 failed'."""
    from .decide import VERDICTS

    n = sum(b.verdicts.values())
    if b.has_salary:
        parts = [f"{b.verdicts.get(v, 0):,} {v}" for v in VERDICTS]
        unpriced = b.rows - n - b.failed
        if unpriced:
            parts.append(f"{unpriced:,} without a salary")
        text = ", ".join(parts)
    else:
        text = f"{b.rows - b.failed:,} priced"
    return f"{b.rows:,} row{'s' if b.rows != 1 else ''}: {text}; {b.failed:,} failed"


def _write_batch(table: Table, lines: Any, spec: _BatchSpec, out: Any) -> Any:
    """The batch loop: rows in, encoded lines out. Returns the Batch (its counts), or None for an
    empty input. Failed rows are reported on stderr as they come."""
    import io

    from .batch import Batch, RowError
    from .documents import batch_error_doc

    full_json = not spec.lean
    b = Batch(table, lines, spec.input_format, columns=spec.columns, keep=spec.keep, delimiter=spec.delimiter,
              lean=spec.lean, after_tax=spec.after_tax, render=_jsonl_encoder(table) if full_json else None)
    if b.layout is None and b.input_format == "csv":
        return None  # an empty input: no output at all
    from .documents import batch_fields

    chosen = batch_fields(spec.fields, spec.compact, b.has_salary, spec.after_tax) if spec.lean else ()
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    write = text.write
    err = sys.stderr.write

    def failed(n: int, res: Any, inp: Any, ident: Any) -> None:
        text.flush()
        out.flush()
        who = f" ({ident})" if ident else ""
        err(f"coder-pay: row {n}{who}: {one_line(res.message)}\n")

    try:
        if spec.out_format == "csv":
            from .documents import batch_csv_encoder, csv_cell

            line = batch_csv_encoder(chosen)
            kept: list[str] = list(b.kept)
            blank = "," * (len(chosen) - 1)
            where = chosen.index("row") if "row" in chosen else -1
            header_written = False
            for n, res, inp, ident in b.with_input():
                if not header_written:
                    write(",".join(map(csv_cell, [*kept, *chosen, "error"])) + "\n")
                    header_written = True
                front = "" if inp is None else ",".join([csv_cell(inp.get(k)) for k in kept]) + ","
                if type(res) is RowError:
                    cells = blank if where < 0 else "," * where + str(n) + "," * (len(chosen) - 1 - where)
                    write(f"{front}{cells},{csv_cell(res.message)}\n")
                    failed(n, res, inp, ident)
                else:
                    write(f"{front}{line(n, res)},\n")
        elif spec.lean:
            from .documents import batch_json_encoder

            slim = batch_json_encoder(chosen)
            for n, res, inp, ident in b.with_input():
                if type(res) is RowError:
                    write(dumps(batch_error_doc(n, res.code, res.message, res.field, inp)) + "\n")
                    failed(n, res, inp, ident)
                else:
                    write(slim(n, res, inp) + "\n")
        else:
            from .documents import with_input

            for n, res, inp, ident in b.with_input():
                if type(res) is RowError:
                    write(dumps(batch_error_doc(n, res.code, res.message, res.field, inp)) + "\n")
                    failed(n, res, inp, ident)
                elif inp is None:
                    out.write(res)  # bytes, encoded once per profile (text is written through: order kept)
                else:
                    write(with_input(res.decode()[:-1], inp) + "\n")
        text.flush()
    finally:
        text.detach()
    return b


def _jsonl_encoder(table: Table) -> Callable[[Any], bytes]:
    """Each full result as its JSON line, UTF-8: an Estimate as `estimate --json` prints it (fast,
    cached per profile by the batch), an OfferCheck as `offer --json` does."""
    from .documents import EstimateJSON, offer_doc
    from .model import Estimate

    to_json = EstimateJSON(table)

    def encode(res: Any) -> bytes:
        if isinstance(res, Estimate):
            return (to_json(res) + "\n").encode()
        return (dumps(offer_doc(table, res)) + "\n").encode()
    return encode


def _binary_stdout() -> Any:
    """stdout as a byte stream with a large buffer (one write per 64 KiB, not per line)."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's capture)
        return sys.stdout.buffer
    return open(fd, "wb", buffering=BATCH_OUT_BUFFER, closefd=False)


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


data_app = typer.Typer(name="data",
                       help="The data table: where it is, what it holds; validate one; back-test the model; start your own.",
                       no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(data_app, name="data")


def _table_origin(ctx: typer.Context) -> tuple[str, str]:
    """The path of the table in use and what chose it: --data, $CODER_PAY_DATA or the packaged one."""
    from .table import ENV_VAR

    explicit = ctx.ensure_object(dict).get("data")
    origin = "--data" if explicit else ENV_VAR if os.environ.get(ENV_VAR, "").strip() else "packaged"
    return str(resolve_path(explicit)), origin


@data_app.command("path")
def data_path(ctx: typer.Context, json_out: bool = JsonOpt) -> None:
    """Print the path of the data table in use (--data, then $CODER_PAY_DATA, then the packaged one)."""
    path, origin = _table_origin(ctx)
    if not os.path.isfile(path):
        fail("bad_table", f"data table {path}: file not found", Exit.ERROR, json_out, path=path)
    if json_out:
        from .documents import data_path_doc

        write_json(data_path_doc(path, origin))
    else:
        write_out(path)


@data_app.command("show")
def data_show(ctx: typer.Context, json_out: bool = JsonOpt) -> None:
    """Summarise the table in use: vintage, sources with their years, and what it covers."""
    table = run(json_out, lambda: get_table(ctx))
    if json_out:
        from .documents import data_show_doc

        write_json(data_show_doc(table))
    else:
        from .render import print_data_show

        print_data_show(table, _table_origin(ctx)[1])


@data_app.command("validate")
def data_validate(
    ctx: typer.Context,
    file: Optional[str] = typer.Argument(None, metavar="[FILE]", help="The table to check (default: the table in use)."),  # noqa: UP045
    json_out: bool = JsonOpt,
) -> None:
    """Check a data table and list every problem found, each with its key and line; exit 1 if any."""
    from .table import check_table

    path = file if file is not None else _table_origin(ctx)[0]
    problems = check_table(path)
    if json_out:
        from .documents import data_validate_doc

        write_json(data_validate_doc(path, problems))
    elif problems:
        write_out("\n".join(f"{path}:{p.line}: {p.key or '(file)'}: {p.message}" if p.line
                            else f"{path}: {p.key or '(file)'}: {p.message}" for p in problems))
    else:
        write_out(f"{path}: valid")
    if problems:
        # The list is the result (stdout); the failure itself is said on stderr, like every exit 1.
        summary = f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''} in the data table"
        fail("bad_table", summary, Exit.ERROR, json_out, path=path)


@data_app.command("check")
def data_check(
    ctx: typer.Context,
    json_out: bool = JsonOpt,
    family: Optional[str] = typer.Option(  # noqa: UP045
        None, "--family", metavar="NAME",
        help="Only this family: states, national, industries, levels, ratios or ranges."),
    failed: bool = typer.Option(False, "--failed", help="List only the failed checks (the summaries count them all)."),
) -> None:
    """Back-test the model: each published figure beside the model's answer, with the error; exit 1 if one fails.

    Families: states (BLS state medians), national (BLS percentiles), industries
    (BLS industry medians), and the table's back-test entries: levels, ratios, ranges.
    Entries with held = false are shown with their note and never fail.
    """
    from .backtest import FAMILIES, run_backtest
    from .query import resolve_choice

    table = run(json_out, lambda: get_table(ctx))
    fam = run(json_out, lambda: resolve_choice(family, FAMILIES, "family", "--family")) if family is not None else None
    bt = run(json_out, lambda: run_backtest(table, (fam,) if fam else FAMILIES))
    if json_out:
        from .documents import data_check_doc

        write_json(data_check_doc(table, bt, fam, failed))
    else:
        from .render import print_data_check

        print_data_check(table, bt, failed)
    if not bt.ok:
        bad = bt.failures()
        shown = ", ".join(f"{c.key} ({c.error:+.1%}, tolerance {c.tolerance:.0%})" for c in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        fail("backtest_failed", f"{len(bad)} held check{'s' if len(bad) > 1 else ''} outside tolerance: {shown}{more}",
             Exit.ERROR, json_out, path=table.path)


@data_app.command("init")
def data_init(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE", help="Where to write the copy (a directory: inside it, under the "
                                                        "table's own file name)."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Write a copy of the data table in use (the packaged one unless --data / $CODER_PAY_DATA) to start your own from."""
    from .files import write_atomic

    table = run(False, lambda: get_table(ctx))  # never copy a table that does not load
    from pathlib import Path

    data = Path(table.path).read_bytes()
    if os.path.isdir(file):  # like cp: into the directory, under the table's own name
        file = os.path.join(file, Path(table.path).name)
        if os.path.isdir(file):
            fail("cannot_write", f"cannot write {file}: it is a directory; give a file name.", Exit.USAGE, False)
    try:
        write_atomic(file, data, overwrite=force)
    except FileExistsError:
        fail("file_exists", f"{file} already exists; use --force to overwrite it.", Exit.ERROR, False)
    except IsADirectoryError:  # made a directory meanwhile
        fail("cannot_write", f"cannot write {file}: it is a directory; give a file name.", Exit.USAGE, False)
    except OSError as e:
        fail("cannot_write", f"cannot write {file}: {e.strerror or e}", Exit.ERROR, False)
    except ValueError as e:  # a NUL in the name (only in-process: argv cannot hold one)
        fail("cannot_write", f"cannot write {file}: not a usable file name: {e}", Exit.ERROR, False)
    sys.stderr.write(f"coder-pay: wrote {file} (a copy of {table.path})\n")


def _invoked_command(argv: Sequence[str]) -> Optional[str]:  # noqa: UP045
    """The sub-command named on the command line ('estimate', 'data', ...), if one is."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--data":
            skip = True  # its value
        elif arg == "--" or not arg.startswith("-"):
            return None if arg == "--" else arg
    return None


def _only_the_invoked_command(argv: Sequence[str]) -> Callable[[], None]:
    """Typer builds every command's Click parameters at each start (inspecting each function); with a
    dozen commands that is most of a run's time. When the command line names one command, register
    just that one for this run. Help, completion and mistyped names keep the full set, so their
    listings and "did you mean" stay whole. Returns what puts the full set back."""
    commands, groups = app.registered_commands, app.registered_groups
    name = _invoked_command(argv)
    if name is None or any(k.endswith("_COMPLETE") for k in os.environ):
        return lambda: None
    from typer.main import get_command_name

    keep_c = [c for c in commands if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == name]
    keep_g = [g for g in groups if g.name == name]
    if len(keep_c) + len(keep_g) != 1:
        return lambda: None
    app.registered_commands, app.registered_groups = keep_c, keep_g

    def restore() -> None:
        app.registered_commands, app.registered_groups = commands, groups

    return restore


def main(argv: Optional[Sequence[str]] = None) -> int:  # noqa: UP045
    """Entry point of the `coder-pay` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    restore = _only_the_invoked_command(args)
    try:
        app(args=args, prog_name="coder-pay")
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else 1
    finally:
        restore()
    return 0


__all__ = ["Exit", "app", "main", "resolve_path"]
