"""Casework figures at the edges of a period, written to kill mutants of
reports/queries/casework.py that the other tests let live (docs/testing.md).

The year is the academic year 2024/25: 1 September 2024 to 31 August 2025, in local
(London) time. Contacts and enquiries fall one minute either side of each edge.
"""

import datetime as dt
from datetime import date

import pytest
from django.utils import timezone

from casework import actions
from casework.enums import ClosureReason, EnquirerType, Outcome
from pps.access import service_scope
from reports.periods import academic_year
from reports.queries.casework import case_movements, contact_figures, service_users
from tests import factories

pytestmark = pytest.mark.django_db


def _at(day, hour, minute):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


EDGES = {
    "before the first day": _at(date(2024, 8, 31), 23, 59),
    "first day": _at(date(2024, 9, 1), 0, 0),
    "last day": _at(date(2025, 8, 31), 23, 59),
    "after the last day": _at(date(2025, 9, 1), 0, 0),
}
# Staff minutes by edge. Inside the year 300 + 310 = 610 minutes: 10.2 office hours, a
# figure that 59 or 61 minutes to the hour (10.3, 10.0) or two decimals (10.17) change.
MINUTES = {"before the first day": 45, "first day": 300, "last day": 310, "after the last day": 45}


@pytest.fixture
def edges(team):
    """A case per edge, each with one staff contact at that edge; a substantial enquiry at
    each edge. By hand, for 2024/25: contacts 2 (first and last day) + substantial
    enquiries 2 = 4; service users 2; office hours 610 / 60 = 10.2."""
    s, by = team.service, team.officer
    for name, at in EDGES.items():
        case = factories.open_case(s, by, opened_on=date(2024, 8, 1))
        actions.log_contact(
            case=case, by=by, at=at, method="phone_out", minutes=MINUTES[name], note=name
        )
        actions.record_enquiry(
            service=s,
            by=by,
            received_at=at,
            enquirer_type=EnquirerType.PARENT,
            enquirer_name=f"Enquirer {name}",
            substantial=True,
        )
    return academic_year(2024)


def test_contacts_and_enquiries_count_from_00_00_on_the_first_day_to_23_59_on_the_last(team, edges):
    with service_scope(team.service.pk):
        figures = contact_figures(edges)
    assert figures.casework_contacts == 2
    assert figures.substantial_enquiries == 2
    assert figures.contacts == 4
    assert figures.office_hours == 10.2


def test_service_users_are_the_cases_contacted_inside_the_period_only(team, edges):
    with service_scope(team.service.pk):
        assert service_users(edges) == 2


def test_a_case_opened_on_the_periods_last_day_is_new_and_carried_forward(team):
    s, by = team.service, team.officer
    factories.open_case(s, by, opened_on=date(2024, 8, 31))  # the day before: brought forward
    factories.open_case(s, by, opened_on=date(2025, 8, 31))  # the last day: new
    factories.open_case(s, by, opened_on=date(2025, 9, 1))  # the day after: not counted
    with service_scope(s.pk):
        movements = case_movements(academic_year(2024))
    assert (movements.brought_forward, movements.new, movements.closed) == (1, 1, 0)
    assert movements.carried_forward == 2
    assert movements.casework_total == 2


def test_brought_forward_is_counted_at_the_end_of_the_day_before_the_first_day(team):
    """A case closed on a year's first day was still open the day before, so it is brought
    forward (and closed); a case opened on a year's first day is new, not brought forward.
    Two different years, so that the two mistakes cannot cancel out in one count."""
    s, by = team.service, team.officer
    closed_first_day = factories.open_case(s, by, opened_on=date(2023, 6, 5))
    actions.close_case(
        case=closed_first_day,
        by=by,
        on=date(2023, 9, 1),
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
    )
    factories.open_case(s, by, opened_on=date(2024, 9, 1))
    with service_scope(s.pk):
        year_2023 = case_movements(academic_year(2023))
        year_2024 = case_movements(academic_year(2024))
    assert (year_2023.brought_forward, year_2023.new, year_2023.closed) == (1, 0, 1)
    assert year_2023.carried_forward == 0
    assert (year_2024.brought_forward, year_2024.new, year_2024.closed) == (0, 1, 0)
    assert year_2024.carried_forward == 1
