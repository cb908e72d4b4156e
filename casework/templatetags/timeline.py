"""The case page's timeline drawn in Python (issue 11).

The template drew each of a page's 50 contacts through a dozen variable lookups and three
date and time filters: about a quarter of the case page's time, most of it formatting.
`timeline_entries` prints the same `<li>` items: values escaped as `{{ value }}` escapes
them (numbers localised; pps/escaping.py), each timestamp turned into local time once, each
day formatted once per process (`{{ value|date }}`, pps/days.py), the time of day as
`{{ value|time:"H:i" }}` prints it.
tests/casework/test_timeline_drawing.py compares it with the template loop it replaced.
"""

from django import template
from django.template.context import Context
from django.utils import timezone

from pps.choices import choice_label
from pps.days import days_shown
from pps.escaping import html_format, html_join, shown
from pps.links import record_url

register = template.Library()


class _Page:
    """What every entry of one page is drawn with: the active language's days and time
    zone, read once, and numbers as `{{ value }}` prints them."""

    def __init__(self):
        self.context = Context(autoescape=True)
        self.day = days_shown()
        # The active time zone, read once (a context-local look-up for each entry else).
        self.zone = timezone.get_current_timezone()

    def number(self, value) -> str:
        # A whole number under a thousand prints as its digits whatever the format (there
        # is nothing to group); anything else is localised as the template would.
        if type(value) is int and -1000 < value < 1000:
            return str(value)
        return shown(value, self.context)


def _contact(contact, page: _Page) -> str:
    at = contact.at
    if timezone.is_aware(at):
        # As the template engine does before the date and time filters (expects_localtime).
        at = timezone.localtime(at, page.zone)
    note = html_format('\n<p class="note mb-1">{}</p>', contact.note) if contact.note else ""
    follow_up = ""
    if contact.follow_up:
        due, done = contact.follow_up_due_on, contact.follow_up_done_on
        follow_up = html_format(
            '\n<p class="mb-0 small">Follow-up: {}{}{}</p>',
            contact.follow_up,
            html_format(", due {}", page.day(due)) if due else "",
            html_format(", done {}", page.day(done)) if done else "",
        )
    # A letter or email sent from the case: its copy (a reverse one-to-one read with the
    # page's contacts, casework.queries.case_timeline; absent, getattr gives None).
    copy = getattr(contact, "correspondence", None)
    sent = (
        html_format(
            '\n<p class="mb-0 small"><a href="{}">The {} as sent</a></p>',
            record_url("casework:correspondence", copy.pk),
            choice_label(copy, "kind").lower(),
        )
        if copy is not None
        else ""
    )
    return html_format(
        '<li>\n<p class="mb-1"><strong>{} {}</strong>: {}, {} min, by {}{}</p>{}{}{}\n</li>',
        page.day(at.date()),
        f"{at.hour:02d}:{at.minute:02d}",  # the "H:i" time format
        choice_label(contact, "method"),
        page.number(contact.minutes),
        contact.by,
        " (IPS)" if contact.volunteer_id else "",
        note,
        follow_up,
        sent,
    )


def _event(event, page: _Page) -> str:
    summary = (
        html_format('<p class="note mb-0">{}</p>', event.closing_summary)
        if event.closing_summary
        else ""
    )
    return html_format(
        '<li class="event"><p class="mb-0"><strong>{}</strong>: case {}{}{}</p>{}</li>',
        page.day(event.on),
        str(choice_label(event, "kind")).lower(),
        html_format(" by {}", event.by) if event.by else "",
        html_format(" ({})", str(choice_label(event, "closure_reason")).lower())
        if event.closure_reason
        else "",
        summary,
    )


def _document(document, page: _Page) -> str:
    at = timezone.localtime(document.uploaded_at, page.zone)
    return html_format(
        '<li class="event"><p class="mb-0"><strong>{} {}</strong>: '
        'Document added: <a href="{}">{}</a>, by {}</p></li>',
        page.day(at.date()),
        f"{at.hour:02d}:{at.minute:02d}",
        record_url("casework:document-download", document.pk),
        document.title,
        document.uploaded_by,
    )


_DRAWN = {"contact": _contact, "event": _event, "document": _document}


@register.simple_tag
def timeline_entries(timeline):
    """The `<li>` items of a casework.queries.TimelinePage, newest first."""
    page = _Page()
    return html_join(
        "\n",
        "{}",
        ((_DRAWN[kind](item, page),) for kind, _at, item in timeline.entries),
    )
