"""The options commands share, each declared once, in groups.

The profile: the options that describe a person and a job (state, credentials, years, level, specialty,
setting, remote, home, price basis, as-of year) are declared once, in `PROFILE_OPTIONS` below; the output
options (--after-tax, --explain, --format, --json) in `OUTPUT_OPTIONS`. A command takes a group through
one parameter whose default says which of its options it wants:

    @app.command()
    @with_options
    def estimate(ctx: typer.Context, profile: Profile = profile_options(),
                 output: Output = output_options(after_tax=True, explain=True)) -> None:
        ...
        q = profile.query(table)  # one validated Query (or the UsageError of the first bad value)

`with_options` puts the group's options into the command's signature where that parameter stands (so
--help, completion and Click's parsing see them as the command's own), and calls the command with one
object holding the values typed (`Profile`, `Output`). `profile_options(without=...)` leaves some out
(`states` ranks every state, so it takes no --state), `only=...` keeps a few (take-home: where you
live, its prices), `helps=...` words an option for its command.

To add an option to every profile command (say --area): add a `SharedOption` to `PROFILE_OPTIONS` whose
name is a keyword of `query.build_query`, and give it its meaning there (a field of `Query`, and
`Query.as_dict` for the JSON `query`). Nothing else in the CLI changes. A command that must not take it
lists it in its `without` (or leaves it out of its `only`).
"""

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, NamedTuple, Optional, TypeVar

import typer

from coder_pay.query import Query
from coder_pay.table import Table

from .complete import (
    complete_area,
    complete_cert,
    complete_col,
    complete_home,
    complete_level,
    complete_setting,
    complete_specialty,
    complete_state,
)

F = TypeVar("F", bound=Callable[..., Any])


class SharedOption(NamedTuple):
    """One shared option: `name` is the parameter (for a profile option, a keyword of `query.build_query`),
    the rest is what `typer.Option` is given."""

    name: str
    annotation: Any
    default: Any
    decls: tuple[str, ...]
    help: str
    extra: dict[str, Any] = {}

    def option(self, help_: str | None = None) -> Any:
        """Its `typer.Option`, made once for each wording and shared by the commands (start-up time)."""
        key = (self.decls[0], help_ or self.help)
        made = _OPTIONS.get(key)
        if made is None:
            made = _OPTIONS[key] = typer.Option(self.default, *self.decls, help=help_ or self.help, **self.extra)
        return made

    def parameter(self, help_: str | None = None) -> inspect.Parameter:
        """Its parameter in a command's signature, made once for each wording (start-up time)."""
        key = (self.decls[0], help_ or self.help)
        made = _PARAMETERS.get(key)
        if made is None:
            made = _PARAMETERS[key] = inspect.Parameter(self.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                        annotation=self.annotation, default=self.option(help_))
        return made


_OPTIONS: dict[tuple[str, str], Any] = {}
_PARAMETERS: dict[tuple[str, str], inspect.Parameter] = {}


