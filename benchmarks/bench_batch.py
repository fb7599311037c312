"""Benchmark: `coder-pay batch` throughput and memory, repeated profiles and all-distinct rows.

    python benchmarks/bench_batch.py                    # 200k rows: both inputs, every output
    python benchmarks/bench_batch.py --big              # also 2M rows, to compare peak memory
    python benchmarks/bench_batch.py --input distinct --output csv --output slim --repeat 1

Two inputs of --rows rows each:
- repeated: a roster in which many people share a profile: --profiles distinct profiles (default
  5,000) drawn once with realistic weights (states by BLS employment, common credentials more
  often, a few bad rows), then sampled uniformly; header `employee_id,state,cert,years,...`.
- distinct: a staff file with salaries in which every row is a different profile: state (code,
  name or lower case) x credentials (',', ';', '/', ' ' separated, CPC-A) x years (whole, 3.5,
  '4 yrs') x specialty x work setting (keys and aliases such as 'clinic') x salary ('52000',
  '$52,000', '52k'); header `Employee ID,State,Certifications,Years of Experience,Specialty,
  Work Setting,Salary` (each row an offer check).
- located (--input located): the repeated roster with a `Work Location` column (a metro of the row's
  state for 60 % of the profiles): a location column must keep the repeated-profile speed.

- payroll (issue 15): an HR system's export, every row a different profile with pay on every row: a
  yearly salary ('52000', '$52,000.00', '52k') or an hourly rate with a pay basis ('Hourly', '25.50'),
  placeholders ('N/A', '-') for missing years and credentials, HR years ('10+', '<1', '2 yrs 6 mos');
  header `Employee ID,Work State,Job Title,Certifications,Years of Experience,Annual Salary,Hourly
  Rate,Pay Type,Department`.

Outputs: `jsonl` (the full document per row), `csv` (--format csv), `slim` (JSON Lines with --compact),
`xlsx` (--format xlsx -o FILE, the Excel extra) and `audit` (coder-pay audit --by Department --json). Every run is a subprocess of the installed command (interpreter start-up
included) reading the CSV file and writing to /dev/null; the best of --repeat runs is reported,
with the peak resident set size of the child (os.wait4: the largest of the command and its worker processes; batch
prices a file of 1 MiB or more in one worker per CPU unless --jobs says otherwise). The bare loop is
`for row in csv.DictReader(f): out.write(json.dumps(row) + "\\n")`: what any batch has to do at least.

Targets (TARGETS; issue 10 and issue 15): with all-distinct rows >= 100,000 rows/s to CSV and >= 50,000 rows/s
to slim JSON Lines; the payroll input >= 100,000 rows/s to CSV and >= 20,000 to xlsx; memory flat from 200k to
2M rows (--big). Measured figures: docs/scripting.md, "Speed".
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

REPEATED_HEADER = "employee_id,state,cert,years,level,specialty,setting,remote,home\n"
LOCATED_HEADER = "employee_id,state,cert,years,level,specialty,setting,remote,home,Work Location\n"
DISTINCT_HEADER = "Employee ID,State,Certifications,Years of Experience,Specialty,Work Setting,Salary\n"
CERTS = [("", 25), ("CPC", 40), ("CCS", 8), ("CPC;CRC", 6), ("RHIT", 5), ("CPC;CCS", 4), ("CRC", 3), ("COC", 3),
         ("CPC|CPMA", 2), ("RHIA", 2), ("CCS-P", 1), ("CDIP;CCS", 1)]
PAYROLL_HEADER = ("Employee ID,Work State,Job Title,Certifications,Years of Experience,Annual Salary,Hourly Rate,Pay Type,"
                  "Department\n")
OUTPUTS = {"jsonl": [], "csv": ["--format", "csv"], "slim": ["--compact"], "xlsx": ["--format", "xlsx", "-o", "{tmp}/out.xlsx"],
           "audit": ["--by", "Department", "--json"]}
TARGETS = {("distinct", "csv"): 100_000, ("distinct", "slim"): 50_000, ("payroll", "csv"): 100_000,
           ("payroll", "xlsx"): 20_000}
BARE_LOOP = (
    "import csv, json, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w') as out:\n"
    "    for row in csv.DictReader(f):\n"
    "        out.write(json.dumps(row) + '\\n')\n"
)


def make_profiles(n: int, rng: random.Random) -> list[str]:
    """A pool of n distinct repeated-input rows (0: fresh draws, nearly all distinct)."""
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


def write_repeated(path: Path, rows: int, profiles: int, seed: int) -> int:
    pool = make_profiles(profiles, random.Random(seed))
    rng = random.Random(seed + rows)
    distinct: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(REPEATED_HEADER)
        for i in range(rows):
            p = rng.choice(pool)
            if len(distinct) < 2_000_000:
                distinct.add(p)
            f.write(f"E{i:07d},{p}\n")
    return len(distinct)


def write_located(path: Path, rows: int, profiles: int, seed: int) -> int:
    """The repeated roster with a `Work Location` column: 60 % of the profiles name a metro of their state (as
    "City, ST", the title's first city, or the CBSA code), the rest none (issue 14: a location column must
    keep the repeated-profile speed)."""
    from coder_pay import load_table
    from coder_pay.places import load_places

    table = load_table()
    by_state: dict[str, list[str]] = {}
    for m in load_places(table).metros.values():
        first = m.name.split(",")[0].split("-")[0]
        by_state.setdefault(m.state, []).extend([f'"{first}, {m.state}"', m.code])
    rng = random.Random(seed + 1)
    pool = []
    for prof in make_profiles(profiles, random.Random(seed)):
        st = prof.split(",", 1)[0]
        code = st.upper() if len(st) == 2 else next((c for c, x in table.states.items() if x.name == st), "")
        places = by_state.get(code, [])
        pool.append(f"{prof},{rng.choice(places) if places and rng.random() < 0.6 else ''}")
    rng = random.Random(seed + rows)
    distinct: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(LOCATED_HEADER)
        for i in range(rows):
            p = rng.choice(pool)
            if len(distinct) < 2_000_000:
                distinct.add(p)
            f.write(f"E{i:07d},{p}\n")
    return len(distinct)


def write_distinct(path: Path, rows: int, seed: int) -> int:
    """Every row drawn afresh, salary included; returns how many (profile, salary) rows are distinct."""
    from coder_pay import load_table

    table = load_table()
    rng = random.Random(seed)
    states = [s for st in table.states.values() for s in (st.code, st.name, st.code.lower())]
    codes = list(table.credentials)
    seps = [";", "/", " ", "|"]
    specialties = list(table.specialties)
    settings = list(table.settings) + [a for f in table.settings.values() for a in f.aliases if "," not in a]

    def cert() -> str:
        k = rng.choice([0, 1, 1, 1, 2, 2, 3])
        picked = rng.sample(codes, k) + (["CPC-A"] if rng.random() < 0.03 else [])
        return rng.choice(seps).join(picked)

    def years() -> str:
        y = rng.randint(0, 35)
        return rng.choice([str(y), f"{y}.5", f"{y} yrs", ""])

    def salary() -> str:
        s = rng.randrange(30_000, 130_000, 50)
        return rng.choice([str(s), f'"${s:,}"', f"{s / 1000:g}k"])

    distinct: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(DISTINCT_HEADER)
        for i in range(rows):
            p = f"{rng.choice(states)},{cert()},{years()},{rng.choice(specialties)},{rng.choice(settings)},{salary()}"
            if len(distinct) < 2_000_000:
                distinct.add(p)
            f.write(f"E{i:07d},{p}\n")
    return len(distinct)


def write_payroll(path: Path, rows: int, seed: int) -> int:
    """An HR export (see the module doc): pay on every row, every row drawn afresh."""
    from coder_pay import load_table

    table = load_table()
    rng = random.Random(seed)
    states = [s for st in table.states.values() for s in (st.code, st.code, st.name)]
    codes = list(table.credentials) + ["CEMC", "CCDS"]
    titles = ["Coder I", "Coder II", "Coder III", "Coding Specialist", "Auditor", "Remote Coder"]
    departments = ["Coding", "Billing", "Audit", "Risk Adjustment", "HIM", "Revenue Cycle"]

    def cert() -> str:
        k = rng.choice([0, 1, 1, 1, 2, 2, 3])
        return rng.choice(["N/A", "", "None"]) if k == 0 else rng.choice([", ", "; ", "/"]).join(rng.sample(codes, k))

    def years() -> str:
        y = rng.randint(0, 35)
        return rng.choice([str(y), f"{y}.5", f"{y} yrs", f"{y}+", "<1", f"{y} yrs 6 mos", "N/A", "-"])

    def pay() -> str:
        if rng.random() < 0.3:  # hourly staff
            rate = rng.randrange(1600, 5200) / 100
            return f",{rate:.2f},Hourly"
        s = rng.randrange(30_000, 130_000, 50)
        return rng.choice([f"{s},,Salary", f'"${s:,}.00",,Salary', f"{s / 1000:g}k,,Annual", f"{s},,"])

    distinct: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(PAYROLL_HEADER)
        for i in range(rows):
            p = f"{rng.choice(states)},{rng.choice(titles)},\"{cert()}\",{years()},{pay()},{rng.choice(departments)}"
            if len(distinct) < 2_000_000:
                distinct.add(p)
            f.write(f"E{i:07d},{p}\n")
    return len(distinct)


def generate(path: Path, kind: str, rows: int, profiles: int, seed: int) -> int:
    """Write the CSV in a child process: this process must stay small, because a child's peak RSS
    as the kernel reports it is at least its parent's size at the moment it was started."""
    call = (f"b.write_repeated(Path(sys.argv[2]), {rows}, {profiles}, {seed})" if kind == "repeated"
            else f"b.write_payroll(Path(sys.argv[2]), {rows}, {seed})" if kind == "payroll"
            else f"b.write_located(Path(sys.argv[2]), {rows}, {profiles}, {seed})" if kind == "located"
            else f"b.write_distinct(Path(sys.argv[2]), {rows}, {seed})")
    code = (f"import sys; sys.path.insert(0, sys.argv[1]); import bench_batch as b; from pathlib import Path; "
            f"print({call})")
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), str(path)], check=True,
                         capture_output=True, text=True).stdout
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
    ap.add_argument("--profiles", type=int, default=5_000, help="distinct profiles in the repeated input's pool")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big", action="store_true", help="also 2,000,000 rows, and compare peak memory")
    ap.add_argument("--input", action="append", choices=["repeated", "located", "distinct", "payroll"],
                    help="default: repeated and distinct (located: repeated with a Work Location column; payroll: "
                         "an HR export, pay on every row)")
    ap.add_argument("--output", action="append", choices=list(OUTPUTS), help="default: jsonl, csv, slim")
    ap.add_argument("--command", help="the coder-pay executable (default: next to this Python, or on PATH)")
    ap.add_argument("--jobs", type=int, help="pass --jobs N to batch (default: batch's own choice, one worker per CPU "
                                             "for a file of 1 MiB or more)")
    args = ap.parse_args()

    cmd = coder_pay_command(args.command)
    inputs = args.input or ["repeated", "distinct"]
    outputs = args.output or ["jsonl", "csv", "slim"]
    sizes = [args.rows] + ([2_000_000] if args.big else [])
    rss: dict[tuple[str, str], dict[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="coder-pay-bench-") as tmp:
        for rows in sizes:
            for kind in inputs:
                path = Path(tmp) / f"{kind}-{rows}.csv"
                distinct = generate(path, kind, rows, args.profiles, args.seed)
                mb = path.stat().st_size / 1e6
                what = "distinct profiles" if kind in ("repeated", "located") else "distinct rows (profile x pay)"
                print(f"{rows:,} rows, {kind} ({mb:.1f} MB CSV, {distinct:,} {what}), output to /dev/null")
                t_bare, rss_bare, _ = best([sys.executable, "-c", BARE_LOOP, str(path), os.devnull], args.repeat)
                print(f"  {'bare csv->json':16}: {t_bare:6.2f} s {rows / t_bare:>10,.0f} rows/s  peak RSS "
                      f"{rss_bare / 1024:6.1f} MiB")
                for out in outputs:
                    command = "audit" if out == "audit" else "batch"
                    extra = [a.replace("{tmp}", tmp) for a in OUTPUTS[out]] + ([] if out == "audit" else ["--no-summary"])
                    if args.jobs is not None and out != "audit":
                        extra += ["--jobs", str(args.jobs)]
                    t, peak, rc = best(cmd + [command, str(path), *extra], args.repeat)
                    rss.setdefault((kind, out), {})[rows] = peak
                    target = TARGETS.get((kind, out))
                    verdict = "" if target is None else f"  target {target:,}: {'met' if rows / t >= target else 'NOT met'}"
                    status = "some bad rows, as generated" if rc == 3 else "ok" if rc == 0 else "FAILED"
                    print(f"  {'batch -> ' + out:16}: {t:6.2f} s {rows / t:>10,.0f} rows/s  peak RSS {peak / 1024:6.1f} "
                          f"MiB  {t / t_bare:5.2f}x bare  (exit {rc}: {status}){verdict}")
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]
        print(f"peak RSS {a:,} -> {b:,} rows:")
        for (kind, out), by in rss.items():
            print(f"  {kind:9} -> {out:5}: {by[a] / 1024:6.1f} -> {by[b] / 1024:6.1f} MiB ({(by[b] - by[a]) / 1024:+.1f} MiB)")


if __name__ == "__main__":
    main()
