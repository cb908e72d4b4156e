"""Counting rules at the edges of their periods (docs/domain.md, "Periods" and "Counting rules"),
counted by hand.

Each test puts records on the first and last day of a period or month (and at 23:59 and
00:00 London time) and pins which side of the edge they count on. Dates lie in the past
of every day the suite is run at (docs/testing.md, "Running the suite at a date").
"""

import datetime as dt
from datetime import date

import pytest
from django.utils import timezone

from casework import actions
from casework.enums import ClosureReason, ContactMethod, EnquirerType, Outcome
from pps.access import service_scope
from reports.periods import Period, academic_year, financial_year
from reports.queries.casework import (
    ContactFigures,
    case_movements,
    contact_figures,
    contact_figures_by_service,
    pending_monthly_contact_figures,
    service_users,
)
from reports.queries.grouping import only_service_by_period
from reports.queries.response_times import response_times
from reports.queries.volunteers import (
    active_ips_by_month,
    ips_activity,
    months_of,
    volunteer_figures,
)
from tests import factories
from tests.clock import LONDON
from volunteers.actions import record_status_change
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

YEAR = academic_year(2025)  # 1 September 2025 - 31 August 2026
ACTIVE, LEFT, PAUSED = VolunteerStatus.ACTIVE, VolunteerStatus.LEFT, VolunteerStatus.PAUSED


def _close(case, by, on):
    return actions.close_case(
        case=case, by=by, on=on, reason=ClosureReason.RESOLVED, outcome=Outcome.RESOLVED
    )


def _movements(team, period=YEAR):
    with service_scope(team.service.pk):
        return case_movements(period)


def _figures(movements):
    m = movements
    return (m.brought_forward, m.new, m.reopened, m.closed, m.carried_forward, m.casework_total)


# Case movements: brought forward is open at the end of the day BEFORE the period.


def test_a_case_closed_on_the_first_day_was_brought_forward(team):
    """Open since July, closed on 1 September: open at the end of 31 August, so brought
    forward, then closed in the year; not carried forward."""
    case = factories.open_case(team.service, team.officer, opened_on=date(2025, 7, 1))
    _close(case, team.officer, YEAR.first)
    #        b/f new reo clo c/f total
    assert _figures(_movements(team)) == (1, 0, 0, 1, 0, 1)
    assert _movements(team).balances()


def test_a_case_opened_on_the_first_day_is_new_not_brought_forward(team):
    factories.open_case(team.service, team.officer, opened_on=YEAR.first)
    assert _figures(_movements(team)) == (0, 1, 0, 0, 1, 1)


def test_a_case_opened_on_the_day_before_is_brought_forward_not_new(team):
    factories.open_case(team.service, team.officer, opened_on=YEAR.day_before)
    assert _figures(_movements(team)) == (1, 0, 0, 0, 1, 1)


def test_a_case_closed_on_the_day_before_is_not_counted(team):
    case = factories.open_case(team.service, team.officer, opened_on=date(2025, 6, 2))
    _close(case, team.officer, YEAR.day_before)
    assert _figures(_movements(team)) == (0, 0, 0, 0, 0, 0)


def test_a_case_reopened_on_the_first_day_was_not_brought_forward(team):
    case = factories.open_case(team.service, team.officer, opened_on=date(2025, 6, 2))
    _close(case, team.officer, date(2025, 7, 1))
    actions.reopen_case(case=case, by=team.officer, on=YEAR.first)
    assert _figures(_movements(team)) == (0, 0, 1, 0, 1, 1)


def test_the_last_day_of_the_period_counts_and_the_day_after_does_not(team):
    """Opened on 31 August 2026: new and carried forward. Closed on 31 August 2026: closed,
    not carried forward. Opened on 1 September 2026: not in the year at all."""
    by = team.officer
    factories.open_case(team.service, by, opened_on=YEAR.last)
    closing = factories.open_case(team.service, by, opened_on=date(2026, 5, 1))
    _close(closing, by, YEAR.last)
    factories.open_case(team.service, by, opened_on=YEAR.last + dt.timedelta(days=1))
    assert _figures(_movements(team)) == (0, 2, 0, 1, 1, 2)
    assert _movements(team).balances()


