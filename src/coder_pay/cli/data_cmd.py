"""`coder-pay data`: the data table in use (path, show), validate one, back-test the model (check), copy it (init)."""

import os
import sys
from typing import Optional

import typer

from coder_pay.table import resolve_path

from .options import JsonOpt
from .runtime import Exit, app, fail, get_table, run, write_json, write_out

data_app = typer.Typer(name="data",
                       help="The data table: where it is, what it holds; validate one; back-test the model; start your own.",
                       no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(data_app, name="data")


def _table_origin(ctx: typer.Context) -> tuple[str, str]:
    """The path of the table in use and what chose it: --data, $CODER_PAY_DATA or the packaged one."""
    from coder_pay.table import ENV_VAR

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
        from coder_pay.documents import data_path_doc

        write_json(data_path_doc(path, origin))
    else:
        write_out(path)


@data_app.command("show")
def data_show(ctx: typer.Context, json_out: bool = JsonOpt) -> None:
    """Summarise the table in use: vintage, sources with their years, and what it covers."""
    table = run(json_out, lambda: get_table(ctx))
    if json_out:
        from coder_pay.documents import data_show_doc

        write_json(data_show_doc(table))
    else:
        from coder_pay.render import print_data_show

        print_data_show(table, _table_origin(ctx)[1])


@data_app.command("validate")
def data_validate(
    ctx: typer.Context,
    file: Optional[str] = typer.Argument(None, metavar="[FILE]", help="The table to check (default: the table in use)."),  # noqa: UP045
    json_out: bool = JsonOpt,
) -> None:
    """Check a data table and list every problem found, each with its key and line; exit 1 if any."""
    from coder_pay.table import check_table

    path = file if file is not None else _table_origin(ctx)[0]
    problems = check_table(path)
    if json_out:
        from coder_pay.documents import data_validate_doc

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
        help="Only this family: states, national, industries, levels, ratios, ranges, metros or nonmetro."),
    failed: bool = typer.Option(False, "--failed", help="List only the failed checks (the summaries count them all)."),
) -> None:
    """Back-test the model: each published figure beside the model's answer, with the error; exit 1 if one fails.

    Families: states (BLS state medians), national (BLS percentiles), industries
    (BLS industry medians), and the table's back-test entries: levels, ratios, ranges.
    Entries with held = false are shown with their note and never fail.
    """
    from coder_pay.backtest import FAMILIES, run_backtest
    from coder_pay.query import resolve_choice

    table = run(json_out, lambda: get_table(ctx))
    fam = run(json_out, lambda: resolve_choice(family, FAMILIES, "family", "--family")) if family is not None else None
    bt = run(json_out, lambda: run_backtest(table, (fam,) if fam else FAMILIES))
    if json_out:
        from coder_pay.documents import data_check_doc

        write_json(data_check_doc(table, bt, fam, failed))
    else:
        from coder_pay.render import print_data_check

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
    from coder_pay.files import write_atomic

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
        fail("cannot_write", f"cannot write {file}: {e.strerror or e}", Exit.OUTPUT, False)
    except ValueError as e:  # a NUL in the name (only in-process: argv cannot hold one)
        fail("cannot_write", f"cannot write {file}: not a usable file name: {e}", Exit.ERROR, False)
    sys.stderr.write(f"coder-pay: wrote {file} (a copy of {table.path})\n")
