"""A volunteer's access ends at once: when the coordinator marks them paused or left, and
when the case they are allocated to is closed (docs/architecture.md, "Privacy in one
place"). Everything goes through real pages and real requests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import actions
from casework.models import Allocation, Contact
from tests import factories
from volunteers.forms import recent_months
from volunteers.models import MonthlyReturn

pytestmark = pytest.mark.django_db


def _allocated_case(team):
    today = timezone.localdate()
    case = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=30))
    allocation = actions.allocate_volunteer(
        case=case,
        volunteer=team.volunteer_record,
        by=team.officer,
        started_on=today - timedelta(days=7),
    )
    contact = factories.log_contact(
        case, team.officer, follow_up="Ring the school", follow_up_due_on=today
    )
    return case, allocation, contact


def _contact_post():
    return {
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "method": "phone_out",
        "minutes": "20",
        "note": "Called the parent",
    }


def _return_post():
    return {
        "month": recent_months(timezone.localdate(), 1)[0].isoformat(),
        "phone_hours": "2",
        "meeting_hours": "1",
        "paperwork_hours": "0",
        "tribunal_hours": "0",
    }


@pytest.mark.parametrize("status", ["paused", "left"])
def test_a_volunteer_marked_paused_or_left_loses_every_case_and_return_at_once(
    client, team, status
):
    case, _allocation, contact = _allocated_case(team)
    volunteer = team.volunteer
    client.force_login(volunteer)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200
    assert case.reference in client.get(reverse("casework:my-allocated-cases")).content.decode()
    assert client.get(reverse("volunteers:my-returns")).status_code == 200
    sent = client.post(reverse("volunteers:my-returns"), _return_post())
    assert sent.status_code == 302
    assert MonthlyReturn.objects.filter(volunteer=team.volunteer_record).count() == 1

    # The coordinator marks them paused or left on the volunteer's page, today.
    client.force_login(team.coordinator)
    changed = client.post(
        reverse("volunteers:volunteer-status", args=[team.volunteer_record.pk]),
        {"status": status, "on": timezone.localdate().isoformat(), "note": ""},
    )
    assert changed.status_code == 302
    team.volunteer_record.refresh_from_db()
    assert team.volunteer_record.status == status

    client.force_login(volunteer)
    contacts_before = Contact.objects.filter(case=case).count()
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("casework:case-log-contact", args=[case.pk])).status_code == 404
    logged = client.post(reverse("casework:case-log-contact", args=[case.pk]), _contact_post())
    assert logged.status_code == 404
    follow_up = reverse("casework:follow-up-done", args=[contact.pk])
    assert client.get(follow_up).status_code == 404
    done = client.post(follow_up, {"on": timezone.localdate().isoformat()})
    assert done.status_code == 404
    mine = client.get(reverse("casework:my-allocated-cases"))
    assert mine.status_code == 403
    assert case.reference not in mine.content.decode()
    assert "paused or has ended" in mine.content.decode()
    returns = client.get(reverse("volunteers:my-returns"))
    assert returns.status_code == 403
    assert "2.00" not in returns.content.decode()
    another = _return_post() | {"month": recent_months(timezone.localdate(), 2)[1].isoformat()}
    assert client.post(reverse("volunteers:my-returns"), another).status_code == 403

    assert Contact.objects.filter(case=case).count() == contacts_before
    contact.refresh_from_db()
    assert contact.follow_up_done_on is None
    assert MonthlyReturn.objects.filter(volunteer=team.volunteer_record).count() == 1


def test_a_volunteer_back_from_a_pause_sees_their_cases_again(client, team):
    case, _allocation, _contact = _allocated_case(team)
    client.force_login(team.coordinator)
    url = reverse("volunteers:volunteer-status", args=[team.volunteer_record.pk])
    today = timezone.localdate().isoformat()
    assert client.post(url, {"status": "paused", "on": today}).status_code == 302
    client.force_login(team.volunteer)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 404
    client.force_login(team.coordinator)
    assert client.post(url, {"status": "active", "on": today}).status_code == 302
    client.force_login(team.volunteer)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200


def test_closing_a_case_ends_its_allocations_and_reopening_does_not_revive_them(client, team):
    today = timezone.localdate()
    case, allocation, _contact = _allocated_case(team)
    client.force_login(team.volunteer)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200

    client.force_login(team.officer)
    closed = client.post(
        reverse("casework:case-close", args=[case.pk]),
        {
            "on": today.isoformat(),
            "reason": "resolved",
            "outcome": "resolved",
            "summary": "Resolved.",
        },
    )
    assert closed.status_code == 302
    allocation.refresh_from_db()
    assert allocation.ended_on == today
    # The end date went through the audited path: it is in the allocation's history.
    assert allocation.history.order_by("-history_id").first().ended_on == today
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert f"to {today:%-d %B %Y}" in page

    client.force_login(team.volunteer)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 404
    mine = client.get(reverse("casework:my-allocated-cases")).content.decode()
    assert case.reference not in mine

    client.force_login(team.officer)
    reopened = client.post(
        reverse("casework:case-reopen", args=[case.pk]), {"on": today.isoformat()}
    )
    assert reopened.status_code == 302
    allocation.refresh_from_db()
    assert allocation.ended_on == today
    assert not Allocation.objects.current(today).filter(case=case).exists()
    client.force_login(team.volunteer)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 404
    logged = client.post(reverse("casework:case-log-contact", args=[case.pk]), _contact_post())
    assert logged.status_code == 404


def test_closing_a_case_in_the_past_ends_its_allocation_on_that_day(client, team):
    today = timezone.localdate()
    case, allocation, _contact = _allocated_case(team)
    earlier = allocation.started_on + timedelta(days=1)
    ended_before = factories.make_volunteer(team.service)
    old = actions.allocate_volunteer(
        case=case, volunteer=ended_before, by=team.officer, started_on=today - timedelta(days=20)
    )
    actions.end_allocation(allocation=old, on=today - timedelta(days=10))
    client.force_login(team.officer)
    closed = client.post(
        reverse("casework:case-close", args=[case.pk]),
        {
            "on": earlier.isoformat(),
            "reason": "resolved",
            "outcome": "resolved",
            "summary": "Resolved.",
        },
    )
    assert closed.status_code == 302
    allocation.refresh_from_db()
    old.refresh_from_db()
    assert allocation.ended_on == earlier
    # An allocation that had already ended keeps its own end date.
    assert old.ended_on == today - timedelta(days=10)
