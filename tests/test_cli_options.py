"""The shared options (cli/options.py): declared once, given to each command in its place, positional
arguments kept (Typer issue #1898 loses them in a variant of this pattern)."""

from __future__ import annotations

import json
from typing import Any

import typer
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.cli.options import (
    OUTPUT_OPTIONS,
    PROFILE_OPTIONS,
    Output,
    Profile,
    SharedOption,
    output_options,
    profile_options,
    with_options,
)

PROFILE_FLAGS = {o.decls[0] for o in PROFILE_OPTIONS}


def flags_of(name: str) -> list[str]:
    cmd = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    return [p.opts[0] for p in cmd.params]


def test_each_profile_command_takes_the_profile_options_it_should() -> None:
    left_out = {"estimate": set(), "certs": set(), "offer": set(), "states": {"--state", "--area", "--zip"},
                "areas": {"--state", "--area", "--zip"}, "compare": {"--zip"},
                "career": {"--years", "--level"},
                "take-home": PROFILE_FLAGS - {"--state", "--area", "--zip", "--home", "--col"}}
    for name, without in left_out.items():
        flags = flags_of(name)
        assert PROFILE_FLAGS - without <= set(flags), name
        assert len(flags) == len(set(flags)), f"{name}: an option declared twice"
    # career and compare declare their own --years / --state: once each
    assert flags_of("career").count("--years") == 1 and flags_of("compare").count("--state") == 1
    assert flags_of("compare").count("--area") == 1 and flags_of("areas").count("--state") == 1


def test_options_keep_their_place_in_the_signature() -> None:
    flags = flags_of("offer")
    assert flags[:2] == ["salary", "--state"]
    assert flags.index("--as-of") < flags.index("--match") < flags.index("--after-tax") < flags.index("--json")


def test_positional_salary_parses_with_options_on_either_side(runner: CliRunner) -> None:
    for argv in (["offer", "58000", "--state", "OH", "-c", "CPC", "-c", "CRC", "--json"],
                 ["offer", "--state", "OH", "-c", "CPC,CRC", "58000", "--json"],
                 ["offer", "-s", "OH", "--json", "-c", "CPC", "58,000", "-c", "crc"]):
        r = runner.invoke(app, argv)
        assert r.exit_code == 0, r.output
        doc = json.loads(r.stdout)
        assert doc["query"]["state"] == "OH" and doc["query"]["credentials"] == ["CPC", "CRC"], argv
        assert doc["salary"] == 58000
    r = runner.invoke(app, ["take-home", "--state", "CA", "65000", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["query"]["state"] == "CA" and doc["query"]["salary"] == 65000


def test_positional_file_of_batch(runner: CliRunner, tmp_path: Any) -> None:
    f = tmp_path / "in.csv"
    f.write_text("state,cert\nOH,CPC\n")
    r = runner.invoke(app, ["batch", "--compact", str(f), "--no-summary"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["row"] == 1


def test_a_new_option_in_a_group_reaches_every_command_that_takes_the_group() -> None:
    """What adding --area to PROFILE_OPTIONS does, on a toy group: one declaration, every command has it."""
    from coder_pay.cli.options import OptionGroup

    declared = (SharedOption("state", str, "US", ("--state",), "A state."),
                SharedOption("area", str, "", ("--area",), "A place."))

    def group(**kw: Any) -> Any:
        return OptionGroup(declared, {}, dict)

    toy = typer.Typer()
    seen: dict[str, Any] = {}

    @toy.command()
    @with_options
    def one(salary: str = typer.Argument(...), place: Any = group(), verbose: bool = typer.Option(False)) -> None:
        seen.update(place, salary=salary, verbose=verbose)

    @toy.command()
    @with_options
    def two(place: Any = group()) -> None:
        seen.update(place)

    r = CliRunner().invoke(toy, ["one", "--area", "Boise", "52k", "--verbose"])
    assert r.exit_code == 0, r.output
    assert seen == {"state": "US", "area": "Boise", "salary": "52k", "verbose": True}
    r = CliRunner().invoke(toy, ["two", "--area", "Austin", "--state", "TX"])
    assert r.exit_code == 0, r.output
    assert seen["area"] == "Austin" and seen["state"] == "TX"


def test_groups_refuse_what_they_do_not_declare() -> None:
    import pytest

    with pytest.raises(ValueError):
        profile_options(without=("area51",))

    def cmd(years: int = typer.Option(0), profile: Profile = profile_options()) -> None: ...

    with pytest.raises(TypeError, match="years declared twice"):
        with_options(cmd)


def test_output_group_reads_format_and_json() -> None:
    out = Output({"json": False, "fmt": " JSON "})
    assert out.json_wanted and out.format() == "json"
    assert Output({"json": True}).format() == "json" and not Output({"json": False}).after_tax
    assert {o.name for o in output_options(fmt=True).options} == {"fmt", "json"}
    assert [o.name for o in OUTPUT_OPTIONS][-1] == "json"
