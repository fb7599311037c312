"""Batch rows priced in worker processes (`--jobs`, coder_pay.workers): the same output, in the same order, with
the same messages and exit status as in one process; results in order; Ctrl-C and a closed pipe handled once.
In-process (CliRunner, with small chunks so that a small file spans many) and as the installed command."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coder_pay import workers
from coder_pay.cli import app, batch_cmd
from conftest import installed_command

pytestmark = [
    pytest.mark.skipif(not workers.can_fork(), reason="worker processes are forked (Linux)"),
    # In-process tests fork from pytest-xdist's worker, which runs an execnet thread (Python 3.12+ warns about a
    # fork with threads); the command itself has no thread when it forks: see test_the_command_forks_without_threads.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

EXPORT = Path(__file__).parent / "data" / "payroll_export.csv"
ENV = {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "COLUMNS": "120", "NO_COLOR": "1", "CODER_PAY_DATA": ""}
PROC_ENV = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": ""}


def messy_rows(n: int, seed: int = 7) -> str:
    """A staff file with everything that makes rows differ: good rows, bad ones (unknown state, bad years,
    conflicting pay, too many cells), blank lines, repeated headers, notes said once (CPC-A, CEMC, an unknown
    credential), hourly pay."""
    rng = random.Random(seed)
    header = "Employee ID,Work State,Certifications,Years of Experience,Annual Salary,Hourly Rate,Department"
    lines = [header]
    for i in range(n):
        r = rng.random()
        if r < 0.02:
            lines.append("")
        elif r < 0.03:
            lines.append(header)
        elif r < 0.05:
            lines.append(f"E{i},Texs,CPC,3,50000,,Coding")
        elif r < 0.06:
            lines.append(f"E{i},OH,CPC,eight,50000,,Coding")
        elif r < 0.07:
            lines.append(f"E{i},OH,CPC,3,60000,31.00,Coding")  # disagree
        elif r < 0.075:
            lines.append(f"E{i},OH,CPC,3,60000,,Coding,extra")
        else:
            state = rng.choice(["CA", "TX", "OH", "New York", "wa", "N/A", ""])
            cert = rng.choice(["CPC", "CPC-A", "CPC; CEMC", "CCS/CRC", "XYZQ", "N/A", ""])
            years = rng.choice(["0", "3", "10+", "<1", "2 yrs 6 mos", "-", ""])
            pay = rng.choice([f"{rng.randrange(35_000, 95_000, 50)}", "", f"${rng.randrange(40, 90)},500"])
            hourly = "" if pay else rng.choice(["21.50", "27/h", ""])
            lines.append(f"E{i},{state},{cert},{years},{pay},{hourly},{rng.choice(['Coding', 'Audit'])}")
    return "\n".join(lines) + "\n"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)


# --------------------------------------------------------------------------- the core


def _square(x: int) -> int:
    if x == 13:
        raise ValueError("thirteen")
    return x * x


def test_results_come_in_the_order_of_the_items() -> None:
    with workers.ordered_map(_square, range(12), 2) as results:
        assert list(results) == [x * x for x in range(12)]


def test_a_closure_runs_in_the_workers_with_what_the_parent_built() -> None:
    built = {"offset": 1000}  # made before the fork: the workers have it without pickling it

    def work(chunk: list[int]) -> list[int]:
        return [x + built["offset"] for x in chunk]

    chunks = ([i, i + 1] for i in range(0, 10, 2))
    with workers.ordered_map(work, chunks, 3) as results:
        assert list(itertools.chain.from_iterable(results)) == list(range(1000, 1010))


def test_an_exception_in_a_worker_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="thirteen"), workers.ordered_map(_square, range(20), 2) as results:
        list(results)


def test_items_are_read_only_a_few_ahead_of_the_results() -> None:
    """Memory stays flat: the items are not all read before the first result."""
    pulled = []

    def items():  # type: ignore[no-untyped-def]
        for i in range(1000):
            pulled.append(i)
            yield i

    with workers.ordered_map(abs, items(), 2) as results:
        first = next(results)
        assert first == 0 and len(pulled) <= 2 * workers.AHEAD
        assert sum(1 for _ in results) == 999


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    here = os.getpid()

    def work(x: int) -> int:
        if x >= 5 and os.getpid() != here:
            os._exit(9)  # a worker killed, out of memory...
        return x

    with pytest.raises(workers.WorkerDied), workers.ordered_map(work, range(50), 2) as results:
        list(results)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("taken", [None, 5])
def test_no_worker_is_left_behind(taken: int | None) -> None:
    """All results taken, or only the first (the output pipe closed): the workers are gone either way."""
    big = "x" * 300_000  # results larger than a pipe's buffer: a worker may be blocked writing one

    def work(x: int) -> tuple[int, str]:
        return os.getpid(), big

    with workers.ordered_map(work, range(40), 3) as results:
        pids = {pid for pid, _ in itertools.islice(results, taken)}
    assert len(pids - {os.getpid()}) == 2 and (taken or os.getpid() in pids)  # two workers, and this process too
    assert all(_gone(pid) for pid in pids - {os.getpid()})


def test_jobs_default_to_the_cpus_for_a_large_csv_file_only() -> None:
    spec = batch_cmd._BatchSpec("csv", "csv", {}, [], None, None, False, False)
    big = batch_cmd.PARALLEL_FROM_BYTES
    assert batch_cmd._jobs(None, big, spec) == workers.cpus()
    assert batch_cmd._jobs(None, big - 1, spec) == 1
    assert batch_cmd._jobs(None, None, spec) == 1  # stdin or a pipe: rows are written as they arrive
    assert batch_cmd._jobs(3, None, spec) == 3
    assert batch_cmd._jobs(3, big, spec._replace(input_format="jsonl")) == 1
    assert batch_cmd._jobs(3, big, spec._replace(out_format="xlsx")) == 3


# --------------------------------------------------------------------------- the CLI, in-process


@pytest.mark.parametrize("args", [
    ["--format", "csv"],
    ["--format", "csv", "--keep", "all", "--excel"],
    [],  # full JSON Lines documents
    ["--compact"],
    ["--fields", "row,state,mid,salary,verdict,gap"],
    ["--format", "csv", "--after-tax"],
])
def test_workers_write_what_one_process_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(messy_rows(400), encoding="utf-8")
    monkeypatch.setattr(batch_cmd, "WORKER_CHUNK", 7)  # many chunks, each row's place checked across them
    one = invoke("batch", str(path), *args, "--jobs", "1")
    many = invoke("batch", str(path), *args, "--jobs", "3")
    assert one.exit_code == many.exit_code == 3  # rows failed
    assert many.stdout == one.stdout
    assert many.stderr == one.stderr
    assert "coder-pay: row" in one.stderr and "coder-pay: note:" in one.stderr


def test_a_workbook_priced_by_workers_is_the_same_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rustpy_xlsxwriter")
    from workbook_reader import read_workbook

    path = tmp_path / "staff.csv"
    path.write_text(messy_rows(300), encoding="utf-8")
    monkeypatch.setattr(batch_cmd, "WORKER_CHUNK", 7)
    got = {}
    for jobs in ("1", "3"):
        out = tmp_path / f"rows-{jobs}.xlsx"
        r = invoke("batch", str(path), "--format", "xlsx", "-o", str(out), "--keep", "Employee ID", "--jobs", jobs)
        assert r.exit_code == 3 and "coder-pay: row" in r.stderr
        got[jobs] = (read_workbook(out)["Rows"].values(), r.stderr)
    assert got["3"] == got["1"]
    assert len(got["1"][0]) > 250


def test_the_payroll_export_fixture_through_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_cmd, "WORKER_CHUNK", 2)
    one = invoke("batch", str(EXPORT), "--format", "csv", "--keep", "all", "--jobs", "1")
    many = invoke("batch", str(EXPORT), "--format", "csv", "--keep", "all", "--jobs", "2")
    assert (many.exit_code, many.stdout, many.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert "repeated header" in many.stderr


def test_a_worker_killed_mid_batch_is_one_line_and_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed (out of memory, kill -9): one line naming it and what was written, exit 1, no traceback;
    -o FILE is then not written at all."""
    from coder_pay.batch_rows import Batch

    path = tmp_path / "staff.csv"
    path.write_text(messy_rows(200), encoding="utf-8")
    monkeypatch.setattr(batch_cmd, "WORKER_CHUNK", 5)
    here, pricer = os.getpid(), Batch.csv_pricer

    def dying_pricer(self: Batch):  # type: ignore[no-untyped-def]
        price = pricer(self)

        def price_or_die(n: int, row: list[str]):  # type: ignore[no-untyped-def]
            if n > 50 and os.getpid() != here:
                os._exit(137)
            return price(n, row)
        return price_or_die

    monkeypatch.setattr(Batch, "csv_pricer", dying_pricer)
    out = tmp_path / "out.csv"
    r = invoke("batch", str(path), "--format", "csv", "--jobs", "2", "-o", str(out))
    assert r.exit_code == 1 and not out.exists() and "Traceback" not in r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("coder-pay: error: worker process") and "nothing written to" in last and "--jobs 1" in last
    r = invoke("batch", str(path), "--format", "csv", "--jobs", "2")  # to stdout: what was written stays
    assert r.exit_code == 1 and r.stdout.startswith("row,") and "rows written" in r.stderr.strip().splitlines()[-1]


