"""Figures as a reader may see them: the one presentation and disclosure layer between the
reporting queries and every page, PDF, CSV, XLSX and JSON document (docs/reporting.md).

Templates and exports receive `Table`s whose cells are already shown as text: whether a
reader sees exact figures is decided once, by pps.disclosure.sees_exact_figures, and how
small numbers are hidden once, by `Disclosure` (with pps/disclosure.py's primitives
underneath).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.text import slugify

from pps.disclosure import (
    FEWER_THAN_5,
    HIDDEN,
    Line,
    count_shown,
    hidden_cells,
    is_small,
    sees_exact_figures,
)

# A figure with no record behind it (a month whose calls were never entered): never 0.
NOT_RECORDED = "not recorded"

# What a table says under it when it hides anything, so a reader knows why.
SUPPRESSION_NOTE = (
    "Counts from 1 to 4 show as “fewer than 5”; a count shown as “hidden” would give such a "
    "count away by subtraction, and percentages made from either are hidden."
)


@dataclass(frozen=True)
class Table:
    """A table as laid out on a page and written to a CSV, a sheet or JSON: every cell
    already shown as the reader may see it."""

    slug: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple, ...]
    foot: tuple[tuple, ...] = ()
    note: str = ""


def _percent_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


@dataclass(frozen=True)
class ShownCells:
    """Counts under their keys, and which of them a reader may not see."""

    counts: Mapping[Hashable, int | None]
    hidden: frozenset = frozenset()

    def __getitem__(self, key):
        count = self.counts[key]
        if count is None:
            return NOT_RECORDED
        if key in self.hidden:
            return FEWER_THAN_5 if is_small(count) else HIDDEN
        return count

    def is_hidden(self, *keys) -> bool:
        return any(key in self.hidden for key in keys)

    @property
    def hides_anything(self) -> bool:
        return bool(self.hidden)

    def note(self, *keys) -> str:
        """What a table says under it when it hides any of `keys` (any at all without)."""
        hides = self.is_hidden(*keys) if keys else self.hides_anything
        return SUPPRESSION_NOTE if hides else ""

    def percent(self, value: float | None, *made_from) -> str:
        """A percentage made from the counts under `made_from` (its part and its base): hidden
        when either is, since with the other it gives the hidden count back."""
        hidden = [key for key in made_from if key in self.hidden]
        if not hidden:
            return _percent_text(value)
        if any(is_small(self.counts[key]) for key in hidden):
            return Disclosure.HIDDEN
        return HIDDEN


@dataclass(frozen=True)
class ShownCounts(ShownCells):
    """A table of counts as a reader sees it: body rows, optional row totals (a last
    column), an optional total row and the grand total. Keys are (row, column); the total
    row is row `len(rows)`, the totals column is column `width`."""

    height: int = 0
    width: int = 0
    has_row_totals: bool = False
    has_total_row: bool = False
    has_grand_total: bool = False
    lines: tuple[Line, ...] = field(default=(), repr=False)

    @property
    def rows(self) -> tuple[tuple, ...]:
        return tuple(tuple(self[i, j] for j in range(self.width)) for i in range(self.height))

    @property
    def row_totals(self) -> tuple | None:
        if not self.has_row_totals:
            return None
        return tuple(self[i, self.width] for i in range(self.height))

    @property
    def total_row(self) -> tuple | None:
        if not self.has_total_row:
            return None
        return tuple(self[self.height, j] for j in range(self.width))

    @property
    def grand_total(self):
        return self[self.height, self.width] if self.has_grand_total else None

    def row(self, i: int) -> tuple:
        """Row i with its total, if the table has row totals (i = height: the total row)."""
        width = self.width + (1 if self.has_row_totals else 0)
        return tuple(self[i, j] for j in range(width) if (i, j) in self.counts)


def count_lines(
    height: int, width: int, *, row_totals: bool, total_row: bool, grand_total: bool
) -> tuple[Line, ...]:
    """The sums a reader can do in a table of counts: every row to its total, every column
    to the total row, the row totals and the total row to the grand total. Without a
    total there is no sum: a lone small count beside shown ones gives nothing away."""
    lines = []
    if row_totals:
        lines += [Line(tuple((i, j) for j in range(width)), (i, width)) for i in range(height)]
    if total_row:
        lines += [Line(tuple((i, j) for i in range(height)), (height, j)) for j in range(width)]
    grand = (height, width)
    if row_totals and grand_total:
        lines.append(Line(tuple((i, width) for i in range(height)), grand))
    if total_row and grand_total:
        lines.append(Line(tuple((height, j) for j in range(width)), grand))
    return tuple(lines)


def suppress_counts(
    rows: Sequence[Sequence[int | None]],
    *,
    row_totals: Sequence[int | None] | None = None,
    total_row: Sequence[int | None] | None = None,
    grand_total: int | None = None,
    lines: Iterable[Line] = (),
    total_first: bool = False,
    exact: bool = False,
) -> ShownCounts:
    """A table of raw counts as a reader who may not see personal data sees it.

    Counts from 1 to 4 are "fewer than 5" (primary suppression). Then every row and
    every column (with its total, when the table has one) is read as a sum: while one of
    them has a single hidden cell, the next smallest count above 0 in it is hidden too, or
    its total when none is left (the total first with `total_first`), until nothing
    changes, so that no hidden count can be had back by subtraction (pps.disclosure
    .hidden_cells). `lines` adds other sums the reader can do with these cells (keys
    (row, column); the total row is row len(rows), the totals column len(rows[0])).
    With `exact` nothing is hidden.
    """
    height = len(rows)
    width = max((len(row) for row in rows), default=len(total_row or ()))
    counts: dict = {}
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError("Every row of a table of counts has the same number of cells.")
        for j, count in enumerate(row):
            counts[i, j] = count
    if row_totals is not None:
        if len(row_totals) != height:
            raise ValueError("One row total per row.")
        for i, count in enumerate(row_totals):
            counts[i, width] = count
    if total_row is not None:
        if len(total_row) != width:
            raise ValueError("The total row has one cell per column.")
        for j, count in enumerate(total_row):
            counts[height, j] = count
    has_grand = grand_total is not None
    if has_grand:
        counts[height, width] = grand_total
    all_lines = count_lines(
        height,
        width,
        row_totals=row_totals is not None,
        total_row=total_row is not None,
        grand_total=has_grand,
    ) + tuple(lines)
    hidden = frozenset() if exact else hidden_cells(counts, all_lines, total_first=total_first)
    return ShownCounts(
        counts=counts,
        hidden=hidden,
        height=height,
        width=width,
        has_row_totals=row_totals is not None,
        has_total_row=total_row is not None,
        has_grand_total=has_grand,
        lines=all_lines,
    )


class Disclosure:
    """Shows counts for one reader: exact, or with small numbers suppressed."""

    HIDDEN = f"hidden ({FEWER_THAN_5})"

    def __init__(self, *, exact: bool):
        self.exact = exact

    @classmethod
    def for_user(cls, user) -> "Disclosure":
        return cls(exact=sees_exact_figures(user))

    @property
    def suppress(self) -> bool:
        return not self.exact

    def _small(self, count) -> bool:
        return self.suppress and is_small(count)

    def count(self, count):
        if count is None:
            return NOT_RECORDED
        return count_shown(count, public=self.suppress)

    def hides_beside(self, count) -> bool:
        """Whether a figure beside this count (hours, a ratio) is hidden: the count shows as
        "fewer than 5", and the figure would be one or two people's (decision 0006)."""
        return self._small(count)

    def total(self, total, *parts):
        """A total is hidden beside a part shown as "fewer than 5": it would give it away.
        Where the parts and total sit in a table with other sums, use `counts`."""
        if any(self._small(part) for part in parts):
            return self.HIDDEN
        return self.count(total)

    def percent(self, value: float | None, *made_from) -> str:
        if any(self._small(count) for count in made_from):
            return self.HIDDEN
        return _percent_text(value)

    def counts(self, rows, **kwargs) -> ShownCounts:
        """A table of counts for this reader (`suppress_counts`)."""
        return suppress_counts(rows, exact=self.exact, **kwargs)

    def cells(
        self, counts: Mapping[Hashable, int | None], lines: Iterable[Line], **kwargs
    ) -> ShownCells:
        """Counts under any keys with the sums (`lines`) a reader can do with them."""
        hidden = frozenset() if self.exact else hidden_cells(counts, lines, **kwargs)
        return ShownCells(counts=dict(counts), hidden=hidden)


