"""The data table's sections, each read by a part of its own, in the order problems are reported:
meta and sources, the national and state distributions, levels, the model's shape (experience,
bounds, precision), roles, credentials, specialties and settings, ranges, benefits, tax, back-test.

To read a new section: write a `_read_...` part that returns the Table fields it fills, and call it
from `_read_table` (the Table gains the fields in table.py). Pure: no printing, no files.
"""

import math
import re
from typing import Any

from .table import (
    FORMAT,
    USPS,
    BacktestEntry,
    Bounds,
    CountMultiplier,
    Credential,
    Experience,
    Factor,
    LeftOut,
    Level,
    LocalJurisdiction,
    LocalRule,
    Occupation,
    Precision,
    Range,
    RecognisedCredential,
    Role,
    Source,
    State,
    StateTax,
    Steps,
    Table,
    TaxTable,
    WageStep,
    name_key,
)
from .table_reader import _Reader


def _read_table(doc: dict[str, Any], r: _Reader, path: str) -> Table:
    """The table, section by section, in the order the problems are reported. Each part reads one
    family of sections and returns the Table fields it fills."""
    fmt = doc.get("format")
    if fmt != FORMAT:
        r.fail("format", f"must be {FORMAT} (this coder-pay reads table format {FORMAT}), not {fmt!r}")
    fields: dict[str, Any] = {"path": path}
    fields.update(_read_meta(doc, r))
    src = r.table(doc, "sources", "")
    fields.update(_read_sources(src, r))
    fields.update(_read_national(doc, r, src))
    fields.update(_read_states(doc, r, src))
    mk = r.table(doc, "market", "")
    fields.update(market_positions=r.positions(mk, "market"), market_source=r.source_ref(mk, "source", "market", src))
    fields.update(_read_levels(doc, r, src))
    fields.update(_read_model_shape(doc, r, src, fields))
    fields.update(occupations=_read_occupations(doc, r, src, fields["occupation"]))
    fields.update(_read_roles(doc, r, src, fields["occupations"]))
    cn = r.table(doc, "credential_net", "")
    fields.update(credential_net_share=r.number(cn, "share", "credential_net", positive=True, hi=1),
                  credential_net_source=r.source_ref(cn, "source", "credential_net", src))
    fields.update(_read_credential_counts(doc, r, src))
    fields.update(_read_credentials(doc, r, src))
    fields.update(_read_recognised_credentials(doc, r, src, fields["credentials"]))
    specialties, specialty_names = _read_factors(doc, r, src, "specialties", "general")
    settings, setting_names = _read_factors(doc, r, src, "settings", "any")
    rm = r.table(doc, "remote", "")
    remote = Factor("remote", "Remote (national pay)", r.number(rm, "factor", "remote", positive=True, hi=10),
                    r.source_ref(rm, "source", "remote", src), r.text(rm, "basis", "remote", required=False))
    fields.update(specialties=specialties, settings=settings, remote=remote, specialty_names=specialty_names,
                  setting_names=setting_names)
    fields.update(training=_read_ranges(doc, r, src, "training"))
    fields.update(_read_work_year(doc, r, src))
    fields.update(tax=_build_tax(doc, r, src) if "tax" in doc else None, backtest=_build_backtest(doc, r, src))
    ck = r.table(doc, "check", "")
    fields.update(industry_tolerance=r.number(ck, "industry_tolerance", "check", positive=True, hi=1))
    r.source_ref(ck, "source", "check", src)
    r.text(ck, "basis", "check", required=False)
    # the bases read last (their problems, if any, are reported after the figures')
    fields.update(market_basis=r.text(mk, "basis", "market", required=False),
                  credential_net_basis=r.text(cn, "basis", "credential_net", required=False))
    return Table(**fields)


def _read_meta(doc: dict[str, Any], r: _Reader) -> dict[str, Any]:
    meta = r.table(doc, "meta", "")
    out = {"wage_year": r.integer(meta, "wage_year", "meta", lo=1990, hi=2100),
           "price_year": r.integer(meta, "price_year", "meta", lo=1990, hi=2100),
           "occupation": r.text(meta, "occupation", "meta")}
    r.known(meta, "currency")  # informational (always USD)
    return out


def _read_sources(raw_sources: dict[str, Any], r: _Reader) -> dict[str, Any]:
    sources: dict[str, Source] = {}
    for key, s in raw_sources.items():
        sp = f"sources.{key}"
        if not isinstance(s, dict):
            r.fail(sp, "must be a table")
            continue
        year = r.integer(s, "year", sp, lo=0, hi=2100)
        sources[key] = Source(key, r.text(s, "name", sp), r.text(s, "publisher", sp), year or None,
                              r.text(s, "kind", sp), r.text(s, "url", sp, required=False),
                              r.text(s, "origin", sp, required=False))
    if not raw_sources:
        r.fail("sources", "no sources listed")
    return {"sources": sources}


