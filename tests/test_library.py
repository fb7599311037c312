"""Issue 16 item 9: every command's answer from Python, as the dataclasses the CLI renders; errors that name
parameters; `dir(coder_pay)` shows only the API; `import coder_pay` stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import coder_pay
from coder_pay.decide import CareerResult, CertsResult, OfferCheck, OffersComparison, StatesComparison, StatesResult
from coder_pay.model import Estimate
from coder_pay.tax import TakeHomeReport
from decide_support import cli_json


def test_dir_shows_only_the_documented_api() -> None:
    assert dir(coder_pay) == sorted(coder_pay.__all__)
    for name in ("estimate", "offer", "take_home", "states", "compare", "certs", "career", "batch", "load_table",
                 "build_query", "UsageError", "TableError", "Estimate", "Query", "__version__"):
        assert name in coder_pay.__all__ and getattr(coder_pay, name) is not None
    with pytest.raises(AttributeError):
        coder_pay.decide_things  # noqa: B018


def test_import_is_light() -> None:
    code = ("import sys, coder_pay; print(sorted(m for m in sys.modules if m.startswith(('coder_pay', 'rich', "
            "'typer', 'click'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == ["coder_pay"]


def test_every_command_answers_with_the_dataclass_the_cli_renders() -> None:
    est = coder_pay.estimate(state="CA", cert="CPC")
    assert isinstance(est, Estimate) and est.band.mid == cli_json("estimate", "-s", "CA", "-c", "CPC")["band"]["mid"]
    chk = coder_pay.offer(58000, state="OH", cert="CPC", years=4, setting="hospital")
    doc = cli_json("offer", "58000", "-s", "OH", "-c", "CPC", "-y", "4", "--setting", "hospital")
    assert isinstance(chk, OfferCheck) and (round(chk.percentile, 1), chk.verdict, chk.target) == (
        doc["percentile"], doc["verdict"], doc["target"]["salary"])
    assert chk.vintage.reason == "today" and chk.vintage.wage_year == 2026
    th = coder_pay.take_home(65000, state="NY")
    assert isinstance(th, TakeHomeReport)
    st = coder_pay.states(sort="adjusted", top=5)
    assert isinstance(st, StatesResult) and len(st.rows) == 5
    cmp_states = coder_pay.compare(states=["CA", "TX"])
    assert isinstance(cmp_states, StatesComparison)
    cmp_offers = coder_pay.compare(offers=["CA:65000", ("TX", 50000), "OH:27/h:insurance:remote"])
    assert isinstance(cmp_offers, OffersComparison) and cmp_offers.rows[2].setting == "insurance"
    assert isinstance(coder_pay.certs(state="TX", years=1), CertsResult)
    car = coder_pay.career(state="OH", cert="CPC", ladder=True, span=12, add_cert=[("CRC", 2)])
    assert isinstance(car, CareerResult) and car.promotions and car.rows[0].calendar_year == 2026
    assert [r.salary for r in car.rows] == [r["salary"] for r in cli_json(
        "career", "-s", "OH", "-c", "CPC", "--ladder", "--span", "12", "--add-cert", "CRC@2")["rows"]]


def test_the_building_blocks_still_work() -> None:
    table = coder_pay.load_table()
    q = coder_pay.build_query(table, state="TX", certs=["CPC"])
    assert coder_pay.estimate(table, q) == coder_pay.estimate(state="TX", cert=["CPC"], table=table)
    assert coder_pay.estimate(state="TX", cert="CPC+CRC").query.credentials == ("CPC", "CRC")


@pytest.mark.parametrize("call, param", [
    (lambda: coder_pay.estimate(years=60), "years"),
    (lambda: coder_pay.estimate(state="Texsa"), "state"),
    (lambda: coder_pay.offer("abc"), "salary"),
    (lambda: coder_pay.career(span=0), "span"),
    (lambda: coder_pay.states(sort="size"), "sort"),
    (lambda: coder_pay.estimate(as_of=1900), "as_of"),
])
def test_errors_name_parameters_not_cli_flags(call, param: str) -> None:
    with pytest.raises(coder_pay.UsageError) as e:
        call()
    assert "--" not in e.value.message and param in e.value.message, e.value.message


def test_batch_from_a_file_and_from_records(tmp_path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("state,cert,years,salary\nOH,CPC,4,58000\nTX,,,\nZZ,,,\n", encoding="utf-8")
    rows = list(coder_pay.batch(str(path)))
    assert [r.row for r in rows] == [1, 2, 3]
    assert isinstance(rows[0].result, OfferCheck) and rows[0].result.vintage.reason == "today"
    assert isinstance(rows[1].result, Estimate)
    assert isinstance(rows[2].result, coder_pay.RowError)
    recs = list(coder_pay.batch([{"state": "OH", "cert": "CPC"}]))
    assert isinstance(recs[0].result, Estimate)
    import coder_pay.batch_rows as batch_module  # the batch core, imported: coder_pay.batch(...) is still the function

    assert callable(coder_pay.batch) and hasattr(batch_module, "iter_batch")
    assert len(list(coder_pay.batch(str(path)))) == 3
