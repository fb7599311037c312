"""The public Python API, used as a library: no CLI, no printing, no Typer or Rich."""

from __future__ import annotations

import subprocess
import sys

import pytest

import coder_pay
from coder_pay import (
    BatchRow,
    Estimate,
    Query,
    RowError,
    TableError,
    UsageError,
    build_query,
    estimate,
    estimate_many,
    iter_batch,
    load_table,
)


def test_the_documented_names_are_exported():
    for name in ("load_table", "build_query", "estimate", "iter_batch", "estimate_many", "BatchRow", "RowError",
                 "Estimate", "Query", "Band", "Table", "TableError", "UsageError", "__version__"):
        assert name in coder_pay.__all__ and hasattr(coder_pay, name)
    with pytest.raises(AttributeError):
        coder_pay.no_such_thing  # noqa: B018


def test_estimate_as_a_library(capsys):
    table = load_table()
    q = build_query(table, state="California", certs=["cpc"])
    assert isinstance(q, Query) and q.state == "CA" and q.credentials == ("CPC",)
    result = estimate(table, q)
    assert isinstance(result, Estimate)
    # [states.CA] p25 47280, p50 59700, p75 79970, p90 104560; one credential: [credential_count.1] 1.2020 x CPC's
    # premium 1.0 = 1.2020. Whole market (no years), so the ratio is bounded in the room up to p90 (model.shift):
    # room = ln(104560 / 59700) = 0.56043; shift = room x tanh(ln 1.2020 / room) = 0.56043 x tanh(0.18399 / 0.56043)
    # = 0.56043 x 0.31699 = 0.17765, x1.19441. Every band point stays under the band cap's knee (0.75 x
    # ln(1.25 x 104560 / 59700) = 0.58768; p75: 0.17765 + ln(79970 / 59700) = 0.46997), so each is simply x1.19441:
    # 47280 x 1.19441 = 56471.6 -> 56472, 59700 x 1.19441 = 71306.1 -> 71306, 79970 x 1.19441 = 95516.7 -> 95517
    assert (result.band.low, result.band.mid, result.band.high) == (56472, 71306, 95517)
    # adjusted to the US average: x 100 / 110.720 (rpp_all of CA, BEA 2024): 71306 x 0.903179 = 64402.1 -> 64402
    assert result.col.band.mid == 64402
    assert {f.factor for f in result.factors} >= {"state", "experience", "credentials", "bounds", "price_level"}
    # California's BLS estimates are precise (employment RSE 3.8 % < 10 %, wage RSE 1.7 % < 4 %): no flag
    assert result.flags == ()
    assert capsys.readouterr() == ("", "")


def test_bad_input_raises_usage_error_with_a_code():
    table = load_table()
    with pytest.raises(UsageError) as e:
        build_query(table, state="Califrnia")
    assert e.value.code == "unknown_state" and "California" in e.value.message


def test_a_bad_table_raises_table_error(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text("format = 1\n")
    with pytest.raises(TableError) as e:
        load_table(p)
    assert len(e.value.problems) > 1  # every problem, not only the first


def test_iter_batch_on_an_open_file(tmp_path, capsys):
    f = tmp_path / "people.csv"
    f.write_bytes("\ufeffname,state,cert\r\nAnn,CA,CPC\r\nBob,ZZ,\r\n".encode())
    table = load_table()
    unknown = []
    with open(f, newline="", encoding="utf-8-sig") as fh:
        rows = list(iter_batch(table, fh, on_unknown_columns=unknown.append))
    assert [type(r) for r in rows] == [BatchRow, BatchRow]
    assert rows[0].row == 1 and isinstance(rows[0].result, Estimate) and rows[0].result.band.mid == 71306  # CA + CPC, see above
    assert rows[1].row == 2 and isinstance(rows[1].result, RowError) and rows[1].result.code == "unknown_state"
    assert unknown == [["name"]]
    assert capsys.readouterr() == ("", "")


def test_estimate_many_with_records_like_a_dataframe():
    table = load_table()
    records = [{"state": "TX"}, {"state": "CA", "cert": ["CPC"], "years": 3.0}, {"state": "TX", "years": "lots"}]
    rows = list(estimate_many(table, records))
    # [states.TX] p25 / p50 / p75 as published: 37780 / 47230 / 61980
    assert (rows[0].result.band.low, rows[0].result.band.mid, rows[0].result.band.high) == (37780, 47230, 61980)
    assert rows[1].result.query.years == 3
    assert rows[2].ok is False and rows[2].result.as_dict()["code"] == "bad_years"
    mids = {r.row: r.result.band.mid for r in rows if r.ok}
    assert set(mids) == {1, 2}


def test_using_the_library_loads_neither_typer_nor_rich():
    code = ("import sys, coder_pay as c; t = c.load_table(); c.estimate(t, c.build_query(t, state='CA'));"
            "list(c.iter_batch(t, ['state\\n', 'CA\\n'])); list(c.estimate_many(t, [{'state': 'TX'}]));"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