def test_open_cases_in_a_month_count_a_case_open_on_any_day_of_it(team):
    """Open cases in a month (docs/domain.md, "Open cases and case movements": "open at any time in
    the month") are the month's casework total. By hand for February 2026: A closed on 1 February
    and B opened on 28 February count; C closed on 31 January and D opened on 1 March do not."""
    by, s = team.officer, team.service
    february = Period(date(2026, 2, 1), date(2026, 2, 28), "February 2026")
    a = factories.open_case(s, by, opened_on=date(2026, 1, 5))
    _close(a, by, february.first)
    factories.open_case(s, by, opened_on=february.last)  # B
    c = factories.open_case(s, by, opened_on=date(2026, 1, 5))
    _close(c, by, date(2026, 1, 31))
    factories.open_case(s, by, opened_on=date(2026, 3, 1))  # D
    movements = _movements(team, february)
    assert movements.casework_total == 2
    assert (movements.brought_forward, movements.new, movements.closed) == (1, 1, 1)
    assert movements.carried_forward == 1


# Contacts: a contact's day is its day in London, in GMT and in BST alike.


def _log(case, by, at):
    return actions.log_contact(
        case=case, by=by, at=at, method=ContactMethod.PHONE_OUT, minutes=30, note="Rang"
    )


def _london(day, hour, minute):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def test_contacts_at_the_edges_of_the_financial_year_in_summer_time(team):
    """Financial year 2025-26 ends on 31 March 2026, in British Summer Time (from 29 March).
    By hand: 00:00 on 1 April 2025 (23:00 on 31 March in UTC) and 23:59 on 31 March 2026
    count; 23:59 on 31 March 2025 and 00:00 on 1 April 2026 (23:00 UTC on 31 March) do not.
    A substantial enquiry at 23:30 on 31 March 2026 belongs to March too."""
    by = team.officer
    case = factories.open_case(team.service, by, opened_on=date(2025, 3, 3))
    _log(case, by, _london(date(2025, 3, 31), 23, 59))
    _log(case, by, _london(date(2025, 4, 1), 0, 0))
    _log(case, by, _london(date(2026, 3, 31), 23, 59))
    _log(case, by, _london(date(2026, 4, 1), 0, 0))
    for at in (_london(date(2026, 3, 31), 23, 30), _london(date(2026, 4, 1), 0, 30)):
        actions.record_enquiry(
            service=team.service,
            by=by,
            received_at=at,
            enquirer_type=EnquirerType.PARENT,
            enquirer_name="A parent",
            substantial=True,
        )
    with service_scope(team.service.pk):
        year = contact_figures(financial_year(2025))
        following = contact_figures(financial_year(2026))
        users = service_users(financial_year(2024))
    assert (year.casework_contacts, year.substantial_enquiries) == (2, 1)
    assert year.office_hours == 1.0
    assert (following.casework_contacts, following.substantial_enquiries) == (1, 1)
    assert users == 1  # the contact at 23:59 on 31 March 2025 is in 2024-25


def test_contacts_at_the_edges_of_a_month_in_greenwich_mean_time(team):
    """November 2025, in GMT: 00:00 on 1 November and 23:59 on 30 November count; 23:59
    on 31 October (BST until 26 October, so GMT here too) and 00:00 on 1 December do not."""
    by = team.officer
    case = factories.open_case(team.service, by, opened_on=date(2025, 10, 1))
    november = Period(date(2025, 11, 1), date(2025, 11, 30), "November 2025")
    for at in (
        _london(date(2025, 10, 31), 23, 59),
        _london(date(2025, 11, 1), 0, 0),
        _london(date(2025, 11, 30), 23, 59),
        _london(date(2025, 12, 1), 0, 0),
    ):
        _log(case, by, at)
    with service_scope(team.service.pk):
        assert contact_figures(november).casework_contacts == 2
        assert service_users(november) == 1
        assert service_users(Period(date(2025, 12, 2), date(2025, 12, 31), "rest")) == 0