PROFILE_OPTIONS: tuple[SharedOption, ...] = (
    SharedOption("state", Optional[str], None, ("--state", "-s"),  # noqa: UP045
                  "State: USPS code or name (CA, ca, California). Default: national.",
                  {"autocompletion": complete_state}),
    SharedOption("area", Optional[str], None, ("--area", "-a"),  # noqa: UP045
                  "Where the job is: a city, metro, county or nonmetro area, with or without its state (Seattle, "
                  "'St. Paul, MN', 'Travis County, TX', 41940). Its wages and prices; the state follows from it.",
                  {"autocompletion": complete_area, "metavar": "PLACE"}),
    SharedOption("zip", Optional[str], None, ("--zip",),  # noqa: UP045
                  "Where the job is, by ZIP code: its metro (or nonmetro area), as --area.", {"metavar": "ZIP"}),
    SharedOption("certs", list[str], [], ("--cert", "-c"), "Credential held (repeat, or comma list): CPC, CCS, RHIT…",
                  {"autocompletion": complete_cert}),
    SharedOption("years", Optional[int], None, ("--years", "-y"), "Years of experience, 0-50."),  # noqa: UP045
    SharedOption("level", Optional[str], None, ("--level", "-l"),  # noqa: UP045
                  "entry, mid or senior (each a range of years), or a role above senior: supervisor, manager or "
                  "director. With --years, the years must fall in the level's range (a role's: senior's).",
                  {"autocompletion": complete_level}),
    SharedOption("specialty", Optional[str], None, ("--specialty",),  # noqa: UP045
                  "general, anesthesia, emergency, cardiology, oncology, surgery, risk-adjustment.",
                  {"autocompletion": complete_specialty}),
    SharedOption("setting", Optional[str], None, ("--setting",),  # noqa: UP045
                  "hospital, physician-office, outpatient, insurance, consulting, …",
                  {"autocompletion": complete_setting}),
    SharedOption("remote", bool, False, ("--remote",), "Remote job: national pay; --state (or --area) is where you "
                                                         "live."),
    SharedOption("home", Optional[str], None, ("--home",),  # noqa: UP045
                  "Compare prices with this state or place (city, metro, county, ZIP) instead of the US average.",
                  {"autocompletion": complete_home}),
    SharedOption("col", str, "all", ("--col",), "Price level: all (all items) or housing.",
                  {"autocompletion": complete_col}),
    SharedOption("as_of", Optional[int], None, ("--as-of",),  # noqa: UP045
                  "Age the wages to this year (BLS's published national medians, then the table's rate). Salary checks and "
                  "career use the current year unless given.", {"metavar": "YEAR"}),
)


class OptionGroup(NamedTuple):
    """Options a command takes together, and what hands them to it: the default of one parameter of the
    command (see `profile_options`, `output_options`), expanded by `with_options`."""

    options: tuple[SharedOption, ...]
    helps: dict[str, str]
    make: Callable[[dict[str, Any]], Any]


def _chosen(declared: tuple[SharedOption, ...], without: tuple[str, ...], only: tuple[str, ...] | None,
            helps: dict[str, str] | None) -> tuple[tuple[SharedOption, ...], dict[str, str]]:
    known = {o.name for o in declared}
    unknown = (set(without) | set(only or ()) | set(helps or {})) - known
    if unknown:
        raise ValueError(f"not options of this group: {', '.join(sorted(unknown))}")
    return tuple(o for o in declared if (only is None or o.name in only) and o.name not in without), dict(helps or {})


def profile_options(*, without: tuple[str, ...] = (), only: tuple[str, ...] | None = None,
                    helps: dict[str, str] | None = None) -> Any:
    """The default of a command's `profile` parameter: every profile option, or those `only` names, less
    those `without` names; `helps` rewords an option's help for this command. Read by `with_options`."""
    return OptionGroup(*_chosen(PROFILE_OPTIONS, without, only, helps), Profile)


