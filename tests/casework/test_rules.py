"""Closure and evaluation due dates and response days (docs/domain.md, "Due dates"), worked out by
hand."""

from datetime import date, timedelta

import pytest

from casework.actions import record_evaluation_sent
from casework.queries import cases_due_for_closure, evaluations_due_for
from casework.rules import (
    closure_cutoff,
    closure_due_on,
    evaluation_cutoff,
    evaluation_due_on,
    response_days,
)
from pps.access import service_scope
from reports.queries.response_times import deadline
from tests import factories


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (date(2026, 8, 24), date(2026, 11, 24)),
        # 30 November + 3 months: 30 February does not exist, so the last day of February.
        (date(2025, 11, 30), date(2026, 2, 28)),
        (date(2023, 11, 30), date(2024, 2, 29)),  # a leap year
    ],
)
def test_a_case_is_due_for_closure_three_months_after_its_last_activity(last, due):
    assert closure_due_on(last) == due


def test_closure_cutoff_at_the_end_of_may():
    # On 31 May 2026 a case last active on 28 February is due; one active on 1 March is not.
    cutoff = closure_cutoff(date(2026, 5, 31))
    assert cutoff == date(2026, 2, 28)
    assert date(2026, 3, 1) > cutoff


@pytest.mark.parametrize(
    ("last_contact", "due"),
    [
        (date(2026, 10, 24), date(2026, 11, 24)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_an_evaluation_is_due_one_month_after_the_last_contact(last_contact, due):
    assert evaluation_due_on(last_contact) == due


def test_evaluation_cutoff_agrees_with_the_due_date_at_a_month_end():
    # On 28 February 2026 contacts of 28-31 January are all due; on 27 February none of them.
    assert evaluation_cutoff(date(2026, 2, 28)) == date(2026, 1, 31)
    assert evaluation_cutoff(date(2026, 2, 27)) == date(2026, 1, 27)


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("cutoff", "due_on"),
    [(closure_cutoff, closure_due_on), (evaluation_cutoff, evaluation_due_on)],
)
def test_the_cutoff_is_the_last_day_due_on_every_day_of_three_years(cutoff, due_on):
    """On every day from 2024 (a leap year) to 2026, the cutoff is due and the day after it
    is not: the single comparison the queries make agrees with the due date shown."""
    for today in _days(date(2024, 1, 1), date(2026, 12, 31)):
        last = cutoff(today)
        assert due_on(last) <= today, (today, last)
        assert due_on(last + timedelta(days=1)) > today, (today, last)


@pytest.mark.parametrize("standard", [2, 3])
def test_my_work_and_the_reports_agree_on_the_response_deadline(standard):
    """ "My work" counts the working days an enquiry has waited (response_days); the report
    compares the answer's day with a deadline. For every day of receipt in two years and
    every answer up to three weeks later, both must say the same: within the standard
    exactly when at most `standard` working days lie after the day of receipt."""
    for received in _days(date(2025, 1, 1), date(2026, 12, 31)):
        last_within = deadline(received, standard)
        for answered in _days(received, received + timedelta(days=21)):
            within = response_days(received, answered, answered) <= standard
            assert within == (answered <= last_within), (received, answered)


@pytest.mark.parametrize(
    ("received", "answered", "days"),
    [
        (date(2025, 9, 3), date(2025, 9, 6), 2),  # Wednesday to Saturday
        (date(2025, 9, 3), date(2025, 9, 8), 3),  # Wednesday to Monday
        (date(2025, 8, 22), date(2025, 8, 26), 1),  # Friday to Tuesday over a bank holiday
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # Maundy Thursday to Easter Tuesday
        (date(2025, 12, 24), date(2025, 12, 29), 1),  # Christmas Eve to the Monday after
        (date(2025, 12, 24), date(2025, 12, 24), 0),  # the day of receipt is not counted
    ],
)
def test_response_days_leave_out_the_day_of_receipt_weekends_and_bank_holidays(
    received, answered, days
):
    assert response_days(received, answered, date(2027, 1, 1)) == days
    # Unanswered, the count runs to today.
    assert response_days(received, None, answered) == days


@pytest.mark.django_db
def test_cases_are_due_for_closure_from_the_cutoff_and_not_a_day_later(team):
    """On 31 May 2026: a case last active on 28 February is due, one active on 1 March is
    not; on 1 June, the one active on 1 March is due."""
    by = team.officer
    due = factories.open_case(team.service, by, opened_on=date(2026, 2, 28))
    factories.open_case(team.service, by, opened_on=date(2026, 3, 1))
    with service_scope(team.service.pk):
        assert list(cases_due_for_closure(by, date(2026, 5, 31))) == [due]
        assert cases_due_for_closure(by, date(2026, 6, 1)).count() == 2


@pytest.mark.django_db
def test_evaluations_are_due_a_month_after_the_last_contact_at_a_month_end(team):
    """Last contact 31 January 2026: due on 28 February (no 31 February). Last contact 1
    February: due on 1 March. An evaluation sent on the day of the last contact is sent."""
    by = team.officer
    january = factories.open_case(team.service, by, opened_on=date(2026, 1, 5))
    factories.log_contact(january, by, on=date(2026, 1, 31))
    february = factories.open_case(team.service, by, opened_on=date(2026, 1, 5))
    factories.log_contact(february, by, on=date(2026, 2, 1))
    sent = factories.open_case(team.service, by, opened_on=date(2026, 1, 5))
    factories.log_contact(sent, by, on=date(2026, 1, 20))
    record_evaluation_sent(case=sent, on=date(2026, 1, 20))
    with service_scope(team.service.pk):
        assert list(evaluations_due_for(by, date(2026, 2, 27))) == []
        assert list(evaluations_due_for(by, date(2026, 2, 28))) == [january]
        assert list(evaluations_due_for(by, date(2026, 3, 1))) == [january, february]