def test_contacts_summed_by_month_land_in_their_london_month(team, django_assert_num_queries):
    """The annual report's months (pending_monthly_contact_figures), counted with UTC active.
    By hand, each contact 30 minutes by staff:
    00:00 on 1 September 2025 (BST; 23:00 on 31 August in UTC): September.
    23:30 on 31 October 2025 (GMT since the 26th): October. 00:00 on 1 November: November.
    23:30 on 31 March 2026 (BST since the 29th; 22:30 in UTC), a contact and a substantial
    enquiry: March, 2 contacts. 00:00 on 1 April 2026 (23:00 on 31 March in UTC): April.
    23:30 on 31 August 2025 and 00:00 on 1 September 2026: outside the year, nowhere.
    The year: 5 contacts on cases and 1 enquiry = 6, 150 minutes = 2.5 hours."""
    by = team.officer
    case = factories.open_case(team.service, by, opened_on=date(2025, 8, 1))
    for day, hour, minute in [
        (date(2025, 8, 31), 23, 30),
        (date(2025, 9, 1), 0, 0),
        (date(2025, 10, 31), 23, 30),
        (date(2025, 11, 1), 0, 0),
        (date(2026, 3, 31), 23, 30),
        (date(2026, 4, 1), 0, 0),
        (date(2026, 9, 1), 0, 0),
    ]:
        _log(case, by, _london(day, hour, minute))
    for substantial in (True, False):
        actions.record_enquiry(
            service=team.service,
            by=by,
            received_at=_london(date(2026, 3, 31), 23, 30),
            enquirer_type=EnquirerType.PARENT,
            enquirer_name="A parent",
            substantial=substantial,
        )
    periods = (*months_of(YEAR), YEAR)
    with timezone.override("UTC"), service_scope(team.service.pk):
        with django_assert_num_queries(1):
            by_month = pending_monthly_contact_figures(periods).run()
        by_period = contact_figures_by_service(periods)
    figures = only_service_by_period(by_month, periods, ContactFigures(0, 0, 0.0))
    counted = {
        p.label: (f.contacts, f.office_hours)
        for p, f in zip(periods, figures, strict=True)
        if f.contacts
    }
    assert counted == {
        "September 2025": (1, 0.5),
        "October 2025": (1, 0.5),
        "November 2025": (1, 0.5),
        "March 2026": (2, 0.5),
        "April 2026": (1, 0.5),
        YEAR.label: (6, 2.5),
    }
    assert figures[-1] == ContactFigures(5, 1, 2.5)
    # The same figures, in the same shape, as the conditional count of each period.
    assert by_month == by_period


def test_contacts_summed_by_month_refuse_a_period_of_part_months(team):
    part = Period(date(2025, 9, 2), date(2025, 9, 30), "from the 2nd")
    with service_scope(team.service.pk), pytest.raises(ValueError, match="Whole months"):
        pending_monthly_contact_figures([part])


# Active IPS: active on any day of the month; on the day of a change both statuses held.


def _moves(volunteer, by, *moves):
    for status, on in moves:
        record_status_change(volunteer=volunteer, status=status, on=on, by=by)


