"""Named reads of the register, reused by its pages and by the reports."""

import datetime as dt

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from pps.prepared import Prepared
from volunteers.access import (
    courses_visible_to,
    meetings_visible_to,
    return_locks_visible_to,
    returns_visible_to,
    volunteers_visible_to,
)
from volunteers.models import (
    CourseSession,
    Enrolment,
    MonthlyReturn,
    ReturnMonthLock,
    SupervisionKind,
    TrainingCourse,
    Volunteer,
    VolunteerMeeting,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)
from volunteers.rules import DBS_WARNING_DAYS

DBS_WARNING = dt.timedelta(days=DBS_WARNING_DAYS)


def status_on(day: dt.date):
    """Each volunteer's status at the end of `day`: their latest change on or before it."""
    return Subquery(
        VolunteerStatusChange.objects.filter(volunteer=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-id")
        .values("status")[:1]
    )


def active_on(day: dt.date, role: str = VolunteerRole.IPS) -> QuerySet[Volunteer]:
    """Volunteers of `role` whose status was active on `day` (the "at 31 March" snapshot)."""
    return (
        Volunteer.objects.filter(role=role)
        .annotate(status_then=status_on(day))
        .filter(status_then=VolunteerStatus.ACTIVE)
    )


def active_during_conditions(first: dt.date, last: dt.date, prefix: str = "") -> tuple[dict, Q]:
    """The annotations and the condition of "active on any day from `first` to `last`"
    (see active_during), named with `prefix` so that a report can ask it of several
    periods in one query."""
    became_active = VolunteerStatusChange.objects.filter(
        volunteer=OuterRef("pk"), status=VolunteerStatus.ACTIVE, on__gte=first, on__lte=last
    )
    before, became = f"{prefix}status_before", f"{prefix}became_active"
    annotations = {
        before: status_on(first - dt.timedelta(days=1)),
        became: Exists(became_active),
    }
    return annotations, Q(**{before: VolunteerStatus.ACTIVE}) | Q(**{became: True})


def active_during(first: dt.date, last: dt.date, role=VolunteerRole.IPS) -> QuerySet[Volunteer]:
    """Volunteers of `role` whose status was active on any day from `first` to `last`
    (docs/domain.md, "Active IPS and IPS hours").

    On the day of a status change the volunteer held both statuses: one who becomes active
    on a month's last day was active in that month, and so was one who was active at the
    start of its first day (the end of the day before) and leaves on it. The "at 31 March"
    snapshot (`active_on`) reads the status at the end of the day instead.
    """
    annotations, active = active_during_conditions(first, last)
    return Volunteer.objects.filter(role=role).annotate(**annotations).filter(active)


def returns_missing(month: dt.date) -> QuerySet[Volunteer]:
    """IPS active in `month` (its first day) who have sent no return for it."""
    last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    sent = MonthlyReturn.objects.filter(volunteer=OuterRef("pk"), month=month)
    return active_during(month, last).filter(~Exists(sent)).order_by("first_name", "last_name")


def register_rows() -> QuerySet[Volunteer]:
    """The register with what its flags need: the date of the current status, the last
    supervision and the latest move to active (one query); and each volunteer's localities
    as a list, `locality_list` (one more query: a prefetch into the related manager would
    build a queryset for every row, a tenth of the register page's time, issue 11)."""
    latest = VolunteerStatusChange.objects.filter(volunteer=OuterRef("pk")).order_by("-on", "-id")
    return Volunteer.objects.annotate(
        status_since=Subquery(latest.values("on")[:1]),
        active_since=Subquery(latest.filter(status=VolunteerStatus.ACTIVE).values("on")[:1]),
        last_supervision=Max(
            "supervision_sessions__on",
            filter=Q(supervision_sessions__kind=SupervisionKind.SUPERVISION),
        ),
    ).prefetch_related(Prefetch("localities", to_attr="locality_list"))


def dbs_renewal_due(today: dt.date) -> QuerySet[Volunteer]:
    """Volunteers still on the register whose DBS check is due within 60 days, or overdue."""
    return Volunteer.objects.exclude(status=VolunteerStatus.LEFT).filter(
        dbs_renewal_due_on__lte=today + DBS_WARNING
    )


def _pipeline_query(user) -> QuerySet:
    return volunteers_visible_to(user).order_by().values_list("status").annotate(count=Count("pk"))


# Built and compiled once per process (pps/prepared.py): the register shows it on every visit.
_PIPELINE = Prepared(_pipeline_query)


def pipeline_counts(user) -> list[tuple[str, str, int]]:
    """How many of the volunteers `user` may see stand at each stage of the pipeline, in its
    order, as (status, label, count), every stage listed even when empty: one query."""
    counts = dict(_PIPELINE.rows(user))
    return [(status, label, counts.get(status, 0)) for status, label in VolunteerStatus.choices]


def locked_months(months) -> set[dt.date]:
    """Which of `months` (first days) the coordinator has locked, in the request's service."""
    return set(ReturnMonthLock.objects.filter(month__in=months).values_list("month", flat=True))


def register_of(user) -> QuerySet[Volunteer]:
    """The register rows (register_rows) of the volunteers `user` may see."""
    return register_rows().filter(pk__in=volunteers_visible_to(user))


def volunteer_records(volunteer: Volunteer) -> dict[str, QuerySet]:
    """What a volunteer's page lists: their status history, latest supervision sessions and
    returns, enrolments and allocations."""
    return {
        "history": volunteer.status_changes.select_related("recorded_by").order_by("on", "id"),
        "supervision": volunteer.supervision_sessions.select_related("led_by")[:10],
        "returns": volunteer.monthly_returns.all()[:12],
        "enrolments": volunteer.enrolments.select_related("course"),
        "allocations": volunteer.allocations.select_related("case"),
    }


def meetings_listed_for(user) -> QuerySet[VolunteerMeeting]:
    """The meetings `user` may see, with who came to each."""
    return meetings_visible_to(user).prefetch_related("attended_by")


def returns_listed_for(user) -> QuerySet[MonthlyReturn]:
    """The monthly returns `user` may see, with whose each is."""
    return returns_visible_to(user).select_related("volunteer")


def return_months(user, months: list[dt.date]) -> list[tuple[dt.date, int, ReturnMonthLock | None]]:
    """Each of `months` (first days) with how many returns `user` may see for it and its
    lock, if any, with who set it."""
    locks = {
        lock.month: lock
        for lock in return_locks_visible_to(user)
        .filter(month__in=months)
        .select_related("locked_by")
    }
    received = dict(
        returns_visible_to(user)
        .filter(month__in=months)
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    return [(month, received.get(month, 0), locks.get(month)) for month in months]


def stored_return(monthly_return: MonthlyReturn) -> MonthlyReturn:
    """A fresh copy of a monthly return as stored, for a form that may refuse its changes."""
    return MonthlyReturn.objects.get(pk=monthly_return.pk)


def courses_listed_for(user) -> QuerySet[TrainingCourse]:
    """The courses `user` may see, each with its number of trainees and first session's day."""
    return courses_visible_to(user).annotate(
        trainees=Count("enrolments", distinct=True), starts_on=Min("sessions__on")
    )


def course_enrolments(course: TrainingCourse) -> QuerySet[Enrolment]:
    """A course's enrolments, with their trainees."""
    return course.enrolments.select_related("volunteer", "course")


def course_sessions(course: TrainingCourse) -> QuerySet[CourseSession]:
    """A course's sessions, with who came to each."""
    return course.sessions.prefetch_related("attended_by")
