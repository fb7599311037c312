"""Walking the parsed TOML of a data table: typed values out, every problem recorded (key path, line).

`_Reader` converts one value at a time (a number in a range, a text, a source reference, a
distribution...) and collects the problems instead of stopping at the first; `_Asked` remembers
which keys were read, so that a key nobody reads is reported as unknown (with the nearest known
one). The sections themselves are read in table_sections.py. Pure: no printing, no files.
"""

import math
import re
from collections.abc import Iterator
from typing import Any

from .table import PERCENTILES, Distribution, Problem


class _Asked(dict):  # type: ignore[type-arg]
    """A TOML table that remembers which of its keys the loader asked about: read, looked up,
    tested for (`in`) or iterated over (a catalogue such as [states.*]). Whatever the loader
    never asked about is a key it does not know: a misspelling (`exam_fees`, `factr`)."""

    __slots__ = ("asked",)

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.asked.add(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self.asked.add(key)  # type: ignore[arg-type]  # (keys are strings)
        return dict.__contains__(self, key)

    def __iter__(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.__iter__(self)

    def keys(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.keys(self)

    def items(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.items(self)

    def values(self) -> Any:
        self.asked.update(dict.keys(self))
        return dict.values(self)


def _asked(d: dict[str, Any]) -> _Asked:
    """The parsed document with every table (also in an array of tables) made an _Asked."""
    out = _Asked(d)
    for k, x in d.items():
        if type(x) is dict:
            dict.__setitem__(out, k, _asked(x))
        elif type(x) is list and any(type(y) is dict for y in x):
            dict.__setitem__(out, k, [_asked(y) if type(y) is dict else y for y in x])
    return out


#: What a key is sometimes called, where difflib would suggest a wrong one ("median" -> "mean").
_KEY_SYNONYMS = {"median": "p50"}


#: Keys any table may carry without the loader reading them: how its figures were derived (documented
#: as optional everywhere).
_ANY_TABLE = frozenset({"basis"})


class _Reader:
    """Walks the parsed TOML, converting values and collecting every problem."""

    def __init__(self, text: str):
        self._text = text
        self._lines: list[str] | None = None
        self.problems: list[Problem] = []

    @property
    def lines(self) -> list[str]:  # split only when a problem needs a line number
        if self._lines is None:
            self._lines = self._text.split("\n")  # as TOML counts lines (str.splitlines also breaks at \x85, U+2028, ...)
        return self._lines

    # -- where is a key?
    def line_of(self, path: str) -> int | None:
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            head, key = parts[: n - 1], parts[n - 1]
            header = _header_pattern(head)
            start = 0
            if head:
                start = next((i for i, ln in enumerate(self.lines) if header.match(ln)), -1)
            if start >= 0:  # `key = ...` inside its table; if the table has no header of its own, try [head.key] below
                key_re = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=')
                for i in range(start + (1 if head else 0), len(self.lines)):
                    if head and i > start and self.lines[i].lstrip().startswith("["):
                        break
                    if key_re.match(self.lines[i]):
                        return i + 1
            sub = _header_pattern(parts[:n])
            for i, ln in enumerate(self.lines):
                if sub.match(ln):
                    return i + 1
        return None

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.line_of(path)))

    @staticmethod
    def known(d: Any, *keys: str) -> None:
        """Declare keys the loader accepts but does not read (informational), so they are not unknown."""
        if isinstance(d, _Asked):
            d.asked.update(keys)

    def unknown_keys(self, d: _Asked, path: str = "") -> None:
        """Report every key of the tables the loader read that it never asked about, each with the closest
        key it did ask about. Tables the loader did not look into (already reported) are not searched."""
        if not d.asked:  # not looked into: its own problem has been reported
            return
        for key, v in dict.items(d):
            if key in d.asked or key in _ANY_TABLE:
                if type(v) is _Asked:
                    self.unknown_keys(v, f"{path}.{key}" if path else key)
                elif type(v) is list:
                    for x in v:
                        if type(x) is _Asked:
                            self.unknown_keys(x, f"{path}.{key}" if path else key)
                continue
            full = f"{path}.{key}" if path else key
            line = self.line_of(full)
            if line is None:  # a table given only by its sub-tables: [specialities.general]
                head = re.compile(r"^\s*\[\s*" + r"\.".join(r'"?' + re.escape(p) + r'"?' for p in full.split(".")) + r"\s*\.")
                line = next((i + 1 for i, ln in enumerate(self.lines) if head.match(ln)), None)
            known = sorted(d.asked | _ANY_TABLE)
            near = _KEY_SYNONYMS.get(key.lower()) if _KEY_SYNONYMS.get(key.lower()) in d.asked else None
            if near is None:
                import difflib

                hits = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                near = hits[0] if hits else None
            if near is not None:
                problem = Problem(full, f"unknown key; did you mean {near!r}?", line)
                at = f"{path}.{near}" if path else near
                spot = next((i for i, p in enumerate(self.problems) if p.key == at or p.key.startswith(at + ".")),
                            len(self.problems))  # before "factor: missing", which it explains
                self.problems.insert(spot, problem)
            else:
                self.problems.append(Problem(full, "unknown key (known here: " + ", ".join(known) + ")", line))

    # -- typed getters; on a problem they record it and return a harmless placeholder
    def table(self, d: Any, key: str, path: str, required: bool = True) -> dict[str, Any]:
        v = d.get(key) if isinstance(d, dict) else None
        full = f"{path}.{key}" if path else key
        if v is None:
            if required:
                self.fail(full, "missing table")
            return {}
        if not isinstance(v, dict):
            self.fail(full, f"must be a table, not {_kind(v)}")
            return {}
        return v

    def entries(self, d: Any, key: str, path: str, required: bool = True) -> Iterator[tuple[str, dict[str, Any], str]]:
        """Each sub-table of [path.key] as (name, its table, its key path); an entry that is not a table is a
        problem ("must be a table") and is passed over."""
        full = f"{path}.{key}" if path else key
        for name, v in self.table(d, key, path, required).items():
            if isinstance(v, dict):
                yield name, v, f"{full}.{name}"
            else:
                self.fail(f"{full}.{name}", "must be a table")

    def number(self, d: dict[str, Any], key: str, path: str, *, lo: float | None = 0.0, hi: float | None = None,
               integer: bool = False, required: bool = True, positive: bool = False) -> float:
        if key not in d:
            if required:
                self.fail(f"{path}.{key}", "missing")
            return 1.0
        v = d[key]
        tv = type(v)
        if (tv is int or (tv is float and not integer)) and (lo is None or v >= lo) and (hi is None or v <= hi) \
                and (not positive or v > 0) and math.isfinite(v):
            return float(v) if tv is float else v  # the common case, checked at once (problems below say what is wrong)
        full = f"{path}.{key}"
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(full, f"must be a number, not {_kind(v)} {v!r}"[:200])
            return 1.0
        if integer and not isinstance(v, int):
            self.fail(full, f"must be a whole number, not {v!r}")
            return 1.0
        if not math.isfinite(v):
            self.fail(full, f"must be finite, not {v!r}")
            return 1.0
        if positive and v <= 0:
            self.fail(full, f"must be greater than 0, not {v!r}")
            return 1.0
        if lo is not None and v < lo:
            self.fail(full, f"must be at least {lo:g}, not {v!r}" if lo else f"must not be negative, not {v!r}")
            return 1.0
        if hi is not None and v > hi:
            self.fail(full, f"must be at most {hi:g}, not {v!r}")
            return 1.0
        return v

    def optional_number(self, d: dict[str, Any], key: str, path: str, **kw: Any) -> float | None:
        """A number that may be left out (None)."""
        return self.number(d, key, path, **kw) if key in d else None

    def integer(self, d: dict[str, Any], key: str, path: str, **kw: Any) -> int:
        return int(self.number(d, key, path, integer=True, **kw))

    def text(self, d: dict[str, Any], key: str, path: str, required: bool = True) -> str:
        v = d.get(key)
        if type(v) is str and (not required or v.strip()):
            return v  # the common case (the problems below say what is wrong)
        full = f"{path}.{key}"
        if key not in d:
            if required:
                self.fail(full, "missing")
            return ""
        v = d[key]
        if not isinstance(v, str):
            self.fail(full, f"must be a string, not {_kind(v)}")
            return ""
        if required and not v.strip():
            self.fail(full, "must not be empty")
        return v

    def boolean(self, d: dict[str, Any], key: str, path: str) -> bool:
        v = d.get(key)
        if not isinstance(v, bool):
            self.fail(f"{path}.{key}", "missing" if v is None else f"must be true or false, not {_kind(v)}")
            return False
        return v

    def strings(self, d: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        """An optional list of non-empty strings (absent: none)."""
        v = d.get(key)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            self.fail(f"{path}.{key}", f"must be a list of names such as [\"clinic\", \"Calif.\"], not {v!r}"[:200])
            return ()
        return tuple(v)

    def source_ref(self, d: dict[str, Any], key: str, path: str, sources: dict[str, Any], required: bool = True) -> str:
        ref = self.text(d, key, path, required=required)
        if ref and ref not in sources:
            self.fail(f"{path}.{key}", f"names unknown source {ref!r} (known: {', '.join(sorted(sources))})")
        return ref

    def positions(self, d: dict[str, Any], path: str) -> tuple[float, float, float]:
        v = d.get("positions")
        full = f"{path}.positions"
        if (not isinstance(v, list) or len(v) != 3
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)):
            self.fail(full, "must be a list of three percentiles [low, typical, high]")
            return (25.0, 50.0, 75.0)
        a, b, c = (float(x) for x in v)
        if not all(10 <= x <= 90 for x in (a, b, c)):
            self.fail(full, f"percentiles must be between 10 and 90, not {v}")
        elif not a <= b <= c:
            self.fail(full, f"must be in order low <= typical <= high, not {v}")
        return (a, b, c)

    def distribution(self, d: dict[str, Any], path: str) -> Distribution:
        before = len(self.problems)
        vals = [self.number(d, f"p{p}", path, positive=True) for p in PERCENTILES]
        if len(self.problems) > before:  # a bad percentile: comparing its placeholder would report a false order
            return Distribution(*vals)
        for (p0, v0), (p1, v1) in zip(zip(PERCENTILES, vals), zip(PERCENTILES[1:], vals[1:])):
            if v0 > v1:
                self.fail(f"{path}.p{p0}", f"p{p0} ({v0:g}) is above p{p1} ({v1:g}); percentiles must rise")
        return Distribution(*vals)

    def brackets(self, d: dict[str, Any], path: str) -> tuple[tuple[float, float], ...]:
        v = d.get("brackets")
        full = f"{path}.brackets"
        out: list[tuple[float, float]] = []
        if not isinstance(v, list) or not v:
            self.fail(full, "must be a non-empty list of [floor, rate] pairs")
            return ((0.0, 0.0),)
        for i, b in enumerate(v):
            ok = (isinstance(b, list) and len(b) == 2
                  and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in b))
            if not ok:
                self.fail(full, f"entry {i + 1} must be [floor, rate], not {b!r}"[:200])
                return ((0.0, 0.0),)
            floor, rate = float(b[0]), float(b[1])
            if floor < 0 or not 0 <= rate < 1:
                self.fail(full, f"entry {i + 1}: floor must not be negative and rate must be in [0, 1), not {b!r}")
            if out and floor <= out[-1][0]:
                self.fail(full, f"entry {i + 1}: floors must rise, {floor:g} follows {out[-1][0]:g}")
            out.append((floor, rate))
        if out[0][0] != 0:
            self.fail(full, "the first bracket must start at 0")
        return tuple(out)


def _header_pattern(parts: list[str]) -> re.Pattern[str]:
    body = r"\.".join(r'"?' + re.escape(p) + r'"?' for p in parts)
    return re.compile(r"^\s*\[\s*" + body + r"\s*\]")


def _kind(v: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
            list: "a list", dict: "a table"}.get(type(v), type(v).__name__)
