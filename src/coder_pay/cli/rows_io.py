"""The input and output of a rows file, for `batch` and `audit`: the input opened as text (a binary file or a
workbook refused without echoing it), the output sink (stdout, or -o FILE written whole or not at all), and
run_rows, which runs the rows' loop and turns what can go wrong (a closed pipe, Ctrl-C, a full disk, a worker
that dies) into one line and its exit code. What the rows become is batch_cmd.py's and audit_cmd.py's.
"""

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import typer

from coder_pay.documents import dumps, error_doc
from coder_pay.query import UsageError
from coder_pay.table import TableError

from .runtime import Exit, OutputError, _silence_stdout, fail, one_line, output_failed

#: Output buffer of a batch: flushed whenever the input has to be read again, and at the end.
BATCH_OUT_BUFFER = 1 << 16


#: How much of the input is looked at to tell text from a binary file.
SNIFF_BYTES = 1 << 13


def read_options(column: list[str], keep: list[str], delimiter: str | None) -> tuple[dict[str, str], list[str], str | None]:
    """--column, --keep and --delimiter, checked (UsageError)."""
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


def xlsx_ready(output: str | None) -> Callable[[], None]:
    def check() -> None:
        if not output or output == "-":
            raise UsageError("missing_output", "--format xlsx writes a workbook: give its file with -o FILE.xlsx.", "output")
        from coder_pay.xlsx import require_excel

        require_excel()
    return check


def input_name(file: str) -> str:
    return "the input (stdin)" if file == "-" else one_line(file)


@contextlib.contextmanager
def open_input(file: str, json_mode: bool = False) -> Iterator[tuple[Any, int | None]]:
    """The input as a peekable byte stream and its size (None: a pipe or stdin). A file that cannot be opened,
    or that is not text (binary, a workbook), is a usage error that never echoes its bytes."""
    import stat

    from coder_pay.files import looks_binary

    if file == "-":
        raw: Any = getattr(sys.stdin.buffer, "raw", sys.stdin.buffer)  # unbuffered: a read returns what has come
        size = None
        if _is_tty(sys.stdin):
            sys.stderr.write("coder-pay: reading rows from the terminal (a CSV header first); end with Ctrl-D\n")
    else:
        try:
            raw = open(file, "rb", buffering=0)  # closed below
        except IsADirectoryError:
            fail("bad_input", f"cannot read {one_line(file)}: it is a directory", Exit.USAGE, json_mode)
        except OSError as e:
            fail("bad_input", f"cannot read {one_line(file)}: {e.strerror or e}", Exit.USAGE, json_mode)
        except ValueError as e:  # a NUL in the name (only in-process: argv cannot hold one)
            fail("bad_input", f"cannot read {one_line(file)}: not a usable file name: {e}", Exit.USAGE, json_mode)
        st = os.fstat(raw.fileno())
        size = st.st_size if stat.S_ISREG(st.st_mode) else None  # a pipe (<(...)) has no size to show progress on
    try:
        try:
            head = raw.read(SNIFF_BYTES) or b""  # one read: what has come so far (a terminal or pipe never waits for more)
        except OSError as e:
            fail("bad_input", f"cannot read {input_name(file)}: {e.strerror or e}", Exit.USAGE, json_mode)
        why = looks_binary(head)
        if why is not None:
            fail("binary_input", f"{input_name(file)} is not a CSV or JSON Lines text file: {why}.", Exit.USAGE,
                 json_mode)
        yield _Prefixed(head, raw), size
    finally:
        if file != "-":
            raw.close()


class _Prefixed(io.RawIOBase):
    """`head` (already read, to look at it), then the rest of `raw`: one stream again, each read returning what
    is there without waiting for more."""

    def __init__(self, head: bytes, raw: Any):
        super().__init__()
        self._head = memoryview(head)
        self._raw = raw
        self._readinto = getattr(raw, "readinto1", None) or raw.readinto

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        return int(self._readinto(buffer) or 0)


class Sink:
    """Where the output goes: stdout, or a file written whole on `commit` (-o FILE). Writes that fail (a full
    disk, a device that refuses them) raise OutputError naming the place; a closed pipe stays BrokenPipeError."""

    def __init__(self, output: str | None, binary: bool):
        import io

        from coder_pay.files import AtomicOutput

        self.path = output if output and output != "-" else None
        self.where = "the output" if self.path is None else one_line(self.path)
        self._atomic: AtomicOutput | None = None
        self.stream: Any = None
        if not binary:  # a workbook writes its own file (xlsx.Workbook), whole or not at all
            return
        if self.path is not None:
            try:
                self._atomic = AtomicOutput(self.path)
            except OSError as e:
                raise OutputError(self.where, e) from None
            self.stream = io.BufferedWriter(_Guarded(self._atomic.write, self.where), BATCH_OUT_BUFFER)
        else:
            self.stream = _binary_stdout()

    def flush(self) -> None:
        if self.stream is not None:
            self.stream.flush()

    def commit(self) -> None:
        self.flush()
        if self._atomic is not None:
            try:
                self._atomic.commit()
            except OSError as e:
                raise OutputError(self.where, e) from None

    def discard(self) -> None:
        if self._atomic is not None:
            self._atomic.discard()


