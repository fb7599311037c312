"""Systematic mutations of the default data table (issue 5).

Every key of the packaged table is enumerated from the parsed TOML and broken one way at a time: removed,
emptied, a number turned into text or made negative, a source reference pointed at an unknown source, a
low/high pair swapped, a whole table (a state, a source, ...) removed, the TOML syntax broken. Each mutation
must be rejected with a problem that names its key (and the line, where the loader can know one), or be one
of the documented-tolerated edits (`optional_reason` below), after which every estimate must be exactly as
documented - a mutation never yields a silently different estimate.

An inline table (a back-test `profile = { cert = ["CPC"] }`) is one leaf: removed, or written as text, as a
list, or with an unknown option. The values inside it are checked by `data check`, not by the loader.

The table takes ~25 ms to parse (tomllib is pure Python) and there are thousands of mutations, so the bulk
is checked in batches. The loader reports each problem under the key of the TOML table it was found in, and
it compares entries of different tables only inside [levels.*], [roles.*] and [credential_count.*] (and
[bounds] against every state's distribution, but only when nothing else is wrong, so never in a batch of
rejected mutations); so mutations of different *units* (one TOML table, or one of those three groups) cannot
cause or hide each other's problems, and one parse checks one mutation of every unit at once. A sample is
re-checked one mutation at a time (`test_single_mutation_gives_the_same_verdict_alone`) and through the
command line. Estimates are compared whole: band, distributions and thin-data flags.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from coder_pay.cli import app
from coder_pay.model import Estimate, estimate
from coder_pay.query import UsageError, build_query
from coder_pay.table import Table, TableError, default_path, load_table, parse_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

os.environ.setdefault("_TYPER_FORCE_DISABLE_TERMINAL", "1")
os.environ.setdefault("COLUMNS", "100")
os.environ.pop("CODER_PAY_DATA", None)

TEXT = default_path().read_text(encoding="utf-8")
LINES = TEXT.rstrip("\n").split("\n")  # TOML lines end at \n (str.splitlines also splits at \x85, U+2028)
DOC = tomllib.loads(TEXT)
BASE = parse_table(TEXT)
PERCENTILE_KEYS = ("p10", "p25", "p50", "p75", "p90")
COST_FIELDS = ("exam_fee", "first_year_membership", "yearly_membership")
MEMBERSHIP_FIELDS = ("first_year_membership", "yearly_membership")


# --------------------------------------------------------------------------- an index of the table's lines


@dataclass(frozen=True)
class Leaf:
    """One `key = value` line of the table."""

    path: tuple[str, ...]
    index: int  # 0-based line number
    value: Any

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def section(self) -> tuple[str, ...]:
        return self.path[:-1]

    @property
    def line(self) -> int:
        return self.index + 1


def _index(lines: list[str]) -> tuple[list[Leaf], dict[tuple[str, ...], int]]:
    """Every leaf with its line, and the line of every [table] header (each line parsed on its own)."""
    leaves: list[Leaf] = []
    headers: dict[tuple[str, ...], int] = {}
    section: tuple[str, ...] = ()
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        parsed = tomllib.loads(s)
        if s.startswith("["):
            path: list[str] = []
            node = parsed
            while node:
                ((k, node),) = node.items()
                path.append(k)
            section = tuple(path)
            headers[section] = i
        else:
            ((k, v),) = parsed.items()
            # an inline table (`profile = { cert = ["CPC"] }`) is one leaf; a dotted key (`a.b = 1`) would not be
            assert not isinstance(v, dict) or s.split("=", 1)[1].lstrip().startswith("{"), \
                f"line {i + 1}: dotted keys are not indexed"
            leaves.append(Leaf((*section, k), i, v))
    return leaves, headers


LEAVES, HEADERS = _index(LINES)
SOURCE_KEYS = frozenset(DOC["sources"])


def node_at(path: tuple[str, ...]) -> Any:
    node: Any = DOC
    for k in path:
        node = node[k]
    return node


def leaf_at(path: tuple[str, ...]) -> Leaf:
    return next(leaf for leaf in LEAVES if leaf.path == path)


def test_the_index_covers_every_key_of_the_table() -> None:
    rebuilt: dict[str, Any] = {}
    for sec in HEADERS:
        node = rebuilt
        for k in sec:
            node = node.setdefault(k, {})
    for leaf in LEAVES:
        node = rebuilt
        for k in leaf.section:
            node = node.setdefault(k, {})
        assert leaf.path[-1] not in node
        node[leaf.path[-1]] = leaf.value
    assert rebuilt == DOC
    assert len(LEAVES) > 1000 and len(HEADERS) > 150


# --------------------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Tolerance:
    """Why a mutation may load, which panel queries it may change, and what must then hold."""

    why: str
    affects: Callable[[dict[str, Any]], bool] = lambda q: False
    check: Callable[[Table], None] | None = None


@dataclass(frozen=True)
class Mutation:
    what: str
    edits: tuple[tuple[int, str], ...]  # (0-based line, new text); "" removes the line, keeping numbering
    unit: tuple[str, ...]
    keys: tuple[str, ...] = ()  # rejected: some problem names one of these keys ...
    line: int | None = None  # ... at this line (None: the loader cannot know one) ...
    needle: str = ""  # ... and its message says this
    tolerated: Tolerance | None = None

    def __repr__(self) -> str:
        return self.what


CROSS_CHECKED = ("levels", "roles", "credential_count")


def unit_of(section: tuple[str, ...]) -> tuple[str, ...]:
    return section[:1] if section[:1] and section[0] in CROSS_CHECKED else section


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):  # an inline table
        items = ", ".join(f"{k if re.fullmatch(r'[A-Za-z0-9_-]+', k) else json.dumps(k)} = {toml_value(x)}" for k, x in v.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(v)


def set_line(leaf: Leaf, value: Any) -> tuple[int, str]:
    raw = LINES[leaf.index]
    new = raw[: raw.index("=")] + "= " + toml_value(value)
    assert tomllib.loads(new) == {leaf.path[-1]: value}, new  # the mutator writes what it means to
    return leaf.index, new


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def scalar_spots(value: Any) -> Iterator[tuple[tuple[int, ...], Any]]:
    """Every scalar in a value with its position in nested lists (() for a plain value)."""
    if isinstance(value, list):
        for i, x in enumerate(value):
            for pos, s in scalar_spots(x):
                yield (i, *pos), s
    else:
        yield (), value


def replaced(value: Any, pos: tuple[int, ...], new: Any) -> Any:
    if not pos:
        return new
    out = list(value)
    out[pos[0]] = replaced(value[pos[0]], pos[1:], new)
    return out


# Optional keys of [tax.states.*] and [tax.local.*] (table.StateTax, table.LocalJurisdiction). Keys that go
# together (exemption_reduction_*, tax_add_backs with its labels, left_out with left_out_above) are rejected when
# one is removed without the other, so they are not listed.
TAX_LAW_OPTIONAL = frozenset({
    "exemption_schedule", "credit_taxable_income_below", "federal_tax_deduction_rates", "federal_tax_deduction_caps",
    "deduction_minimum", "deduction_minimum_above", "credit_fraction_schedule",
    "fica_deduction_cap", "refundable_credit", "refundable_credit_label", "law_sources", "local_gap"})
LOCAL_OPTIONAL = frozenset({"effective", "note", "resident_whole", "nonresident_whole",
                            "resident_exemption", "nonresident_exemption", "resident_wage_threshold",
                            "nonresident_wage_threshold"})


def optional_reason(path: tuple[str, ...]) -> str | None:
    """Keys the table format documents as optional (table.py reads them with required=False, or only
    when present); None: the key is required."""
    name = path[-1]
    if name.endswith("basis"):
        return "basis: how a figure was derived, optional text"
    if path[0] == "sources" and name in ("url", "origin"):
        return "a source's url and origin are optional"
    if path[0] == "recognised_credentials" and name == "source":
        return "a recognised credential's source names where a figure in its note comes from, when there is one"
    if path[0] == "credentials":
        cred = DOC["credentials"][path[1]]
        if name in ("premium_note", "cost_note", "exam_fee_terms"):
            return "credential notes are optional text"
        if name in (*COST_FIELDS, "member_exam_fee", "two_attempt_exam_fee", "apprentice_ratio", "apprentice_months"):
            return "a missing credential figure means 'no public figure'"
        if name == "cost_source" and not any(k in cred for k in MEMBERSHIP_FIELDS) and (
                "exam_fee" not in cred or "exam_fee_source" in cred):
            return "cost_source is needed only with a membership figure, or an exam fee without exam_fee_source"
        if name == "exam_fee_source" and "cost_source" in cred:
            return "without exam_fee_source the exam fee's source is cost_source"
        if name == "apprentice_source" and "apprentice_ratio" not in cred:
            return "apprentice_source is needed only with apprentice_ratio"
        if name == "apprentice_months_source" and "apprentice_months" not in cred:
            return "apprentice_months_source is needed only with apprentice_months"
    if path[:2] == ("tax", "states") and name in ("note", "caveat"):
        st = DOC["tax"]["states"][path[2]]
        other = st.get("caveat" if name == "note" else "note", "")
        if not st.get("brackets_misstate") or str(other).strip():
            return "a state tax note or caveat is optional text (a misstated state needs one of them)"
    if path[:2] == ("tax", "states") and name in ("credit", "credit_income_limit", "exemption_income_limit"):
        return "an optional tax correction: absent means not modelled (the state's caveat says what is left out)"
    if path[:2] == ("tax", "states") and name in TAX_LAW_OPTIONAL:
        return "an optional rule of a state's tax law (issue 16): absent means not applied; after-tax only"
    if path[:2] == ("tax", "local") and name in LOCAL_OPTIONAL:
        return "an optional detail of a local tax (issue 14): after-tax only, never an estimate"
    if path[0] == "credentials" and name == "premium":
        return "a missing credential premium means 'no credential-specific figure': the reference's 1.0 (model.credential_ratio)"
    if path[0] == "credentials" and name == "premium_source" and "premium" not in DOC["credentials"][path[1]]:
        return "premium_source is needed only with premium"
    if path[0] in ("national", "states", "settings") and name in ("employment_rse", "wage_rse"):
        return "a BLS relative standard error left out means 'not known': no thin-data flag rests on it"
    if path[0] == "settings" and name in ("median", "employment"):
        return "an industry's own BLS median and employment are shown and back-tested, not priced (the factor is)"
    if path[0] == "levels" and name == "years_source":
        return "a level's years_source left out: its price point is taken to come from the level's own source"
    if path[0] in ("settings", "specialties") and name == "aliases":
        return "aliases are optional: other names for the entry, not figures"
    if path[0] == "backtest":
        entry = DOC["backtest"][path[1]]
        if name == "note":
            return "a back-test entry's note is optional text"
        if name == "held":
            return "held defaults to true: without `held = false` the entry is held to its tolerance"
        if name == "statistic" and (entry[name] == "mean" or "versus" in entry or "low" in entry):
            # the table's own comment: only a level's mean is put on the median footing
            return ("statistic defaults to range for a range and to mean otherwise; it changes a figure only for a level "
                    "(a mean is put on the median footing)")
    if path[0] == "states" and name == "aliases":
        return "a state's aliases are optional (other names accepted for it)"
    if path == ("meta", "currency"):
        return "meta.currency is informational (always USD), not read"
    if path == ("benefits", "hours_per_year"):
        return "absent, an hourly salary (24.50/h) is refused with a message; estimates do not use it"
    if path == ("benefits", "pay_agreement"):
        return "absent, a payroll row's salary and hourly rate must agree to the dollar; estimates do not use it"
    if path[0] == "wage_growth" and name in ("from_year", "to_year"):
        return "the years the growth rate was measured between are informational (checked when present)"
    return None


def tolerance_of(path: tuple[str, ...]) -> Tolerance | None:
    """A documented-optional key's tolerance: which panel queries its removal may change, and the rule they follow."""
    why = optional_reason(path)
    if why is None:
        return None
    group, name = path[0], path[-1]
    if group == "credentials" and name == "premium":
        return Tolerance(why, *_premium_gone(path[1]))
    if group in ("states", "settings") and name in ("employment_rse", "wage_rse"):
        return Tolerance(why, *_rse_gone(group, path[1], name))
    if group == "backtest" and name in ("held", "statistic", "note"):
        low = "low" in DOC["backtest"][path[1]]
        default = {"held": True, "statistic": "range" if low else "mean", "note": ""}[name]

        def check(table: Table) -> None:
            (entry,) = [e for e in table.backtest if e.key == path[1]]
            assert getattr(entry, name) == default

        return Tolerance(why, check=check)
    return Tolerance(why)


