"""What a set of sent forms says: return rate and each question's answers (docs/domain.md,
"Evaluations").

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

Everything is counted by the database in one query, whatever the number of forms, by form
version (a response answers one version), so that the results of any set of versions (one
form, every parent form) are sums of the same tallies: a page that shows several results
reads them once (Tallies). The query reads the sendings and the answers once each, as
common tables of what the ORM compiles from the scoped managers (TallySql).
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, DateField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth

from evaluations.enums import NOT_APPLICABLE, Measure, QuestionKind
from evaluations.models import Answer, FormVersion, Question, Response, Sending
from pps.figures import percent


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
    # The answers counted in `positive`, so that a reader of both cannot subtract.
    positive_answers: tuple[str, ...] = ()

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
        return percent(self.returned, self.sent)

    def measure(self, measure: Measure) -> QuestionResult | None:
        return next((q for q in self.questions if q.measure == measure), None)

    @property
    def satisfaction(self) -> QuestionResult | None:
        return self.measure(Measure.SATISFACTION)

    @property
    def impartiality(self) -> QuestionResult | None:
        return self.measure(Measure.IMPARTIALITY)


@dataclass(frozen=True)
class VersionSent:
    """Sendings of one form version: how many were sent and returned."""

    version: int
    form: int
    kind: str
    title: str
    sent: int
    returned: int


def _latest_questions(
    questions: list[Question], numbers: dict[int, int]
) -> tuple[list[Question], dict[str, set]]:
    """One question per key, in the wording and order of the latest version sent; and for
    each key the versions that ask it. `questions` are by version number (`numbers`, by
    version id), newest first."""
    latest: dict[str, Question] = {}
    asked_in: dict[str, set] = {}
    for question in questions:
        latest.setdefault(question.key, question)
        asked_in.setdefault(question.key, set()).add(question.version_id)
    newest = max((numbers[q.version_id] for q in latest.values()), default=0)
    # Questions of the latest version first in its order, then any dropped from it.
    ordered = sorted(latest.values(), key=lambda q: (numbers[q.version_id] != newest, q.position))
    return ordered, asked_in


def _compiled(queryset: QuerySet) -> tuple[str, tuple] | None:
    """A queryset's SQL and parameters; None when it can match no row (nothing to run)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


# The tagged rows of TallySql's one query: a part number, then integer and text columns
# that each part fills as far as it needs (NULLs of the column's type in the others: a
# database matches a UNION's column types arm by arm).
_INTEGERS = 6
_TEXTS = 6
_VERSIONS, _QUESTIONS, _COUNTS, _COMMENTS = range(4)
# The columns of a part's row that add up over months (TallyMonths), side by side.
_SUMMED = {_VERSIONS: (3, 4), _COUNTS: (2, 3)}


def _arm(part: int, integers: list[str], texts: list[str], rest: str) -> str:
    columns = [str(part)]
    columns += [f"CAST({c} AS bigint)" for c in integers]
    columns += ["CAST(NULL AS bigint)"] * (_INTEGERS - len(integers))
    columns += [f"CAST({c} AS text)" for c in texts]
    columns += ["CAST(NULL AS text)"] * (_TEXTS - len(texts))
    return f"SELECT {', '.join(columns)} {rest}"


