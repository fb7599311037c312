"""Files and streams: write a file atomically, read a byte stream as text lines with a hook
before each read. No printing, no Typer, no Rich."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def write_atomic(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one, never
    a part: the bytes go to a temporary file in the same directory, which then replaces `path`.

    Raises FileExistsError if `path` exists and `overwrite` is false (checked atomically where
    the file system supports hard links), and OSError if the directory cannot be written.
    The temporary file is removed on any failure."""
    target = Path(path)
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


__all__ = ["text_lines", "write_atomic"]
