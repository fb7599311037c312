"""The commands that price a profile: estimate, take-home, states, compare, certs, career, offer.

Each parses its own options, takes the profile options through `options.with_profile`, calls the core
and hands the result to a renderer (render/) or a document (documents.py). No business rules here.
"""

from typing import Any, Optional

import typer

from .complete import complete_add_cert, complete_area, complete_sort, complete_state
from .options import Output, Profile, output_options, profile_options, with_options
from .runtime import app, emit, get_table, run, warn, with_notes, write_json


@app.command()
@with_options
def estimate(
    ctx: typer.Context,
    profile: Profile = profile_options(),
    output: Output = output_options(after_tax=True, explain=True),
) -> None:
    """Estimate a salary band (low / typical / high) and its cost-of-living-adjusted value."""
    from coder_pay.model import estimate as run_estimate

    def work() -> Any:
        table = get_table(ctx)
        q = profile.query(table, territory=not output.after_tax)  # a territory's area: its band, no tax there
        est = run_estimate(table, q)
        if not output.after_tax:
            return table, est, None
        from coder_pay.tax import after_tax_band, local_places

        work, home = local_places(table, est.query)
        return table, est, after_tax_band(table, est, work=work, home=home)

    table, est, at = run(output.json, work)
    if output.json:
        from coder_pay.documents import estimate_doc

        doc = estimate_doc(table, est)
        if at is not None:
            from coder_pay.documents import after_tax_doc

            doc["after_tax"] = after_tax_doc(table, at)
        write_json(doc)
    else:
        from coder_pay.render import print_estimate

        print_estimate(table, est, after_tax=at, explain=output.explain)


# ---- commands: take-home

TAX_STATE_HELP = ("State you live in (USPS code or name): its income tax applies. Without it: federal tax only, no "
                  "state income tax (said so).")


@app.command("take-home")
@with_options
def take_home_cmd(
    ctx: typer.Context,
    salary: str = typer.Argument(..., metavar="SALARY", help="Gross salary: yearly (65000, 65,000, 65k, $65k) or "
                                                            "hourly (24.50/h: x the table's {hours_per_year} hours a year)."),
    profile: Profile = profile_options(only=("state", "area", "zip", "home", "col"), helps={"state": TAX_STATE_HELP}),
    output: Output = output_options(explain=True),
) -> None:
    """Take-home pay on a salary: each tax line, the effective rate, and what it buys (2025 tax, single filer)."""
    from coder_pay.query import build_take_home_query, parse_salary_text
    from coder_pay.tax import take_home_report

    def work() -> Any:
        parse_salary_text(salary, "SALARY")  # a malformed salary is a usage error before the table is read
        table = get_table(ctx)
        q = build_take_home_query(table, salary=salary, **profile.values)
        from coder_pay.tax import local_places

        work, home = local_places(table, q)
        return table, take_home_report(table, q, work=work, home=home)

    table, rep = run(output.json, work)
    warn(rep.query.notes, output.json)
    if output.json:
        from coder_pay.documents import take_home_doc

        write_json(take_home_doc(table, rep))
    else:
        from coder_pay.render import print_take_home

        print_take_home(table, rep, explain=output.explain)


# ---- commands: states, compare, certs, career, offer

SortOpt = typer.Option("pay", "--sort", help="pay (default, highest first), adjusted (highest first), "
                                             "price (cheapest first) or name. With --after-tax, pay and "
                                             "adjusted rank on take-home.", autocompletion=complete_sort)
TopOpt = typer.Option(None, "--top", metavar="N", help="Show only the first N states of the ranking.")
StatesOpt = typer.Option([], "--state", "-s", help="A state to compare (repeat: --state CA --state TX).",
                         autocompletion=complete_state)
AreasOpt = typer.Option([], "--area", "-a", metavar="PLACE", help="A city, metro, county or nonmetro area to compare "
                                                                   "(repeat; with or beside --state): --area Seattle "
                                                                   "--area Boise.", autocompletion=complete_area)
OffersOpt = typer.Option([], "--offer", "-o", metavar="PLACE:SALARY",
                         help="An offer to compare (repeat): CA:65000, TX:50k, 'New York:$70,000', Seattle:60000, "
                              "'Austin, TX:58k'; with its own setting and remote flag: OH:27/h:insurance:remote.")


@app.command()
@with_options
def states(
    ctx: typer.Context,
    profile: Profile = profile_options(without=("state", "area", "zip")),
    sort: str = SortOpt,
    top: Optional[int] = TopOpt,  # noqa: UP045
    output: Output = output_options(after_tax=True, explain=True, fmt=True),
) -> None:
    """Every state + DC ranked: typical pay, band, price level and cost-of-living-adjusted pay."""
    from coder_pay.decide import states_table
    from coder_pay.documents import states_doc
    from coder_pay.query import STATE_SORTS, check_count, resolve_choice

    def work() -> Any:
        out = output.format()
        key = resolve_choice(sort, STATE_SORTS, "sort", "--sort")
        n = check_count(top, "--top", lo=1)
        table = get_table(ctx)
        q = profile.query(table)
        return out, table, states_table(table, q, key, n, after_tax=output.after_tax)

    out, table, res = run(output.json_wanted, work)
    emit(out, table, res, states_doc, "print_states", explain=output.explain)


