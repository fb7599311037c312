"""The console every printer draws on (plain text when not a terminal or with NO_COLOR), and the glyphs
its stream can encode. Rich is imported inside the functions that draw."""

from __future__ import annotations

import functools
import os
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console





def console(stderr: bool = False) -> Console:
    """A console that writes plain text when not a terminal or when NO_COLOR is set, and only characters
    its stream can encode (a Windows redirect is cp1252; PYTHONIOENCODING may say ascii)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; let the CLI end quietly the same way for every output path.
            self.quiet = True
            raise BrokenPipeError

    stream: Any = sys.stderr if stderr else sys.stdout
    g = glyphs(stream)
    if g is not UNICODE:
        stream = _Encodable(stream, g)
    no_color = bool(os.environ.get("NO_COLOR"))
    return PipeConsole(file=stream, no_color=no_color, highlight=False, soft_wrap=False,
                       emoji=False, color_system=None if no_color else "auto")



class Glyphs(NamedTuple):
    eighths: str  # a bar's last, partial cell: 0/8 to 7/8 of a cell
    full: str  # a whole bar cell
    ticks: str  # a sparkline's eight levels, lowest first
    ellipsis: str  # where Rich shortens a text



UNICODE = Glyphs(" ▏▎▍▌▋▊▉", "█", "▁▂▃▄▅▆▇█", "…")


UNICODE = Glyphs(" ▏▎▍▌▋▊▉", "█", "▁▂▃▄▅▆▇█", "…")
ASCII = Glyphs("    ++++", "#", "_.:-=+*#", "~")



def glyphs(stream: Any) -> Glyphs:
    """The glyphs `stream` can carry: the block characters, or plain ASCII."""
    return _glyphs_for(str(getattr(stream, "encoding", None) or "utf-8"))



@functools.cache
def _glyphs_for(encoding: str) -> Glyphs:
    import codecs

    try:
        codecs.encode("".join(UNICODE), encoding)
    except (UnicodeError, LookupError):
        return ASCII
    return UNICODE



class _Encodable:
    """A text stream that passes on only what its encoding can carry: Rich's ellipsis becomes the ASCII one,
    and any other character the stream cannot encode (a name in a user's table) becomes '?'."""

    def __init__(self, stream: Any, g: Glyphs):
        self._stream = stream
        self._map = str.maketrans({UNICODE.ellipsis: g.ellipsis})
        self.encoding = str(getattr(stream, "encoding", None) or "ascii")

    def write(self, text: str) -> int:
        safe = text.translate(self._map).encode(self.encoding, "replace").decode(self.encoding)
        return int(self._stream.write(safe))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno ...
        return getattr(self._stream, name)
