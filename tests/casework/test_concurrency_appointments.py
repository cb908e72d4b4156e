"""Two people recording one appointment as held at the same moment (docs/testing.md,
"Concurrency tests"): the appointment's row lock lets one contact in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.urls import reverse

from casework import actions
from casework.enums import AppointmentStatus
from casework.models import Appointment, Case, Contact
from tests import factories
from tests.clock import LONDON
from tests.concurrent import overlap, post_at_once, postgresql_only

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


def _close(case, team):
    return lambda: actions.close_case(
        case=case, by=team.officer, on=dt.date(2026, 11, 20), reason="resolved", outcome="resolved"
    )


def test_an_appointment_booked_while_the_case_is_being_closed_is_refused(team):
    case = factories.open_case(team.service, team.officer, opened_on=dt.date(2026, 9, 1))

    def book():
        return actions.book_appointment(
            case=case,
            officer=team.officer,
            starts_at=dt.datetime(2026, 12, 1, 10, tzinfo=LONDON),
            minutes=30,
            kind="phone_out",
        )

    closed, booked = overlap(
        _close(case, team), book, hold_at=[(pre_save, Case), (pre_save, Appointment)]
    )

    assert isinstance(closed, Case)
    assert isinstance(booked, ValidationError)
    assert not Appointment.objects.exists()


def test_one_call_on_two_cases_while_one_is_being_closed_writes_nothing(team):
    first = factories.open_case(team.service, team.officer, opened_on=dt.date(2026, 9, 1))
    second = factories.open_case(
        team.service,
        team.officer,
        opened_on=dt.date(2026, 9, 1),
        parent=first.parent,
        child=factories.ChildFactory(service=team.service),
    )

    def log_on_both():
        return actions.log_contact_on_cases(
            case=first,
            also_on=[second],
            by=team.officer,
            at=dt.datetime(2026, 11, 25, 10, tzinfo=LONDON),
            method="phone_in",
            minutes=20,
        )

    closed, logged = overlap(
        _close(second, team), log_on_both, hold_at=[(pre_save, Case), (pre_save, Contact)]
    )

    assert isinstance(closed, Case)
    assert isinstance(logged, ValidationError)
    assert not Contact.objects.exists()
