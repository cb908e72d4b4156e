"""Charts drawn once on the server as SVG with matplotlib, from a presenters.Table whose
cells are already suppressed, so the page and the PDF show the same picture and no chart
tells more than its table (docs/reporting.md, "Charts and exports").

- The same table gives the same bytes: a fixed `svg.hashsalt` (the ids matplotlib makes up),
  no date in the metadata, and a fixed `svg.id`.
- `svg.fonttype` is "none": text stays text (written XML-escaped by matplotlib, selectable,
  small), drawn in the reader's sans-serif font, rather than each glyph as a path.
- Sized for A4: 16 cm wide (the text width of an A4 page with 2.5 cm margins), 9 pt text.
- Series are told apart without colour: hatching on bars, markers and dashes on lines, with
  the Okabe-Ito colours that stay distinct to colour-blind readers; bars carry their values.
- A cell that is not a number (fewer than 5, hidden, not recorded) draws nothing: no bar, no
  point. The chart marks the place with its words, and the text alternative says so.
- Text that people typed (code-list names) is never read as mathematics (`text.parse_math`
  off), so a "$" stays a "$".
- matplotlib is imported by the functions that draw, so a page with no chart never loads it.
"""

import base64
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache

from pps.disclosure import FEWER_THAN_5
from reports.presenters import Table

# Okabe & Ito's colour-blind-safe palette, dark enough against white for text and lines.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))

WIDTH_INCHES = 16 / 2.54
STYLE = {
    "svg.hashsalt": "pps",
    "svg.id": "chart",
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.color": "white",
    "hatch.linewidth": 1.0,
}
# A highlighted bar (the reader's own service among others): black with cross-hatching,
# apart from every series' colour and hatching.
HIGHLIGHT_COLOUR = "#000000"
HIGHLIGHT_HATCH = "xx"
# How a cell with no bar or point is marked on the chart itself.
MARKS = {FEWER_THAN_5: "<5"}

_PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")


@dataclass(frozen=True)
class Chart:
    title: str
    # The text alternative: what the chart shows, in a sentence or two.
    alt: str
    # The SVG document, the same bytes for the same table.
    svg: str
    # Its data table, shown beside it.
    table: Table

    @property
    def data_uri(self) -> str:
        """For <img src>: an image cannot run script whatever its text says."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _number(cell) -> float | None:
    """A count or a percentage shown as "75%"; anything else (suppressed, not recorded,
    blank) is no number."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    if isinstance(cell, str) and _PERCENT.match(cell):
        return float(cell[:-1])
    return None


