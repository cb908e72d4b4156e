"""A training course saved with a mistake shows the mistake beside its field."""

import pytest
from django.urls import reverse

from volunteers.models import TrainingCourse

pytestmark = pytest.mark.django_db


def test_a_course_saved_without_a_title_says_so_and_changes_nothing(client, team):
    course = TrainingCourse.objects.create(service=team.service, title="Initial IPS course")
    client.force_login(team.coordinator)
    response = client.post(
        reverse("volunteers:course-edit", args=[course.pk]),
        {"title": "", "venue": "Town hall", "version": course.version},
    )
    # The course page again (it once failed here, handed the course form twice).
    assert response.status_code == 400
    assert response.context["course_form"].errors["title"] == ["This field is required."]
    course.refresh_from_db()
    assert (course.title, course.venue, course.version) == ("Initial IPS course", "", 1)
