"""The running CLI: the Typer app and its group, output to stdout, errors to exit codes, the table of the run.

Exit codes (see README "Exit codes", made from `Exit` and EXIT_MEANINGS): 0 success, 1 data-table or runtime
error, 2 usage error (bad option or value), 3 some batch or audit rows failed (the others were written),
4 the output could not be written (full disk, unwritable or missing output path), 130 interrupted (Ctrl-C).
The commands live beside this module (commands.py, batch_cmd.py, data_cmd.py); their shared
options in options.py. No business rules here: they live in the core (query.py, model.py, ...).
"""

import enum
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, Optional, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

try:  # Typer 0.28 bundles its own Click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    # click is not installed beside Typer 0.28 (hence import-not-found; no-redef where it is)
    from click import exceptions as click_exc  # type: ignore[no-redef, import-not-found, unused-ignore]

from coder_pay import __version__
from coder_pay.documents import dumps, error_doc
from coder_pay.query import UsageError
from coder_pay.table import Table, TableError, load_table

T = TypeVar("T")


class Exit(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    ROWS_FAILED = 3
    OUTPUT = 4
    INTERRUPTED = 130


#: What each exit code means: the README's exit-code table is made from this (scripts/docs.py).
EXIT_MEANINGS: dict[int, str] = {
    Exit.OK: "success (also when the reader of a pipe closes early: `coder-pay ... | head` ends quietly)",
    Exit.ERROR: "the data table is missing, unreadable or invalid (stderr names the file and the key or line); "
                "`data validate` found problems; `data check` found a held check outside its tolerance; "
                "`data init` would overwrite a file; a `batch` worker process ended unexpectedly (killed, out of "
                "memory)",
    Exit.USAGE: "bad usage: an unknown command or option, or a bad value (unknown state, misspelt credential, years "
                "out of range, conflicting options, a malformed salary), or an input file that cannot be read (missing, "
                "binary, not CSV); one line on stderr, nothing on stdout",
    Exit.ROWS_FAILED: "`batch` or `audit`: some rows could not be read; each is named on stderr with its row number, "
                      "and every other row was written",
    Exit.OUTPUT: "the output could not be written: a full disk, a device that refuses writes, a read-only or "
                 "missing output path (`-o`, `data init`'s file); one line on stderr, no half-written file",
    Exit.INTERRUPTED: "interrupted with Ctrl-C (`batch` says how many rows were written)",
}


def exit_code_table() -> str:
    """The README's exit-code table (Markdown), made from EXIT_MEANINGS (tests/test_output_errors.py checks it)."""
    rows = [f"| {int(code)} | {text.replace('|', chr(92) + '|')} |" for code, text in EXIT_MEANINGS.items()]
    return "\n".join(["| code | meaning |", "|---|---|", *rows])


class OutputError(Exception):
    """The output could not be written (not a closed pipe: that ends quietly)."""

    def __init__(self, where: str, error: OSError):
        super().__init__(where)
        self.where = where
        self.error = error

    @property
    def message(self) -> str:
        why = self.error.strerror or str(self.error) or type(self.error).__name__
        return f"cannot write {self.where}: {why}"


def output_failed(e: OutputError | OSError, json_mode: bool, where: str = "the output") -> int:
    """Say (one line, or a JSON error with --json) that the output could not be written; the exit code."""
    err = e if isinstance(e, OutputError) else OutputError(where, e)
    _silence_stdout()  # what is still buffered for stdout must not fail again at exit
    if sys.stderr is None:
        return Exit.OUTPUT
    try:
        if json_mode:
            sys.stderr.write(dumps(error_doc("output_error", err.message, Exit.OUTPUT)) + "\n")
        else:
            sys.stderr.write(f"coder-pay: error: {one_line(err.message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return Exit.OUTPUT


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
        from coder_pay.vintage import today

        today()  # a malformed $CODER_PAY_TODAY is a usage error here, before any answer is worked out
    table: Table = obj["table"]
    return table


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
        from coder_pay import render

        getattr(render, render_name)(table, result, **render_kw)
        return
    doc = to_doc(table, result)
    if fmt == "csv":
        from coder_pay.documents import csv_table

        write_csv(*csv_table(doc))
    else:
        write_json(with_notes(doc, notes))


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
            moved = self._global_option_misplaced(e, argv) or _output_option_missing(e, argv)
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
        except OutputError as e:
            code = output_failed(e, json_mode)
        except OSError as e:  # a write to stdout failed (full disk, a device that refuses writes)
            code = output_failed(e, json_mode)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
        except OSError as e:
            code = output_failed(e, json_mode) if code == Exit.OK else code
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


#: Options that choose an output format on the commands that have one: given to a command without them (estimate,
#: take-home), the answer points to --json rather than to a look-alike option.
_FORMAT_OPTIONS = ("--format", "-f", "--csv", "--output-format", "--table")


def _output_option_missing(e: Exception, argv: list[str]) -> str | None:
    """`estimate --format csv`: Click would suggest a look-alike (`--remote`); say what the command offers."""
    name = getattr(e, "option_name", None)
    if not isinstance(e, click_exc.NoSuchOption) or name not in _FORMAT_OPTIONS:
        return None
    command = _invoked_command(argv)
    return (f"{command} has no {name}: it prints a table, or one JSON document with --json "
            f"(coder-pay {command} --json).")


def prose(doc: str) -> str:
    """A docstring as help text: the lines of each paragraph joined, so that the terminal wraps them at
    its own width (Typer keeps a docstring's line breaks after its first paragraph). A line that starts
    a list item ('- ', '* ') or is indented keeps its own line."""
    import inspect

    out = []
    for para in inspect.cleandoc(doc).split("\n\n"):
        lines: list[str] = []
        for ln in para.split("\n"):
            if lines and not ln.startswith(("- ", "* ", " ")):
                lines[-1] += " " + ln.strip()
            else:
                lines.append(ln)
        out.append("\n".join(lines))
    return "\n\n".join(out)


#: Figures that help text takes from the data table, filled in only when help is shown (so that an
#: ordinary run does not read the table for its help): "{hours_per_year}" -> "2,080".
HELP_FIGURES: dict[str, Callable[[Table], str]] = {
    "{hours_per_year}": lambda t: f"{t.hours_per_year:,}" if t.hours_per_year else "",
}


class CoderPayCommand(TyperCommand):
    """A command whose help carries figures from the table in use (HELP_FIGURES)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        fill_help_figures(self, ctx)
        super().format_help(ctx, formatter)


def fill_help_figures(command: Any, ctx: Any) -> None:
    from .complete import _completion_table

    params = [p for p in command.params if any(k in (getattr(p, "help", None) or "") for k in HELP_FIGURES)]
    if not params:
        return
    table = _completion_table(ctx)  # the table in use (--data, $CODER_PAY_DATA); None if it cannot be read
    for p in params:
        for key, figure in HELP_FIGURES.items():
            p.help = p.help.replace(key, figure(table) if table is not None else "").replace("  ", " ")


def finish_commands(typer_app: typer.Typer) -> None:
    """Every command of the app (and of its groups) gets prose help and the figures of the table."""
    for info in typer_app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = prose(info.callback.__doc__)
        if info.cls in (None, TyperCommand):
            info.cls = CoderPayCommand
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            finish_commands(group.typer_instance)


def _silence_stdout() -> None:
    """After the reader of a pipe has gone, point stdout at /dev/null so that Python's
    final flush does not print 'Exception ignored … BrokenPipeError'."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
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
    if sys.stdout is None:  # started with stdout closed (`coder-pay states >&-`): nowhere to write
        json_mode = "--json" in args or "--format=json" in args or ("--format", "json") in zip(args, args[1:])
        return output_failed(OSError(9, "standard output is closed"), json_mode)
    restore = _only_the_invoked_command(args)
    try:
        app(args=args, prog_name="coder-pay")
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else 1
    finally:
        restore()
    return 0

