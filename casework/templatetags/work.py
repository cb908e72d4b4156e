"""My work's two long tables drawn in Python (issue 11).

An officer of a large service has a hundred open cases and dozens of follow-ups on My work;
the template drew each row through five to a dozen variable lookups, filters and tags,
about 0.3 million machine instructions a caseload row and 0.8 million a follow-up
(bench/instructions.py), most of the page. `caseload_rows` and `follow_up_rows` print the
same `<tr>` rows: values escaped as `{{ value }}` escapes them (pps/escaping.py), each day
formatted as the `day` filter formats it (once per process, pps/days.py), links from routes
reversed once (pps/links.py), the form's CSRF input drawn once for all rows.
tests/casework/test_work_rows.py compares them with the template loops they replaced.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode

from pps.days import days_shown
from pps.escaping import html_format, html_join, shown
from pps.links import record_urls

register = template.Library()


def _day_or(day, value, empty: str = "") -> str:
    # As {{ value|day }}: a date is a day shown; nothing prints as nothing.
    return day(value) if value is not None else empty


@register.simple_tag(takes_context=True)
def caseload_rows(context, cases):
    """The rows of the table of open cases (casework.queries.CaseloadRow, with `url`)."""
    day = days_shown()
    return html_join(
        "\n",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                case.url,
                shown(case.reference, context),
                shown(case.parent, context),
                shown(case.child, context),
                _day_or(day, case.opened_on),
                _day_or(day, case.last_contact_on) or "none yet",
            )
            for case in cases
        ),
    )


@register.simple_tag(takes_context=True)
def follow_up_rows(context, contacts, on: str, next_page: str):
    """The rows of the table of follow-ups (casework.queries.follow_ups_due_for, each with
    `overdue`): when due, the case, the action, and a form marking it done on `on`
    (an ISO date), coming back to `next_page`."""
    day = days_shown()
    case_url = record_urls("casework:case-detail")
    done_url = record_urls("casework:follow-up-done")
    csrf = CsrfTokenNode().render(context)

    def due(contact):
        when = _day_or(day, contact.follow_up_due_on)
        if contact.overdue:
            return html_format('<span class="over-standard">{} (overdue)</span>', when)
        return html_format("{}", when)

    return html_join(
        "\n",
        '<tr><td>{}</td><td><a href="{}">{}</a> {}</td><td>{}</td><td><form method="post"'
        ' action="{}" class="m-0">{}<input type="hidden" name="on" value="{}">'
        '<input type="hidden" name="next" value="{}"><button class="btn btn-sm'
        ' btn-outline-dark" type="submit">Done<span class="visually-hidden">: {}</span>'
        "</button></form></td></tr>",
        (
            (
                due(contact),
                case_url(contact.case_id),
                shown(contact.case.reference, context),
                shown(contact.case.parent, context),
                shown(contact.follow_up, context),
                done_url(contact.pk),
                csrf,
                on,
                next_page,
                shown(contact.follow_up, context),
            )
            for contact in contacts
        ),
    )
