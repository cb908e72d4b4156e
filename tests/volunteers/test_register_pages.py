"""The register through real requests: pipeline, flags, courses, meetings and returns."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape

from casework.actions import allocate_volunteer
from tests import factories
from volunteers.actions import enrol_trainee, record_supervision
from volunteers.models import (
    CourseSession,
    MonthlyReturn,
    TrainingCourse,
    VolunteerMeeting,
    VolunteerStatus,
)
from volunteers.rules import supervision_overdue, term_days_between

pytestmark = pytest.mark.django_db


def test_term_time_leaves_out_the_summer_holiday():
    # 1 July to 30 September: 91 days, less the 31 of August.
    assert term_days_between(date(2026, 7, 1), date(2026, 9, 30)) == 60
    # Supervised 10 July: 21 days of July, 30 of September and 5 of October make the 56
    # days of 8 weeks on 5 October (not 4 September); overdue from 6 October.
    assert not supervision_overdue(date(2026, 7, 10), date(2026, 10, 5))
    assert supervision_overdue(date(2026, 7, 10), date(2026, 10, 6))
    assert supervision_overdue(date(2026, 1, 5), date(2026, 3, 3))  # 57 days, no August


def test_register_flags_supervision_overdue_and_dbs_due(client, team):
    today = timezone.localdate()
    quiet = factories.make_volunteer(
        team.service,
        since=today - timedelta(days=400),
        dbs_checked_on=today - timedelta(days=400),
        dbs_renewal_due_on=today + timedelta(days=20),
    )
    record_supervision(
        volunteer=quiet, on=today - timedelta(days=200), by=team.coordinator, kind="supervision"
    )
    fresh = factories.make_volunteer(
        team.service, since=today - timedelta(days=400), dbs_checked_on=today
    )
    record_supervision(
        volunteer=fresh, on=today - timedelta(days=10), by=team.coordinator, kind="supervision"
    )
    record_supervision(
        volunteer=fresh, on=today - timedelta(days=3), by=team.coordinator, kind="cpd"
    )
    client.force_login(team.coordinator)
    response = client.get(reverse("volunteers:register"))
    rows = {row.record.pk: row.get_cell_value("flags") for row in response.context["table"].rows}
    assert rows[quiet.pk] == "Supervision overdue; DBS renewal due"
    assert rows[fresh.pk] == ""
    due_only = client.get(reverse("volunteers:register"), {"dbs_due": "true"})
    assert [row.record.pk for row in due_only.context["table"].rows] == [quiet.pk]


def test_a_status_change_before_the_last_one_is_refused_beside_the_field(client, team):
    volunteer = factories.make_volunteer(team.service, since=date(2026, 6, 1))
    client.force_login(team.coordinator)
    url = reverse("volunteers:volunteer-status", args=[volunteer.pk])
    refused = client.post(url, {"status": "paused", "on": "2026-05-01"})
    assert refused.status_code == 400
    assert "date this one after it" in refused.context["status_form"].errors["on"][0]
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE
    assert client.post(url, {"status": "paused", "on": "2026-07-01"}).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.PAUSED
    assert volunteer.status_changes.count() == 2


def test_a_course_warns_outside_6_to_10_trainees_and_completion_moves_a_trainee_on(client, team):
    course = TrainingCourse.objects.create(service=team.service, title="Autumn IPS course")
    trainee = factories.make_volunteer(
        team.service, status=VolunteerStatus.IN_TRAINING, since=date(2026, 9, 1)
    )
    client.force_login(team.coordinator)
    assert (
        client.post(
            reverse("volunteers:course-enrol", args=[course.pk]), {"volunteer": trainee.pk}
        ).status_code
        == 302
    )
    page = client.get(reverse("volunteers:course-detail", args=[course.pk]))
    assert page.context["size_warning"]
    assert "planned for 6 to 10" in page.content.decode()
    for _ in range(5):
        enrol_trainee(course=course, volunteer=factories.make_volunteer(team.service))
    page = client.get(reverse("volunteers:course-detail", args=[course.pk]))
    assert not page.context["size_warning"]

    session = CourseSession.objects.create(
        service=team.service, course=course, on=date(2026, 10, 1), topic="The SEN framework"
    )
    client.post(
        reverse("volunteers:course-attendance", args=[course.pk, session.pk]),
        {"attended_by": [trainee.pk]},
    )
    assert list(session.attended_by.all()) == [trainee]

    enrolment = course.enrolments.get(volunteer=trainee)
    done = client.post(
        reverse("volunteers:course-complete", args=[course.pk, enrolment.pk]),
        {"on": "2026-11-20", "certificate": "OCN level 2"},
    )
    assert done.status_code == 302
    trainee.refresh_from_db()
    assert trainee.status == VolunteerStatus.SHADOWING
    assert trainee.initial_training_completed_on == date(2026, 11, 20)


def test_a_meeting_is_recorded_with_its_attendance(client, team):
    client.force_login(team.coordinator)
    response = client.post(
        reverse("volunteers:meeting-create"),
        {
            "kind": "coffee_morning",
            "on": "2026-11-03",
            "venue": "Swaffham library",
            "attended_by": [team.volunteer_record.pk],
            "other_attendees": "6",
        },
    )
    assert response.status_code == 302
    meeting = VolunteerMeeting.objects.get(service=team.service)
    assert list(meeting.attended_by.all()) == [team.volunteer_record]
    assert meeting.other_attendees == 6


def test_a_volunteer_sends_a_return_and_the_coordinator_sees_who_has_not(client, team, other_team):
    other_ips = factories.make_volunteer(team.service, since=date(2024, 1, 8))
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    client.force_login(team.coordinator)
    missing = client.get(reverse("volunteers:returns")).context["missing"]
    assert {v.pk for v in missing} == {team.volunteer_record.pk, other_ips.pk}

    client.force_login(team.volunteer)
    sent = client.post(
        reverse("volunteers:my-returns"),
        {
            "month": last_month.isoformat(),
            "phone_hours": "3.5",
            "meeting_hours": "2",
            "paperwork_hours": "1",
            "tribunal_hours": "0",
        },
    )
    assert sent.status_code == 302
    again = client.post(
        reverse("volunteers:my-returns"),
        {
            "month": last_month.isoformat(),
            "phone_hours": "1",
            "meeting_hours": "0",
            "paperwork_hours": "0",
            "tribunal_hours": "0",
        },
    )
    assert "already been sent" in again.content.decode()
    saved = MonthlyReturn.objects.get(volunteer=team.volunteer_record)
    assert saved.total_hours == Decimal("6.5")

    client.force_login(team.coordinator)
    page = client.get(reverse("volunteers:returns"))
    assert {v.pk for v in page.context["missing"]} == {other_ips.pk}
    assert [row.record for row in page.context["table"].rows] == [saved]
    export = client.get(reverse("volunteers:returns-export"))
    assert "6.50" in export.content.decode()


def test_a_volunteer_never_sees_anothers_returns(client, team):
    colleague = factories.make_volunteer(team.service, since=date(2024, 1, 8))
    MonthlyReturn.objects.create(
        service=team.service,
        volunteer=colleague,
        month=date(2026, 10, 1),
        phone_hours=Decimal(7),
    )
    client.force_login(team.volunteer)
    page = client.get(reverse("volunteers:my-returns"))
    assert list(page.context["returns"]) == []
    assert client.get(reverse("volunteers:returns")).status_code == 403
    assert (
        client.get(reverse("volunteers:volunteer-detail", args=[colleague.pk])).status_code == 403
    )


def test_allocation_needs_the_locality_and_the_parents_language(team):
    from pps.models import Locality

    north, south = Locality.objects.filter(service=team.service)[:2]
    parent = factories.ParentFactory(
        service=team.service, first_language="Polish", interpreter_needed=True
    )
    case = factories.open_case(team.service, team.officer, parent=parent, locality=north)
    southern = factories.make_volunteer(team.service, languages="Polish")
    southern.localities.set([south])
    english_only = factories.make_volunteer(team.service)
    english_only.localities.set([north])
    polish = factories.make_volunteer(team.service, languages="Polish, Russian")
    polish.localities.set([north])
    today = timezone.localdate()
    with pytest.raises(
        ValidationError, match="cannot take this case: only active IPS who cover North"
    ):
        allocate_volunteer(case=case, volunteer=southern, by=team.officer, started_on=today)
    with pytest.raises(ValidationError, match="and speak Polish"):
        allocate_volunteer(case=case, volunteer=english_only, by=team.officer, started_on=today)
    assert allocate_volunteer(case=case, volunteer=polish, by=team.officer, started_on=today)


def test_the_register_page_costs_the_same_queries_for_3_or_30_volunteers(client, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client.force_login(team.coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("volunteers:register")).status_code == 200
        return len(queries)

    for _ in range(2):
        factories.make_volunteer(team.service).localities.set(team.service.localities.all())
    few = count()
    for _ in range(27):
        volunteer = factories.make_volunteer(team.service)
        volunteer.localities.set(team.service.localities.all())
        record_supervision(
            volunteer=volunteer, on=date(2026, 10, 1), by=team.coordinator, kind="supervision"
        )
    assert count() == few


def test_the_register_and_its_export_name_each_volunteers_localities(client, team):
    north, south = team.service.localities.filter(name__in=["North", "South"]).order_by("name")
    north.name = "North <Fen>"
    north.save()
    both = factories.make_volunteer(team.service)
    both.localities.set([north, south])
    neither = factories.make_volunteer(team.service)
    client.force_login(team.coordinator)

    response = client.get(reverse("volunteers:register"))
    # As the page prints them: escaped (a cell may be marked safe already, or not).
    cells = {
        row.record.pk: conditional_escape(row.get_cell("localities"))
        for row in response.context["table"].rows
    }
    assert (cells[both.pk], cells[neither.pk]) == ("North &lt;Fen&gt;, South", "—")
    assert "North &lt;Fen&gt;, South</td>" in response.content.decode()

    export = client.get(reverse("volunteers:register-export")).content.decode()
    assert "North <Fen>, South" in export