def _read_national(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> dict[str, Any]:
    """[national] (the BLS national distribution) and [wage_growth]."""
    nat = r.table(doc, "national", "")
    out = {"national": r.distribution(nat, "national"),
           "national_source": r.source_ref(nat, "source", "national", src),
           "national_employment": r.integer(nat, "employment", "national"),
           "national_mean": r.integer(nat, "mean", "national", positive=True),
           "national_employment_rse": r.optional_number(nat, "employment_rse", "national", hi=100),
           "national_wage_rse": r.optional_number(nat, "wage_rse", "national", hi=100)}
    wg = r.table(doc, "wage_growth", "")
    out.update(growth_rate=r.number(wg, "rate", "wage_growth", lo=-0.5, hi=0.5),  # documented: may be negative
               growth_source=r.source_ref(wg, "source", "wage_growth", src),
               growth_basis=r.text(wg, "basis", "wage_growth", required=False))
    for k in ("from_year", "to_year"):  # informational: the years the rate was measured between
        r.integer(wg, k, "wage_growth", lo=1990, hi=2100, required=False)
    out["wage_medians"] = _read_wage_medians(wg, r, src, doc)
    return out


def _read_states(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> dict[str, Any]:
    """[states.*]: every state and DC, and what a user may type for each (its name and aliases)."""
    states: dict[str, State] = {}
    raw_states = r.table(doc, "states", "")
    for code, s in raw_states.items():
        sp = f"states.{code}"
        if not isinstance(s, dict):
            r.fail(sp, "must be a table")
            continue
        if not re.fullmatch(r"[A-Z]{2}", code):
            r.fail(sp, "state keys must be two-letter USPS codes in capitals")
        states[code] = State(
            code=code, name=r.text(s, "name", sp), wages=r.distribution(s, sp),
            employment=r.integer(s, "employment", sp), mean=r.integer(s, "mean", sp, positive=True),
            wage_source=r.source_ref(s, "wage_source", sp, src),
            rpp_all=r.number(s, "rpp_all", sp, positive=True), rpp_housing=r.number(s, "rpp_housing", sp, positive=True),
            price_source=r.source_ref(s, "price_source", sp, src),
            employment_rse=r.optional_number(s, "employment_rse", sp, hi=100),
            wage_rse=r.optional_number(s, "wage_rse", sp, hi=100),
            aliases=r.strings(s, "aliases", sp),
        )
    missing = sorted(USPS - set(states))
    if missing and isinstance(doc.get("states"), dict):  # an empty [states] table too
        r.fail("states", f"every state and DC must be present; missing: {', '.join(missing)}")
    state_names = {name_key(c): c for c in states}  # what a user may type for a state -> its code
    for code, st in states.items():
        for field, names in (("name", (st.name,)), ("aliases", st.aliases)):
            for name in names:
                key = name_key(name)
                if key and state_names.setdefault(key, code) != code:
                    r.fail(f"states.{code}.{field}", f"{name!r} is already a name of states.{state_names[key]}")
    return {"states": states, "state_names": state_names}


def _read_levels(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> dict[str, Any]:
    """[levels.*]: entry, mid, senior, each a range of years, following one another from 0."""
    levels: dict[str, Level] = {}
    for key, raw, lp in r.entries(doc, "levels", ""):
        levels[key] = Level(key, r.text(raw, "label", lp), r.integer(raw, "min_years", lp, hi=60),
                            r.integer(raw, "max_years", lp, hi=60), r.number(raw, "years", lp, hi=60),
                            r.source_ref(raw, "source", lp, src), r.text(raw, "basis", lp, required=False),
                            r.source_ref(raw, "years_source", lp, src, required=False))
    for need in ("entry", "mid", "senior"):
        if need not in levels:
            r.fail(f"levels.{need}", "missing table")
    ordered = sorted(levels.values(), key=lambda lv: lv.min_years)
    for a, b in zip(ordered, ordered[1:]):
        if b.min_years != a.max_years + 1:
            r.fail(f"levels.{b.key}.min_years", f"must follow levels.{a.key}.max_years ({a.max_years}) without gap or overlap")
    for lv in ordered:
        if not lv.min_years <= lv.years <= lv.max_years:
            r.fail(f"levels.{lv.key}.years",
                   f"must be within the level's years ({lv.min_years}-{lv.max_years}), not {lv.years:g}")
    if ordered and ordered[0].min_years != 0:
        r.fail(f"levels.{ordered[0].key}.min_years", "the first level must start at 0 years")
    return {"levels": levels}


def _read_model_shape(doc: dict[str, Any], r: _Reader, src: dict[str, Any], read: dict[str, Any]) -> dict[str, Any]:
    """[experience] (the curve), [bounds] (checked against the distributions already `read`), [precision]."""
    ex = r.table(doc, "experience", "")
    ep = "experience"
    experience = Experience(
        r.number(ex, "amplitude", ep, hi=2), r.number(ex, "time_constant", ep, positive=True, hi=100),
        r.number(ex, "market_years", ep, hi=50), r.number(ex, "max_yearly_rise", ep, positive=True, hi=1),
        r.source_ref(ex, "source", ep, src), r.text(ex, "basis", ep, required=False),
        r.source_ref(ex, "market_years_source", ep, src), r.text(ex, "market_years_basis", ep, required=False))
    first_year = experience.amplitude * (1 - math.exp(-1 / experience.time_constant))
    if ex and first_year > math.log1p(experience.max_yearly_rise) + 1e-9:
        r.fail("experience.amplitude", f"the curve's first year rises more than max_yearly_rise "
                                       f"({experience.max_yearly_rise:g}): lower amplitude or raise time_constant")
    bd = r.table(doc, "bounds", "")
    bounds = Bounds(r.number(bd, "experience_share", "bounds", positive=True, hi=0.95),
                    r.number(bd, "experience_knee", "bounds", hi=0.95), r.number(bd, "high_cap", "bounds", lo=1, hi=3),
                    r.number(bd, "band_knee", "bounds", hi=0.95),
                    r.source_ref(bd, "source", "bounds", src), r.text(bd, "basis", "bounds", required=False))
    if bd and len(r.problems) == 0:  # the whole market must stay exactly the published percentiles
        dists = [("national", read["national"]), *((c, s.wages) for c, s in read["states"].items())]
        for code, dist in dists:
            room = math.log(bounds.high_cap * dist.p90 / dist.p50)
            if math.log(dist.p90 / dist.p50) > bounds.band_knee * room:
                r.fail("bounds.band_knee", f"too low for {code}: its p90 would be moved off the published figure "
                                           f"(needs at least {math.log(dist.p90 / dist.p50) / room:.3f})")
                break
    pc = r.table(doc, "precision", "")
    precision = Precision(r.number(pc, "wage_rse_max", "precision", positive=True, hi=100),
                          r.number(pc, "employment_rse_max", "precision", positive=True, hi=100),
                          r.source_ref(pc, "source", "precision", src), r.text(pc, "basis", "precision", required=False))
    return {"experience": experience, "bounds": bounds, "precision": precision}


def _read_wage_medians(wg: dict[str, Any], r: _Reader, src: dict[str, Any], doc: dict[str, Any]) -> dict[int, WageStep]:
    """[wage_growth.published.YEAR]: the published national medians ageing steps through (optional); when given,
    the table's own wage year must be among them."""
    meta = doc.get("meta")
    wage_year = meta.get("wage_year") if isinstance(meta, dict) else None
    out: dict[int, WageStep] = {}
    for key, v in r.table(wg, "published", "wage_growth", required=False).items():
        rp = f"wage_growth.published.{key}"
        if not re.fullmatch(r"(19|20|21)\d\d", key) or not isinstance(v, dict):
            r.fail(rp, "must be a table named by a year, such as [wage_growth.published.2025]")
            continue
        out[int(key)] = WageStep(int(key), r.integer(v, "median", rp, positive=True), r.source_ref(v, "source", rp, src))
    if out and isinstance(wage_year, int) and wage_year not in out:
        r.fail(f"wage_growth.published.{wage_year}", f"missing table: the table's wage year {wage_year} must be among the "
                                                     "published medians ageing starts from")
    return dict(sorted(out.items()))


#: The coders' own BLS occupation: never shown as another career.
CODERS_SOC = "29-2072"


def _read_occupations(doc: dict[str, Any], r: _Reader, src: dict[str, Any], occupation: str) -> dict[str, Occupation]:
    """[occupations."SOC"]: other BLS occupations' national wages (optional)."""
    out: dict[str, Occupation] = {}
    for code, v in r.table(doc, "occupations", "", required=False).items():
        rp = f"occupations.{code}"
        if not re.fullmatch(r"\d\d-\d{4}", code) or not isinstance(v, dict):
            r.fail(rp, "must be a table named by a BLS SOC code, such as [occupations.\"43-1011\"]")
            continue
        related = r.boolean(v, "related", rp)
        if related and (code == CODERS_SOC or code in occupation):
            r.fail(f"{rp}.related", "the coders' own occupation cannot be a related career")
        out[code] = Occupation(code, r.text(v, "title", rp), r.text(v, "label", rp), r.distribution(v, rp),
                               r.integer(v, "employment", rp), related, r.source_ref(v, "source", rp, src))
    return out


def _read_roles(doc: dict[str, Any], r: _Reader, src: dict[str, Any], occupations: dict[str, Occupation]) -> dict[str, Any]:
    """[roles.*]: supervisor, manager, director: rank, years to the role, the BLS occupation it is priced from."""
    roles: dict[str, Role] = {}
    for key, ro, rp in r.entries(doc, "roles", ""):
        occ = r.text(ro, "occupation", rp)
        if occ and occ not in occupations:
            r.fail(f"occupations.{occ}", f"missing table: {rp} is priced from it ({rp}.occupation)")
        roles[key] = Role(key, r.text(ro, "label", rp), r.integer(ro, "steps_above_senior", rp, lo=1, hi=10),
                          r.integer(ro, "typical_years", rp, hi=60), r.source_ref(ro, "years_source", rp, src),
                          occ, r.positions(ro, rp), r.source_ref(ro, "positions_source", rp, src),
                          r.text(ro, "positions_basis", rp, required=False))
    for need in ("supervisor", "manager", "director"):
        if need not in roles:
            r.fail(f"roles.{need}", "missing table")
    by_steps = sorted(roles.values(), key=lambda ro: ro.steps_above_senior)
    for ra, rb in zip(by_steps, by_steps[1:]):
        if rb.typical_years < ra.typical_years:
            r.fail(f"roles.{rb.key}.typical_years", f"must not be below roles.{ra.key}.typical_years")
    return {"roles": roles}


def _read_credential_counts(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> dict[str, Any]:
    """[credential_count.N]: the premium of holding N credentials, 1, 2, 3 … without a gap, never falling."""
    counts: dict[int, CountMultiplier] = {}
    for key, cm in r.table(doc, "credential_count", "").items():
        cp = f"credential_count.{key}"
        if not key.isdigit() or int(key) < 1 or not isinstance(cm, dict):
            r.fail(cp, "keys must be credential counts 1, 2, 3 … holding a table")
            continue
        counts[int(key)] = CountMultiplier(int(key), r.number(cm, "multiplier", cp, lo=1, hi=10),
                                           r.source_ref(cm, "source", cp, src), r.text(cm, "basis", cp, required=False))
    if 1 not in counts:
        r.fail("credential_count.1", "missing table")
    ks = sorted(counts)
    for n0, n1 in zip(ks, ks[1:]):
        if n1 != n0 + 1:  # the largest count caps the premium; a gap would silently reuse a smaller count's
            r.fail(f"credential_count.{n0 + 1}", f"missing table (counts must run 1, 2, 3 … without a gap; next is {n1})")
        if counts[n1].multiplier < counts[n0].multiplier:
            r.fail(f"credential_count.{n1}.multiplier",
                   f"must not be below credential_count.{n0} (a credential never lowers pay)")
    return {"credential_counts": counts}


def _read_credentials(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> dict[str, Any]:
    """[credentials.*]: each credential, its costs, its own premium and its apprentice stage where published."""
    credentials: dict[str, Credential] = {}
    for code, c, cp in r.entries(doc, "credentials", ""):
        opt_int = {k: (r.integer(c, k, cp) if k in c else None)
                   for k in ("exam_fee", "first_year_membership", "yearly_membership", "apprentice_months",
                             "member_exam_fee", "two_attempt_exam_fee")}
        # cost_source: the memberships' source, and the exam fee's unless exam_fee_source names one (an
        # exam fee with neither is reported once, as a missing exam_fee_source)
        has_cost = any(k in c for k in ("first_year_membership", "yearly_membership"))
        credentials[code.upper()] = Credential(
            code=code.upper(), name=r.text(c, "name", cp), body=r.text(c, "body", cp),
            premium_note=r.text(c, "premium_note", cp, required=False),
            exam_fee=opt_int["exam_fee"], first_year_membership=opt_int["first_year_membership"],
            yearly_membership=opt_int["yearly_membership"],
            cost_source=r.source_ref(c, "cost_source", cp, src, required=has_cost) or None,
            cost_note=r.text(c, "cost_note", cp, required=False),
            apprentice_ratio=(r.number(c, "apprentice_ratio", cp, positive=True, hi=1) if "apprentice_ratio" in c else None),
            apprentice_source=r.source_ref(c, "apprentice_source", cp, src, required="apprentice_ratio" in c) or None,
            apprentice_basis=r.text(c, "apprentice_basis", cp, required=False),
            apprentice_months=opt_int["apprentice_months"],
            apprentice_months_source=r.source_ref(c, "apprentice_months_source", cp, src,
                                                  required="apprentice_months" in c) or None,
            premium=r.optional_number(c, "premium", cp, positive=True, hi=3),
            premium_source=r.source_ref(c, "premium_source", cp, src, required="premium" in c) or None,
            premium_basis=r.text(c, "premium_basis", cp, required=False),
            exam_fee_terms=r.text(c, "exam_fee_terms", cp, required=False),
            exam_fee_source=r.source_ref(c, "exam_fee_source", cp, src,
                                         required="exam_fee" in c and "cost_source" not in c) or None,
            member_exam_fee=opt_int["member_exam_fee"], two_attempt_exam_fee=opt_int["two_attempt_exam_fee"],
        )
    if not credentials:
        r.fail("credentials", "missing table")
    return {"credentials": credentials}


def _read_recognised_credentials(doc: dict[str, Any], r: _Reader, src: dict[str, Any],
                                 credentials: dict[str, Credential]) -> dict[str, Any]:
    """[recognised_credentials.*] (optional): credentials a payroll file may list that the model does not price."""
    recognised: dict[str, RecognisedCredential] = {}
    for code, c, cp in r.entries(doc, "recognised_credentials", "", required=False):
        if code.upper() in credentials:
            r.fail(cp, f"{code.upper()} is a priced credential ([credentials.{code.upper()}]); list it once")
        recognised[code.upper()] = RecognisedCredential(
            code.upper(), r.text(c, "name", cp), r.text(c, "body", cp), r.text(c, "note", cp),
            r.source_ref(c, "source", cp, src, required=False) or None)
    return {"recognised_credentials": recognised}


def _read_factors(doc: dict[str, Any], r: _Reader, src: dict[str, Any], key: str,
                  need: str) -> tuple[dict[str, Factor], dict[str, str]]:
    """[specialties.*] or [settings.*], and their names: `name_key` of every key and alias -> its entry
    (an alias that names two entries is a problem)."""
    out: dict[str, Factor] = {}
    names: dict[str, str] = {}
    for k, f, fp in r.entries(doc, key, ""):
        med = r.optional_number(f, "median", fp, positive=True)
        emp = r.optional_number(f, "employment", fp, integer=True)
        out[k] = Factor(k, r.text(f, "label", fp), r.number(f, "factor", fp, positive=True, hi=10),
                        r.source_ref(f, "source", fp, src), r.text(f, "basis", fp, required=False),
                        None if med is None else int(med), None if emp is None else int(emp),
                        r.optional_number(f, "employment_rse", fp, hi=100), r.optional_number(f, "wage_rse", fp, hi=100),
                        r.strings(f, "aliases", fp))
    for k in out:
        names[name_key(k)] = k
    for k, factor in out.items():
        for alias in factor.aliases:
            other = names.setdefault(name_key(alias), k)
            if other != k:
                r.fail(f"{key}.{k}.aliases", f"{alias!r} also names {key}.{other}; a name must mean one entry")
    if out and need not in out:
        r.fail(f"{key}.{need}", "missing table (the reference entry)")
    return out, names


def _read_ranges(doc: dict[str, Any], r: _Reader, src: dict[str, Any], key: str) -> dict[str, Range]:
    """[training.*]: dollar ranges, low <= high (optional sections)."""
    out: dict[str, Range] = {}
    for k, v, rp in r.entries(doc, key, "", required=False):
        before = len(r.problems)
        lo, hi = r.integer(v, "low", rp), r.integer(v, "high", rp)
        if len(r.problems) == before and lo > hi:
            r.fail(f"{rp}.low", f"low ({lo}) is above high ({hi})")
        out[k] = Range(k, r.text(v, "label", rp), lo, hi, r.source_ref(v, "source", rp, src))
    return out


def _read_work_year(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> dict[str, Any]:
    """[benefits]: work days (and hours) a year, and how far a payroll row's salary and hourly rate may disagree."""
    bn = r.table(doc, "benefits", "")
    work_days = r.integer(bn, "work_days_per_year", "benefits", lo=1, hi=366)
    work_days_source = r.source_ref(bn, "source", "benefits", src)
    hours = r.integer(bn, "hours_per_year", "benefits", lo=1, hi=8784) if "hours_per_year" in bn else None
    agreement = r.number(bn, "pay_agreement", "benefits", lo=0.0, hi=0.5) if "pay_agreement" in bn else 0.0
    # where the tolerance comes from (required with it: coder-pay's own figure is an assumption, and says so)
    r.source_ref(bn, "pay_agreement_source", "benefits", src, required="pay_agreement" in bn)
    return {"work_days_per_year": work_days, "work_days_source": work_days_source, "hours_per_year": hours,
            "hours_source": work_days_source if hours is not None else "", "pay_agreement": agreement}


_PROFILE_KEYS = frozenset({"state", "cert", "years", "level", "specialty", "setting", "remote"})


def _build_backtest(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> tuple[BacktestEntry, ...]:
    """[backtest.*]: optional; each entry a profile (inline table of estimate options) and a published level,
    ratio (with `versus`) or range (`low`/`high`)."""
    out: list[BacktestEntry] = []
    for key, b, bp in r.entries(doc, "backtest", "", required=False):
        profiles: list[dict[str, Any] | None] = []
        for name in ("profile", "versus"):
            v = b.get(name)
            if v is None and name == "versus":
                profiles.append(None)
                continue
            if not isinstance(v, dict) or set(v) - _PROFILE_KEYS:
                r.fail(f"{bp}.{name}", f"must be an inline table of {', '.join(sorted(_PROFILE_KEYS))}")
                v = {}
            profiles.append(dict(v))  # a plain dict: the records hold no reader state (they are cached)
        has_range = "low" in b or "high" in b
        before = len(r.problems)
        low, high = r.optional_number(b, "low", bp, positive=True), r.optional_number(b, "high", bp, positive=True)
        if ("low" in b) != ("high" in b):
            r.fail(f"{bp}.{'high' if 'low' in b else 'low'}", "missing (a range needs both low and high)")
        elif low is not None and high is not None and len(r.problems) == before and low > high:
            r.fail(f"{bp}.low", f"low ({low:g}) is above high ({high:g})")
        entry = BacktestEntry(
            key, r.text(b, "label", bp), profiles[0] or {}, r.source_ref(b, "source", bp, src),
            r.number(b, "tolerance", bp, positive=True, hi=1),
            r.text(b, "statistic", bp, required=False) or ("range" if has_range else "mean"),
            r.optional_number(b, "published", bp, positive=True), profiles[1],
            r.optional_number(b, "versus_published", bp, positive=True),
            low, high, r.boolean(b, "held", bp) if "held" in b else True, r.text(b, "note", bp, required=False))
        if has_range == (entry.published is not None) or (entry.versus is None) != (entry.versus_published is None):
            r.fail(bp, "needs either `published` (with `versus` and `versus_published` for a ratio) or `low` and `high`")
        stats = ("range",) if has_range else ("mean", "median")
        if entry.statistic not in stats:
            r.fail(f"{bp}.statistic", f"must be {' or '.join(repr(x) for x in stats)}, not {entry.statistic!r}")
        out.append(entry)
    return tuple(out)


def _build_tax(doc: dict[str, Any], r: _Reader, src: dict[str, Any]) -> TaxTable:
    t = r.table(doc, "tax", "")
    year = r.integer(t, "year", "tax", lo=1990, hi=2100)
    source = r.source_ref(t, "source", "tax", src)
    fed = r.table(t, "federal", "tax")
    fica = r.table(t, "fica", "tax")
    states: dict[str, StateTax] = {}
    for code, s, sp in r.entries(t, "states", "tax"):
        states[code] = _state_tax(r, code, s, sp)
    missing = sorted(USPS - set(states))
    if missing:
        r.fail("tax.states", f"every state and DC must be present; missing: {', '.join(missing)}")
    return TaxTable(
        year=year, source=source, federal_brackets=r.brackets(fed, "tax.federal"),
        federal_standard_deduction=r.number(fed, "standard_deduction", "tax.federal"),
        social_security_rate=r.number(fica, "social_security_rate", "tax.fica", hi=0.5),
        social_security_wage_base=r.number(fica, "social_security_wage_base", "tax.fica"),
        medicare_rate=r.number(fica, "medicare_rate", "tax.fica", hi=0.5),
        additional_medicare_rate=r.number(fica, "additional_medicare_rate", "tax.fica", hi=0.5),
        additional_medicare_threshold=r.number(fica, "additional_medicare_threshold", "tax.fica"),
        states=states, local=_local_taxes(r, t, src),
    )


def _schedule(r: _Reader, d: dict[str, Any], key: str, path: str, hi: float | None = None) -> tuple[tuple[float, float], ...]:
    """An optional [[income from, value], ...] list with rising income (absent: ())."""
    v = d.get(key)
    if v is None:
        return ()
    full = f"{path}.{key}"
    ok = isinstance(v, list) and v and all(
        isinstance(b, list) and len(b) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                    and math.isfinite(x) and x >= 0 for x in b) for b in v)
    if not ok:
        r.fail(full, f"must be a list of [income from, value] pairs of numbers of at least 0, not {v!r}"[:200])
        return ()
    out = tuple((float(a), float(b)) for a, b in v)
    if any(b[0] <= a[0] for a, b in zip(out, out[1:])):
        r.fail(full, "the incomes must rise")
    if hi is not None and any(x > hi for _, x in out):
        r.fail(full, f"values must be at most {hi:g}")
    return out


def _steps(r: _Reader, d: dict[str, Any], key: str, path: str) -> tuple[Steps, ...]:
    """`key = [[start, increment, amount, max], ...]` with `key_labels = [...]` beside it (absent: ())."""
    v = d.get(key)
    labels_key = key.removesuffix("s") + "_labels"
    labels = d.get(labels_key)
    if v is None and labels is None:
        return ()
    full = f"{path}.{key}"
    if v is None:
        r.fail(full, f"missing ({labels_key} names its entries)")
        return ()
    ok = isinstance(v, list) and all(
        isinstance(b, list) and len(b) == 4 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                    and math.isfinite(x) and x >= 0 for x in b) and b[1] > 0 for b in v)
    if not ok:
        r.fail(full, f"must be a list of [start, increment, amount, max] of numbers of at least 0 (increment above 0), "
                     f"not {v!r}"[:240])
        return ()
    if not (isinstance(labels, list) and len(labels) == len(v) and all(isinstance(x, str) and x.strip() for x in labels)):
        r.fail(f"{path}.{labels_key}", f"must be a list of {len(v)} names, one per entry of {key}")
        labels = [""] * len(v)
    return tuple(Steps(lb, float(a), float(i), float(m), float(mx)) for lb, (a, i, m, mx) in zip(labels, v))


def _left_out(r: _Reader, s: dict[str, Any], sp: str) -> tuple[LeftOut, ...]:
    """`left_out = ["...", ...]` with `left_out_above = [income, ...]` (0: at every income) beside it."""
    texts, above = s.get("left_out"), s.get("left_out_above")
    if texts is None and above is None:
        return ()
    if texts is None:
        r.fail(f"{sp}.left_out", "missing (left_out_above gives the incomes of its entries)")
        return ()
    if not isinstance(texts, list) or not all(isinstance(x, str) and x.strip() for x in texts):
        r.fail(f"{sp}.left_out", "must be a list of what the model leaves out, in words")
        return ()
    if not (isinstance(above, list) and len(above) == len(texts) and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x >= 0 for x in above)):
        r.fail(f"{sp}.left_out_above", f"must be a list of {len(texts)} incomes of at least 0 (0: at every income), "
                                        "one per entry of left_out")
        above = [0] * len(texts)
    return tuple(LeftOut(t, float(a) or None) for t, a in zip(texts, above))


_LOCAL_BASES = ("wages", "state_taxable_income", "state_tax", "flat")
_LOCAL_KINDS = ("city", "county", "occupational", "school_district", "metro")
_RULE_KEYS = ("base", "rates", "whole", "exemption", "per_year", "wage_threshold")


def _local_rule(r: _Reader, d: dict[str, Any], who: str, path: str) -> LocalRule | None:
    """The `<who>_*` keys of a jurisdiction (resident_base, resident_rates, ...): None when it has none."""
    if not any(f"{who}_{k}" in d for k in _RULE_KEYS):
        return None
    base = r.text(d, f"{who}_base", path)
    if base and base not in _LOCAL_BASES:
        r.fail(f"{path}.{who}_base", f"must be one of {', '.join(_LOCAL_BASES)}, not {base!r}")
    rates = _schedule(r, d, f"{who}_rates", path, hi=1)
    per_year = 0.0
    if base == "flat":
        per_year = r.number(d, f"{who}_per_year", path, positive=True)
    elif base and not rates and f"{who}_rates" not in d:
        r.fail(f"{path}.{who}_rates", "missing (a rate-based local tax needs [[floor, rate], ...])")
    whole = r.boolean(d, f"{who}_whole", path) if f"{who}_whole" in d else False
    return LocalRule(base, rates, whole, r.optional_number(d, f"{who}_exemption", path) or 0.0, per_year,
                     r.optional_number(d, f"{who}_wage_threshold", path) or 0.0,
                     r.text(d, f"{who}_basis", path, required=False))


def _local_taxes(r: _Reader, t: dict[str, Any], src: dict[str, Any]) -> dict[str, LocalJurisdiction]:
    """[tax.local.*]: optional; every jurisdiction with its matching keys and rules."""
    out: dict[str, LocalJurisdiction] = {}
    for key, d, p in r.entries(t, "local", "tax", required=False):
        state, kind = r.text(d, "state", p), r.text(d, "kind", p)
        if state and state not in USPS:
            r.fail(f"{p}.state", f"must be a state code, not {state!r}")
        if kind and kind not in _LOCAL_KINDS:
            r.fail(f"{p}.kind", f"must be one of {', '.join(_LOCAL_KINDS)}, not {kind!r}")
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("counties", "cities"):
            v = d.get(name)
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                r.fail(f"{p}.{name}", "missing" if v is None else "must be a list of names or codes (may be empty)")
                v = []
            lists[name] = tuple(v)
        for c in lists["counties"]:
            if not (len(c) == 5 and c.isdigit()):
                r.fail(f"{p}.counties", f"{c!r} is not a 5-digit county FIPS code")
        if not lists["counties"] and not lists["cities"] and "counties" in d and "cities" in d:
            r.fail(f"{p}.cities", "counties and cities are both empty: nothing would match this jurisdiction")
        res, non = _local_rule(r, d, "resident", p), _local_rule(r, d, "nonresident", p)
        if res is None and non is None:
            r.fail(f"{p}.resident_base", "missing: a jurisdiction needs a resident or a nonresident rule (or both)")
        out[key] = LocalJurisdiction(
            key, r.text(d, "name", p), state, kind, r.boolean(d, "work_based", p), lists["counties"], lists["cities"],
            res, non, r.source_ref(d, "source", p, src), r.text(d, "effective", p, required=False),
            r.text(d, "note", p, required=False))
    return out


def _state_tax(r: _Reader, code: str, s: dict[str, Any], sp: str) -> StateTax:
    def opt(key: str, **kw: Any) -> float | None:
        return r.number(s, key, sp, **kw) if key in s else None

    def pair(start_key: str, rate_key: str) -> tuple[float, float]:
        start, rate = opt(start_key), opt(rate_key, hi=1)
        if (start is None) != (rate is None):
            r.fail(f"{sp}.{rate_key if rate is None else start_key}",
                   f"{start_key} and {rate_key} go together; give both or neither")
        return start or 0.0, rate or 0.0

    misstate = r.boolean(s, "brackets_misstate", sp)
    note = r.text(s, "note", sp, required=False)
    caveat = r.text(s, "caveat", sp, required=False)
    if misstate and not (caveat.strip() or note.strip()):
        r.fail(f"{sp}.note", "is missing or empty, but brackets_misstate is true: a note (or a caveat) must say what the "
                                "brackets misstate")
    credit_start, credit_rate = pair("credit_phaseout_start", "credit_phaseout_rate")
    if "deduction_phaseout_width" in s:
        ded_start, ded_rate = r.number(s, "deduction_phaseout_start", sp), 0.0
    elif "deduction_phaseout_start" in s and "deduction_phaseout_rate" not in s:
        for k in ("deduction_phaseout_rate", "deduction_phaseout_width"):
            r.fail(f"{sp}.{k}", "missing: deduction_phaseout_start and deduction_phaseout_rate (or _width) go together")
        ded_start, ded_rate = 0.0, 0.0
    else:
        ded_start, ded_rate = pair("deduction_phaseout_start", "deduction_phaseout_rate")
    red_keys = ("exemption_reduction_start", "exemption_reduction_increment", "exemption_reduction_amount")
    red = None
    if any(k in s for k in red_keys):
        for k in red_keys:
            if k not in s:
                r.fail(f"{sp}.{k}", f"missing: {', '.join(red_keys)} go together")
        red = Steps("", opt(red_keys[0]) or 0.0, opt(red_keys[1], positive=True) or 1.0, opt(red_keys[2]) or 0.0)
    left = _left_out(r, s, sp)
    if misstate != bool(left) and left:
        r.fail(f"{sp}.brackets_misstate", "must be true when left_out names what the model leaves out")
    return StateTax(
        code, r.brackets(s, sp), r.number(s, "standard_deduction", sp), r.number(s, "personal_exemption", sp),
        misstate, note, caveat=caveat, credit=opt("credit") or 0.0, credit_income_limit=opt("credit_income_limit"),
        credit_phaseout_start=credit_start, credit_phaseout_rate=credit_rate,
        deduction_phaseout_start=ded_start, deduction_phaseout_rate=ded_rate,
        exemption_income_limit=opt("exemption_income_limit"), basis=r.text(s, "basis", sp, required=False),
        exemption_schedule=_schedule(r, s, "exemption_schedule", sp),
        exemption_reduction=red,
        credit_taxable_income_below=opt("credit_taxable_income_below"),
        federal_tax_deduction_rates=_schedule(r, s, "federal_tax_deduction_rates", sp, hi=1),
        federal_tax_deduction_caps=_schedule(r, s, "federal_tax_deduction_caps", sp),
        deduction_minimum=opt("deduction_minimum"), deduction_minimum_above=opt("deduction_minimum_above") or 0.0,
        deduction_phaseout_width=opt("deduction_phaseout_width", positive=True) or 0.0,
        tax_add_backs=_steps(r, s, "tax_add_backs", sp),
        credit_fraction_schedule=_schedule(r, s, "credit_fraction_schedule", sp, hi=1),
        fica_deduction_cap=opt("fica_deduction_cap"), refundable_credit=opt("refundable_credit") or 0.0,
        refundable_credit_label=r.text(s, "refundable_credit_label", sp, required=False),
        law_sources=r.text(s, "law_sources", sp, required=False), left_out=left,
        local_gap=r.text(s, "local_gap", sp, required=False),
    )
