"""Shell completion: the values offered for --state/--home, --cert, --level, --specialty, --setting, --col,
--sort and --add-cert. Each reads the table in use (--data, $CODER_PAY_DATA) and never fails loudly."""

from typing import Any

import typer

from coder_pay.table import Table, load_table


def _completion_table(ctx: Any) -> Table | None:
    """The table for completing values (honours --data and $CODER_PAY_DATA); None if it cannot be read."""
    try:
        root = ctx.find_root() if ctx is not None else None
        data = root.params.get("data") if root is not None else None
        return load_table(data)
    except Exception:  # completion must never fail loudly
        return None


def _matching(typed: str, choices: dict[str, str]) -> list[tuple[str, str]]:
    """(value, help) for the choices that start with what was typed, in any case, offered in the case
    typed ('c' -> 'ca', 'C' -> 'CA'): the shell only offers values that start with the typed text, and
    every value here is accepted in any case."""
    low = typed.lower()
    out = []
    for value, help_ in choices.items():
        if not value.lower().startswith(low):
            continue
        if not value.startswith(typed):
            value = value.lower() if typed == low else value.upper() if typed == typed.upper() else typed + value[len(typed):]
        out.append((value, help_))
    return out


def complete_state(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """USPS codes, with the state's name as help."""
    table = _completion_table(ctx)
    return [] if table is None else _matching(incomplete, {c: st.name for c, st in sorted(table.states.items())})


def complete_cert(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Credential codes; in a comma list ('CPC,cc') the last item is completed."""
    table = _completion_table(ctx)
    if table is None:
        return []
    head, sep, last = incomplete.rpartition(",")
    chosen = {c.strip().upper() for c in head.split(",")}
    left = {c: cr.name for c, cr in table.credentials.items() if c not in chosen}
    return [(head + sep + v, h) for v, h in _matching(last, left)]


def complete_level(incomplete: str) -> list[tuple[str, str]]:
    from coder_pay.query import LEVELS

    return _matching(incomplete, {lv: "" for lv in LEVELS})


def complete_specialty(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    table = _completion_table(ctx)
    return [] if table is None else _matching(incomplete, {k: f.label for k, f in table.specialties.items()})


def complete_setting(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    table = _completion_table(ctx)
    return [] if table is None else _matching(incomplete, {k: f.label for k, f in table.settings.items()})


def complete_col(incomplete: str) -> list[tuple[str, str]]:
    from coder_pay.query import COL_BASES

    return _matching(incomplete, {k: "" for k in COL_BASES})


def complete_sort(incomplete: str) -> list[tuple[str, str]]:
    from coder_pay.query import STATE_SORTS

    return _matching(incomplete, {k: "" for k in STATE_SORTS})


def complete_add_cert(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """CODE@YEAR: the credential codes with '@' (so the shell adds no space), then the projection years."""
    table = _completion_table(ctx)
    if table is None:
        return []
    code, at, year = incomplete.partition("@")
    names = {c: cr.name for c, cr in table.credentials.items()}
    if not at:
        codes = _matching(code, names)
        if len(codes) != 1:
            return [(v + "@", h) for v, h in codes]
        code = codes[0][0]  # one credential left: offer its years (several values: the shell adds no space)
    elif code.upper() not in names:
        return []
    try:
        span = int(getattr(ctx, "params", {}).get("span") or 10)
    except (TypeError, ValueError):
        span = 10
    return [(f"{code}@{y}", f"{names[code.upper()]} from projection year {y}")
            for y in range(0, max(span, 1) + 1) if str(y).startswith(year)]



def complete_area(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Place names: principal cities with their state ("Seattle, WA"), metro titles and nonmetro areas, with the
    place they are priced as for help (at most 50, for a shell to list)."""
    table = _completion_table(ctx)
    if table is None:
        return []
    try:
        from coder_pay.places import load_places

        places = load_places(table)
    except Exception:  # completion must never fail loudly
        return []
    low = incomplete.lower()
    seen: dict[str, str] = {}
    for names in places.names.values():
        for n in names:
            if n.label.lower().startswith(low) and n.label not in seen:
                pl = places.get(n.code)
                seen[n.label] = pl.name if pl is not None and pl.name != n.label else ""
    return sorted(seen.items())[:50]


def complete_home(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """--home: a state's code, or a place's name."""
    return complete_state(ctx, incomplete) + complete_area(ctx, incomplete)
