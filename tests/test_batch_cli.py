"""`coder-pay batch` through the CLI (typer.testing.CliRunner)."""

from __future__ import annotations

import csv
import io
import json

from coder_pay import load_table
from coder_pay.cli import app
from coder_pay.documents import BATCH_CSV_COLUMNS, EstimateJSON, dumps, estimate_doc
from conftest import CLI_ENV

ENV = CLI_ENV
TABLE = load_table()


def invoke(runner, args, input=None, env=None):
    return runner.invoke(app, args, input=input, env={**ENV, **(env or {})}, catch_exceptions=False)


def jsonl(text):
    return [json.loads(line) for line in text.splitlines()]


def test_each_line_is_the_document_estimate_json_prints(runner):
    r = invoke(runner, ["batch"], input="state,cert,years\nCA,CPC,7\nTexas,,\n")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    one = invoke(runner, ["estimate", "--state", "CA", "--cert", "CPC", "--years", "7", "--json"])
    two = invoke(runner, ["estimate", "--state", "TX", "--json"])
    assert lines == [one.stdout.strip(), two.stdout.strip()]
    assert r.stderr == ""


def test_bad_rows_are_error_lines_in_place_on_stderr_and_exit_3(runner):
    r = invoke(runner, ["batch"], input="state,years\nCA,\nZZ,\nCA,ten\n\nTX,\n")
    assert r.exit_code == 3  # issue 15: rows failed (3) is not an invalid data table (1)
    docs = jsonl(r.stdout)
    assert [d.get("kind") for d in docs] == ["estimate", "batch_row_error", "batch_row_error", "estimate"]
    assert docs[1] == {"schema_version": 2, "kind": "batch_row_error", "row": 2,
                       "error": {"code": "unknown_state", "message": docs[1]["error"]["message"], "field": "state"}}
    assert docs[2]["row"] == 3 and docs[2]["error"]["code"] == "bad_years"
    err = r.stderr.splitlines()
    assert err[0].startswith("coder-pay: row 2: Unknown state 'ZZ'")
    assert err[1].startswith("coder-pay: row 3: years must be a number of years")
    assert len(err) == 2 and "Traceback" not in r.stderr


def test_empty_input_is_not_an_error_and_says_so(runner):
    said = "coder-pay: note: the input (stdin) is empty: no header and no rows, nothing to price.\n"
    for text in ("", "\n\n"):
        r = invoke(runner, ["batch"], input=text)
        assert (r.exit_code, r.stdout, r.stderr) == (0, "", said)
        r = invoke(runner, ["batch", "--format", "csv"], input=text)
        assert (r.exit_code, r.stdout, r.stderr) == (0, "", said)
    r = invoke(runner, ["batch"], input="state,cert\n")  # a header and no rows: nothing to say
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    r = invoke(runner, ["batch", "--format", "csv"], input="state,cert\n")  # the CSV header alone
    assert (r.exit_code, r.stdout.splitlines()[0][:10], r.stderr) == (0, "row,state,", "")


def test_unrelated_columns_are_ignored_silently(runner):
    r = invoke(runner, ["batch"], input="id,state,team,Department\n1,CA,a,HIM\n2,TX,b,HIM\n3,NY,c,HIM\n")
    assert r.exit_code == 0
    assert r.stderr == ""
    assert [json.loads(line)["query"]["state"] for line in r.stdout.splitlines()] == ["CA", "TX", "NY"]


def test_a_header_with_no_known_column_is_a_usage_error(runner):
    r = invoke(runner, ["batch"], input="CA,CPC,5\nTX,,\n")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("coder-pay: error: the CSV header (CA, CPC, 5) names none of the columns")


def test_bom_and_crlf(runner):
    data = "\ufeffstate,cert\r\nCA,CPC\r\nTX,\r\n".encode()
    r = runner.invoke(app, ["batch"], input=data, env=ENV)
    assert r.exit_code == 0, r.stderr
    docs = jsonl(r.stdout)
    assert [d["query"]["state"] for d in docs] == ["CA", "TX"]
    assert r.stderr == ""  # the BOM did not make 'state' an unknown column


def test_csv_output_columns_and_values(runner):
    r = invoke(runner, ["batch", "--format", "csv"], input="state,cert,years,remote\nCA,CPC,,\nZZ,,,\nTX,,3,yes\n")
    assert r.exit_code == 3
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert tuple(rows[0]) == BATCH_CSV_COLUMNS
    assert rows[0] == ["row", "state", "area", "area_name", "cert", "years", "level", "specialty", "setting", "remote",
                       "home", "col", "as_of", "wage_year", "low", "mid", "high", "adjusted_low", "adjusted_mid",
                       "adjusted_high",
                       "notes", "error"]
    # row 1, CA + CPC, whole market: 47280 / 59700 / 79970 x exp(0.56043 x tanh(ln 1.2020 / 0.56043)) = x1.19441
    # -> 56472 / 71306 / 95517 (worked in full in test_batch.py); x 100 / 110.720 (BEA 2024) = x0.903179:
    # 56472 x 0.903179 = 51004.3 -> 51004; 71306 x 0.903179 = 64402.1 -> 64402; 95517 x 0.903179 = 86269.0 -> 86269
    assert rows[1] == ["1", "CA", "", "", "CPC", "", "", "general", "any", "false", "", "all", "", "2024",
                       "56472", "71306", "95517", "51004", "64402", "86269", "", ""]
    # row 2 failed: it keeps its place, the same columns, the reason in `error`, the others empty
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert all(len(row) == len(rows[0]) for row in rows)
    assert rows[2][1:-1] == [""] * 20 and rows[2][-1].startswith("Unknown state 'ZZ'")
    assert rows[3][:6] == ["3", "TX", "", "", "", "3"] and rows[3][9] == "true" and rows[3][-1] == ""
    assert r.stderr.startswith("coder-pay: row 2: Unknown state 'ZZ'")


