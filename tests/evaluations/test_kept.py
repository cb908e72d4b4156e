"""Evaluation tallies kept by month (evaluations.kept): a year's results read from the months
kept are those counted afresh from the records, after every kind of change to them.

The year is the parent form's 2024/25 worked out by hand (tests/evaluations/records.py,
parent_year_of): 9 sent, 6 returned, two published comments. Each change below is made
the way the product makes it (an action, a bulk insert, a bulk update, a cascade), after
the year has been read once and kept; the year read again must equal the year counted
afresh, and must show the change.
"""

from datetime import date

import pytest
from django.db import connection
from django_scopes import scope

from evaluations import actions, kept
from evaluations.enums import FormKind, ResponseSource
from evaluations.kept import counted_afresh
from evaluations.models import Answer, EvaluationForm, Question, Response, Sending, TallyMonth
from pps.access import service_scope
from reports.periods import Period
from reports.queries.evaluations import (
    parent_results,
    parent_results_by_period,
    period_evaluations,
)
from tests.evaluations.records import YEAR, answer, form_of, send

QUARTERS = [
    Period(date(2024, 9, 1), date(2024, 11, 30), "Sep-Nov"),
    Period(date(2024, 12, 1), date(2025, 2, 28), "Dec-Feb"),
    Period(date(2025, 3, 1), date(2025, 5, 31), "Mar-May"),
    Period(date(2025, 6, 1), date(2025, 8, 31), "Jun-Aug"),
]


def everything(service):
    """What the results page, the annual report and the dashboard read of the year."""
    with service_scope(service.pk):
        year = period_evaluations(YEAR)
        return {
            "every form": year.tallies.results(),
            "parent forms": year.of_parent_forms(),
            "return rates": year.return_rates(),
            "parents": parent_results(YEAR),
            "quarters": parent_results_by_period(QUARTERS),
            "measures": parent_results_by_period([YEAR, *QUARTERS], measures_only=True),
        }


def afresh(service):
    with counted_afresh():
        return everything(service)


def test_a_year_is_counted_and_kept_once_then_read_in_one_query(
    team, parent_year, django_assert_num_queries
):
    with service_scope(team.service.pk):
        with django_assert_num_queries(3):  # the months read, those not kept counted, kept
            first = parent_results(YEAR)
        with django_assert_num_queries(1):  # the months read, every one kept
            again = parent_results(YEAR)
    assert (first.sent, first.returned) == (again.sent, again.returned) == (9, 6)
    assert first == again
    assert everything(team.service) == afresh(team.service)
    # Only this service's months are kept.
    assert set(TallyMonth.objects.values_list("service", flat=True)) == {team.service.pk}


def _sent(team, on=date(2025, 6, 2)):
    return send(form_of(team.service, FormKind.PARENT), team.coordinator, on)


def _returned(sending):
    # As an import adds a response: a bulk insert, no save, no signal.
    Response.objects.bulk_create(
        [
            Response(
                service=sending.service,
                sending=sending,
                version=sending.version,
                sent_on=sending.sent_on,
                received_on=date(2025, 7, 20),
                source=ResponseSource.PAPER,
            )
        ]
    )


def _comment(team, value, **where):
    return Answer.objects.get(response__service=team.service, value=value, **where)


def _with_a_comment(team):
    # R3 (sent 15 October 2024) gave no comment: one is added, cleared for publishing.
    response = Response.objects.get(service=team.service, sent_on=date(2024, 10, 15))
    question = Question.objects.get(version=response.version, key="comments")
    Answer.objects.create(
        service=team.service,
        response=response,
        question=question,
        value="Late but kind.",
        publishable=True,
    )