@pytest.fixture
def autumn(team):
    """IPS around October and November 2025, by hand:

    A becomes active on 31 October (the month's last day): October and November.
    B, active since 2024, leaves on 1 November (the month's first day): October and
      November (active that morning).
    C, active since 2024, leaves on 31 October: October only.
    D becomes active on 1 December: neither.
    The team's own volunteer left in 2024.
    """
    s, by = team.service, team.coordinator
    _moves(team.volunteer_record, by, (LEFT, date(2024, 3, 1)))
    a = factories.make_volunteer(s, status=VolunteerStatus.SHADOWING, since=date(2025, 6, 2))
    _moves(a, by, (ACTIVE, date(2025, 10, 31)))
    b = factories.make_volunteer(s, since=date(2024, 5, 1))
    _moves(b, by, (LEFT, date(2025, 11, 1)))
    c = factories.make_volunteer(s, since=date(2024, 5, 1))
    _moves(c, by, (LEFT, date(2025, 10, 31)))
    d = factories.make_volunteer(s, status=VolunteerStatus.SHADOWING, since=date(2025, 6, 2))
    _moves(d, by, (ACTIVE, date(2025, 12, 1)))
    return Period(date(2025, 10, 1), date(2025, 12, 31), "October to December 2025")


def test_active_ips_at_the_first_and_last_day_of_a_month(team, autumn):
    with service_scope(team.service.pk):
        by_month = [count for _, count in active_ips_by_month(autumn)]
    #                  Oct Nov Dec
    assert by_month == [3, 2, 2]


def test_an_ips_paused_and_active_again_within_a_month_counts_once(team):
    s, by = team.service, team.coordinator
    _moves(team.volunteer_record, by, (PAUSED, date(2025, 12, 1)), (ACTIVE, date(2025, 12, 31)))
    with service_scope(s.pk):
        by_month = [
            n for _, n in active_ips_by_month(Period(date(2025, 12, 1), date(2026, 1, 31), ""))
        ]
        activity = ips_activity(Period(date(2025, 12, 1), date(2025, 12, 31), ""))
    assert by_month == [1, 1]
    assert activity.active_ips == 1


def test_the_31_march_snapshot_reads_the_status_at_the_end_of_the_day(team):
    """Active IPS "at 31 March" is the status that day (docs/domain.md, "Active IPS and IPS hours"):
    one who became active on 31 March counts, one who left on 31 March does not (the status at the
    end of the day), and one who left on 1 April does."""
    s, by = team.service, team.coordinator
    _moves(team.volunteer_record, by, (LEFT, date(2026, 3, 31)))
    joining = factories.make_volunteer(s, status=VolunteerStatus.SHADOWING, since=date(2025, 9, 1))
    _moves(joining, by, (ACTIVE, date(2026, 3, 31)))
    staying = factories.make_volunteer(s, since=date(2025, 9, 1))
    _moves(staying, by, (LEFT, date(2026, 4, 1)))
    with service_scope(s.pk):
        assert volunteer_figures(financial_year(2025)).active_ips_at_end == 2


# Response times: the day of receipt not counted; weekends and bank holidays not working days.


def _enquiry(team, received, responded):
    return actions.record_enquiry(
        service=team.service,
        by=team.officer,
        received_at=_london(received, 16, 45),
        enquirer_type=EnquirerType.PARENT,
        enquirer_name="A parent",
        first_response_on=responded,
    )


@pytest.mark.parametrize(
    ("received", "last_within"),
    [
        # Friday before the summer bank holiday (Monday 25 August 2025): Tuesday, Wednesday.
        (date(2025, 8, 22), date(2025, 8, 27)),
        # Wednesday: Thursday, Friday. An answer on Saturday or Sunday took 2 working days
        # too (the day of the answer is counted only when it is a working day).
        (date(2025, 9, 3), date(2025, 9, 7)),
        # Saturday: Monday, Tuesday.
        (date(2025, 9, 6), date(2025, 9, 9)),
        # Maundy Thursday 2026: Good Friday and Easter Monday are bank holidays.
        (date(2026, 4, 2), date(2026, 4, 8)),
        # Christmas Eve 2025: Christmas Day, Boxing Day, a weekend; Monday 29, Tuesday 30.
        (date(2025, 12, 24), date(2025, 12, 30)),
    ],
)
def test_an_enquiry_is_within_two_working_days_up_to_the_last_day_and_not_after(
    team, received, last_within
):
    _enquiry(team, received, last_within)
    _enquiry(team, received, last_within + dt.timedelta(days=1))
    period = Period(received, received, "the day")
    with service_scope(team.service.pk):
        figures = response_times(period, 2, today=date(2026, 6, 1))
    assert (figures.received, figures.within, figures.later) == (2, 1, 1)


