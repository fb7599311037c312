"""Tables that fit the terminal: columns that give way in order (`fitted_table`, `FitTable`), bars and
sparklines. Rich is imported inside the functions that draw."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console


from .console import UNICODE, Glyphs


def bar(value: float, top: float, width: int = 20, g: Glyphs = UNICODE) -> str:
    """A horizontal bar `width` cells long at `top`, with eighth-cell resolution, starting from zero."""
    if top <= 0 or value <= 0:
        return ""
    cells = max(0.0, min(1.0, value / top)) * width
    full = int(cells)
    part = g.eighths[int((cells - full) * 8)] if full < width else ""
    return (g.full * full + part).rstrip()



class Col(NamedTuple):
    """A column of `fitted_table`: its header and cells, and how it may give way on a narrow terminal."""

    header: str
    cells: list[str]
    justify: str = "right"
    text: bool = False  # words that may wrap (a name, a role); figures keep their width while anything else can give
    drop: int = 0  # 0: always shown; 1, 2, ...: left out, lowest first, when nothing else makes the table fit
    short: list[str] | None = None  # shorter cells (a state's code without its name), used before leaving anything out
    short_header: str | None = None



class Fitted(NamedTuple):
    table: Any  # the Rich table
    dropped: list[str]  # headers of the columns left out
    bar_width: int = 0  # 0: no bar drawn



def _widest_line(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(ln) for ln in text.split("\n")), default=0)



def _widest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for w in text.split()), default=0)



def fitted_table(width: int, cols: list[Col], *, draw_bar: Any = None, bar_at: int | None = None, bar_most: int = 16,
                 bar_least: int = 5, styles: list[str | None] | None = None, **table_kw: Any) -> Fitted:
    """A Rich table of `cols` at most `width` cells wide (the default box: 3 cells a column and 1) in which no
    cell is cut. `draw_bar(n)` gives the cells of a bar column n cells wide, placed before column `bar_at` (default:
    last), drawn `bar_least` to `bar_most` cells wide when there is room and left out first otherwise."""
    from rich.table import Table as RTable

    levels = sorted({c.drop for c in cols if c.drop})
    choice: tuple[list[Col], list[int], int, bool] | None = None
    for k in range(len(levels) + 1):
        kept = [c for c in cols if not c.drop or c.drop > (levels[k - 1] if k else 0)]
        for short in (False, True):
            if short and not any(c.short for c in kept):
                continue
            cells = [c.short if short and c.short else c.cells for c in kept]
            heads = [(c.short_header or c.header) if short and c.short else c.header for c in kept]
            if table_kw.get("show_header") is False:
                heads = ["" for _ in kept]
            natural = [max([_widest_line(h), *map(_widest_line, cs)]) for h, cs in zip(heads, cells)]
            headed = [max([_widest_word(h), *map(_widest_line, cs)]) for h, cs in zip(heads, cells)]
            least = [max([_widest_word(h), *map(_widest_word, cs)]) for h, cs in zip(heads, cells)]
            text_least = [lw if c.text else hw for c, lw, hw in zip(kept, least, headed)]
            overhead = 3 * len(kept) + 1
            tries = [natural, headed, text_least, least] if not short else [headed, text_least, least]
            for i, lo in enumerate(tries):
                room = width - overhead - sum(lo)
                if draw_bar is not None and k == 0 and not short and i == 0 and room - 3 >= bar_least:
                    choice = (kept, natural, min(bar_most, room - 3), short)
                    break
                if room >= 0:
                    # give what is left back, up to the natural width, to the columns that gave way: those
                    # that need least first, so that as many as possible are whole again
                    widths = list(lo)
                    for j in sorted(range(len(kept)), key=lambda j: natural[j] - lo[j]):
                        add = min(natural[j] - widths[j], room)
                        widths[j] += add
                        room -= add
                    choice = (kept, widths, 0, short)
                    break
            if choice is not None:
                break
        if choice is not None:
            break
    if choice is None:  # nothing fits: every optional column out, the rest as narrow as their words (Rich folds)
        kept = [c for c in cols if not c.drop]
        choice = (kept, [max([_widest_word(c.header), *map(_widest_word, c.cells)]) for c in kept], 0, False)
    kept, widths, bar_cells, short = choice
    t = RTable(**table_kw)
    ids = {id(c) for c in kept}
    at = len(kept) if bar_at is None else sum(1 for c in cols[:bar_at] if id(c) in ids)
    for i, (c, w) in enumerate(zip(kept, widths)):
        if bar_cells and i == at:
            t.add_column("", width=bar_cells, no_wrap=True)
        head = (c.short_header or c.header) if short and c.short else c.header
        t.add_column(head, justify=c.justify, width=w, overflow="fold")  # type: ignore[arg-type]
    if bar_cells and at == len(kept):
        t.add_column("", width=bar_cells, no_wrap=True)
    bars = draw_bar(bar_cells) if bar_cells else None
    rows = len(cols[0].cells) if cols else 0
    for r in range(rows):
        row = [(c.short if short and c.short else c.cells)[r] for c in kept]
        if bars is not None:
            row.insert(at, bars[r])
        t.add_row(*row, style=styles[r] if styles else None)
    return Fitted(t, [c.header.replace("\n", " ") for c in cols if id(c) not in ids], bar_cells)



class FitTable:
    """Built like a Rich table (add_column, add_row); `fit(width)` makes the Rich table with `fitted_table`, so
    no cell is cut. A left-justified column is text that may wrap; a right-justified one holds figures."""

    def __init__(self, **table_kw: Any):
        self.table_kw = table_kw
        self.heads: list[tuple[str, str, int]] = []
        self.rows: list[list[str]] = []
        self.styles: list[str | None] = []

    def add_column(self, header: str = "", justify: str = "left", drop: int = 0) -> None:
        """`drop`: as Col.drop (0: always shown; 1, 2, ...: left out, lowest first, when the table cannot fit)."""
        self.heads.append((header, justify, drop))

    def add_row(self, *cells: str, style: str | None = None) -> None:
        self.rows.append(list(cells))
        self.styles.append(style)

    def fitted(self, width: int) -> Fitted:
        cols = [Col(h, [row[i] for row in self.rows], j, text=j == "left", drop=d) for i, (h, j, d) in enumerate(self.heads)]
        return fitted_table(width, cols, styles=self.styles, **self.table_kw)

    def fit(self, width: int) -> Any:
        return self.fitted(width).table



def print_dropped(out: Console, dropped: list[str]) -> None:
    if dropped:
        out.print(f"Not shown at {out.width} columns: {', '.join(dropped)}. A wider terminal shows every column, "
                  f"and so does --format csv.", markup=False)



def sparkline(values: list[float], g: Glyphs = UNICODE) -> str:
    """One character per value, scaled from the smallest to the largest."""
    ticks = g.ticks
    lo, hi = min(values), max(values)
    if hi <= lo:
        return ticks[3] * len(values)
    return "".join(ticks[min(7, int((v - lo) / (hi - lo) * 7 + 0.5))] for v in values)