# Each change touches one table in one way, made after the year is read and kept (its
# preparation before): a month left kept over it would be read unchanged.
CHANGES = {
    "a form renamed": (
        None,
        lambda team, _: EvaluationForm.objects.filter(
            service=team.service, kind=FormKind.PARENT
        ).update(title="Tell us how we did"),
    ),
    "a question reworded": (
        None,
        lambda team, _: Question.objects.filter(
            service=team.service, version__number=2, key="situation"
        ).update(text="Did it help?"),
    ),
    "a form sent": (None, lambda team, _: _sent(team)),
    "a form returned": (_sent, lambda team, sending: _returned(sending)),
    "a comment added": (None, lambda team, _: _with_a_comment(team)),
    "a comment withdrawn": (
        None,
        lambda team, _: actions.set_comment_publishable(
            answer=_comment(team, "Fabulous service."), publishable=False, by=team.coordinator
        ),
    ),
    # As retention blanks a family's words: a bulk update, no save, no signal.
    "a comment anonymised": (
        None,
        lambda team, _: Answer.objects.filter(value="PPS fills in the gaps.").update(
            value="[removed]"
        ),
    ),
    "an answer deleted": (
        None,
        lambda team, _: _comment(team, "Excellent", question__key="information").delete(),
    ),
    "a sending never returned deleted": (
        None,
        lambda team, _: Sending.objects.get(
            service=team.service, sent_on=date(2025, 5, 12)
        ).delete(),
    ),
    # A case's sending deleted: its response and answers go in the same cascade.
    "a sending deleted with its answers": (
        None,
        lambda team, _: Sending.objects.get(
            service=team.service, sent_on=date(2025, 3, 10)
        ).delete(),
    ),
    "a response without answers deleted": (
        lambda team: _returned(_sent(team, date(2024, 11, 5))),
        lambda team, _: Response.objects.get(
            service=team.service, sent_on=date(2024, 11, 5)
        ).delete(),
    ),
    # A sending's day corrected: it leaves one month for another.
    "a sending moved to another month": (
        None,
        lambda team, _: Sending.objects.filter(
            service=team.service, sent_on=date(2024, 11, 1)
        ).update(sent_on=date(2025, 1, 6)),
    ),
    # R1's day received corrected to after R8's: the comments change order.
    "a response's day received corrected": (
        None,
        lambda team, _: Response.objects.filter(
            service=team.service, sent_on=date(2024, 9, 2)
        ).update(received_on=date(2025, 5, 1)),
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_is_read_as_counted_afresh(team, other_team, parent_year, change):
    prepare, make = CHANGES[change]
    with service_scope(team.service.pk):
        prepared = prepare(team) if prepare else None
    before = everything(team.service)
    other = everything(other_team.service)
    assert TallyMonth.objects.filter(service=team.service, counts__isnull=False).count() == 12
    with service_scope(team.service.pk):
        make(team, prepared)
    after = everything(team.service)
    assert after == afresh(team.service)
    assert after != before
    # The other service's months, kept as well, are untouched by the change.
    assert everything(other_team.service) == other == afresh(other_team.service)


def test_a_count_is_not_kept_when_its_month_changed_while_counting(team, parent_year, monkeypatch):
    """Two people at once: the year is being counted when a parent's form comes in for June.
    The count read before it, so June must not be kept with that count: it is counted
    again when next read."""
    counted = kept.rows_by_month

    def and_meanwhile(rows):
        answer(_sent(team), team.coordinator, date(2025, 6, 9), helpfulness="Good")
        return counted(rows)

    monkeypatch.setattr(kept, "rows_by_month", and_meanwhile)
    with service_scope(team.service.pk):
        during = parent_results(YEAR)
    monkeypatch.undo()
    with service_scope(team.service.pk):
        after = parent_results(YEAR)
    assert (during.sent, during.returned) == (9, 6)
    assert (after.sent, after.returned) == (10, 7)
    assert everything(team.service) == afresh(team.service)


def test_months_are_counted_afresh_for_several_services_or_part_months(
    team, other_team, parent_year, django_assert_num_queries
):
    days = Period(date(2024, 9, 2), date(2025, 8, 31), "from the second")
    with service_scope(team.service.pk), django_assert_num_queries(1):
        parent_results(days)
    with scope(service=[team.service.pk, other_team.service.pk]), django_assert_num_queries(1):
        parent_results(YEAR)
    with service_scope(team.service.pk), counted_afresh(), django_assert_num_queries(1):
        parent_results(YEAR)
    # The months changed have rows (the triggers made them), none of them counted.
    assert TallyMonth.objects.exists()
    assert not TallyMonth.objects.filter(counts__isnull=False).exists()


def test_the_triggers_are_on_the_tables(db):
    """Every table whose rows the kept months are made from clears them when it changes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers"
            " WHERE trigger_name LIKE %s",
            ["%_tally%"],
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {
        "evaluations_sending",
        "evaluations_response",
        "evaluations_answer",
        "evaluations_evaluationform",
        "evaluations_question",
    }