def test_csv_output_cert_is_joined_with_semicolons(runner):
    r = invoke(runner, ["batch", "-f", "csv"], input='state,cert\nCA,"CPC,CRC"\n')
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[1][4] == "CPC;CRC"


def test_jsonl_input_with_cert_as_list(runner):
    text = '{"state": "CA", "cert": ["CPC", "CRC"]}\n{"state": "WA", "remote": true}\n'
    r = invoke(runner, ["batch", "--input-format", "jsonl"], input=text)
    assert r.exit_code == 0, r.stderr
    docs = jsonl(r.stdout)
    assert docs[0]["query"]["credentials"] == ["CPC", "CRC"]
    assert docs[1]["query"]["remote"] is True and docs[1]["query"]["state"] == "WA"


def test_malformed_json_line(runner):
    text = '{"state": "CA"}\n{"state": \n{"state": "TX"}\n'
    r = invoke(runner, ["batch", "--input-format", "jsonl"], input=text)
    assert r.exit_code == 3
    docs = jsonl(r.stdout)
    assert docs[1]["row"] == 2 and docs[1]["error"]["code"] == "bad_json"
    assert docs[2]["query"]["state"] == "TX"
    assert r.stderr.startswith("coder-pay: row 2: not valid JSON")


def test_reads_a_file_and_dash_is_stdin(runner, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("state\nCA\n")
    a = invoke(runner, ["batch", str(f)])
    b = invoke(runner, ["batch", "-"], input="state\nCA\n")
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout and a.stdout.count("\n") == 1
    assert a.stderr == ""  # no progress bar when stderr is not a terminal


def test_a_missing_file_is_a_usage_error(runner, tmp_path):
    r = invoke(runner, ["batch", str(tmp_path / "nope.csv")])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("coder-pay: error: cannot read") and "nope.csv" in r.stderr


def test_a_file_name_with_a_nul_is_a_usage_error(runner):  # found by the CLI fuzzer: was a ValueError
    r = invoke(runner, ["batch", "rows\x00.csv"])
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr.startswith("coder-pay: error: cannot read rows\\x00.csv: not a usable file name: ")
    assert r.stderr.count("\n") == 1 and r.stderr.endswith("\n")  # the reason after it is Python's own words


def test_bad_format_choice(runner):
    r = invoke(runner, ["batch", "--format", "xml"], input="state\nCA\n")
    assert r.exit_code == 2 and "xml" in r.stderr


def _custom_table(tmp_path, ca_p50=59700):
    from coder_pay.table import default_path

    text = default_path().read_text(encoding="utf-8")
    block = text.index("[states.CA]")
    i = text.index("p50 = 59700", block)
    text = text[:i] + f"p50 = {ca_p50}" + text[i + len("p50 = 59700"):]
    p = tmp_path / "mine.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_batch_honours_data_and_the_environment(runner, tmp_path):
    mine = _custom_table(tmp_path, ca_p50=60000)
    r = invoke(runner, ["--data", str(mine), "batch"], input="state\nCA\n")
    doc = json.loads(r.stdout)
    assert doc["band"]["mid"] == 60000 and doc["data"]["table"] == str(mine)
    r = invoke(runner, ["batch"], input="state\nCA\n", env={"CODER_PAY_DATA": str(mine)})
    assert json.loads(r.stdout)["band"]["mid"] == 60000
    r = invoke(runner, ["batch"], input="state\nCA\n")
    assert json.loads(r.stdout)["band"]["mid"] == 59700


def test_a_bad_table_stops_a_batch_with_exit_1(runner, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n")
    r = invoke(runner, ["--data", str(bad), "batch"], input="state\nCA\n")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("coder-pay: error: data table")


def test_fast_encoder_matches_estimate_doc():
    """The batch's encoder must write exactly what estimate --json writes, for every kind of profile."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from coder_pay import build_query, estimate

    enc = EstimateJSON(TABLE)

    @settings(max_examples=200, deadline=None)
    @given(state=st.sampled_from([None, *TABLE.states]), certs=st.lists(st.sampled_from(list(TABLE.credentials)), max_size=3),
           years=st.one_of(st.none(), st.integers(0, 50)), specialty=st.sampled_from(list(TABLE.specialties)),
           setting=st.sampled_from(list(TABLE.settings)), remote=st.booleans(),
           home=st.sampled_from([None, *TABLE.states]), col=st.sampled_from(["all", "housing"]),
           as_of=st.one_of(st.none(), st.integers(TABLE.wage_year - 10, TABLE.wage_year + 15)),
           role=st.sampled_from([None, "supervisor", "manager", "director"]))
    def check(state, certs, years, specialty, setting, remote, home, col, as_of, role):
        q = build_query(TABLE, state=state, certs=certs, years=None if role else years, level=role, specialty=specialty,
                        setting=setting, remote=remote, home=home, col=col, as_of=as_of)
        est = estimate(TABLE, q)
        assert enc(est) == dumps(estimate_doc(TABLE, est))

    check()
    assert enc._plain is False  # the fast path was used, not the fallback


def test_fast_encoder_falls_back_if_the_document_changes(monkeypatch):
    from coder_pay import build_query, documents, estimate

    real = documents.estimate_doc
    monkeypatch.setattr(documents, "estimate_doc", lambda t, e: {**real(t, e), "new_field": 1})
    enc = EstimateJSON(TABLE)
    est = estimate(TABLE, build_query(TABLE, state="CA"))
    assert json.loads(enc(est))["new_field"] == 1
    assert enc._plain is True
