"""pps.escaping gives exactly what Django's escaping functions give, for every kind of value
the Python-drawn rows pass it (issue 11): plain and safe text, lazy translations, numbers,
dates and times, records, choices, objects with their own __html__, and generated text."""

import datetime as dt
import decimal

import pytest
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from casework.enums import CaseStatus
from casework.models import Parent
from pps.escaping import html_format, html_join, shown


class _OwnMarkup:
    """An object that escapes itself (the __html__ convention)."""

    def __html__(self):
        return "<em>own</em>"

    def __str__(self):
        return "<not used>"


VALUES = [
    "",
    "plain",
    'O\'Brien & <Sons> "quoted"',
    "<script>alert(1)</script>",
    mark_safe("<b>safe</b>"),
    SafeString("&amp; kept"),
    gettext_lazy("Sign out"),
    lazy(lambda: "<lazy & unsafe>", str)(),
    mark_safe(lazy(lambda: "<i>lazy safe</i>", str)()),
    0,
    7,
    1234567,
    -3,
    2.5,
    decimal.Decimal("1234.50"),
    True,
    None,
    dt.date(2026, 11, 24),
    dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC),
    dt.time(9, 5),
    CaseStatus.OPEN,
    Parent(first_name="Siân", last_name="O'Neill <b>"),
    _OwnMarkup(),
    ["a", "<b>"],
]

FORMAT = '<td class="x">{}</td><td>{} & {}</td>'
# Stable names (a repr may hold an address, which differs between test processes).
NAMES = [f"{number}-{type(value).__name__}" for number, value in enumerate(VALUES)]


@pytest.mark.parametrize("value", VALUES, ids=NAMES)
def test_a_value_is_formatted_as_format_html_formats_it(value):
    ours = html_format(FORMAT, value, "<&>", value)
    assert ours == format_html(FORMAT, value, "<&>", value)
    assert isinstance(ours, SafeString)


@pytest.mark.parametrize("value", VALUES, ids=NAMES)
@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("grouping", [True, False])
def test_a_value_is_shown_as_the_template_shows_it(value, autoescape, grouping, settings):
    settings.USE_THOUSAND_SEPARATOR = grouping
    context = Context(autoescape=autoescape)
    with translation.override("en-gb"), timezone.override("Europe/London"):
        ours = shown(value, context)
        theirs = render_value_in_context(value, context)
    assert ours == theirs
    assert isinstance(ours, SafeString) == isinstance(theirs, SafeString)


def test_rows_are_joined_as_format_html_join_joins_them():
    rows = [(value, "<x>") for value in VALUES]
    for separator in ("\n", "<br>", mark_safe("<br>")):
        ours = html_join(separator, "<li>{} {}</li>", rows)
        assert ours == format_html_join(separator, "<li>{} {}</li>", rows)
        assert isinstance(ours, SafeString)
    assert html_join("\n", "{}", []) == format_html_join("\n", "{}", []) == ""


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_is_escaped_as_django_escapes_it(texts):
    format_string = "{}|" * len(texts)
    assert html_format(format_string, *texts) == format_html(format_string, *texts)
    context = Context(autoescape=True)
    for text in texts:
        assert shown(text, context) == render_value_in_context(text, context)
        assert shown(SafeString(text), context) == text
