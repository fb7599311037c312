"""`coder-pay batch`: many profiles from a CSV or JSON Lines file, one result per row, streamed.

The column reader (which input column means what) is batch_columns.py; the row pricing batch_rows.py; opening
the input, the output sink and what can go wrong while rows are written rows_io.py (shared with `audit`); the
worker processes workers.py. This module reads the options and writes JSON Lines, CSV or a workbook as the
rows come, in this process or with workers pricing them.
"""

import contextlib
import enum
import io
import itertools
import sys
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Optional

import typer

from coder_pay.documents import dumps
from coder_pay.table import Table

from .options import ColumnOpt, DelimiterOpt, ExcelOpt, OutputFileOpt
from .rows_io import (
    Sink,
    close_workbook,
    failed_row_line,
    input_name,
    open_input,
    output_sink,
    read_options,
    run_rows,
    xlsx_ready,
)
from .runtime import Exit, OutputError, app, fail, get_table, one_line, run


class InputFormat(str, enum.Enum):
    csv = "csv"
    jsonl = "jsonl"


class BatchFormat(str, enum.Enum):
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def batch(
    ctx: typer.Context,
    file: str = typer.Argument("-", metavar="[FILE|-]", help="CSV (with a header) or JSON Lines; - or nothing: stdin."),
    input_format: InputFormat = typer.Option(InputFormat.csv, "--input-format", help="csv (with a header) or jsonl."),
    out_format: BatchFormat = typer.Option(BatchFormat.jsonl, "--format", "-f",
                                           help="jsonl (each line the document of 'estimate --json', or of "
                                                "'offer --json' for a row with pay), csv, or xlsx (an Excel workbook; "
                                                "needs -o and the excel extra: pip install 'coder-pay[excel]')."),
    output: Optional[str] = OutputFileOpt,  # noqa: UP045
    excel: bool = ExcelOpt,
    column: list[str] = ColumnOpt,
    keep: list[str] = typer.Option([], "--keep", metavar="NAMES",
                                   help="Carry these input columns into the output (comma list, repeatable; "
                                        "'all' or '*' for every column): --keep name,employee_id."),
    delimiter: Optional[str] = DelimiterOpt,  # noqa: UP045
    fields: Optional[str] = typer.Option(None, "--fields", metavar="A,B,...",  # noqa: UP045
                                         help="Slim rows with these fields only (JSON Lines and CSV): row, "
                                              "state, area, area_name, cert, years, level, specialty, setting, "
                                              "remote, home, col, as_of, wage_year, low, mid, high, adjusted_low, adjusted_mid, "
                                              "adjusted_high; salary, percentile, verdict, target, gap, position (a pay "
                                              "column); take_home, take_home_adjusted, effective_rate (--after-tax)."),
    compact: bool = typer.Option(False, "--compact", help="Slim rows: row, wage_year, low, mid, high, adjusted_mid (and the "
                                                         "offer check and take-home when given)."),
    after_tax: bool = typer.Option(False, "--after-tax", help="With a pay column: each salary's take-home "
                                                              "(federal, FICA and state tax; single filer)."),
    summary: Optional[bool] = typer.Option(None, "--summary/--no-summary",  # noqa: UP045
                                           help="Counts on stderr at the end (rows below / within / above market, "
                                                "failed). Default: on with a pay column."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N",  # noqa: UP045
                                       help="Processes pricing a CSV input's rows: this one and N-1 workers (the "
                                            "output and its order are the same). Default: one per CPU for a file "
                                            "of 1 MiB or more (on Linux), else 1."),
) -> None:
    """Price many profiles: one result per input row, in order, streamed (JSON Lines, CSV or Excel).

    Columns (CSV header) or keys (JSON Lines): state, cert, years, level, specialty, setting,
    remote, home, col, as_of, area, zip, and pay (each row with pay becomes an offer check): salary, an hourly
    rate (Hourly Rate, Pay Rate: times the table's hours a year, said so) and a pay basis (Pay Type:
    Hourly or Salary), also under other common names (Certifications, Years of Experience, Annual
    Salary...). Empty cells and HR placeholders (N/A, None, -, unknown) mean not given. A bad row is
    reported on stderr with its row number (the spreadsheet's) and name, and keeps its place in the
    output; the exit status is then 3.
    """
    table = run(False, lambda: get_table(ctx))
    cols, kept, delim = run(False, lambda: read_options(column, keep, delimiter))
    if out_format == BatchFormat.xlsx:
        run(False, xlsx_ready(output))
    if excel and out_format != BatchFormat.csv:
        fail("conflicting_options", "--excel is for --format csv (a workbook, --format xlsx, needs no mark).", Exit.USAGE,
             False)
    spec = _BatchSpec(input_format.value, out_format.value, cols, kept, delim, fields, compact, after_tax, excel)
    written = [0]
    with open_input(file) as (source, size):
        with output_sink(output, binary=out_format != BatchFormat.xlsx) as sink:
            b = run_rows(file, source, size, sink, written, output,
                         lambda lines: _write_batch(table, lines, spec, sink, written, output,
                                                    _jobs(jobs, size, spec)))
    if b is None:
        sys.stderr.write(f"coder-pay: note: {input_name(file)} is empty: no header and no rows, nothing to price.\n")
        return
    for note in b.notes:
        sys.stderr.write(f"coder-pay: note: {one_line(note)}\n")
    if summary or (summary is None and b.has_salary):
        sys.stderr.write(f"coder-pay: {_batch_summary(b)}\n")
    if b.failed:
        raise typer.Exit(Exit.ROWS_FAILED)


