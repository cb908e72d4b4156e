"""One volunteer never sees another volunteer's cases or returns, even in the same service
and both on duty. Written to kill mutants of casework/access.py and volunteers/access.py
that drop the "this user" filter (docs/testing.md): every other access test had one
volunteer per service, so "any volunteer on duty" passed for "this volunteer"."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import actions
from pps.roles import Role
from tests import factories
from volunteers.actions import submit_monthly_return
from volunteers.forms import recent_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(team):
    """A second volunteer of the same service, on duty, named to come first on the register
    (so a query that forgot the user would pick them)."""
    user = factories.UserFactory(
        service=team.service, role=Role.VOLUNTEER, username="northshire-volunteer-2"
    )
    record = factories.make_volunteer(team.service, user=user)
    record.first_name = "Aaron"
    record.save()
    return user, record


def _allocated(team, volunteer):
    today = timezone.localdate()
    case = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=30))
    actions.allocate_volunteer(
        case=case, volunteer=volunteer, by=team.officer, started_on=today - timedelta(days=7)
    )
    return case


def test_a_volunteer_sees_only_the_cases_allocated_to_them(client, team, colleague):
    _user, colleague_record = colleague
    mine = _allocated(team, team.volunteer_record)
    theirs = _allocated(team, colleague_record)
    client.force_login(team.volunteer)
    assert client.get(reverse("casework:case-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("casework:case-detail", args=[theirs.pk])).status_code == 404
    listed = client.get(reverse("casework:my-allocated-cases")).content.decode()
    assert mine.reference in listed
    assert theirs.reference not in listed


def test_a_volunteer_sees_and_sends_only_their_own_returns(client, team, colleague):
    colleague_user, colleague_record = colleague
    last_month, month_before = recent_months(timezone.localdate(), 2)
    submit_monthly_return(
        volunteer=colleague_record,
        month=month_before,
        by=colleague_user,
        phone_hours=Decimal("7.25"),
    )
    client.force_login(team.volunteer)
    page = client.get(reverse("volunteers:my-returns")).content.decode()
    assert "7.25" not in page
    assert "None yet." in page

    sent = client.post(
        reverse("volunteers:my-returns"),
        {
            "month": last_month.isoformat(),
            "phone_hours": "3.5",
            "meeting_hours": "0",
            "paperwork_hours": "0",
            "tribunal_hours": "0",
        },
    )
    assert sent.status_code == 302
    # Their own return is listed on their page (a volunteer is the role that sees "own").
    page = client.get(reverse("volunteers:my-returns")).content.decode()
    assert "3.50" in page
    assert "7.25" not in page
    assert team.volunteer_record.monthly_returns.get().phone_hours == Decimal("3.50")
    assert colleague_record.monthly_returns.get().phone_hours == Decimal("7.25")
