"""The steering group's overview: figures only, small numbers suppressed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import clock, factories
from volunteers.actions import submit_monthly_return

pytestmark = pytest.mark.django_db


def test_overview_shows_no_names_and_suppresses_small_numbers(client, team):
    # Names no fake staff member can share, so that finding one on the page means a leak.
    cases = [
        factories.open_case(
            team.service,
            team.officer,
            parent=factories.ParentFactory(service=team.service, last_name=f"Quillfeather{n}"),
            child=factories.ChildFactory(service=team.service, first_name=f"Zephyrine{n}"),
        )
        for n in range(3)
    ]
    client.force_login(team.steering)
    response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    for case in cases:
        assert case.parent.last_name not in html
        assert case.child.first_name not in html
        assert case.reference not in html
    current = response.context["rows"][-1][1]
    assert current.new == 3
    assert "fewer than 5" in html


def test_the_steering_group_cannot_open_a_case(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.steering)
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 403
    assert client.get(reverse("home")).url == reverse("reports:dashboard")


@clock.on(date(2026, 11, 24))
def test_overview_shows_the_volunteer_figures_of_the_last_financial_year(client, team):
    submit_monthly_return(
        volunteer=team.volunteer_record,
        month=date(2026, 10, 1),
        by=team.volunteer,
        phone_hours=Decimal(4),
    )
    client.force_login(team.steering)
    response = client.get(reverse("reports:overview"))
    assert response.context["finished"].label == "2025-26"
    assert response.context["current"].label == "2026/27"
    assert response.context["volunteers"].active_ips_at_end == 1
    assert response.context["rows"][-1][3].hours == Decimal(4)
    # One IPS only: the ratio would point at a person, so it is hidden.
    assert "hidden (fewer than 5 IPS)" in response.content.decode()


@pytest.mark.parametrize(
    ("today", "finished", "current"),
    [
        # The financial year ends on 31 March: on that day it has not yet finished.
        (date(2027, 3, 31), "2025-26", "2026/27"),
        (date(2027, 4, 1), "2026-27", "2026/27"),
        # The academic year (September by default) ends on 31 August.
        (date(2027, 8, 31), "2026-27", "2026/27"),
        (date(2027, 9, 1), "2026-27", "2027/28"),
        (date(2028, 1, 1), "2026-27", "2027/28"),
    ],
)
def test_the_overview_turns_to_the_next_year_on_the_first_day_of_it(
    client, team, today, finished, current
):
    with clock.on(today):
        # Signed in on the day: a session from another day may have expired.
        client.force_login(team.steering)
        response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    assert response.context["finished"].label == finished
    assert response.context["current"].label == current
    assert [row[0].label for row in response.context["rows"]][-1] == current


def _overview_queries(client, user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("reports:overview")).status_code == 200
    return len(captured)


@clock.on(date(2026, 11, 24))
def test_the_overview_takes_at_most_ten_queries_whatever_the_data(
    client, team, django_assert_max_num_queries
):
    client.force_login(team.steering)
    client.get(reverse("reports:overview"))  # the session's first page view writes more
    empty = _overview_queries(client, team.steering)
    # Three years of records: cases opened, closed and re-opened, contacts, enquiries,
    # volunteers coming and going, monthly returns. None of it may add a query.
    for year in (2024, 2025, 2026):
        for month in (1, 5, 10):
            case = factories.open_case(team.service, team.officer, opened_on=date(year, month, 6))
            factories.log_contact(case, team.officer, on=date(year, month, 7))
            factories.record_enquiry(team.service, team.officer, on=date(year, month, 8))
        factories.make_volunteer(team.service, since=date(year, 2, 3))
    submit_monthly_return(
        volunteer=team.volunteer_record,
        month=date(2026, 10, 1),
        by=team.volunteer,
        phone_hours=Decimal(2),
    )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    assert _overview_queries(client, team.steering) == empty
    # 2026/27 so far: the cases of October 2026 (new) and earlier still open (brought forward).
    current = response.context["rows"][-1][1]
    assert (current.brought_forward, current.new, current.carried_forward) == (8, 1, 9)


def test_the_overview_reads_all_its_figures_in_one_query(client, team):
    """Case movements, contacts, substantial enquiries, IPS hours, volunteer counts and the
    service users of the financial year: one round trip (reports.queries.grouping)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(team.steering)
    client.get(reverse("reports:overview"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("reports:overview")).status_code == 200
    tables = (
        "casework_caseevent",
        "casework_contact",
        "casework_enquiry",
        "volunteers_monthlyreturn",
        "volunteers_volunteerstatuschange",
    )
    reading = [q["sql"] for q in captured if any(t in q["sql"] for t in tables)]
    assert len(reading) == 1
    assert all(table in reading[0] for table in tables)
