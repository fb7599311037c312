"""Regenerate every console example in README.md, CONTRIBUTING.md and docs/*.md from real runs.

    python scripts/docs.py            # rewrite every example in place
    python scripts/docs.py --check    # exit 1 and print a diff when an example is stale (CI runs this)
    python scripts/docs.py docs/x.md  # only these files

An example is an HTML comment, invisible on GitHub, followed by the block this script writes:

    <!-- example: coder-pay estimate --state CA --cert CPC -->
    ```console
    $ coder-pay estimate --state CA --cert CPC
    ...the real output...
    ```

Several commands share one block (and one fresh working directory, so a file one writes the next
can read) when the comment holds one command per line:

    <!-- example:
    cat examples/staff.csv
    coder-pay batch examples/staff.csv --format csv
    -->

Each command runs through `bash -c` as the installed `coder-pay` (the one beside this Python), in a
fresh temporary directory holding a copy of the repository's `examples/`, with the environment in
ENV below and nothing else (no CODER_PAY_DATA, a temporary HOME and cache). stdout and stderr are
shown as one stream, as a terminal shows them; a non-zero exit status is shown as `$ echo $?` and the
code. Shell pipes work (`| head -n 12`). Long JSON is trimmed by the generator, never by hand: end a
command with ` #: ` and directives, applied to each JSON document on stdout (one, or one per line):

    get=rows.0.after_tax   the value at a path (`families[]`: each element of a list, one per line)
    pick=band,vintage.text keep only these dotted keys (after get; a key a document lacks is left out)
    drop=sources,data      remove these dotted keys (after get)
    indent                 print indented (default: one line per value, as coder-pay prints JSON)

The block then shows the command with a `# JSON shown: ...` comment saying what was kept.

A ```console block without an example comment above it is an error: every console block is generated.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The environment every example runs in, and only this (plus PATH, HOME and the cache, set per run).
ENV = {
    "COLUMNS": "100",  # the width every table is drawn at
    "LINES": "50",
    "NO_COLOR": "1",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as on a terminal
    "TZ": "UTC",
    # A fixed "today", so that examples ageing money to the current year do not change with the clock.
    "CODER_PAY_TODAY": "2026",
}

DOC_FILES = ["README.md", "CONTRIBUTING.md", "docs/*.md"]
DATA_SHOWN_AS = ".../coder_pay/data/"  # the packaged data's folder (table, places), wherever it is installed

# An example comment (indented by at most 3 spaces, inside a list item; 4 make a code block), and the
# console block under it.
MARKER = re.compile(r"^(?P<indent>[ ]{0,3})<!-- example:(?P<body>.*?)-->\n", re.S | re.M)
FENCE = re.compile(r"[ ]*```console\n.*?^[ ]*```\n", re.S | re.M)
CONSOLE = re.compile(r"^[ ]{0,3}```console$", re.M)


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


class DocsError(Exception):
    """An example that cannot be generated (a bad marker, a traceback, a hand-written console block)."""


@dataclass(frozen=True)
class Trim:
    """How to trim a command's JSON output (a directive after ` #: `), applied to each JSON document."""

    get: str = ""  # a path: `rows.0.after_tax`; `families[]` takes each element of a list
    pick: tuple[str, ...] = ()  # keep only these dotted keys, nested as in the document
    drop: tuple[str, ...] = ()  # remove these dotted keys
    indent: bool = False  # print indented (default: one line per value, as coder-pay prints)

    def __bool__(self) -> bool:
        return bool(self.get or self.pick or self.drop or self.indent)

    def describe(self) -> str:
        parts = []
        if self.get:
            parts.append("." + self.get)
        if self.pick:
            parts.append("{" + ", ".join(self.pick) + "}")
        if self.drop:
            parts.append("without " + ", ".join(self.drop))
        return "  # JSON shown: " + " | ".join(parts or ["."]) + (" (indented)" if self.indent else "")

    def apply(self, text: str) -> str:
        docs = []
        stripped = text.strip()
        try:
            docs = [json.loads(stripped)]
        except ValueError:
            try:
                docs = [json.loads(ln) for ln in stripped.splitlines() if ln.strip()]
            except ValueError:
                raise DocsError(f"a JSON directive needs JSON on stdout, got {text[:200]!r}") from None
        values = [v for doc in docs for v in walk(doc, self.get)]
        out = []
        for v in values:
            if self.pick:
                v = pick(v, self.pick)
            for key in self.drop:
                v = drop(v, key)
            out.append(json.dumps(v, indent=2 if self.indent else None, ensure_ascii=False))
        return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Command:
    shown: str  # the command as the block shows it
    run: str  # the command given to bash
    trim: Trim = Trim()


