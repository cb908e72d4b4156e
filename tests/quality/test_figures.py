"""Live evidence figures against hand counts (docs/domain.md, "Counting rules"), and the
catalogue."""

import datetime as dt

import pytest

from casework.models import Feedback
from pps.access import service_scope
from quality import actions, evidence
from quality.models import EvidenceFigure, SteeringSeat
from reports.periods import academic_year
from reports.queries.feedback import feedback_summary
from reports.queries.response_times import response_times
from tests import factories
from tests.quality.factories import make_assessment, rate_all

pytestmark = pytest.mark.django_db

YEAR = academic_year(2024)  # 1 September 2024 to 31 August 2025


def enquiry(team, received, answered=None):
    return factories.record_enquiry(
        team.service, team.officer, on=received, first_response_on=answered
    )


def test_response_times_count_approaches_by_the_counting_rule(team):
    d = dt.date
    # Enquiries: the day of receipt is not counted; weekends and bank holidays are not
    # working days (Good Friday 18 and Easter Monday 21 April 2025).
    enquiry(team, d(2025, 4, 17), d(2025, 4, 22))  # 1 working day: within
    enquiry(team, d(2024, 12, 6), d(2024, 12, 11))  # Fri to Wed: 3 working days, later
    enquiry(team, d(2024, 12, 2), d(2024, 12, 2))  # the same day: within
    enquiry(team, d(2025, 3, 3))  # never answered, standard long passed: overdue
    enquiry(team, d(2024, 8, 30), d(2024, 9, 2))  # received before the year: not counted
    # An enquiry converted into a case is one approach, timed by the enquiry.
    converted = enquiry(team, d(2025, 3, 10), d(2025, 3, 12))  # 2 working days: within
    factories.open_case(team.service, team.officer, opened_on=d(2025, 3, 14), enquiry=converted)
    # Cases opened without an enquiry: timed from "received on" to the first staff contact.
    late = factories.open_case(team.service, team.officer, opened_on=d(2025, 1, 13))
    factories.log_contact(late, team.officer, on=d(2025, 1, 16))  # 3 working days: later
    factories.log_contact(late, team.officer, on=d(2025, 1, 17))
    prompt = factories.open_case(team.service, team.officer, opened_on=d(2025, 1, 20))
    factories.log_contact(prompt, team.officer, on=d(2025, 1, 21))  # within
    # Received on Sunday 1 June: the standard runs to Tuesday 3 June, so on 2 June it is
    # not yet due.
    factories.open_case(team.service, team.officer, opened_on=d(2025, 6, 1))

    figures = response_times(YEAR, 2, today=d(2025, 6, 2))

    assert figures.received == 8
    assert figures.within == 4
    assert figures.later == 2
    assert figures.overdue == 1
    assert figures.not_yet_due == 1
    assert figures.share_within == 50.0
    three_days = response_times(YEAR, 3, today=d(2025, 6, 2))
    assert (three_days.within, three_days.later) == (6, 0)


def test_response_times_of_another_service_are_not_counted(team, other_team):
    enquiry(other_team, dt.date(2025, 1, 6), dt.date(2025, 1, 6))
    enquiry(team, dt.date(2025, 1, 6), dt.date(2025, 1, 7))
    with service_scope(team.service.pk):
        figures = response_times(YEAR, 2, today=dt.date(2025, 6, 2))
    assert (figures.received, figures.within) == (1, 1)


def feedback(team, kind, about, received_on, improvement="", publishable=False):
    return Feedback.objects.create(
        service=team.service,
        kind=kind,
        about=about,
        received_on=received_on,
        channel="email",
        from_name="Eleanor Whitcombe-Vane",
        summary="Private words",
        improvement=improvement,
        publishable=publishable,
    )


def test_feedback_summary_by_type_and_topic_with_publishable_improvements(team):
    d = dt.date(2025, 2, 3)
    feedback(team, "complaint", "staff", d, "Calls returned the same day", publishable=True)
    feedback(team, "complaint", "access", d, "Private improvement", publishable=False)
    feedback(team, "complaint", "access", d)
    feedback(team, "compliment", "staff", d)
    feedback(team, "compliment", "service", d)
    feedback(team, "suggestion", "information", d, "Leaflet in Polish", publishable=True)
    feedback(team, "complaint", "staff", dt.date(2024, 8, 31))  # before the year

    summary = feedback_summary(YEAR)

    assert summary.kinds == ("Complaint", "Compliment", "Suggestion")
    assert summary.by_kind == (3, 2, 1)
    assert summary.with_improvement == (2, 0, 1)
    assert summary.total == 6
    assert [(row.topic, row.counts, row.total) for row in summary.by_topic] == [
        ("Staff", (1, 1, 0), 2),
        ("The service", (0, 1, 0), 1),
        ("Information", (0, 0, 1), 1),
        ("Access", (2, 0, 0), 2),
    ]
    assert summary.improvements == (
        ("Complaint", "Staff", "Calls returned the same day"),
        ("Suggestion", "Information", "Leaflet in Polish"),
    )


