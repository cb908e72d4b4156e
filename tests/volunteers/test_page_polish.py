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