def _premium(table: Table, code: str) -> float:
    p = table.credentials[code].premium
    return 1.0 if p is None else p


def _premium_gone(code: str) -> tuple[Callable[[dict[str, Any]], bool], Callable[[Table], None]]:
    """Without its premium a credential prices as one with no specific figure (the reference's 1.0)."""
    def affects(q: dict[str, Any]) -> bool:
        certs = q.get("certs", ())
        if code not in certs:
            return False
        # only the best premium held counts (model.credential_ratio): does it change?
        after = max(1.0 if c == code else _premium(BASE, c) for c in certs)
        return after != max(_premium(BASE, c) for c in certs)

    def check(table: Table) -> None:
        assert table.credentials[code].premium is None
        plain = next(c for c in table.credentials if BASE.credentials[c].premium is None)  # CCS: no specific figure
        got, like = (estimate(table, build_query(table, state="CA", certs=[c])) for c in (code, plain))
        assert got.band == like.band

    return affects, check


def _rse_gone(group: str, key: str, name: str) -> tuple[Callable[[dict[str, Any]], bool], Callable[[Table], None]]:
    """Without one relative standard error, a state's or setting's thin-data flag rests on the other alone."""
    where = "state" if group == "states" else "setting"
    other = "wage_rse" if name == "employment_rse" else "employment_rse"
    phrase = {"wage_rse": "its mean wage", "employment_rse": "its employment estimate"}

    def limit(rse: str) -> float:
        return BASE.precision.wage_rse_max if rse == "wage_rse" else BASE.precision.employment_rse_max

    def base_rse(rse: str) -> float:
        entry = BASE.states[key] if group == "states" else BASE.settings[key]
        return float(getattr(entry, rse))

    def affects(q: dict[str, Any]) -> bool:  # only where the removed figure raised a flag
        uses = q.get(where) == key and not (where == "state" and q.get("remote"))
        return uses and base_rse(name) >= limit(name)

    def check(table: Table) -> None:
        entry = table.states[key] if group == "states" else table.settings[key]
        assert getattr(entry, name) is None
        flags = [f for f in estimate(table, build_query(table, **{where: key})).flags if f.factor == where]
        assert len(flags) == (base_rse(other) >= limit(other)), flags
        assert not any(phrase[name] in f.message for f in flags)

    return affects, check


