"""Closure and evaluation due dates (DOMAIN.md 3), worked out by hand."""

from datetime import date

import pytest

from casework.rules import closure_cutoff, closure_due_on, evaluation_cutoff, evaluation_due_on


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
