"""The register's everyday polish through real requests: the status form starts at the
volunteer's current status, and no page repeats an element id (docs/domain.md,
"Volunteers and training")."""

from collections import Counter
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories
from volunteers.actions import enrol_trainee
from volunteers.models import CourseSession, TrainingCourse, VolunteerStatus

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1


def repeated_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(value for value, count in parser.ids.items() if count > 1)


def _selected_status(html: str) -> list[str]:
    """The options marked selected inside the status form's select."""
    start = html.index('name="status"')
    select = html[start : html.index("</select>", start)]
    return [part.split('"')[1] for part in select.split("<option ")[1:] if " selected" in part]


def test_the_status_form_starts_at_the_volunteers_current_status(client, team):
    active = factories.make_volunteer(team.service, status=VolunteerStatus.ACTIVE)
    paused = factories.make_volunteer(team.service, status=VolunteerStatus.PAUSED)
    client.force_login(team.coordinator)
    for volunteer, status in ((active, "active"), (paused, "paused")):
        page = client.get(reverse("volunteers:volunteer-detail", args=[volunteer.pk]))
        assert page.context["status_form"]["status"].value() == status
        assert _selected_status(page.content.decode()) == [status]


def test_a_refused_status_change_keeps_what_was_chosen(client, team):
    volunteer = factories.make_volunteer(team.service, since=date(2026, 6, 1))
    client.force_login(team.coordinator)
    url = reverse("volunteers:volunteer-status", args=[volunteer.pk])
    refused = client.post(url, {"status": "left", "on": "2026-05-01"})
    assert refused.status_code == 400
    assert _selected_status(refused.content.decode()) == ["left"]


def _volunteer_pages(team):
    volunteer = factories.make_volunteer(team.service, since=date(2026, 1, 5))
    course = TrainingCourse.objects.create(service=team.service, title="Spring IPS course")
    session = CourseSession.objects.create(
        service=team.service, course=course, on=date(2026, 3, 2), topic="The SEND Code"
    )
    enrolment = enrol_trainee(course=course, volunteer=volunteer)
    return [
        reverse("volunteers:register"),
        reverse("volunteers:volunteer-create"),
        reverse("volunteers:volunteer-detail", args=[volunteer.pk]),
        reverse("volunteers:volunteer-edit", args=[volunteer.pk]),
        reverse("volunteers:returns"),
        reverse("volunteers:course-list"),
        reverse("volunteers:course-create"),
        reverse("volunteers:course-detail", args=[course.pk]),
        reverse("volunteers:course-attendance", args=[course.pk, session.pk]),
        reverse("volunteers:course-complete", args=[course.pk, enrolment.pk]),
        reverse("volunteers:meeting-list"),
        reverse("volunteers:meeting-create"),
    ]


def test_no_volunteer_page_repeats_an_element_id(client, team):
    urls = _volunteer_pages(team)
    client.force_login(team.coordinator)
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert repeated_ids(page.content.decode()) == [], url
    client.force_login(team.volunteer)
    page = client.get(reverse("volunteers:my-returns"))
    assert page.status_code == 200
    assert repeated_ids(page.content.decode()) == []


def test_no_volunteer_page_repeats_an_id_when_its_forms_are_refused(client, team):
    volunteer = factories.make_volunteer(team.service, since=date(2026, 6, 1))
    client.force_login(team.coordinator)
    for name, data in (
        ("volunteers:volunteer-status", {"status": "paused", "on": "2026-05-01"}),
        ("volunteers:volunteer-supervision", {"kind": "supervision", "on": "2999-01-01"}),
    ):
        page = client.post(reverse(name, args=[volunteer.pk]), data)
        assert page.status_code == 400
        assert repeated_ids(page.content.decode()) == [], name


def test_the_register_counts_every_stage_of_the_pipeline_in_one_query(
    client, team, other_team, django_assert_num_queries
):
    for status, how_many in (("enquirer", 2), ("in_training", 1), ("active", 3), ("left", 1)):
        for _ in range(how_many):
            factories.make_volunteer(team.service, status=status)
    # Another service's volunteers are never counted.
    factories.make_volunteer(other_team.service, status="paused")
    client.force_login(team.coordinator)
    page = client.get(reverse("volunteers:register"), {"status": "left"})
    # The team's own volunteer record is active too; the counts ignore the list's filter.
    assert page.context["pipeline"] == [
        ("enquirer", "Enquirer", 2),
        ("applicant", "Applicant", 0),
        ("in_training", "In training", 1),
        ("shadowing", "Shadowing", 0),
        ("active", "Active", 4),
        ("paused", "Paused", 0),
        ("left", "Left", 1),
    ]
    html = page.content.decode()
    assert '<a href="/volunteers/?status=in_training">In training</a>: 1</li>' in html
    assert '<a href="/volunteers/?status=paused">Paused</a>: 0</li>' in html
    from pps.access import service_scope
    from volunteers.queries import pipeline_counts

    with service_scope(team.service.pk), django_assert_num_queries(1):
        assert pipeline_counts(team.coordinator) == page.context["pipeline"]


def test_a_trainee_without_a_dbs_check_is_flagged_on_the_register_and_their_page(client, team):
    checked = date(2025, 11, 3)
    unchecked = {
        status: factories.make_volunteer(team.service, status=status, since=date.today())
        for status in ("in_training", "shadowing", "active")
    }
    applicant = factories.make_volunteer(team.service, status="applicant")
    paused = factories.make_volunteer(team.service, status="paused")
    trainee = factories.make_volunteer(team.service, status="in_training", dbs_checked_on=checked)
    client.force_login(team.coordinator)
    page = client.get(reverse("volunteers:register"))
    flags = {row.record.pk: row.get_cell_value("flags") for row in page.context["table"].rows}
    for volunteer in unchecked.values():
        assert flags[volunteer.pk] == "No DBS check recorded"
    assert flags[applicant.pk] == ""
    assert flags[paused.pk] == ""
    assert flags[trainee.pk] == ""
    detail = client.get(reverse("volunteers:volunteer-detail", args=[unchecked["shadowing"].pk]))
    assert detail.context["flags"] == ["No DBS check recorded"]
    assert '<div class="alert alert-warning" role="status">No DBS check recorded.</div>' in (
        detail.content.decode()
    )
    detail = client.get(reverse("volunteers:volunteer-detail", args=[trainee.pk]))
    assert detail.context["flags"] == []
