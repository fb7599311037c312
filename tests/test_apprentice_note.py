"""The CPC-A rule lives in the core: a query read from an apprentice designation says so with its answer
(estimate and offer, for library users as for the CLI), last among the notes, and nowhere else."""

from __future__ import annotations

from coder_pay.decide import Benefits, cert_payback, offer_check, states_table
from coder_pay.model import estimate
from coder_pay.query import build_query
from coder_pay.table import Table


def apprentice_note(table: Table) -> str:
    (note,) = build_query(table, state="FL", certs=["CPC-A"]).notes
    assert note.startswith("CPC-A (apprentice) is priced as CPC")
    return note


def test_estimate_and_offer_carry_the_note_last(table: Table) -> None:
    note = apprentice_note(table)
    q = build_query(table, state="FL", certs=["CPC-A"])
    assert q.credentials == ("CPC",) and "notes" not in q.as_dict()  # priced as CPC; the JSON query is unchanged
    assert estimate(table, q).notes[-1] == note
    cpc = estimate(table, build_query(table, state="FL", certs=["CPC"]))
    assert estimate(table, q).band == cpc.band and estimate(table, q).notes == (*cpc.notes, note)
    res = offer_check(table, q, 45000, Benefits(pto_days=15))
    assert res.notes[-1] == note and res.notes.count(note) == 1
    assert any(n.startswith("PTO value") for n in res.notes)  # the offer's own notes come before it


def test_the_note_belongs_to_the_answer_about_that_input_only(table: Table) -> None:
    note = apprentice_note(table)
    q = build_query(table, certs=["CPC-A"])
    assert note not in states_table(table, q).notes
    assert note not in cert_payback(table, q._replace(state="FL")).notes
    assert not build_query(table, state="FL", certs=["CPC"]).notes
