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

Everything is counted by the database in four queries, whatever the number of forms, by
form version (a response answers one version), so that the results of any set of versions
(one form, every parent form) are sums of the same tallies: a page that shows several
results reads them once (Tallies).
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Count, Q, QuerySet, Value

from evaluations.enums import NOT_APPLICABLE, Measure, QuestionKind
from evaluations.models import Answer, Question, Sending


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


@dataclass(frozen=True)
class VersionSent:
    """Sendings of one form version: how many were sent and returned."""

    version: int
    form: int
    kind: str
    title: str
    sent: int
    returned: int


def _latest_questions(questions: list[Question]) -> tuple[list[Question], dict[str, set]]:
    """One question per key, in the wording and order of the latest version sent; and for
    each key the versions that ask it. `questions` are by version number, newest first."""
    latest: dict[str, Question] = {}
    asked_in: dict[str, set] = {}
    for question in questions:
        latest.setdefault(question.key, question)
        asked_in.setdefault(question.key, set()).add(question.version_id)
    newest = max((q.version.number for q in latest.values()), default=0)
    # Questions of the latest version first in its order, then any dropped from it.
    ordered = sorted(latest.values(), key=lambda q: (q.version.number != newest, q.position))
    return ordered, asked_in


def _compiled(queryset: QuerySet) -> tuple[str, tuple] | None:
    """A queryset's SQL and parameters; None when it can match no row (nothing to run)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _rows(compiled: tuple[str, tuple] | None) -> list[tuple]:
    if compiled is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchall()


@dataclass(frozen=True)
class TallySql:
    """The three queries of Tallies that depend on nothing but the sendings given, as the
    ORM compiles them from the scoped managers: a caller that counts the same sendings
    again (a report's period, in the same scope) may keep it and so build them once
    (reports.queries.evaluations). Their columns are integers and text, which need no
    converter on any database."""

    versions: tuple[str, tuple] | None
    answers: tuple[str, tuple] | None
    comments: tuple[str, tuple] | None

    @classmethod
    def of(cls, sendings: QuerySet[Sending], *, publishable_only: bool = True) -> "TallySql":
        versions = (
            sendings.order_by()
            .values("version", "version__form", "version__form__kind", "version__form__title")
            .annotate(sent=Count("id"), returned=Count("response"))
        )
        # Answers are counted by question id and read without joining the questions: a
        # question belongs to one version (the one its response answers), and its key
        # and kind are known from the questions read before them.
        answers = Answer.objects.filter(response__sending__in=sendings)
        by_answer = (
            answers.order_by()
            .values("question", "value")
            .annotate(respondents=Count("response", distinct=True), other=Value(0))
        )
        by_question = (
            answers.order_by()
            .values("question")
            .annotate(
                no_value=Value(None, output_field=CharField()),
                respondents=Count("response", distinct=True, filter=~Q(value=NOT_APPLICABLE)),
                other=Count("response", distinct=True, filter=Q(value=NOT_APPLICABLE)),
            )
        )
        counted = by_answer.values_list("question", "value", "respondents", "other").union(
            by_question.values_list("question", "no_value", "respondents", "other"), all=True
        )
        comments = answers.filter(question__kind=QuestionKind.TEXT)
        if publishable_only:
            comments = comments.filter(publishable=True)
        return cls(
            versions=_compiled(versions),
            answers=_compiled(counted),
            comments=_compiled(
                comments.order_by("response__received_on", "id").values_list("question", "value")
            ),
        )


class Tallies:
    """The sendings given (already limited to a period or an event), counted by form
    version in four queries: sendings and responses per version, the questions of the
    versions sent, respondents per answer and per question (one UNION ALL, by question id),
    and the comments (TallySql, and the questions).
    `results(versions)` then gives the FormResults of any set of those versions."""

    def __init__(
        self,
        sendings: QuerySet[Sending] | None = None,
        *,
        publishable_only: bool = True,
        sql: TallySql | None = None,
    ):
        if sql is None:
            sql = TallySql.of(sendings, publishable_only=publishable_only)
        self.versions = [VersionSent(*row) for row in _rows(sql.versions)]
        self.questions = list(
            # The versions are known by now: a list of ids, not the sendings again.
            Question.objects.filter(version__in=[v.version for v in self.versions])
            .select_related("version")
            .order_by("-version__number", "position", "id")
        )
        asked = {q.pk: q for q in self.questions}
        self.counts: dict[tuple[int, str, str], int] = {}
        self.per_question: dict[tuple[int, str], tuple[int, int]] = {}
        for question_id, value, respondents, other in _rows(sql.answers) if asked else ():
            question = asked[question_id]
            if value is None:
                self.per_question[question.version_id, question.key] = (respondents, other)
            elif question.kind != QuestionKind.TEXT:
                # A comment is no answer to count: comments are listed apart.
                self.counts[question.version_id, question.key, value] = respondents
        self.comments = [
            (asked[question_id].version_id, asked[question_id].key, value)
            for question_id, value in (_rows(sql.comments) if asked else ())
        ]

    def results(self, versions: set[int] | None = None) -> FormResults:
        """The figures of the sendings of `versions` (default: all those counted)."""

        def chosen(version):
            return versions is None or version in versions

        sent = sum(v.sent for v in self.versions if chosen(v.version))
        by_version = {v.version: v.returned for v in self.versions if chosen(v.version)}
        counts: dict[tuple[str, str], int] = {}
        for (version, key, value), n in self.counts.items():
            if chosen(version):
                counts[key, value] = counts.get((key, value), 0) + n
        per_question: dict[str, tuple[int, int]] = {}
        for (version, key), (answered, not_applicable) in self.per_question.items():
            if chosen(version):
                before = per_question.get(key, (0, 0))
                per_question[key] = (before[0] + answered, before[1] + not_applicable)
        questions, asked_in = _latest_questions([q for q in self.questions if chosen(q.version_id)])
        results = [
            _question_result(question, counts, per_question, asked_in, by_version)
            for question in questions
        ]
        text = {q.key: q.text for q in questions}
        return FormResults(
            sent=sent,
            returned=sum(by_version.values()),
            questions=tuple(results),
            comments=tuple(
                Comment(text.get(key, key), value)
                for version, key, value in self.comments
                if chosen(version)
            ),
        )


def _question_result(question, counts, per_question, asked_in, by_version) -> QuestionResult:
    answered, not_applicable = per_question.get(question.key, (0, 0))
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
    return QuestionResult(
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


def form_results(sendings: QuerySet[Sending], *, publishable_only: bool = True) -> FormResults:
    """Figures of the sendings given (already limited to a form, period or event)."""
    return Tallies(sendings, publishable_only=publishable_only).results()
