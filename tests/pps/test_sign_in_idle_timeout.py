"""The idle timeout: a service setting on top of the absolute session age, through HTTP."""

import time

import pytest
from django.urls import reverse

from pps.models import Service
from pps.sign_in import LAST_ACTIVITY_KEY

pytestmark = pytest.mark.django_db

MY_WORK = reverse("casework:my-work")


def _idle_for(client, seconds):
    """Move the session's last activity back, as if nothing had happened for `seconds`."""
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_a_request_after_the_idle_time_signs_out_with_a_message(client, team):
    client.force_login(team.officer)
    assert client.get(MY_WORK).status_code == 200
    _idle_for(client, 30 * 60 + 1)
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={MY_WORK}"
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity" in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    # Signed out for good: the next page asks to sign in again, with no message.
    assert client.get(MY_WORK)["Location"].startswith(reverse("login"))


def test_a_request_within_the_idle_time_keeps_the_user_signed_in(client, team):
    client.force_login(team.officer)
    _idle_for(client, 29 * 60)
    assert client.get(MY_WORK).status_code == 200
    # The request counted as activity: the clock starts again from it.
    assert int(time.time()) - client.session[LAST_ACTIVITY_KEY] < 5


def test_a_posted_form_after_the_idle_time_saves_nothing(client, team):
    client.force_login(team.coordinator)
    _idle_for(client, 31 * 60)
    service = team.service
    response = client.post(
        reverse("service-settings"),
        {
            "academic_year_start_month": 1,
            "response_standard_days": service.response_standard_days,
            "evaluation_link_days": service.evaluation_link_days,
            "satisfaction_target": service.satisfaction_target,
            "reference_prefix": service.reference_prefix,
            "idle_timeout_minutes": service.idle_timeout_minutes,
            "version": service.version,
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    service.refresh_from_db()
    assert service.academic_year_start_month == 9


def _settings_data(service, **changes):
    return {
        "academic_year_start_month": service.academic_year_start_month,
        "response_standard_days": service.response_standard_days,
        "evaluation_link_days": service.evaluation_link_days,
        "satisfaction_target": service.satisfaction_target,
        "reference_prefix": service.reference_prefix,
        "idle_timeout_minutes": service.idle_timeout_minutes,
        "version": service.version,
    } | changes


def test_a_coordinator_sets_the_services_idle_time(client, team, other_team):
    assert team.service.idle_timeout_minutes == 30
    client.force_login(team.coordinator)
    saved = client.post(
        reverse("service-settings"), _settings_data(team.service, idle_timeout_minutes=60)
    )
    assert saved.status_code == 302
    assert Service.objects.get(pk=team.service.pk).idle_timeout_minutes == 60
    assert Service.objects.get(pk=other_team.service.pk).idle_timeout_minutes == 30

    client.force_login(team.officer)
    _idle_for(client, 45 * 60)
    assert client.get(MY_WORK).status_code == 200
    _idle_for(client, 61 * 60)
    signed_out = client.get(MY_WORK)
    assert signed_out.status_code == 302
    page = client.get(signed_out["Location"])
    assert "after 60 minutes without activity" in page.content.decode()

    # Another service keeps its own 30 minutes.
    client.force_login(other_team.officer)
    _idle_for(client, 45 * 60)
    assert client.get(MY_WORK).status_code == 302


@pytest.mark.parametrize("value", ["2", "481", "thirty", "-5", ""])
def test_an_idle_time_out_of_range_is_refused_beside_the_field(client, team, value):
    client.force_login(team.coordinator)
    response = client.post(
        reverse("service-settings"), _settings_data(team.service, idle_timeout_minutes=value)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["idle_timeout_minutes"]
    assert Service.objects.get(pk=team.service.pk).idle_timeout_minutes == 30