# Evaluation results (docs/domain.md, "Evaluations"): the same shown figures for the results
# report, its exports and the event page.


# Case movements (reports.queries.casework.CaseMovements) by attribute, in the order shown,
# with the words the overview and the dashboard print beside them.
MOVEMENT_LABELS = (
    ("brought_forward", "Cases brought forward"),
    ("new", "New cases"),
    ("reopened", "Re-opened cases"),
    ("closed", "Cases closed"),
    ("carried_forward", "Cases carried forward"),
)
MOVEMENTS = tuple(name for name, _ in MOVEMENT_LABELS)


def movements_line(key=lambda name: name) -> Line:
    """Brought forward + new + re-opened - closed = carried forward: a sum a reader can do,
    so a hidden movement takes another with it. `key` names each movement's cell (by
    default its attribute; the overview keys them by year too)."""
    return Line(tuple(key(name) for name in MOVEMENTS))


def casework_total_line(key=lambda name: name) -> Line:
    """The casework total is brought forward + new + re-opened, less the cases counted in
    two of them: read as their total, so it goes with them when one of them is hidden."""
    return Line(
        tuple(key(name) for name in ("brought_forward", "new", "reopened")),
        key("casework_total"),
    )


def movement_cells(movements, shown: Disclosure) -> ShownCells:
    """A period's case movements and casework total (reports.queries.casework
    .CaseMovements) under their attributes, with the sums a reader can do with them."""
    counts = {name: getattr(movements, name) for name in (*MOVEMENTS, "casework_total")}
    return shown.cells(counts, [movements_line(), casework_total_line()])


