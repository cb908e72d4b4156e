"""The demo's volunteers' register: eight IPS at every stage of the pipeline and two other
volunteers, with their status history, monthly returns, supervision, courses and meetings;
and which of them may support a case (the rule allocate_volunteer keeps)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.contrib.auth.hashers import make_password
from simple_history.utils import bulk_create_with_history

from pps.roles import Role
from volunteers.models import (
    CourseSession,
    Enrolment,
    MeetingKind,
    MonthlyReturn,
    SupervisionKind,
    SupervisionSession,
    TrainingCourse,
    Volunteer,
    VolunteerMeeting,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)

CPD_TOPICS = ["Child protection", "Tribunal appeals", "The SEN Code of Practice"]


@dataclass
class Register:
    volunteers: list
    # The localities each volunteer covers, by volunteer pk.
    covers: dict
    # When each IPS was active: (first day, last day or None), by volunteer pk.
    active_spans: dict

    @property
    def demo_volunteer(self) -> Volunteer:
        return self.volunteers[0]

    @cached_property
    def users(self) -> dict:
        """The volunteers who sign in, their accounts by volunteer pk."""
        return {v.pk: v.user for v in self.volunteers if v.user_id}

    def may_support(self, volunteer, case, start, end) -> bool:
        """allocate_volunteer's rule, on the day: active IPS then and until `end`, covers
        the locality, speaks the parent's language when an interpreter is needed."""
        span = self.active_spans.get(volunteer.pk)
        if span is None or start < span[0]:
            return False
        if span[1] is not None and (end is None or end > span[1]):
            return False
        if case.locality is not None and case.locality.pk not in self.covers[volunteer.pk]:
            return False
        parent = case.parent
        speaks = parent.first_language.lower() in volunteer.languages.lower()
        return speaks or not parent.interpreter_needed

    def write_covers(self) -> None:
        through = Volunteer.localities.through
        through.objects.bulk_create(
            through(volunteer_id=pk, locality_id=locality)
            for pk, localities in self.covers.items()
            for locality in sorted(localities)
        )


def generate_volunteers(ctx, localities) -> Register:
    """Eight IPS at every stage of the pipeline and two other volunteers.

    Three IPS sign in (the demo "volunteer" account and two more with unusable
    passwords) and log contacts on their cases; the others are recorded by staff.
    """
    ips = [VolunteerStatus.ACTIVE] * 5 + [
        VolunteerStatus.PAUSED,
        VolunteerStatus.LEFT,
        VolunteerStatus.IN_TRAINING,
    ]
    kinds = [(VolunteerRole.IPS, status) for status in ips]
    volunteers = []
    for n, (role, status) in enumerate(kinds + [(VolunteerRole.OTHER, VolunteerStatus.ACTIVE)] * 2):
        fake = ctx.fake
        names = dict(first_name=fake.first_name(), last_name=fake.last_name(), email=fake.email())
        volunteer = Volunteer(service=ctx.service, role=role, status=status, **names)
        if role == VolunteerRole.IPS:
            volunteer.phone = fake.phone_number()
            volunteer.languages = ["", "Polish", "", "Urdu", "", "BSL", "", ""][n]
        volunteers.append(volunteer)
    unusable = make_password(None)
    volunteers[0].user = ctx.users["volunteer"]
    volunteers[1].user = ctx.add_user("ips2", Role.VOLUNTEER, unusable)
    volunteers[2].user = ctx.add_user("ips3", Role.VOLUNTEER, unusable)
    # A volunteer's account is theirs: the register entry it signs in as carries the
    # account's name and email (the header names the account, the register the entry).
    for volunteer in volunteers[:3]:
        for name in ("first_name", "last_name", "email"):
            setattr(volunteer, name, getattr(volunteer.user, name))
    histories = [_pipeline(ctx, volunteer, n) for n, volunteer in enumerate(volunteers)]
    for volunteer, moves in zip(volunteers, histories, strict=True):
        volunteer._history_date = ctx.at(moves[0][1])
        volunteer._history_user = ctx.users["coordinator"]
    volunteers = bulk_create_with_history(volunteers, Volunteer)
    _register_records(ctx, volunteers, histories)
    _register_activity(ctx, volunteers, histories)
    spans = {v.pk: _active_span(v, moves) for v, moves in zip(volunteers, histories, strict=True)}
    return Register(
        volunteers=volunteers,
        # Each covers two neighbouring localities; written once allocations are known,
        # as a volunteer may be asked to cover one more for a family.
        covers={
            v.pk: {localities[(n + k) % len(localities)].pk for k in (0, 2)}
            for n, v in enumerate(volunteers)
        },
        active_spans={pk: span for pk, span in spans.items() if span},
    )


