"""The enquiry list's search, filters and sorting: the exact rows on the page, in order."""

import datetime as dt
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casework import actions
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(client, team, other_team):
    def enquiry(on, name, summary, minutes, **fields):
        return factories.record_enquiry(
            team.service,
            team.officer,
            on=on,
            enquirer_name=name,
            summary=summary,
            minutes=minutes,
            **fields,
        )

    enquiries = {
        "A": enquiry(date(2025, 3, 3), "Jo Bloggs", "Annual review", 10, substantial=True),
        "B": enquiry(
            date(2025, 3, 10),
            "Sam Patel",
            "Transport to school",
            30,
            enquirer_type="professional",
            first_response_on=date(2025, 3, 11),
        ),
        "C": enquiry(date(2025, 3, 17), "Kim Hughes", "Bloggs family's review", 20),
    }
    # Another service's enquiry matching every search is never listed.
    factories.record_enquiry(
        other_team.service, other_team.officer, enquirer_name="Jo Bloggs", summary="review"
    )
    letter_of = {enquiry.pk: letter for letter, enquiry in enquiries.items()}
    client.force_login(team.officer)

    def rows(**params):
        page = client.get(reverse("casework:enquiry-list"), params)
        assert page.status_code == 200
        return "".join(letter_of.get(row.record.pk, "?") for row in page.context["table"].page)

    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "CBA"),  # newest first
        ({"q": "Bloggs"}, "CA"),  # A by the name, C by the summary
        ({"q": "bloggs annual"}, "A"),  # every word must match
        ({"q": "Transport"}, "B"),
        ({"q": "Nobody"}, ""),
        ({"enquirer_type": "professional"}, "B"),
        ({"enquirer_type": "parent"}, "CA"),
        ({"awaiting": "true"}, "CA"),
        ({"awaiting": "false"}, "B"),
        ({"substantial": "true"}, "A"),
        ({"received_after": "2025-03-10", "received_before": "2025-03-17"}, "CB"),
        ({"received_before": "2025-03-09"}, "A"),
    ],
)
def test_the_enquiry_list_shows_the_matches_and_only_them(listed, params, expected):
    assert listed(**params) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("received_at", "ABC"),
        ("-received_at", "CBA"),
        ("minutes", "ACB"),
        ("-minutes", "BCA"),
        ("enquirer_name", "ACB"),  # Jo, Kim, Sam
        ("-enquirer_name", "BCA"),
    ],
)
def test_the_enquiry_list_sorts_both_ways(listed, sort, expected):
    assert listed(sort=sort) == expected


def test_the_received_dates_are_londons_days_to_the_minute(client, team):
    """23:30 on 31 March 2025 is 22:30 UTC (summer time began on 30 March): it is an enquiry
    of 31 March, listed up to that day and not from 1 April."""
    late = actions.record_enquiry(
        service=team.service,
        by=team.officer,
        received_at=dt.datetime(2025, 3, 31, 23, 30, tzinfo=ZoneInfo("Europe/London")),
        enquirer_type="parent",
        enquirer_name="Lou Late",
    )
    client.force_login(team.officer)

    def listed(**params):
        page = client.get(reverse("casework:enquiry-list"), params)
        return [row.record.pk for row in page.context["table"].page]

    assert listed(received_after="2025-03-31", received_before="2025-03-31") == [late.pk]
    assert listed(received_before="2025-03-31") == [late.pk]
    assert listed(received_after="2025-04-01") == []
    assert listed(received_before="2025-03-30") == []