def return_rates_table(rates, shown: Disclosure) -> Table:
    """Forms sent and returned by form (reports.queries.evaluations.ReturnRate): a rate
    made from a hidden count is hidden."""
    return Table(
        slug="return-rates",
        caption="Forms sent and returned",
        header=("Form", "Kind", "Sent", "Returned", "Return rate"),
        rows=tuple(
            (
                r.title,
                r.kind,
                shown.count(r.sent),
                shown.count(r.returned),
                shown.percent(r.rate, r.sent, r.returned),
            )
            for r in rates
        ),
    )


def measure_table(caption: str, figure, shown: Disclosure) -> Table | None:
    """A measured question (reports.queries.evaluations.MeasureFigure) with its target:
    whether it is met is hidden when the share is."""
    if figure is None:
        return None
    share = shown.percent(figure.percent, figure.answered, figure.positive)
    rows = [
        ("Question", figure.question),
        ("Answered (other than “Not applicable”)", shown.count(figure.answered)),
        ("Positive answers", shown.count(figure.positive)),
        ("Share positive", share),
    ]
    if figure.target is not None:
        if figure.met is None:
            met = "no answers yet"
        elif share == Disclosure.HIDDEN:
            met = Disclosure.HIDDEN
        else:
            met = "Met" if figure.met else "Not met"
        rows += [("Target", f"{figure.target}%"), ("Target met", met)]
    return Table(
        slug=slugify(caption), caption=caption, header=("Figure", "Value"), rows=tuple(rows)
    )


def satisfaction_trend_table(by_year, target: int, shown: Disclosure) -> Table:
    """Parent satisfaction by year against the target (pairs of a period and its
    reports.queries.evaluations.MeasureFigure, oldest first): the rows a trend chart draws.
    A share made from a hidden count is hidden, and whether it met the target with it."""
    rows = []
    for each, figure in by_year:
        if figure is None or figure.percent is None:
            rows.append((each.label, "no answers", f"{target}%", ""))
            continue
        percent = shown.percent(figure.percent, figure.answered, figure.positive)
        hidden = percent == Disclosure.HIDDEN
        met = "" if hidden else ("Met" if figure.met else "Not met")
        rows.append((each.label, percent if hidden else figure.percent, f"{target}%", met))
    return Table(
        slug="satisfaction-trend",
        caption="Parent satisfaction (Good or better) against the target, by year",
        header=("Academic year", "Satisfied (%)", "Target", "Target met"),
        rows=tuple(rows),
    )


def evaluation_cells(results, disclosure: Disclosure) -> ShownCells:
    """The counts of a set of sent forms (evaluations.results.FormResults) with the sums a
    reader can do with them: each question's answers add up to those who answered (or
    more, with several choices); answered, not applicable and not answered to those
    returned; the positive answers to the positive count shown beside the target.

    Keys: "sent", "returned", and per question number q: (q, answer number), (q,
    "answered"), (q, "not_applicable"), (q, "not_answered"), (q, "positive").
    """
    counts: dict = {"sent": results.sent, "returned": results.returned}
    lines = []
    for q, question in enumerate(results.questions):
        counts[q, "answered"] = question.answered
        counts[q, "not_applicable"] = question.not_applicable
        counts[q, "not_answered"] = question.not_answered
        for i, answer in enumerate(question.answers):
            counts[q, i] = answer.count
        if question.answers:
            lines.append(Line(tuple((q, i) for i in range(len(question.answers))), (q, "answered")))
        lines.append(
            Line(((q, "answered"), (q, "not_applicable"), (q, "not_answered")), "returned")
        )
        positive = getattr(question, "positive_answers", ())
        if question.positive is not None and positive:
            counts[q, "positive"] = question.positive
            parts = tuple(
                (q, i) for i, answer in enumerate(question.answers) if answer.answer in positive
            )
            lines.append(Line(parts, (q, "positive")))
    return disclosure.cells(counts, lines)