class _Guarded(io.RawIOBase):
    """A raw byte stream over `write` whose failures (but a closed pipe) are OutputErrors naming `where`."""

    def __init__(self, write: Callable[[Any], Any], where: str):
        super().__init__()
        self._write = write
        self._where = where

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        try:
            n = self._write(b)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OutputError(self._where, e) from None
        return len(b) if n is None else int(n)


@contextlib.contextmanager
def output_sink(output: str | None, binary: bool = True, json_mode: bool = False) -> Iterator[Sink]:
    """The output of a run, committed when the body ends normally and discarded otherwise."""
    try:
        sink = Sink(output, binary)
    except OutputError as e:
        raise typer.Exit(output_failed(e, json_mode)) from None
    try:
        yield sink
        sink.commit()
    except BaseException:
        sink.discard()
        raise


def failed_row_line(n: int, message: str, ident: str | None) -> str:
    """The line on stderr for a row that failed: 'coder-pay: row 14 (Name: Ben Cole): Unknown state ...'."""
    who = f" ({ident})" if ident else ""
    return f"coder-pay: row {n}{who}: {one_line(message)}\n"


def _rows_written(n: int, sink: Sink) -> str:
    """What an interrupted run leaves: the rows written to stdout, or nothing in -o FILE (written whole or not)."""
    return (f"{n:,} row{'s' if n != 1 else ''} written" if sink.path is None
            else f"nothing written to {sink.where} (it is written whole or not at all)")


def run_rows(file: str, source: Any, size: int | None, sink: Sink, written: list[int], output: str | None,
             work: Callable[[Any], Any], json_mode: bool = False) -> Any:
    """Run `work(lines)` over the input with a progress bar when it helps, turning what can go wrong into its
    exit code: a closed pipe (0, quietly), Ctrl-C (130, saying how many rows were written), an unusable header
    or option (2), a table without [tax] (1), a failed write (4)."""
    from coder_pay.files import text_lines
    from coder_pay.workers import WorkerDied

    progress = None
    if size is not None and _is_tty(sys.stderr) and not (output is None and _is_tty(sys.stdout)):
        from coder_pay.render import batch_progress

        progress = batch_progress(size, os.path.basename(file))
    try:
        with progress if progress is not None else contextlib.nullcontext() as advance, _fewer_collections():
            lines = text_lines(source, before_read=sink.flush, on_read=advance)
            result = work(lines)
        sink.flush()
        return result
    except BrokenPipeError:  # the reader of stdout has gone (| head): stop quietly
        _silence_stdout()
        raise typer.Exit(Exit.OK) from None
    except KeyboardInterrupt:
        try:
            sink.flush()
        except (OSError, OutputError):
            pass
        where = _rows_written(written[0], sink)
        sys.stderr.write(f"\ncoder-pay: interrupted: {where}.\n" if not json_mode else
                         dumps(error_doc("interrupted", f"interrupted: {where}", Exit.INTERRUPTED)) + "\n")
        raise typer.Exit(Exit.INTERRUPTED) from None
    except OutputError as e:
        raise typer.Exit(output_failed(e, json_mode)) from None
    except UsageError as e:  # the header or an option is unusable: nothing has been written
        fail(e.code, e.message, Exit.USAGE, json_mode, field=e.field)
    except TableError as e:  # --after-tax with a table that has no [tax]
        fail("bad_table", str(e), Exit.ERROR, json_mode)
    except WorkerDied as e:  # killed, out of memory: what was written stays (stdout), a file is not written
        where = _rows_written(written[0], sink)
        fail("worker_died", f"{e}: {where}; --jobs 1 prices every row in one process", Exit.ERROR, json_mode)


#: While rows are priced, the garbage collector looks at new objects once this many have been made (Python's
#: default is 700): rows make many short-lived tuples and almost no cycles, and memory stays flat either way.
GC_YOUNG_THRESHOLD = 100_000


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    import gc

    before = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def close_workbook(book: Any, path: str) -> None:
    """Write an xlsx.Workbook (its rows are pulled now) and move it into place: an OutputError if it cannot be
    written; a note on stderr when text was cut to Excel's limit on a cell."""
    try:
        book.close()
    except OSError as e:
        raise OutputError(one_line(path), e) from None
    if book.truncated:
        from coder_pay.xlsx import MAX_TEXT

        n = book.truncated
        sys.stderr.write(f"coder-pay: note: {n:,} cell{'s' if n != 1 else ''} longer than Excel's {MAX_TEXT:,} characters "
                         f"cut short in {one_line(path)}.\n")


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
