"""`coder-pay audit`: a payroll file's salaries against their market, summed up by group.

Reads its input as `batch` does (batch_cmd's open_input / run_rows: the same columns, placeholders, pay
reading and row numbering); the sums are pay_audit.py's; the table render/audit.py's; the JSON documents.py's.
"""

import enum
import sys
from collections.abc import Iterator
from typing import Any, Optional

import typer

from coder_pay.query import UsageError

from .batch_cmd import InputFormat
from .options import ColumnOpt, DelimiterOpt, ExcelOpt, JsonOpt, OutputFileOpt
from .rows_io import close_workbook, failed_row_line, open_input, output_sink, read_options, run_rows
from .runtime import Exit, OutputError, app, fail, get_table, one_line, run, write_csv, write_json


class AuditFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def audit(
    ctx: typer.Context,
    file: str = typer.Argument("-", metavar="[FILE|-]", help="A payroll file: CSV with a header, or JSON Lines; "
                                                             "- or nothing: stdin."),
    by: str = typer.Option("state", "--by", metavar="state|area|setting|level|COLUMN",
                           help="Group by the row's state, area, work setting or career level, or by an input "
                                "column (--by Department)."),
    top: int = typer.Option(10, "--top", min=0, max=1000, help="How many of the people furthest below market to list."),
    out_format: AuditFormat = typer.Option(AuditFormat.table, "--format", "-f",
                                           help="table, json, csv (one row per group, then the total) or xlsx (a "
                                                "workbook with a summary sheet and a rows sheet; needs -o and the "
                                                "excel extra: pip install 'coder-pay[excel]')."),
    json_out: bool = JsonOpt,
    output: Optional[str] = OutputFileOpt,  # noqa: UP045
    excel: bool = ExcelOpt,
    input_format: InputFormat = typer.Option(InputFormat.csv, "--input-format", help="csv (with a header) or jsonl."),
    column: list[str] = ColumnOpt,
    keep: list[str] = typer.Option([], "--keep", metavar="NAMES",
                                   help="Input columns that identify a person in the list of those furthest below "
                                        "market (default: the ID and name columns)."),
    delimiter: Optional[str] = DelimiterOpt,  # noqa: UP045
) -> None:
    """Audit pay: each salary against its market band, summed up by group (headcount, medians, how many
    are paid below the band's low and below typical, the yearly cost of bringing them up), with the
    people furthest below market. Reads what batch reads: salaries and hourly rates (with a Pay Type
    column), HR placeholders, repeated headers. Rows that cannot be read are named on stderr (exit 3).
    """
    fmt = "json" if json_out else out_format.value
    js = fmt == "json"
    if json_out and out_format not in (AuditFormat.table, AuditFormat.json):
        fail("conflicting_options", f"--json conflicts with --format {out_format.value}; give one of them.", Exit.USAGE,
             True)
    table = run(js, lambda: get_table(ctx))
    cols, kept, delim = run(js, lambda: read_options(column, keep, delimiter))
    if excel and fmt != "csv":
        fail("conflicting_options", "--excel is for --format csv.", Exit.USAGE, js)
    if output and output != "-" and fmt == "table":
        fail("conflicting_options", "-o writes a file for scripts or spreadsheets: give --format json, csv or xlsx with it.",
             Exit.USAGE, js)
    if fmt == "xlsx":
        from .rows_io import xlsx_ready

        run(js, xlsx_ready(output))
    group_column: str | None = None
    key = by.strip().lower()
    if key not in ("state", "area", "setting", "level"):
        if not by.strip():
            fail("empty_value", "--by needs a value: state, area, setting, level or a column's name.", Exit.USAGE, js)
        group_column = by.strip()
    written = [0]

    def work(lines: Any) -> Any:
        from coder_pay.batch_columns import looks_like, squash
        from coder_pay.batch_rows import Batch
        from coder_pay.pay_audit import run_audit

        b = Batch(table, lines, input_format.value, columns=cols, keep=kept or ["*"], delimiter=delim, lean=True)
        if b.layout is None:
            return None
        if group_column is not None and group_column not in b.kept:
            names = {squash(k): k for k in b.kept}
            if squash(group_column) not in names:
                import difflib

                near = difflib.get_close_matches(group_column, list(b.kept), n=1, cutoff=0.6)
                hint = f" Did you mean '{near[0]}'?" if near else ""
                raise UsageError("unknown_column", f"--by {one_line(group_column)}: the input has no such column.{hint} "
                                                   f"Its columns: {', '.join(b.kept)[:200]}.", "by")
        gc = None if group_column is None else next(k for k in b.kept if squash(k) == squash(group_column))
        ids = kept or [k for k in b.kept if _is_id(k) and looks_like(k) is None]
        keep_now: tuple[str, ...] = tuple(k for k in b.kept if k in ids or k == gc)  # what the report carries
        b.kept = keep_now

        def on_error(n: int, res: Any, ident: Any) -> None:
            if not js:
                sys.stderr.write(failed_row_line(n, res.message, ident))

        book = _AuditBook(output or "", [k for k in ids if k in b.kept], gc or key) if fmt == "xlsx" else None
        try:
            rep = run_audit(b, gc or key, top, group_column=gc, on_error=on_error,
                            on_row=None if book is None else book.row)
            if gc is not None and gc not in ids:
                rep = _without_column(rep, gc)
            if book is not None:
                book.finish(rep)
        finally:
            if book is not None:
                book.discard()
        return rep

    with open_input(file, js) as (source, size):
        to_file = fmt in ("csv", "json") and bool(output) and output != "-"
        with output_sink(output if to_file else None, binary=to_file, json_mode=js) as sink:
            rep = run_rows(file, source, size, sink, written, output, work, json_mode=js)
            if rep is None:
                said = f"{file if file != '-' else 'the input'} is empty: no header and no rows, nothing to audit."
                if not js:
                    sys.stderr.write(f"coder-pay: note: {one_line(said)}\n")
                    return
                from coder_pay.pay_audit import Tally

                r = Tally(key if group_column is None else group_column).report()
                import dataclasses

                rep = dataclasses.replace(r, notes=(said,))
            _emit(table, rep, fmt, output, excel, sink, js)
    if rep.total.failed:
        raise typer.Exit(Exit.ROWS_FAILED)


