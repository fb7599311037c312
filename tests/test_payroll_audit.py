"""Issue 15 end to end: a realistic messy payroll export (tests/data/payroll_export.csv: a BOM, CRLF, semicolons,
hourly and salaried staff, HR placeholders, a repeated header, blank lines) through `batch` and `audit`, in-process
(CliRunner) and as a subprocess of the installed command; audit documents against schemas/audit.schema.json.

Expected figures were worked by hand from the fixture (see the comments); hourly pay is rate x 2,080 hours.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from coder_pay.cli import app
from conftest import installed_command

ROOT = Path(__file__).resolve().parents[1]
EXPORT = Path(__file__).parent / "data" / "payroll_export.csv"
SCHEMA = json.loads((ROOT / "schemas" / "audit.schema.json").read_text(encoding="utf-8"))
ENV = {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "COLUMNS": "120", "NO_COLOR": "1", "CODER_PAY_DATA": ""}

# The fixture, line by line (line 1 is the header; data row N is line N+1; blank lines count):
PAY = {  # row -> yearly pay read
    1: 52_000,  # 52,000.00, Salary
    2: 44_720,  # 21.50 an hour x 2,080 (CPC-A: priced as CPC)
    3: 61_500,  # $61,500 (CPC, CEMC: CEMC not priced)
    4: 41_080,  # 19.75 x 2,080
    5: 74_000,  # 74000 and 35.58/h (= 74,006): they agree within 1 %, the salary is the pay
    8: 58_000,  # 58 k, state N/A: national
    9: 39_000,  # years '-': not given
    10: 49_920,  # 24 x 2,080
    12: 78_000,  # 78,000/yr (CPMA, CCDS: CCDS not priced)
    15: 60_528,  # 29.10 x 2,080 (XYZQ: unknown, priced without)
    19: 71_250,  # Annual
    20: 54_912,  # 26.40 x 2,080
    24: 39_312,  # 18.90 x 2,080
}
NO_PAY = {6, 16}  # N/A everywhere pay would be
FAILED = {
    13: "disagree by $4,480",  # 60000 vs 31.00 x 2,080 = 64,480
    14: "Unknown state 'Texs'",
    17: "not 'eight'",
    18: "'27.50' is an hourly rate",  # in Annual Salary, with Pay Type Salary
    23: "not '59 500'",
}
BLANK = {7, 21, 22}
REPEATED_HEADER = {11}


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=input, env=ENV, catch_exceptions=False)


def test_the_fixture_is_as_messy_as_a_real_export() -> None:
    raw = EXPORT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and raw.count(b";") > 100
    text = raw.decode("utf-8-sig")
    assert text.count("Employee ID;") == 2 and "N/A" in text and "José Núñez" in text


def test_every_row_of_the_export_is_accounted_for_in_batch() -> None:
    r = invoke("batch", str(EXPORT), "--format", "csv", "--keep", "Employee ID")
    assert r.exit_code == 3, r.output  # some rows failed; the others were written
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    by_row = {int(row["row"]): row for row in rows}
    assert set(by_row) == set(PAY) | NO_PAY | set(FAILED)
    assert set(PAY) | NO_PAY | set(FAILED) | BLANK | REPEATED_HEADER == set(range(1, 25))  # all 24 data rows
    lines = EXPORT.read_bytes().decode("utf-8-sig").split("\r\n")
    for n, row in by_row.items():  # the row number is the spreadsheet's: data row N is line N+1
        assert lines[n].startswith(row["Employee ID"] + ";"), (n, row["Employee ID"])
    for n, pay in PAY.items():
        assert int(by_row[n]["salary"]) == pay, n
        assert by_row[n]["error"] == ""
        target, salary = int(by_row[n]["target"]), int(by_row[n]["salary"])
        assert int(by_row[n]["gap"]) == target - salary >= 0
    for n in NO_PAY:
        assert by_row[n]["salary"] == "" and by_row[n]["mid"] != ""
    for n, why in FAILED.items():
        assert why in by_row[n]["error"], (n, by_row[n]["error"])
        assert f"coder-pay: row {n} (Employee Name: " in r.stderr
    assert by_row[8]["state"] == ""  # N/A: not given (national), not "Did you mean North Dakota?"
    assert by_row[2]["cert"] == "CPC" and by_row[6]["cert"] == "" and by_row[24]["cert"] == ""
    assert by_row[3]["cert"] == "CPC" and "CEMC not priced" in by_row[3]["notes"]
    assert "unknown credential 'XYZQ'" in by_row[15]["notes"] and by_row[15]["cert"] == "CPC"
    assert by_row[3]["years"] == "10" and by_row[2]["years"] == "0" and by_row[4]["years"] == "2.5"
    assert "$21.50 an hour x 2,080 hours = $44,720 a year" in by_row[2]["notes"]
    assert "1 row repeats the header (row 11): skipped" in r.stderr
    assert "20 rows: " in r.stderr and "5 failed (3 blank, 1 repeated header skipped)" in r.stderr


def _audit_doc(*extra: str) -> dict:  # type: ignore[type-arg]
    r = invoke("audit", str(EXPORT), "--json", *extra)
    assert r.exit_code == 3 and r.stderr == "", r.output  # with --json, stderr carries only a JSON error
    doc = json.loads(r.stdout)
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(doc), key=str)
    assert not errors, [e.message for e in errors]
    return doc  # type: ignore[no-any-return]


def test_the_audit_accounts_for_every_row_and_sums_by_hand() -> None:
    doc = _audit_doc("--by", "Department")
    assert doc["rows"] == {"read": 24, "compared": 13, "without_salary": 2, "failed": 5, "blank": 3, "repeated_header": 1}
    assert sum(v for k, v in doc["rows"].items() if k != "read") == doc["rows"]["read"]
    groups = {g["value"]: g for g in doc["groups"]}
    assert list(groups) == ["Audit", "Billing", "Coding", "Risk Adjustment"]
    # Billing: rows 4 (41,080), 9 (39,000), 24 (39,312) compared; 6 and 16 without pay; 17 failed
    billing = groups["Billing"]
    assert (billing["count"], billing["median_salary"], billing["without_salary"], billing["failed"]) == (3, 39_312, 2, 1)
    # Coding: rows 1 2 3 5 10 15 19 20 -> median of 44,720 49,920 52,000 54,912 60,528 61,500 71,250 74,000
    coding = groups["Coding"]
    assert coding["count"] == 8 and coding["median_salary"] == (54_912 + 60_528) // 2
    assert doc["groups"][0]["value"] == "Audit" and groups["Audit"]["median_salary"] == 78_000
    total = doc["total"]
    assert total["count"] == 13 and total["failed"] == 5 and total["without_salary"] == 2
    assert total["median_salary"] == 54_912  # the 7th of the 13 salaries
    assert sum(g["cost_to_typical"] for g in doc["groups"]) == total["cost_to_typical"]
    assert sum(g["below_low"] for g in doc["groups"]) == total["below_low"]
    assert [e["row"] for e in doc["errors"]] == sorted(FAILED)


def test_audit_costs_are_the_batch_rows_gaps() -> None:
    """The cost to typical is the sum of the rows' `gap`; the cost to low the sum of each one's raise to the low."""
    r = invoke("batch", str(EXPORT), "--format", "csv")
    rows = [row for row in csv.DictReader(io.StringIO(r.stdout)) if row["salary"]]
    doc = _audit_doc()
    assert doc["total"]["cost_to_typical"] == sum(int(row["gap"]) for row in rows)
    assert doc["total"]["cost_to_low"] == sum(max(int(row["low"]) - int(row["salary"]), 0) for row in rows)
    assert doc["total"]["below_typical"] == sum(1 for row in rows if int(row["salary"]) < int(row["mid"]))


def test_the_people_furthest_below_market_carry_their_ids() -> None:
    doc = _audit_doc("--top", "3")
    worst = doc["furthest_below"]
    assert len(worst) == 3
    ratios = [w["ratio"] for w in worst]
    assert ratios == sorted(ratios)
    assert worst[0]["input"] == {"Employee ID": "E1008", "Employee Name": "Eve Stone"}  # 39,000 in FL
    # Eve Stone's $39,000 is below her profile's published p10 (BLS publishes nothing lower): the percentile reads
    # 10, the position says so
    assert (worst[0]["percentile"], worst[0]["position"]) == (10.0, "below p10")
    for w in worst[1:]:
        assert w["position"] == f"p{int(w['percentile'] + 0.5)}"
    for w in worst:
        assert w["gap"] == w["typical"] - w["salary"] > 0


@pytest.mark.parametrize("by, values", [
    ("state", {"CA", "FL", "IL", "NY", "OH", "PA", "TX", "WA", "(not given)"}),
    ("level", {"entry", "mid", "senior", "(not given)"}),
    ("setting", {"any"}),
    ("department", {"Audit", "Billing", "Coding", "Risk Adjustment"}),  # a column, in any case
])
def test_audit_groups_by(by: str, values: set[str]) -> None:
    doc = _audit_doc("--by", by)
    assert {g["value"] for g in doc["groups"]} == values
    assert sum(g["count"] for g in doc["groups"]) == doc["total"]["count"] == 13


def test_audit_by_an_unknown_column_says_which_exist() -> None:
    r = invoke("audit", str(EXPORT), "--by", "Departmnt")
    assert r.exit_code == 2 and r.stdout == ""
    assert "Did you mean 'Department'?" in r.stderr and len(r.stderr.splitlines()) == 1


def test_audit_as_a_table_for_people() -> None:
    r = invoke("audit", str(EXPORT), "--by", "Department")
    assert r.exit_code == 3
    for text in ("Pay audit: 13 salaries against their market, by Department", "Risk Adjustment", "All",
                 "Furthest below market", "Eve Stone", "Rows read: 24 (13 compared, 2 without pay, 5 failed, 3 blank, "
                 "1 repeated header skipped)."):
        assert text in r.stdout, text


def test_audit_csv_has_a_row_per_group_and_the_total_and_an_excel_mark() -> None:
    r = invoke("audit", str(EXPORT), "--by", "Department", "--format", "csv", "--excel")
    assert r.exit_code == 3
    assert r.stdout.startswith("\ufeffby,value,count,median_salary")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert [row["value"] for row in rows] == ["Audit", "Billing", "Coding", "Risk Adjustment", "all"]


def test_batch_csv_for_excel_starts_with_a_byte_order_mark(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    r = invoke("batch", str(EXPORT), "--format", "csv", "--excel", "-o", str(out), "--keep", "Employee Name")
    assert r.exit_code == 3 and r.stdout == ""
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfEmployee Name,row,") and "José Núñez".encode() in raw


def test_excel_is_for_csv_only() -> None:
    r = invoke("batch", str(EXPORT), "--excel")
    assert r.exit_code == 2 and "--excel is for --format csv" in r.stderr


@pytest.fixture
def needs_excel() -> None:
    pytest.importorskip("rustpy_xlsxwriter", reason="the excel extra (rustpy-xlsxwriter) is not installed")


def test_audit_workbook_has_a_summary_and_a_rows_sheet(tmp_path: Path, needs_excel: None) -> None:
    from workbook_reader import read_workbook

    out = tmp_path / "audit.xlsx"
    r = invoke("audit", str(EXPORT), "--by", "Department", "--format", "xlsx", "-o", str(out))
    assert r.exit_code == 3 and r.stdout == ""
    book = read_workbook(out)
    assert list(book) == ["Summary", "Rows", "Furthest below"]
    summary, rows = book["Summary"], book["Rows"]
    assert summary.frozen_rows == 1 and summary.autofilter is not None
    groups = {g[1]: dict(zip(summary.header, g)) for g in summary.values()}
    assert list(groups) == ["Audit", "Billing", "Coding", "Risk Adjustment", "all"]
    assert groups["Audit"]["median_salary"] == 78_000 and groups["Billing"]["median_salary"] == 39_312
    assert groups["all"]["count"] == 13 and groups["all"]["failed"] == 5
    # every row read (blank lines and the repeated header skipped), in the spreadsheet's numbering
    assert [int(r[0]) for r in rows.values()] == sorted(set(PAY) | NO_PAY | set(FAILED))
    salary = {int(r[0]): r[rows.header.index("salary")] for r in rows.values()}
    assert salary == {**PAY, **dict.fromkeys(NO_PAY | set(FAILED))}  # E1002's hourly pay (44,720) a number, and so on


def test_batch_workbook_has_every_row_typed(tmp_path: Path, needs_excel: None) -> None:
    from workbook_reader import read_workbook

    out = tmp_path / "rows.xlsx"
    r = invoke("batch", str(EXPORT), "--format", "xlsx", "-o", str(out), "--keep", "Employee ID")
    assert r.exit_code == 3 and r.stdout == ""
    rows = read_workbook(out)["Rows"]
    assert rows.header[:3] == ["Employee ID", "row", "state"] and rows.frozen_rows == 1
    by_row = {int(r[1]): dict(zip(rows.header, r)) for r in rows.values()}
    assert set(by_row) == set(PAY) | NO_PAY | set(FAILED)  # every row that is not blank or a repeated header
    for n, pay in PAY.items():
        assert by_row[n]["salary"] == pay and by_row[n]["error"] is None, n
        assert by_row[n]["gap"] == by_row[n]["target"] - pay >= 0
    for n, why in FAILED.items():
        assert why in by_row[n]["error"] and by_row[n]["mid"] is None, n
    assert by_row[3]["cert"] == "CPC" and "CEMC not priced" in by_row[3]["notes"]
    assert by_row[4]["years"] == 2.5


def test_xlsx_needs_an_output_file() -> None:
    r = invoke("batch", str(EXPORT), "--format", "xlsx")
    assert r.exit_code == 2 and "-o FILE.xlsx" in r.stderr


# --------------------------------------------------------------------------- as a real process


def run(*args: str, stdin: bytes | None = None, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    import os

    env = {**os.environ, "NO_COLOR": "1", "CODER_PAY_DATA": "", "COLUMNS": "120"}
    return subprocess.run([installed_command(), *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env,
                          timeout=120)


def test_the_installed_command_audits_the_export() -> None:
    p = run("audit", str(EXPORT), "--json", "--by", "Department")
    assert p.returncode == 3 and p.stderr == b""
    doc = json.loads(p.stdout)
    assert doc["kind"] == "audit" and doc["rows"]["read"] == 24 and doc["total"]["count"] == 13


def test_the_installed_command_reads_the_export_from_stdin() -> None:
    p = run("batch", "--format", "csv", stdin=EXPORT.read_bytes())
    assert p.returncode == 3
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert [int(r["row"]) for r in rows] == sorted(set(PAY) | NO_PAY | set(FAILED))


def test_audit_by_area_groups_by_the_place_of_work_else_the_state(tmp_path: Path) -> None:
    f = tmp_path / "located.csv"
    f.write_text("Employee ID,State,Work Location,Annual Salary\nE1,WA,Seattle,60000\nE2,TX,Austin TX,50000\n"
                 "E3,OH,,40000\nE4,WA,Seattle,70000\n", encoding="utf-8")
    r = invoke("audit", str(f), "--by", "area", "--json")
    assert r.exit_code == 0, r.output
    groups = {g["value"]: g["count"] for g in json.loads(r.stdout)["groups"]}
    assert groups == {"Austin-Round Rock-San Marcos, TX": 1, "OH": 1, "Seattle-Tacoma-Bellevue, WA": 2}
