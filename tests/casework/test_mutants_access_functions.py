"""Every access function answered for every role, not only for the roles its views let in.

The views refuse a steering member or a network analyst before they ask
cases_visible_to or volunteers_visible_to, so "the rest see nothing" was never tried and a
mutant turning that `.none()` into `.all()` survived (docs/testing.md). The functions are
the second line of defence (a new view with a wrong `roles` would rely on them): here
each is asked directly, with real rows in the database, for every role.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from casework.access import (
    cases_visible_to,
    children_visible_to,
    contacts_visible_to,
    documents_visible_to,
    enquiries_visible_to,
    feedback_visible_to,
    parents_visible_to,
)
from casework.models import Feedback
from pps.roles import COORDINATORS, STAFF, Role
from tests import factories
from volunteers.access import (
    courses_visible_to,
    meetings_visible_to,
    returns_visible_to,
    volunteers_visible_to,
)
from volunteers.actions import submit_monthly_return
from volunteers.models import MeetingKind, TrainingCourse, VolunteerMeeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(team, settings, tmp_path):
    """One row of each kind in the team's service; the team's volunteer has no allocation
    and sent no return, so a volunteer sees none of them either."""
    settings.MEDIA_ROOT = tmp_path
    s, by = team.service, team.officer
    case = factories.open_case(s, by, opened_on=timezone.localdate() - timedelta(days=10))
    factories.log_contact(case, by)
    factories.add_document(by, case=case)
    factories.record_enquiry(s, by)
    Feedback.objects.create(
        service=s, kind="compliment", received_on=date(2025, 5, 1), channel="phone", about="service"
    )
    other = factories.make_volunteer(s)
    submit_monthly_return(volunteer=other, month=date(2025, 1, 1), by=by, phone_hours=Decimal("2"))
    TrainingCourse.objects.create(service=s, title="Initial IPS course")
    VolunteerMeeting.objects.create(
        service=s, kind=MeetingKind.SUPPORT_MEETING, on=date(2025, 2, 3)
    )


STAFF_ONLY = (
    cases_visible_to,
    contacts_visible_to,
    documents_visible_to,
    parents_visible_to,
    children_visible_to,
    enquiries_visible_to,
    feedback_visible_to,
)
COORDINATORS_ONLY = (
    volunteers_visible_to,
    courses_visible_to,
    meetings_visible_to,
    returns_visible_to,
)


@pytest.mark.parametrize("role", list(Role))
def test_each_access_function_gives_a_role_all_of_its_rows_or_none(team, rows, role):
    user = factories.UserFactory(service=team.service, role=role, username=f"asker-{role}")
    for visible_to in STAFF_ONLY:
        expected = 1 if role in STAFF else 0
        assert visible_to(user).count() == expected, (visible_to.__name__, role)
    for visible_to in COORDINATORS_ONLY:
        everything = 2 if visible_to is volunteers_visible_to else 1
        expected = everything if role in COORDINATORS else 0
        assert visible_to(user).count() == expected, (visible_to.__name__, role)