def gen_remove() -> list[Mutation]:
    out = []
    for leaf in LEAVES:
        header = HEADERS.get(leaf.section)
        m = Mutation(f"remove {leaf.key}", ((leaf.index, ""),), unit_of(leaf.section), (leaf.key,),
                     None if header is None else header + 1, tolerated=tolerance_of(leaf.path))
        if leaf.path[0] == "backtest" and leaf.path[-1] in ("published", "versus", "versus_published"):
            # which figure is missing depends on the rest of the entry: the loader names the entry, at its header
            m = replace(m, keys=(leaf.key, ".".join(leaf.section)), needle="needs either `published`")
        out.append(m)
    return out


def gen_text() -> list[Mutation]:
    """Each number (and true/false), also inside lists, written as text - as a spreadsheet saves it."""
    out = []
    for leaf in LEAVES:
        for pos, s in scalar_spots(leaf.value):
            if is_number(s) or isinstance(s, bool):
                text = toml_value(s)
                out.append(Mutation(f"{leaf.key}{list(pos) or ''} = {text!r} (text)",
                                    (set_line(leaf, replaced(leaf.value, pos, text)),),
                                    unit_of(leaf.section), (leaf.key,), leaf.line))
    return out


def _check_negative_growth(table: Table) -> None:
    rate = DOC["wage_growth"]["rate"]
    assert table.growth_rate == -rate
    pub = DOC["wage_growth"]["published"]
    last = max(int(y) for y in pub)
    year = last + 1
    # national median aged one year past the last published one at a negative rate: p50 x published step x (1 - rate)
    expected = int(DOC["national"]["p50"] * pub[str(last)]["median"] / pub[str(DOC["meta"]["wage_year"])]["median"]
                   * (1 - rate) + 0.5)
    assert estimate(table, build_query(table, as_of=year)).band.mid == expected
    # default table: 50,250 x 51,140 / 50,250 x 0.9761 = 49,917.754 -> 49,918
    assert DOC["national"]["p50"] != 50250 or expected == 49918


def gen_negative() -> list[Mutation]:
    """Each number made negative (0 becomes -1); only wage_growth.rate is documented to allow it."""
    out = []
    for leaf in LEAVES:
        for pos, s in scalar_spots(leaf.value):
            if not is_number(s):
                continue
            neg = -abs(s) if s else type(s)(-1)
            tol = None
            if leaf.path == ("wage_growth", "rate"):
                tol = Tolerance("wage growth may be negative (documented)", lambda q: q.get("as_of") is not None,
                                _check_negative_growth)
            out.append(Mutation(f"{leaf.key}{list(pos) or ''} = {neg!r}", (set_line(leaf, replaced(leaf.value, pos, neg)),),
                                unit_of(leaf.section), (leaf.key,), leaf.line, tolerated=tol))
    return out


def gen_empty() -> list[Mutation]:
    out = []
    for leaf in LEAVES:
        if isinstance(leaf.value, str):
            out.append(Mutation(f'{leaf.key} = ""', (set_line(leaf, ""),), unit_of(leaf.section), (leaf.key,), leaf.line,
                                needle="empty", tolerated=tolerance_of(leaf.path)))
    return out


REFS = [leaf for leaf in LEAVES if isinstance(leaf.value, str) and leaf.value in SOURCE_KEYS and leaf.path[0] != "sources"]


