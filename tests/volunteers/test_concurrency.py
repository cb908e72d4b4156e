"""Double submits on the register: one enrolment, one monthly return, and a message."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.concurrent import post_at_once, postgresql_only
from volunteers.forms import recent_months
from volunteers.models import Enrolment, MonthlyReturn, TrainingCourse

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_enrolling_one_trainee_twice_at_once_makes_one_enrolment(client, team):
    course = TrainingCourse.objects.create(service=team.service, title="Initial IPS course")
    trainee = factories.make_volunteer(team.service, status="in_training")
    url = reverse("volunteers:course-enrol", args=[course.pk])

    statuses = post_at_once(team.coordinator, url, {"volunteer": trainee.pk})

    assert sorted(statuses) == [302, 400]
    assert Enrolment.objects.filter(course=course, volunteer=trainee).count() == 1


def test_two_returns_for_one_month_at_once_make_one_return(client, team):
    month = recent_months(timezone.localdate(), 1)[0]
    data = {
        "month": month.isoformat(),
        "phone_hours": "2",
        "meeting_hours": "1.5",
        "paperwork_hours": "0",
        "tribunal_hours": "0",
    }
    url = reverse("volunteers:my-returns")

    statuses = post_at_once(team.volunteer, url, data)

    assert 500 not in statuses and statuses.count(302) == 1
    assert MonthlyReturn.objects.filter(volunteer=team.volunteer_record, month=month).count() == 1
    client.force_login(team.volunteer)
    again = client.post(url, data)
    assert again.context["form"].errors["month"] == [
        "A return for this month has already been sent: correct it in the list below."
    ]
