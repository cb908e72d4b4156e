"""The evaluations section of a report for a period (docs/domain.md, "Evaluations" and
"Steering group dashboard").

Every figure about answers comes from evaluations.results (Tallies), the one place the
counting rules of docs/domain.md ("Evaluations") live; this module only chooses the
sendings of the period: those *sent* in it, whenever they were answered (a form returned
after the period still counts for the period it was sent in). Queries run in the request's
service scope, like every report query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from evaluations import kept
from evaluations.enums import EventKind, FormKind, Measure
from evaluations.models import EvaluationForm, Event, Response, Sending
from evaluations.results import (
    FormResults,
    QuestionResult,
    Tallies,
    TallyMonths,
    TallySql,
    rows_of_kind,
)
from pps.models import Service
from reports.periods import Period, span
from reports.queries.casework import whole_months
from reports.queries.grouping import compiled_once, compiled_values, services_in_scope


def sent_in(period: Period, **lookups) -> Q:
    """Forms sent on a day of the period (and matching `lookups` on the version), as a
    condition that a sending and its response both answer alike: a response records the
    day its form was sent and the version (evaluations.models.Response)."""
    return Q(sent_on__range=(period.first, period.last), **lookups)


def sendings_in(period: Period) -> QuerySet[Sending]:
    """Forms sent on a day of the period (any form, any version)."""
    return Sending.objects.filter(sent_in(period))


def _tally_sql(sent: Q, **options) -> TallySql:
    """The tallies' query of the forms `sent` chooses (sent_in): their sendings and their
    responses each read by its (service, sent_on) index."""
    return TallySql.of(
        Sending.objects.filter(sent), responses=Response.objects.filter(sent), **options
    )


def default_form() -> EvaluationForm | None:
    """The parent evaluation: the form a results page shows first.

    A service may have copied its parent form; the one still in use comes first, then the
    oldest.
    """
    return (
        EvaluationForm.objects.filter(kind=FormKind.PARENT)
        .order_by(F("retired_on").desc(nulls_first=True), "id")
        .first()
    )


def forms_listed() -> list[EvaluationForm]:
    """Every evaluation form of the service, by kind and title: what a results page offers."""
    return list(EvaluationForm.objects.order_by("kind", "title", "id"))


def pick_default_form(forms) -> EvaluationForm | None:
    """default_form among forms already read: the parent form still in use, else the one
    retired last, then the oldest."""
    parents = [f for f in forms if f.kind == FormKind.PARENT]
    return min(
        parents,
        key=lambda f: (f.retired_on is not None, -(f.retired_on or dt.date.min).toordinal(), f.id),
        default=None,
    )


@dataclass(frozen=True)
class PeriodEvaluations:
    """Every form sent in a period, counted once (evaluations.results.Tallies, one
    query), for a page that shows several results of it: a chosen form's, the parent
    forms' together, and the return rate of each form."""

    tallies: Tallies

    def of_form(self, form: EvaluationForm) -> FormResults:
        return self.tallies.results({v.version for v in self.tallies.versions if v.form == form.pk})

    def of_parent_forms(self) -> FormResults:
        return self.tallies.results(
            {v.version for v in self.tallies.versions if v.kind == FormKind.PARENT}
        )

    def return_rates(self) -> tuple[ReturnRate, ...]:
        """As return_rates(period), without a query."""
        by_form: dict[int, list] = {}
        for v in self.tallies.versions:
            row = by_form.setdefault(v.form, [v.kind, v.title, 0, 0])
            row[2] += v.sent
            row[3] += v.returned
        return tuple(
            _return_rate(form, kind, title, sent, returned)
            for form, (kind, title, sent, returned) in sorted(
                by_form.items(), key=lambda item: (item[1][0], item[1][1], item[0])
            )
        )