def gen_unknown_source() -> list[Mutation]:
    return [Mutation(f"{leaf.key} = 'no_such_source'", (set_line(leaf, "no_such_source"),), unit_of(leaf.section),
                     (leaf.key,), leaf.line, needle="unknown source 'no_such_source'") for leaf in REFS]


def _swap(section: tuple[str, ...], a: str, b: str) -> tuple[tuple[int, str], ...]:
    la, lb = leaf_at((*section, a)), leaf_at((*section, b))
    return set_line(la, lb.value), set_line(lb, la.value)


def gen_swap() -> list[Mutation]:
    """A low/high pair swapped so that low > high, wherever the table has ordered figures."""
    out = []
    for sec in HEADERS:
        node = node_at(sec)
        name = ".".join(sec)
        if all(k in node for k in PERCENTILE_KEYS):
            for a, b in zip(PERCENTILE_KEYS, PERCENTILE_KEYS[1:]):
                if node[a] != node[b]:
                    out.append(Mutation(f"swap {name}.{a}/{b}", _swap(sec, a, b), unit_of(sec), (f"{name}.{a}",),
                                        leaf_at((*sec, a)).line, needle="percentiles must rise"))
        if "low" in node and "high" in node and node["low"] != node["high"]:
            out.append(Mutation(f"swap {name}.low/high", _swap(sec, "low", "high"), unit_of(sec), (f"{name}.low",),
                                leaf_at((*sec, "low")).line, needle="is above high"))
        if sec[:1] == ("levels",) and len(sec) == 2 and node["min_years"] != node["max_years"]:
            out.append(Mutation(f"swap {name}.min_years/max_years", _swap(sec, "min_years", "max_years"), unit_of(sec),
                                (f"{name}.min_years",), leaf_at((*sec, "min_years")).line))
    for leaf in LEAVES:
        v = leaf.value
        if leaf.path[-1] == "positions" and v[0] != v[-1]:
            out.append(Mutation(f"swap {leaf.key} low/high", (set_line(leaf, [v[-1], v[1], v[0]]),), unit_of(leaf.section),
                                (leaf.key,), leaf.line))
        if leaf.path[-1] == "brackets" and len(v) >= 2:
            out.append(Mutation(f"swap the last two {leaf.key}", (set_line(leaf, [*v[:-2], v[-1], v[-2]]),),
                                unit_of(leaf.section), (leaf.key,), leaf.line, needle="floors must rise"))
    counts = sorted(DOC["credential_count"], key=int)
    for a, b in zip(counts, counts[1:]):
        ma, mb = DOC["credential_count"][a]["multiplier"], DOC["credential_count"][b]["multiplier"]
        if ma != mb:
            la, lb = leaf_at(("credential_count", a, "multiplier")), leaf_at(("credential_count", b, "multiplier"))
            out.append(Mutation(f"swap credential_count.{a}/{b}.multiplier", (set_line(la, mb), set_line(lb, ma)),
                                ("credential_count",), (f"credential_count.{b}.multiplier",), lb.line, needle="never lowers"))
    roles = sorted(DOC["roles"], key=lambda k: DOC["roles"][k]["steps_above_senior"])
    for a, b in zip(roles, roles[1:]):
        ya, yb = DOC["roles"][a]["typical_years"], DOC["roles"][b]["typical_years"]
        if ya != yb:
            la, lb = leaf_at(("roles", a, "typical_years")), leaf_at(("roles", b, "typical_years"))
            out.append(Mutation(f"swap roles.{a}/{b}.typical_years", (set_line(la, yb), set_line(lb, ya)), ("roles",),
                                (f"roles.{b}.typical_years",), lb.line))
    return out