def test_catalogue_figures_read_the_records_for_the_assessment_year(team):
    day = dt.date(2025, 3, 31)
    feedback(team, "complaint", "staff", dt.date(2025, 2, 3), "Calls returned the same day")
    feedback(team, "complaint", "staff", dt.date(2025, 4, 1))  # after the assessment date
    for joined, member_type, left in [
        (dt.date(2024, 1, 1), "parent", None),
        (dt.date(2024, 1, 1), "parent", dt.date(2025, 1, 1)),
        (dt.date(2024, 1, 1), "local_authority", None),
        (dt.date(2025, 3, 1), "parent", None),
    ]:
        SteeringSeat.objects.create(
            service=team.service, member_type=member_type, joined_on=joined, left_on=left
        )
    complaints = evidence.read_figure("complaints", team.service, day)
    assert complaints.period == "2024/25 to 31 March 2025"
    assert complaints.value == "1 complaint, 1 with a resulting improvement"
    assert complaints.public_value == (
        "fewer than 5 complaints, fewer than 5 with a resulting improvement"
    )
    parents = evidence.read_figure("steering-group-parents", team.service, day)
    assert parents.period == "on 31 March 2025"
    assert parents.value == "2 of 3 members are parents or carers"
    whole_year = evidence.read_figure("compliments", team.service, dt.date(2025, 9, 1))
    assert whole_year.period == "2025/26 to 1 September 2025"
    assert evidence.period_for(evidence.ACADEMIC_YEAR, team.service, YEAR.last).label == "2024/25"


def test_the_catalogue_is_a_registry_other_apps_add_to():
    source = evidence.EvidenceSource(
        "test-only-figure",
        "A figure from elsewhere",
        evidence.ON_DAY,
        lambda service, period, today: evidence.Reading("7", "7"),
    )
    try:
        evidence.register(source)
        assert ("test-only-figure", "A figure from elsewhere") in evidence.choices()
        with pytest.raises(ValueError, match="already registered"):
            evidence.register(source)
    finally:
        evidence.CATALOGUE.pop("test-only-figure")


def test_parent_satisfaction_and_impartiality_come_from_the_evaluations(team):
    from evaluations.actions import record_response

    day = dt.date(2025, 3, 31)
    # Six parent forms sent in 2024/25 before the assessment date; five come back.
    answers = [
        ("Excellent", "Yes"),
        ("Excellent", "Yes"),
        ("Excellent", "Yes"),
        ("Good", "Yes"),
        ("Satisfactory", "No"),
    ]
    for n in range(6):
        sending, _token = factories.send_form(
            team.service, team.officer, on=dt.date(2024, 10, 1) + dt.timedelta(days=n)
        )
        if n == 5:
            continue
        questions = {q.key: q.pk for q in sending.version.questions.all()}
        helpful, impartial = answers[n]
        record_response(
            sending=sending,
            answers={questions["helpfulness"]: [helpful], questions["impartial"]: [impartial]},
            source="paper",
            received_on=dt.date(2024, 11, 1),
        )
    # Sent after the assessment date: not in its period.
    factories.send_form(team.service, team.officer, on=dt.date(2025, 4, 2))
    with service_scope(team.service.pk):
        satisfied = evidence.read_figure("parent-satisfaction", team.service, day)
        impartial = evidence.read_figure("parent-impartiality", team.service, day)
    assert satisfied.period == "2024/25 to 31 March 2025"
    # 4 of 5 Good or better is 80%, short of the default 85% target.
    assert satisfied.value == (
        "80%: 4 of 5 parents who answered rated the support Good or better (target 85%: not met)"
    )
    assert satisfied.public_value == (
        "fewer than 5 of 5 parents who answered rated the support Good or better"
    )
    assert impartial.value == "80%: 4 of 5 parents who answered found the service impartial"


def test_figures_count_their_own_service_outside_a_request(team, other_team):
    # Only the other service has a complaint and a steering seat; the tests run with
    # scopes disabled, as the demo loader, commands and workers do.
    feedback(other_team, "complaint", "staff", dt.date(2025, 2, 3), "Their improvement")
    SteeringSeat.objects.create(
        service=other_team.service, member_type="parent", joined_on=dt.date(2024, 1, 1)
    )
    day = dt.date(2025, 3, 31)
    assert evidence.read_figure("complaints", team.service, day).value == (
        "0 complaints, 0 with a resulting improvement"
    )
    assert evidence.read_figure("steering-group-parents", team.service, day).value == (
        "0 of 0 members are parents or carers"
    )
    assessment = make_assessment(team, on=day)
    ratings = list(assessment.ratings.all())
    actions.link_figure(rating=ratings[0], key="complaints")
    actions.link_figure(rating=ratings[1], key="steering-group-parents")
    rate_all(assessment)
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    frozen = dict(
        EvidenceFigure.objects.filter(rating__assessment=assessment).values_list(
            "key", "frozen_value"
        )
    )
    assert frozen == {
        "complaints": "0 complaints, 0 with a resulting improvement",
        "steering-group-parents": "0 of 0 members are parents or carers",
    }


def test_the_response_share_is_hidden_from_steering_when_few_were_within(team):
    d = dt.date
    for n in range(2):  # answered the same day: within
        enquiry(team, d(2025, 1, 6 + n), d(2025, 1, 6 + n))
    for n in range(4):  # answered a fortnight later: later
        enquiry(team, d(2025, 2, 3 + n), d(2025, 2, 17 + n))
    figure = evidence.read_figure(
        "response-within-standard", team.service, d(2025, 3, 31), today=d(2025, 6, 2)
    )
    assert figure.value.startswith("33%: 2 of 6 approaches answered within 2 working days")
    assert figure.public_value == (
        "fewer than 5 of 6 approaches answered within 2 working days (fewer than 5 later, "
        "0 unanswered past the standard, 0 not yet due)"
    )
