"""The batch core (coder_pay.batch_rows) driven directly: rows in, BatchRows out."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder_pay import load_table
from coder_pay.batch_rows import COLUMNS, BatchRow, RowError, cell_text, estimate_many, iter_batch
from coder_pay.model import Estimate
from coder_pay.query import UsageError, build_query, parse_flag, parse_year

TABLE = load_table()


def run(lines, fmt="csv", **kw):
    return list(iter_batch(TABLE, lines, fmt, **kw))


def bands(rows):
    return [(r.row, (r.result.band.low, r.result.band.mid, r.result.band.high)) if r.ok else (r.row, r.result.code)
            for r in rows]


# --------------------------------------------------------------------------- figures from the table, by hand

# data/coder_pay.toml: [states.CA] p25 47280, p50 59700, p75 79970, p90 104560, rpp_all 110.720 (BEA 2024);
# [states.TX] p25 37780, p50 47230, p75 61980, rpp_all 97.057; [national] p25 41600, p50 50250, p75 64070, p90 80950;
# [credential_count.1] 1.2020, [credential_count.2] 1.3948; CPC premium 1.0, CCS none (1.0);
# [bounds] high_cap 1.25, band_knee 0.75; [market] positions [25, 50, 75].
CA = (47280, 59700, 79970)
TX = (37780, 47230, 61980)
US = (41600, 50250, 64070)


def test_the_figures_used_below_are_the_tables():
    assert (TABLE.states["CA"].wages.p25, TABLE.states["CA"].wages.p50, TABLE.states["CA"].wages.p75) == CA
    assert (TABLE.states["TX"].wages.p25, TABLE.states["TX"].wages.p50, TABLE.states["TX"].wages.p75) == TX
    assert (TABLE.national.p25, TABLE.national.p50, TABLE.national.p75) == US
    assert TABLE.states["CA"].wages.p90 == 104560 and TABLE.national.p90 == 80950
    assert TABLE.credential_counts[1].multiplier == 1.2020
    assert TABLE.credential_counts[2].multiplier == 1.3948
    assert TABLE.credentials["CPC"].premium == 1.0 and TABLE.credentials["CCS"].premium is None
    assert (TABLE.bounds.high_cap, TABLE.bounds.band_knee) == (1.25, 0.75)
    assert TABLE.market_positions == (25, 50, 75)
    assert TABLE.states["CA"].rpp_all == 110.720 and TABLE.states["TX"].rpp_all == 97.057


def test_rows_give_the_bands_worked_out_by_hand():
    rows = run(["state,cert\n", "CA,CPC\n", "TX,\n", ",CPC;CCS\n"])
    # Whole market (no years): the credentials' ratio is bounded in the room up to p90, room x tanh(ln ratio / room),
    # room = ln(p90 / p50); each band point pX moves to p50 x exp(shift + ln(pX / p50)), eased only above
    # 0.75 x ln(1.25 x p90 / p50) (the band cap's knee).
    # CA + CPC: ratio 1.2020 x 1.0; room ln(104560 / 59700) = 0.56043; shift 0.56043 x tanh(0.18399 / 0.56043)
    # = 0.17765 (x1.19441); knee 0.58768 is above p75's 0.46997: 47280 x 1.19441 = 56471.6 -> 56472;
    # 59700 x 1.19441 = 71306.1 -> 71306; 79970 x 1.19441 = 95516.7 -> 95517
    # TX, uncertified: the state's p25 / p50 / p75 as published
    # national (no state) + CPC and CCS: ratio 1.3948 (two credentials) x 1.0 (best premium held: CPC 1.0, CCS none);
    # room ln(80950 / 50250) = 0.47682; shift 0.47682 x tanh(0.33275 / 0.47682) = 0.47682 x 0.60300 = 0.28752
    # (x1.33312): 41600 x 1.33312 = 55457.9 -> 55458; 50250 x 1.33312 = 66989.5 -> 66989.
    # p75 is past the knee: 0.28752 + ln(64070 / 50250) = 0.53049 > 0.75 x ln(1.25 x 80950 / 50250) = 0.52497, so
    # 0.52497 + 0.17499 x tanh((0.53049 - 0.52497) / 0.17499) = 0.52497 + 0.17499 x tanh(0.031526) = 0.530489:
    # 50250 x exp(0.530489) = 85413.06 -> 85413 (uneased it would be 85413.22: the same dollar)
    assert bands(rows) == [(1, (56472, 71306, 95517)), (2, TX), (3, (55458, 66989, 85413))]
    # cost of living, CA -> US average: 71306 x 100 / 110.720 = 64402.1 -> 64402
    assert rows[0].result.col.band.mid == 64402


def test_a_batch_row_is_the_same_estimate_as_build_query_and_estimate():
    from coder_pay import estimate

    [row] = run(["state,cert,years,specialty,setting,remote,home,col,as_of\n",
                 "Texas,CPC|CRC,7,cardiology,hospital,yes,CA,housing,2026\n"])
    q = build_query(TABLE, state="TX", certs=["CPC", "CRC"], years=7, specialty="cardiology", setting="hospital",
                    remote=True, home="CA", col="housing", as_of=2026)
    assert row.result == estimate(TABLE, q)


# --------------------------------------------------------------------------- numbering, blanks, BOM, CRLF


def test_rows_are_numbered_as_the_spreadsheet_numbers_them_blank_lines_counted_and_skipped():
    """Issue 15: data row N is line N+1 (the header is line 1), blank lines included, so that an error's row
    number is the one the analyst sees in the spreadsheet."""
    rows = run(["state\n", "CA\n", "\n", "ZZ\n", "   \n", "TX\n", "\n"])
    assert [(r.row, r.ok) for r in rows] == [(1, True), (3, False), (5, True)]
    assert rows[1].result.code == "unknown_state"


def test_empty_input_and_header_only_give_no_rows():
    assert run([]) == []
    assert run(["\n", "\n"]) == []
    assert run(["state,cert\n"]) == []
    assert run([], "jsonl") == []
    assert run(["\n", "  \n"], "jsonl") == []


def test_bom_and_crlf_are_handled():
    rows = run(["\ufeffstate,cert\r\n", "CA,CPC\r\n", "TX,\r\n"])
    assert bands(rows) == [(1, (56472, 71306, 95517)), (2, TX)]
    rows = run(['\ufeff{"state": "TX"}\r\n'], "jsonl")
    assert bands(rows) == [(1, TX)]


def test_bom_and_crlf_through_a_byte_stream():
    import io

    from coder_pay.files import text_lines

    data = "\ufeffstate,cert\r\nCA,CPC\r\nTX,\r\n".encode()
    rows = list(iter_batch(TABLE, text_lines(io.BytesIO(data))))
    assert bands(rows) == [(1, (56472, 71306, 95517)), (2, TX)]


def test_header_names_are_matched_loosely():
    rows = run([" State , CERT ,As-Of\n", "CA,CPC,\n"])
    assert bands(rows) == [(1, (56472, 71306, 95517))]


def test_quoted_cells_with_commas_and_newlines():
    rows = run(['name,state,cert\n', '"Doe, Jane\n(night shift)",CA,"CPC,CRC"\n', 'x,TX,\n'])
    assert [r.row for r in rows] == [1, 2]
    assert rows[0].result.query.credentials == ("CPC", "CRC")


# --------------------------------------------------------------------------- bad rows


@pytest.mark.parametrize(("line", "code", "field"), [
    ("Califrnia,,\n", "unknown_state", "state"),
    ("CA,,ten\n", "bad_years", "years"),
    ("CA,,-1\n", "bad_years", "years"),
    ("CA,,51\n", "bad_years", "years"),
    ("CA,,7.5.1\n", "bad_years", "years"),
    ("CA,,7 weeks\n", "bad_years", "years"),
])
def test_a_bad_row_is_an_error_in_its_place_and_the_batch_goes_on(line, code, field):
    rows = run(["state,cert,years\n", "TX,,\n", line, "TX,,\n"])
    assert [r.row for r in rows] == [1, 2, 3]
    assert rows[0].ok and rows[2].ok
    err = rows[1].result
    assert isinstance(err, RowError) and (err.code, err.field) == (code, field)
    assert err.message


def test_bad_row_messages_say_what_is_wrong():
    rows = run(["state,years,remote,level\n", "Califrnia,,,\n", "CA,abc,,\n", "CA,,maybe,\n", "CA,3,,senior\n"])
    msgs = [r.result.message for r in rows]
    assert "Califrnia" in msgs[0] and "California (CA)" in msgs[0]  # did you mean
    assert "abc" in msgs[1]
    assert rows[2].result.code == "bad_remote" and "maybe" in msgs[2]
    assert rows[3].result.code == "conflicting_options"


def test_short_rows_are_padded_and_extra_cells_are_an_error():
    rows = run(["state,cert,years\n", "TX\n", "TX,,,\n", "TX,,,oops\n"])
    assert bands(rows) == [(1, TX), (2, TX), (3, "extra_cells")]


def test_empty_cells_mean_not_given():
    [row] = run(["state,cert,years,level,specialty,setting,remote,home,col,as_of\n", " ,,,,,,,,,\n"])
    q = row.result.query
    assert (q.state, q.credentials, q.years, q.level, q.specialty, q.setting, q.remote, q.home, q.col, q.as_of) == (
        None, (), None, None, "general", "any", False, None, "all", None)


@pytest.mark.parametrize(("text", "value"), [("true", True), ("YES", True), (" y ", True), ("1", True),
                                             ("false", False), ("No", False), ("n", False), ("0", False), ("", None)])
def test_remote_cells(text, value):
    assert parse_flag(text) is value


def test_as_of_cells():
    assert parse_year(" 2026 ") == 2026 and parse_year("") is None
    with pytest.raises(UsageError):
        parse_year("next year")


def test_a_header_without_known_columns_stops_the_batch():
    with pytest.raises(UsageError) as e:
        run(["CA,CPC,5\n", "TX,,\n"])  # no header line
    assert e.value.code == "no_known_columns" and "header" in e.value.message


def test_a_column_named_twice_stops_the_batch():
    with pytest.raises(UsageError) as e:
        run(["state,State\n", "CA,TX\n"])
    assert e.value.code == "duplicate_column"


def test_unknown_input_format():
    with pytest.raises(UsageError):
        run(["x\n"], "xml")


# --------------------------------------------------------------------------- unknown columns


def test_unknown_columns_are_reported_once():
    seen = []
    rows = run(["id,state,Department,\n", "1,CA,x,\n", "2,TX,y,\n"], on_unknown_columns=seen.append)
    assert len(rows) == 2 and all(r.ok for r in rows)
    assert seen == [["id", "Department"]]  # the unnamed trailing column is not "unknown"


def test_unknown_json_keys_are_reported_once():
    seen = []
    lines = ['{"state": "CA", "id": 1}\n', '{"state": "TX", "other": 2}\n', '{"state": "TX", "id": 3}\n']
    rows = run(lines, "jsonl", on_unknown_columns=seen.append)
    assert len(rows) == 3
    assert seen == [["id"]]


def test_no_warning_when_every_column_is_known():
    seen = []
    run(["state,cert\n", "CA,CPC\n"], on_unknown_columns=seen.append)
    run(['{"state": "CA"}\n'], "jsonl", on_unknown_columns=seen.append)
    assert seen == []


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_cert_may_be_a_list_or_a_separated_string():
    lines = ['{"state": "CA", "cert": ["CPC", "crc"]}\n', '{"state": "CA", "cert": "CPC;CRC"}\n',
             '{"state": "CA", "cert": "CPC|CRC"}\n']
    rows = run(lines, "jsonl")
    assert [r.result.query.credentials for r in rows] == [("CPC", "CRC")] * 3


def test_jsonl_values_of_any_reasonable_type():
    rows = run(['{"state": "TX", "years": 7, "remote": true, "as_of": 2026}\n',
                '{"state": "TX", "years": "7", "remote": "yes", "as_of": "2026"}\n',
                '{"state": null, "cert": null, "years": null}\n'], "jsonl")
    assert rows[0].result == rows[1].result
    assert rows[0].result.query.years == 7 and rows[0].result.query.remote is True
    assert rows[2].ok and rows[2].result.query.state is None


def test_jsonl_bad_lines_are_row_errors():
    lines = ['{"state": "CA"}\n', '{"state": "CA",\n', '[1, 2]\n', '"CA"\n', '{"years": true}\n',
             '{"cert": [1]}\n', '{"state": {"code": "CA"}}\n', '{"state": "TX"}\n']
    rows = run(lines, "jsonl")
    assert [r.row for r in rows] == list(range(1, 9))
    assert [None if r.ok else r.result.code for r in rows] == [
        None, "bad_json", "bad_line", "bad_line", "bad_years", "bad_cert", "bad_state", None]
    assert "not valid JSON" in rows[1].result.message


# --------------------------------------------------------------------------- library use


def test_estimate_many_accepts_records_with_pandas_style_values():
    recs = [{"state": "CA", "cert": "CPC", "years": float("nan")}, {"state": "TX", "years": 7.0},
            {"state": "TX", "years": 7.5}, {"State": "TX"}]
    rows = list(estimate_many(TABLE, recs))
    assert bands(rows)[0] == (1, (56472, 71306, 95517))
    assert rows[1].result.query.years == 7
    assert rows[2].result.query.years == 7.5  # fractional years are read as such
    assert rows[3].result.query.state == "TX"


def test_cell_text():
    assert cell_text(None, "state") == "" and cell_text(math.nan, "years") == ""
    assert cell_text(True, "remote") == "true" and cell_text(7, "years") == "7" and cell_text(7.0, "years") == "7"
    assert cell_text(["CPC", "CRC"], "cert") == "CPC;CRC"
    with pytest.raises(UsageError):
        cell_text(["CA"], "state")


def test_render_is_applied_once_per_distinct_profile():
    calls = []

    def render(est):
        calls.append(est)
        return est.band.mid

    rows = run(["state\n"] + ["CA\n", "ca\n", "California\n", "TX\n"] * 50, render=render)
    assert len(rows) == 200
    assert [r.result for r in rows[:4]] == [59700, 59700, 59700, 47230]
    assert len(calls) == 2  # 'CA', 'ca' and 'California' are one query


def test_same_profile_gives_the_same_object():
    rows = run(["state,cert\n", "CA,CPC\n", "CA,CPC\n"])
    assert rows[0].result is rows[1].result


def test_the_generator_streams():
    """Rows come out as lines go in: the source is never read ahead beyond what a row needs."""
    pulled = []

    def source():
        yield "state\n"
        for i in range(10**9):
            pulled.append(i)
            yield "CA\n"

    it = iter_batch(TABLE, source())
    first = [next(it) for _ in range(3)]
    assert [r.row for r in first] == [1, 2, 3]
    assert len(pulled) <= 4


def test_batch_rows_unpack_like_tuples():
    (n, res), = run(["state\n", "TX\n"])
    assert n == 1 and isinstance(res, Estimate)
    assert isinstance(run(["state\n", "TX\n"])[0], BatchRow)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "state": st.sampled_from(["", "CA", "tx", "New York", "ZZ"]),
    "cert": st.sampled_from(["", "CPC", "CPC;CCS", "XX"]),
    "years": st.sampled_from(["", "0", "12", "99", "x"]),
    "blank_before": st.booleans(),
}), max_size=20))
def test_one_result_per_non_blank_row_in_order(rows):
    lines = ["state,cert,years\n"]
    numbers = []
    for r in rows:
        if r["blank_before"]:
            lines.append("\n")
        lines.append(f"{r['state']},{r['cert']},{r['years']}\n")
        numbers.append(len(lines) - 1)  # the spreadsheet's numbering: blank lines count
    out = run(lines)
    assert [o.row for o in out] == numbers
    for r, o in zip(rows, out):
        try:  # an unknown credential (XX) is priced without, with a note
            q = build_query(TABLE, state=r["state"] or None, certs=[r["cert"]] if r["cert"] not in ("", "XX") else [],
                            years=int(r["years"]) if r["years"].isdigit() else None)
            expect_ok = r["years"] in ("", "0", "12")
        except UsageError:
            expect_ok = False
        assert o.ok is expect_ok
        if o.ok:
            assert o.result.query == q


def test_columns_are_the_estimate_options_and_a_salary():
    assert COLUMNS == ("state", "cert", "years", "level", "specialty", "setting", "remote", "home", "col", "as_of",
                       "area", "zip", "salary", "hourly", "pay_basis")
