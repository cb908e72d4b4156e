"""Charts drawn once on the server as SVG with matplotlib, from a presenters.Table whose
cells are already suppressed, so the page and the PDF show the same picture and no chart
tells more than its table (docs/reporting.md)."""

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reports.presenters import Table


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
    return float(cell) if isinstance(cell, int | float) else None


def bar_chart(table: Table, *, title: str, value_columns: Sequence[int] = (1,)) -> Chart:
    """Bars of the table's rows (first column the labels), one series per value column;
    a suppressed or missing cell draws no bar."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    pyplot.rcParams["svg.hashsalt"] = "pps"
    labels = [str(row[0]) for row in table.rows]
    figure, axes = pyplot.subplots(figsize=(7, 3.5))
    width = 0.8 / max(len(value_columns), 1)
    for n, column in enumerate(value_columns):
        values = [_number(row[column]) or 0 for row in table.rows]
        axes.bar(
            [i + n * width for i in range(len(labels))], values, width, label=table.header[column]
        )
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    axes.set_title(title)
    if len(value_columns) > 1:
        axes.legend()
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    pyplot.close(figure)
    alt = f"{title}: " + "; ".join(
        f"{row[0]} {', '.join(str(row[c]) for c in value_columns)}" for row in table.rows
    )
    return Chart(title=title, alt=alt, svg=out.getvalue(), table=table)