def _removal_edits(sec: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """Remove a [table]: its header and its own keys (sub-tables with headers of their own stay)."""
    return ((HEADERS[sec], ""), *((leaf.index, "") for leaf in LEAVES if leaf.section == sec))


def _catalogue_entry_gone(section: tuple[str, ...]) -> Tolerance:
    group, key = section

    def affects(q: dict[str, Any]) -> bool:
        return key in q.get("certs", ()) or q.get("specialty") == key or q.get("setting") == key

    def check(table: Table) -> None:
        entries = {"credentials": table.credentials, "specialties": table.specialties, "settings": table.settings,
                   "training": table.training, "related": table.related, "occupations": table.occupations,
                   "recognised_credentials": table.recognised_credentials}[group]
        assert key not in entries
        kw = {"credentials": {"certs": [key]}, "specialties": {"specialty": key}, "settings": {"setting": key}}.get(group)
        if kw is not None:  # naming it is now a usage error (exit 2), not a silently different band
            with pytest.raises(UsageError):
                build_query(table, **kw)

    return Tolerance(f"{group} is a catalogue: a removed entry is no longer offered", affects, check)


def _count_cap(n: int) -> Tolerance:
    def check(table: Table) -> None:
        # documented: the largest count in the table caps the premium; n credentials now get count n-1's
        # (times the best credential-specific premium held, model.credential_ratio)
        certs = list(table.credentials)[:n]  # (other catalogue entries may be gone in the same batch)
        got = estimate(table, build_query(table, state="CA", certs=certs))
        best = max(_premium(table, c) for c in certs)
        (cred,) = [f for f in got.factors if f.factor == "credentials"]
        assert cred.multiplier == BASE.credential_counts[n - 1].multiplier * best
        # the same as n - 1 of them in the full table: leave out the one with the smallest premium (the best stays)
        fewer = [c for c in certs if c != min(certs, key=lambda c: _premium(table, c))]
        capped = estimate(BASE, build_query(BASE, state="CA", certs=fewer))
        assert got.band == capped.band

    return Tolerance("the largest credential count caps the premium", lambda q: len(q.get("certs", ())) >= n, check)


def gen_remove_table() -> list[Mutation]:
    """Each [table] removed. Removals are batched one per top-level group: removing every entry of a group
    at once (all states, all credentials) is a different mutation, with different problems."""
    out = []
    top_count = max(DOC["credential_count"], key=int)
    for sec in HEADERS:
        name = ".".join(sec)
        if sec[0] == "sources" and len(sec) == 2:
            continue  # test_removing_a_source_rejects_every_figure_naming_it
        own = tuple(leaf.key for leaf in LEAVES if leaf.section == sec)
        # the loader places a missing table at the nearest header still there, if any
        parent = next((HEADERS[sec[:n]] + 1 for n in range(len(sec) - 1, 0, -1) if sec[:n] in HEADERS), None)
        m = Mutation(f"remove [{name}]", _removal_edits(sec), sec[:1], (name, *own), parent)
        if sec[0] == "states" or sec[:2] == ("tax", "states") and len(sec) == 3:
            m = replace(m, keys=(".".join(sec[:-1]),), needle=sec[-1])  # "every state and DC must be present; missing: AK"
        elif len(sec) == 2 and sec[0] == "occupations" and sec[1] in ROLE_OCCUPATIONS:
            m = replace(m, keys=(name,), needle="priced from it")
        elif len(sec) == 3 and sec[:2] == ("wage_growth", "published") and sec[2] != str(DOC["meta"]["wage_year"]):
            m = replace(m, keys=(), tolerated=_published_year_gone(int(sec[2])))
        elif len(sec) == 2 and (sec[0] in ("credentials", "training", "related", "occupations", "recognised_credentials")
                                or sec in CATALOGUE_ENTRIES):
            m = replace(m, keys=(), tolerated=_catalogue_entry_gone(sec))
        elif sec == ("credential_count", top_count):
            m = replace(m, keys=(), tolerated=_count_cap(int(top_count)))
        elif sec[0] == "backtest":
            m = replace(m, keys=(), tolerated=_backtest_entry_gone(sec[1]))
        elif sec[:2] == ("tax", "local") and len(sec) == 3:
            m = replace(m, keys=(), tolerated=Tolerance("[tax.local.*] is a catalogue of local taxes: a removed one "
                                                        "is no longer applied (after-tax only)"))
        out.append(m)
    return out


ROLE_OCCUPATIONS = {r["occupation"] for r in DOC["roles"].values()}


def _published_year_gone(year: int) -> Tolerance:
    """A published national median removed: ageing across that year uses the rate instead (documented)."""
    def check(table: Table) -> None:
        assert year not in table.wage_medians and table.wage_year in table.wage_medians

    return Tolerance("a published median is a step ageing may use; without it the rate ages",
                     lambda q: q.get("as_of") is not None, check)


def _backtest_entry_gone(key: str) -> Tolerance:
    def check(table: Table) -> None:
        assert key not in {e.key for e in table.backtest}
        assert len(table.backtest) < len(BASE.backtest)

    return Tolerance("[backtest.*] lists figures `data check` holds the model to: a removed one is no longer checked",
                     check=check)


INLINE = [leaf for leaf in LEAVES if isinstance(leaf.value, dict)]


def gen_inline() -> list[Mutation]:
    """Each inline table (a back-test profile) as a leaf: written as text, as a list, or with an unknown option."""
    out = []
    for leaf in INLINE:
        unit, key = unit_of(leaf.section), (leaf.key,)
        needle = "must be an inline table"
        out.append(Mutation(f"{leaf.key} = text", (set_line(leaf, toml_value(leaf.value)),), unit, key, leaf.line, needle))
        out.append(Mutation(f"{leaf.key} = list", (set_line(leaf, list(leaf.value.values())),), unit, key, leaf.line, needle))
        # `certs` for `cert`, as the --cert option's plural invites
        out.append(Mutation(f"{leaf.key} + certs", (set_line(leaf, {**leaf.value, "certs": ["CPC"]}),), unit, key,
                            leaf.line, needle))
    return out


CATALOGUE_ENTRIES = {("specialties", k) for k in DOC["specialties"] if k != "general"} | {
    ("settings", k) for k in DOC["settings"] if k != "any"}


def gen_misspell() -> list[Mutation]:
    """Each key misspelt (`exam_fee` -> `exam_fees`, `factor` -> `factors`): an unknown key, rejected at its own
    line with the key meant as the suggestion - also where the key is optional and its absence is tolerated."""
    out = []
    for leaf in LEAVES:
        name = leaf.path[-1]
        wrong = name + "s"
        raw = LINES[leaf.index]
        new = raw.replace(name, wrong, 1)
        assert tomllib.loads(new) == {wrong: leaf.value}, new
        key = ".".join((*leaf.section, wrong))
        out.append(Mutation(f"{leaf.key} misspelt {wrong}", ((leaf.index, new),), unit_of(leaf.section), (key,),
                            leaf.line, needle=f"unknown key; did you mean {name!r}?"))
    return out


KINDS: dict[str, Callable[[], list[Mutation]]] = {
    "remove": gen_remove, "text": gen_text, "negative": gen_negative, "empty": gen_empty,
    "unknown_source": gen_unknown_source, "swap": gen_swap, "remove_table": gen_remove_table, "inline": gen_inline,
    "misspell": gen_misspell,
}


@cache
def mutations(kind: str) -> list[Mutation]:
    return KINDS[kind]()


# --------------------------------------------------------------------------- checking a batch

PANEL: list[dict[str, Any]] = [
    {},
    {"state": "CA"},
    {"state": "AL", "certs": ["CPC"]},
    {"state": "NY", "certs": ["CPC", "CRC"], "level": "senior"},
    {"state": "TX", "certs": ["CCS", "RHIT", "CPC"], "years": 4, "specialty": "cardiology", "setting": "hospital"},
    {"state": "WA", "level": "director", "specialty": "risk-adjustment", "setting": "consulting"},
    {"state": "MS", "remote": True, "home": "DC", "col": "housing"},
    {"state": "HI", "years": 0, "as_of": 2026},
    {"level": "entry", "setting": "physician-office", "as_of": 2020},
    {"state": "MA", "certs": ["COC"], "level": "mid", "specialty": "oncology", "setting": "outpatient", "col": "housing"},
    {"state": "WY", "remote": True, "certs": ["CPB", "CPMA", "CIC", "CCA"]},
    {"state": "DC", "home": "AK", "level": "supervisor", "specialty": "emergency", "setting": "insurance"},
    {"state": "VT", "level": "manager", "certs": ["CCS-P", "CDIP"], "specialty": "anesthesia", "setting": "nursing-care"},
    {"state": "NM", "years": 30, "specialty": "surgery", "setting": "home-health", "certs": ["RHIA"]},
    {"state": "OR", "years": 2, "setting": "specialty-hospital", "certs": ["CRC"]},
    {"state": "CO", "level": "senior", "setting": "psychiatric-hospital"},
    {"state": "NJ", "years": 12, "setting": "company-office", "certs": ["CPC", "CIC"]},
    {"setting": "admin-services", "years": 6},
    {"state": "ME", "setting": "staffing", "certs": ["CPB"]},
    {"state": "GA", "years": 8, "certs": ["CPCO"]},
    {"state": "KY", "certs": ["CDEO", "CPC"]},
    {"state": "FL", "setting": "billing-service", "years": 1},
    {"state": "GA", "setting": "health-it", "level": "director"},
    {"state": "VA", "setting": "federal", "years": 20, "certs": ["CCS", "CRC"]},
    {"state": "OH", "setting": "state-government", "as_of": 2025},
    {"state": "MI", "setting": "local-government", "remote": True},
]


def fingerprint(est: Estimate) -> tuple[Any, ...]:
    return (est.band, est.col.band, est.col.price_ratio, est.multiplier, est.positions, est.distribution, est.profile,
            est.flags, est.wage_year)


BASE_PANEL = [fingerprint(estimate(BASE, build_query(BASE, **q))) for q in PANEL]


def mutate(edits: Iterator[tuple[int, str]] | tuple[tuple[int, str], ...]) -> str:
    lines = list(LINES)
    for i, new in edits:
        lines[i] = new
    return "\n".join(lines) + "\n"


def batches(muts: list[Mutation]) -> list[list[Mutation]]:
    """At most one mutation per unit in each batch, rejected and tolerated ones apart."""
    out: list[tuple[list[Mutation], set[tuple[str, ...]]]] = []
    for m in muts:
        for batch, units in out:
            if m.unit not in units and (batch[0].tolerated is None) == (m.tolerated is None):
                batch.append(m)
                units.add(m.unit)
                break
        else:
            out.append(([m], {m.unit}))
    return [b for b, _ in out]


def check_batch(batch: list[Mutation]) -> list[str]:
    """What is wrong with how the loader treated these mutations (empty: all as required)."""
    text = mutate(e for m in batch for e in m.edits)
    try:
        table = parse_table(text, "mutated.toml")
    except TableError as exc:
        if batch[0].tolerated is not None:
            return [f"tolerated mutations {[m.what for m in batch][:5]}... rejected: {[str(p) for p in exc.problems][:5]}"]
        return [f for m in batch if (f := _named(m, exc))]
    if batch[0].tolerated is None:
        return [f"{m.what}: loaded, but it is not a documented-tolerated edit" for m in batch]
    failures = []
    for m in batch:
        assert m.tolerated is not None
        if m.tolerated.check is not None:
            try:
                m.tolerated.check(table)
            except AssertionError as e:
                failures.append(f"{m.what} ({m.tolerated.why}): {e}")
    for q, base in zip(PANEL, BASE_PANEL):
        if any(m.tolerated is not None and m.tolerated.affects(q) for m in batch):
            continue
        if fingerprint(estimate(table, build_query(table, **q))) != base:
            failures.append(f"{[m.what for m in batch]}: the estimate for {q} silently changed")
    return failures


def _named(m: Mutation, exc: TableError) -> str:
    hits = [p for p in exc.problems if p.key in m.keys and m.needle in p.message]
    if not hits:
        near = [str(p) for p in exc.problems if any(p.key.startswith(k) or k.startswith(p.key) for k in m.keys if p.key)]
        return f"{m.what}: no problem names {m.keys} (saying {m.needle!r}); nearby: {near[:3]}"
    if not any(p.line == m.line for p in hits):
        return f"{m.what}: the problem is on line {hits[0].line}, expected line {m.line}: {hits[0]}"
    return ""


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_mutation_is_rejected_naming_its_key_or_is_tolerated(kind: str) -> None:
    muts = mutations(kind)
    assert len(muts) >= 20, f"the table enumerated only {len(muts)} '{kind}' mutations"
    failures = [f for batch in batches(muts) for f in check_batch(batch)]
    assert not failures, f"{len(failures)} of {len(muts)} '{kind}' mutations mishandled:\n" + "\n".join(failures[:30])


def test_every_key_and_every_number_is_mutated() -> None:
    assert len(mutations("remove")) == len(LEAVES)
    numbers = sum(1 for leaf in LEAVES for _, s in scalar_spots(leaf.value) if is_number(s))
    assert len(mutations("negative")) == numbers > 900
    assert {m.what for m in mutations("remove_table")} >= {f"remove [states.{c}]" for c in DOC["states"]}
    assert len(REFS) > 100
    # inline tables are leaves: not searched for numbers, mutated whole (three ways each)
    assert len(INLINE) == sum(1 + ("versus" in b) for b in DOC["backtest"].values())  # every profile and versus
    assert len(mutations("inline")) == 3 * len(INLINE)


ALL = [m for kind in KINDS for m in mutations(kind)]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ALL))
def test_single_mutation_gives_the_same_verdict_alone(m: Mutation) -> None:
    """The batches are sound: a mutation alone is rejected (or tolerated) exactly as in its batch."""
    assert check_batch([m]) == []


