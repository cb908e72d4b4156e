"""My work's caseload and follow-ups drawn in Python (casework/templatetags/work.py) print
what the template loops they replaced printed, for every member of staff of a year of demo
data: overdue and coming follow-ups, cases with and without a contact, and text that must
be escaped."""

import datetime as dt
import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from casework.models import Contact, Parent
from demo.generate import generate
from pps.models import User
from pps.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

# The loops as templates/casework/my_work.html had them before the tags.
_TEMPLATE_LOOPS = engines["django"].from_string(
    """{% load pps %}<tbody>{% for contact in follow_ups %}
        <tr>
          <td>{% if contact.overdue %}<span class="over-standard">{{ contact.follow_up_due_on|day }} (overdue)</span>{% else %}{{ contact.follow_up_due_on|day }}{% endif %}</td>
          <td><a href="{% record_url 'casework:case-detail' contact.case_id %}">{{ contact.case.reference }}</a> {{ contact.case.parent }}</td>
          <td>{{ contact.follow_up }}</td>
          <td><form method="post" action="{% record_url 'casework:follow-up-done' contact.pk %}" class="m-0">{% csrf_token %}<input type="hidden" name="on" value="{{ today|date:'Y-m-d' }}"><input type="hidden" name="next" value="{{ request.path }}"><button class="btn btn-sm btn-outline-dark" type="submit">Done<span class="visually-hidden">: {{ contact.follow_up }}</span></button></form></td>
        </tr>
        {% endfor %}</tbody><tbody>{% for case in caseload %}
        <tr>
          <td><a href="{{ case.url }}">{{ case.reference }}</a></td>
          <td>{{ case.parent }}</td>
          <td>{{ case.child }}</td>
          <td>{{ case.opened_on|day }}</td>
          <td>{{ case.last_contact_on|day|default:"none yet" }}</td>
        </tr>
        {% endfor %}</tbody>"""  # noqa: E501
)
_TAGS = engines["django"].from_string(
    "{% load work %}<tbody>{% follow_up_rows follow_ups today|date:'Y-m-d' request.path %}"
    "</tbody><tbody>{% caseload_rows caseload %}</tbody>"
)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _normalised(html: str) -> str:
    # Whitespace between tags is layout only. Each render masks the CSRF token afresh.
    html = _CSRF.sub('name="csrfmiddlewaretoken" value="…"', html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_the_tags_draw_what_the_template_loops_drew(client):
    today = dt.date(2026, 11, 24)
    generate(today=today, years=1, cases_per_year=60)
    # Text that must be escaped, in a follow-up and in a parent's and a child's names.
    awkward = Contact.objects.filter(follow_up_due_on__isnull=False).order_by("id").first()
    Contact.objects.filter(pk=awkward.pk).update(
        follow_up="Ring O'Brien & co <b>", follow_up_done_on=None
    )
    Parent.objects.filter(pk=awkward.case.parent_id).update(first_name="<i>D'Arcy</i> &")
    awkward.case.child.__class__.objects.filter(pk=awkward.case.child_id).update(
        last_name='Smith "Jr" <script>'
    )
    # A follow-up still to come, and a case with no contact yet.
    coming = Contact.objects.filter(follow_up_due_on__isnull=False).exclude(pk=awkward.pk)
    Contact.objects.filter(pk=coming.order_by("id").first().pk).update(
        follow_up_due_on=timezone.localdate() + dt.timedelta(days=7), follow_up_done_on=None
    )
    officer = User.objects.filter(role=Role.CASE_OFFICER).order_by("id").first()
    factories.open_case(officer.service, officer, officer=officer)
    seen = {"follow-ups": 0, "overdue": 0, "coming": 0, "cases": 0, "no contact": 0, "escaped": 0}
    for user in User.objects.filter(role__in=[Role.CASE_OFFICER, Role.COORDINATOR]):
        client.force_login(user)
        response = client.get(reverse("casework:my-work"))
        assert response.status_code == 200
        context = {name: response.context[name] for name in ("follow_ups", "caseload", "today")}
        stock = _normalised(_TEMPLATE_LOOPS.render(context, response.wsgi_request))
        ours = _normalised(_TAGS.render(context, response.wsgi_request))
        assert ours == stock, user.username
        seen["follow-ups"] += len(context["follow_ups"])
        seen["overdue"] += sum(contact.overdue for contact in context["follow_ups"])
        seen["coming"] += sum(not contact.overdue for contact in context["follow_ups"])
        seen["cases"] += len(context["caseload"])
        seen["no contact"] += sum(case.last_contact_on is None for case in context["caseload"])
        seen["escaped"] += ours.count("&lt;i&gt;D&#x27;Arcy&lt;/i&gt; &amp;")
        # and the page shows the tags' rows
        assert ours.split("<tbody>")[2].split("</tbody>")[0] in _normalised(
            response.content.decode()
        )
    assert all(seen.values()), seen
