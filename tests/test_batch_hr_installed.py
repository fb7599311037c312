"""`coder-pay batch` on a realistic HR export, as a real process of the installed command (issue 10)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from coder_pay import build_query, estimate, load_table
from coder_pay.decide import offer_check
from conftest import installed_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths and pipes")

ENV = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": ""}
TABLE = load_table()

STAFF = [  # as an HR system exports them
    ("Ana Ruiz", "CA", "CPC", "7", "hospital", "$82,000"),
    ("Ben Ode", "Texas", "CPC CRC", "3.5", "clinic", "52k"),
    ("Cy Park", "ny", "", "12", "physician practice", "61,500"),
    ("Dee Lund", "Califrnia", "CCS", "4 yrs", "", "58000"),
    ("Eve Sato", "WA", "CPC/CCS", "2", "payer", "71000"),
    ("Fay Kim", "OR", "CPC-A", "1", "General Medical and Surgical Hospitals", "41000"),
]
# the same people as build_query reads them; Dee's state is misspelt
QUERIES = [dict(state="CA", certs=["CPC"], years=7, setting="hospital"),
           dict(state="TX", certs=["CPC", "CRC"], years=3.5, setting="physician-office"),
           dict(state="NY", years=12, setting="physician-office"),
           None,
           dict(state="WA", certs=["CPC", "CCS"], years=2, setting="insurance"),
           dict(state="OR", certs=["CPC"], years=1, setting="hospital")]
SALARIES = [82000, 52000, 61500, 58000, 71000, 41000]
HEADER = ["Name", "State", "Certifications", "Years of Experience", "Work Setting", "Salary"]


def write(path, delimiter):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")  # as Excel writes it
        w.writerow(HEADER)
        w.writerows(STAFF)
    return path


def run(*args):
    return subprocess.run([installed_command(), "batch", *args], capture_output=True, text=True, env=ENV, timeout=60)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_staff_file_becomes_a_pay_equity_audit(tmp_path, delimiter):
    path = write(tmp_path / "staff.csv", delimiter)
    r = run(str(path), "--format", "csv", "--keep", "name")
    assert r.returncode == 3  # one row failed (issue 15: 3, not 1)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["Name"] for row in rows] == [s[0] for s in STAFF]  # every row in its place, failed ones too
    for row, kw, salary in zip(rows, QUERIES, SALARIES):
        if kw is None:
            assert row["error"].startswith("Unknown state 'Califrnia'") and row["mid"] == row["verdict"] == ""
            continue
        q = build_query(TABLE, **kw)
        off = offer_check(TABLE, q, salary)
        assert (row["state"], int(row["mid"]), int(row["salary"])) == (q.state, off.market.mid, salary)  # today's $
        assert off.market.mid == estimate(TABLE, q._replace(as_of=2026)).band.mid
        assert (row["verdict"], int(row["target"]), float(row["percentile"])) == (off.verdict, off.target,
                                                                                  round(off.percentile, 1))
        assert row["error"] == ""
    err = r.stderr.splitlines()
    assert err[0] == ("coder-pay: row 4 (Name: Dee Lund): Unknown state 'Califrnia'. Did you mean California (CA)? "
                      "Use a USPS code such as CA or a full name.")
    assert any("CPC-A (apprentice) is priced as CPC" in line for line in err)
    verdicts = [row["verdict"] for row in rows if row["verdict"]]
    assert err[-1] == (f"coder-pay: 6 rows: {verdicts.count('below market')} below market, "
                       f"{verdicts.count('within market')} within market, {verdicts.count('above market')} above "
                       "market; 1 failed")


def test_compact_json_lines_of_a_staff_file(tmp_path):
    path = write(tmp_path / "staff.csv", ";")
    r = run(str(path), "--compact", "--keep", "Name", "--no-summary")
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["input"]["Name"] for d in docs] == [s[0] for s in STAFF]
    assert [d["kind"] for d in docs] == ["batch_row"] * 3 + ["batch_row_error"] + ["batch_row"] * 2
    assert all(len(line.encode()) < 300 for line in r.stdout.splitlines())


def test_a_look_alike_column_stops_the_installed_command(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("Name,State,Certfications\nAna,CA,CPC\n", encoding="utf-8")
    r = run(str(path))
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("coder-pay: error: the CSV header has a column coder-pay does not read but that looks like one: "
                        "'Certfications' (did you mean cert?). Read it with --column cert='Certfications', or carry "
                        "it unread with --keep 'Certfications'.\n")
