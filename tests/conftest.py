"""Shared fixtures: the default table, a CLI runner with a stable terminal, the installed command."""

from __future__ import annotations

import atexit
import os
import shutil
import sysconfig
import tempfile
from pathlib import Path

import pytest

# The current year every test (and every subprocess it starts) sees: money paid now is judged in that year's
# dollars and `career` starts in it (coder_pay.vintage.today()). Fixed so that results do not change with the clock.
os.environ["CODER_PAY_TODAY"] = "2026-12-05"
from typer.testing import CliRunner

from coder_pay.table import Table, TableError, default_path, load_table, parse_table

ROOT = Path(__file__).resolve().parents[1]
SOURCES = Path(os.environ.get("CODER_PAY_SOURCES", ROOT.parent / "shared" / "sources"))

# Stable, colourless help and tables in CliRunner tests.
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ["COLUMNS"] = "120"
os.environ.pop("CODER_PAY_DATA", None)
# The parse cache of every run in the tests (in-process and subprocesses) goes to a directory of this
# test process, removed at its end, never into the user's ~/.cache.
_CACHE_HOME = tempfile.mkdtemp(prefix="coder-pay-test-cache-")
atexit.register(shutil.rmtree, _CACHE_HOME, True)
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
os.environ.pop("CODER_PAY_NO_CACHE", None)


#: The environment of in-process CLI runs that pin their output: no colour, a fixed width, the packaged table.
CLI_ENV = {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "COLUMNS": "100", "NO_COLOR": "1", "CODER_PAY_DATA": ""}


def edited_table(tmp_path: Path, *edits: tuple[str, str], name: str = "mine.toml") -> Path:
    """A copy of the packaged table with (old text, new text) replacements, each made once, in tmp_path."""
    text = default_path().read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="session")
def table() -> Table:
    return load_table(default_path())


@pytest.fixture(scope="session")
def table_text() -> str:
    return default_path().read_text(encoding="utf-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def installed_command() -> str:
    """The `coder-pay` script of the environment running the tests (not a source checkout)."""
    exe = Path(sysconfig.get_path("scripts")) / "coder-pay"
    if exe.exists():
        return str(exe)
    found = shutil.which("coder-pay")
    if not found:
        pytest.fail("the coder-pay command is not installed in this environment (pip install '.[test]')")
    return found


@pytest.fixture(scope="session")
def coder_pay_cmd() -> str:
    return installed_command()


def problems_of(text: str) -> list[str]:
    """The problems a table text is rejected with, as the CLI prints them ('line N, key: message')."""
    with pytest.raises(TableError) as info:
        parse_table(text, "t.toml")
    return [str(p) for p in info.value.problems]


# The exhaustive suites: `python -m pytest -m "not slow"` runs everything else (CONTRIBUTING.md).
SLOW_FILES = {"test_cli_fuzz.py", "test_table_mutations.py", "test_never_breaks.py", "test_model_laws.py", "test_docs.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
