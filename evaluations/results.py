"""What a set of sent forms says: return rate and each question's answers (DOMAIN.md 4.0).

The counting rules, in one place for the event page, the results report and its exports:
- return rate: responses to the sendings / sendings (a form returned after the period
  still counts for the period it was sent in);
- a question's percentages are among respondents who gave an answer other than
  "Not applicable"; respondents who left it blank or answered "Not applicable" are counted
  and shown apart (respondents whose version did not ask it are neither);
- a question is the same question in every version of a form while its key is the same,
  so a year in which the wording changed is counted as one; it is shown in the wording of
  the latest version;
- a several-choice question's percentages are of respondents, so they may add up to more
  than 100;
- satisfaction is the share of positive answers (Excellent, Very good or Good; More than
  met or Met; Yes) to the question that measures it, impartiality likewise.

Everything is counted by the database in six queries, whatever the number of forms.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from evaluations.enums import NOT_APPLICABLE, Measure, QuestionKind
from evaluations.models import Answer, Question, Response, Sending


@dataclass(frozen=True)
class AnswerCount:
    answer: str
    count: int
    percent: float | None


@dataclass(frozen=True)
class QuestionResult:
    key: str
    text: str
    kind: str
    measure: str
    answered: int
    not_applicable: int
    not_answered: int
    answers: tuple[AnswerCount, ...]
    positive: int | None
    positive_percent: float | None

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT


@dataclass(frozen=True)
class Comment:
    question: str
    text: str


@dataclass(frozen=True)
class FormResults:
    sent: int
    returned: int
    questions: tuple[QuestionResult, ...]
    comments: tuple[Comment, ...]

    @property
    def return_rate(self) -> float | None:
        return _percent(self.returned, self.sent)

    def measure(self, measure: Measure) -> QuestionResult | None:
        return next((q for q in self.questions if q.measure == measure), None)

    @property
    def satisfaction(self) -> QuestionResult | None:
        return self.measure(Measure.SATISFACTION)

    @property
    def impartiality(self) -> QuestionResult | None:
        return self.measure(Measure.IMPARTIALITY)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _latest_questions(sendings: QuerySet[Sending]) -> tuple[list[Question], dict[str, set]]:
    """One question per key, in the wording and order of the latest version sent; and for
    each key the versions that ask it."""
    questions = (
        Question.objects.filter(version__in=sendings.values("version"))
        .select_related("version")
        .order_by("-version__number", "position", "id")
    )
    latest: dict[str, Question] = {}
    asked_in: dict[str, set] = {}
    for question in questions:
        latest.setdefault(question.key, question)
        asked_in.setdefault(question.key, set()).add(question.version_id)
    newest = max((q.version.number for q in latest.values()), default=0)
    # Questions of the latest version first in its order, then any dropped from it.
    ordered = sorted(latest.values(), key=lambda q: (q.version.number != newest, q.position))
    return ordered, asked_in


def form_results(sendings: QuerySet[Sending], *, publishable_only: bool = True) -> FormResults:
    """Figures of the sendings given (already limited to a form, period or event)."""
    sent = sendings.count()
    responses = Response.objects.filter(sending__in=sendings)
    by_version = dict(
        responses.values("version").annotate(n=Count("id")).values_list("version", "n")
    )
    returned = sum(by_version.values())
    answers = Answer.objects.filter(response__in=responses)
    counts = {
        (row["question__key"], row["value"]): row["n"]
        for row in answers.exclude(question__kind=QuestionKind.TEXT)
        .values("question__key", "value")
        .annotate(n=Count("response", distinct=True))
    }
    per_question = {
        row["question__key"]: row
        for row in answers.values("question__key").annotate(
            answered=Count("response", distinct=True, filter=~Q(value=NOT_APPLICABLE)),
            not_applicable=Count("response", distinct=True, filter=Q(value=NOT_APPLICABLE)),
        )
    }
    results = []
    questions, asked_in = _latest_questions(sendings)
    for question in questions:
        row = per_question.get(question.key, {"answered": 0, "not_applicable": 0})
        answered, not_applicable = row["answered"], row["not_applicable"]
        # Only respondents whose version asked the question can have left it unanswered.
        asked = sum(by_version.get(version, 0) for version in asked_in[question.key])
        choices = [a for a in question.answers() if a != NOT_APPLICABLE]
        # Answers no longer offered in the latest wording are still counted and shown.
        offered = set(choices)
        older = sorted(
            value
            for key, value in counts
            if key == question.key and value not in offered and value != NOT_APPLICABLE
        )
        tally = tuple(
            AnswerCount(
                a,
                counts.get((question.key, a), 0),
                _percent(counts.get((question.key, a), 0), answered),
            )
            for a in choices + older
        )
        positive = None
        if question.measure and question.positive_answers():
            positive = sum(counts.get((question.key, a), 0) for a in question.positive_answers())
        results.append(
            QuestionResult(
                key=question.key,
                text=question.text,
                kind=question.kind,
                measure=question.measure,
                answered=answered,
                not_applicable=not_applicable,
                not_answered=asked - answered - not_applicable,
                answers=tally if question.kind != QuestionKind.TEXT else (),
                positive=positive,
                positive_percent=_percent(positive, answered) if positive is not None else None,
            )
        )
    text = {q.key: q.text for q in questions}
    comments = answers.filter(question__kind=QuestionKind.TEXT)
    if publishable_only:
        comments = comments.filter(publishable=True)
    return FormResults(
        sent=sent,
        returned=returned,
        questions=tuple(results),
        comments=tuple(
            Comment(text.get(key, key), value)
            for key, value in comments.order_by("response__received_on", "id").values_list(
                "question__key", "value"
            )
        ),
    )
