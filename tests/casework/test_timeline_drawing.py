"""The case page's timeline drawn in Python (casework/templatetags/timeline.py) prints what
the template loop it replaced printed, on every case of a year of demo data: contacts with
and without notes, follow-ups (due, done), volunteers' contacts, and the case's events."""

import datetime as dt
import re

import pytest
from django.template import engines
from django.template.base import render_value_in_context
from django.template.context import Context
from django.urls import reverse

from casework.models import Case, Contact
from casework.queries import case_timeline
from casework.templatetags.timeline import _Page
from demo.generate import generate
from tests import factories

pytestmark = pytest.mark.django_db

# The loop as templates/casework/case_detail.html had it before the tag.
_TEMPLATE_LOOP = engines["django"].from_string(
    """{% for kind, at, item in timeline.entries %}
        {% if kind == "contact" %}
        <li>
          <p class="mb-1"><strong>{{ item.at|date }} {{ item.at|time:"H:i" }}</strong>: {{ item.get_method_display }}, {{ item.minutes }} min, by {{ item.by }}{% if item.volunteer_id %} (IPS){% endif %}</p>
          {% if item.note %}<p class="note mb-1">{{ item.note }}</p>{% endif %}
          {% if item.follow_up %}<p class="mb-0 small">Follow-up: {{ item.follow_up }}{% if item.follow_up_due_on %}, due {{ item.follow_up_due_on|date }}{% endif %}{% if item.follow_up_done_on %}, done {{ item.follow_up_done_on|date }}{% endif %}</p>{% endif %}
        </li>
        {% else %}
        <li class="event"><p class="mb-0"><strong>{{ item.on|date }}</strong>: case {{ item.get_kind_display|lower }}{% if item.by %} by {{ item.by }}{% endif %}{% if item.closure_reason %} ({{ item.get_closure_reason_display|lower }}){% endif %}</p>{% if item.closing_summary %}<p class="note mb-0">{{ item.closing_summary }}</p>{% endif %}</li>
        {% endif %}
        {% endfor %}"""  # noqa: E501
)
_TAG = engines["django"].from_string("{% load timeline %}{% timeline_entries timeline %}")


def _normalised(html: str) -> str:
    # Whitespace between tags is layout only; inside a paragraph every space counts.
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_the_tag_draws_what_the_template_loop_drew():
    generate(today=dt.date(2026, 11, 24), years=1, cases_per_year=40)
    # Text that must be escaped, in a note and a follow-up of a volunteer's contact.
    awkward = Contact.objects.filter(volunteer__isnull=False).order_by("id").first()
    Contact.objects.filter(pk=awkward.pk).update(
        note='<script>alert("x")</script> & 5 > 4', follow_up="Ring O'Brien & co <b>"
    )
    seen = {"contact": 0, "event": 0, "note": 0, "due": 0, "done": 0, "IPS": 0, "reason": 0}
    for case in Case.objects.order_by("id"):
        number = 1
        while (timeline := case_timeline(case, number, user=None)) is not None:
            stock = _normalised(_TEMPLATE_LOOP.render({"timeline": timeline}))
            ours = _normalised(_TAG.render({"timeline": timeline}))
            assert ours == stock, (case.reference, number)
            for kind, _at, item in timeline.entries:
                seen[kind] += 1
                seen["note"] += bool(getattr(item, "note", ""))
                seen["due"] += bool(getattr(item, "follow_up_due_on", None))
                seen["done"] += bool(getattr(item, "follow_up_done_on", None))
                seen["IPS"] += bool(getattr(item, "volunteer_id", None))
                seen["reason"] += bool(getattr(item, "closure_reason", ""))
            if not timeline.has_older:
                break
            number += 1
    assert all(seen.values()), seen


def test_the_case_page_escapes_what_was_typed(client, team):
    """Through the page itself: a note and a follow-up as typed, escaped; minutes localised."""
    case = factories.open_case(team.service, team.officer)
    factories.log_contact(
        case,
        team.officer,
        minutes=1500,
        note='<script>alert("x")</script> & co',
        follow_up="Ring <b>O'Brien</b>",
    )
    client.force_login(team.officer)
    response = client.get(reverse("casework:case-detail", args=[case.pk]))
    html = response.content.decode()
    assert (
        '<p class="note mb-1">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>'
        in html
    )
    assert "Follow-up: Ring &lt;b&gt;O&#x27;Brien&lt;/b&gt;</p>" in html
    assert f"{1500:,} min" in html or "1500 min" in html


@pytest.mark.parametrize("grouping", [False, True])
def test_numbers_print_as_the_template_prints_them(settings, grouping):
    """The timeline prints small whole numbers (minutes) as their digits without asking
    the formats; every number still prints as `{{ value }}` would, grouped or not."""
    settings.USE_THOUSAND_SEPARATOR = grouping
    page = _Page()
    context = Context(autoescape=True)
    for value in (0, 5, 20, 999, -999, 1000, 1500, 123456, True, 2.5):
        assert page.number(value) == render_value_in_context(value, context), value