@dataclass(frozen=True)
class TallySql:
    """Tallies' one query for the sendings given, as SQL around what the ORM compiles from
    the scoped managers, in common tables read once each: `tally_sent`, the sendings
    counted per version (and month), `tally_versions`, those versions with their forms,
    `tally_responses`, the responses to the sendings, `tally_questions`, the questions of
    the versions sent (scoped), and `tally_answers`, the scoped answers whose response is
    one of those. Then, tagged by part in one UNION ALL: the sendings and responses per
    version, the questions, respondents per answer and per question (by question id), and
    the comments with the day received (by which, then by answer, they are listed). It
    depends on nothing but the sendings given, so a caller that counts the same sendings
    again (a report's period, in the same scope) may keep it and so build it once
    (reports.queries.evaluations).

    `responses` are the responses to exactly those sendings, chosen by what a response
    records of its sending (the day it was sent, the version): a period's are then read
    by (service, sent_on) like its sendings (reports.queries.evaluations.sent_in). Without
    them, each sending's response is looked up by the sending (an event's few).

    `by_month` counts each month the forms were sent in apart (the month, as text, in the
    last text column of every part but the questions): the rows of any whole months are
    then those of a query of their sendings alone (`TallyMonths`), so several periods
    are counted by one query.

    `measures_only` reads the questions that measure something (satisfaction,
    impartiality) and their answers only: the sendings, responses and measures a dashboard
    shows, without the other questions' answers or any comment (a fifth of the answers)."""

    sql: str | None
    params: tuple

    @classmethod
    def of(
        cls,
        sendings: QuerySet[Sending],
        *,
        responses: QuerySet[Response] | None = None,
        publishable_only: bool = True,
        by_month: bool = False,
        measures_only: bool = False,
    ) -> "TallySql":
        def sent_month():
            if by_month:
                return TruncMonth("sent_on", output_field=DateField())
            return Value(None, output_field=DateField())

        if responses is None:
            responses = Response.objects.filter(sending__in=sendings)
        sent = _compiled(
            sendings.order_by()
            .values("version", sent_month=sent_month())
            .annotate(sent=Count("id"))
        )
        if sent is None:
            return cls(None, ())
        sent_versions = RawSQL("SELECT version_id FROM tally_sent", ())
        versions = _compiled(
            FormVersion.objects.filter(id__in=sent_versions)
            .order_by()
            .values("id", "form", "form__kind", "form__title", "number")
        )
        received = _compiled(
            responses.order_by().values("id", "version", "received_on", sent_month=sent_month())
        )
        questions = Question.objects.filter(version__in=sent_versions)
        if measures_only:
            questions = questions.exclude(measure="")
        questions = _compiled(
            questions.order_by().values(
                "id",
                "version",
                "position",
                "allow_not_applicable",
                "key",
                "text",
                "kind",
                "scale",
                "options",
                "measure",
            )
        )
        # Answers are read by response id, without joining the responses or the questions:
        # a question belongs to one version (the one its response answers), and its key
        # and kind are known from the questions read.
        answers = Answer.objects.filter(response__in=RawSQL("SELECT id FROM tally_responses", ()))
        if measures_only:
            answers = answers.filter(question__in=RawSQL("SELECT id FROM tally_questions", ()))
        answers = _compiled(
            answers.order_by().values("id", "response", "question", "value", "publishable")
        )
        if None in (versions, received, questions, answers):
            return cls(None, ())
        comments = "a.question_id = q.id AND q.q_kind = %s"
        comment_params = [QuestionKind.TEXT]
        if publishable_only:
            comments += " AND a.publishable = %s"
            comment_params.append(True)
        # By month, each answer is counted in its sending's month.
        month, of_month, by = "NULL", "", ""
        if by_month:
            month = "m.sent_month"
            of_month = " JOIN tally_responses m ON m.id = a.response_id"
            by = ", m.sent_month"
        arms = [
            _arm(
                _VERSIONS,
                ["s.version_id", "v.form_id", "s.sent", "COALESCE(r.returned, 0)", "v.number"],
                ["v.form_kind", "v.form_title", "NULL", "NULL", "NULL", "s.sent_month"],
                "FROM tally_sent s JOIN tally_versions v ON v.id = s.version_id"
                " LEFT JOIN (SELECT version_id, sent_month, COUNT(*) AS returned"
                " FROM tally_responses GROUP BY version_id, sent_month) r"
                " ON r.version_id = s.version_id"
                " AND r.sent_month IS NOT DISTINCT FROM s.sent_month",
            ),
            _arm(
                _QUESTIONS,
                ["id", "version_id", "q_position", "CASE WHEN q_not_applicable THEN 1 ELSE 0 END"],
                ["q_key", "q_text", "q_kind", "q_scale", "q_options", "q_measure"],
                "FROM tally_questions",
            ),
            # Respondents per answer, then per question: those who answered it (not "Not
            # applicable") and those who answered "Not applicable" (the value left NULL).
            _arm(
                _COUNTS,
                ["a.question_id", "COUNT(DISTINCT a.response_id)", "0"],
                ["a.value", "NULL", "NULL", "NULL", "NULL", month],
                # A comment is no answer to count (comments are listed apart): its words
                # are not read here.
                f"FROM tally_answers a{of_month} JOIN tally_questions q"
                " ON q.id = a.question_id AND q.q_kind <> %s"
                f" GROUP BY a.question_id, a.value{by}",
            ),
            _arm(
                _COUNTS,
                [
                    "a.question_id",
                    "COUNT(DISTINCT CASE WHEN a.value <> %s THEN a.response_id END)",
                    "COUNT(DISTINCT CASE WHEN a.value = %s THEN a.response_id END)",
                ],
                ["NULL", "NULL", "NULL", "NULL", "NULL", month],
                f"FROM tally_answers a{of_month} GROUP BY a.question_id{by}",
            ),
            # With what orders them (the day received, then the answer): the rows of months
            # counted apart (evaluations.kept) are put in order after.
            _arm(
                _COMMENTS,
                ["a.question_id", "a.id"],
                ["a.value", "r.received_on", "NULL", "NULL", "NULL", "r.sent_month"],
                "FROM tally_answers a JOIN tally_responses r ON r.id = a.response_id"
                f" JOIN tally_questions q ON {comments}",
            ),
        ]
        # The column names the hand-written SQL reads, whatever aliases the ORM chose.
        sql = (
            f"WITH tally_sent (version_id, sent_month, sent) AS ({sent[0]}),"
            " tally_versions (id, form_id, form_kind, form_title, number)"
            f" AS ({versions[0]}),"
            " tally_responses (id, version_id, received_on, sent_month)"
            f" AS ({received[0]}),"
            " tally_questions (id, version_id, q_position, q_not_applicable, q_key, q_text,"
            f" q_kind, q_scale, q_options, q_measure) AS ({questions[0]}),"
            " tally_answers (id, response_id, question_id, value, publishable)"
            f" AS ({answers[0]}) " + " UNION ALL ".join(arms)
        )
        params = (
            *sent[1],
            *versions[1],
            *received[1],
            *questions[1],
            *answers[1],
            QuestionKind.TEXT,
            NOT_APPLICABLE,
            NOT_APPLICABLE,
            *comment_params,
        )
        return cls(sql, params)

    def rows(self) -> list[tuple]:
        if self.sql is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return cursor.fetchall()


