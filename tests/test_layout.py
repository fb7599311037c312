"""The shape of the source tree (issue 13): modules a reader can hold in mind, options declared once."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "coder_pay"
LIMIT = 700


def test_a_long_module_says_at_its_top_why_it_is_one_piece() -> None:
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > LIMIT:
            head = " ".join(lines[:15]).lower()
            assert "kept whole" in head or "one piece" in head, (
                f"{path.relative_to(SRC)}: {len(lines)} lines; split it, or say in its first 15 lines why it is kept whole")


def test_profile_options_are_declared_only_in_cli_options() -> None:
    """--cert, --level, --specialty, --setting, --remote, --home, --col, --as-of: declared once, in
    cli/options.py (career's own --years and compare's repeated --state are different options)."""
    once = ("--cert", "--level", "--specialty", "--setting", "--remote", "--home", "--col", "--as-of", "--json",
            "--after-tax", "--explain")
    for path in sorted((SRC / "cli").glob("*.py")):
        if path.name == "options.py":
            continue
        text = path.read_text(encoding="utf-8")
        for flag in once:
            declared = re.findall(r'typer\.Option\([^)]*"' + re.escape(flag) + r'"', text)
            if path.name == "batch_cmd.py" and flag == "--after-tax":
                continue  # batch's --after-tax says what it does to a salary column
            assert not declared, f"{path.name} declares {flag} again: take it from cli/options.py"