@app.command()
@with_options
def areas(
    ctx: typer.Context,
    state: Optional[str] = typer.Option(None, "--state", "-s", help="Only the areas in this state (a metro across "  # noqa: UP045
                                                                    "states is listed under each).",
                                        autocompletion=complete_state),
    profile: Profile = profile_options(without=("state", "area", "zip")),
    sort: str = SortOpt,
    top: Optional[int] = typer.Option(None, "--top", metavar="N", help="Show only the first N areas of the ranking."),  # noqa: UP045
    output: Output = output_options(after_tax=True, explain=True, fmt=True),
) -> None:
    """Metro and nonmetro areas ranked: typical pay, band, price level and cost-of-living-adjusted pay (the 91 metros
    and 132 nonmetro areas with published BLS wages)."""
    from coder_pay.decide import areas_table
    from coder_pay.documents import states_doc
    from coder_pay.query import STATE_SORTS, check_count, resolve_choice, resolve_state

    def work() -> Any:
        out = output.format()
        key = resolve_choice(sort, STATE_SORTS, "sort", "--sort")
        n = check_count(top, "--top", lo=1)
        table = get_table(ctx)
        within = resolve_state(table, state) if state is not None else None
        q = profile.query(table)
        return out, table, areas_table(table, q, key, n, within, after_tax=output.after_tax)

    out, table, res = run(output.json_wanted, work)
    emit(out, table, res, states_doc, "print_states", explain=output.explain)


@app.command()
@with_options
def compare(
    ctx: typer.Context,
    state: list[str] = StatesOpt,
    area: list[str] = AreasOpt,
    offer: list[str] = OffersOpt,
    profile: Profile = profile_options(without=("state", "area", "zip")),
    output: Output = output_options(after_tax=True, explain=True, fmt=True),
) -> None:
    """Compare states or places (--state, --area: two or more) or job offers (--offer PLACE:SALARY) side by side."""
    from coder_pay.decide import compare_offers, compare_states
    from coder_pay.documents import compare_doc
    from coder_pay.query import UsageError, parse_offer, resolve_state

    def work() -> Any:
        out = output.format()
        if (state or area) and offer:
            raise UsageError("conflicting_options", "give --state / --area (compare places) or --offer (compare "
                                                    "offers), not both.", "state")
        if not state and not area and not offer:
            raise UsageError("missing_option", "give two or more --state or --area, or one or more --offer "
                                               "PLACE:SALARY.", "state")
        table = get_table(ctx)
        q = profile.query(table)
        if offer:
            offers = [parse_offer(table, o) for o in offer]
            return (out, table, compare_offers(table, q, [(o.where, o.salary, o.setting, o.remote) for o in offers],
                                               after_tax=output.after_tax),
                    [n for o in offers for n in o.notes])
        places: list[Any] = list(dict.fromkeys(resolve_state(table, s) for s in state))
        if area:
            from coder_pay.places import resolve_area

            seen = set(places)
            for a in area:
                loc = resolve_area(table, a)
                key = loc.code if loc.kind != "state" else loc.state
                if key not in seen:
                    seen.add(key)
                    places.append(loc if loc.kind != "state" else loc.state)
        if len(places) == 1 and q.home_place is not None and q.home_place not in places:
            places.append(q.home_area if q.home_area is not None else q.home)  # one place and --home: compare with home
        if len(places) < 2:
            raise UsageError("missing_option", "compare needs two or more different --state or --area (or one and "
                                               "a different --home).", "state")
        return out, table, compare_states(table, q, places, after_tax=output.after_tax), []

    out, table, res, notes = run(output.json_wanted, work)
    emit(out, table, res, compare_doc, "print_compare", notes, explain=output.explain)


@app.command()
@with_options
def certs(
    ctx: typer.Context,
    profile: Profile = profile_options(),
    output: Output = output_options(fmt=True),
) -> None:
    """What each credential adds to pay, what it costs, and when it pays back."""
    from coder_pay.decide import cert_payback
    from coder_pay.documents import certs_doc

    def work() -> Any:
        out = output.format()
        table = get_table(ctx)
        q = profile.query(table)
        return out, table, cert_payback(table, q)

    out, table, res = run(output.json_wanted, work)
    emit(out, table, res, certs_doc, "print_certs")