class TallyMonths:
    """The rows of a TallySql counted `by_month`, grouped by month once, to give the rows
    a TallySql of the sendings of any whole months of them returns (`rows`)."""

    def __init__(self, rows: list[tuple]):
        self.questions: list[tuple] = []
        # By month (its first day as ISO text, which sorts as the days do): each row
        # without its month, with what names what it counts (None for a comment).
        self.months: dict[str, list[tuple[tuple | None, list]]] = {}
        seen = set()
        for row in rows:
            part = row[0]
            if part == _QUESTIONS:
                # Each question once, though kept months each carry their own (kept).
                if row[1] not in seen:
                    seen.add(row[1])
                    self.questions.append(row)
                continue
            values = [*row[:-1], None]
            key = None
            if part != _COMMENTS:
                # Versions count the sent and the returned, counts the respondents and
                # those answering "Not applicable"; the other columns name what.
                first, last = _SUMMED[part]
                key = (*values[:first], *values[last + 1 :])
            self.months.setdefault(str(row[-1])[:10], []).append((key, values))

    def rows(self, first: dt.date, last: dt.date) -> list[tuple]:
        """The rows of the sendings sent from `first` to `last` (whole months): each
        month's counts summed (a response answers one sending, sent in one month, so
        respondents add up), the questions of the versions sent in them, their comments
        to be put in the order received (Tallies)."""
        low, high = first.isoformat(), last.isoformat()
        summed: dict[tuple, list] = {}
        comments = []
        for month, rows in self.months.items():
            if not low <= month <= high:
                continue
            for key, values in rows:
                if key is None:
                    comments.append(tuple(values))
                elif key not in summed:
                    summed[key] = list(values)
                else:
                    total = summed[key]
                    for i in _SUMMED[values[0]]:
                        total[i] += values[i]
        sent_versions = {row[1] for row in summed.values() if row[0] == _VERSIONS}
        return [
            *(tuple(row) for row in summed.values()),
            *(row for row in self.questions if row[2] in sent_versions),
            *comments,
        ]


