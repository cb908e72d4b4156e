"""The evaluation results page and its CSV: exact for coordinators, small numbers suppressed for
the steering group (docs/domain.md, "Small numbers"), one service's figures only."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import EventKind, FormKind
from evaluations.models import Event
from reports.periods import academic_year_containing
from tests.evaluations.records import answer, form_of, send

pytestmark = pytest.mark.django_db

URL = reverse("reports:evaluation-results")
EXPORT = reverse("reports:evaluation-results-export")
YEAR_2024 = {"start": "2024-09-01", "end": "2025-08-31"}
FORMULA = '=HYPERLINK("http://example.com","Click")'


@pytest.fixture
def year(team):
    """2024/25 by hand: 4 parent forms sent, 3 returned (75%); helpfulness Excellent, Good,
    Satisfactory: 2 of 3 Good or better (66.7%, target 85%: not met); impartial Yes, Yes,
    No (66.7%). Two comments cleared for publishing, one not. One forum: 9 parents,
    1 professional, 0 volunteers."""
    service, by = team.service, team.coordinator
    form = form_of(service, FormKind.PARENT)
    s1 = send(form, by, date(2024, 9, 2))
    s2 = send(form, by, date(2024, 10, 7))
    s3 = send(form, by, date(2025, 1, 13))
    send(form, by, date(2025, 3, 3))
    answer(
        s1,
        by,
        date(2024, 9, 20),
        publish=True,
        helpfulness="Excellent",
        impartial="Yes",
        comments="Fabulous service.",
    )
    answer(
        s2,
        by,
        date(2024, 11, 1),
        publish=True,
        helpfulness="Good",
        impartial="Yes",
        comments=FORMULA,
    )
    answer(
        s3,
        by,
        date(2025, 2, 1),
        helpfulness="Satisfactory",
        impartial="No",
        comments="Quillfeather private remark",
    )
    Event.objects.create(
        service=service,
        kind=EventKind.FORUM,
        title="Spring forum",
        on=date(2025, 3, 5),
        parents_attending=9,
        professionals_attending=1,
    )
    return form


def question_table(response, text):
    return next(
        t for section in response.context["sections"] for t in section.tables if t.caption == text
    )


HELPFULNESS = "How helpful was the support you received?"


def test_a_coordinator_sees_exact_figures(client, team, year):
    client.force_login(team.coordinator)
    response = client.get(URL, YEAR_2024)
    assert response.status_code == 200
    sections = response.context["sections"]
    assert sections[0].tables[0].rows == (("Parent evaluation", "Parent evaluation", 4, 3, "75%"),)
    satisfaction, impartiality = sections[1].tables
    assert satisfaction.rows == (
        ("Question", HELPFULNESS),
        ("Answered (other than “Not applicable”)", 3),
        ("Positive answers", 2),
        ("Share positive", "66.7%"),
        ("Target", "85%"),
        ("Target met", "Not met"),
    )
    assert impartiality.rows[3] == ("Share positive", "66.7%")
    helpfulness = question_table(response, HELPFULNESS)
    assert helpfulness.rows == (
        ("Excellent", 1, "33.3%"),
        ("Very good", 0, "0%"),
        ("Good", 1, "33.3%"),
        ("Satisfactory", 1, "33.3%"),
        ("Unsatisfactory", 0, "0%"),
    )
    assert helpfulness.foot == (
        ("Answered (the base of the percentages)", 3, ""),
        ("Not applicable (left out of the percentages)", 0, ""),
        ("Not answered", 0, ""),
    )
    information = question_table(
        response, "How would you rate the quality of the information you were given?"
    )
    assert information.foot[2] == ("Not answered", 3, "")
    assert sections[3].tables[0].rows == (("Parents' forum meeting", 1, 9, 1, 0, 10),)
    html = response.content.decode()
    assert "<caption>How helpful was the support you received?</caption>" in html
    assert "Fabulous service." in html
    # Only comments cleared for publishing, even for the coordinator.
    assert "Quillfeather" not in html
    assert "fewer than 5" not in html


def test_the_steering_group_sees_fewer_than_5_and_no_percentage_made_from_it(client, team, year):
    client.force_login(team.steering)
    response = client.get(URL, YEAR_2024)
    assert response.status_code == 200
    sections = response.context["sections"]
    assert sections[0].tables[0].rows == (
        (
            "Parent evaluation",
            "Parent evaluation",
            "fewer than 5",
            "fewer than 5",
            "hidden (fewer than 5)",
        ),
    )
    satisfaction = sections[1].tables[0]
    assert satisfaction.rows[1:] == (
        ("Answered (other than “Not applicable”)", "fewer than 5"),
        ("Positive answers", "fewer than 5"),
        ("Share positive", "hidden (fewer than 5)"),
        ("Target", "85%"),
        ("Target met", "hidden (fewer than 5)"),
    )
    assert question_table(response, HELPFULNESS).rows == (
        ("Excellent", "fewer than 5", "hidden (fewer than 5)"),
        ("Very good", 0, "hidden (fewer than 5)"),
        ("Good", "fewer than 5", "hidden (fewer than 5)"),
        ("Satisfactory", "fewer than 5", "hidden (fewer than 5)"),
        ("Unsatisfactory", 0, "hidden (fewer than 5)"),
    )
    # 9 + 1 + 0 = 10: the total goes, since 10 - 9 - 0 would give the 1 away; it is
    # "hidden" (it is not itself fewer than 5).
    assert sections[3].tables[0].rows == (
        ("Parents' forum meeting", "fewer than 5", 9, "fewer than 5", 0, "hidden"),
    )
    # 10 in all beside 9 parents and no volunteers would give the 1 professional away.
    assert '<td class="text-end">10</td>' not in response.content.decode()
    html = response.content.decode()
    assert "33.3%" not in html
    assert "66.7%" not in html
    assert "Fabulous service." in html
    assert "Quillfeather" not in html
    assert f'href="{URL}"' in html  # the navigation item


def test_another_services_figures_never_appear(client, team, other_team, year):
    other_form = form_of(other_team.service, FormKind.PARENT)
    theirs = send(other_form, other_team.coordinator, date(2025, 1, 6))
    answer(
        theirs,
        other_team.coordinator,
        date(2025, 1, 20),
        publish=True,
        helpfulness="Unsatisfactory",
        comments="Southshire-only remark",
    )
    Event.objects.create(
        service=other_team.service,
        kind=EventKind.ROADSHOW,
        title="Southshire roadshow",
        on=date(2025, 2, 2),
        parents_attending=50,
    )
    client.force_login(team.coordinator)
    response = client.get(URL, YEAR_2024)
    html = response.content.decode()
    assert "Southshire-only remark" not in html
    assert "Road show or seminar" not in html
    sections = response.context["sections"]
    assert sections[0].tables[0].rows == (("Parent evaluation", "Parent evaluation", 4, 3, "75%"),)
    assert question_table(response, HELPFULNESS).rows[4] == ("Unsatisfactory", 0, "0%")
    # Asking for the other service's form by its id is refused beside the field.
    refused = client.get(URL, {**YEAR_2024, "form": other_form.pk})
    assert refused.status_code == 200
    assert refused.context["figures"] is False
    assert "Select a valid choice" in refused.content.decode()
    assert "Southshire-only remark" not in refused.content.decode()


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_every_section_and_escapes_formulas(client, team, year):
    client.force_login(team.coordinator)
    rows = read_csv(client.get(EXPORT, YEAR_2024))
    assert rows[:3] == [
        ["Evaluation results", "Northshire PPS"],
        ["Period", "1 September 2024 to 31 August 2025"],
        ["Form", "Parent evaluation"],
    ]
    rates = rows.index(["Forms sent and returned"])
    assert rows[rates + 1 : rates + 3] == [
        ["Form", "Kind", "Sent", "Returned", "Return rate"],
        ["Parent evaluation", "Parent evaluation", "4", "3", "75%"],
    ]
    helpfulness = rows.index([HELPFULNESS])
    assert rows[helpfulness + 1 : helpfulness + 10] == [
        ["Answer", "Count", "Percent of those who answered"],
        ["Excellent", "1", "33.3%"],
        ["Very good", "0", "0%"],
        ["Good", "1", "33.3%"],
        ["Satisfactory", "1", "33.3%"],
        ["Unsatisfactory", "0", "0%"],
        ["Answered (the base of the percentages)", "3", ""],
        ["Not applicable (left out of the percentages)", "0", ""],
        ["Not answered", "0", ""],
    ]
    events = rows.index(["Events held, with attendance"])
    assert rows[events + 1 : events + 4] == [
        ["Kind of event", "Events", "Parents", "Professionals", "Volunteers", "Total"],
        ["Parents' forum meeting", "1", "9", "1", "0", "10"],
        ["All events", "1", "9", "1", "0", "10"],
    ]
    comments = rows.index(["Comments cleared for publishing"])
    assert rows[comments + 1 :] == [
        ["Question", "Comment"],
        ["Any comments", "Fabulous service."],
        ["Any comments", "'" + FORMULA],
    ]
    assert not any("Quillfeather" in cell for row in rows for cell in row)


def test_the_steering_groups_csv_suppresses_small_numbers(client, team, year):
    client.force_login(team.steering)
    rows = read_csv(client.get(EXPORT, YEAR_2024))
    assert ["Excellent", "fewer than 5", "hidden (fewer than 5)"] in rows
    assert not any("33.3%" in cell for row in rows for cell in row)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "31/02/2025", "end": "2025-08-31"}, "Enter a valid date."),
        ({"start": "2025-08-31", "end": "2024-09-01"}, "The last day must be on or after"),
        ({"start": "2024-09-01"}, "Enter the last day of the period too"),
    ],
)
def test_bad_dates_give_a_message_beside_the_field(client, team, year, query, message):
    client.force_login(team.coordinator)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["figures"] is False
    assert message in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    # The export with the same bad input shows the page and its message, not a file.
    export = client.get(EXPORT, query)
    assert export.status_code == 200
    assert message in export.content.decode()


def test_the_current_academic_year_is_shown_by_default(client, team):
    client.force_login(team.coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["period"] == academic_year_containing(
        timezone.localdate(), team.service.academic_year_start_month
    )
    parent_form = form_of(team.service, FormKind.PARENT)
    assert response.context["form"] == parent_form
    # The form list shows the form whose results are shown.
    assert f'<option value="{parent_form.pk}" selected>' in response.content.decode()


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_3_and_30_responses(client, team):
    service, by = team.service, team.coordinator
    form = form_of(service, FormKind.PARENT)
    client.force_login(team.coordinator)

    def add(n):
        for _ in range(n):
            sending = send(form, by, date(2025, 1, 6))
            answer(
                sending,
                by,
                date(2025, 1, 20),
                publish=True,
                helpfulness="Good",
                impartial="Yes",
                comments="Helpful.",
            )

    add(3)
    few = count_queries(client, URL, YEAR_2024)
    add(27)
    many = count_queries(client, URL, YEAR_2024)
    assert few == many


@pytest.mark.parametrize("chosen", [False, True])
def test_the_page_takes_six_queries(client, team, year, chosen, django_assert_num_queries):
    """The forms, the default and a chosen form are read once; every form sent in the
    period is counted once, in one query (its sendings, questions, answers and comments),
    for the chosen form, the parent forms and the return rates, or read from its months
    kept; the events one more."""
    client.force_login(team.coordinator)
    client.get(URL)  # the session's first page view writes more
    params = {**YEAR_2024, "form": year.pk} if chosen else YEAR_2024
    with django_assert_num_queries(8):  # the year's months counted and kept (evaluations.kept)
        client.get(URL, params)
    with django_assert_num_queries(6):  # then read
        response = client.get(URL, params)
    assert response.context["results"].returned == 3
    assert response.context["form"] == year