#: The size of an input file from which batch prices its rows in one process per CPU by default (--jobs).
PARALLEL_FROM_BYTES = 1 << 20


def _jobs(asked: int | None, size: int | None, spec: "_BatchSpec") -> int:
    """How many processes price the rows: this one and jobs - 1 workers (1: this one alone). Workers price CSV input,
    for every output, where the platform forks safely (coder_pay.workers.can_fork)."""
    from coder_pay.workers import can_fork, cpus

    if spec.input_format != "csv" or not can_fork():
        return 1
    if asked is not None:
        return asked
    return cpus() if size is not None and size >= PARALLEL_FROM_BYTES else 1


# --------------------------------------------------------------------------- writing the rows


class _BatchSpec(NamedTuple):
    input_format: str
    out_format: str
    columns: dict[str, str]
    keep: list[str]
    delimiter: Optional[str]  # noqa: UP045
    fields: Optional[str]  # noqa: UP045
    compact: bool
    after_tax: bool
    excel: bool = False

    @property
    def lean(self) -> bool:
        return self.out_format in ("csv", "xlsx") or self.fields is not None or self.compact


def _batch_summary(b: Any) -> str:
    """'250 rows: 41 below market, 180 within market, 27 above market; 2 failed'."""
    from coder_pay.decide import VERDICTS

    n = sum(b.verdicts.values())
    rows = b.rows - b.blank - b.repeated_header_count
    if b.has_salary:
        parts = [f"{b.verdicts.get(v, 0):,} {v}" for v in VERDICTS]
        unpriced = rows - n - b.failed
        if unpriced:
            parts.append(f"{unpriced:,} without pay")
        text = ", ".join(parts)
    else:
        text = f"{rows - b.failed:,} priced"
    skipped = [f"{k:,} {what}" for k, what in ((b.blank, "blank"), (b.repeated_header_count, "repeated header")) if k]
    return (f"{rows:,} row{'s' if rows != 1 else ''}: {text}; {b.failed:,} failed"
            + (f" ({', '.join(skipped)} skipped)" if skipped else ""))


def _write_batch(table: Table, lines: Any, spec: _BatchSpec, sink: Sink, written: list[int],
                 output: str | None, jobs: int = 1) -> Any:
    """The batch loop: rows in, encoded lines out (in `jobs` worker processes when more than one). Returns the
    Batch (its counts), or None for an empty input. Failed rows are reported on stderr as they come."""
    from coder_pay.batch_rows import Batch

    full_json = not spec.lean
    b = Batch(table, lines, spec.input_format, columns=spec.columns, keep=spec.keep, delimiter=spec.delimiter,
              lean=spec.lean, after_tax=spec.after_tax, render=_jsonl_encoder(table) if full_json else None)
    if b.layout is None and b.input_format == "csv":
        return None  # an empty input: no output at all
    from coder_pay.documents import batch_fields

    chosen = batch_fields(spec.fields, spec.compact, b.has_salary, spec.after_tax) if spec.lean else ()
    if spec.out_format == "xlsx":
        _write_batch_xlsx(b, chosen, output or "", written, jobs)
        return b
    out = sink.stream
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    err = sys.stderr.write

    def failed(line: str) -> None:
        text.flush()
        out.flush()
        err(line)

    try:
        if spec.out_format == "csv":
            from coder_pay.documents import csv_cell

            text.write(("\ufeff" if spec.excel else "") + ",".join(map(csv_cell, [*b.kept, *chosen, "notes", "error"]))
                       + "\n")
        if jobs > 1:  # (_jobs: CSV input only)
            _write_rows_in_workers(b, _row_writer(b, spec, chosen), jobs, sink, written, failed)
        else:
            emit = _row_writer(b, spec, chosen)(text.write, out.write, failed)
            for r in b.with_input():
                emit(r)
                written[0] += 1
        text.flush()
    finally:
        text.detach()
    return b


