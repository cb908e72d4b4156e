"""Two people recording one appointment as held at the same moment (docs/testing.md,
"Concurrency tests"): the appointment's row lock lets one contact in."""

import datetime as dt

import pytest
from django.urls import reverse

from casework import actions
from casework.enums import AppointmentStatus
from casework.models import Contact
from tests import factories
from tests.clock import LONDON
from tests.concurrent import post_at_once, postgresql_only

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def test_recording_one_appointment_as_held_twice_at_once_logs_one_contact(team):
    case = factories.open_case(team.service, team.officer, opened_on=dt.date(2026, 9, 1))
    starts_at = dt.datetime(2026, 11, 10, 10, tzinfo=LONDON)
    appointment = actions.book_appointment(
        case=case, officer=team.officer, starts_at=starts_at, minutes=45, kind="home_visit"
    )
    data = {
        "at": "2026-11-10T10:00",
        "method": "home_visit",
        "minutes": "45",
        "version": appointment.version,
    }

    statuses = post_at_once(
        team.officer, reverse("casework:appointment-held", args=[appointment.pk]), data
    )

    assert sorted(statuses) == [200, 302]
    assert Contact.objects.filter(case=case).count() == 1
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD
    assert appointment.contact == Contact.objects.get(case=case)
