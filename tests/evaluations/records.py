"""Evaluation records for the results tests: forms sent by letter and keyed in from paper,
through the same actions the pages use."""

from datetime import date

from evaluations import actions
from evaluations.enums import Channel, FormKind, RecipientKind, ResponseSource
from evaluations.models import Answer, EvaluationForm, Question
from reports.periods import academic_year


def form_of(service, kind):
    return EvaluationForm.objects.get(service=service, kind=kind)


def send(form, by, on):
    sending, _token = actions.send_form(
        form=form, by=by, channel=Channel.LETTER, recipient_kind=RecipientKind.PARENT, on=on
    )
    return sending


def answer(sending, by, received_on, *, publish=False, **given):
    """Key a paper form in: `given` maps question keys to an answer or a list of answers;
    `publish` clears its comment for publishing."""
    ids = {q.key: q.pk for q in sending.version.questions.all()}
    response = actions.record_response(
        sending=sending,
        answers={
            ids[key]: value if isinstance(value, list) else [value] for key, value in given.items()
        },
        source=ResponseSource.PAPER,
        entered_by=by,
        received_on=received_on,
    )
    if publish:
        publish_comment(response)
    return response


def publish_comment(response):
    comment = Answer.objects.get(response=response, question__key="comments")
    actions.set_comment_publishable(answer=comment, publishable=True, by=response.entered_by)


YEAR = academic_year(2024)  # 1 September 2024 to 31 August 2025
NEW_HELPFULNESS = "How helpful was our support?"


def new_version(form, by):
    """Version 2: the helpfulness question reworded (same key), "recommend" dropped."""
    draft = actions.draft_version(form=form, by=by)
    helpfulness = Question.objects.get(version=draft, key="helpfulness")
    helpfulness.text = NEW_HELPFULNESS
    helpfulness.save()
    Question.objects.filter(version=draft, key="recommend").delete()
    return actions.publish_version(version=draft)


def parent_year_of(team):
    """The parent form over 2024/25, worked out by hand.

    Sent in the year: S1-S5 (version 1), S7-S10 (version 2, after the change in January) = 9.
    Returned: R1, R2, R3, R7, R8 and R10 (S10 sent on 20 August, back on 15 September
    2025, after the year: it still counts) = 6; 6 / 9 = 66.7%. Sent before and after the
    year, and answered: S0 and S11, left out.
    """
    service, by = team.service, team.coordinator
    form = form_of(service, FormKind.PARENT)
    s0 = send(form, by, date(2024, 8, 30))
    answer(s0, by, date(2024, 9, 10), helpfulness="Unsatisfactory", comments="Before the year")
    s1 = send(form, by, date(2024, 9, 2))
    s2 = send(form, by, date(2024, 9, 20))
    s3 = send(form, by, date(2024, 10, 15))
    send(form, by, date(2024, 11, 1))  # S4, never returned
    send(form, by, date(2024, 12, 3))  # S5, never returned
    r1 = answer(
        s1,
        by,
        date(2024, 9, 30),
        helpfulness="Excellent",
        information="Not applicable",
        impartial="Yes",
        situation="Resolved",
        recommend="Yes",
        comments="Fabulous service.",
    )
    answer(
        s2,
        by,
        date(2024, 10, 5),
        helpfulness="Very good",
        information="Good",
        impartial="Yes",
        situation="Some improvement",
        recommend="Yes",
        comments="Not cleared for the report.",
    )
    answer(
        s3,
        by,
        date(2024, 11, 20),
        helpfulness="Satisfactory",
        information="Not applicable",
        impartial="No",
        recommend="No",
    )
    new_version(form, by)
    s7 = send(form, by, date(2025, 2, 3))
    s8 = send(form, by, date(2025, 3, 10))
    send(form, by, date(2025, 5, 12))  # S9, never returned
    s10 = send(form, by, date(2025, 8, 20))
    answer(
        s7,
        by,
        date(2025, 2, 20),
        helpfulness="Good",
        information="Excellent",
        impartial="Yes",
        situation="Some improvement",
    )
    r8 = answer(
        s8,
        by,
        date(2025, 4, 1),
        helpfulness="Excellent",
        situation="Ongoing",
        comments="PPS fills in the gaps.",
    )
    answer(
        s10,
        by,
        date(2025, 9, 15),
        helpfulness="Unsatisfactory",
        information="Good",
        impartial="Yes",
    )
    s11 = send(form, by, date(2025, 9, 1))
    answer(s11, by, date(2025, 9, 2), helpfulness="Excellent")
    publish_comment(r1)
    publish_comment(r8)
    return {"form": form, "s1": s1}
