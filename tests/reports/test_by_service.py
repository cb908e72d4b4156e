"""Figures of several services and several periods in one query (docs/decisions/0014),
counted by hand. Every record is dated in the past of any day the suite runs at."""

import datetime as dt
import itertools
from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scope

from casework import actions
from casework.enums import ClosureReason, ContactMethod, EnquirerType, Outcome
from casework.models import Case
from pps.access import service_scope
from reports.periods import Period, academic_year
from reports.queries.casework import (
    ContactFigures,
    case_movements,
    case_movements_by_service,
    contact_figures_by_service,
    pending_case_movements,
    pending_contacts_and_users,
    pending_monthly_contact_figures,
    service_users_by_service,
)
from reports.queries.grouping import together
from reports.queries.response_times import response_times, response_times_by_service
from reports.queries.volunteers import (
    active_ips_by_month,
    ips_activity_by_service,
    months_of,
    volunteer_counts_by_service,
)
from tests import factories
from tests.clock import LONDON
from volunteers.actions import record_status_change, submit_monthly_return
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

YEAR = academic_year(2024)  # 1 September 2024 - 31 August 2025
AUTUMN = Period(date(2024, 9, 1), date(2024, 12, 31), "autumn term")
SPRING = Period(date(2025, 1, 1), date(2025, 4, 30), "spring term")


