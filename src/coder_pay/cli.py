"""The command-line interface: options in, a query to the model, a renderer out.

Exit codes (see README "Exit codes"): 0 success, 1 data-table or runtime error (or a batch
with failed rows), 2 usage error (bad option or value), 130 interrupted (Ctrl-C).
No business rules here: they live in model.py, query.py and table.py.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, Optional, TypeVar

import typer
from typer.core import TyperGroup

try:  # Typer 0.28 bundles its own Click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc  # type: ignore[no-redef]

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


def write_out(text: str) -> None:
    """Results to stdout (a closed pipe is handled in CoderPayGroup.main)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def write_json(doc: dict[str, Any]) -> None:
    write_out(dumps(doc))


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
             complete_var: Optional[str] = None, standalone_mode: bool = True, **extra: Any) -> Any:  # noqa: UP045
        argv = list(sys.argv[1:] if args is None else args)
        json_mode = "--json" in argv or "--format=json" in argv
        try:
            rv = super().main(args=argv, prog_name=prog_name or "coder-pay", complete_var=complete_var,
                              standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except click_exc.NoArgsIsHelpError as e:  # `coder-pay` (or a command group) alone: its help, as with --help
            if e.format_message().strip():  # (Typer's Rich help has already printed it)
                write_out(e.format_message())
            code = Exit.OK
        except click_exc.ClickException as e:
            code = e.exit_code if e.exit_code != 1 else Exit.USAGE
            msg = e.format_message()
            cmd = getattr(getattr(e, "ctx", None), "command_path", "coder-pay")
            if json_mode:
                sys.stderr.write(dumps(error_doc("usage", msg, code)) + "\n")
            else:
                sys.stderr.write(f"coder-pay: error: {msg} (see '{cmd} --help')\n")
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


# --------------------------------------------------------------------------- shared options

StateOpt = typer.Option(None, "--state", "-s", help="State: USPS code or name (CA, ca, California). Default: national.")
CertOpt = typer.Option([], "--cert", "-c", help="Credential held (repeat, or comma list): CPC, CCS, RHIT…")
YearsOpt = typer.Option(None, "--years", "-y", help="Years of experience, 0-50.")
LevelOpt = typer.Option(None, "--level", "-l", help="entry, mid, senior, supervisor, manager or director.")
SpecialtyOpt = typer.Option(None, "--specialty", help="general, anesthesia, emergency, cardiology, oncology, surgery, "
                                                      "risk-adjustment.")
SettingOpt = typer.Option(None, "--setting", help="hospital, physician-office, outpatient, insurance, consulting, …")
RemoteOpt = typer.Option(False, "--remote", help="Remote job: national pay; --state is where you live.")
HomeOpt = typer.Option(None, "--home", help="Compare prices with this state instead of the US average.")
ColOpt = typer.Option("all", "--col", help="Price level: all (all items) or housing.")
AsOfOpt = typer.Option(None, "--as-of", metavar="YEAR", help="Age the wages to this year with the table's growth rate.")
JsonOpt = typer.Option(False, "--json", help="Print one JSON document instead of a table.")


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
    json_out: bool = JsonOpt,
) -> None:
    """Estimate a salary band (low / typical / high) and its cost-of-living-adjusted value."""
    from .model import estimate as run_estimate
    from .query import build_query

    def work() -> Any:
        table = get_table(ctx)
        q = build_query(table, state=state, certs=cert, years=years, level=level, specialty=specialty,
                        setting=setting, remote=remote, home=home, col=col, as_of=as_of)
        return table, run_estimate(table, q)

    table, est = run(json_out, work)
    if json_out:
        from .documents import estimate_doc

        write_json(estimate_doc(table, est))
    else:
        from .render import print_estimate

        print_estimate(table, est)


def main(argv: Optional[Sequence[str]] = None) -> int:  # noqa: UP045
    """Entry point of the `coder-pay` command."""
    try:
        app(args=argv, prog_name="coder-pay")
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else 1
    return 0


__all__ = ["Exit", "app", "main", "resolve_path"]