@compiled_once
def _period_tally_sql(period: Period, parent_forms_only: bool) -> TallySql:
    """The tallies' query of the forms sent in the period (publishable comments only),
    built once per period and scope (grouping.compiled_once): its SQL depends on nothing
    read from the database, the versions sent being found by the query itself."""
    if parent_forms_only:
        return _tally_sql(sent_in(period, version__form__kind=FormKind.PARENT))
    return _tally_sql(sent_in(period))


def _kept_months(whole: Period, *, comments: bool = True) -> TallyMonths | None:
    """The tallies of every form sent in `whole` (whole months) by the one service in scope,
    from the months kept (evaluations.kept): publishable comments only, none when
    `comments` is false. None for several services or whole months not given: those are
    counted afresh."""
    services = services_in_scope()
    if not kept.in_use() or services is None or len(services) != 1 or not whole_months(whole):
        return None
    return TallyMonths(kept.kept_rows(services[0], whole.first, whole.last, comments=comments))


def period_evaluations(period: Period) -> PeriodEvaluations:
    """The forms sent in the period (publishable comments only), counted in one query, or
    read from the months kept."""
    months = _kept_months(period)
    if months is not None:
        return PeriodEvaluations(Tallies(sql=_TallyRows(months.rows(period.first, period.last))))
    return PeriodEvaluations(Tallies(sql=_period_tally_sql(period, False)))


def evaluation_results(
    period: Period, form: EvaluationForm, *, publishable_only: bool = True
) -> FormResults:
    """Return rate, each question's answers and the comments of `form` sent in the period."""
    sql = _tally_sql(sent_in(period, version__form=form), publishable_only=publishable_only)
    return Tallies(sql=sql).results()


@dataclass(frozen=True)
class ReturnRate:
    form_id: int
    kind: str  # the form kind's label, e.g. "Parent evaluation"
    title: str
    sent: int
    returned: int
    rate: float | None  # percent, one decimal; None when nothing was sent


def _return_rate(form_id: int, kind: str, title: str, sent: int, returned: int) -> ReturnRate:
    # The rate is rounded by the counting rule's own code, not a second copy of it.
    rate = FormResults(sent, returned, (), ()).return_rate
    return ReturnRate(form_id, dict(FormKind.choices).get(kind, kind), title, sent, returned, rate)


@compiled_once
def _return_rates_query(period: Period):
    return compiled_values(
        sendings_in(period)
        .values("version__form", "version__form__kind", "version__form__title")
        .annotate(sent=Count("id"), returned=Count("response"))
        .order_by("version__form__kind", "version__form__title", "version__form")
    )


def return_rates(period: Period) -> tuple[ReturnRate, ...]:
    """Forms sent and returned in the period, for every form with a sending: one query."""
    return tuple(
        _return_rate(
            row["version__form"],
            row["version__form__kind"],
            row["version__form__title"],
            row["sent"],
            row["returned"],
        )
        for row in _return_rates_query(period).run()
    )


@dataclass(frozen=True)
class MeasureFigure:
    """A measured question (satisfaction or impartiality) of the parent forms in a period."""

    question: str
    positive: int
    answered: int
    percent: float | None
    target: int | None

    @property
    def met(self) -> bool | None:
        """Whether the share reaches the target; None with no target or no answer."""
        if self.target is None or self.percent is None:
            return None
        return self.percent >= self.target


def parent_results(period: Period) -> FormResults:
    """The parent forms sent in the period, all parent forms together.

    A service that copied its parent form keeps the question keys, so the year's
    satisfaction is counted across the old and the new form alike.
    """
    months = _kept_months(period)
    if months is not None:
        rows = rows_of_kind(months.rows(period.first, period.last), FormKind.PARENT)
        return Tallies(sql=_TallyRows(rows)).results()
    return Tallies(sql=_period_tally_sql(period, True)).results()


def _figure(result: QuestionResult | None, target: int | None) -> MeasureFigure | None:
    if result is None or result.positive is None:
        return None
    return MeasureFigure(
        question=result.text,
        positive=result.positive,
        answered=result.answered,
        percent=result.positive_percent,
        target=target,
    )


