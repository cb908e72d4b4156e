"""The events list and the forms-sent list: each filter's matches and what it leaves out,
and the exact order of the rows on the page."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations import actions
from evaluations.enums import Channel, FormKind, RecipientKind
from evaluations.models import Event
from tests import factories
from tests.evaluations.records import answer, form_of, send

pytestmark = pytest.mark.django_db


def _rows_of(client, url_name, records):
    letter_of = {record.pk: letter for letter, record in records.items()}

    def rows(**params):
        page = client.get(reverse(url_name), params)
        assert page.status_code == 200
        return "".join(letter_of.get(row.record.pk, "?") for row in page.context["table"].page)

    return rows


@pytest.fixture
def events(client, team, other_team):
    def event(service, on, kind, title, parents):
        return Event.objects.create(
            service=service,
            on=on,
            kind=kind,
            title=title,
            parents_attending=parents,
            recorded_by=team.coordinator,
        )

    made = {
        "A": event(team.service, date(2025, 3, 1), "forum", "Spring forum", 12),
        "B": event(team.service, date(2025, 3, 31), "roadshow", "Transitions roadshow", 30),
        "C": event(team.service, date(2025, 4, 1), "forum", "Summer forum", 5),
    }
    event(other_team.service, date(2025, 3, 15), "forum", "Spring forum", 9)
    client.force_login(team.coordinator)
    return _rows_of(client, "evaluations:event-list", made)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "CBA"),
        ({"kind": "forum"}, "CA"),
        ({"kind": "roadshow"}, "B"),
        ({"title": "FORUM"}, "CA"),
        ({"title": "spring"}, "A"),
        ({"title": "Nothing"}, ""),
        # March is 1 to 31 March: both ends included, 1 April left out.
        ({"held_from": "2025-03-01", "held_to": "2025-03-31"}, "BA"),
        ({"held_from": "2025-03-02"}, "CB"),
        ({"kind": "forum", "held_to": "2025-03-31"}, "A"),
    ],
)
def test_the_event_filters_show_the_matches_and_only_them(events, params, expected):
    assert events(**params) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("on", "ABC"),
        ("-on", "CBA"),
        ("title", "ACB"),
        ("-title", "BCA"),
        ("parents_attending", "CAB"),
        ("-parents_attending", "BAC"),
    ],
)
def test_the_event_list_sorts_both_ways(events, sort, expected):
    assert events(sort=sort) == expected


@pytest.fixture
def sent(client, team, other_team):
    case = factories.open_case(team.service, team.officer, opened_on=date(2025, 1, 6))
    parent_form = form_of(team.service, FormKind.PARENT)
    made = {
        "A": send(parent_form, team.officer, date(2025, 3, 3)),
        "B": actions.send_form(
            form=form_of(team.service, FormKind.PROFESSIONAL),
            by=team.officer,
            channel=Channel.EMAIL,
            recipient_kind=RecipientKind.PROFESSIONAL,
            email="senco@example.org",
            link_for=lambda service, token: f"http://testserver/e/{service.pk}/{token}/",
            on=date(2025, 3, 10),
        )[0],
        "C": actions.send_form(
            form=parent_form,
            by=team.officer,
            channel=Channel.LETTER,
            recipient_kind=RecipientKind.PARENT,
            case=case,
            on=date(2025, 3, 17),
        )[0],
    }
    answer(made["A"], team.support, date(2025, 3, 20), helpfulness="Unsatisfactory")
    send(form_of(other_team.service, FormKind.PARENT), other_team.officer, date(2025, 3, 10))
    client.force_login(team.coordinator)
    return case, _rows_of(client, "evaluations:sending-list", made)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "CBA"),
        ({"channel": "letter"}, "CA"),
        ({"channel": "email"}, "B"),
        ({"recipient_kind": "professional"}, "B"),
        ({"recipient_kind": "parent"}, "CA"),
        ({"answered": "true"}, "A"),
        ({"answered": "false"}, "CB"),
        ({"sent_from": "2025-03-10", "sent_to": "2025-03-17"}, "CB"),
        ({"sent_to": "2025-03-09"}, "A"),
    ],
)
def test_the_forms_sent_filters_show_the_matches_and_only_them(sent, params, expected):
    _case, rows = sent
    assert rows(**params) == expected


def test_the_forms_sent_list_filters_by_form_and_case(sent, team):
    case, rows = sent
    assert rows(form=form_of(team.service, FormKind.PROFESSIONAL).pk) == "B"
    assert rows(form=form_of(team.service, FormKind.PARENT).pk) == "CA"
    assert rows(case=case.reference.lower()) == "C"
    assert rows(case="PPS-1999-0001") == ""


@pytest.mark.parametrize(("sort", "expected"), [("sent_on", "ABC"), ("-sent_on", "CBA")])
def test_the_forms_sent_list_sorts_both_ways(sent, sort, expected):
    _case, rows = sent
    assert rows(sort=sort) == expected