def _active_span(volunteer, moves):
    """When an IPS was active: from their move to active until their next move (None while
    still active); None for one never active and for other volunteers."""
    for i, (status, on) in enumerate(moves):
        if status == VolunteerStatus.ACTIVE and volunteer.role == VolunteerRole.IPS:
            return on, moves[i + 1][1] if i + 1 < len(moves) else None
    return None


def _pipeline(ctx, volunteer, n):
    """Dated moves that end in the volunteer's current status; DBS and course dates."""
    days = dt.timedelta
    if volunteer.status == VolunteerStatus.IN_TRAINING:
        start = ctx.today - days(60)
        return [
            (VolunteerStatus.ENQUIRER, start),
            (VolunteerStatus.APPLICANT, start + days(15)),
            (VolunteerStatus.IN_TRAINING, start + days(40)),
        ]
    if volunteer.role == VolunteerRole.OTHER:
        joined = ctx.start - days(ctx.rng.randint(30, 400))
        return [(VolunteerStatus.ACTIVE, joined)]
    # One newcomer trained within the demo's years; the rest joined before them.
    start = ctx.today - days(330) if n == 4 else ctx.start - days(ctx.rng.randint(60, 500))
    trained = start + days(99)
    moves = [
        (VolunteerStatus.ENQUIRER, start),
        (VolunteerStatus.APPLICANT, start + days(20)),
        (VolunteerStatus.IN_TRAINING, start + days(60)),
        (VolunteerStatus.SHADOWING, start + days(100)),
        (VolunteerStatus.ACTIVE, start + days(130)),
    ]
    if volunteer.status == VolunteerStatus.PAUSED:
        moves.append((VolunteerStatus.PAUSED, ctx.today - days(90)))
    elif volunteer.status == VolunteerStatus.LEFT:
        moves.append((VolunteerStatus.LEFT, ctx.today - days(150)))
    volunteer.initial_training_completed_on = trained
    volunteer.accreditation = "Open College Network, level 2 (6 credits)"
    volunteer.confidentiality_signed_on = start + days(60)
    volunteer.references_received_on = start + days(45)
    # Checked before starting and renewed every three years since.
    checked = start + days(50)
    while checked + days(3 * 365) <= ctx.today:
        checked += days(3 * 365)
    volunteer.dbs_checked_on = checked
    volunteer.dbs_reference = f"{ctx.rng.randrange(10**11, 10**12)}"
    # Renewed every three years; one falls due within the next month.
    volunteer.dbs_renewal_due_on = (
        ctx.today + days(30) if n == 2 else volunteer.dbs_checked_on + days(3 * 365)
    )
    volunteer.availability = ctx.rng.choice(
        ["Weekday mornings", "Tuesdays and Thursdays", "School hours", "Evenings by phone"]
    )
    return moves