def satisfaction(
    period: Period, service: Service, *, results: FormResults | None = None
) -> MeasureFigure | None:
    """Parents' satisfaction against the service's target (docs/domain.md, "Evaluations").

    `results` may pass parent_results(period) already counted, to count it once per page.
    None when the parent forms have no question measuring satisfaction.
    """
    results = results if results is not None else parent_results(period)
    return _figure(results.measure(Measure.SATISFACTION), service.satisfaction_target)


def impartiality(period: Period, *, results: FormResults | None = None) -> MeasureFigure | None:
    """The share of parents who found the service impartial (no target is set for it)."""
    results = results if results is not None else parent_results(period)
    return _figure(results.measure(Measure.IMPARTIALITY), None)


@dataclass(frozen=True)
class EventRow:
    kind: str  # the kind's label
    events: int
    parents: int
    professionals: int
    volunteers: int

    @property
    def attendance(self) -> int:
        return self.parents + self.professionals + self.volunteers


@dataclass(frozen=True)
class EventsSummary:
    rows: tuple[EventRow, ...]  # kinds with at least one event, in EventKind order
    total: EventRow


@compiled_once
def _events_query(period: Period):
    return compiled_values(
        Event.objects.filter(on__range=(period.first, period.last))
        .values("kind")
        .annotate(
            events=Count("id"),
            parents=Coalesce(Sum("parents_attending"), 0),
            professionals=Coalesce(Sum("professionals_attending"), 0),
            volunteers=Coalesce(Sum("volunteers_attending"), 0),
        )
        .order_by("kind")
    )


def events_summary(period: Period) -> EventsSummary:
    """Events held in the period by kind, with attendance: one query."""
    by_kind = {row["kind"]: row for row in _events_query(period).run()}
    # The figure costs about as much in Python as in the database: each kind's value is
    # read once, and the total summed from the rows' own numbers.
    rows = tuple(
        EventRow(kind.label, row["events"], row["parents"], row["professionals"], row["volunteers"])
        for kind in EventKind
        if (row := by_kind.get(kind.value)) is not None
    )
    counts = ("events", "parents", "professionals", "volunteers")
    total = EventRow("All events", *(sum(getattr(row, name) for row in rows) for name in counts))
    return EventsSummary(rows=rows, total=total)


@dataclass(frozen=True)
class _TallyRows:
    """Rows of a TallySql already read, for Tallies to count (parent_results_by_period)."""

    read: list

    def rows(self) -> list[tuple]:
        return self.read


@compiled_once
def _months_tally_sql(whole: Period, measures_only: bool) -> TallySql:
    """The tallies' query of the parent forms sent in `whole`, counted by month."""
    sent = sent_in(whole, version__form__kind=FormKind.PARENT)
    return _tally_sql(sent, by_month=True, measures_only=measures_only)


def parent_results_by_period(periods, *, measures_only: bool = False) -> dict[Period, FormResults]:
    """parent_results of each period (whole months: a dashboard's period and its eight
    quarters), in one query: the parent forms sent over their span counted by month (or
    the months kept, evaluations.kept, for one service), each period then counted by
    evaluations.results.Tallies from its months' rows, as if its own query had been read.
    `measures_only`: the forms sent and returned and the questions that measure
    (satisfaction, impartiality), without the other questions or the comments (what the
    dashboard shows)."""
    periods = tuple(dict.fromkeys(periods))
    if not all(whole_months(period) for period in periods):
        raise ValueError("Whole months only: use parent_results.")
    if not periods:
        return {}
    months = _kept_months(span(periods), comments=not measures_only)
    if months is None:
        months = TallyMonths(_months_tally_sql(span(periods), measures_only).rows())
    # The kept months hold every form's rows: the parent forms' are chosen (the query's
    # rows are theirs already, and stay as they are).
    return {
        period: Tallies(
            sql=_TallyRows(
                rows_of_kind(
                    months.rows(period.first, period.last),
                    FormKind.PARENT,
                    measures_only=measures_only,
                )
            )
        ).results()
        for period in periods
    }