@dataclass(frozen=True)
class Example:
    path: Path
    line: int
    commands: tuple[Command, ...]
    indent: str = ""


def parse_command(text: str, where: str) -> Command:
    run, _, directive = text.partition(" #: ")
    run = run.strip()
    fields: dict[str, Any] = {}
    for part in directive.split():
        name, _, value = part.partition("=")
        if name in ("pick", "drop") and value:
            fields[name] = tuple(k for k in value.split(",") if k)
        elif name == "get" and value:
            fields["get"] = value
        elif name == "indent" and not value:
            fields["indent"] = True
        else:
            raise DocsError(f"{where}: unknown directive {part!r} (known: get=PATH pick=a,b.c drop=a,b indent)")
    trim = Trim(**fields)
    return Command(shown=run + (trim.describe() if trim else ""), run=run, trim=trim)


def parse_marker(body: str, where: str) -> tuple[Command, ...]:
    lines = [ln.strip() for ln in body.strip().splitlines() if ln.strip()]
    if not lines:
        raise DocsError(f"{where}: an example comment without a command")
    return tuple(parse_command(ln, where) for ln in lines)


def step(value: Any, part: str, path: str) -> Any:
    if isinstance(value, list) and part.isdigit() and int(part) < len(value):
        return value[int(part)]
    if isinstance(value, dict) and part in value:
        return value[part]
    raise DocsError(f"{path!r} is not in the JSON output")


def walk(doc: Any, path: str) -> list[Any]:
    """The values at `path` (`a.b`, `a.0`, `a[]` for each element of a list)."""
    values = [doc]
    for part in [p for p in path.split(".") if p]:
        each = part.endswith("[]")
        name = part[:-2] if each else part
        values = [step(v, name, path) if name else v for v in values]
        if each:
            values = [x for v in values for x in (v if isinstance(v, list) else [v])]
    return values