def test_jobs_must_be_at_least_one() -> None:
    r = invoke("batch", str(EXPORT), "--jobs", "0")
    assert r.exit_code == 2 and "--jobs" in r.stderr


# --------------------------------------------------------------------------- the installed command


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Over PARALLEL_FROM_BYTES: workers price it by default."""
    path = tmp_path_factory.mktemp("workers") / "big.csv"
    text = messy_rows(32_000, seed=11)
    assert len(text.encode()) > batch_cmd.PARALLEL_FROM_BYTES
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, **kw):  # type: ignore[no-untyped-def]
    return subprocess.run([installed_command(), *args], capture_output=True, env=PROC_ENV, timeout=120, **kw)


def test_a_large_file_gives_the_same_output_with_workers_by_default(big_file: Path) -> None:
    default = run("batch", str(big_file), "--format", "csv")
    one = run("batch", str(big_file), "--format", "csv", "--jobs", "1")
    assert default.returncode == one.returncode == 3
    assert default.stdout == one.stdout and default.stderr == one.stderr
    assert len(default.stdout.splitlines()) > 20_000


def test_the_command_forks_without_threads(big_file: Path) -> None:
    """No thread runs when the command forks its workers (a fork copies no thread; Python 3.12+ would warn)."""
    env = {**PROC_ENV, "PYTHONWARNINGS": "error::DeprecationWarning"}
    r = subprocess.run([installed_command(), "batch", str(big_file), "--format", "csv", "--jobs", "2"],
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 3 and b"Warning" not in r.stderr and b"Traceback" not in r.stderr


def test_a_closed_pipe_stops_the_workers_quietly(big_file: Path) -> None:
    r = subprocess.run(f"'{installed_command()}' batch '{big_file}' --format csv --jobs 2 | head -2", shell=True,
                       capture_output=True, env=PROC_ENV, timeout=60)
    assert len(r.stdout.splitlines()) == 2
    assert b"Traceback" not in r.stderr and b"Exception" not in r.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_with_workers_says_how_many_rows_were_written(big_file: Path) -> None:
    """SIGINT reaches the whole process group (as Ctrl-C does): the workers leave it to the command, which
    says once how many rows were written, exits 130 and leaves no worker behind holding its output open."""
    p = subprocess.Popen([installed_command(), "batch", str(big_file), "--format", "csv", "--jobs", "2"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=PROC_ENV, start_new_session=True)
    try:
        assert p.stdout is not None
        assert p.stdout.readline().startswith(b"row,")
        os.killpg(p.pid, signal.SIGINT)
        _, err = p.communicate(timeout=30)  # returns only when no process holds stdout or stderr open
    finally:
        p.kill()
    assert p.returncode == 130
    text = err.decode()
    assert text.count("interrupted:") == 1 and "rows written" in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
