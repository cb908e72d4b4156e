"""The catalogue of live evidence figures a self-assessment can link (docs/domain.md,
"Standards, self-assessments and plans" and "Evidence pack").

Each entry is data: a key (stored on EvidenceFigure), a label, the kind of period it is
counted over, and a function that asks reports.queries for the figure. Pages, prints and
the freezing of a finalised assessment all go through `read_figure`, so a figure is
computed one way only. Other apps' figures join with `register` (parent satisfaction
comes from evaluations).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from pps.access import service_scope
from pps.disclosure import Line
from quality.enums import MemberType
from quality.models import SteeringSeat
from reports.periods import (
    Period,
    academic_year_containing,
    financial_year,
    financial_year_of,
)
from reports.presenters import Disclosure
from reports.queries.casework import case_movements, contact_figures
from reports.queries.evaluations import impartiality, satisfaction
from reports.queries.feedback import feedback_summary
from reports.queries.response_times import response_times

ACADEMIC_YEAR = "academic_year"
FINANCIAL_YEAR = "financial_year"
ON_DAY = "on_day"


@dataclass(frozen=True)
class Reading:
    value: str
    # The same with counts from 1 to 4 as "fewer than 5" and percentages of them hidden,
    # for readers who may not see personal data (docs/domain.md, "Small numbers").
    public_value: str


@dataclass(frozen=True)
class EvidenceSource:
    key: str
    label: str
    period_kind: str
    compute: Callable[..., Reading]  # (service, period, today) -> Reading


@dataclass(frozen=True)
class LiveFigure:
    key: str
    label: str
    period: str
    value: str
    public_value: str


CATALOGUE: dict[str, EvidenceSource] = {}


def register(source: EvidenceSource) -> EvidenceSource:
    if source.key in CATALOGUE:
        raise ValueError(f"An evidence figure is already registered as {source.key!r}")
    CATALOGUE[source.key] = source
    return source


def choices() -> list[tuple[str, str]]:
    return [
        (key, source.label) for key, source in sorted(CATALOGUE.items(), key=lambda i: i[1].label)
    ]


def period_for(kind: str, service, day: dt.date) -> Period:
    """The period a figure of `kind` covers for an assessment dated `day`: the year that
    contains the day, counted up to the day itself."""
    if kind == ON_DAY:
        return Period(day, day, f"on {day:%-d %B %Y}")
    if kind == FINANCIAL_YEAR:
        year = financial_year(financial_year_of(day))
    else:
        year = academic_year_containing(day, service.academic_year_start_month)
    if day >= year.last:
        return year
    return Period(year.first, day, f"{year.label} to {day:%-d %B %Y}")


def read_figure(key: str, service, day: dt.date, today: dt.date | None = None) -> LiveFigure:
    """The figure `key` of `service` for an assessment dated `day`.

    The report queries count whatever the current django-scopes scope lets them see, so
    the computation runs in this service's scope here, once: outside a request (the demo
    loader, a command, a worker) scopes may be disabled, and the figure (frozen for ever
    when an assessment is finalised) would otherwise count every service.
    """
    source = CATALOGUE[key]
    period = period_for(source.period_kind, service, day)
    with service_scope(service.pk):
        reading = source.compute(service, period, today or timezone.localdate())
    return LiveFigure(key, source.label, period.label, reading.value, reading.public_value)


def _count(n: int, public: bool) -> str:
    shown = Disclosure(exact=not public).count(n)
    return f"{shown:,}" if isinstance(shown, int) else shown


def _both(make: Callable[[bool], str]) -> Reading:
    return Reading(make(False), make(True))


def _response(service, period, today) -> Reading:
    figures = response_times(period, service.response_standard_days, today)

    def text(public):
        if not figures.received:
            return "no approaches received"
        # Within, later, unanswered and not yet due add up to those received: one hidden
        # part takes another with it (reports.presenters). The share is made from within
        # and received: hidden when either is, as in _measured.
        parts = ("within", "later", "overdue", "not_yet_due")
        shown = Disclosure(exact=not public).cells(
            {key: getattr(figures, key) for key in (*parts, "received")},
            [Line(parts, "received")],
        )

        def n(key):
            return f"{shown[key]:,}" if isinstance(shown[key], int) else shown[key]

        share = "" if shown.is_hidden("within", "received") else f"{figures.share_within:.0f}%: "
        return (
            f"{share}{n('within')} of {n('received')} "
            f"approaches answered within {figures.standard_days} working days "
            f"({n('later')} later, {n('overdue')} "
            f"unanswered past the standard, {n('not_yet_due')} not yet due)"
        )

    return _both(text)


def _feedback_of(kind: str, improvements: bool):
    def compute(service, period, today) -> Reading:
        summary = feedback_summary(period)
        count, improved = summary.count_of(kind), summary.improved_of(kind)

        def text(public):
            words = f"{_count(count, public)} {kind}{'' if count == 1 and not public else 's'}"
            if improvements:
                words += f", {_count(improved, public)} with a resulting improvement"
            return words

        return _both(text)

    return compute


def _steering_parents(service, period, today) -> Reading:
    seats = SteeringSeat.objects.held_on(period.last)
    parents = seats.filter(member_type=MemberType.PARENT).count()
    total = seats.count()
    return _both(
        lambda public: (
            f"{_count(parents, public)} of {_count(total, public)} members are parents or carers"
        )
    )


def _measured(figure, what: str) -> Reading:
    """A share of parents' answers: "92% of 25 parents who answered ..."."""

    def text(public):
        if figure is None or not figure.answered:
            return "no parent evaluations answered"
        share = Disclosure(exact=not public).percent(
            figure.percent, figure.answered, figure.positive
        )
        hidden = share == Disclosure.HIDDEN
        share = "" if hidden or figure.percent is None else f"{figure.percent:.0f}%: "
        words = (
            f"{share}{_count(figure.positive, public)} of {_count(figure.answered, public)} "
            f"parents who answered {what}"
        )
        if figure.target is not None and not hidden:
            words += f" (target {figure.target}%: {'met' if figure.met else 'not met'})"
        return words

    return _both(text)