RowWriter = Callable[[Callable[[str], Any], Callable[[bytes], Any], Callable[[str], None]], Callable[[Any], None]]


def _row_writer(b: Any, spec: _BatchSpec, chosen: tuple[str, ...]) -> RowWriter:
    """How one row (a KeptRow) is written in the chosen output format: given where text and bytes go and what
    to do with a failed row's line for stderr, the function that writes a row."""
    from coder_pay.batch_rows import RowError
    from coder_pay.documents import batch_error_doc

    kept: list[str] = list(b.kept)

    if spec.out_format == "csv":
        from coder_pay.documents import batch_csv_encoder, csv_cell

        line = batch_csv_encoder(chosen)
        blank = "," * (len(chosen) - 1)
        where = chosen.index("row") if "row" in chosen else -1

        def csv_rows(write: Callable[[str], Any], write_bytes: Callable[[bytes], Any],
                     failed: Callable[[str], None]) -> Callable[[Any], None]:
            def emit(r: Any) -> None:
                n, res, inp, ident, said = r
                front = "" if inp is None else ",".join([csv_cell(inp.get(k)) for k in kept]) + ","
                notes = csv_cell("; ".join(said)) if said else ""
                if type(res) is RowError:
                    cells = blank if where < 0 else "," * where + str(n) + "," * (len(chosen) - 1 - where)
                    write(f"{front}{cells},{notes},{csv_cell(res.message)}\n")
                    failed(failed_row_line(n, res.message, ident))
                else:
                    write(f"{front}{line(n, res)},{notes},\n")
            return emit
        return csv_rows

    def failed_json(write: Callable[[str], Any], failed: Callable[[str], None], r: Any) -> None:
        """A failed row in JSON Lines (slim or full): its error document, with the row's notes, then on stderr."""
        n, res, inp, ident, said = r
        doc = batch_error_doc(n, res.code, res.message, res.field, inp)
        if said:
            doc["notes"] = list(said)
        write(dumps(doc) + "\n")
        failed(failed_row_line(n, res.message, ident))

    if spec.lean:
        from coder_pay.documents import batch_json_encoder

        slim = batch_json_encoder(chosen)

        def slim_rows(write: Callable[[str], Any], write_bytes: Callable[[bytes], Any],
                      failed: Callable[[str], None]) -> Callable[[Any], None]:
            def emit(r: Any) -> None:
                n, res, inp, ident, said = r
                if type(res) is RowError:
                    failed_json(write, failed, r)
                else:
                    js = slim(n, res, inp)
                    write((js[:-1] + ', "notes": ' + dumps(list(said)) + "}" if said else js) + "\n")
            return emit
        return slim_rows

    from coder_pay.documents import with_input

    def full_rows(write: Callable[[str], Any], write_bytes: Callable[[bytes], Any],
                  failed: Callable[[str], None]) -> Callable[[Any], None]:
        def emit(r: Any) -> None:
            n, res, inp, ident, said = r
            if type(res) is RowError:
                failed_json(write, failed, r)
            elif inp is None and not said:
                write_bytes(res)  # bytes, encoded once per profile (text is written through: order kept)
            else:
                js = with_input(res.decode()[:-1], inp)
                write((js[:-1] + ', "row_notes": ' + dumps(list(said)) + "}" if said else js) + "\n")
        return emit
    return full_rows


#: Rows a worker process prices at a time (`_write_rows_in_workers`).
WORKER_CHUNK = 1000


def _write_rows_in_workers(b: Any, writer: RowWriter, jobs: int, sink: Sink, written: list[int],
                           failed: Callable[[str], None]) -> None:
    """The rows priced and written out in `jobs` worker processes (`_in_workers`), put out here in order: each
    chunk's output comes back as bytes, each failed row ending a piece with its line for stderr."""
    parts: list[str] = []
    pieces: list[tuple[bytes, int, str | None]] = []
    rows = [0]

    def end_piece(line: str | None) -> None:
        pieces.append(("".join(parts).encode(), rows[0], line))
        parts.clear()
        rows[0] = 0

    emit = writer(parts.append, lambda data: parts.append(data.decode()), end_piece)

    def encode(chunk: list[Any]) -> list[tuple[bytes, int, str | None]]:
        for r in chunk:
            rows[0] += 1
            emit(r)
        end_piece(None)
        done = pieces.copy()
        pieces.clear()
        return done

    sink.flush()  # nothing buffered is copied into the workers
    out = sink.stream
    with _in_workers(b, jobs, encode) as chunks:
        for done in chunks:
            for data, k, line in done:
                out.write(data)
                written[0] += k
                if line is not None:
                    failed(line)