def _register_records(ctx, volunteers, histories):
    """The status history of each volunteer, and IPS monthly returns while active."""
    changes, returns = [], []
    last_month = (ctx.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for n, (volunteer, moves) in enumerate(zip(volunteers, histories, strict=True)):
        for status, on in moves:
            changes.append(
                VolunteerStatusChange(
                    service=ctx.service,
                    volunteer=volunteer,
                    status=status,
                    on=on,
                    recorded_by=ctx.users["coordinator"],
                )
            )
        if volunteer.role != VolunteerRole.IPS:
            continue
        month = max(ctx.start, moves[0][1]).replace(day=1)
        while month <= last_month:
            # Active on any day of the month; one volunteer has not returned last month.
            status_then = [s for s, on in moves if on <= month + dt.timedelta(days=27)]
            if (
                status_then
                and status_then[-1] == VolunteerStatus.ACTIVE
                and not (n == 3 and month == last_month)
            ):
                monthly = MonthlyReturn(
                    service=ctx.service,
                    volunteer=volunteer,
                    month=month,
                    phone_hours=Decimal(ctx.rng.randint(0, 12)) / 2,
                    meeting_hours=Decimal(ctx.rng.randint(0, 8)) / 2,
                    paperwork_hours=Decimal(ctx.rng.randint(0, 6)) / 2,
                    tribunal_hours=Decimal(ctx.rng.choice([0, 0, 0, 2, 4])),
                    submitted_by=volunteer.user or ctx.users["coordinator"],
                )
                # Sent in the first days of the next month.
                sent = (month + dt.timedelta(days=32)).replace(day=1)
                monthly._history_date = ctx.at(sent + dt.timedelta(ctx.rng.randint(0, 6)))
                monthly._history_user = monthly.submitted_by
                returns.append(monthly)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    VolunteerStatusChange.objects.bulk_create(changes)
    bulk_create_with_history(returns, MonthlyReturn, batch_size=500)


def _register_activity(ctx, volunteers, histories):
    """Supervision every six or seven weeks in term, CPD each term, the initial IPS
    courses the newer volunteers took, and coffee mornings and support meetings."""
    days = dt.timedelta
    coordinator = ctx.users["coordinator"]
    sessions = []
    for n, (volunteer, moves) in enumerate(zip(volunteers, histories, strict=True)):
        span = _active_span(volunteer, moves)
        if span is None:
            continue
        # Volunteer 2 has gone without supervision since the spring: flagged overdue.
        stop = ctx.today - days(130) if n == 2 else span[1] or ctx.today
        on = max(span[0], ctx.start) + days(ctx.rng.randint(10, 40))
        while on <= stop:
            if on.month != 8:
                sessions.append((volunteer, on, SupervisionKind.SUPERVISION, "Case review"))
                if on.month in (3, 6, 11) and on + days(7) <= ctx.today:
                    # CPD once a term, besides supervision.
                    topic = ctx.rng.choice(CPD_TOPICS)
                    sessions.append((volunteer, on + days(7), SupervisionKind.CPD, topic))
            on += days(ctx.rng.randint(38, 48))
    sessions = [
        SupervisionSession(
            service=ctx.service, volunteer=v, on=on, led_by=coordinator, kind=kind, topic=topic
        )
        for v, on, kind, topic in sessions
    ]
    for session in sessions:
        session._history_date = ctx.at(session.on)
        session._history_user = coordinator
    bulk_create_with_history(sessions, SupervisionSession, batch_size=500)

    trained = [
        v
        for v in volunteers
        if v.initial_training_completed_on and v.initial_training_completed_on >= ctx.start
    ]
    in_training = [v for v in volunteers if v.status == VolunteerStatus.IN_TRAINING]
    for title, trainees, completed in (
        ("Initial IPS course (spring)", trained, True),
        ("Initial IPS course (autumn)", in_training, False),
    ):
        if not trainees:
            continue
        first = (
            trainees[0].initial_training_completed_on - days(40)
            if completed
            else ctx.today - days(14)
        )
        course = TrainingCourse.objects.create(
            service=ctx.service,
            title=title,
            venue="Fenmarsh Community Centre",
            tutors="Coordinator and a guest tutor from the tribunal service",
            moderated_on=first + days(45) if completed else None,
            moderation_outcome="All learning outcomes met" if completed else "",
        )
        enrolments = [
            Enrolment.objects.create(
                service=ctx.service,
                course=course,
                volunteer=v,
                completed_on=v.initial_training_completed_on if completed else None,
                certificate="OCN level 2 (6 credits)" if completed else "",
            )
            for v in trainees
        ]
        topics = [
            "The role of the IPS",
            "SEN law and the Code of Practice",
            "Listening skills",
            "Statutory assessment",
            "Meetings and reviews",
            "Tribunals (half day)",
        ]
        for i, topic in enumerate(topics):
            on = first + days(7 * i)
            if on > ctx.today:
                break
            session = CourseSession.objects.create(
                service=ctx.service,
                course=course,
                on=on,
                topic=topic,
                days=Decimal("0.5") if "half" in topic else Decimal(1),
            )
            session.attended_by.set([e.volunteer for e in enrolments if ctx.rng.random() < 0.9])

    active_ips = [
        v for v in volunteers if v.role == VolunteerRole.IPS and v.status == VolunteerStatus.ACTIVE
    ]
    on = ctx.start + days(20)
    while on <= ctx.today:
        if on.month != 8:
            kind = (
                MeetingKind.COFFEE_MORNING if on.month in (6, 7, 9) else MeetingKind.SUPPORT_MEETING
            )
            meeting = VolunteerMeeting.objects.create(
                service=ctx.service,
                kind=kind,
                on=on,
                venue="PPS office",
                other_attendees=ctx.rng.randint(3, 8) if kind == MeetingKind.COFFEE_MORNING else 0,
            )
            meeting.attended_by.set(ctx.rng.sample(active_ips, min(3, len(active_ips))))
        on += days(ctx.rng.randint(50, 70))