def _shown(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _series(table: Table, value_columns: Sequence[int] | None) -> list[int]:
    columns = list(value_columns) if value_columns else list(range(1, len(table.header)))
    if not columns:
        raise ValueError("A chart needs at least one column of values.")
    return columns


def _alt(kind: str, table: Table, title: str, columns: Sequence[int]) -> str:
    """A sentence per series: every value in order, the highest, and what is not drawn."""
    labels = [str(row[0]) for row in table.rows]
    if not labels:
        return f"{kind} chart of {title}: there is nothing to show."
    series = ", ".join(str(table.header[c]) for c in columns)
    sentences = [
        f"{kind} chart of {title}, {len(labels)} {'entry' if len(labels) == 1 else 'entries'}"
        f" from {labels[0]} to {labels[-1]}, showing {series}."
    ]
    for column in columns:
        values = [(label, row[column]) for label, row in zip(labels, table.rows, strict=True)]
        drawn = [(label, _number(cell)) for label, cell in values if _number(cell) is not None]
        listed = "; ".join(
            f"{label} {_shown(_number(cell)) if _number(cell) is not None else cell}"
            for label, cell in values
        )
        sentence = f"{table.header[column]}: {listed}."
        if drawn:
            top = max(number for _, number in drawn)
            highest = [label for label, number in drawn if number == top]
            sentence += f" Highest: {', '.join(highest)} ({_shown(top)})."
        missing = [f"{label} ({cell})" for label, cell in values if _number(cell) is None]
        if missing:
            sentence += f" Not drawn: {', '.join(missing)}."
        sentences.append(sentence)
    return " ".join(sentences)


# A chart's picture follows from its table, its options and this module's drawing code
# alone, so it is drawn once and kept in the cache (shared by every process where the cache
# is Redis) under a digest of all three: a changed figure or a new release of this code
# makes a new key, and nothing is ever stale. Drawing costs matplotlib 50-300 ms a chart;
# reading it back, a millisecond. The pictures hold the table's figures, already
# suppressed for their reader, and no name.
CACHE_SECONDS = 7 * 24 * 60 * 60
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _key(kind: str, table: Table, *options) -> str:
    shown = repr((kind, table.header, table.rows, options)).encode()
    return f"chart:{_CODE}:{hashlib.sha256(shown).hexdigest()}"


def _drawn(kind: str, table: Table, title, alt, columns, height, draw, *options) -> Chart:
    """The chart from the cache, else drawn in the house style: `draw(axes, labels)` draws
    the series on a figure `height` inches high; then come the title, a legend when there
    are several series, and the SVG, kept for next time (under a key of all but `draw`)."""
    key = _key(kind, table, title, columns, height, *options)
    if (svg := cache.get(key)) is None:
        import matplotlib
        from matplotlib.figure import Figure

        with matplotlib.rc_context(STYLE):
            figure = Figure(figsize=(WIDTH_INCHES, height))
            axes = figure.add_subplot()
            draw(axes, [str(row[0]) for row in table.rows])
            axes.set_title(title, loc="left", fontweight="bold")
            if len(columns) > 1:
                axes.legend(frameon=False)
            figure.tight_layout()
            svg = _save(figure)
        cache.set(key, svg, CACHE_SECONDS)
    return Chart(title=title, alt=alt, svg=svg, table=table)


def _slanted_if_crowded(axes, labels: list[str]) -> None:
    """The labels under a chart's columns, slanted where many long ones would overlap."""
    long = any(len(label) > 8 for label in labels) and len(labels) > 4
    axes.set_xticks(
        range(len(labels)), labels, rotation=30 if long else 0, ha="right" if long else "center"
    )


def _save(figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _mark(cell) -> str:
    return MARKS.get(cell, "" if cell in ("", None) else str(cell))


def bar_chart(
    table: Table,
    *,
    title: str,
    value_columns: Sequence[int] = (1,),
    horizontal: bool = False,
    unit: str = "",
    highlight: Sequence[int] = (),
) -> Chart:
    """Bars of the table's rows (first column the labels), one series per value column,
    each bar labelled with its value; a suppressed or missing cell draws no bar and is
    marked with its words ("<5" for fewer than 5). The rows of `highlight` (positions in
    the table) are drawn apart, in another colour and hatching so that they stand out
    without colour too, and the text alternative names them."""
    columns = _series(table, value_columns)
    alt = _alt("Bar", table, title, columns)
    highlight = tuple(sorted(set(highlight)))
    if highlight:
        alt += " Highlighted: " + ", ".join(str(table.rows[i][0]) for i in highlight) + "."
    # A horizontal chart grows with its rows, so that each bar stays readable.
    count = max(len(table.rows), 1)
    height = max(1.6, 0.9 + 0.28 * count * len(columns)) if horizontal else 3.6

    def draw(axes, labels):
        width = 0.8 / len(columns)
        top = 0.0
        for n, column in enumerate(columns):
            cells = [row[column] for row in table.rows]
            numbers = [_number(cell) for cell in cells]
            positions = [i - 0.4 + width * (n + 0.5) for i in range(len(labels))]
            drawn = [
                (i, p, v)
                for i, (p, v) in enumerate(zip(positions, numbers, strict=True))
                if v is not None
            ]
            style = {
                "color": COLOURS[n % len(COLOURS)],
                "hatch": HATCHES[n % len(HATCHES)],
                "edgecolor": "white",
                "label": str(table.header[column]),
            }
            draw = axes.barh if horizontal else axes.bar
            bars = draw([p for _, p, _ in drawn], [v for _, _, v in drawn], width, **style)
            # Named by series and row: the SVG's ids say which bars were drawn.
            for (i, _, _), bar in zip(drawn, bars.patches, strict=True):
                bar.set_gid(f"bar-{n}-{i}")
                if i in highlight:
                    bar.set_facecolor(HIGHLIGHT_COLOUR)
                    bar.set_hatch(HIGHLIGHT_HATCH)
                    bar.set_gid(f"bar-{n}-{i}-highlighted")
            axes.bar_label(bars, labels=[_shown(v) for _, _, v in drawn], padding=2, fontsize=8)
            top = max([top, *(v for _, _, v in drawn)])
            for position, number, cell in zip(positions, numbers, cells, strict=True):
                if number is None and _mark(cell):
                    xy = (0, position) if horizontal else (position, 0)
                    axes.annotate(
                        _mark(cell),
                        xy,
                        xytext=(3, 0) if horizontal else (0, 3),
                        textcoords="offset points",
                        ha="left" if horizontal else "center",
                        va="center" if horizontal else "bottom",
                        fontsize=7,
                        rotation=0 if horizontal or len(_mark(cell)) < 4 else 90,
                    )
        # Room above the tallest bar for its label.
        limit = top * 1.15 if top > 0 else 1
        if horizontal:
            axes.set_yticks(range(len(labels)), labels)
            axes.invert_yaxis()
            axes.set_xlim(0, limit)
            axes.set_xlabel(unit)
        else:
            _slanted_if_crowded(axes, labels)
            axes.set_ylim(0, limit)
            axes.set_ylabel(unit)

    return _drawn("bar", table, title, alt, columns, height, draw, horizontal, unit, highlight)


def line_chart(
    table: Table,
    *,
    title: str,
    value_columns: Sequence[int] | None = None,
    unit: str = "",
) -> Chart:
    """A trend over periods: the table's rows are the periods in order (first column the
    labels), one line per value column (every column after the first by default), with a
    marker and a dash of its own, named in the legend. A suppressed cell breaks
    the line there and is marked with its words."""
    columns = _series(table, value_columns)
    alt = _alt("Line", table, title, columns)

    def draw(axes, labels):
        top = 0.0
        for n, column in enumerate(columns):
            cells = [row[column] for row in table.rows]
            numbers = [_number(cell) for cell in cells]
            (line,) = axes.plot(
                range(len(labels)),
                [float("nan") if v is None else v for v in numbers],
                color=COLOURS[n % len(COLOURS)],
                marker=MARKERS[n % len(MARKERS)],
                linestyle=DASHES[n % len(DASHES)],
                label=str(table.header[column]),
            )
            line.set_gid(f"line-{n}")
            top = max([top, *(v for v in numbers if v is not None)])
            for i, (number, cell) in enumerate(zip(numbers, cells, strict=True)):
                if number is None and _mark(cell):
                    axes.annotate(
                        _mark(cell),
                        (i, 0),
                        xytext=(0, 3),
                        textcoords="offset points",
                        ha="center",
                        fontsize=7,
                        color=COLOURS[n % len(COLOURS)],
                    )
        _slanted_if_crowded(axes, labels)
        axes.set_ylim(0, top * 1.15 if top > 0 else 1)
        axes.set_ylabel(unit)

    return _drawn("line", table, title, alt, columns, 3.6, draw, unit)
