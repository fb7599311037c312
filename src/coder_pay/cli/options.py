"""The options commands share, each declared once.

The profile: the options that describe a person and a job (state, credentials, years, level, specialty,
setting, remote, home, price basis, as-of year) are declared once, in `PROFILE_OPTIONS` below. A command
takes them all through one parameter:

    @app.command()
    @with_profile
    def estimate(ctx: typer.Context, profile: Profile = profile_options(), json_out: bool = JsonOpt) -> None:
        ...
        q = profile.query(table)  # one validated Query (or the UsageError of the first bad value)

`with_profile` puts the options into the command's signature where the `profile` parameter stands (so
--help, completion and Click's parsing see them as the command's own), and calls the command with one
`Profile` holding the values typed. `profile_options(without=...)` leaves some out (`states` ranks every
state, so it takes no --state), `only=...` keeps a few (take-home: where you live, its prices),
`helps=...` words one option for its command.

To add an option to every profile command: add a `ProfileOption` to `PROFILE_OPTIONS` whose name is a
keyword of `query.build_query` (and give it its meaning there: a field of `Query`, `Query.as_dict` for the
JSON `query`). Nothing else in the CLI changes. A command that does not want it lists it in `without`.
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
    complete_cert,
    complete_col,
    complete_level,
    complete_setting,
    complete_specialty,
    complete_state,
)

F = TypeVar("F", bound=Callable[..., Any])


class ProfileOption(NamedTuple):
    """One profile option: `name` is the parameter (a keyword of `query.build_query`), the rest is what
    `typer.Option` is given."""

    name: str
    annotation: Any
    default: Any
    decls: tuple[str, ...]
    help: str
    extra: dict[str, Any] = {}

    def option(self, help_: str | None = None) -> Any:
        return typer.Option(self.default, *self.decls, help=help_ or self.help, **self.extra)


PROFILE_OPTIONS: tuple[ProfileOption, ...] = (
    ProfileOption("state", Optional[str], None, ("--state", "-s"),  # noqa: UP045
                  "State: USPS code or name (CA, ca, California). Default: national.",
                  {"autocompletion": complete_state}),
    ProfileOption("certs", list[str], [], ("--cert", "-c"), "Credential held (repeat, or comma list): CPC, CCS, RHIT…",
                  {"autocompletion": complete_cert}),
    ProfileOption("years", Optional[int], None, ("--years", "-y"), "Years of experience, 0-50."),  # noqa: UP045
    ProfileOption("level", Optional[str], None, ("--level", "-l"),  # noqa: UP045
                  "entry, mid or senior (each a range of years), or a role above senior: supervisor, manager or "
                  "director. With --years, the years must fall in the level's range (a role's: senior's).",
                  {"autocompletion": complete_level}),
    ProfileOption("specialty", Optional[str], None, ("--specialty",),  # noqa: UP045
                  "general, anesthesia, emergency, cardiology, oncology, surgery, risk-adjustment.",
                  {"autocompletion": complete_specialty}),
    ProfileOption("setting", Optional[str], None, ("--setting",),  # noqa: UP045
                  "hospital, physician-office, outpatient, insurance, consulting, …",
                  {"autocompletion": complete_setting}),
    ProfileOption("remote", bool, False, ("--remote",), "Remote job: national pay; --state is where you live."),
    ProfileOption("home", Optional[str], None, ("--home",),  # noqa: UP045
                  "Compare prices with this state instead of the US average.", {"autocompletion": complete_state}),
    ProfileOption("col", str, "all", ("--col",), "Price level: all (all items) or housing.",
                  {"autocompletion": complete_col}),
    ProfileOption("as_of", Optional[int], None, ("--as-of",),  # noqa: UP045
                  "Age the wages to this year with the table's growth rate.", {"metavar": "YEAR"}),
)


class ProfileSpec(NamedTuple):
    """Which profile options a command takes, and any help worded for it (see `profile_options`)."""

    options: tuple[ProfileOption, ...]
    helps: dict[str, str]


def profile_options(*, without: tuple[str, ...] = (), only: tuple[str, ...] | None = None,
                    helps: dict[str, str] | None = None) -> Any:
    """The default of a command's `profile` parameter: every profile option, or those `only` names, less
    those `without` names; `helps` rewords an option's help for this command. Read by `with_profile`."""
    known = {o.name for o in PROFILE_OPTIONS}
    unknown = (set(without) | set(only or ()) | set(helps or {})) - known
    if unknown:
        raise ValueError(f"not profile options: {', '.join(sorted(unknown))}")
    chosen = tuple(o for o in PROFILE_OPTIONS if (only is None or o.name in only) and o.name not in without)
    return ProfileSpec(chosen, dict(helps or {}))


class Profile:
    """The profile options as typed on the command line, for one command run."""

    def __init__(self, values: dict[str, Any]):
        self.values = values

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def query(self, table: Table) -> Query:
        """Every value validated against the table: one `Query`, or the UsageError of the first bad one."""
        from coder_pay.query import build_query

        return build_query(table, **self.values)


def with_profile(fn: F) -> F:
    """Give a command the profile options: its parameter whose default is `profile_options(...)` becomes
    those options (in the signature Typer reads, at that place), and the command is called with one
    `Profile` of their values in that parameter."""
    sig = inspect.signature(fn)
    hints = typing.get_type_hints(fn)
    slot = next((p for p in sig.parameters.values() if isinstance(p.default, ProfileSpec)), None)
    if slot is None:
        raise TypeError(f"{fn.__name__}: no parameter defaults to profile_options()")
    spec: ProfileSpec = slot.default
    names = [o.name for o in spec.options]
    clash = set(names) & (set(sig.parameters) - {slot.name})
    if clash:
        raise TypeError(f"{fn.__name__}: {', '.join(sorted(clash))} declared twice (leave them out of the profile)")
    params: list[inspect.Parameter] = []
    for p in sig.parameters.values():
        if p is slot:
            params += [inspect.Parameter(o.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=o.annotation,
                                         default=o.option(spec.helps.get(o.name))) for o in spec.options]
        else:
            params.append(p.replace(annotation=hints.get(p.name, p.annotation)))

    @functools.wraps(fn)
    def command(**kwargs: Any) -> Any:
        kwargs[slot.name] = Profile({n: kwargs.pop(n) for n in names})
        return fn(**kwargs)

    setattr(command, "__signature__", sig.replace(parameters=params))  # noqa: B010 (a function has no such attribute for mypy)
    command.__annotations__ = {p.name: p.annotation for p in params if p.annotation is not inspect.Parameter.empty}
    command.__annotations__["return"] = hints.get("return", None)
    return typing.cast(F, command)


# ---- the other shared options

JsonOpt = typer.Option(False, "--json", help="Print one JSON document instead of a table.")
FormatOpt = typer.Option(None, "--format", metavar="FORMAT", help="Output: table (default), json or csv.")
AfterTaxOpt = typer.Option(False, "--after-tax", help="Also show take-home pay (federal, FICA and state income tax "
                                                      "of where you live; single filer) and what it buys.")
ExplainOpt = typer.Option(False, "--explain", help="Print long notes in full (what take-home leaves out) instead of "
                                                   "one line each.")
