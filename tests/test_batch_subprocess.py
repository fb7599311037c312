"""`coder-pay batch` as a real process of the installed command: pipes, signals, terminals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import installed_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, pipes and pseudo-terminals")




ENV = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": ""}


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("batch") / "big.csv"
    states = ["CA", "TX", "NY", "FL", "WA", "OH", "Georgia", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("state,cert,years\n")
        for i in range(60_000):
            f.write(f"{states[i % len(states)]},CPC,{i % 31}\n")
    return path


def test_broken_pipe_is_quiet(big_csv):
    """coder-pay batch big.csv | head -1: one line out, no traceback, no 'Exception ignored'."""
    p = subprocess.Popen([installed_command(), "batch", str(big_csv)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    first = p.stdout.readline()
    p.stdout.close()  # the reader goes away, as head does
    _, err = p.communicate(timeout=60)
    assert json.loads(first)["kind"] == "estimate"
    assert b"Traceback" not in err and b"Exception" not in err and b"Error" not in err, err
    assert p.returncode == 0


def test_broken_pipe_through_a_shell_pipeline(big_csv):
    r = subprocess.run(f"'{installed_command()}' batch '{big_csv}' --format csv | head -2", shell=True, capture_output=True,
                       env=ENV, timeout=60)
    assert r.stdout.decode().splitlines()[0].startswith("row,state,area,area_name,cert")
    assert len(r.stdout.splitlines()) == 2
    assert r.stderr == b""


def test_ctrl_c_exits_130_without_a_traceback():
    p = subprocess.Popen([installed_command(), "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=ENV)
    p.stdin.write(b"state\nCA\n")
    p.stdin.flush()
    first = p.stdout.readline()  # the row is out while the input is still open
    assert json.loads(first)["query"]["state"] == "CA"
    p.send_signal(signal.SIGINT)
    try:
        _, err = p.communicate(timeout=20)
    finally:
        p.kill()
    assert p.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err


def test_output_appears_as_rows_arrive():
    """A slow producer: each result is written before the next row is read."""
    p = subprocess.Popen([installed_command(), "batch", "--format", "csv"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=ENV)
    try:
        p.stdin.write(b"state\n")
        p.stdin.flush()
        got = []
        for code in ("CA", "TX", "NY"):
            p.stdin.write(code.encode() + b"\n")
            p.stdin.flush()
            if not got:
                assert p.stdout.readline().startswith(b"row,state")
            got.append(p.stdout.readline().decode().split(",")[1])  # blocks until that row's line is out
        assert got == ["CA", "TX", "NY"]
        p.stdin.close()
        assert p.wait(timeout=20) == 0
    finally:
        p.kill()


def test_exit_status_is_3_when_a_row_failed(tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("state\nCA\nZZ\n")
    r = subprocess.run([installed_command(), "batch", str(f)], capture_output=True, env=ENV, timeout=60)
    assert r.returncode == 3  # issue 15: not 1 (an invalid data table)
    assert r.stderr.decode().startswith("coder-pay: row 2: Unknown state 'ZZ'")
    assert len(r.stdout.splitlines()) == 2


def _run_with_tty_stderr(args, stdin=None):
    import pty

    master, slave = pty.openpty()
    try:
        p = subprocess.Popen(args, stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=slave, env={**ENV, "TERM": "xterm", "COLUMNS": "80"})
        os.close(slave)
        out, _ = p.communicate(timeout=60)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        return p.returncode, out, b"".join(chunks)
    finally:
        os.close(master)


def test_progress_bar_on_a_terminal_for_a_file_only(big_csv):
    rc, out, tty = _run_with_tty_stderr([installed_command(), "batch", str(big_csv)])
    assert rc == 0 and len(out.splitlines()) == 60_000
    assert b"big.csv" in tty  # the bar's label, drawn on the terminal

    time.sleep(0.1)
    with open(big_csv, "rb") as f:
        rc, out, tty = _run_with_tty_stderr([installed_command(), "batch", "-"], stdin=f)
    assert rc == 0 and len(out.splitlines()) == 60_000
    assert tty == b""  # stdin: never a progress bar


def test_no_rich_import_on_the_batch_path(tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("state\nCA\n")
    code = ("import sys; from coder_pay.cli import main; sys.argv=['coder-pay','batch',sys.argv[1]]; rc = main(); "
            "sys.stderr.write(repr(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.'))))")
    r = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, env=ENV, timeout=60)
    assert r.stderr.decode().strip() == "[]"