def question_table(cells: ShownCells, q: int, question) -> Table:
    """One question's answers: count and percentage of those who answered, with those who
    answered, not applicable and not answered below (not applicable is never asked of a
    free-text question)."""
    rows = tuple(
        (answer.answer, cells[q, i], cells.percent(answer.percent, (q, i), (q, "answered")))
        for i, answer in enumerate(question.answers)
    )
    foot = (
        ("Answered (the base of the percentages)", cells[q, "answered"], ""),
        ("Not applicable (left out of the percentages)", cells[q, "not_applicable"], ""),
        ("Not answered", cells[q, "not_answered"], ""),
    )
    if question.is_text:
        foot = (foot[0], foot[2])
    keys = [(q, i) for i in range(len(question.answers))]
    keys += [(q, "answered"), (q, "not_applicable"), (q, "not_answered")]
    return Table(
        slug=f"question-{question.key}",
        caption=question.text,
        header=("Answer", "Count", "Percent of those who answered"),
        rows=rows,
        foot=foot,
        note=cells.note(*keys),
    )


def event_question_table(cells: ShownCells, q: int, question) -> Table:
    """A question as the event page lays it out: those left out of the percentages in the
    caption, the base of the percentages in the heading."""
    left_out = []
    if question.not_applicable:
        left_out.append(f"{cells[q, 'not_applicable']} not applicable")
    if question.not_answered:
        left_out.append(f"{cells[q, 'not_answered']} not answered")
    caption = question.text
    if left_out:
        caption += f" ({', '.join(left_out)}: left out of the percentages)"
    rows = tuple(
        (
            answer.answer,
            cells[q, i],
            "\u2013"  # an en dash: no percentage without answers
            if answer.percent is None
            else cells.percent(answer.percent, (q, i), (q, "answered")),
        )
        for i, answer in enumerate(question.answers)
    )
    return Table(
        slug=f"event-question-{question.key}",
        caption=caption,
        header=("Answer", "Count", f"% of {cells[q, 'answered']} who answered"),
        rows=rows,
        note=cells.note(*((q, i) for i in range(len(question.answers))), (q, "answered")),
    )


def events_table(summary, disclosure: Disclosure) -> Table:
    """Events by kind with attendance (reports.queries.evaluations.EventsSummary). Parents,
    professionals and volunteers add up to the total attending; where one is fewer than 5
    the total goes first (a total beside such a part would give it away), then whatever
    the total row needs."""
    kinds = [row.kind for row in summary.rows]
    events = disclosure.counts(
        [[row.events] for row in summary.rows], total_row=[summary.total.events]
    )

    def parts(row):
        return [row.parents, row.professionals, row.volunteers]

    attendance = disclosure.counts(
        [parts(row) for row in summary.rows],
        row_totals=[row.attendance for row in summary.rows],
        total_row=parts(summary.total),
        grand_total=summary.total.attendance,
        total_first=True,
    )
    height = len(kinds)
    return Table(
        slug="events",
        caption="Events held, with attendance",
        header=("Kind of event", "Events", "Parents", "Professionals", "Volunteers", "Total"),
        rows=tuple((kind, events[i, 0], *attendance.row(i)) for i, kind in enumerate(kinds)),
        foot=((summary.total.kind, events[height, 0], *attendance.row(height)),) if kinds else (),
        note=events.note() or attendance.note(),
    )


def event_attendance(event, disclosure: Disclosure) -> ShownCells:
    """One event's attendance: keys "parents", "professionals", "volunteers" and "total";
    the total goes first where a part is fewer than 5."""
    counts = {
        "parents": event.parents_attending,
        "professionals": event.professionals_attending,
        "volunteers": event.volunteers_attending,
        "total": event.attendance,
    }
    line = Line(("parents", "professionals", "volunteers"), "total")
    return disclosure.cells(counts, [line], total_first=True)


def feedback_tables(summary, disclosure: Disclosure) -> tuple[Table, Table]:
    """Complaints, compliments and suggestions (reports.queries.feedback.FeedbackSummary):
    by type, then by topic. The counts by topic add up to each topic's total and to the
    counts received by type, so they are suppressed as one table; those with a resulting
    improvement are a share of their type's count, not a sum, and only small ones go."""
    topics = [row.topic for row in summary.by_topic]
    grid = disclosure.counts(
        [list(row.counts) for row in summary.by_topic],
        row_totals=[row.total for row in summary.by_topic],
        total_row=list(summary.by_kind),
    )
    received = grid.total_row
    by_kind = Table(
        slug="feedback-by-type",
        caption="By type",
        header=("Type", "Received", "With a resulting improvement"),
        rows=tuple(
            (kind, received[k], disclosure.count(improved))
            for k, (kind, improved) in enumerate(
                zip(summary.kinds, summary.with_improvement, strict=True)
            )
        ),
    )
    by_topic = Table(
        slug="feedback-by-topic",
        caption="By topic",
        header=("About", *(f"{kind}s" for kind in summary.kinds), "Total"),
        rows=tuple((topic, *grid.row(i)) for i, topic in enumerate(topics)),
        note=grid.note(),
    )
    return by_kind, by_topic
