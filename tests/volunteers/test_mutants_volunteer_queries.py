"""Tests written for mutants of volunteers/queries.py that the register's tests let live
(docs/testing.md, "Mutation check"): the edges of a month, same-day status changes, the
60th day of the DBS warning and supervision that is really CPD."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pps.access import service_scope
from tests import factories
from volunteers.actions import record_status_change, record_supervision, submit_monthly_return
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.queries import active_during, active_on, dbs_renewal_due, returns_missing

pytestmark = pytest.mark.django_db

ACTIVE, PAUSED, LEFT = VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED, VolunteerStatus.LEFT
TRAINING = VolunteerStatus.IN_TRAINING
# Checked before training: these tests are about supervision, not the missing-DBS flag.
DBS_CHECKED = date(2019, 6, 3)


def _named(volunteer, first_name):
    Volunteer.objects.filter(pk=volunteer.pk).update(first_name=first_name, last_name="Test")
    return volunteer


@pytest.fixture
def september(team):
    """September 2025, by hand. Made in reverse order of name, so an unsorted list shows.

    Zoe    in training, active on 30 September (the month's last day): active in it.
    Yusuf  active since 2024, left on 31 August (the day before the first): not active.
    Xena   active since 2024, paused on 1 September: active on the morning of the first.
    Will   in training, active on 1 September: active in it.
    Vic    in training, active on 1 October: not active in September.
    """
    s, by = team.service, team.coordinator
    record_status_change(volunteer=team.volunteer_record, status=LEFT, on=date(2024, 3, 1), by=by)
    zoe = _named(factories.make_volunteer(s, status=TRAINING, since=date(2025, 1, 6)), "Zoe")
    record_status_change(volunteer=zoe, status=ACTIVE, on=date(2025, 9, 30), by=by)
    yusuf = _named(factories.make_volunteer(s, since=date(2024, 1, 8)), "Yusuf")
    record_status_change(volunteer=yusuf, status=LEFT, on=date(2025, 8, 31), by=by)
    xena = _named(factories.make_volunteer(s, since=date(2024, 1, 8)), "Xena")
    record_status_change(volunteer=xena, status=PAUSED, on=date(2025, 9, 1), by=by)
    will = _named(factories.make_volunteer(s, status=TRAINING, since=date(2025, 1, 6)), "Will")
    record_status_change(volunteer=will, status=ACTIVE, on=date(2025, 9, 1), by=by)
    vic = _named(factories.make_volunteer(s, status=TRAINING, since=date(2025, 1, 6)), "Vic")
    record_status_change(volunteer=vic, status=ACTIVE, on=date(2025, 10, 1), by=by)
    return {"zoe": zoe, "yusuf": yusuf, "xena": xena, "will": will, "vic": vic}


def test_active_in_a_month_counts_its_first_and_last_days_and_not_the_day_before(team, september):
    v = september
    with service_scope(team.service.pk):
        active = set(active_during(date(2025, 9, 1), date(2025, 9, 30)))
    assert active == {v["zoe"], v["xena"], v["will"]}


def test_returns_missing_are_the_months_active_ips_without_one_in_name_order(team, september):
    v = september
    with service_scope(team.service.pk):
        assert list(returns_missing(date(2025, 9, 1))) == [v["will"], v["xena"], v["zoe"]]
    submit_monthly_return(volunteer=v["xena"], month=date(2025, 9, 1), by=team.coordinator)
    with service_scope(team.service.pk):
        assert list(returns_missing(date(2025, 9, 1))) == [v["will"], v["zoe"]]


def test_of_two_status_changes_on_one_day_the_later_recorded_holds(team):
    by = team.coordinator
    back = factories.make_volunteer(team.service, since=date(2024, 1, 8))
    record_status_change(volunteer=back, status=PAUSED, on=date(2025, 9, 10), by=by)
    record_status_change(volunteer=back, status=ACTIVE, on=date(2025, 9, 10), by=by)
    with service_scope(team.service.pk):
        assert back in active_on(date(2025, 9, 10))


def test_a_dbs_renewal_exactly_60_days_on_is_due(team):
    s = team.service
    on_the_day = factories.make_volunteer(s, dbs_renewal_due_on=date(2026, 1, 23))
    factories.make_volunteer(s, dbs_renewal_due_on=date(2026, 1, 24))
    with service_scope(s.pk):
        assert set(dbs_renewal_due(date(2025, 11, 24))) == {on_the_day}


def test_cpd_does_not_stand_for_supervision_and_the_register_shows_the_latest_change(client, team):
    today = timezone.localdate()
    by = team.coordinator
    late = factories.make_volunteer(
        team.service,
        status=TRAINING,
        since=today - timedelta(days=500),
        dbs_checked_on=DBS_CHECKED,
    )
    record_status_change(volunteer=late, status=ACTIVE, on=today - timedelta(days=400), by=by)
    record_supervision(volunteer=late, on=today - timedelta(days=200), by=by, kind="supervision")
    record_supervision(volunteer=late, on=today - timedelta(days=3), by=by, kind="cpd")
    # Active again ten days ago after a pause, never supervised: two moves to active, the
    # later one starts the clock. Never supervised since 400 days ago: overdue.
    back = factories.make_volunteer(
        team.service, since=today - timedelta(days=400), dbs_checked_on=DBS_CHECKED
    )
    record_status_change(volunteer=back, status=PAUSED, on=today - timedelta(days=30), by=by)
    record_status_change(volunteer=back, status=ACTIVE, on=today - timedelta(days=10), by=by)
    never = factories.make_volunteer(
        team.service, since=today - timedelta(days=400), dbs_checked_on=DBS_CHECKED
    )
    client.force_login(by)
    response = client.get(reverse("volunteers:register"))
    rows = {row.record.pk: row for row in response.context["table"].rows}
    assert rows[late.pk].get_cell_value("flags") == "Supervision overdue"
    assert rows[late.pk].record.status_since == today - timedelta(days=400)
    assert rows[late.pk].record.last_supervision == today - timedelta(days=200)
    assert rows[back.pk].get_cell_value("flags") == ""
    assert rows[back.pk].record.active_since == today - timedelta(days=10)
    assert rows[never.pk].get_cell_value("flags") == "Supervision overdue"
    # Each row's own changes: the team's volunteer has been active since 6 January 2020.
    assert rows[team.volunteer_record.pk].record.status_since == date(2020, 1, 6)