@contextlib.contextmanager
def _in_workers(b: Any, jobs: int, encode: Callable[[list[Any]], Any]) -> Iterator[Iterator[Any]]:
    """The CSV rows of `b` priced in `jobs` worker processes (coder_pay.workers), WORKER_CHUNK rows at a time: for
    each chunk in order, `encode(its KeptRows)` as a worker made it. The rows are read here (csv_records: their
    numbers, blank lines, repeated headers) and each worker's counts added to `b` (Batch.take_counts)."""
    from coder_pay.batch_rows import KeptRow
    from coder_pay.workers import ordered_map

    price = b.csv_pricer()

    def work(chunk: list[Any]) -> tuple[Any, Any]:
        done = encode([item if type(item) is KeptRow else price(*item) for item in chunk])
        return done, b.take_counts()

    records = b.csv_records()
    chunks = iter(lambda: list(itertools.islice(records, WORKER_CHUNK)), [])

    def results(answers: Iterator[tuple[Any, Any]]) -> Iterator[Any]:
        for done, counts in answers:
            b.add_counts(counts)
            yield done

    with ordered_map(work, chunks, jobs) as answers:
        yield results(answers)


def _write_batch_xlsx(b: Any, chosen: tuple[str, ...], path: str, written: list[int], jobs: int = 1) -> None:
    """The rows as an Excel workbook: one sheet, typed cells (money as dollars), frozen header, a filter. The rows are
    priced as the writer pulls them (xlsx.Workbook.close), failed rows reported on stderr as they come."""
    from coder_pay import xlsx

    kinds = {"row": xlsx.INT, "years": xlsx.NUMBER, "remote": xlsx.BOOL, "as_of": xlsx.INT, "wage_year": xlsx.INT,
             "percentile": xlsx.NUMBER, "effective_rate": xlsx.PERCENT}
    money = {"low", "mid", "high", "adjusted_low", "adjusted_mid", "adjusted_high", "salary", "target", "gap", "take_home",
             "take_home_adjusted"}
    columns = ([(k, xlsx.TEXT) for k in b.kept] + [(f, xlsx.MONEY if f in money else kinds.get(f, xlsx.TEXT)) for f in chosen]
               + [("notes", xlsx.TEXT), ("error", xlsx.TEXT)])
    try:
        book = xlsx.Workbook(path)
    except OSError as e:
        raise OutputError(one_line(path), e) from None
    try:
        with contextlib.ExitStack() as stack:
            cells = _xlsx_cells(b, chosen)
            if jobs > 1:  # (_jobs: CSV input only)
                chunks = stack.enter_context(_in_workers(b, jobs, lambda rows: [cells(r) for r in rows]))
                rows: Iterator[Any] = itertools.chain.from_iterable(chunks)
            else:
                rows = map(cells, b.with_input())
            book.sheet("Rows", columns, _xlsx_rows(rows, written))
            close_workbook(book, path)
    finally:
        book.discard()


def _xlsx_rows(rows: Iterator[tuple[list[Any], str | None]], written: list[int]) -> Iterator[list[Any]]:
    """The workbook's rows as the writer pulls them, each failed row said on stderr as it comes."""
    err = sys.stderr.write
    for cells, line in rows:
        if line is not None:
            err(line)
        written[0] += 1
        yield cells


def _xlsx_cells(b: Any, chosen: tuple[str, ...]) -> Callable[[Any], tuple[list[Any], str | None]]:
    """A row (a KeptRow) as the workbook's cells (kept input columns, `chosen` fields, notes, error), with its line
    for stderr when it failed."""
    from coder_pay.batch_rows import RowError
    from coder_pay.documents import BATCH_FIELDS, batch_values

    at = [list(BATCH_FIELDS).index(f) for f in chosen]
    cert = chosen.index("cert") if "cert" in chosen else -1  # credentials: a tuple, written 'CPC;CRC'
    row_at = chosen.index("row") if "row" in chosen else -1
    kept = list(b.kept)

    def cells_of(r: Any) -> tuple[list[Any], str | None]:
        n, res, inp, ident, said = r
        front = [] if inp is None else [inp.get(k) for k in kept]
        note = "; ".join(said) if said else None
        if type(res) is RowError:
            cells: list[Any] = [None] * len(chosen)
            if row_at >= 0:
                cells[row_at] = n
            return [*front, *cells, note, res.message], failed_row_line(n, res.message, ident)
        v = batch_values(n, res)
        cells = [v[i] for i in at]
        if cert >= 0:
            cells[cert] = ";".join(cells[cert])
        return [*front, *cells, note, None], None
    return cells_of


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