@app.command()
@with_options
def career(
    ctx: typer.Context,
    years: Optional[int] = typer.Option(None, "--years", "-y", metavar="N",  # noqa: UP045
                                        help="Years of experience at the start, 0-50 (default 0), as in every command."),
    experience: Optional[int] = typer.Option(None, "--experience", "-e", metavar="N",  # noqa: UP045
                                             help="Another name for --years."),
    span: Optional[int] = typer.Option(None, "--span", metavar="N",  # noqa: UP045
                                       help="Years to project, 1-50 (default 10)."),
    until: Optional[int] = typer.Option(None, "--until", metavar="YEAR",  # noqa: UP045
                                        help="Project up to this calendar year (instead of --span)."),
    raise_text: Optional[str] = typer.Option(None, "--raise", metavar="RATE",  # noqa: UP045
                                             help="Yearly raise: 0.03 or 3%. Default: the table's wage growth."),
    add_cert: list[str] = typer.Option([], "--add-cert", metavar="CODE@YEAR",
                                       help="Add a credential from that projection year on (repeat): CPC@2.",
                                       autocompletion=complete_add_cert),
    ladder: bool = typer.Option(False, "--ladder",
                                help="Promote along the ladder (supervisor, manager, director), each role priced from "
                                     "BLS figures; by default a coder stays a coder."),
    profile: Profile = profile_options(without=("years", "level")),
    output: Output = output_options(fmt=True),
) -> None:
    """Year by year from this year: role, salary and a chart over --span N years (default 10), from --years E of
    experience.

    Until the next release, the old spelling `--years N --experience E` (N years from E) still
    works, with a warning."""
    from coder_pay.decide import career_path
    from coder_pay.documents import career_doc
    from coder_pay.query import career_span, parse_add_cert, parse_rate

    def work() -> Any:
        out = output.format()
        table = get_table(ctx)
        cs = career_span(table, years=years, experience=experience, span=span, until=until, as_of=profile["as_of"])
        rate = parse_rate(raise_text, "--raise") if raise_text is not None else None
        q = profile.query(table)
        added: list[tuple[str, int]] = []
        for text in add_cert:
            added.append(parse_add_cert(table, text, cs.span, list(q.credentials) + [c for c, _ in added]))
        return out, table, career_path(table, q, span=cs.span, start_experience=cs.start, raise_rate=rate,
                                       added=tuple(added), ladder=ladder), cs.notes

    out, table, res, notes = run(output.json_wanted, work)
    emit(out, table, res, career_doc, "print_career", notes)


@app.command()
@with_options
def offer(
    ctx: typer.Context,
    salary: str = typer.Argument(..., metavar="SALARY", help="Salary offered: yearly (52000, 52,000, 52k, $52k) or "
                                                            "hourly (24.50/h: x the table's {hours_per_year} hours a year)."),
    profile: Profile = profile_options(),
    match: Optional[str] = typer.Option(None, "--match", metavar="PCT",  # noqa: UP045
                                        help="Benefits: employer 401(k) match, percent of salary."),
    health: Optional[str] = typer.Option(None, "--health", metavar="DOLLARS",  # noqa: UP045
                                         help="Benefits: health premium the employer pays, dollars a year."),
    pto: Optional[int] = typer.Option(None, "--pto", metavar="DAYS", help="Benefits: paid days off a year."),  # noqa: UP045
    bonus: Optional[str] = typer.Option(None, "--bonus", metavar="PCT",  # noqa: UP045
                                        help="Benefits: yearly bonus, percent of salary."),
    output: Output = output_options(after_tax=True, explain=True),
) -> None:
    """Is this offer fair? Its percentile, a verdict, the market band and a counter-offer target."""
    from coder_pay.decide import Benefits, offer_check
    from coder_pay.documents import offer_doc
    from coder_pay.query import check_count, parse_money, parse_percent, parse_salary_text, read_salary

    def work() -> Any:
        parse_salary_text(salary, "SALARY")  # a malformed salary is a usage error before the table is read
        table = get_table(ctx)
        pay = read_salary(table, salary, "SALARY", positive=True)
        q = profile.query(table)
        b = Benefits(
            match_pct=parse_percent(match, "--match") if match is not None else None,
            health=parse_money(health, "--health", allow_zero=True) if health is not None else None,
            pto_days=check_count(pto, "--pto", lo=0, hi=table.work_days_per_year),
            bonus_pct=parse_percent(bonus, "--bonus", hi=1000) if bonus is not None else None,
        )
        res = offer_check(table, q, pay.dollars, b, after_tax=output.after_tax)
        return table, b, res, pay.notes

    table, b, res, notes = run(output.json, work)
    warn(notes, output.json)
    if output.json:
        write_json(with_notes(offer_doc(table, res, b), notes))
    else:
        from coder_pay.render import print_offer

        print_offer(table, res, explain=output.explain)

