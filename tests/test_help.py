"""--help reads as prose at every width, and takes its figures from the data table in use."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.cli.runtime import prose
from coder_pay.table import Table


def command_paths() -> list[list[str]]:
    """Every command and group, as the argv that names it ([] is coder-pay itself)."""
    out: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        out.append(path)
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return out


def description(text: str) -> list[list[str]]:
    """The paragraphs of a help screen's description (between the Usage line and the first box), as lines."""
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("Usage:")) + 1
    end = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("╭")), len(lines))
    paras: list[list[str]] = [[]]
    for ln in lines[start:end]:
        if ln.strip():
            paras[-1].append(ln.rstrip())
        elif paras[-1]:
            paras.append([])
    return [p for p in paras if p]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_help_paragraphs_are_filled_to_the_terminal_width(runner: CliRunner, width: int) -> None:
    """A line of a paragraph ends only where the next word would not fit (the terminal wraps, not the
    docstring): the old hard breaks ("setting,⏎ remote") left short lines in the middle of paragraphs."""
    seen = 0
    for path in command_paths():
        r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(width)})
        assert r.exit_code == 0, (path, r.output)
        for para in description(r.stdout):
            for a, b in zip(para, para[1:]):
                if b.lstrip().startswith(("- ", "* ")):
                    continue  # a list item starts its own line
                seen += 1
                assert len(a) + 1 + len(b.split()[0]) > width - 2, f"{' '.join(path)} at {width}: {a!r} / {b!r}"
    assert seen or width == 200  # narrow screens do wrap some paragraphs


def test_prose_joins_the_lines_of_a_paragraph_and_keeps_paragraphs_and_lists() -> None:
    doc = """First line
    goes on.

    Second paragraph,
    one sentence.
    - an item
    - another
      continued
    """
    assert prose(doc) == "First line goes on.\n\nSecond paragraph, one sentence.\n- an item\n- another\n  continued"


def test_help_figures_come_from_the_table_in_use(runner: CliRunner, table: Table, table_text: str, tmp_path: Path) -> None:
    for cmd in ("offer", "take-home"):
        r = runner.invoke(app, [cmd, "--help"])
        assert r.exit_code == 0
        assert f"x the table's {table.hours_per_year:,} hours a year" in " ".join(r.stdout.replace("│", " ").split())
    assert f"hours_per_year = {table.hours_per_year}" in table_text
    mine = tmp_path / "mine.toml"
    mine.write_text(table_text.replace(f"hours_per_year = {table.hours_per_year}", "hours_per_year = 1950"), encoding="utf-8")
    r = runner.invoke(app, ["--data", str(mine), "offer", "--help"])
    assert "x the table's 1,950 hours a year" in " ".join(r.stdout.replace("│", " ").split())
    r = runner.invoke(app, ["--data", str(tmp_path / "missing.toml"), "offer", "--help"])  # no table: no figure, no error
    assert r.exit_code == 0 and "x the table's hours a year" in " ".join(r.stdout.replace("│", " ").split())
