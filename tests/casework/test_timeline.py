"""The case page's timeline comes a page of 50 contacts at a time, newest first, with the
events among them: read page by page it is the whole timeline, once, in order."""

import datetime as dt

import pytest
from django.urls import reverse

from casework import actions
from casework.enums import ClosureReason, ContactMethod, Outcome
from casework.queries import TIMELINE_CONTACTS
from pps.models import AccessLog
from tests import factories

pytestmark = pytest.mark.django_db

OPENED = dt.date(2025, 1, 6)


@pytest.fixture
def busy_case(team):
    """A case opened on 6 January 2025 with 120 contacts, one a day at 10:00 from the day
    it opened (two on its busiest day), closed and re-opened on days that fall on the
    second and third pages."""
    case = factories.open_case(team.service, team.officer, opened_on=OPENED)
    for n in range(119):
        factories.log_contact(
            case, team.officer, on=OPENED + dt.timedelta(days=n), minutes=10, note=f"Contact {n}"
        )
    actions.log_contact(
        case=case,
        by=team.officer,
        at=factories._during(OPENED + dt.timedelta(days=118), dt.time(15, 0)),
        method=ContactMethod.EMAIL_OUT,
        minutes=5,
        note="Contact 119",
    )
    # Day 40 is among the contacts of page 2 (days 0-118 newest first: page 1 holds
    # days 118 (twice) to 70, page 2 days 69 to 20, page 3 days 19 to 0).
    actions.close_case(
        case=case,
        by=team.officer,
        on=OPENED + dt.timedelta(days=40),
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
    )
    actions.reopen_case(case=case, by=team.officer, on=OPENED + dt.timedelta(days=41))
    return case


def _entries(client, case, page):
    response = client.get(reverse("casework:case-detail", args=[case.pk]), {"page": page})
    assert response.status_code == 200
    timeline = response.context["timeline"]
    return timeline, [(kind, item.pk) for kind, _at, item in timeline.entries], response


def test_the_pages_hold_the_whole_timeline_once_in_order(client, team, busy_case):
    client.force_login(team.officer)
    first, page1, response = _entries(client, busy_case, 1)
    second, page2, _ = _entries(client, busy_case, 2)
    third, page3, _ = _entries(client, busy_case, 3)
    assert (first.has_older, second.has_older, third.has_older) == (True, True, False)
    contacts = list(busy_case.contacts.order_by("-at", "-id").values_list("pk", flat=True))
    assert len(contacts) == 120
    assert [pk for kind, pk in page1] == contacts[:TIMELINE_CONTACTS]
    # Page 2: its 50 contacts, with the re-opening (day 41) and the closing (day 40) each
    # just after the contact of its day, as an event sorts at the start of its day.
    events = {e.kind: e.pk for e in busy_case.events.all()}
    expected2 = [("contact", pk) for pk in contacts[50:100]]
    # The newest contact is day 118's second; after it, contact k is of day 119 - k.
    day41 = (119 - 41) - 50
    expected2.insert(day41 + 1, ("event", events["reopened"]))
    expected2.insert(day41 + 3, ("event", events["closed"]))
    assert page2 == expected2
    # Page 3: the 20 oldest contacts and the opening, the oldest entry of all.
    assert page3 == [("contact", pk) for pk in contacts[100:]] + [("event", events["opened"])]
    html = response.content.decode()
    assert "120 contacts in all, 50 to a page, newest first: this is page 1." in html
    assert 'href="?page=2#timeline-heading">Older entries</a>' in html
    # The whole case's minutes, not the page's: 119 of 10 and one of 5.
    assert response.context["total_minutes"] == 1195


def test_a_page_past_the_last_is_not_found_and_each_page_is_logged(client, team, busy_case):
    client.force_login(team.officer)
    url = reverse("casework:case-detail", args=[busy_case.pk])
    assert client.get(url, {"page": 4}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404
    before = AccessLog.objects.filter(object_type="case", object_id=busy_case.pk).count()
    assert client.get(url, {"page": 2}).status_code == 200
    assert (
        AccessLog.objects.filter(object_type="case", object_id=busy_case.pk).count() == before + 1
    )


def test_a_short_timeline_has_one_page_and_no_page_links(client, team):
    case = factories.open_case(team.service, team.officer)
    factories.log_contact(case, team.officer)
    client.force_login(team.officer)
    timeline, entries, response = _entries(client, case, 1)
    assert [kind for kind, _pk in entries] == ["contact", "event"]
    assert not timeline.has_older
    assert "Older entries" not in response.content.decode()
