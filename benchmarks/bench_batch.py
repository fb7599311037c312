"""Benchmark: `coder-pay batch` on 200,000 CSV rows to JSON Lines, against a bare Python loop.

    python benchmarks/bench_batch.py              # 200k rows, 5,000 distinct profiles
    python benchmarks/bench_batch.py --big        # also 2M rows, to compare peak memory
    python benchmarks/bench_batch.py --profiles 0 # every row drawn afresh (nearly all distinct)

Both sides run as subprocesses (interpreter start-up included) reading the same CSV file and
writing to /dev/null; the best of --repeat runs is reported. The bare loop is
`for row in csv.DictReader(f): out.write(json.dumps(row) + "\\n")`: what any batch has to do
at least. Peak memory is each child's own maximum resident set size (os.wait4).

Rows come from a pool of --profiles distinct profiles drawn once with realistic weights
(states by BLS employment, common credentials more often, a few bad rows), then sampled
uniformly with a fixed seed: a roster in which many people share a profile. The targets
(issue 4): >= 150,000 rows/s on one core, within 3x of the bare loop, memory flat 200k -> 2M.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "employee_id,state,cert,years,level,specialty,setting,remote,home\n"
CERTS = [("", 25), ("CPC", 40), ("CCS", 8), ("CPC;CRC", 6), ("RHIT", 5), ("CPC;CCS", 4), ("CRC", 3), ("COC", 3),
         ("CPC|CPMA", 2), ("RHIA", 2), ("CCS-P", 1), ("CDIP;CCS", 1)]
BARE_LOOP = (
    "import csv, json, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w') as out:\n"
    "    for row in csv.DictReader(f):\n"
    "        out.write(json.dumps(row) + '\\n')\n"
)


def make_profiles(n: int, rng: random.Random) -> list[str]:
    from coder_pay import load_table

    table = load_table()
    states = sorted(table.states.values(), key=lambda s: s.code)
    weights = [s.employment for s in states]
    specialties = [k for k in table.specialties if k != "general"]
    settings = [k for k in table.settings if k != "any"]
    levels = ["entry", "mid", "senior", "supervisor", "manager", "director"]

    def one() -> str:
        r = rng.random()
        if r < 0.002:
            return rng.choice(["Califrnia,CPC,5,,,,,,", "TX,CPC,ten,,,,,,", "NY,XYZ,3,,,,,,", "FL,CPC,2,senior,,,,,"])
        st = rng.choices(states, weights)[0]
        u = rng.random()
        state = "" if u < 0.03 else st.name if u < 0.08 else st.code.lower() if u < 0.11 else st.code
        cert = rng.choices([c for c, _ in CERTS], [w for _, w in CERTS])[0]
        years = "" if rng.random() < 0.2 else str(min(35, int(rng.triangular(0, 35, 6))))
        level = rng.choice(levels) if not years and rng.random() < 0.5 else ""
        specialty = rng.choice(specialties) if rng.random() < 0.35 else ""
        setting = rng.choice(settings) if rng.random() < 0.5 else ""
        remote = rng.choice(["true", "yes", "1"]) if rng.random() < 0.25 else rng.choice(["", "", "false"])
        home = rng.choices(states, weights)[0].code if rng.random() < 0.08 else ""
        return f"{state},{cert},{years},{level},{specialty},{setting},{remote},{home}"

    if n <= 0:
        return [one() for _ in range(1 << 20)]  # fresh draws: almost every row distinct
    pool: dict[str, None] = {}
    while len(pool) < n:
        pool[one()] = None
    return list(pool)


def write_csv(path: Path, rows: int, profiles: list[str], rng: random.Random) -> int:
    distinct: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        for i in range(rows):
            p = rng.choice(profiles)
            if len(distinct) < 2_000_000:
                distinct.add(p)
            f.write(f"E{i:07d},{p}\n")
    return len(distinct)


def generate(path: Path, rows: int, profiles: int, seed: int) -> int:
    """Write the CSV in a child process: this process must stay small, because a child's peak RSS
    as the kernel reports it is at least its parent's size at the moment it was started."""
    code = ("import sys, random; sys.path.insert(0, sys.argv[1]); import bench_batch as b; from pathlib import Path; "
            "rows, profiles, seed = map(int, sys.argv[3:6]); "
            "pool = b.make_profiles(profiles, random.Random(seed)); "
            "print(b.write_csv(Path(sys.argv[2]), rows, pool, random.Random(seed + rows)))")
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), str(path), str(rows), str(profiles),
                          str(seed)], check=True, capture_output=True, text=True).stdout
    return int(out)


def timed(cmd: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit status of one child run."""
    with open(os.devnull, "wb") as devnull:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=devnull, stderr=devnull)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, usage.ru_maxrss, p.returncode


def best(cmd: list[str], repeat: int) -> tuple[float, int, int]:
    runs = [timed(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def coder_pay_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    here = Path(sys.executable).parent / "coder-pay"
    found = str(here) if here.exists() else shutil.which("coder-pay")
    if not found:
        sys.exit("coder-pay is not installed (pip install -e .), or pass --command PATH")
    return [found]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--profiles", type=int, default=5_000, help="distinct profiles in the pool (0: fresh draw per row)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big", action="store_true", help="also time 2,000,000 rows and compare peak memory")
    ap.add_argument("--format", default="jsonl", choices=["jsonl", "csv"])
    ap.add_argument("--command", help="the coder-pay executable (default: next to this Python, or on PATH)")
    args = ap.parse_args()

    cmd = coder_pay_command(args.command)
    sizes = [args.rows] + ([2_000_000] if args.big else [])
    with tempfile.TemporaryDirectory(prefix="coder-pay-bench-") as tmp:
        rss: dict[int, int] = {}
        for rows in sizes:
            path = Path(tmp) / f"rows-{rows}.csv"
            distinct = generate(path, rows, args.profiles, args.seed)
            mb = path.stat().st_size / 1e6
            t_cp, rss_cp, rc = best(cmd + ["batch", str(path), "--format", args.format], args.repeat)
            t_bare, rss_bare, _ = best([sys.executable, "-c", BARE_LOOP, str(path), os.devnull], args.repeat)
            rss[rows] = rss_cp
            print(f"{rows:,} rows ({mb:.1f} MB CSV, {distinct:,} distinct profiles), output {args.format} to /dev/null")
            print(f"  coder-pay batch : {t_cp:6.2f} s  {rows / t_cp:>10,.0f} rows/s  peak RSS {rss_cp / 1024:6.1f} MiB"
                  f"  (exit {rc}: {'some bad rows, as generated' if rc == 1 else 'ok' if rc == 0 else 'FAILED'})")
            print(f"  bare csv->json  : {t_bare:6.2f} s  {rows / t_bare:>10,.0f} rows/s  peak RSS {rss_bare / 1024:6.1f} MiB")
            print(f"  ratio           : {t_cp / t_bare:.2f}x the bare loop's time")
        if len(rss) > 1:
            a, b = sizes[0], sizes[-1]
            print(f"peak RSS {a:,} -> {b:,} rows: {rss[a] / 1024:.1f} -> {rss[b] / 1024:.1f} MiB "
                  f"({(rss[b] - rss[a]) / 1024:+.1f} MiB)")


if __name__ == "__main__":
    main()