def _satisfaction(service, period, today) -> Reading:
    # Forms sent in the period; their answers count whenever they came back (docs/domain.md,
    # "Evaluations").
    return _measured(satisfaction(period, service), "rated the support Good or better")


def _impartiality(service, period, today) -> Reading:
    return _measured(impartiality(period), "found the service impartial")


def _casework_total(service, period, today) -> Reading:
    total = case_movements(period).casework_total
    return _both(lambda public: f"{_count(total, public)} cases open during the period")


def _contacts(service, period, today) -> Reading:
    figures = contact_figures(period)
    return _both(
        lambda public: (
            f"{_count(figures.contacts, public)} contacts "
            f"({_count(figures.casework_contacts, public)} on cases, "
            f"{_count(figures.substantial_enquiries, public)} substantial enquiries)"
        )
    )


for _source in (
    EvidenceSource(
        "response-within-standard",
        "Enquiries and new cases answered within the response standard",
        ACADEMIC_YEAR,
        _response,
    ),
    EvidenceSource(
        "complaints",
        "Complaints received and those with a resulting improvement",
        ACADEMIC_YEAR,
        _feedback_of("complaint", improvements=True),
    ),
    EvidenceSource(
        "compliments",
        "Compliments received",
        ACADEMIC_YEAR,
        _feedback_of("compliment", improvements=False),
    ),
    EvidenceSource(
        "suggestions",
        "Suggestions received and those with a resulting improvement",
        ACADEMIC_YEAR,
        _feedback_of("suggestion", improvements=True),
    ),
    EvidenceSource(
        "steering-group-parents",
        "Parents and carers on the steering group",
        ON_DAY,
        _steering_parents,
    ),
    EvidenceSource("casework-total", "Casework total", ACADEMIC_YEAR, _casework_total),
    EvidenceSource(
        "contacts", "Contacts (casework and substantial enquiries)", ACADEMIC_YEAR, _contacts
    ),
    EvidenceSource(
        "parent-satisfaction",
        "Parent satisfaction (Good or better) against the target",
        ACADEMIC_YEAR,
        _satisfaction,
    ),
    EvidenceSource(
        "parent-impartiality",
        "Parents who found the service impartial",
        ACADEMIC_YEAR,
        _impartiality,
    ),
):
    register(_source)
