"""Case movements and the casework total against a count made by hand (docs/domain.md,
"Open cases and case movements")."""

from datetime import date

import pytest

from casework import actions
from casework.enums import ClosureReason, Outcome
from casework.models import CaseEvent
from pps.access import service_scope
from reports.periods import academic_year
from reports.queries.casework import case_movements, contact_figures
from tests import factories

pytestmark = pytest.mark.django_db


def _close(case, by, on):
    return actions.close_case(
        case=case, by=by, on=on, reason=ClosureReason.RESOLVED, outcome=Outcome.RESOLVED
    )


def _reopen(case, by, on):
    return actions.reopen_case(case=case, by=by, on=on)


@pytest.fixture
def year_2025(team):
    """Seven cases around the academic year 2025/26 (1 September 2025 - 31 August 2026).

    By hand: brought forward A and E (2); new B and G (2); re-opened A once and C twice (3);
    closed A, B, C and G (4); carried forward A, C and E (3); 2 + 2 + 3 - 4 = 3. The
    casework total is A, B, C, E and G (5): D closed on the last day before the year, F
    opened after it.
    """
    s, by = team.service, team.officer
    a = factories.open_case(s, by, opened_on=date(2025, 6, 10))
    _close(a, by, date(2025, 10, 15))
    _reopen(a, by, date(2026, 2, 3))
    b = factories.open_case(s, by, opened_on=date(2025, 10, 1))
    _close(b, by, date(2025, 12, 1))
    c = factories.open_case(s, by, opened_on=date(2025, 3, 1))
    _close(c, by, date(2025, 7, 20))
    _reopen(c, by, date(2025, 9, 10))
    _close(c, by, date(2025, 11, 10))
    _reopen(c, by, date(2026, 1, 5))
    d = factories.open_case(s, by, opened_on=date(2025, 1, 1))
    _close(d, by, date(2025, 8, 31))
    factories.open_case(s, by, opened_on=date(2025, 8, 31))  # E
    g = factories.open_case(s, by, opened_on=date(2026, 1, 2))
    _close(g, by, date(2026, 1, 2))  # opened and closed the same day: closed at its end
    return academic_year(2025)


def test_case_movements_of_the_year(team, other_team, year_2025):
    # Another service's case in the same year must not be counted.
    factories.open_case(other_team.service, other_team.officer, opened_on=date(2025, 10, 1))
    with service_scope(team.service.pk):
        movements = case_movements(year_2025)
    assert movements.brought_forward == 2
    assert movements.new == 2
    assert movements.reopened == 3
    assert movements.closed == 4
    assert movements.carried_forward == 3
    assert movements.casework_total == 5
    assert movements.balances()


def test_a_reopened_case_keeps_its_reference_and_counts_as_reopened(team):
    by = team.officer
    case = factories.open_case(team.service, by, opened_on=date(2025, 9, 15))
    reference = case.reference
    _close(case, by, date(2025, 10, 1))
    case = _reopen(case, by, date(2026, 3, 2))
    assert case.reference == reference
    assert case.is_open and case.closed_on is None
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "closed", "reopened"]
    with service_scope(team.service.pk):
        movements = case_movements(academic_year(2025))
    assert (movements.new, movements.reopened, movements.closed) == (1, 1, 1)
    assert movements.carried_forward == 1


def test_contacts_count_substantial_enquiries_and_office_hours_leave_out_volunteers(team):
    """By hand: 3 contacts on cases (2 by staff of 30 and 60 minutes, 1 by a volunteer of
    45), 1 substantial enquiry and 1 brief one: 4 contacts; office hours 90 / 60 = 1.5."""
    by = team.officer
    case = factories.open_case(team.service, by, opened_on=date(2025, 9, 1))
    factories.log_contact(case, by, on=date(2025, 9, 2), minutes=30)
    factories.log_contact(case, by, on=date(2025, 10, 2), minutes=60)
    actions.allocate_volunteer(
        case=case, volunteer=team.volunteer_record, by=by, started_on=date(2025, 9, 1)
    )
    factories.log_contact(case, team.volunteer, on=date(2025, 10, 3), minutes=45)
    factories.record_enquiry(team.service, by, on=date(2025, 9, 3), substantial=True)
    factories.record_enquiry(team.service, by, on=date(2025, 9, 4), substantial=False)
    with service_scope(team.service.pk):
        figures = contact_figures(academic_year(2025))
    assert figures.casework_contacts == 3
    assert figures.substantial_enquiries == 1
    assert figures.contacts == 4
    assert figures.office_hours == 1.5


def test_each_opening_knows_the_day_of_the_closing_that_ended_it(team, year_2025):
    """CaseEvent.ended_on, which the reports count open cases by, follows the closings."""
    with service_scope(team.service.pk):
        case = CaseEvent.objects.filter(kind="opened", on=date(2025, 3, 1)).get().case
        ends = list(case.events.values_list("kind", "on", "ended_on"))
    assert ends == [
        ("opened", date(2025, 3, 1), date(2025, 7, 20)),
        ("closed", date(2025, 7, 20), None),
        ("reopened", date(2025, 9, 10), date(2025, 11, 10)),
        ("closed", date(2025, 11, 10), None),
        ("reopened", date(2026, 1, 5), None),
    ]