@pytest.mark.parametrize("source", sorted(SOURCE_KEYS))
def test_removing_a_source_rejects_every_figure_naming_it(source: str) -> None:
    naming = {leaf.key: leaf.line for leaf in REFS if leaf.value == source}
    text = mutate(_removal_edits(("sources", source)))
    if not naming:  # an unused source: nothing depends on it
        table = parse_table(text)
        assert [fingerprint(estimate(table, build_query(table, **q))) for q in PANEL] == BASE_PANEL
        return
    with pytest.raises(TableError) as exc:
        parse_table(text)
    found = {p.key: p.line for p in exc.value.problems if f"unknown source '{source}'" in p.message}
    assert found == naming  # every figure naming it, each at its own line, and nothing else
    assert {p.key for p in exc.value.problems} == set(naming)


def test_removing_the_whole_tax_table_is_tolerated() -> None:
    """[tax] is optional (a table without it has no take-home figures); estimates are unchanged."""
    edits = [e for sec in HEADERS if sec[0] == "tax" for e in _removal_edits(sec)]
    table = parse_table(mutate(edits))
    assert table.tax is None and BASE.tax is not None
    assert [fingerprint(estimate(table, build_query(table, **q))) for q in PANEL] == BASE_PANEL


@pytest.mark.parametrize("code", [c for c, cred in DOC["credentials"].items() if "premium" in cred])
def test_removing_a_premium_with_its_source_and_basis_prices_the_credential_without_a_specific_figure(code: str) -> None:
    """premium, premium_source and premium_basis go together: without them the credential is priced like one with
    no credential-specific figure (the reference's 1.0); every other estimate is unchanged."""
    sec = ("credentials", code)
    edits = [(leaf.index, "") for leaf in LEAVES if leaf.section == sec and leaf.path[-1].startswith("premium")]
    assert len(edits) == 3
    table = parse_table(mutate(edits))
    assert (table.credentials[code].premium, table.credentials[code].premium_source) == (None, None)
    affects, check = _premium_gone(code)
    check(table)
    for q, base in zip(PANEL, BASE_PANEL):  # changed exactly where the premium was the best one held
        assert (fingerprint(estimate(table, build_query(table, **q))) != base) == affects(q), q


