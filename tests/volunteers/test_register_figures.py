"""The register's figures against counts made by hand (docs/domain.md, "Active IPS and IPS hours";
benchmarking E-G)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casework.actions import allocate_volunteer
from pps.access import service_scope
from reports.periods import financial_year
from reports.queries.casework import service_users
from reports.queries.volunteers import (
    active_ips_by_month,
    ips_hours_by_month,
    service_users_per_active_ips,
    volunteer_figures,
)
from tests import factories
from volunteers.actions import record_status_change, submit_monthly_return
from volunteers.models import VolunteerRole, VolunteerStatus
from volunteers.queries import active_on, dbs_renewal_due

pytestmark = pytest.mark.django_db

ACTIVE, PAUSED, LEFT = VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED, VolunteerStatus.LEFT


def _moves(volunteer, by, *moves):
    for status, on in moves:
        record_status_change(volunteer=volunteer, status=status, on=on, by=by)
    return volunteer


@pytest.fixture
def register(team, other_team):
    """Financial year 2025-26 (1 April 2025 - 31 March 2026), worked by hand:

    V1 IPS active since June 2024, still active: every month; at 31 March.
    V2 IPS active since September 2024, left 15 October 2025: April to October.
    V3 IPS active January 2025, paused 1 July 2025, active again 1 December 2025:
       April-July (active on the morning of 1 July, the day of the change) and
       December-March; at 31 March.
    V4 IPS in training April 2025, completed the course 30 June, shadowing 1 July, active
       15 September: September-March; at 31 March; newly trained in the year.
    V5 other volunteer, active since 2023: an other active volunteer at 31 March.
    V6 other volunteer who left on 31 March 2026: not active that day.
    Another service's active IPS is never counted.
    """
    s, by = team.service, team.coordinator
    # The team's own volunteer (active since 2020) would be a fifth IPS: they left in 2024.
    _moves(team.volunteer_record, by, (LEFT, date(2024, 3, 1)))
    v1 = factories.make_volunteer(s, status=VolunteerStatus.ENQUIRER, since=date(2024, 1, 10))
    _moves(v1, by, (ACTIVE, date(2024, 6, 1)))
    v2 = factories.make_volunteer(s, since=date(2024, 9, 1))
    _moves(v2, by, (LEFT, date(2025, 10, 15)))
    v3 = factories.make_volunteer(s, since=date(2025, 1, 1))
    _moves(v3, by, (PAUSED, date(2025, 7, 1)), (ACTIVE, date(2025, 12, 1)))
    v4 = factories.make_volunteer(
        s,
        status=VolunteerStatus.IN_TRAINING,
        since=date(2025, 4, 10),
        initial_training_completed_on=date(2025, 6, 30),
    )
    _moves(v4, by, (VolunteerStatus.SHADOWING, date(2025, 7, 1)), (ACTIVE, date(2025, 9, 15)))
    factories.make_volunteer(s, role=VolunteerRole.OTHER, since=date(2023, 1, 1))
    v6 = factories.make_volunteer(s, role=VolunteerRole.OTHER, since=date(2023, 1, 1))
    _moves(v6, by, (LEFT, date(2026, 3, 31)))
    factories.make_volunteer(other_team.service, since=date(2024, 1, 1))
    return {"v1": v1, "v2": v2, "v3": v3, "v4": v4}


def test_active_ips_in_each_month_and_at_31_march(team, register):
    with service_scope(team.service.pk):
        by_month = [count for _, count in active_ips_by_month(financial_year(2025))]
        figures = volunteer_figures(financial_year(2025))
    #           Apr May Jun Jul Aug Sep Oct Nov Dec Jan Feb Mar
    assert by_month == [3, 3, 3, 3, 2, 3, 3, 2, 3, 3, 3, 3]
    assert figures.active_ips_at_end == 3
    assert figures.ips_newly_trained == 1
    assert figures.other_volunteers_at_end == 1


def test_ips_hours_are_the_monthly_returns_casework(team, register):
    by = team.coordinator
    submit_monthly_return(
        volunteer=register["v1"],
        month=date(2025, 4, 1),
        by=by,
        phone_hours=Decimal("2.5"),
        meeting_hours=Decimal(3),
        paperwork_hours=Decimal(1),
    )
    submit_monthly_return(
        volunteer=register["v2"], month=date(2025, 4, 1), by=by, tribunal_hours=Decimal(4)
    )
    submit_monthly_return(
        volunteer=register["v1"], month=date(2025, 5, 1), by=by, phone_hours=Decimal(5)
    )
    submit_monthly_return(
        volunteer=register["v1"], month=date(2025, 3, 1), by=by, phone_hours=Decimal(9)
    )  # March 2025: the year before
    with service_scope(team.service.pk):
        hours = ips_hours_by_month(financial_year(2025))
    assert hours == {date(2025, 4, 1): Decimal("10.5"), date(2025, 5, 1): Decimal(5)}


def test_a_return_is_refused_twice_for_a_month_or_with_impossible_hours(team, register):
    v1, by = register["v1"], team.coordinator
    submit_monthly_return(volunteer=v1, month=date(2025, 6, 1), by=by, phone_hours=Decimal(1))
    with pytest.raises(ValidationError) as twice:
        submit_monthly_return(volunteer=v1, month=date(2025, 6, 15), by=by)
    assert "month" in twice.value.message_dict
    with pytest.raises(ValidationError) as negative:
        submit_monthly_return(
            volunteer=v1, month=date(2025, 7, 1), by=by, meeting_hours=Decimal(-1)
        )
    assert "meeting_hours" in negative.value.message_dict
    with pytest.raises(ValidationError):
        submit_monthly_return(volunteer=v1, month=date(2025, 7, 1), by=by, phone_hours=Decimal(500))


def test_status_changes_are_dated_in_order(team, register):
    with pytest.raises(ValidationError) as early:
        record_status_change(
            volunteer=register["v3"], status=PAUSED, on=date(2025, 11, 1), by=team.coordinator
        )
    assert "on" in early.value.message_dict
    with pytest.raises(ValidationError) as same:
        record_status_change(
            volunteer=register["v1"], status=ACTIVE, on=date(2026, 1, 1), by=team.coordinator
        )
    assert "status" in same.value.message_dict
    with service_scope(team.service.pk):
        assert active_on(date(2025, 10, 14)).count() == 3  # V1, V2 (leaves the next day), V4
        assert active_on(date(2025, 10, 15)).count() == 2


def test_dbs_renewals_due_within_60_days(team):
    s = team.service
    due = factories.make_volunteer(s, dbs_renewal_due_on=date(2026, 1, 20))
    overdue = factories.make_volunteer(s, dbs_renewal_due_on=date(2025, 10, 1))
    factories.make_volunteer(s, dbs_renewal_due_on=date(2026, 1, 24))  # 61 days on
    gone = factories.make_volunteer(s, dbs_renewal_due_on=date(2025, 10, 1))
    _moves(gone, team.coordinator, (LEFT, date(2025, 9, 1)))
    with service_scope(s.pk):
        assert set(dbs_renewal_due(date(2025, 11, 24))) == {due, overdue}


def test_service_users_are_cases_with_a_contact_in_the_year(team):
    """By hand: A (staff contact in the year), D (volunteer contact in the year) count;
    B (contact only the year before) and C (no contact) do not: 2."""
    s, by = team.service, team.officer
    a = factories.open_case(s, by, opened_on=date(2025, 3, 1))
    factories.log_contact(a, by, on=date(2025, 4, 2))
    b = factories.open_case(s, by, opened_on=date(2025, 1, 6))
    factories.log_contact(b, by, on=date(2025, 3, 31))
    factories.open_case(s, by, opened_on=date(2025, 5, 1))
    d = factories.open_case(s, by, opened_on=date(2025, 9, 1))
    allocate_volunteer(case=d, volunteer=team.volunteer_record, by=by, started_on=d.opened_on)
    factories.log_contact(d, team.volunteer, on=date(2026, 3, 31))
    factories.record_enquiry(s, by, on=date(2025, 6, 1), substantial=True)
    with service_scope(s.pk):
        assert service_users(financial_year(2025)) == 2
        # One IPS (the team's own) active at 31 March 2026: 2 service users each.
        assert service_users_per_active_ips(financial_year(2025)) == 2.0


def test_no_active_ips_gives_no_ratio(team):
    record_status_change(
        volunteer=team.volunteer_record, status=LEFT, on=date(2024, 1, 5), by=team.coordinator
    )
    with service_scope(team.service.pk):
        assert service_users_per_active_ips(financial_year(2025)) is None
