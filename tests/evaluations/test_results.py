"""Evaluation figures of a period against counts made by hand (docs/domain.md, "Evaluations").

Every form is sent and answered through the actions, by letter and keyed in from paper, as a
service does it. The figures are read through reports.queries.evaluations, which takes the
counting rules from evaluations.results.form_results.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from evaluations import actions
from evaluations.enums import EventKind, FormKind
from evaluations.kept import counted_afresh
from evaluations.models import Event, Question, Response, Sending
from evaluations.results import AnswerCount, Comment, Tallies, TallySql
from pps.access import service_scope
from reports.periods import Period
from reports.queries.evaluations import (
    EventRow,
    MeasureFigure,
    ReturnRate,
    default_form,
    evaluation_results,
    events_summary,
    impartiality,
    parent_results,
    parent_results_by_period,
    return_rates,
    satisfaction,
    sendings_in,
    sent_in,
)
from tests.evaluations.records import (
    NEW_HELPFULNESS,
    YEAR,
    answer,
    form_of,
    send,
)

pytestmark = pytest.mark.django_db


def by_key(results):
    return {q.key: q for q in results.questions}


def test_the_return_rate_counts_a_form_returned_after_the_year(team, parent_year):
    with service_scope(team.service.pk):
        results = evaluation_results(YEAR, parent_year["form"])
    assert (results.sent, results.returned, results.return_rate) == (9, 6, 66.7)


def test_each_answer_is_counted_across_both_versions_in_the_latest_wording(team, parent_year):
    with service_scope(team.service.pk):
        helpfulness = by_key(evaluation_results(YEAR, parent_year["form"]))["helpfulness"]
    assert helpfulness.text == NEW_HELPFULNESS
    assert helpfulness.answers == (
        AnswerCount("Excellent", 2, 33.3),
        AnswerCount("Very good", 1, 16.7),
        AnswerCount("Good", 1, 16.7),
        AnswerCount("Satisfactory", 1, 16.7),
        AnswerCount("Unsatisfactory", 1, 16.7),
    )
    assert (helpfulness.answered, helpfulness.not_applicable, helpfulness.not_answered) == (
        6,
        0,
        0,
    )
    assert (helpfulness.positive, helpfulness.positive_percent) == (4, 66.7)


def test_not_applicable_is_left_out_of_the_percentages(team, parent_year):
    with service_scope(team.service.pk):
        information = by_key(evaluation_results(YEAR, parent_year["form"]))["information"]
    # Good: R2, R10; Excellent: R7; Not applicable: R1, R3; blank: R8.
    assert information.answers == (
        AnswerCount("Excellent", 1, 33.3),
        AnswerCount("Very good", 0, 0.0),
        AnswerCount("Good", 2, 66.7),
        AnswerCount("Satisfactory", 0, 0.0),
        AnswerCount("Unsatisfactory", 0, 0.0),
    )
    assert (information.answered, information.not_applicable, information.not_answered) == (
        3,
        2,
        1,
    )


def test_unanswered_questions_are_counted_apart(team, parent_year):
    with service_scope(team.service.pk):
        questions = by_key(evaluation_results(YEAR, parent_year["form"]))
    situation = questions["situation"]
    assert situation.answers == (
        AnswerCount("Resolved", 1, 25.0),
        AnswerCount("Some improvement", 2, 50.0),
        AnswerCount("A lot of improvement", 0, 0.0),
        AnswerCount("Ongoing", 1, 25.0),
        AnswerCount("No change", 0, 0.0),
    )
    assert (situation.answered, situation.not_answered) == (4, 2)
    sensitivity = questions["sensitivity"]
    assert (sensitivity.answered, sensitivity.not_answered) == (0, 6)
    assert sensitivity.answers[0] == AnswerCount("Excellent", 0, None)


def test_a_question_dropped_from_the_new_version_still_counts(team, parent_year):
    with service_scope(team.service.pk):
        results = evaluation_results(YEAR, parent_year["form"])
    # The latest version's questions in its order, then the one it dropped.
    assert [q.key for q in results.questions] == [
        "helpfulness",
        "sensitivity",
        "information",
        "impartial",
        "confidence",
        "situation",
        "contact_again",
        "comments",
        "recommend",
    ]
    recommend = by_key(results)["recommend"]
    assert recommend.answers == (AnswerCount("Yes", 2, 66.7), AnswerCount("No", 1, 33.3))
    # R7, R8 and R10 answered version 2, which does not ask it: they did not leave it out.
    assert (recommend.answered, recommend.not_answered) == (3, 0)


def test_only_publishable_comments_are_given(team, parent_year):
    with service_scope(team.service.pk):
        results = evaluation_results(YEAR, parent_year["form"])
    assert results.comments == (
        Comment("Any comments", "Fabulous service."),
        Comment("Any comments", "PPS fills in the gaps."),
    )
    comments = by_key(results)["comments"]
    assert (comments.answered, comments.not_answered, comments.answers) == (3, 3, ())


def test_a_link_answered_twice_is_refused_and_changes_no_figure(team, parent_year):
    with service_scope(team.service.pk):
        before = evaluation_results(YEAR, parent_year["form"])
    with pytest.raises(ValidationError):
        answer(
            parent_year["s1"],
            team.coordinator,
            date(2024, 10, 1),
            helpfulness="Unsatisfactory",
            comments="A second go.",
        )
    with service_scope(team.service.pk):
        after = evaluation_results(YEAR, parent_year["form"])
    assert after == before
    assert (after.sent, after.returned) == (9, 6)


def test_satisfaction_against_the_target(team, parent_year):
    service = team.service
    with service_scope(service.pk):
        parents = parent_results(YEAR)
        default = satisfaction(YEAR, service)
        service.satisfaction_target = 66
        met = satisfaction(YEAR, service, results=parents)
        service.satisfaction_target = 67
        not_met = satisfaction(YEAR, service, results=parents)
        impartial = impartiality(YEAR)
    assert default == MeasureFigure(NEW_HELPFULNESS, 4, 6, 66.7, 85)
    assert default.met is False
    assert (met.target, met.met) == (66, True)
    assert (not_met.target, not_met.met) == (67, False)
    # Yes: R1, R2, R7, R10; No: R3; blank: R8.
    assert impartial == MeasureFigure("Was the service impartial?", 4, 5, 80.0, None)
    assert impartial.met is None


def test_periods_counted_by_month_in_one_query_equal_each_period_counted_alone(
    team, parent_year, django_assert_num_queries
):
    """The dashboard's way: the year, a term and four quarters from one query counted by
    the month each form was sent in. By hand: September-November 2024 sent S1-S4, returned
    R1-R3, helpfulness Excellent, Very good, Satisfactory (2 of 3 good or better) in the
    first wording, one published comment; December-February S5 and S7, R7 back; March-May
    S8 and S9, R8 back; June-August S10, back in September (it counts). 4 + 2 + 2 + 1 = 9."""
    quarters = [
        Period(date(2024, 9, 1), date(2024, 11, 30), "Sep-Nov"),
        Period(date(2024, 12, 1), date(2025, 2, 28), "Dec-Feb"),
        Period(date(2025, 3, 1), date(2025, 5, 31), "Mar-May"),
        Period(date(2025, 6, 1), date(2025, 8, 31), "Jun-Aug"),
    ]
    term = Period(date(2024, 9, 1), date(2024, 12, 31), "autumn term")
    periods = [YEAR, term, *quarters]
    with service_scope(team.service.pk):
        with counted_afresh():
            with django_assert_num_queries(1):
                by_month = parent_results_by_period(periods)
            alone = {period: parent_results(period) for period in periods}
        # The months kept (evaluations.kept): counted once, then read.
        with django_assert_num_queries(3):
            counted = parent_results_by_period(periods)
        with django_assert_num_queries(1):
            kept = parent_results_by_period(periods)
    assert by_month == alone == counted == kept
    assert [(by_month[q].sent, by_month[q].returned) for q in quarters] == [
        (4, 3),
        (2, 1),
        (2, 1),
        (1, 1),
    ]
    autumn = by_month[quarters[0]]
    assert (autumn.satisfaction.positive, autumn.satisfaction.answered) == (2, 3)
    assert autumn.satisfaction.text != NEW_HELPFULNESS
    assert [c.text for c in autumn.comments] == ["Fabulous service."]
    assert (by_month[YEAR].sent, by_month[YEAR].returned) == (9, 6)
    assert by_month[quarters[1]].satisfaction.text == NEW_HELPFULNESS
    # The dashboard's reading: the same sendings, returns and measures, nothing else.
    with service_scope(team.service.pk), django_assert_num_queries(1):
        measured = parent_results_by_period(periods, measures_only=True)
    with service_scope(team.service.pk), counted_afresh(), django_assert_num_queries(1):
        assert parent_results_by_period(periods, measures_only=True) == measured
    for period in periods:
        assert (measured[period].sent, measured[period].returned) == (
            alone[period].sent,
            alone[period].returned,
        )
        assert measured[period].satisfaction == alone[period].satisfaction
        assert all(question.measure for question in measured[period].questions)
        assert measured[period].comments == ()
    assert measured[quarters[0]].satisfaction is not None


def test_periods_counted_by_month_take_whole_months_only(team):
    with service_scope(team.service.pk), pytest.raises(ValueError):
        parent_results_by_period([Period(date(2024, 9, 2), date(2024, 9, 30), "")])


def test_satisfaction_is_met_when_every_parent_rates_good_or_better(team):
    service, by = team.service, team.coordinator
    form = form_of(service, FormKind.PARENT)
    for day, rating in [(2, "Excellent"), (3, "Very good"), (4, "Good")]:
        answer(send(form, by, date(2025, 1, day)), by, date(2025, 2, 1), helpfulness=rating)
    send(form, by, date(2025, 1, 5))
    with service_scope(service.pk):
        figure = satisfaction(YEAR, service)
    assert figure == MeasureFigure("How helpful was the support you received?", 3, 3, 100.0, 85)
    assert figure.met is True


def event_forms(team):
    """An event on 5 March 2025 with four forms handed out and three returned."""
    service, by = team.service, team.coordinator
    event = Event.objects.create(
        service=service,
        kind=EventKind.FORUM,
        title="Spring forum",
        on=date(2025, 3, 5),
        parents_attending=9,
        professionals_attending=1,
        volunteers_attending=1,
    )
    form = form_of(service, FormKind.EVENT)
    handed = [s for s, _ in actions.hand_out_forms(event=event, form=form, count=4, by=by)]
    received = date(2025, 3, 6)
    answer(
        handed[0],
        by,
        received,
        needs_met="Met",
        reasons=["Information or training", "Obtaining advice"],
    )
    answer(handed[1], by, received, needs_met="More than met", reasons=["Information or training"])
    answer(handed[2], by, received, needs_met="Partly met")
    return form


def test_a_several_choice_question_is_counted_per_respondent(team):
    form = event_forms(team)
    with service_scope(team.service.pk):
        results = evaluation_results(YEAR, form)
    reasons = by_key(results)["reasons"]
    # Of 2 who answered: both came for information, one for advice too (150% in all).
    assert reasons.answers == (
        AnswerCount("Information or training", 2, 100.0),
        AnswerCount("Obtaining advice", 1, 50.0),
        AnswerCount("General interest", 0, 0.0),
        AnswerCount("Meeting other parents", 0, 0.0),
        AnswerCount("Being consulted on your views", 0, 0.0),
    )
    assert (reasons.answered, reasons.not_answered) == (2, 1)
    assert (results.satisfaction.positive, results.satisfaction.positive_percent) == (2, 66.7)


def test_return_rates_of_every_form_sent_in_the_year(team, other_team, parent_year):
    event_forms(team)
    # Another service's sending in the same year never counts here.
    send(form_of(other_team.service, FormKind.PARENT), other_team.coordinator, date(2025, 1, 6))
    with service_scope(team.service.pk):
        rates = return_rates(YEAR)
    event_form = form_of(team.service, FormKind.EVENT)
    assert rates == (
        ReturnRate(
            event_form.pk,
            "Event or training evaluation",
            "Event and training evaluation",
            4,
            3,
            75.0,
        ),
        ReturnRate(parent_year["form"].pk, "Parent evaluation", "Parent evaluation", 9, 6, 66.7),
    )


def test_return_rates_take_one_query(team, parent_year, django_assert_num_queries):
    with service_scope(team.service.pk), django_assert_num_queries(1):
        return_rates(YEAR)


def test_events_summary_by_kind(team, other_team):
    def event(service, kind, on, parents, professionals, volunteers):
        Event.objects.create(
            service=service,
            kind=kind,
            title=f"{kind} on {on}",
            on=on,
            parents_attending=parents,
            professionals_attending=professionals,
            volunteers_attending=volunteers,
        )

    s = team.service
    event(s, EventKind.FORUM, date(2024, 10, 10), 12, 0, 2)
    event(s, EventKind.FORUM, date(2025, 3, 5), 9, 1, 1)
    event(s, EventKind.ROADSHOW, date(2025, 5, 1), 20, 5, 0)
    event(s, EventKind.FORUM, date(2024, 8, 31), 30, 0, 0)  # the day before the year
    event(s, EventKind.ROADSHOW, date(2025, 9, 1), 30, 0, 0)  # the day after it
    event(other_team.service, EventKind.FORUM, date(2025, 1, 10), 40, 0, 0)
    with service_scope(s.pk):
        summary = events_summary(YEAR)
    assert summary.rows == (
        EventRow("Parents' forum meeting", 2, 21, 1, 3),
        EventRow("Road show or seminar", 1, 20, 5, 0),
    )
    assert summary.total == EventRow("All events", 3, 41, 6, 3)
    assert (summary.rows[0].attendance, summary.total.attendance) == (25, 50)


def test_the_default_form_is_the_parent_evaluation(team):
    with service_scope(team.service.pk):
        assert default_form() == form_of(team.service, FormKind.PARENT)


def test_a_several_choice_answer_with_not_applicable_and_another_is_refused(team):
    """A several-choice question offering "Not applicable": "Not applicable" together with a
    real answer contradicts itself, and counting it would put the respondent both among
    those who answered and those for whom it did not apply ("not answered" would come out
    at -1). record_response refuses it beside the question, and records nothing."""
    service, by = team.service, team.coordinator
    form = form_of(service, FormKind.EVENT)
    draft = actions.draft_version(form=form, by=by)
    Question.objects.filter(version=draft, key="reasons").update(allow_not_applicable=True)
    actions.publish_version(version=draft)
    sending = send(form, by, date(2025, 3, 5))
    reasons_question = Question.objects.get(version=sending.version, key="reasons")
    with pytest.raises(ValidationError) as refused:
        answer(
            sending,
            by,
            date(2025, 3, 6),
            needs_met="Met",
            reasons=["Obtaining advice", "Not applicable"],
        )
    assert refused.value.message_dict == {
        f"q{reasons_question.pk}": ["“Not applicable” cannot go with another answer."]
    }
    assert not Response.objects.filter(sending=sending).exists()
    with service_scope(service.pk):
        reasons = by_key(evaluation_results(YEAR, form))["reasons"]
    assert (reasons.answered, reasons.not_applicable, reasons.not_answered) == (0, 0, 0)


def test_a_form_s_results_take_one_query(team, parent_year, django_assert_num_queries):
    """Counted afresh (not kept: evaluations.kept), the sendings, questions, answers and
    comments are read in one query (with the comments not yet published), each time."""
    with service_scope(team.service.pk), counted_afresh():
        with django_assert_num_queries(1):
            results = parent_results(YEAR)
        with django_assert_num_queries(1):
            every_comment = evaluation_results(YEAR, parent_year["form"], publishable_only=False)
        answer(
            send(parent_year["form"], team.coordinator, date(2025, 6, 2)),
            team.coordinator,
            date(2025, 6, 9),
            helpfulness="Good",
        )
        with django_assert_num_queries(1):
            again = parent_results(YEAR)
    assert (results.sent, results.returned) == (9, 6)
    assert (every_comment.sent, every_comment.returned) == (9, 6)
    assert len(every_comment.comments) > len(results.comments)
    assert (again.sent, again.returned) == (10, 7)
    assert again.satisfaction.answered == results.satisfaction.answered + 1


def test_the_words_of_comments_are_read_only_when_publishable(team, parent_year):
    """Free text is no answer to count: the tallies' query returns an unpublished
    comment's words in no row, only that the question was answered."""
    with service_scope(team.service.pk):
        rows = TallySql.of(sendings_in(YEAR)).rows()
        comments = by_key(Tallies(sendings_in(YEAR)).results())["comments"]
    read = {value for row in rows for value in row}
    assert "Not cleared for the report." not in read
    assert "Fabulous service." in read
    assert comments.answered == 3


def test_responses_read_by_their_sending_day_equal_those_found_through_the_sendings(
    team, other_team, parent_year
):
    """A period's responses are read by the day their form was sent (sent_in), an event's
    through its sendings: both give the same rows for the same sendings, counted whole or
    by month, every form or the parent forms only."""
    elsewhere = form_of(other_team.service, FormKind.PARENT)
    answer(
        send(elsewhere, other_team.coordinator, date(2024, 10, 1)),
        other_team.coordinator,
        date(2024, 10, 8),
        helpfulness="Good",
    )
    choices = [sent_in(YEAR), sent_in(YEAR, version__form__kind=FormKind.PARENT)]
    with service_scope(team.service.pk):
        for sent in choices:
            for options in ({}, {"by_month": True}, {"measures_only": True, "by_month": True}):
                sendings = Sending.objects.filter(sent)
                through_sendings = TallySql.of(sendings, **options).rows()
                by_day = TallySql.of(
                    sendings, responses=Response.objects.filter(sent), **options
                ).rows()
                assert through_sendings, options
                assert sorted(by_day, key=repr) == sorted(through_sendings, key=repr), options