def test_the_panel_covers_the_tolerated_entries() -> None:
    """Tolerance checks mean something only if the panel uses what the tolerated edits touch."""
    used = {c for q in PANEL for c in q.get("certs", ())}
    assert used == set(DOC["credentials"])
    assert {q.get("specialty", "general") for q in PANEL} == set(DOC["specialties"])
    assert {q.get("setting", "any") for q in PANEL} == set(DOC["settings"])
    assert any(len(q.get("certs", ())) >= len(DOC["credential_count"]) for q in PANEL)
    assert any("as_of" in q for q in PANEL)
    # a premium's removal changes some panel estimate, for every credential with a premium other than 1.0
    assert all(any(_premium_gone(c)[0](q) for q in PANEL) for c, cred in DOC["credentials"].items()
               if cred.get("premium", 1.0) != 1.0)
    # each kind of thin-data flag is raised somewhere in the panel: a state's employment and wage RSE, alone
    # and together, a setting's, an article-only specialty (roles are BLS figures now: no article-only role)
    flags = [f for q in PANEL for f in estimate(BASE, build_query(BASE, **q)).flags]
    messages = {(f.code, f.factor, "mean wage" in f.message, "employment" in f.message) for f in flags}
    assert {("thin_data", "state", True, False), ("thin_data", "state", False, True), ("thin_data", "state", True, True),
            ("thin_data", "setting", False, True), ("article_only", "specialty", False, False)} <= messages
    assert not any(f[1] == "role" for f in messages)


# --------------------------------------------------------------------------- broken TOML and odd files


def _line_of(prefix: str, after: str = "") -> int:
    """0-based index of the first line starting with `prefix` (after the line starting with `after`)."""
    start = next(i for i, ln in enumerate(LINES) if ln.startswith(after)) if after else 0
    return next(i for i in range(start, len(LINES)) if LINES[i].startswith(prefix))


AK = _line_of("[states.AK]")
AK_P10 = _line_of("p10 =", "[states.AK]")
AK_NAME = _line_of("name =", "[states.AK]")
RATE = _line_of("rate =", "[wage_growth]")

BROKEN_TOML = {
    "unclosed table header": ((AK, "[states.AK"),),
    "duplicate key": ((AK_P10 + 1, LINES[AK_P10]),),
    "unterminated string": ((AK_NAME, 'name = "Alaska'),),
    "missing value": ((AK_P10, "p10 ="),),
    "thousands separator": ((AK_P10, "p10 = 45,780"),),
    "decimal comma": ((RATE, "rate = 0,0301"),),
    "dollar sign": ((AK_P10, "p10 = $45780"),),
    "missing equals sign": ((AK_P10, "p10 45780"),),
    "two cells pasted": ((AK_P10, "p10 = 45780\t48500"),),
    "NUL byte": ((AK_NAME, 'name = "Alas\x00ka"'),),
    "bare word": ((AK_NAME, "name = Alaska"),),
}


@pytest.mark.parametrize("what", list(BROKEN_TOML))
def test_broken_toml_is_rejected_with_its_line(what: str) -> None:
    (index, _), *_ = BROKEN_TOML[what]
    with pytest.raises(TableError) as exc:
        parse_table(mutate(BROKEN_TOML[what]), "broken.toml")
    (problem,) = exc.value.problems
    assert problem.message.startswith("not valid TOML")
    assert problem.line == index + 1
    assert str(exc.value).startswith(f"data table broken.toml: line {index + 1}, not valid TOML")


def test_a_truncated_table_is_rejected() -> None:
    cut = TEXT.index('name = "California"') + len('name = "Cal')
    with pytest.raises(TableError) as exc:
        parse_table(TEXT[:cut], "cut.toml")
    (problem,) = exc.value.problems
    assert problem.line == TEXT[:cut].count("\n") + 1 and "not valid TOML" in problem.message


def test_a_table_cut_at_a_line_end_is_rejected_naming_what_is_missing() -> None:
    cut = TEXT.index("[states.CA]")
    with pytest.raises(TableError) as exc:
        parse_table(TEXT[:cut], "cut.toml")
    keys = {p.key for p in exc.value.problems}
    assert {"states", "market", "levels.entry", "credentials", "remote", "benefits"} <= keys


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "format = 1\n"])
def test_an_empty_table_is_rejected(text: str) -> None:
    with pytest.raises(TableError) as exc:
        parse_table(text)
    keys = {p.key for p in exc.value.problems}
    assert {"meta", "sources", "national", "states"} <= keys


