"""Tests written for mutants of reports/queries/volunteers.py that the figures' tests let
live (docs/testing.md, "Mutation check"): a year whose active IPS differ at its start and
its end, training completed on the days either side of the year, and a ratio that is not
a whole number."""

from datetime import date

import pytest

from pps.access import service_scope
from reports.periods import financial_year
from reports.queries.volunteers import service_users_per_active_ips, volunteer_figures
from tests import factories
from volunteers.actions import record_status_change
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