def pick(doc: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """The dotted `keys` of a JSON object, nested as in the document, in the order given; a key the
    document lacks is left out (a batch error line has `error`, not `band`)."""
    out: dict[str, Any] = {}
    for key in keys:
        src: Any = doc
        dst = out
        parts = key.split(".")
        if len(walk_or_none(doc, parts)) == 0:
            continue
        for i, part in enumerate(parts):
            src = step(src, part, key)
            if i < len(parts) - 1:
                dst = dst.setdefault(part, {})
            else:
                dst[part] = src
    return out


def walk_or_none(doc: Any, parts: list[str]) -> list[Any]:
    try:
        for part in parts:
            doc = step(doc, part, "")
    except DocsError:
        return []
    return [doc]


def drop(doc: Any, key: str) -> Any:
    *parents, last = key.split(".")
    target = doc
    for part in parents:
        target = step(target, part, key)
    if isinstance(target, dict):
        target.pop(last, None)
    return doc


class Runner:
    """Runs commands in the fixed environment; one cache and HOME for the whole run."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="coder-pay-docs-"))
        bindir = str(Path(sys.executable).parent)
        if not Path(bindir, "coder-pay").exists() and shutil.which("coder-pay") is None:
            raise DocsError(f"coder-pay is not installed beside {sys.executable}: pip install -e '.[dev]' first")
        self.env = {
            **ENV,
            "PATH": os.pathsep.join([bindir, "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": str(self.base / "home"),
            "XDG_CACHE_HOME": str(self.base / "cache"),
        }
        (self.base / "home").mkdir()
        table = self._bash("coder-pay data path", self.base).stdout.strip()
        self.table = table if table.startswith("/") else ""

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    def _bash(self, cmd: str, cwd: Path, separate: bool = False) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["bash", "-c", cmd], cwd=cwd, env=self.env, text=True, encoding="utf-8",
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE if separate else subprocess.STDOUT, timeout=120)
        except subprocess.TimeoutExpired:
            raise DocsError(f"`{cmd}` did not finish in 120 s") from None

    def render(self, ex: Example) -> str:
        work = Path(tempfile.mkdtemp(prefix="ex-", dir=self.base))
        if (ROOT / "examples").is_dir():
            shutil.copytree(ROOT / "examples", work / "examples")
        lines: list[str] = []
        try:
            for cmd in ex.commands:
                lines.append(f"$ {cmd.shown}")
                proc = self._bash(cmd.run, work, separate=bool(cmd.trim))
                out = proc.stdout
                if cmd.trim:
                    try:
                        out = cmd.trim.apply(out) + (proc.stderr or "")
                    except DocsError as e:
                        raise DocsError(f"{rel(ex.path)}:{ex.line}: `{cmd.run}`: {e}") from None
                if "Traceback (most recent call last)" in out:
                    raise DocsError(f"{rel(ex.path)}:{ex.line}: `{cmd.run}` printed a traceback:\n{out}")
                out = out.replace(str(work) + os.sep, "").replace(str(work), ".")
                if self.table:
                    out = out.replace(str(Path(self.table).parent) + os.sep, DATA_SHOWN_AS)
                shown = [ln.rstrip() for ln in out.splitlines()]
                while shown and not shown[-1]:
                    shown.pop()
                lines.extend(shown)
                if proc.returncode:
                    lines += ["$ echo $?", str(proc.returncode)]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        block = ["```console", *lines, "```"]
        return "".join((ex.indent + ln if ln else ln) + "\n" for ln in block)


def find_examples(path: Path, text: str) -> list[tuple[re.Match[str], Example]]:
    found = []
    for m in MARKER.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        where = f"{rel(path)}:{line}"
        found.append((m, Example(path, line, parse_marker(m.group("body"), where), m.group("indent"))))
    return found


def unmarked_consoles(path: Path, text: str) -> list[str]:
    """Console blocks with no example comment right above them, and example comments inside a fence
    (a stray ``` left by a merge turns the rest of the page into code)."""
    bad = []
    fence = ""
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 3:
            continue
        if stripped.startswith("```"):
            fence = "" if fence else stripped
        elif fence and stripped.startswith("<!-- example:"):
            bad.append(f"{rel(path)}:{n}: an example comment inside a {fence} block: is a ``` line stray?")
    for m in CONSOLE.finditer(text):
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if not before.endswith("-->"):
            bad.append(f"{rel(path)}:{text.count(chr(10), 0, m.start()) + 1}: a ```console block "
                       "not generated by an example comment (add `<!-- example: COMMAND -->` above it)")
    return bad


def regenerate(path: Path, text: str, rendered: dict[tuple[Path, int], str]) -> str:
    out: list[str] = []
    pos = 0
    for m, ex in find_examples(path, text):
        out.append(text[pos:m.end()])
        pos = m.end()
        old = FENCE.match(text, pos)
        if old:
            pos = old.end()
        out.append(rendered[(path, ex.line)])
    out.append(text[pos:])
    return "".join(out)


def doc_paths(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    paths: list[Path] = []
    for pattern in DOC_FILES:
        paths.extend(sorted(ROOT.glob(pattern)))
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 with a diff if an example is stale")
    ap.add_argument("files", nargs="*", help="only these files (default: README.md, CONTRIBUTING.md, docs/*.md)")
    opts = ap.parse_args(argv)

    texts = {p: p.read_text(encoding="utf-8") for p in doc_paths(opts.files)}
    problems = [msg for p, t in texts.items() for msg in unmarked_consoles(p, t)]
    try:
        examples = [ex for p, t in texts.items() for _, ex in find_examples(p, t)]
        runner = Runner()
    except DocsError as e:
        print(f"docs: {e}", file=sys.stderr)
        return 2
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:  # the work is in subprocesses
            blocks = list(pool.map(runner.render, examples))
    except DocsError as e:
        print(f"docs: {e}", file=sys.stderr)
        return 2
    finally:
        runner.close()
    rendered = {(ex.path, ex.line): block for ex, block in zip(examples, blocks)}

    stale = []
    for path, text in texts.items():
        new = regenerate(path, text, rendered)
        if new == text:
            continue
        name = rel(path)
        stale.append(name)
        if opts.check:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                                       f"{name} (committed)", f"{name} (generated)"))
        else:
            path.write_text(new, encoding="utf-8")
    for msg in problems:
        print(f"docs: {msg}", file=sys.stderr)
    n = len(examples)
    if opts.check:
        if stale:
            print(f"docs: {len(stale)} file(s) with stale examples: {', '.join(stale)}; "
                  "run `python scripts/docs.py` and commit the result", file=sys.stderr)
        else:
            print(f"docs: {n} examples in {len(texts)} files match the real output", file=sys.stderr)
    else:
        print(f"docs: {n} examples; rewrote {', '.join(stale) if stale else 'nothing (all up to date)'}", file=sys.stderr)
    return 1 if stale and opts.check or problems else 0


if __name__ == "__main__":
    sys.exit(main())
