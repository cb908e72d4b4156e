"""Tests written for mutants of reports/queries/volunteers.py that the figures' tests let
live (docs/testing.md, "Mutation check"): a year whose active IPS differ at its start and
its end, training completed on the days either side of the year, and a ratio that is not
a whole number."""

from datetime import date
from decimal import Decimal

import pytest

from pps.access import service_scope
from reports.periods import Period, financial_year
from reports.queries.volunteers import (
    IpsActivity,
    ips_activity,
    service_users_per_active_ips,
    volunteer_figures,
)
from tests import factories
from volunteers.actions import record_status_change, submit_monthly_return
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

ACTIVE, LEFT, TRAINING = VolunteerStatus.ACTIVE, VolunteerStatus.LEFT, VolunteerStatus.IN_TRAINING


@pytest.fixture
def year_2025(team):
    """Financial year 2025-26, by hand.

    A  active since 2024, left 1 June 2025: active at its start, not at its end.
    D  active since 2024: active at both.
    B  course completed 31 March 2025 (the day before the year): not newly trained.
    C  course completed 1 April 2025 (its first day), active 1 May: trained; active at end.
    E  course completed 31 March 2026 (its last day), active that day: trained; at end.
    Active IPS: 2 at 31 March 2025 and 1 April 2025 (A, D); 3 at 31 March 2026 (C, D, E).
    Five parents' cases with a contact in the year: 5 / 3 = 1.67, shown as 1.7.
    """
    s, by = team.service, team.coordinator
    record_status_change(volunteer=team.volunteer_record, status=LEFT, on=date(2024, 3, 1), by=by)
    a = factories.make_volunteer(s, since=date(2024, 1, 8))
    record_status_change(volunteer=a, status=LEFT, on=date(2025, 6, 1), by=by)
    factories.make_volunteer(s, since=date(2024, 1, 8))
    factories.make_volunteer(
        s, status=TRAINING, since=date(2025, 1, 6), initial_training_completed_on=date(2025, 3, 31)
    )
    c = factories.make_volunteer(
        s, status=TRAINING, since=date(2025, 1, 6), initial_training_completed_on=date(2025, 4, 1)
    )
    record_status_change(volunteer=c, status=ACTIVE, on=date(2025, 5, 1), by=by)
    e = factories.make_volunteer(
        s, status=TRAINING, since=date(2025, 9, 1), initial_training_completed_on=date(2026, 3, 31)
    )
    record_status_change(volunteer=e, status=ACTIVE, on=date(2026, 3, 31), by=by)
    for _ in range(5):
        case = factories.open_case(s, team.officer, opened_on=date(2025, 5, 1))
        factories.log_contact(case, team.officer, on=date(2025, 6, 2))


def test_the_years_figures_are_read_at_its_end_and_training_within_it(team, year_2025):
    with service_scope(team.service.pk):
        figures = volunteer_figures(financial_year(2025))
    assert figures.active_ips_at_end == 3
    assert figures.ips_newly_trained == 2


def test_service_users_per_active_ips_at_the_years_end_to_one_decimal(team, year_2025):
    with service_scope(team.service.pk):
        assert service_users_per_active_ips(financial_year(2025)) == 1.7


def test_ips_activity_reads_the_returns_of_the_months_the_period_touches(team):
    """Returns for November, December, January and February; the period 15 December to 31
    January touches December and January: 2 + 4 hours. The IPS active in it: the team's
    own, one who left on 20 December, one active from 31 January; not one who left on 14
    December (the day before its first). A period with no returns has 0 hours."""
    s, by = team.service, team.coordinator
    own = team.volunteer_record
    for month, hours in ((11, "1"), (1, "4"), (2, "8")):
        year = 2025 if month == 11 else 2026
        submit_monthly_return(
            volunteer=own, month=date(year, month, 1), by=by, phone_hours=Decimal(hours)
        )
    submit_monthly_return(
        volunteer=own,
        month=date(2025, 12, 1),
        by=by,
        phone_hours=Decimal(1),
        meeting_hours=Decimal("0.5"),
        paperwork_hours=Decimal("0.25"),
        tribunal_hours=Decimal("0.25"),
    )
    leaver = factories.make_volunteer(s, since=date(2024, 1, 8))
    record_status_change(volunteer=leaver, status=LEFT, on=date(2025, 12, 20), by=by)
    early = factories.make_volunteer(s, since=date(2024, 1, 8))
    record_status_change(volunteer=early, status=LEFT, on=date(2025, 12, 14), by=by)
    joiner = factories.make_volunteer(s, status=TRAINING, since=date(2025, 9, 1))
    record_status_change(volunteer=joiner, status=ACTIVE, on=date(2026, 1, 31), by=by)
    with service_scope(s.pk):
        december = ips_activity(Period(date(2025, 12, 1), date(2025, 12, 31), ""))
        stretch = ips_activity(Period(date(2025, 12, 15), date(2026, 1, 31), ""))
        empty = ips_activity(Period(date(2024, 4, 1), date(2024, 4, 30), ""))
    assert december.hours == Decimal(2)
    assert stretch == IpsActivity(active_ips=3, hours=Decimal(6))
    assert empty.hours == Decimal(0)