class Tallies:
    """The sendings given (already limited to a period or an event), counted by form
    version in one query (TallySql): sendings and responses per version, the questions of
    the versions sent, respondents per answer and per question (by question id), and the
    comments. The questions are built from the row read, not fetched again.
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
        self.versions: list[VersionSent] = []
        self.questions: list[Question] = []
        numbers: dict[int, int] = {}
        counts, comments = [], []
        for part, *integers, a, b, c, d, e, f in sql.rows():
            if part == _VERSIONS:
                version, form, sent, returned, number = integers[:5]
                self.versions.append(VersionSent(version, form, a, b, sent, returned))
                numbers[version] = number
            elif part == _QUESTIONS:
                pk, version, position, not_applicable = integers[:4]
                self.questions.append(
                    Question(
                        pk=pk,
                        version_id=version,
                        position=position,
                        allow_not_applicable=bool(not_applicable),
                        key=a,
                        text=b,
                        kind=c,
                        scale=d,
                        options=json.loads(e) if e else [],
                        measure=f,
                    )
                )
            elif part == _COUNTS:
                counts.append((integers[0], a, integers[1], integers[2]))
            else:
                comments.append(((b, integers[1]), integers[0], a))
        self.version_numbers = numbers
        # By version number, newest first, then in each version's order.
        self.questions.sort(key=lambda q: (-numbers[q.version_id], q.position, q.pk))
        asked = {q.pk: q for q in self.questions}
        self.counts: dict[tuple[int, str, str], int] = {}
        self.per_question: dict[tuple[int, str], tuple[int, int]] = {}
        for question_id, value, respondents, other in counts:
            question = asked[question_id]
            if value is None:
                self.per_question[question.version_id, question.key] = (respondents, other)
            else:
                self.counts[question.version_id, question.key, value] = respondents
        self.comments = [
            (asked[question_id].version_id, asked[question_id].key, value)
            for _, question_id, value in sorted(comments)
        ]

    def results(self, versions: set[int] | None = None) -> FormResults:
        """The figures of the sendings of `versions` (default: all those counted)."""

        def chosen(version):
            return versions is None or version in versions

        sent = sum(v.sent for v in self.versions if chosen(v.version))
        by_version = {v.version: v.returned for v in self.versions if chosen(v.version)}
        # Respondents by question key, then answer.
        counts: dict[str, dict[str, int]] = {}
        for (version, key, value), n in self.counts.items():
            if chosen(version):
                of_key = counts.setdefault(key, {})
                of_key[value] = of_key.get(value, 0) + n
        per_question: dict[str, tuple[int, int]] = {}
        for (version, key), (answered, not_applicable) in self.per_question.items():
            if chosen(version):
                before = per_question.get(key, (0, 0))
                per_question[key] = (before[0] + answered, before[1] + not_applicable)
        questions, asked_in = _latest_questions(
            [q for q in self.questions if chosen(q.version_id)], self.version_numbers
        )
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
    counted = counts.get(question.key, {})
    # Answers no longer offered in the latest wording are still counted and shown.
    offered = set(choices)
    older = sorted(value for value in counted if value not in offered and value != NOT_APPLICABLE)
    tally = tuple(
        AnswerCount(a, counted.get(a, 0), percent(counted.get(a, 0), answered))
        for a in choices + older
    )
    positive = None
    if question.measure and question.positive_answers():
        positive = sum(counted.get(a, 0) for a in question.positive_answers())
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
        positive_percent=percent(positive, answered) if positive is not None else None,
        positive_answers=tuple(question.positive_answers()) if positive is not None else (),
    )


def form_results(sendings: QuerySet[Sending], *, publishable_only: bool = True) -> FormResults:
    """Figures of the sendings given (already limited to a form, period or event)."""
    return Tallies(sendings, publishable_only=publishable_only).results()


def rows_by_month(rows: list) -> dict[str, tuple[list, list]]:
    """The rows of a TallySql counted `by_month`, apart by month (its first day, ISO): for
    each, its counts (its versions' sendings and responses, those versions' questions, its
    respondents) and its comments, each month what a query of its sendings alone returns
    (evaluations.kept keeps them)."""
    months: dict[str, tuple[list, list]] = {}
    questions = [row for row in rows if row[0] == _QUESTIONS]
    for row in rows:
        if row[0] != _QUESTIONS:
            counts, comments = months.setdefault(str(row[-1])[:10], ([], []))
            (comments if row[0] == _COMMENTS else counts).append(row)
    for counts, _ in months.values():
        sent = {row[1] for row in counts if row[0] == _VERSIONS}
        counts.extend(row for row in questions if row[2] in sent)
    return months


def rows_of_kind(rows: list, kind: str, *, measures_only: bool = False) -> list:
    """The rows of a TallySql (of every form) that one of the forms of `kind` alone gives;
    `measures_only`, as TallySql's: the questions that measure and their counts, without
    the other questions or any comment."""
    versions = {row[1] for row in rows if row[0] == _VERSIONS and row[7] == kind}
    questions = {
        row[1]
        for row in rows
        if row[0] == _QUESTIONS and row[2] in versions and (row[12] or not measures_only)
    }
    return [
        row
        for row in rows
        if (row[0] == _VERSIONS and row[1] in versions)
        or (row[0] in (_QUESTIONS, _COUNTS) and row[1] in questions)
        or (row[0] == _COMMENTS and row[1] in questions and not measures_only)
    ]