class Profile:
    """The profile options as typed on the command line, for one command run."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def query(self, table: Table, *, territory: bool = False) -> Query:
        """Every value validated against the table: one `Query`, or the UsageError of the first bad one.
        `territory`: a territory's area (Puerto Rico's nonmetro area) is accepted (estimate only)."""
        from coder_pay.query import build_query

        return build_query(table, **self.values, territory=territory)


def with_options(fn: F) -> F:
    """Give a command its shared options: each parameter whose default is an `OptionGroup`
    (`profile_options(...)`, `output_options(...)`) becomes the group's options (in the signature Typer
    reads, at that place), and the command is called with one object of their values there (a `Profile`,
    an `Output`)."""
    sig = inspect.signature(fn)
    hints = dict(fn.__annotations__)
    if any(isinstance(h, str) for h in hints.values()):  # postponed annotations: evaluate them (slower)
        hints = typing.get_type_hints(fn)
    slots = {p.name: p.default for p in sig.parameters.values() if isinstance(p.default, OptionGroup)}
    if not slots:
        raise TypeError(f"{fn.__name__}: no parameter defaults to an option group")
    names = {slot: [o.name for o in g.options] for slot, g in slots.items()}
    declared = [n for ns in names.values() for n in ns] + [p for p in sig.parameters if p not in slots]
    twice = {n for n in declared if declared.count(n) > 1}
    if twice:
        raise TypeError(f"{fn.__name__}: {', '.join(sorted(twice))} declared twice (leave them out of a group)")
    params: list[inspect.Parameter] = []
    for p in sig.parameters.values():
        group = slots.get(p.name)
        if group is not None:
            params += [o.parameter(group.helps.get(o.name)) for o in group.options]
        else:
            hint = hints.get(p.name, p.annotation)
            params.append(p if hint is p.annotation else p.replace(annotation=hint))

    @functools.wraps(fn)
    def command(**kwargs: Any) -> Any:
        for slot, group in slots.items():
            kwargs[slot] = group.make({n: kwargs.pop(n) for n in names[slot]})
        return fn(**kwargs)

    setattr(command, "__signature__", sig.replace(parameters=params))  # noqa: B010 (mypy knows no such attribute)
    command.__annotations__ = {p.name: p.annotation for p in params if p.annotation is not inspect.Parameter.empty}
    command.__annotations__["return"] = hints.get("return", None)
    return typing.cast(F, command)


# ---- the output options: how a result is printed

OUTPUT_OPTIONS: tuple[SharedOption, ...] = (
    SharedOption("after_tax", bool, False, ("--after-tax",), "Also show take-home pay (federal, FICA and state "
                                                             "income tax of where you live; single filer) and what it buys."),
    SharedOption("explain", bool, False, ("--explain",), "Print long notes in full (what take-home leaves out) instead "
                                                         "of one line each."),
    SharedOption("fmt", Optional[str], None, ("--format",), "Output: table (default), json or csv.",  # noqa: UP045
                 {"metavar": "FORMAT"}),
    SharedOption("json", bool, False, ("--json",), "Print one JSON document instead of a table."),
)


class Output:
    """The output options as typed: --json, and where the command has them --format, --after-tax, --explain."""

    def __init__(self, values: dict[str, Any]):
        self.json: bool = values["json"]
        self.fmt: str | None = values.get("fmt")
        self.after_tax: bool = values.get("after_tax", False)
        self.explain: bool = values.get("explain", False)

    @property
    def json_wanted(self) -> bool:
        """Errors as JSON: --json, or --format json (as typed, before it is checked)."""
        return self.json or (self.fmt or "").strip().lower() == "json"

    def format(self) -> str:
        """table, json or csv (a UsageError for another --format)."""
        from coder_pay.query import resolve_format

        return resolve_format(self.fmt, self.json)


def output_options(*, after_tax: bool = False, explain: bool = False, fmt: bool = False) -> Any:
    """The default of a command's `output` parameter: --json, and the others asked for."""
    without = tuple(n for n, on in (("after_tax", after_tax), ("explain", explain), ("fmt", fmt)) if not on)
    return OptionGroup(*_chosen(OUTPUT_OPTIONS, without, None, None), Output)


# ---- an option shared outside the groups (data path, show, validate, check)

JsonOpt = next(o for o in OUTPUT_OPTIONS if o.name == "json").option()


# ---- the options of the commands that read a payroll or profile file (batch, audit), declared once

OutputFileOpt = typer.Option(None, "--output", "-o", metavar="FILE",
                             help="Write to FILE (whole, or not at all) instead of stdout.")
ExcelOpt = typer.Option(False, "--excel", help="With --format csv: start with a UTF-8 byte-order mark, so that Excel "
                                               "shows accents (José Núñez) when the file is opened.")
ColumnOpt = typer.Option([], "--column", metavar="COLUMN=NAME",
                         help="Read the input column NAME as COLUMN (repeat): --column salary='Base Pay'.")
DelimiterOpt = typer.Option(None, "--delimiter", "-d",
                            help="CSV delimiter: , ; tab or | (default: sniffed from the header).")
