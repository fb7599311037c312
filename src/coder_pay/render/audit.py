"""The printer for `audit`: salaries against their market by group, the total, and the people furthest below
market. Rich is imported inside the functions that draw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coder_pay.table import Table

if TYPE_CHECKING:  # pragma: no cover
    from coder_pay.pay_audit import AuditReport, GroupFigures

from .console import console
from .fit import Col, fitted_table, print_dropped
from .words import money


def _m(x: int | None) -> str:
    return "-" if x is None else money(x)


def print_audit(table: Table, rep: AuditReport) -> None:
    """The audit as tables that fit the terminal."""
    out = console()
    groups: list[GroupFigures] = [*rep.groups, rep.total]
    label = {"state": "State", "area": "Area", "setting": "Setting", "level": "Level"}.get(rep.by, rep.by)
    t = rep.total
    what = label.lower() if rep.by in ("state", "area", "setting", "level") else label
    out.print(f"Pay audit: {t.count:,} salaries against their market, by {what}", style="bold", markup=False)
    cols = [
        Col(label, [g.value if g is not rep.total else "All" for g in groups], "left", text=True),
        Col("People", [f"{g.count:,}" for g in groups]),
        Col("Median\nsalary", [_m(g.median_salary) for g in groups]),
        Col("Median\nmarket", [_m(g.median_typical) for g in groups]),
        Col("Below\nlow", [f"{g.below_low:,}" for g in groups]),
        Col("Below\ntypical", [f"{g.below_typical:,}" for g in groups]),
        Col("To low\n/year", [money(g.cost_to_low) for g in groups]),
        Col("To typical\n/year", [money(g.cost_to_typical) for g in groups], drop=2),
        Col("No pay", [f"{g.without_salary:,}" if g.without_salary else "" for g in groups], drop=1),
        Col("Failed", [f"{g.failed:,}" if g.failed else "" for g in groups], drop=1),
    ]
    fit = fitted_table(out.width, cols, styles=[None] * len(rep.groups) + ["bold"])
    out.print(fit.table)
    print_dropped(out, fit.dropped)
    out.print("Median market: the median of each person's typical pay for their profile (the middle of their band); "
              "below low: under the band's low (p25). To low / to typical: a year's cost of raising everyone below "
              "up to it.", markup=False)
    if rep.furthest:
        ids = list(rep.furthest[0].kept or {})
        rows = rep.furthest
        fcols = [Col("Row", [str(b.row) for b in rows])]
        fcols += [Col(k, [str((b.kept or {}).get(k, "")) for b in rows], "left", text=True) for k in ids]
        fcols += [
            Col(label, [b.group for b in rows], "left", text=True, drop=2),
            Col("Salary", [money(b.salary) for b in rows]),
            Col("Typical", [money(b.typical) for b in rows]),
            Col("Gap", [money(b.gap) for b in rows]),
            Col("Salary /\ntypical", [f"{b.ratio:.0%}" for b in rows]),
            Col("Position", [_position(b.percentile, b.beyond) for b in rows], drop=1),
        ]
        out.print()
        out.print(f"Furthest below market ({len(rows)}):", style="bold", markup=False)
        fit = fitted_table(out.width, fcols)
        out.print(fit.table)
        print_dropped(out, fit.dropped)
    accounted = rep.rows_doc()
    skipped = [f"{accounted[k]:,} {what}" for k, what in (("blank", "blank"), ("repeated_header", "repeated header"))
               if accounted[k]]
    out.print(f"Rows read: {accounted['read']:,} ({accounted['compared']:,} compared, {accounted['without_salary']:,} "
              f"without pay, {accounted['failed']:,} failed" + (f", {', '.join(skipped)} skipped" if skipped else "")
              + ").", markup=False)
    for note in rep.notes:
        out.print(f"Note: {note}", markup=False)
    from coder_pay.documents import audit_vintage

    out.print(audit_vintage(table).text(), style="dim", markup=False)


def _position(p: float | None, beyond: str | None) -> str:
    from coder_pay.documents import position

    return position(p, beyond) or "-"
