"""`coder-pay batch`: many profiles from a CSV or JSON Lines file, one result per row, streamed.

The column reader (which input column means what) is batch_columns.py; the row pricing batch.py;
this module reads the options, opens the input, and writes JSON Lines or CSV as the rows come.
"""

import enum
import os
import sys
from collections.abc import Callable
from typing import Any, NamedTuple, Optional

import typer

from coder_pay.documents import dumps
from coder_pay.query import UsageError
from coder_pay.table import Table, TableError

from .runtime import Exit, _silence_stdout, app, fail, get_table, one_line, run


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
                                              "state, area, area_name, cert, years, level, specialty, setting, "
                                              "remote, home, col, as_of, low, mid, high, adjusted_low, adjusted_mid, "
                                              "adjusted_high; "
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

    from coder_pay.files import text_lines

    table = run(False, lambda: get_table(ctx))

    def options() -> tuple[dict[str, str], list[str], str | None]:
        from coder_pay.batch_columns import parse_column_option, resolve_delimiter

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
        from coder_pay.render import batch_progress

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
    from coder_pay.decide import VERDICTS

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

    from coder_pay.batch import Batch, RowError
    from coder_pay.documents import batch_error_doc

    full_json = not spec.lean
    b = Batch(table, lines, spec.input_format, columns=spec.columns, keep=spec.keep, delimiter=spec.delimiter,
              lean=spec.lean, after_tax=spec.after_tax, render=_jsonl_encoder(table) if full_json else None)
    if b.layout is None and b.input_format == "csv":
        return None  # an empty input: no output at all
    from coder_pay.documents import batch_fields

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
            from coder_pay.documents import batch_csv_encoder, csv_cell

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
            from coder_pay.documents import batch_json_encoder

            slim = batch_json_encoder(chosen)
            for n, res, inp, ident in b.with_input():
                if type(res) is RowError:
                    write(dumps(batch_error_doc(n, res.code, res.message, res.field, inp)) + "\n")
                    failed(n, res, inp, ident)
                else:
                    write(slim(n, res, inp) + "\n")
        else:
            from coder_pay.documents import with_input

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
    from coder_pay.documents import EstimateJSON, offer_doc
    from coder_pay.model import Estimate

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