def test_an_enquiry_answered_on_the_saturday_after_a_wednesday_is_within_two_days(team):
    _enquiry(team, date(2025, 9, 3), date(2025, 9, 6))
    with service_scope(team.service.pk):
        figures = response_times(
            Period(date(2025, 9, 1), date(2025, 9, 30), ""), 2, date(2026, 1, 5)
        )
    assert (figures.within, figures.later, figures.share_within) == (1, 0, 100.0)


def test_an_unanswered_enquiry_is_overdue_the_day_after_its_deadline(team):
    """Received Friday 22 August 2025 (before a bank holiday), deadline Wednesday 27
    August: not yet due on the 27th, overdue on the 28th. A case opened without an enquiry
    on the same day, with no staff contact, is the same."""
    _enquiry(team, date(2025, 8, 22), None)
    factories.open_case(
        team.service, team.officer, opened_on=date(2025, 8, 22), received_on=date(2025, 8, 22)
    )
    period = Period(date(2025, 8, 1), date(2025, 8, 31), "August 2025")
    with service_scope(team.service.pk):
        on_deadline = response_times(period, 2, today=date(2025, 8, 27))
        after = response_times(period, 2, today=date(2025, 8, 28))
    assert (on_deadline.not_yet_due, on_deadline.overdue) == (2, 0)
    assert (after.not_yet_due, after.overdue) == (0, 2)


def test_an_enquiry_received_at_midnight_is_received_on_the_new_day(team):
    """Received at 00:00 on Monday 8 September 2025 (23:00 on Sunday in UTC): its day is
    the Monday, so an answer on Wednesday 10th took 2 working days, within the standard.
    Received at 23:59 on the Sunday, the same answer took 3 (Monday to Wednesday)."""
    for at in (_london(date(2025, 9, 8), 0, 0), _london(date(2025, 9, 7), 23, 59)):
        actions.record_enquiry(
            service=team.service,
            by=team.officer,
            received_at=at,
            enquirer_type=EnquirerType.PARENT,
            enquirer_name="A parent",
            first_response_on=date(2025, 9, 10),
        )
    later = date(2026, 1, 5)
    with service_scope(team.service.pk):
        monday = response_times(Period(date(2025, 9, 8), date(2025, 9, 8), ""), 2, later)
        sunday = response_times(Period(date(2025, 9, 7), date(2025, 9, 7), ""), 2, later)
    assert (monday.received, monday.within) == (1, 1)
    assert (sunday.received, sunday.later) == (1, 1)


def test_the_reports_use_local_midnight_whatever_the_current_time_zone(team):
    """The figures must not depend on a time zone activated for a request."""
    by = team.officer
    case = factories.open_case(team.service, by, opened_on=date(2025, 3, 3))
    _log(case, by, _london(date(2025, 4, 1), 0, 30))
    actions.record_enquiry(
        service=team.service,
        by=by,
        received_at=_london(date(2025, 9, 8), 0, 0),
        enquirer_type=EnquirerType.PARENT,
        enquirer_name="A parent",
        first_response_on=date(2025, 9, 10),
    )
    with timezone.override("UTC"), service_scope(team.service.pk):
        assert contact_figures(financial_year(2025)).casework_contacts == 1
        monday = response_times(Period(date(2025, 9, 8), date(2025, 9, 8), ""), 2, YEAR.last)
    assert (monday.received, monday.within) == (1, 1)
