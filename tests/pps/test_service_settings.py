"""A coordinator sets their service's settings; nobody overwrites anybody unseen."""

import pytest
from django.urls import reverse

from pps.models import Service

pytestmark = pytest.mark.django_db


def _data(service, **changes):
    data = {
        "academic_year_start_month": service.academic_year_start_month,
        "response_standard_days": service.response_standard_days,
        "evaluation_link_days": service.evaluation_link_days,
        "satisfaction_target": service.satisfaction_target,
        "reference_prefix": service.reference_prefix,
        "idle_timeout_minutes": service.idle_timeout_minutes,
        "version": service.version,
    }
    return data | changes


def test_a_coordinator_sets_the_target_and_link_days(client, team, other_team):
    client.force_login(team.coordinator)
    url = reverse("service-settings")
    page = client.get(url)
    assert page.status_code == 200
    assert "Settings of Northshire PPS" in page.content.decode()
    saved = client.post(url, _data(team.service, satisfaction_target=90, evaluation_link_days=60))
    assert saved.status_code == 302
    service = Service.objects.get(pk=team.service.pk)
    assert (service.satisfaction_target, service.evaluation_link_days) == (90, 60)
    assert service.history.first().history_user == team.coordinator
    # Only their own service changed.
    assert Service.objects.get(pk=other_team.service.pk).satisfaction_target == 85


def test_bad_settings_are_refused_beside_the_field(client, team):
    client.force_login(team.coordinator)
    page = client.post(reverse("service-settings"), _data(team.service, satisfaction_target=140))
    assert page.status_code == 200
    assert "Ensure this value is less than or equal to 100." in page.content.decode()
    assert Service.objects.get(pk=team.service.pk).satisfaction_target == 85


def test_two_coordinators_cannot_overwrite_each_other(client, team):
    opened = _data(team.service)
    client.force_login(team.coordinator)
    client.post(reverse("service-settings"), opened | {"satisfaction_target": 90})
    page = client.post(reverse("service-settings"), opened | {"evaluation_link_days": 30})
    assert page.status_code == 200
    assert "Someone else saved this record after you opened it" in page.content.decode()
    service = Service.objects.get(pk=team.service.pk)
    assert (service.satisfaction_target, service.evaluation_link_days) == (90, 90)