def _at(day, hour=11, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _contact(case, by, day, minutes=30):
    return actions.log_contact(
        case=case, by=by, at=_at(day), method=ContactMethod.PHONE_OUT, minutes=minutes, note="-"
    )


def _close(case, by, on):
    actions.close_case(
        case=case, by=by, on=on, reason=ClosureReason.RESOLVED, outcome=Outcome.RESOLVED
    )


def _enquiry(team, day, responded=None, substantial=False, hour=11):
    return actions.record_enquiry(
        service=team.service,
        by=team.officer,
        received_at=_at(day, hour),
        enquirer_type=EnquirerType.PARENT,
        enquirer_name="A parent",
        first_response_on=responded,
        substantial=substantial,
    )


@pytest.fixture
def two_services(team, other_team):
    """Northshire: a case brought forward from July 2024 and closed in October; a case
    opened in November, closed in February and re-opened in March (still open); 3
    contacts in the year on 2 cases (60 + 30 staff minutes, 1 by a volunteer); one
    substantial enquiry and one not.
    Southshire: one case opened in January 2025 with 2 contacts (45 minutes each), and
    one contact in the year before (not counted)."""
    north, south = team, other_team
    old = factories.open_case(north.service, north.officer, opened_on=date(2024, 7, 1))
    _contact(old, north.officer, date(2024, 9, 10), minutes=60)
    _close(old, north.officer, date(2024, 10, 15))
    busy = factories.open_case(north.service, north.officer, opened_on=date(2024, 11, 4))
    _contact(busy, north.officer, date(2024, 11, 5))
    _close(busy, north.officer, date(2025, 2, 3))
    actions.reopen_case(case=busy, by=north.officer, on=date(2025, 3, 3))
    _contact(busy, north.volunteer, date(2025, 3, 4), minutes=90)
    _enquiry(north, date(2024, 9, 20), substantial=True)
    _enquiry(north, date(2024, 9, 21))

    case = factories.open_case(south.service, south.officer, opened_on=date(2024, 6, 3))
    _contact(case, south.officer, date(2024, 6, 4))
    _close(case, south.officer, date(2024, 6, 28))
    second = factories.open_case(south.service, south.officer, opened_on=date(2025, 1, 6))
    _contact(second, south.officer, date(2025, 1, 7), minutes=45)
    _contact(second, south.officer, date(2025, 1, 8), minutes=45)
    return north.service.pk, south.service.pk


def _movements(m):
    return (m.brought_forward, m.new, m.reopened, m.closed, m.carried_forward, m.casework_total)


def test_two_services_in_one_scope_each_get_their_own_figures_in_one_query_each(
    two_services, django_assert_num_queries
):
    north, south = two_services
    with scope(service=[north, south]):
        with django_assert_num_queries(1):
            movements = case_movements_by_service([YEAR])
        with django_assert_num_queries(1):
            contacts = contact_figures_by_service([YEAR])
        with django_assert_num_queries(1):
            users = service_users_by_service([YEAR])
    #                                     b/f new reo clo c/f total
    assert _movements(movements[north, YEAR]) == (1, 1, 1, 2, 1, 2)
    assert _movements(movements[south, YEAR]) == (0, 1, 0, 0, 1, 1)
    assert contacts[north, YEAR].casework_contacts == 3
    assert contacts[north, YEAR].substantial_enquiries == 1
    assert contacts[north, YEAR].office_hours == 1.5  # 60 + 30 staff minutes
    assert contacts[south, YEAR].casework_contacts == 2
    assert contacts[south, YEAR].substantial_enquiries == 0
    assert contacts[south, YEAR].office_hours == 1.5  # 45 + 45
    assert users == {(north, YEAR): 2, (south, YEAR): 1}


def test_figures_run_together_in_one_query_equal_each_run_alone(
    two_services, django_assert_num_queries
):
    """Case movements, contacts by term and the service users of the year, in one round
    trip: each figure as its own function counts it."""
    north, south = two_services
    with scope(service=[north, south]):
        with django_assert_num_queries(1):
            movements, (contacts, users) = together(
                pending_case_movements([YEAR]),
                pending_contacts_and_users([AUTUMN, SPRING], [YEAR]),
            )
        assert movements == case_movements_by_service([YEAR])
        assert contacts == contact_figures_by_service([AUTUMN, SPRING])
        assert users == service_users_by_service([YEAR])
    assert users == {(north, YEAR): 2, (south, YEAR): 1}
    assert contacts[north, AUTUMN].casework_contacts == 2
    assert contacts[south, SPRING].office_hours == 1.5


def test_a_figure_asked_again_counts_the_records_as_they_are_now(
    two_services, other_team, django_assert_num_queries
):
    """The SQL is compiled once per inputs and scope (grouping.compiled_once); the
    figures are read again every time: a back-dated contact counts at once, a deleted one
    no longer does, and a case opened since is new."""
    _, south = two_services
    with service_scope(south):
        before = contact_figures_by_service([YEAR])[south, YEAR]
        assert (before.casework_contacts, before.office_hours) == (2, 1.5)
        case = Case.objects.get(opened_on=date(2025, 1, 6))
        late = _contact(case, other_team.officer, date(2025, 1, 20), minutes=30)
        with django_assert_num_queries(1):
            after = contact_figures_by_service([YEAR])[south, YEAR]
        assert (after.casework_contacts, after.office_hours) == (3, 2.0)
        late.delete()
        assert contact_figures_by_service([YEAR])[south, YEAR] == before
        assert _movements(case_movements(YEAR)) == (0, 1, 0, 0, 1, 1)
        factories.open_case(other_team.service, other_team.officer, opened_on=date(2025, 5, 6))
        assert _movements(case_movements(YEAR)) == (0, 2, 0, 0, 2, 2)


def test_the_sql_of_one_scope_never_counts_another_s_records(two_services):
    """The same function and period in two scopes, one after the other: each counts its
    own service's records only, and a scope of both counts each apart."""
    north, south = two_services
    with service_scope(north):
        assert service_users_by_service([YEAR]) == {(north, YEAR): 2}
    with service_scope(south):
        assert service_users_by_service([YEAR]) == {(south, YEAR): 1}
    with scope(service=[north, south]):
        assert service_users_by_service([YEAR]) == {(north, YEAR): 2, (south, YEAR): 1}


def test_a_service_in_scope_with_no_records_has_zero_figures(two_services, db):
    north, _ = two_services
    empty = factories.make_service(name="Eastshire PPS").pk
    with scope(service=[north, empty]):
        movements = case_movements_by_service([YEAR])
        users = service_users_by_service([YEAR])
    assert _movements(movements[empty, YEAR]) == (0, 0, 0, 0, 0, 0)
    assert users[empty, YEAR] == 0


def test_the_single_service_wrapper_counts_only_the_scope_s_service(two_services):
    north, south = two_services
    with service_scope(south):
        assert _movements(case_movements(YEAR)) == (0, 1, 0, 0, 1, 1)
    with scope(service=[north, south]), pytest.raises(ValueError):
        case_movements(YEAR)


def test_several_periods_in_one_call_each_counted_on_its_own(
    two_services, django_assert_num_queries
):
    """Northshire by term: autumn has the old case brought forward and closed (15 October)
    and the busy case new (4 November); spring has the busy case brought forward, closed
    (3 February) and re-opened (3 March). The year overlaps both and is asked alongside."""
    north, south = two_services
    periods = [AUTUMN, SPRING, YEAR]
    with scope(service=[north, south]):
        with django_assert_num_queries(1):
            movements = case_movements_by_service(periods)
        with django_assert_num_queries(1):
            users = service_users_by_service(periods)
        contacts = contact_figures_by_service(periods)
    #                                       b/f new reo clo c/f total
    assert _movements(movements[north, AUTUMN]) == (1, 1, 0, 1, 1, 2)
    assert _movements(movements[north, SPRING]) == (1, 0, 1, 1, 1, 1)
    assert _movements(movements[north, YEAR]) == (1, 1, 1, 2, 1, 2)
    assert _movements(movements[south, AUTUMN]) == (0, 0, 0, 0, 0, 0)
    assert _movements(movements[south, SPRING]) == (0, 1, 0, 0, 1, 1)
    assert (users[north, AUTUMN], users[north, SPRING], users[north, YEAR]) == (2, 1, 2)
    assert contacts[north, AUTUMN].casework_contacts == 2
    assert contacts[north, SPRING].casework_contacts == 1
    assert contacts[north, SPRING].office_hours == 0  # the volunteer's 90 minutes
    assert contacts[south, SPRING].office_hours == 1.5


def test_contacts_by_month_of_two_services_sum_into_terms_and_the_year(
    two_services, django_assert_num_queries
):
    """pending_monthly_contact_figures: each month once, terms and the year its sums. By
    hand (casework contacts, substantial enquiries, office hours):
    Northshire: September 2024 1, 1, 1.0 (60 minutes; the other enquiry is not
    substantial); November 1, 0, 0.5; March 2025 1, 0, 0.0 (the volunteer's 90 minutes);
    autumn 2, 1, 1.5; spring 1, 0, 0.0; the year 3, 1, 1.5.
    Southshire: January 2025 2, 0, 1.5 (45 + 45); spring and the year the same; its June
    2024 contact is before the span. Every other month of each is 0, 0, 0.0."""
    north, south = two_services
    periods = (*months_of(YEAR), AUTUMN, SPRING, YEAR)
    with scope(service=[north, south]):
        with django_assert_num_queries(1):
            contacts = pending_monthly_contact_figures(periods).run()
        assert contacts == contact_figures_by_service(periods)
    counted = {
        (service, period.label): (f.casework_contacts, f.substantial_enquiries, f.office_hours)
        for (service, period), f in contacts.items()
        if f != ContactFigures(0, 0, 0.0)
    }
    assert counted == {
        (north, "September 2024"): (1, 1, 1.0),
        (north, "November 2024"): (1, 0, 0.5),
        (north, "March 2025"): (1, 0, 0.0),
        (north, AUTUMN.label): (2, 1, 1.5),
        (north, SPRING.label): (1, 0, 0.0),
        (north, YEAR.label): (3, 1, 1.5),
        (south, "January 2025"): (2, 0, 1.5),
        (south, SPRING.label): (2, 0, 1.5),
        (south, YEAR.label): (2, 0, 1.5),
    }
    assert len(contacts) == 2 * len(periods)


def test_twelve_months_of_case_movements_chain_and_sum_to_the_year(two_services):
    north, _ = two_services
    months = months_of(YEAR)
    with service_scope(north):
        by_month = case_movements_by_service(months)
        year = case_movements(YEAR)
    figures = [by_month[north, month] for month in months]
    for before, after in itertools.pairwise(figures):
        assert after.brought_forward == before.carried_forward
    assert all(m.balances() for m in figures)
    assert sum(m.new for m in figures) == year.new == 1
    assert sum(m.closed for m in figures) == year.closed == 2
    assert figures[0].brought_forward == year.brought_forward == 1
    assert figures[-1].carried_forward == year.carried_forward == 1
    # Open in February: the busy case until the 3rd. In March: re-opened on the 3rd.
    assert [m.casework_total for m in figures[5:7]] == [1, 1]


def test_active_ips_of_every_month_in_one_query(team, django_assert_num_queries):
    """The team's IPS is active since 2020. A second IPS joins on 14 October 2024 and
    leaves on 3 February 2025: active in October to February."""
    second = factories.make_volunteer(team.service, since=date(2024, 10, 14))
    record_status_change(
        volunteer=second, status=VolunteerStatus.LEFT, on=date(2025, 2, 3), by=team.coordinator
    )
    with service_scope(team.service.pk), django_assert_num_queries(1):
        counts = [n for _, n in active_ips_by_month(YEAR)]
    assert counts == [1, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]


def test_ips_activity_and_volunteer_figures_of_several_services(
    team, other_team, django_assert_num_queries
):
    submit_monthly_return(
        volunteer=team.volunteer_record,
        month=date(2024, 10, 1),
        by=team.volunteer,
        phone_hours=Decimal(3),
    )
    factories.make_volunteer(other_team.service, since=date(2024, 12, 2))
    services = [team.service.pk, other_team.service.pk]
    with scope(service=services):
        with django_assert_num_queries(1):
            activity = ips_activity_by_service([AUTUMN, SPRING])
        with django_assert_num_queries(1):
            counts = volunteer_counts_by_service(active_during=[AUTUMN], years=[YEAR])
    north, south = services
    assert activity[north, AUTUMN].hours == Decimal(3)
    assert activity[north, SPRING].hours == 0
    # Southshire: its team IPS (since 2020) and the one who joined in December.
    assert (activity[south, AUTUMN].active_ips, activity[north, AUTUMN].active_ips) == (2, 1)
    assert counts.active_during[south, AUTUMN] == 2
    assert counts.figures[south, YEAR].active_ips_at_end == 2
    assert counts.figures[north, YEAR].active_ips_at_end == 1


# Response times through the calendar's ordinals.


def test_a_case_opened_without_an_enquiry_over_christmas_counts_its_first_staff_contact(team):
    """Received on Christmas Eve 2025 (Wednesday): Christmas Day and Boxing Day are bank
    holidays, then a weekend; Monday 29 and Tuesday 30 December are the 2 working days.
    First staff contact on the 30th: within. Another, first staff contact on Wednesday 31st:
    later, although a volunteer rang on the 29th (a volunteer's contact is no response)."""
    received = date(2025, 12, 24)
    within = factories.open_case(team.service, team.officer, opened_on=received)
    later = factories.open_case(team.service, team.officer, opened_on=received)
    _contact(within, team.officer, date(2025, 12, 30))
    _contact(later, team.volunteer, date(2025, 12, 29))
    _contact(later, team.officer, date(2025, 12, 31))
    with service_scope(team.service.pk):
        figures = response_times(Period(received, received, ""), 2, today=date(2026, 6, 1))
    assert (figures.received, figures.within, figures.later, figures.overdue) == (2, 1, 1, 0)


def test_a_wednesday_enquiry_answered_on_saturday_took_two_working_days(team):
    """Received Wednesday 3 September 2025, answered Saturday 6th: Thursday and Friday,
    within a 2-day standard; answered Monday 8th: 3 days, later. By 1 working day the
    Saturday answer is late."""
    _enquiry(team, date(2025, 9, 3), responded=date(2025, 9, 6))
    _enquiry(team, date(2025, 9, 3), responded=date(2025, 9, 8))
    day = Period(date(2025, 9, 3), date(2025, 9, 3), "")
    with service_scope(team.service.pk):
        two = response_times(day, 2, today=date(2026, 1, 5))
        one = response_times(day, 1, today=date(2026, 1, 5))
    assert (two.within, two.later) == (1, 1)
    assert (one.within, one.later) == (0, 2)


def test_response_times_of_two_services_each_by_its_own_standard(
    team, other_team, django_assert_num_queries
):
    """Both received an enquiry on Friday 22 August 2025, before the summer bank holiday
    (Monday 25th), answered on Thursday 28th: 3 working days (Tuesday to Thursday). Late by
    Northshire's 2-day standard, within Southshire's 3. Each also has an unanswered one
    received on Monday 1 September: by Thursday 4th, 3 working days have passed, so it is
    overdue for Northshire only."""
    other_team.service.response_standard_days = 3
    other_team.service.save()
    for side in (team, other_team):
        _enquiry(side, date(2025, 8, 22), responded=date(2025, 8, 28))
        _enquiry(side, date(2025, 9, 1))
    period = Period(date(2025, 8, 1), date(2025, 9, 30), "")
    north, south = team.service.pk, other_team.service.pk
    with scope(service=[north, south]), django_assert_num_queries(1):
        figures = response_times_by_service([period], None, today=date(2025, 9, 4))
    assert figures[north, period].standard_days == 2
    assert figures[south, period].standard_days == 3
    n, s = figures[north, period], figures[south, period]
    assert (n.received, n.within, n.later, n.overdue, n.not_yet_due) == (2, 0, 1, 1, 0)
    assert (s.received, s.within, s.later, s.overdue, s.not_yet_due) == (2, 1, 0, 0, 1)


def test_response_times_of_several_periods_in_one_query(team, django_assert_num_queries):
    """An enquiry at 23:30 on 31 March 2025 belongs to March (London time)."""
    _enquiry(team, date(2025, 3, 31), responded=date(2025, 4, 1), hour=23)
    _enquiry(team, date(2025, 4, 1), responded=date(2025, 4, 10))
    march = Period(date(2025, 3, 1), date(2025, 3, 31), "March")
    april = Period(date(2025, 4, 1), date(2025, 4, 30), "April")
    with service_scope(team.service.pk), django_assert_num_queries(1):
        figures = response_times_by_service([march, april], 2, today=date(2025, 6, 2))
    key = team.service.pk
    assert (figures[key, march].received, figures[key, march].within) == (1, 1)
    assert (figures[key, april].received, figures[key, april].later) == (1, 1)
