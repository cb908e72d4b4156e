"""Figures for templates of apps below `reports` (the event page, in evaluations), which may
not import reports.presenters: the template asks here, so that who sees exact figures and
how small numbers are hidden are still decided in reports/presenters.py alone."""

from dataclasses import dataclass

from django import template

from reports.presenters import (
    Disclosure,
    ShownCells,
    Table,
    evaluation_cells,
    event_attendance,
    event_question_table,
)

register = template.Library()


@dataclass(frozen=True)
class EventFigures:
    exact: bool
    attendance: ShownCells
    sent: object
    returned: object
    # Blank when there is none, or when it would give a hidden count away.
    return_rate: str
    tables: tuple[Table, ...]


@register.simple_tag(takes_context=True)
def event_figures(context, event, results) -> EventFigures:
    """An event's attendance and its evaluations (evaluations.results.FormResults) as the
    reader of the page may see them."""
    disclosure = Disclosure.for_user(context["request"].user)
    cells = evaluation_cells(results, disclosure)
    rate = cells.percent(results.return_rate, "sent", "returned")
    return EventFigures(
        exact=disclosure.exact,
        attendance=event_attendance(event, disclosure),
        sent=cells["sent"],
        returned=cells["returned"],
        return_rate=rate if rate.endswith("%") else "",
        tables=tuple(
            event_question_table(cells, q, question)
            for q, question in enumerate(results.questions)
            if not question.is_text
        ),
    )
