"""The cache of parsed and built data tables, in the user's cache directory.

Parsing the TOML costs more than everything else a command does (tomllib's import and ~15 ms of
parsing), and building the records from it (validating every key) several milliseconds more. Both are
kept, keyed by the table's path and the length and CRC-32 of its bytes, so any edit to the table is seen
at once: the parsed document (plain dicts, lists, strings and numbers, with `marshal`) and, once the
table is found valid, the records built from it (a pickle of table.py's records and nothing else, read
back only while coder-pay's code is unchanged: `_code_stamp`). Set CODER_PAY_NO_CACHE=1 to turn it off;
any problem with the cache (unwritable, corrupt, stale, not private to the user) falls back to parsing,
silently. One file per table path; after each write only the CACHE_FILES most recently written are kept.
"""

import os
import re
from pathlib import Path
from typing import Any

from . import table
from .table import FORMAT, NO_CACHE_VAR, Table, TableError, _decode

_CACHE_TAG = f"coder-pay-toml-{FORMAT}-3"
CACHE_FILES = 16  # parsed tables kept (the packaged one and a few of the user's); a bound, not a pay figure
_CACHE_NAME = r"[0-9a-f]{8}\.marshal(?:\.\d+\.tmp)?"  # the files of this cache (compiled when pruning)


def _cache_file(path: Path) -> Path | None:
    if os.environ.get(NO_CACHE_VAR, "").strip() not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    import zlib

    name = f"{zlib.crc32(os.fsencode(os.path.abspath(path))):08x}.marshal"
    return Path(base) / "coder-pay" / name


def _cache_key(path: Path, raw: bytes) -> tuple[str, str, int, int]:
    import zlib

    return (_CACHE_TAG, os.path.abspath(path), len(raw), zlib.crc32(raw))


def _cached(path: Path, raw: bytes) -> tuple[Any, ...] | None:
    """The cache file's entry for these exact bytes: (key, parsed document as marshal bytes, valid-tag, code
    stamp, the built records as pickle bytes), or None."""
    import marshal

    cache = _cache_file(path)
    if cache is None:
        return None
    try:
        stored = marshal.loads(_read_private(cache))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if (isinstance(stored, tuple) and len(stored) == 5 and stored[0] == _cache_key(path, raw)
            and isinstance(stored[1], bytes) and isinstance(stored[4], bytes)):
        return stored
    return None


def _parse_cached(path: Path, raw: bytes, stored: tuple[Any, ...] | None = None) -> tuple[dict[str, Any], bool] | None:
    """The parsed document for these exact bytes and whether this version of coder-pay found the table valid
    (so no unknown key in it), or None: parse it (and remember it if it is valid TOML). `stored`: the cache's
    entry for them, if `_cached` has read it already."""
    import marshal

    if _cache_file(path) is None:
        return None
    stored = stored or _cached(path, raw)
    if stored is not None:
        try:
            doc = marshal.loads(stored[1])
        except (ValueError, EOFError, TypeError):
            doc = None
        if isinstance(doc, dict):
            return doc, stored[2] == _valid_tag()
    try:
        doc = table._toml_loads(_decode(path, raw))
    except (TableError, ValueError):
        return None  # parse_table reports it, with its line
    _remember(path, raw, doc)
    return doc, False


def _built(stored: tuple[Any, ...] | None, kind: type = Table, tag: str = "") -> Any:
    """The records of a cache entry (see `_cached`), built by this code from bytes found valid (a `kind`; `tag`:
    what else they were built from, as `_remember` was told); else None."""
    if (stored is None or not stored[4] or stored[2] != _valid_tag(tag) or not stored[3]
            or stored[3] != _code_stamp()):
        return None
    try:
        built = _RecordsUnpickler(stored[4]).load()
    except Exception:  # noqa: BLE001 - a corrupt or foreign cache entry: build the table again
        return None
    return built if isinstance(built, kind) else None


def _valid_tag(tag: str = "") -> str:
    from . import __version__  # (light: the package's __init__ imports nothing)

    return f"valid-{__version__}{tag}"


# The places (places.py) are built from places.toml and the table they belong to: they are read back built
# only for the table `load_table` returned last (by the key of its bytes), and built again for any other.
_LAST_TABLE: list[Any] = [None, None]  # [the table, the cache key of its bytes]


def _note_loaded(table: Table, path: Path, raw: bytes) -> None:
    _LAST_TABLE[:] = [table, _cache_key(path, raw)]


def _table_tag(table: Table) -> str | None:
    return f" of {_LAST_TABLE[1]!r}" if _LAST_TABLE[0] is table else None


def _built_places(table: Table, path: Path, raw: bytes) -> Any:
    """The places built for `table` from these exact bytes of places.toml, if cached; else None."""
    tag = _table_tag(table)
    if tag is None:
        return None
    from .places import Places

    return _built(_cached(path, raw), Places, tag)