_ID_WORDS = ("id", "name", "number", "no", "num", "employee", "emp", "staff", "badge", "payroll")


def _is_id(name: str) -> bool:
    """An input column that identifies a person: Employee ID, Name, Emp No, Badge..."""
    import re

    words = [w for w in re.split(r"[^0-9a-z]+", name.lower()) if w]
    return bool(words) and any(w in _ID_WORDS for w in words) and len(words) <= 3


def _without_column(rep: Any, col: str) -> Any:
    import dataclasses

    furthest = tuple(dataclasses.replace(b, kept={k: v for k, v in (b.kept or {}).items() if k != col} or None)
                     for b in rep.furthest)
    return dataclasses.replace(rep, furthest=furthest)


def _emit(table: Any, rep: Any, fmt: str, output: str | None, excel: bool, sink: Any, js: bool) -> None:
    if fmt == "table":
        from coder_pay.render import print_audit

        print_audit(table, rep)
    elif fmt == "json":
        from coder_pay.documents import audit_doc, dumps

        if sink.stream is not None:  # -o FILE
            sink.stream.write((dumps(audit_doc(table, rep)) + "\n").encode())
        else:
            write_json(audit_doc(table, rep))
    elif fmt == "csv":
        from coder_pay.documents import AUDIT_CSV_COLUMNS, audit_csv_rows

        if sink.stream is not None:  # -o FILE
            import csv
            import io

            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(AUDIT_CSV_COLUMNS)
            w.writerows(audit_csv_rows(rep))
            sink.stream.write((("\ufeff" if excel else "") + buf.getvalue()).encode())
        else:
            if excel:
                sys.stdout.write("\ufeff")
            write_csv(list(AUDIT_CSV_COLUMNS), audit_csv_rows(rep))
    # xlsx: written as the rows came (_AuditBook)


