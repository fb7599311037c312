"""Files and streams: write a file atomically, read a byte stream as text lines with a hook
before each read. No printing, no Typer, no Rich."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def is_device(path: str | os.PathLike[str]) -> bool:
    """True when `path` names something that is neither a regular file nor a directory (/dev/null, /dev/stdout, a
    named pipe, a terminal): output goes straight into it; it is never replaced by a file."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_atomic(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one, never
    a part: the bytes go to a temporary file in the same directory, which then replaces `path`.
    A device or a named pipe (`is_device`) is written into directly: there is no file to replace.

    Raises FileExistsError if `path` exists and `overwrite` is false (checked atomically where
    the file system supports hard links), and OSError if the directory cannot be written.
    The temporary file is removed on any failure."""
    target = Path(path)
    if is_device(target):
        with open(target, "wb") as out:
            out.write(data)
        return
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a new file gets the usual mode
        if overwrite:
            os.replace(tmp, target)
        else:
            _create_exclusive(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _create_exclusive(tmp: str, target: Path) -> None:
    """Move `tmp` to `target` only if `target` does not exist."""
    try:
        os.link(tmp, target)  # fails with FileExistsError if target exists: no window for a race
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some file systems): check, then rename
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _WatchedReader(io.RawIOBase):
    """A raw byte stream that calls `before_read()` before each read of the source (the moment
    the reader may wait for more input) and `on_read(n)` after it."""

    def __init__(self, source: Any, before_read: Callable[[], None] | None,
                 on_read: Callable[[int], None] | None):
        super().__init__()
        self._source = source
        self._readinto = getattr(source, "readinto1", None) or source.readinto
        self._before = before_read
        self._after = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._before is not None:
            self._before()
        n: int = self._readinto(buffer) or 0
        if self._after is not None and n:
            self._after(n)
        return n


def text_lines(source: IO[bytes], *, before_read: Callable[[], None] | None = None,
               on_read: Callable[[int], None] | None = None, chunk: int = 1 << 16) -> io.TextIOWrapper:
    """`source` (bytes) as a stream of text lines for csv.reader or a JSON Lines loop.

    UTF-8, a leading byte-order mark dropped, bytes that are not UTF-8 replaced by U+FFFD, line
    endings kept as they are (newline='', as the csv module wants). `before_read` runs before
    every read of `source`, i.e. only when all input read so far has been used: the place to
    flush output so that it appears as rows arrive."""
    raw = _WatchedReader(source, before_read, on_read)
    return io.TextIOWrapper(io.BufferedReader(raw, buffer_size=chunk), encoding="utf-8-sig", errors="replace",
                            newline="")


def looks_binary(head: bytes) -> str | None:
    """Why the first bytes of an input are not text (None: they are): an Excel workbook, a zip, a PDF, or
    bytes with NULs or many control characters. Never the bytes themselves (they are not echoed)."""
    if head.startswith(b"PK\x03\x04"):
        return "it is a zip archive (an Excel .xlsx workbook is one): save it as CSV first"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it is an old Excel (.xls) or other Office file: save it as CSV first"
    if head.startswith(b"%PDF"):
        return "it is a PDF"
    if b"\x00" in head:
        return "it holds NUL bytes (a binary file, or UTF-16 text: save it as UTF-8 CSV)"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls > len(head) // 10:
        return "it holds control characters, not text"
    return None


class AtomicOutput(io.RawIOBase):
    """A byte stream that becomes `path` on `commit()`, whole, or never (`discard()`): written to a temporary
    file beside it, then moved into place. Raises OSError when the directory cannot be written. A device or a
    named pipe (`is_device`: /dev/null, /dev/stdout) is written into as the bytes come: it is never replaced."""

    def __init__(self, path: str | os.PathLike[str]):
        super().__init__()
        self.path = Path(path)
        self._tmp: str | None = None
        if is_device(self.path):
            self._f = open(self.path, "wb")  # noqa: SIM115 (closed by commit or discard)
            return
        directory = self.path.parent if str(self.path.parent) else Path(".")
        fd, self._tmp = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        self._f = os.fdopen(fd, "wb")

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        return self._f.write(b)

    def flush(self) -> None:
        # no `_f` when __init__ failed (the directory cannot be written); the stream's finaliser still calls
        # close() -> flush(), which must not raise (Python 3.13 prints what it raises as "Exception ignored")
        f = self.__dict__.get("_f")
        if f is not None and not f.closed:
            f.flush()

    def commit(self) -> None:
        try:
            self._f.flush()
            if self._tmp is not None:
                os.fsync(self._f.fileno())
            self._f.close()
            if self._tmp is not None:
                os.chmod(self._tmp, 0o666 & ~_umask())
                os.replace(self._tmp, self.path)
        finally:
            self.discard()

    def discard(self) -> None:
        if not self._f.closed:
            with contextlib.suppress(OSError):  # a device that refused the last bytes refuses them again
                self._f.close()
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass


__all__ = ["AtomicOutput", "looks_binary", "text_lines", "write_atomic"]
