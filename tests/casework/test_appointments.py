"""Appointments: booked from the case page, on My work, as a calendar file, and recorded as
the contact they became (docs/appointments.md)."""

import datetime as dt
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import actions, ics
from casework.enums import AppointmentStatus
from casework.models import Appointment, Contact
from pps.models import AccessLog
from reports.periods import Period
from reports.queries.casework import contact_figures_by_service
from tests import clock, factories
from tests.clock import LONDON

pytestmark = pytest.mark.django_db

# A Wednesday; the week of My work runs to Sunday 29 November.
WEDNESDAY = date(2026, 11, 25)


def _london(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _book(case, officer, starts_at, **fields):
    return actions.book_appointment(
        case=case,
        officer=officer,
        starts_at=starts_at,
        minutes=fields.pop("minutes", 60),
        kind=fields.pop("kind", "home_visit"),
        **fields,
    )


def _case(team, opened_on=date(2026, 9, 1)):
    return factories.open_case(team.service, team.officer, opened_on=opened_on)


# The calendar file ------------------------------------------------------------------------


def _unfold(body: bytes) -> list[str]:
    """The content lines of an iCalendar body (RFC 5545 3.1), checking how it is written."""
    assert body.endswith(b"\r\n")
    physical = body[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode()  # a fold never splits a character
    logical = []
    for line in physical:
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode() for line in logical]


def _properties(lines):
    return dict(line.split(":", 1) for line in lines if not line.startswith(("BEGIN", "END")))


def _unescape(text):
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            assert char not in ",;", text  # every comma and semicolon is escaped
            out.append(char)
    return "".join(out)


def test_the_calendar_file_is_rfc_5545(team):
    case = _case(team)
    place = "Room 3; Children's Centre, 12 Long Road\\Annexe\nRing the bell " + "é" * 60
    appointment = _book(case, team.officer, _london(date(2026, 11, 20), 10), place=place)
    stamp = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    body = ics.appointment_calendar(appointment, reference=case.reference, stamp=stamp)
    lines = _unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1
    props = _properties(lines)
    assert props["VERSION"] == "2.0"
    assert props["DTSTAMP"] == "20261101T093000Z"
    assert props["DTSTART"] == "20261120T100000Z"  # GMT in November
    assert props["DTEND"] == "20261120T110000Z"
    assert _unescape(props["LOCATION"]) == place
    assert props["UID"] == ics.uid(appointment)
    assert props["STATUS"] == "CONFIRMED"
    # A long line of two-byte characters was folded (checked by _unfold).
    assert len(body.split(b"\r\n")) > len(lines)


def test_the_uid_is_stable_and_the_sequence_follows_changes(team):
    appointment = _book(_case(team), team.officer, _london(date(2026, 11, 20), 10))
    first = _properties(
        _unfold(ics.appointment_calendar(appointment, reference="R", stamp=timezone.now()))
    )
    actions.cancel_appointment(appointment=appointment)
    appointment.refresh_from_db()
    second = _properties(
        _unfold(ics.appointment_calendar(appointment, reference="R", stamp=timezone.now()))
    )
    assert first["UID"] == second["UID"]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second["STATUS"] == "CANCELLED"


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # Summer time ends at 02:00 BST on 25 October 2026: 01:30 happens twice; the
        # first (BST) is taken.
        (_london(date(2026, 10, 24), 10), "20261024T090000Z"),
        (_london(date(2026, 10, 25), 10), "20261025T100000Z"),
        # Summer time starts at 01:00 GMT on 29 March 2026.
        (_london(date(2026, 3, 28), 23, 30), "20260328T233000Z"),
        (_london(date(2026, 3, 29), 9), "20260329T080000Z"),
    ],
)
def test_times_are_in_utc_either_side_of_the_clock_change(local, utc):
    assert ics.utc(local) == utc


