"""The volunteer register issues a fixed number of queries whatever the size of the
register: measured with 3 volunteers and again with 40, each with localities, status
changes and supervision sessions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pps.models import Locality
from tests import factories
from volunteers.actions import record_status_change, record_supervision
from volunteers.models import SupervisionKind, VolunteerStatus

pytestmark = pytest.mark.django_db

# Measured: session, user, the second factor's device and service, the count, the audit
# row, the locality filter's choices, the page's volunteers and their localities.
CEILING = 9


def _add_volunteers(team, n):
    localities = list(Locality.objects.filter(service=team.service))
    for i in range(n):
        volunteer = factories.make_volunteer(team.service, since=dt.date(2024, 9, 2))
        volunteer.localities.set(localities[: 1 + i % len(localities)])
        record_status_change(
            volunteer=volunteer, status=VolunteerStatus.PAUSED, on=dt.date(2025, 3, 3), by=None
        )
        record_status_change(
            volunteer=volunteer, status=VolunteerStatus.ACTIVE, on=dt.date(2025, 4, 7), by=None
        )
        record_supervision(
            volunteer=volunteer,
            on=dt.date(2025, 5, 12),
            by=team.coordinator,
            kind=SupervisionKind.SUPERVISION,
        )


def _count(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("volunteers:register"))
    assert response.status_code == 200
    return len(queries), len(response.context["table"].page.object_list)


def test_the_register_issues_the_same_queries_for_3_and_40_volunteers(client, team):
    client.force_login(team.coordinator)
    _add_volunteers(team, 2)  # and the team's own volunteer
    small, small_rows = _count(client)
    _add_volunteers(team, 37)
    large, large_rows = _count(client)
    assert (small_rows, large_rows) == (3, 25)
    assert small == large <= CEILING