class _AuditBook:
    """The audit as a workbook: a Summary sheet (the groups and the total), a Rows sheet (every row as it is read:
    its profile, pay, band, position, gap, notes or error) and a sheet of those furthest below market. The summary
    is known only once every row is read, and it comes first: the rows are spooled as they come to an anonymous
    temporary file (unlinked as it is made, so no one else can write to it; marshal, CHUNK rows a record) and the
    workbook is written on `finish` (memory stays flat), to a temporary file beside the target moved into place."""

    CHUNK = 1024

    def __init__(self, path: str, ids: list[str], by: str):
        import tempfile

        from coder_pay import xlsx

        self.path = path
        self.ids = ids
        self.by = by
        try:
            self.book = xlsx.Workbook(path)
        except OSError as e:
            raise OutputError(one_line(path), e) from None
        self._chunk: list[tuple[Any, ...]] = []
        self._room = xlsx.MAX_ROWS - 1  # data rows a sheet has room for
        try:
            self._spool = tempfile.TemporaryFile()
        except OSError as e:
            self.book.discard()
            raise OutputError("a temporary file", e) from None

    def row(self, n: int, res: Any, inp: Any, group: Any, notes: Any) -> None:
        from coder_pay.batch_rows import RowError
        from coder_pay.documents import position

        self._room -= 1
        if self._room < 0:  # said as soon as it is known, not once the whole file is read
            from coder_pay.xlsx import too_many_rows

            raise too_many_rows()
        front = (n, *[(inp or {}).get(k) for k in self.ids], group)
        note = "; ".join(notes) if notes else None
        if type(res) is RowError:
            cells: tuple[Any, ...] = (*front, *([None] * 12), note, res.message)
        else:
            q, band, o = res.query, res.band, res.offer
            pay = ((None, band.low, band.mid, band.high, None, None, None, None) if o is None else
                   (o.salary, band.low, band.mid, band.high, round(o.percentile, 1), position(o.percentile, o.beyond),
                    o.verdict, o.target))
            cells = (*front, q.state, ";".join(q.credentials), q.years, *pay, None if o is None else o.target - o.salary,
                     note, None)
        self._chunk.append(cells)
        if len(self._chunk) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        """The rows so far to the spool: marshal's bytes of the chunk, after their length (8 bytes)."""
        import marshal

        data = marshal.dumps(self._chunk)
        try:
            self._spool.write(len(data).to_bytes(8, "little") + data)
        except OSError as e:
            raise OutputError("a temporary file", e) from None
        self._chunk = []

    def _spooled(self) -> Iterator[tuple[Any, ...]]:
        import marshal

        self._flush()
        self._spool.seek(0)
        read = self._spool.read
        while size := read(8):
            yield from marshal.loads(read(int.from_bytes(size, "little")))

    def finish(self, rep: Any) -> None:
        from coder_pay import xlsx
        from coder_pay.documents import AUDIT_CSV_COLUMNS, audit_csv_rows, position

        kinds = {"by": xlsx.TEXT, "value": xlsx.TEXT, "median_salary": xlsx.MONEY, "median_typical": xlsx.MONEY,
                 "cost_to_low": xlsx.MONEY, "cost_to_typical": xlsx.MONEY}
        m, t = xlsx.MONEY, xlsx.TEXT
        self.book.sheet("Summary", [(c, kinds.get(c, xlsx.INT)) for c in AUDIT_CSV_COLUMNS], audit_csv_rows(rep))
        self.book.sheet("Rows", [("row", xlsx.INT), *[(k, t) for k in self.ids], (self.by, t), ("state", t), ("cert", t),
                                 ("years", xlsx.NUMBER), ("salary", m), ("low", m), ("typical", m), ("high", m),
                                 ("percentile", xlsx.NUMBER), ("position", t), ("verdict", t), ("target", m), ("gap", m),
                                 ("notes", t), ("error", t)], self._spooled())
        ids = list(rep.furthest[0].kept or {}) if rep.furthest else []
        self.book.sheet("Furthest below", [("row", xlsx.INT), *[(k, t) for k in ids], ("group", t), ("salary", m),
                                           ("low", m), ("typical", m), ("gap", m), ("ratio", xlsx.PERCENT),
                                           ("percentile", xlsx.NUMBER), ("position", t)],
                        ([b.row, *[(b.kept or {}).get(k) for k in ids], b.group, b.salary, b.low, b.typical, b.gap, b.ratio,
                          None if b.percentile is None else round(b.percentile, 1), position(b.percentile, b.beyond)]
                         for b in rep.furthest))
        close_workbook(self.book, self.path)

    def discard(self) -> None:
        self._spool.close()
        self.book.discard()