def test_a_value_where_a_table_belongs_is_rejected() -> None:
    remote = ("remote",)
    edits = [*_removal_edits(remote), (0, LINES[0] + '\nremote = 1.0')]  # a top-level key, one line down
    text = mutate(edits)
    with pytest.raises(TableError) as exc:
        parse_table(text)
    (problem,) = [p for p in exc.value.problems if p.key == "remote"]
    assert "must be a table" in problem.message and problem.line == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "crlf", "utf-8-sig+crlf"])
def test_a_bom_or_windows_line_ends_change_nothing(tmp_path: Path, encoding: str) -> None:
    text = TEXT.replace("\n", "\r\n") if "crlf" in encoding else TEXT
    f = tmp_path / "table.toml"
    f.write_bytes(text.encode("utf-8-sig" if "sig" in encoding else "utf-8"))
    table = load_table(f)
    assert [fingerprint(estimate(table, build_query(table, **q))) for q in PANEL] == BASE_PANEL


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_a_table_not_in_utf8_is_rejected(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "table.toml"
    f.write_bytes(TEXT.replace('"Alaska"', '"Alaska é"').encode(encoding))
    with pytest.raises(TableError) as exc:
        load_table(f)
    assert "not UTF-8" in exc.value.problems[0].message


# --------------------------------------------------------------------------- through the command line

RUNNER = CliRunner()


def _cli_sample() -> list[Mutation]:
    """Three rejected mutations of each kind (first, middle, last), a spread over the table."""
    out = []
    for kind in KINDS:
        rejected = [m for m in mutations(kind) if m.tolerated is None]
        out += [rejected[0], rejected[len(rejected) // 2], rejected[-1]]
    return out


@pytest.mark.parametrize("m", _cli_sample(), ids=repr)
def test_a_rejected_mutation_exits_1_with_one_line_naming_the_key(m: Mutation, tmp_path: Path) -> None:
    f = tmp_path / "mutated.toml"
    f.write_text(mutate(m.edits), encoding="utf-8")
    r = RUNNER.invoke(app, ["--data", str(f), "estimate", "--state", "CA"])
    assert (r.exit_code, r.stdout) == (1, ""), r.output
    (line,) = r.stderr.rstrip("\n").split("\n")
    assert line.startswith(f"coder-pay: error: data table {f}: ")
    first = line.removeprefix(f"coder-pay: error: data table {f}: ")
    assert any(first.startswith(f"line {m.line}, {k}: " if m.line else f"{k}: ") for k in m.keys), line
    assert m.needle in line
    assert "Traceback" not in r.output

    r = RUNNER.invoke(app, ["--data", str(f), "estimate", "--json"])
    assert (r.exit_code, r.stdout) == (1, "")
    (text,) = r.stderr.rstrip("\n").split("\n")
    err = json.loads(text)["error"]
    assert err["code"] == "bad_table" and err["exit_code"] == 1 and err["path"] == str(f)
    assert any(p["key"] in m.keys and p["line"] == m.line for p in err["problems"])


@pytest.mark.parametrize("case", ["negative", "broken", "latin-1"])
def test_a_bad_table_through_the_real_command(case: str, tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    if case == "negative":
        m = next(m for m in mutations("negative") if m.what.startswith("states.TX.p50"))
        f.write_text(mutate(m.edits), encoding="utf-8")
        needle = f"line {m.line}, states.TX.p50: must be greater than 0, not -"
    elif case == "broken":
        f.write_text(mutate(BROKEN_TOML["thousands separator"]), encoding="utf-8")
        needle = f"line {AK_P10 + 1}, not valid TOML"
    else:
        f.write_bytes(TEXT.replace('"Alaska"', '"Alaska é"').encode("latin-1"))
        needle = "not UTF-8 text"
    env = {k: v for k, v in os.environ.items() if k != "CODER_PAY_DATA"}
    p = subprocess.run([sys.executable, "-m", "coder_pay", "--data", str(f), "estimate", "--state", "TX"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert (p.returncode, p.stdout) == (1, "")
    (line,) = p.stderr.rstrip("\n").split("\n")
    assert needle in line and "Traceback" not in p.stderr


def test_a_states_table_without_any_state_is_rejected() -> None:
    """An empty [states] table used to load, leaving a table with no states at all."""
    edits = [e for sec in HEADERS if sec[0] == "states" for e in _removal_edits(sec)]
    edits.append((HEADERS[("states", "AK")], "[states]"))
    with pytest.raises(TableError) as exc:
        parse_table(mutate(edits))
    (problem,) = [p for p in exc.value.problems if p.key == "states"]
    assert problem.message.endswith("missing: " + ", ".join(sorted(DOC["states"])))


@pytest.mark.parametrize("key", ["p10", "p50", "p90"])
def test_a_missing_percentile_is_one_problem_not_a_false_order_complaint(key: str) -> None:
    m = next(m for m in mutations("remove") if m.what == f"remove states.AK.{key}")
    with pytest.raises(TableError) as exc:
        parse_table(mutate(m.edits))
    assert [str(p) for p in exc.value.problems] == [f"line {HEADERS[('states', 'AK')] + 1}, states.AK.{key}: missing"]


def test_a_missing_range_end_is_one_problem_not_a_false_order_complaint() -> None:
    sec = next(s for s in HEADERS if s[0] == "training")
    m = next(m for m in mutations("remove") if m.what == f"remove {'.'.join(sec)}.high")
    with pytest.raises(TableError) as exc:
        parse_table(mutate(m.edits))
    assert [p.key for p in exc.value.problems] == [f"{'.'.join(sec)}.high"]


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\u2029"])
def test_a_unicode_line_separator_in_a_comment_does_not_shift_line_numbers(separator: str) -> None:
    """TOML lines end at \\n only; a U+2028 or NEL inside a comment must not push every later line number."""
    m = next(m for m in mutations("negative") if m.what.startswith("states.WY.p50"))
    text = mutate(m.edits).replace("# coder-pay data table.", f"# coder-pay data{separator}table.", 1)
    with pytest.raises(TableError) as exc:
        parse_table(text)
    assert [(p.key, p.line) for p in exc.value.problems] == [("states.WY.p50", m.line)]
