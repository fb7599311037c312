"""Issue 15: output that never crashes, and input that is said to be unusable. Every command against a full
disk (/dev/full), a closed stdout, a missing or unusable output path: one line on stderr (a JSON error with
--json), exit 4, no traceback. Binary input refused without echoing its bytes; empty input said; Ctrl-C in
batch says how many rows were written; failed rows (3) and an invalid data table (1) have their own codes;
the README's exit-code table lists every code. As real processes of the installed command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from coder_pay.cli.runtime import EXIT_MEANINGS, Exit, exit_code_table
from conftest import installed_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX devices, signals and file modes")

ROOT = Path(__file__).resolve().parents[1]
EXPORT = Path(__file__).parent / "data" / "payroll_export.csv"
ENV = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": "", "COLUMNS": "100"}

COMMANDS = [
    ["states"], ["states", "--json"], ["states", "--format", "csv"], ["estimate", "--state", "OH"],
    ["estimate", "--json"], ["offer", "52000", "--state", "OH"], ["take-home", "52000", "--json"],
    ["compare", "--state", "OH", "--state", "TX"], ["certs", "--state", "OH"], ["career", "--state", "OH"],
    ["data", "show"], ["data", "path"], ["--help"], ["--version"],
    ["batch", str(EXPORT)], ["batch", str(EXPORT), "--format", "csv"], ["audit", str(EXPORT)],
    ["audit", str(EXPORT), "--json"],
]


def run(args: list[str], **kw: object) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    kw.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([installed_command(), *args], stderr=subprocess.PIPE, env=ENV, timeout=120, **kw)  # type: ignore[call-overload, no-any-return]


def one_clean_line(err: bytes) -> str:
    text = err.decode()
    assert "Traceback" not in text and "Exception ignored" not in text, text
    lines = [ln for ln in text.splitlines() if not ln.startswith("coder-pay: row ") and "note:" not in ln]
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:40])
def test_a_full_disk_is_one_line_and_exit_4(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        p = run(args, stdout=full)
    assert p.returncode == Exit.OUTPUT, p.stderr
    line = one_clean_line(p.stderr)
    if "--json" in args:
        doc = json.loads(line)
        assert doc["kind"] == "error" and doc["error"]["code"] == "output_error" and doc["error"]["exit_code"] == 4
    else:
        assert line == "coder-pay: error: cannot write the output: No space left on device"


@pytest.mark.parametrize("args", [["states"], ["estimate", "--json"], ["batch", str(EXPORT)]], ids=str)
def test_a_closed_stdout_is_one_line_and_exit_4(args: list[str]) -> None:
    p = subprocess.run([installed_command(), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV,
                       timeout=120, preexec_fn=lambda: os.close(1))
    assert p.returncode == Exit.OUTPUT, p.stderr
    assert "standard output is closed" in one_clean_line(p.stderr)


@pytest.mark.parametrize("args", [
    ["batch", str(EXPORT), "-o", "{missing}/out.jsonl"], ["batch", str(EXPORT), "--format", "csv", "-o", "{file}/out.csv"],
    ["audit", str(EXPORT), "--json", "-o", "{missing}/out.json"], ["audit", str(EXPORT), "--format", "csv", "-o", "{dir}"],
], ids=lambda a: a[-1])
def test_an_unusable_output_path_is_one_line_exit_4_and_no_file(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-dir").mkdir()
    where = {"{missing}": str(tmp_path / "missing"), "{file}": str(tmp_path / "a-file"), "{dir}": str(tmp_path / "a-dir")}
    args = [next((a.replace(k, v) for k, v in where.items() if k in a), a) for a in args]
    p = run(args)
    assert p.returncode == Exit.OUTPUT, p.stderr
    assert one_clean_line(p.stderr).startswith(("coder-pay: error: cannot write ", '{"schema_version"'))
    assert p.stdout == b""
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a-dir", "a-file"] and not list((tmp_path / "a-dir").iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        p = run(["batch", str(EXPORT), "-o", str(ro / "out.jsonl")])
    finally:
        ro.chmod(0o700)
    assert p.returncode == Exit.OUTPUT and "Permission denied" in one_clean_line(p.stderr)


def test_an_output_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "rows.jsonl"
    p = run(["batch", str(EXPORT), "-o", str(out), "--no-summary"])
    assert p.returncode == Exit.ROWS_FAILED and p.stdout == b""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 20
    assert [x.name for x in tmp_path.iterdir()] == ["rows.jsonl"]  # no temporary file left


@pytest.mark.parametrize("content, says", [
    (b"\x00\x01\x02SECRET-BYTES\x00" * 50, "NUL bytes"),
    (b"PK\x03\x04SECRET-BYTES" + bytes(range(256)), "zip archive"),
    (b"%PDF-1.4 SECRET-BYTES\x01\x02\x03", "PDF"),
    ("state\n".encode("utf-16"), "NUL bytes"),
])
@pytest.mark.parametrize("command", ["batch", "audit"])
def test_binary_input_is_refused_without_echoing_it(tmp_path: Path, content: bytes, says: str, command: str) -> None:
    f = tmp_path / "payroll.csv"
    f.write_bytes(content)
    for p in (run([command, str(f)]), run([command], input=content)):
        assert p.returncode == Exit.USAGE and p.stdout == b""
        line = one_clean_line(p.stderr)
        assert says in line and "is not a CSV or JSON Lines text file" in line
        assert b"SECRET" not in p.stderr


@pytest.mark.parametrize("command", ["batch", "audit"])
def test_empty_input_is_said(tmp_path: Path, command: str) -> None:
    f = tmp_path / "empty.csv"
    f.write_bytes(b"")
    p = run([command, str(f)])
    assert p.returncode == 0 and p.stdout == b""
    assert "is empty: no header and no rows" in p.stderr.decode()


def test_failed_rows_and_an_invalid_table_have_different_codes(tmp_path: Path) -> None:
    assert run(["batch"], input=b"state\nCA\nZZ\n").returncode == Exit.ROWS_FAILED == 3
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n")
    p = run(["--data", str(bad), "batch"], input=b"state\nCA\n")
    assert p.returncode == Exit.ERROR == 1 and b"Traceback" not in p.stderr
    assert run(["batch"], input=b"state\nCA\n").returncode == 0


def test_ctrl_c_in_batch_says_how_many_rows_were_written() -> None:
    p = subprocess.Popen([installed_command(), "batch", "--format", "csv"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV)
    try:
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write(b"state\nCA\nTX\nNY\n")
        p.stdin.flush()
        got = [p.stdout.readline() for _ in range(4)]  # the header and three rows, written as they came
        assert got[0].startswith(b"row,state") and got[3].startswith(b"3,NY")
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
    finally:
        p.kill()
    assert p.returncode == Exit.INTERRUPTED
    assert "coder-pay: interrupted: 3 rows written." in err.decode()
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_the_readme_lists_every_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert exit_code_table() in readme, ("README's exit-code table differs from coder_pay.cli.runtime.EXIT_MEANINGS; "
                                         "paste the output of: python -c 'from coder_pay.cli.runtime import "
                                         "exit_code_table; print(exit_code_table())'")
    assert set(EXIT_MEANINGS) == set(Exit)


def test_data_init_into_a_missing_directory_is_exit_4(tmp_path: Path) -> None:
    p = run(["data", "init", str(tmp_path / "missing" / "mine.toml")])
    assert p.returncode == Exit.OUTPUT
    assert one_clean_line(p.stderr).startswith("coder-pay: error: cannot write ")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("args", [["batch", str(EXPORT), "--format", "csv"], ["audit", str(EXPORT), "--json"]],
                         ids=["batch", "audit"])
def test_output_into_a_named_pipe_goes_into_it_and_leaves_it_a_pipe(args: list[str], tmp_path: Path) -> None:
    """-o /dev/null, /dev/stdout or a named pipe is written into as it is: never replaced by a file (as root, a
    rename onto /dev/null would replace the device for the whole machine). A named pipe stands in for them here."""
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    p = run([*args, "-o", str(fifo)])
    got, _ = reader.communicate(timeout=60)
    assert p.returncode == Exit.ROWS_FAILED and b"Traceback" not in p.stderr
    assert got.startswith(b"row,state") if "batch" in args else json.loads(got)["kind"] == "audit"
    assert fifo.is_fifo() and [f.name for f in tmp_path.iterdir()] == ["out.fifo"]  # no temporary file left either


def test_the_atomic_writers_write_into_a_named_pipe(tmp_path: Path) -> None:
    from coder_pay.files import AtomicOutput, is_device, write_atomic

    fifo = tmp_path / "p.fifo"
    os.mkfifo(fifo)
    assert is_device(fifo) and not is_device(tmp_path) and not is_device(EXPORT) and not is_device(tmp_path / "none")
    for write in (lambda: write_atomic(fifo, b"whole\n", overwrite=False), lambda: _stream(AtomicOutput(fifo))):
        reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
        write()
        assert reader.communicate(timeout=30)[0] in (b"whole\n", b"streamed\n")
        assert fifo.is_fifo()


def _stream(out: object) -> None:
    out.write(b"streamed\n")  # type: ignore[attr-defined]
    out.commit()  # type: ignore[attr-defined]