def _remember_places(table: Table, path: Path, raw: bytes, doc: dict[str, Any], places: Any) -> None:
    tag = _table_tag(table)
    if tag is not None:
        _remember(path, raw, doc, valid=places, tag=tag)


def _code_stamp() -> tuple[tuple[str, int, int], ...]:
    """The name, modification time and size of each module of the core (the records are defined in table.py
    and built by table_sections.py and table_reader.py): a cached table is rebuilt after any edit of them.
    Empty where the modules cannot be listed (an unusual install): built tables are then not cached."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = []
    try:
        with os.scandir(here) as it:
            for e in it:
                if e.name.endswith(".py"):
                    st = e.stat()
                    out.append((e.name, st.st_mtime_ns, st.st_size))
    except OSError:
        return ()
    return tuple(sorted(out))


try:  # the C unpickler alone: importing `pickle` costs a millisecond of start-up
    from _pickle import Unpickler as _Unpickler
except ImportError:  # pragma: no cover - Pythons without the C accelerator
    from pickle import Unpickler as _Unpickler


_RECORD_MODULES = ("coder_pay.table", "coder_pay.places")  # the modules whose records are cached built


class _RecordsUnpickler(_Unpickler):
    """Reads back a cached table or places: the records of table.py and places.py and nothing else (a pickle names the classes
    it makes; anything else in one is refused, as a corrupt entry)."""

    def __init__(self, blob: bytes):
        import io

        super().__init__(io.BytesIO(blob))

    def find_class(self, module_name: str, global_name: str, /) -> Any:
        import sys

        module = sys.modules.get(module_name) if module_name in _RECORD_MODULES else None
        cls = getattr(module, global_name, None)
        if not (isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")):
            raise ValueError(f"not a record of the table: {module_name}.{global_name}")
        return cls


def _remember(path: Path, raw: bytes, doc: dict[str, Any], *, valid: Any = None, tag: str = "") -> None:
    """Write the parsed document to the cache, with the records built from it if they are `valid` (`tag`: what
    else they were built from) (quietly not, where the cache cannot be written)."""
    import marshal

    cache = _cache_file(path)
    if cache is None:
        return
    blob = b""
    if valid is not None:
        import pickle

        try:
            blob = pickle.dumps(valid, protocol=4)
        except Exception:  # noqa: BLE001 - a value pickle cannot hold: keep the document only
            valid = None
    try:
        entry = (_cache_key(path, raw), marshal.dumps(doc), _valid_tag(tag) if valid is not None else "",
                 _code_stamp() if valid is not None else (), blob)
        data = marshal.dumps(entry)
        if not _private_dir(cache.parent):
            return
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, cache)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune_cache(cache, CACHE_FILES)
    except (OSError, ValueError):  # no cache directory, read-only home, or TOML dates marshal cannot hold
        pass


# `marshal` and `pickle` are not safe against crafted data: the cache is private to its user. Its directory is
# made 0700 (and not used when another user owns it); a cache file is read only when it is a regular file (not
# a link, FIFO or device) owned by the user running coder-pay. (And a pickle may name only the table's records.)

def _owned(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def _private_dir(directory: Path) -> bool:
    """Make the cache directory (mode 0700), or tighten the user's own one to 0700; False: do not use it."""
    import stat

    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.lstat(directory)
    if not stat.S_ISDIR(st.st_mode) or not _owned(st):
        return False
    if stat.S_IMODE(st.st_mode) & 0o077 and hasattr(os, "getuid"):
        os.chmod(directory, 0o700)
    return True


def _read_private(cache: Path) -> bytes:
    """The bytes of a cache file that is private to this user; OSError for any other (ignored by the caller)."""
    import stat

    st_dir = os.lstat(cache.parent)
    if not stat.S_ISDIR(st_dir.st_mode) or not _owned(st_dir) or (stat.S_IMODE(st_dir.st_mode) & 0o022
                                                                   and hasattr(os, "getuid")):
        raise PermissionError(f"cache directory {cache.parent} is not private")
    fd = os.open(cache, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or not _owned(st) or (stat.S_IMODE(st.st_mode) & 0o022 and hasattr(os, "getuid")):
            raise PermissionError(f"cache file {cache} is not a private regular file")
        return f.read()


def _prune_cache(written: Path, keep: int) -> None:
    """Delete all but the `keep` most recently written cache files (`written`, just written, among them),
    and any stale temporary file. Only files named as this cache names them are touched."""
    entries = []
    with os.scandir(written.parent) as it:
        for e in it:
            if re.fullmatch(_CACHE_NAME, e.name) and e.name != written.name and e.is_file(follow_symlinks=False):
                try:
                    entries.append((e.stat(follow_symlinks=False).st_mtime_ns, e.name, e.path))
                except OSError:  # removed meanwhile by another run
                    continue
    entries.sort(reverse=True)
    for _, _, path in entries[max(keep - 1, 0):]:
        try:
            os.unlink(path)
        except OSError:
            pass
