"""`coder-pay batch` on the files HR systems export (issue 10): column names as people write them,
--column, look-alike columns, --keep, failed rows in place, values as typed, delimiters, a salary
column (offer checks, --after-tax, the summary), --fields / --compact. The core and the CLI.

Expected figures come from the library (estimate, decide.offer_check), never from a batch run."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from coder_pay import build_query, estimate, load_table
from coder_pay.batch_rows import (
    COLUMN_NAMES,
    COLUMNS,
    LOOKALIKE_NAMES,
    Batch,
    Priced,
    RowError,
    column_for,
    iter_batch,
    looks_like,
    read_header,
    sniff_delimiter,
    squash,
)
from coder_pay.cli import app
from coder_pay.decide import offer_check
from coder_pay.documents import BATCH_COMPACT_FIELDS, BATCH_FIELDS
from conftest import CLI_ENV

TABLE = load_table()
ENV = CLI_ENV
runner = CliRunner()

HR = ("Name,State,Certifications,Years of Experience,Work Setting,Salary\n"
      'Ana Ruiz,CA,CPC,7,hospital,"$82,000"\n'
      "Ben Ode,Texas,CPC CRC,3.5,clinic,52k\n"
      'Cy Park,ny,,12,physician practice,"61,500"\n'
      "Dee Lund,Califrnia,CCS,4 yrs,,58000\n"
      "Eve Sato,WA,CPC/CCS,2,payer,71000\n")
# the same people as build_query sees them (Dee's row fails: Califrnia)
PEOPLE = [("Ana Ruiz", dict(state="CA", certs=["CPC"], years=7, setting="hospital"), 82000),
          ("Ben Ode", dict(state="TX", certs=["CPC", "CRC"], years=3.5, setting="physician-office"), 52000),
          ("Cy Park", dict(state="NY", certs=[], years=12, setting="physician-office"), 61500),
          ("Dee Lund", None, 58000),
          ("Eve Sato", dict(state="WA", certs=["CPC", "CCS"], years=2, setting="insurance"), 71000)]


def invoke(args, input=None):
    return runner.invoke(app, args, input=input, env=ENV, catch_exceptions=False)


def jsonl(text):
    return [json.loads(line) for line in text.splitlines()]


def offers():
    return [None if kw is None else offer_check(TABLE, build_query(TABLE, **kw), salary) for _, kw, salary in PEOPLE]


# --------------------------------------------------------------------------- column names


def test_hr_column_names_are_read():
    """Was: every row priced as an uncertified whole-market coder, with one warning, exit 0."""
    r = invoke(["batch", "--format", "csv"], input=HR)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["state"] for row in rows] == ["CA", "TX", "NY", "", "WA"]
    assert rows[1]["cert"] == "CPC;CRC" and rows[1]["years"] == "3.5" and rows[1]["setting"] == "physician-office"
    for row, (_, kw, _) in zip(rows, PEOPLE):
        if kw is not None:  # a salary row: judged, and its band shown, in today's dollars (CODER_PAY_TODAY: 2026)
            est = estimate(TABLE, build_query(TABLE, **kw, as_of=2026))
            assert [int(row[k]) for k in ("low", "mid", "high")] == list(est.band)
            assert [int(row[k]) for k in ("adjusted_low", "adjusted_mid", "adjusted_high")] == list(est.col.band)


@pytest.mark.parametrize("header", ["YEARS-OF-EXPERIENCE", "years_of_experience", " Years of experience ", "Yrs",
                                    "Experience", "YOE", "Years Experience"])
def test_column_names_ignore_case_spaces_and_punctuation(header):
    [row] = list(iter_batch(TABLE, [f"state,{header}\n", "TX,4\n"]))
    assert row.result.query.years == 4


def test_every_synonym_names_its_column_and_no_name_two():
    seen: dict[str, str] = {}
    for col in COLUMNS:
        for name in (col, *COLUMN_NAMES.get(col, ())):
            assert column_for(name) == col, name
            assert seen.setdefault(squash(name), col) == col, f"{name!r} names {seen[squash(name)]} and {col}"
    for col, names in LOOKALIKE_NAMES.items():
        for name in names:
            assert column_for(name) is None and looks_like(name) == col, name


def test_explicit_mapping_with_column():
    text = "Name,State,Badges\nAna,CA,CPC RHIT\n"
    r = invoke(["batch", "--fields", "row,cert", "--column", "cert=Badges"], input=text)
    assert r.exit_code == 0, r.stderr
    assert jsonl(r.stdout)[0]["cert"] == ["CPC", "RHIT"]
    r = invoke(["batch", "--fields", "cert", "--column", "Certifications=badges"], input=text)  # any name of the column
    assert jsonl(r.stdout)[0]["cert"] == ["CPC", "RHIT"]
    r = invoke(["batch", "--column", "cert=Badgez"], input=text)
    assert r.exit_code == 2 and r.stdout == ""
    assert "--column cert=Badgez: the input has no column 'Badgez'. Did you mean 'Badges'?" in r.stderr
    r = invoke(["batch", "--column", "certz=Badges"], input=text)
    assert r.exit_code == 2 and "coder-pay reads no column 'certz'. Did you mean cert?" in r.stderr
    r = invoke(["batch", "--column", "cert"], input=text)
    assert r.exit_code == 2 and "must be COLUMN=NAME" in r.stderr


def test_a_column_mapped_explicitly_wins_over_a_synonym():
    text = "State,Salary,Current Salary\nTX,40000,52000\n"
    r = invoke(["batch", "--fields", "salary"], input=text)  # two columns for salary: say which
    assert r.exit_code == 2
    assert "two columns for salary: 'Salary' and 'Current Salary'" in r.stderr
    assert "--column salary='Salary'" in r.stderr
    r = invoke(["batch", "--fields", "salary", "--column", "salary=Current Salary", "--no-summary"], input=text)
    assert r.exit_code == 0 and jsonl(r.stdout)[0]["salary"] == 52000


@pytest.mark.parametrize(("header", "suggested"), [
    ("Certfications", "cert"), ("Primary Credential", "cert"), ("Yeras of Experience", "years"),
    ("Home State", "state"), ("Work Setting Type", "setting"),
])
def test_an_ignored_column_that_looks_like_one_stops_the_batch(header, suggested):
    text = f"Name,Employee ID,Department,Level,{header}\nAna,E1,HIM,senior,x\n"
    r = invoke(["batch"], input=text)
    assert (r.exit_code, r.stdout) == (2, "")
    assert f"'{header}' (did you mean {suggested}?)" in r.stderr
    assert f"--column {suggested}='{header}'" in r.stderr and f"--keep '{header}'" in r.stderr
    assert r.stderr.count("\n") == 1
    r = invoke(["batch", "--keep", header, "--fields", "row"], input=text)  # kept: carried unread
    assert r.exit_code == 0 and jsonl(r.stdout)[0]["input"] == {header: "x"}


def test_unrelated_columns_do_not_stop_the_batch():
    text = ("Name,Employee ID,Department,Job Title,Hire Date,Email,Manager,Age,Year,Status,State\n"
            "Ana,1,HIM,Coder,,a@b,,40,2024,A,TX\n")
    r = invoke(["batch", "--fields", "state"], input=text)
    assert (r.exit_code, r.stderr) == (0, "")
    assert jsonl(r.stdout)[0]["state"] == "TX"


def test_a_look_alike_of_a_column_already_read_is_fine():
    r = invoke(["batch", "--fields", "state"], input="State,Home State,Salary Grade\nTX,OK,G7\n")
    assert r.exit_code == 2  # Salary Grade looks like salary, which is not read
    r = invoke(["batch", "--fields", "state"], input="State,Home State,Salary,Salary Grade\nTX,OK,50000,G7\n")
    assert r.exit_code == 0, r.stderr


# --------------------------------------------------------------------------- --keep, failed rows, messages


def test_keep_carries_columns_into_json_lines_and_csv():
    r = invoke(["batch", "--keep", "name,employee_id"], input="Employee ID,Name,State\nE1,Ana,CA\nE2,Ben,ZZ\n")
    docs = jsonl(r.stdout)
    assert docs[0]["kind"] == "estimate" and docs[0]["input"] == {"Name": "Ana", "Employee ID": "E1"}
    assert docs[1]["kind"] == "batch_row_error" and docs[1]["input"] == {"Name": "Ben", "Employee ID": "E2"}
    plain = invoke(["estimate", "--state", "CA", "--json"]).stdout
    assert {k: v for k, v in docs[0].items() if k != "input"} == json.loads(plain)
    r = invoke(["batch", "-f", "csv", "--keep", "name", "--keep", "Employee ID"],
               input="Employee ID,Name,State\nE1,Ana,CA\nE2,Ben,ZZ\n")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][:3] == ["Name", "Employee ID", "row"] and rows[0][-1] == "error"
    assert rows[1][:3] == ["Ana", "E1", "1"] and rows[2][:3] == ["Ben", "E2", "2"]


@pytest.mark.parametrize("everything", ["all", "*", "ALL"])
def test_keep_all_columns(everything):
    r = invoke(["batch", "--keep", everything, "--fields", "row"], input="Name,State,,Name\nAna,CA,x,A. R.\n")
    assert jsonl(r.stdout)[0]["input"] == {"Name": "Ana", "State": "CA", "column_3": "x", "Name_2": "A. R."}


def test_keep_a_column_that_is_not_there():
    r = invoke(["batch", "--keep", "nme"], input="Name,State\nAna,CA\n")
    assert (r.exit_code, r.stdout) == (2, "")
    assert "--keep nme: the input has no column 'nme'. Did you mean 'Name'?" in r.stderr


def test_a_failed_row_keeps_its_place_in_csv_with_its_error():
    """Was: a failed row was left out of the CSV (the row column showed the gap)."""
    r = invoke(["batch", "-f", "csv", "--keep", "name"], input=HR)
    assert r.exit_code == 3
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["Name"] for row in rows] == [p[0] for p in PEOPLE]
    assert [row["row"] for row in rows] == ["1", "2", "3", "4", "5"]
    dee = rows[3]
    assert dee["error"].startswith("Unknown state 'Califrnia'. Did you mean California (CA)?")
    assert all(v == "" for k, v in dee.items() if k not in ("Name", "row", "error"))
    assert all(row["error"] == "" for i, row in enumerate(rows) if i != 3)


def test_messages_name_the_row_and_who_it_is():
    r = invoke(["batch", "-f", "csv"], input=HR)
    assert r.stderr.startswith("coder-pay: row 4 (Name: Dee Lund): Unknown state 'Califrnia'.")
    r = invoke(["batch"], input="Employee ID,State\nE1,CA\nE2,ZZ\n")  # no name: the identifier
    assert r.stderr.startswith("coder-pay: row 2 (Employee ID: E2): Unknown state 'ZZ'.")
    r = invoke(["batch", "--keep", "badge"], input="Badge,State\nB1,CA\nB2,ZZ\n")  # else the first kept column
    assert r.stderr.startswith("coder-pay: row 2 (Badge: B2): Unknown state 'ZZ'.")
    r = invoke(["batch"], input="State\nZZ\n")  # nothing names the row
    assert r.stderr.startswith("coder-pay: row 1: Unknown state 'ZZ'.")


# --------------------------------------------------------------------------- values and delimiters


def test_values_as_hr_exports_write_them():
    text = ("state,cert,years,setting\n"
            "TX,CPC/CCS,3.5,clinic\nTX,CPC CRC,4 yrs,doctor's office\nTX,CPC-A,1,payer\n"
            "TX,,2,health plan\nTX,,,insurance carrier\nTX,,,General Medical and Surgical Hospitals\n")
    rows = list(iter_batch(TABLE, io.StringIO(text)))
    got = [(r.result.query.credentials, r.result.query.years, r.result.query.setting) for r in rows]
    assert got == [(("CPC", "CCS"), 3.5, "physician-office"), (("CPC", "CRC"), 4, "physician-office"),
                   (("CPC",), 1, "insurance"), ((), 2, "insurance"), ((), None, "insurance"), ((), None, "hospital")]


def test_cpc_a_in_a_batch_is_said_once_on_stderr():
    r = invoke(["batch", "--fields", "cert"], input="state,cert\nTX,CPC-A\nCA,CPC-A\nNY,CPC\n")
    assert [d["cert"] for d in jsonl(r.stdout)] == [["CPC"], ["CPC"], ["CPC"]]
    assert r.stderr.count("CPC-A (apprentice) is priced as CPC") == 1


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_the_delimiter_is_sniffed_from_the_header(sep, name):
    text = HR.replace(',"$82,000"', ",82000").replace(',"61,500"', ",61500").replace(",", sep)
    a = invoke(["batch", "-f", "csv", "--no-summary"], input=text)
    b = invoke(["batch", "-f", "csv", "--no-summary"], input=HR.replace('"$82,000"', "82000").replace('"61,500"', "61500"))
    assert a.stdout == b.stdout and a.stdout.count("\n") == 6
    assert sniff_delimiter(text.splitlines()[0]) == sep


def test_delimiter_option():
    text = "state;cert\nTX;CPC,CRC\n"  # commas inside cells: the header still says ';'
    assert jsonl(invoke(["batch", "--fields", "cert"], input=text).stdout)[0]["cert"] == ["CPC", "CRC"]
    r = invoke(["batch", "--delimiter", ",", "--fields", "state"], input="state,note;x\nTX,a;b\n")
    assert jsonl(r.stdout)[0]["state"] == "TX"
    r = invoke(["batch", "-d", "tab", "--fields", "state"], input="state\tx,y\nTX\t1,2\n")
    assert jsonl(r.stdout)[0]["state"] == "TX"
    r = invoke(["batch", "--delimiter", "::"], input="state\nTX\n")
    assert r.exit_code == 2 and "--delimiter must be one of , ; tab |" in r.stderr


# --------------------------------------------------------------------------- salary: offer checks


def test_a_salary_column_makes_each_row_an_offer_check():
    r = invoke(["batch", "-f", "csv", "--keep", "name"], input=HR)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    for row, expected, (_, _, salary) in zip(rows, offers(), PEOPLE):
        if expected is None:
            assert row["salary"] == row["verdict"] == ""
            continue
        assert int(row["salary"]) == salary
        assert float(row["percentile"]) == round(expected.percentile, 1)
        assert row["verdict"] == expected.verdict and int(row["target"]) == expected.target


def test_full_lines_of_a_salary_row_are_the_offer_document():
    r = invoke(["batch"], input="state,cert,years,salary\nCA,CPC,7,\"$82,000\"\nTX,,,\n")
    docs = jsonl(r.stdout)
    one = json.loads(invoke(["offer", "82000", "--state", "CA", "--cert", "CPC", "--years", "7", "--json"]).stdout)
    assert docs[0] == one
    assert docs[1]["kind"] == "estimate"  # an empty salary: an estimate
    verdict = offer_check(TABLE, build_query(TABLE, state="CA", certs=["CPC"], years=7), 82000).verdict
    counts = ", ".join(f"{int(v == verdict)} {v}" for v in ("below market", "within market", "above market"))
    assert r.stderr == f"coder-pay: 2 rows: {counts}, 1 without pay; 0 failed\n"


@pytest.mark.parametrize(("typed", "dollars"), [("52000", 52000), ("52,000", 52000), ("$52k", 52000), ("52.5k", 52500),
                                                ("$52,000.50", 52001)])
def test_salaries_as_typed(typed, dollars):
    r = invoke(["batch", "--fields", "salary", "--no-summary"], input=f'state,salary\nTX,"{typed}"\n')
    assert jsonl(r.stdout)[0]["salary"] == dollars


def test_a_bare_salary_under_1000_is_hourly_as_in_offer_and_a_bad_one_a_row_error():
    """Issue 15: one rule for a bare small amount in offer and batch (24.50 -> 24.50 x 2,080 = $50,960, said so);
    never a verdict on $24.50 a year."""
    r = invoke(["batch", "--fields", "salary", "--no-summary"],
               input="state,salary\nTX,24.50\nTX,lots\nTX,50000\nTX,500/yr\n")
    docs = jsonl(r.stdout)
    assert [d.get("error", {}).get("code") for d in docs] == [None, "bad_salary", None, "bad_salary"]
    assert docs[0]["salary"] == 50_960 and "read as an hourly rate" in docs[0]["notes"][0]
    assert docs[2]["salary"] == 50000 and "notes" not in docs[2]
    assert "under $1,000 a year" in docs[3]["error"]["message"]
    offer = json.loads(invoke(["offer", "24.50", "--state", "TX", "--json"]).stdout)
    assert offer["salary"] == docs[0]["salary"]
    assert r.exit_code == 3


def test_after_tax_gives_each_salary_its_take_home():
    r = invoke(["batch", "-f", "csv", "--after-tax", "--no-summary"], input=HR)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    for row, (_, kw, salary) in zip(rows, PEOPLE):
        if kw is None:
            continue
        at = offer_check(TABLE, build_query(TABLE, **kw), salary, after_tax=True).after_tax
        assert at is not None
        assert int(row["take_home"]) == int(at.salary.take_home + 0.5)  # whole dollars, halves up
        assert int(row["take_home_adjusted"]) == at.adjusted
        assert float(row["effective_rate"]) == round(at.salary.effective_rate, 4)
    r = invoke(["batch", "--after-tax"], input="state\nTX\n")
    assert r.exit_code == 2 and "--after-tax needs a salary column" in r.stderr


def test_the_summary_counts_verdicts_and_failures():
    r = invoke(["batch", "--compact"], input=HR)
    docs = jsonl(r.stdout)
    verdicts = [d.get("verdict") for d in docs]
    expected = [None if o is None else o.verdict for o in offers()]
    assert verdicts == expected
    n = {v: verdicts.count(v) for v in ("below market", "within market", "above market")}
    assert r.stderr.splitlines()[-1] == (f"coder-pay: 5 rows: {n['below market']} below market, {n['within market']} "
                                         f"within market, {n['above market']} above market; 1 failed")
    assert "summary" not in invoke(["batch", "--no-summary", "--compact"], input=HR).stderr
    assert invoke(["batch", "--no-summary", "--compact"], input=HR).stderr.count("coder-pay: ") == 1  # row 4 only
    r = invoke(["batch", "--summary", "--compact"], input="state\nTX\nZZ\nCA\n")
    assert r.stderr.splitlines()[-1] == "coder-pay: 3 rows: 2 priced; 1 failed"
    assert invoke(["batch", "--compact"], input="state\nTX\n").stderr == ""  # no salary: no summary unless asked


# --------------------------------------------------------------------------- --fields, --compact


def test_fields_choose_what_each_line_carries():
    r = invoke(["batch", "--fields", "row,state,mid,verdict", "--no-summary"], input=HR)
    docs = jsonl(r.stdout)
    assert list(docs[0]) == ["schema_version", "kind", "row", "state", "mid", "verdict"]
    assert docs[0]["kind"] == "batch_row" and docs[3]["kind"] == "batch_row_error"
    r = invoke(["batch", "-f", "csv", "--fields", "row,mid", "--no-summary"], input=HR)
    mid = estimate(TABLE, build_query(TABLE, **PEOPLE[0][1], as_of=2026)).band.mid  # a salary row: today's dollars
    assert r.stdout.splitlines()[:2] == ["row,mid,notes,error", f"1,{mid},,"]
    assert r.stdout.splitlines()[4].startswith("4,,,Unknown state")


def test_bad_fields():
    r = invoke(["batch", "--fields", "row,midd"], input="state\nTX\n")
    assert r.exit_code == 2 and "unknown field 'midd'. Did you mean mid?" in r.stderr
    r = invoke(["batch", "--fields", "verdict"], input="state\nTX\n")
    assert r.exit_code == 2 and "--fields verdict needs a salary column in the input" in r.stderr
    r = invoke(["batch", "--fields", "take_home"], input="state,salary\nTX,50000\n")
    assert r.exit_code == 2 and "--fields take_home needs --after-tax" in r.stderr
    r = invoke(["batch", "--fields", "row", "--compact"], input="state\nTX\n")
    assert r.exit_code == 2 and "--compact conflicts with --fields" in r.stderr


def test_compact_lines_are_slim():
    """Was: each line 3.7 KB (375 MB for 100k rows)."""
    r = invoke(["batch", "--compact", "--no-summary"], input=HR)
    lines = r.stdout.splitlines()
    docs = [json.loads(line) for line in lines]
    ok = [d for d in docs if d["kind"] == "batch_row"]
    assert all(list(d) == ["schema_version", "kind", *BATCH_COMPACT_FIELDS[:-1]] for d in ok)
    assert max(len(line.encode()) for line, d in zip(lines, docs) if d["kind"] == "batch_row") < 270
    assert set(BATCH_COMPACT_FIELDS) <= set(BATCH_FIELDS)


def test_every_row_says_the_year_of_its_dollars(monkeypatch: pytest.MonkeyPatch) -> None:
    """A band is in the table's wage year (BLS May 2024), or aged: to the row's as_of, and for a row with pay to
    today (a salary paid now is judged in today's dollars) unless as_of names another year. CSV, slim JSON."""
    monkeypatch.setenv("CODER_PAY_TODAY", "2026")
    text = "state,years,as_of,salary\nOH,3,,\nOH,3,2025,\nOH,3,,52000\nOH,3,2025,52000\n"
    want = [TABLE.wage_year, 2025, 2026, 2025]
    assert TABLE.wage_year == 2024
    slim = [json.loads(line) for line in invoke(["batch", "--compact", "--no-summary"], input=text).stdout.splitlines()]
    assert [d["wage_year"] for d in slim] == want
    rows = list(csv.DictReader(io.StringIO(invoke(["batch", "--format", "csv", "--no-summary"], input=text).stdout)))
    assert [int(r["wage_year"]) for r in rows] == want
    assert rows[0]["mid"] != rows[2]["mid"]  # the same profile: 2024 dollars, then aged to 2026


def test_the_lean_path_gives_the_models_numbers():
    """Priced rows (CSV, --fields) carry exactly what estimate() and offer_check() give."""
    b = Batch(TABLE, io.StringIO(HR), lean=True)
    assert b.fields == ("state", "cert", "years", "setting", "salary") and b.has_salary
    for row, (_, kw, salary) in zip(b.with_input(), PEOPLE):
        if kw is None:
            assert isinstance(row.result, RowError)
            continue
        q = build_query(TABLE, **kw)
        est, off = estimate(TABLE, q._replace(as_of=2026)), offer_check(TABLE, q, salary)  # salary rows: today's $
        assert isinstance(row.result, Priced)
        assert (row.result.query, row.result.band, row.result.adjusted) == (q, est.band, est.col.band)
        assert off.market == est.band
        o = row.result.offer
        assert (o.salary, o.percentile, o.verdict, o.target) == (salary, off.percentile, off.verdict, off.target)


def test_json_lines_input_reads_the_same_names():
    text = ('{"Name": "Ana", "State": "CA", "Certifications": ["CPC", "CRC"], "Years of Experience": 3.5, '
            '"Current Salary": 70000}\n{"Name": "Ben", "State": "ZZ"}\n')
    r = invoke(["batch", "--input-format", "jsonl", "--keep", "name", "--compact", "--no-summary"], input=text)
    docs = jsonl(r.stdout)
    q = build_query(TABLE, state="CA", certs=["CPC", "CRC"], years=3.5)
    assert docs[0]["input"] == {"Name": "Ana"} and docs[0]["mid"] == estimate(TABLE, q._replace(as_of=2026)).band.mid
    assert docs[0]["verdict"] == offer_check(TABLE, q, 70000).verdict
    assert docs[1]["input"] == {"Name": "Ben"} and docs[1]["error"]["code"] == "unknown_state"
    assert r.stderr.startswith("coder-pay: row 2 (Name: Ben): Unknown state 'ZZ'")
    r = invoke(["batch", "--input-format", "jsonl"], input='{"Certfications": "CPC"}\n')
    assert r.exit_code == 2 and "did you mean cert?" in r.stderr


def test_read_header_reports_what_it_reads():
    lay = read_header(["Name", "State", "Certifications", "Years of Experience", "Work Setting", "Salary", "Dept"],
                      keep=["name"])
    assert lay.fields == ("state", "cert", "years", "setting", "salary")
    assert lay.positions == (1, 2, 3, 4, 5) and lay.keep == (0,) and lay.kept_names == ("Name",)
    assert lay.ident == 0 and lay.ignored == ("Dept",)


def test_batch_help_documents_the_new_options():
    h = invoke(["batch", "--help"]).stdout
    for opt in ("--column", "--keep", "--delimiter", "--fields", "--compact", "--after-tax", "--summary"):
        assert opt in h
    words = set(" ".join(h.split()).replace(",", " ").replace(";", " ").replace(")", " ").split())
    assert set(BATCH_FIELDS) <= words  # every field --fields takes


def test_plain_salaries_read_as_read_pay_reads_them():
    """batch reads '52000' without read_pay's Decimal work; the result must be the same."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from coder_pay.batch_rows import Cells, RowError
    from coder_pay.payroll import HRError, read_pay

    cells = Cells(TABLE, ("salary",))

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(st.integers(0, 99_999_999).map(str), st.integers(0, 99_999).map(lambda n: f"{n:07d}")))
    def check(text):
        try:
            pay = read_pay(text, None, None, TABLE.hours_per_year)
            expected = None if pay is None else pay.yearly
        except HRError:
            expected = "error"
        got = cells.salary(text)
        assert (got if not isinstance(got, RowError) else "error") == expected

    check()



def test_csv_columns_of_json_lines_input_follow_the_first_line():
    text = '{"state": "TX"}\n{"state": "CA", "salary": 60000}\n{"state": "NY", "salary": 50000, "Name": "Cy"}\n'
    r = invoke(["batch", "--input-format", "jsonl", "-f", "csv", "--no-summary"], input=text)
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert "salary" not in rows[0] and all(len(row) == len(rows[0]) for row in rows)
    r = invoke(["batch", "--input-format", "jsonl", "-f", "csv", "--no-summary"], input="\n".join(text.split("\n")[::-1]))
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert "salary" in rows[0] and all(len(row) == len(rows[0]) for row in rows)