def test_text_escaping():
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_the_download_names_no_one_and_is_logged(client, team):
    case = _case(team)
    appointment = _book(
        case, team.officer, _london(date(2026, 11, 20), 10), attendees="Gran and the SENCo"
    )
    client.force_login(team.officer)
    before = AccessLog.objects.count()
    response = client.get(reverse("casework:appointment-calendar", args=[appointment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert case.reference in body
    for personal in (case.parent.first_name, case.parent.last_name, case.child.first_name, "SENCo"):
        assert personal not in body
    assert AccessLog.objects.count() == before + 1


def test_another_service_gets_404_and_a_volunteer_403(client, team, other_team):
    appointment = _book(_case(team), team.officer, _london(date(2026, 11, 20), 10))
    client.force_login(other_team.officer)
    for name in (
        "appointment-calendar",
        "appointment-edit",
        "appointment-held",
        "appointment-cancel",
    ):
        url = reverse(f"casework:{name}", args=[appointment.pk])
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("casework:appointment-cancel", args=[appointment.pk]), {"version": 1}
        ).status_code
        == 404
    )
    client.force_login(team.volunteer)
    assert (
        client.get(reverse("casework:appointment-calendar", args=[appointment.pk])).status_code
        == 403
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


# Booking, changing, cancelling -------------------------------------------------------------


def test_book_from_the_case_page(client, team):
    case = _case(team)
    client.force_login(team.officer)
    page = client.get(reverse("casework:case-detail", args=[case.pk]))
    book = reverse("casework:appointment-book", args=[case.pk])
    assert book in page.content.decode()
    response = client.post(
        book,
        {
            "starts_at": "2026-12-02T14:30",
            "minutes": "90",
            "kind": "school_meeting",
            "place": "Hilltop Primary",
            "attendees": "SENCo, class teacher",
            "officer": team.officer.pk,
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(case=case)
    assert appointment.starts_at == _london(date(2026, 12, 2), 14, 30)
    assert (appointment.minutes, appointment.place) == (90, "Hilltop Primary")
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "Meeting at school, 2 December 2026, 14:30 (90 minutes) at Hilltop Primary" in page


def test_a_bad_booking_is_refused_beside_its_field(client, team):
    case = _case(team)
    client.force_login(team.officer)
    response = client.post(
        reverse("casework:appointment-book", args=[case.pk]),
        {
            "starts_at": "2026-08-01T10:00",
            "minutes": "0",
            "kind": "office",
            "officer": team.officer.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "minutes" in errors
    assert not Appointment.objects.exists()
    response = client.post(
        reverse("casework:appointment-book", args=[case.pk]),
        {
            "starts_at": "2026-08-01T10:00",
            "minutes": "30",
            "kind": "office",
            "officer": team.officer.pk,
        },
    )
    assert response.context["form"].errors["starts_at"] == ["This is before the case was opened."]
    assert not Appointment.objects.exists()


def test_a_closed_case_takes_no_booking(team):
    case = _case(team)
    actions.close_case(
        case=case, by=team.officer, on=date(2026, 10, 1), reason="resolved", outcome="resolved"
    )
    with pytest.raises(ValidationError):
        _book(case, team.officer, _london(date(2026, 12, 1), 10))


def test_closing_a_case_cancels_what_is_still_booked_on_it(team):
    case = _case(team)
    held = _book(case, team.officer, _london(date(2026, 9, 2), 10))
    actions.record_appointment_held(
        appointment=held,
        by=team.officer,
        at=_london(date(2026, 9, 2), 10),
        method="home_visit",
        minutes=60,
    )
    booked = _book(case, team.officer, _london(timezone.localdate() + dt.timedelta(days=7), 10))
    other = _book(
        _case(team), team.officer, _london(timezone.localdate() + dt.timedelta(days=7), 11)
    )
    actions.close_case(
        case=case, by=team.officer, on=timezone.localdate(), reason="resolved", outcome="resolved"
    )
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {
        held.pk: AppointmentStatus.HELD,
        booked.pk: AppointmentStatus.CANCELLED,
        other.pk: AppointmentStatus.BOOKED,
    }
    # The cancelling is in the appointment's history, as any change is.
    assert booked.history.first().status == AppointmentStatus.CANCELLED


def test_a_stale_change_is_refused_and_loses_nothing(client, team):
    appointment = _book(_case(team), team.officer, _london(date(2026, 12, 1), 10), place="Office")
    url = reverse("casework:appointment-edit", args=[appointment.pk])
    client.force_login(team.officer)
    form = client.get(url).context["form"]
    data = {
        "version": form.initial["version"],
        "starts_at": "2026-12-01T11:00",
        "minutes": "60",
        "kind": "home_visit",
        "place": "The family's home",
        "attendees": "",
        "officer": team.officer.pk,
    }
    # A colleague moves it first.
    assert client.post(url, {**data, "place": "Library"}).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Library" in response.content.decode()  # the colleague's value is shown
    appointment.refresh_from_db()
    assert appointment.place == "Library"
    # Cancelling from a page opened before the change is refused too.
    cancel = reverse("casework:appointment-cancel", args=[appointment.pk])
    response = client.post(cancel, {"version": data["version"]})
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert client.post(cancel, {"version": appointment.version}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert client.get(url).status_code == 404  # a cancelled one is not changed


# Held: it becomes a contact --------------------------------------------------------------


def test_record_as_held_makes_one_contact_counted_once(client, team):
    case = _case(team)
    appointment = _book(
        case, team.officer, _london(date(2026, 11, 10), 10), minutes=75, kind="home_visit"
    )
    url = reverse("casework:appointment-held", args=[appointment.pk])
    client.force_login(team.officer)
    form = client.get(url).context["form"]
    # The form is filled in from the booking.
    assert form["minutes"].value() == 75
    assert form["method"].value() == "home_visit"
    assert form["at"].value() == dt.datetime(2026, 11, 10, 10, 0)  # London time, as typed
    data = {
        "at": "2026-11-10T10:00",
        "method": "home_visit",
        "minutes": "75",
        "note": "Went through the draft plan",
        "version": appointment.version,
    }
    assert client.post(url, data).status_code == 302
    appointment.refresh_from_db()
    contact = Contact.objects.get(case=case)
    assert appointment.status == AppointmentStatus.HELD
    assert appointment.contact == contact
    assert (contact.minutes, contact.method, contact.by) == (75, "home_visit", team.officer)
    # Posting again (a double click, a second tab) writes no second contact.
    response = client.post(url, {**data, "version": appointment.version})
    assert response.status_code == 200
    assert "already held" in response.content.decode()
    assert Contact.objects.filter(case=case).count() == 1
    november = Period(date(2026, 11, 1), date(2026, 11, 30), "November 2026")
    figures = contact_figures_by_service([november])[team.service.pk, november]
    assert (figures.casework_contacts, figures.office_hours) == (1, 1.3)  # 75 min = 1.25 h


def test_a_refused_contact_leaves_the_appointment_booked(team):
    appointment = _book(_case(team), team.officer, _london(date(2026, 11, 10), 10))
    with pytest.raises(ValidationError):
        actions.record_appointment_held(
            appointment=appointment,
            by=team.officer,
            at=_london(date(2026, 11, 10), 10),
            method="home_visit",
            minutes=0,
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED and appointment.contact is None
    assert not Contact.objects.exists()


# My work --------------------------------------------------------------------------------


@clock.on(WEDNESDAY)
def test_my_work_lists_todays_and_this_weeks_only(client, team):
    case = _case(team)
    other = factories.open_case(team.service, team.coordinator, opened_on=date(2026, 9, 1))
    for starts_at, place in [
        (_london(date(2026, 11, 24), 10), "Tuesday's"),
        (_london(WEDNESDAY, 0, 0), "Midnight"),
        (_london(WEDNESDAY, 9), "This morning"),
        (_london(WEDNESDAY, 15), "This afternoon"),
        (_london(date(2026, 11, 29), 23, 30), "Sunday night"),
        (_london(date(2026, 11, 30), 0, 0), "Next Monday"),
    ]:
        _book(case, team.officer, starts_at, place=place)
    cancelled = _book(case, team.officer, _london(WEDNESDAY, 11), place="Called off")
    actions.cancel_appointment(appointment=cancelled)
    _book(other, team.coordinator, _london(WEDNESDAY, 12), place="A colleague's")
    client.force_login(team.officer)
    response = client.get(reverse("casework:my-work"))
    today, week = [rows for _heading, rows, _empty, _day in response.context["appointment_lists"]]
    assert [a.place for a in today] == ["Midnight", "This morning", "This afternoon"]
    assert [a.place for a in week] == ["Sunday night"]
    assert [a.passed for a in today] == [True, True, False]
    html = response.content.decode()
    assert "09:00: Home visit at This morning" in html
    assert "29 November 2026, 23:30: Home visit at Sunday night" in html
    assert html.count("(not yet recorded)") == 2
    for absent in ("Tuesday&#x27;s", "Next Monday", "Called off", "A colleague"):
        assert absent not in html


def _my_work_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("casework:my-work")).status_code == 200
    return len(queries)


@clock.on(WEDNESDAY)
def test_my_work_queries_do_not_grow_with_appointments(client, team):
    case = _case(team)
    _book(case, team.officer, _london(WEDNESDAY, 15))
    one = _my_work_queries(client, team.officer)
    for hour in range(16, 22):
        _book(_case(team), team.officer, _london(WEDNESDAY, hour))
        _book(case, team.officer, _london(date(2026, 11, 27), hour))
    assert _my_work_queries(client, team.officer) == one
