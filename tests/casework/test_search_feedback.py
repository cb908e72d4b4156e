"""The complaints, compliments and suggestions list: its filters and sorting, with the exact
rows on the page and their order."""

from datetime import date

import pytest
from django.urls import reverse

from casework.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(client, team, other_team):
    def feedback(service, received_on, kind, about, summary, publishable=False):
        return Feedback.objects.create(
            service=service,
            received_on=received_on,
            kind=kind,
            about=about,
            channel="letter",
            summary=summary,
            publishable=publishable,
            recorded_by=team.coordinator,
        )

    items = {
        "A": feedback(team.service, date(2025, 4, 1), "complaint", "staff", "Late call back"),
        "B": feedback(team.service, date(2025, 4, 30), "compliment", "staff", "Kind", True),
        "C": feedback(team.service, date(2025, 5, 1), "suggestion", "information", "Leaflets"),
    }
    # Another service's feedback matching every filter is never listed.
    feedback(other_team.service, date(2025, 4, 30), "complaint", "staff", "Elsewhere", True)
    letter_of = {item.pk: letter for letter, item in items.items()}
    client.force_login(team.coordinator)

    def rows(**params):
        page = client.get(reverse("casework:feedback-list"), params)
        assert page.status_code == 200
        return "".join(letter_of.get(row.record.pk, "?") for row in page.context["table"].page)

    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "CBA"),  # most recent first
        ({"kind": "complaint"}, "A"),
        ({"kind": "compliment"}, "B"),
        ({"about": "staff"}, "BA"),
        ({"about": "information"}, "C"),
        ({"publishable": "true"}, "B"),
        ({"publishable": "false"}, "CA"),
        # Both ends included: April is 1 to 30 April, not 1 May.
        ({"received_after": "2025-04-01", "received_before": "2025-04-30"}, "BA"),
        ({"received_after": "2025-04-02"}, "CB"),
        ({"kind": "complaint", "about": "information"}, ""),
    ],
)
def test_the_feedback_filters_show_the_matches_and_only_them(listed, params, expected):
    assert listed(**params) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("received_on", "ABC"), ("-received_on", "CBA"), ("kind", "ABC"), ("-kind", "CBA")],
)
def test_the_feedback_list_sorts_both_ways(listed, sort, expected):
    assert listed(sort=sort) == expected
