"""Three years of fake but realistic records for one demo service (Faker, en_GB).

The records obey the same invariants as the actions leave behind (casework/actions.py):
every case has an "opened" event on its opening day, closings and re-openings are dated
events in order, contacts fall inside an open period, and each case's status, closure and
last-contact dates agree with its events and contacts. They are written with bulk inserts,
with a creation row in each audited model's history, so that loading takes seconds.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from faker import Faker
from simple_history.utils import bulk_create_with_history

from casework.actions import create_service
from casework.enums import (
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    EnquirerType,
    Ethnicity,
    FeedbackAbout,
    FeedbackChannel,
    FeedbackKind,
    Gender,
    Mention,
    OfficialExclusion,
    Outcome,
    SenStage,
    SenStatus,
)
from casework.models import (
    Allocation,
    Case,
    CaseEvent,
    Child,
    Contact,
    ContactReason,
    Enquiry,
    Feedback,
    NeedArea,
    Parent,
    ReferralRoute,
    SchoolType,
)
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from pps.models import Locality, Service, User
from pps.roles import Role
from pps.workingdays import add_working_days
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

SERVICE_NAME = "Demoshire Parent Partnership Service"
LOCALITIES = ["Northfield", "Riverside", "Fenmarsh", "Kingsbridge", "Westholme"]

# How a case ends, with the outcome parents most often report for it.
CLOSINGS = [
    (ClosureReason.RESOLVED, Outcome.RESOLVED, 40),
    (ClosureReason.RESOLVED, Outcome.LOT_OF_IMPROVEMENT, 15),
    (ClosureReason.NO_CONTACT, Outcome.SOME_IMPROVEMENT, 25),
    (ClosureReason.NO_CONTACT, Outcome.ONGOING, 8),
    (ClosureReason.REFERRED_ON, Outcome.ONGOING, 6),
    (ClosureReason.WITHDREW, Outcome.NO_CHANGE, 4),
    (ClosureReason.OTHER, Outcome.NO_CHANGE, 2),
]
METHODS = [
    (ContactMethod.PHONE_IN, 25),
    (ContactMethod.PHONE_OUT, 30),
    (ContactMethod.EMAIL_IN, 12),
    (ContactMethod.EMAIL_OUT, 14),
    (ContactMethod.LETTER, 4),
    (ContactMethod.TEXT, 3),
    (ContactMethod.OFFICE, 2),
    (ContactMethod.HOME_VISIT, 3),
    (ContactMethod.SCHOOL_MEETING, 5),
    (ContactMethod.MULTI_AGENCY, 1),
    (ContactMethod.TRIBUNAL, 1),
]
ETHNICITIES = [
    (Ethnicity.WHITE_BRITISH, 74),
    (Ethnicity.WHITE_OTHER, 5),
    (Ethnicity.WHITE_GYPSY, 1),
    (Ethnicity.MIXED_WBC, 2),
    (Ethnicity.MIXED_WA, 1),
    (Ethnicity.ASIAN_PAKISTANI, 2),
    (Ethnicity.ASIAN_INDIAN, 2),
    (Ethnicity.BLACK_AFRICAN, 2),
    (Ethnicity.BLACK_CARIBBEAN, 1),
    (Ethnicity.ASIAN_CHINESE, 1),
    (Ethnicity.OTHER, 1),
    (Ethnicity.NOT_STATED, 8),
]
NOTES = [
    "Talked through the statutory assessment process and the timescales.",
    "Parent worried about transition to secondary; agreed to attend the review.",
    "Explained the SEN support the school should provide; sent the leaflet.",
    "Helped parent prepare questions for the meeting with the SENCo.",
    "Went through the draft plan section by section with the parent.",
    "Parent reports bullying at lunchtimes; discussed raising it with the head.",
    "Rang the school to arrange a meeting, with the parent's consent.",
    "Explained the right of appeal and what the tribunal will need.",
    "Parent unhappy with the response from the LA; explained disagreement resolution.",
    "Follow-up call: the parent feels more confident about the next steps.",
]
FOLLOW_UPS = [
    "Send the information pack",
    "Ring the SENCo",
    "Check the LA has replied",
    "Post the meeting notes",
    "Call parent after the review",
]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _at(day: dt.date, rng) -> dt.datetime:
    moment = dt.time(rng.randint(8, 17), rng.choice([0, 10, 15, 20, 30, 40, 45, 50]))
    return timezone.make_aware(dt.datetime.combine(day, moment))


@dataclass(eq=False)  # plans are compared by identity
class Plan:
    """One case's life, worked out in Python before anything is written."""

    case: Case
    events: list = field(default_factory=list)  # (kind, day, reason, outcome)
    contacts: list = field(default_factory=list)
    allocation: Allocation | None = None


@dataclass
class Demo:
    service: Service
    users: dict


def demo_exists() -> bool:
    with scopes_disabled():
        return Service.objects.filter(name=SERVICE_NAME).exists()


def generate(*, today=None, years=3, cases_per_year=300, contacts_per_case=13, seed=2026) -> Demo:
    """Create the demo service and its records up to `today` (default: today)."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    with scopes_disabled(), transaction.atomic():
        return _Generator(today, years, cases_per_year, contacts_per_case, rng, fake).run()


class _Generator:
    def __init__(self, today, years, cases_per_year, contacts_per_case, rng, fake):
        self.today, self.rng, self.fake = today, rng, fake
        self.cases_per_year, self.contacts_per_case = cases_per_year, contacts_per_case
        current_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
        self.start = current_start.replace(year=current_start.year - years)

    def run(self) -> Demo:
        self.service = create_service(
            name=SERVICE_NAME, local_authority="Demoshire County Council", localities=LOCALITIES
        )
        self.localities = list(Locality.objects.filter(service=self.service))
        self.routes = list(ReferralRoute.objects.filter(service=self.service))
        self.reasons = list(ContactReason.objects.filter(service=self.service))
        self.school_types = list(SchoolType.objects.filter(service=self.service))
        self.needs = list(NeedArea.objects.filter(service=self.service))
        self._people()
        plans = self._cases()
        self._write(plans)
        self._enquiries(plans)
        self._feedback()
        return Demo(service=self.service, users=self.users)

    # Staff and volunteers -------------------------------------------------------------

    def _user(self, username, role, password):
        user = User(
            username=username,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            email=f"{username}@demoshire.invalid",
            service=self.service,
            role=role,
            password=password,
        )
        user.save()
        return user

    def _people(self):
        # One hash for every demo account: they share the published demo password.
        password = make_password(DEMO_PASSWORD)
        self.users = {name: self._user(name, role, password) for name, role in DEMO_ACCOUNTS}
        unusable = make_password(None)
        officers = [self._user(f"officer{n}", Role.CASE_OFFICER, unusable) for n in (2, 3)]
        self._user("steering2", Role.STEERING, unusable)
        self.officers = [self.users["officer"], *officers, self.users["coordinator"]]
        for user in self.officers:
            user.localities.set(self.rng.sample(self.localities, 2))

        statuses = [VolunteerStatus.ACTIVE] * 5 + [
            VolunteerStatus.PAUSED,
            VolunteerStatus.LEFT,
            VolunteerStatus.IN_TRAINING,
        ]
        volunteers = [
            Volunteer(
                service=self.service,
                first_name=self.fake.first_name(),
                last_name=self.fake.last_name(),
                email=self.fake.email(),
                phone=self.fake.phone_number(),
                role=VolunteerRole.IPS,
                status=status,
                languages=self.rng.choice(["", "", "", "Urdu", "Polish", "BSL"]),
            )
            for status in statuses
        ] + [
            Volunteer(
                service=self.service,
                first_name=self.fake.first_name(),
                last_name=self.fake.last_name(),
                role=VolunteerRole.OTHER,
                status=VolunteerStatus.ACTIVE,
            )
            for _ in range(2)
        ]
        volunteers[0].user = self.users["volunteer"]
        volunteers[1].user = self._user("ips2", Role.VOLUNTEER, unusable)
        histories = [self._pipeline(volunteer, n) for n, volunteer in enumerate(volunteers)]
        volunteers = bulk_create_with_history(volunteers, Volunteer)
        self._register_records(volunteers, histories)
        self.covers = {}
        for volunteer in volunteers:
            localities = self.rng.sample(self.localities, 2)
            volunteer.localities.set(localities)
            self.covers[volunteer.pk] = {locality.pk for locality in localities}
        self._register_activity(volunteers, histories)
        self.demo_volunteer = volunteers[0]
        self.active_ips = [
            v
            for v in volunteers
            if v.status == VolunteerStatus.ACTIVE and v.role == VolunteerRole.IPS
        ]

    def _pipeline(self, volunteer, n):
        """Dated moves that end in the volunteer's current status; DBS and course dates."""
        days = dt.timedelta
        if volunteer.status == VolunteerStatus.IN_TRAINING:
            start = self.today - days(60)
            return [
                (VolunteerStatus.ENQUIRER, start),
                (VolunteerStatus.APPLICANT, start + days(15)),
                (VolunteerStatus.IN_TRAINING, start + days(40)),
            ]
        if volunteer.role == VolunteerRole.OTHER:
            joined = self.start - days(self.rng.randint(30, 400))
            return [(VolunteerStatus.ACTIVE, joined)]
        # One newcomer trained within the demo's years; the rest joined before them.
        start = self.today - days(330) if n == 4 else self.start - days(self.rng.randint(60, 500))
        trained = start + days(99)
        moves = [
            (VolunteerStatus.ENQUIRER, start),
            (VolunteerStatus.APPLICANT, start + days(20)),
            (VolunteerStatus.IN_TRAINING, start + days(60)),
            (VolunteerStatus.SHADOWING, start + days(100)),
            (VolunteerStatus.ACTIVE, start + days(130)),
        ]
        if volunteer.status == VolunteerStatus.PAUSED:
            moves.append((VolunteerStatus.PAUSED, self.today - days(90)))
        elif volunteer.status == VolunteerStatus.LEFT:
            moves.append((VolunteerStatus.LEFT, self.today - days(150)))
        volunteer.initial_training_completed_on = trained
        volunteer.accreditation = "Open College Network, level 2 (6 credits)"
        volunteer.confidentiality_signed_on = start + days(60)
        volunteer.references_received_on = start + days(45)
        # Checked before starting and renewed every three years since.
        checked = start + days(50)
        while checked + days(3 * 365) <= self.today:
            checked += days(3 * 365)
        volunteer.dbs_checked_on = checked
        volunteer.dbs_reference = f"{self.rng.randrange(10**11, 10**12)}"
        # Renewed every three years; one falls due within the next month.
        volunteer.dbs_renewal_due_on = (
            self.today + days(30) if n == 2 else volunteer.dbs_checked_on + days(3 * 365)
        )
        volunteer.availability = self.rng.choice(
            ["Weekday mornings", "Tuesdays and Thursdays", "School hours", "Evenings by phone"]
        )
        return moves

    def _register_records(self, volunteers, histories):
        """The status history of each volunteer, and IPS monthly returns while active."""
        changes, returns = [], []
        last_month = (self.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        for n, (volunteer, moves) in enumerate(zip(volunteers, histories, strict=True)):
            for status, on in moves:
                changes.append(
                    VolunteerStatusChange(
                        service=self.service,
                        volunteer=volunteer,
                        status=status,
                        on=on,
                        recorded_by=self.users["coordinator"],
                    )
                )
            if volunteer.role != VolunteerRole.IPS:
                continue
            month = max(self.start, moves[0][1]).replace(day=1)
            while month <= last_month:
                # Active on any day of the month; one volunteer has not returned last month.
                status_then = [s for s, on in moves if on <= month + dt.timedelta(days=27)]
                if (
                    status_then
                    and status_then[-1] == VolunteerStatus.ACTIVE
                    and not (n == 3 and month == last_month)
                ):
                    returns.append(
                        MonthlyReturn(
                            service=self.service,
                            volunteer=volunteer,
                            month=month,
                            phone_hours=Decimal(self.rng.randint(0, 12)) / 2,
                            meeting_hours=Decimal(self.rng.randint(0, 8)) / 2,
                            paperwork_hours=Decimal(self.rng.randint(0, 6)) / 2,
                            tribunal_hours=Decimal(self.rng.choice([0, 0, 0, 2, 4])),
                            submitted_by=volunteer.user or self.users["coordinator"],
                        )
                    )
                month = (month + dt.timedelta(days=32)).replace(day=1)
        VolunteerStatusChange.objects.bulk_create(changes)
        bulk_create_with_history(returns, MonthlyReturn, batch_size=500)

    def _register_activity(self, volunteers, histories):
        """Supervision every six or seven weeks in term, CPD each term, the initial IPS
        courses the newer volunteers took, and coffee mornings and support meetings."""
        days = dt.timedelta
        coordinator = self.users["coordinator"]
        sessions = []
        for n, (volunteer, moves) in enumerate(zip(volunteers, histories, strict=True)):
            active = [on for status, on in moves if status == VolunteerStatus.ACTIVE]
            if volunteer.role != VolunteerRole.IPS or not active:
                continue
            ended = next(
                (on for status, on in moves if on > active[0] and status != VolunteerStatus.ACTIVE),
                self.today,
            )
            # Volunteer 2 has gone without supervision since the spring: flagged overdue.
            stop = self.today - days(130) if n == 2 else ended
            on = max(active[0], self.start) + days(self.rng.randint(10, 40))
            while on <= stop:
                if on.month != 8:
                    sessions.append(
                        SupervisionSession(
                            service=self.service,
                            volunteer=volunteer,
                            on=on,
                            led_by=coordinator,
                            kind=SupervisionKind.SUPERVISION,
                            topic="Case review",
                        )
                    )
                    if on.month in (3, 6, 11):  # CPD once a term, besides supervision
                        sessions.append(
                            SupervisionSession(
                                service=self.service,
                                volunteer=volunteer,
                                on=on + days(7),
                                led_by=coordinator,
                                kind=SupervisionKind.CPD,
                                topic=self.rng.choice(
                                    [
                                        "Child protection",
                                        "Tribunal appeals",
                                        "The SEN Code of Practice",
                                    ]
                                ),
                            )
                            if on + days(7) <= self.today
                            else None
                        )
                on += days(self.rng.randint(38, 48))
            sessions = [session for session in sessions if session is not None]
        bulk_create_with_history(sessions, SupervisionSession, batch_size=500)

        trained = [
            v
            for v in volunteers
            if v.initial_training_completed_on and v.initial_training_completed_on >= self.start
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
                else self.today - days(14)
            )
            course = TrainingCourse.objects.create(
                service=self.service,
                title=title,
                venue="Swaffham Community Centre",
                tutors="Coordinator and a guest tutor from the tribunal service",
                moderated_on=first + days(45) if completed else None,
                moderation_outcome="All learning outcomes met" if completed else "",
            )
            enrolments = [
                Enrolment.objects.create(
                    service=self.service,
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
                if on > self.today:
                    break
                session = CourseSession.objects.create(
                    service=self.service,
                    course=course,
                    on=on,
                    topic=topic,
                    days=Decimal("0.5") if "half" in topic else Decimal(1),
                )
                session.attended_by.set(
                    [e.volunteer for e in enrolments if self.rng.random() < 0.9]
                )

        active_ips = [
            v
            for v in volunteers
            if v.role == VolunteerRole.IPS and v.status == VolunteerStatus.ACTIVE
        ]
        on = self.start + days(20)
        while on <= self.today:
            if on.month != 8:
                kind = (
                    MeetingKind.COFFEE_MORNING
                    if on.month in (6, 7, 9)
                    else MeetingKind.SUPPORT_MEETING
                )
                meeting = VolunteerMeeting.objects.create(
                    service=self.service,
                    kind=kind,
                    on=on,
                    venue="PPS office",
                    other_attendees=self.rng.randint(3, 8)
                    if kind == MeetingKind.COFFEE_MORNING
                    else 0,
                )
                meeting.attended_by.set(self.rng.sample(active_ips, min(3, len(active_ips))))
            on += days(self.rng.randint(50, 70))

    # Cases ----------------------------------------------------------------------------

    def _opening_days(self):
        days = (self.today - self.start).days
        count = round(self.cases_per_year * days / 365)
        opened = []
        while len(opened) < count:
            day = self.start + dt.timedelta(days=self.rng.randrange(days + 1))
            # Few cases open at weekends or in August, when schools are closed.
            if day.weekday() >= 5 or (day.month == 8 and self.rng.random() < 0.6):
                continue
            opened.append(day)
        return sorted(opened)

    def _parent(self):
        last = self.fake.last_name()
        return Parent(
            service=self.service,
            first_name=self.fake.first_name(),
            last_name=last,
            email=self.fake.email() if self.rng.random() < 0.7 else "",
            phone=self.fake.phone_number(),
            address=self.fake.street_address(),
            postcode=self.fake.postcode(),
            locality=self.rng.choice(self.localities),
            ethnicity=_weighted(self.rng, ETHNICITIES),
            first_language=self.rng.choices(
                ["English", "Polish", "Urdu", "Punjabi"], weights=[90, 4, 3, 3]
            )[0],
            consent_details="May share with the school and the LA SEN team.",
            mailing_list=self.rng.random() < 0.3,
            willing_to_be_consulted=self.rng.random() < 0.1,
        )

    def _child(self, parent, opened_on):
        status = _weighted(
            self.rng,
            [
                (SenStatus.SEN, 70),
                (SenStatus.CONCERN, 18),
                (SenStatus.NON_SEN, 5),
                (SenStatus.NOT_KNOWN, 7),
            ],
        )
        stage = SenStage.NONE
        if status == SenStatus.SEN:
            stage = self.rng.choice(
                [
                    SenStage.SEN_SUPPORT,
                    SenStage.EHC_ASSESSMENT,
                    SenStage.EHC_PLAN,
                    SenStage.EHC_PLAN,
                ]
            )
        age_days = self.rng.randint(2 * 365, 19 * 365)
        return Child(
            service=self.service,
            first_name=self.fake.first_name(),
            last_name=parent.last_name,
            date_of_birth=opened_on - dt.timedelta(days=age_days)
            if self.rng.random() < 0.95
            else None,
            gender=_weighted(
                self.rng,
                [(Gender.MALE, 62), (Gender.FEMALE, 34), (Gender.OTHER, 1), (Gender.NOT_KNOWN, 3)],
            ),
            school_name=f"{self.fake.city()} {self.rng.choice(['Primary', 'Academy', 'School'])}",
            school_type=self.rng.choice(self.school_types),
            sen_status=status,
            sen_stage=stage,
            primary_need=self.rng.choice(self.needs) if self.rng.random() < 0.85 else None,
            not_in_full_time_education=self.rng.random() < 0.04,
        )

    def _case(self, parent, child, opened_on):
        rng = self.rng
        officer = rng.choices(self.officers, weights=[35, 30, 25, 10])[0]
        tribunal = rng.random() < 0.04
        resolution = rng.random() < 0.05
        return Case(
            service=self.service,
            parent=parent,
            child=child,
            officer=officer,
            locality=parent.locality,
            received_on=opened_on,
            opened_on=opened_on,
            referral_route=rng.choice(self.routes),
            primary_reason=rng.choice(self.reasons),
            bullying=_weighted(
                rng, [(Mention.NONE, 82), (Mention.MAIN, 8), (Mention.MENTIONED, 10)]
            ),
            unofficial_exclusion=_weighted(
                rng, [(Mention.NONE, 95), (Mention.MAIN, 2), (Mention.MENTIONED, 3)]
            ),
            official_exclusion=_weighted(
                rng,
                [
                    (OfficialExclusion.NONE, 94),
                    (OfficialExclusion.FIXED_TERM, 5),
                    (OfficialExclusion.PERMANENT, 1),
                ],
            ),
            tribunal_appeal_on=opened_on + dt.timedelta(days=40) if tribunal else None,
            tribunal_active_involvement=rng.random() < 0.7 if tribunal else None,
            disagreement_resolution_on=opened_on + dt.timedelta(days=30) if resolution else None,
            disagreement_resolution_active_involvement=True if resolution else None,
        )

    def _contacts_between(self, plan, first, last, count):
        span = max((last - first).days, 0)
        days = sorted(first + dt.timedelta(days=self.rng.randint(0, span)) for _ in range(count))
        for day in days:
            if day > self.today:
                continue
            follow_up, due, done = "", None, None
            if self.rng.random() < 0.15:
                follow_up = self.rng.choice(FOLLOW_UPS)
                due = day + dt.timedelta(days=self.rng.randint(1, 14))
                done = min(due, self.today) if due < self.today - dt.timedelta(days=2) else None
            plan.contacts.append(
                dict(
                    day=day,
                    method=_weighted(self.rng, METHODS),
                    minutes=self.rng.choice([5, 10, 15, 20, 30, 30, 45, 60, 90, 120]),
                    note=self.rng.choice(NOTES),
                    follow_up=follow_up,
                    due=due,
                    done=done,
                )
            )

    def _lifecycle(self, plan):
        """Contacts over weeks or months; closed after the last one unless that is to come."""
        rng, opened = self.rng, plan.case.opened_on
        plan.events.append((CaseEventKind.OPENED, opened, "", ""))
        count = max(1, min(45, round(rng.expovariate(1 / self.contacts_per_case))))
        length = rng.randint(14, 200)
        self._contacts_between(plan, opened, opened + dt.timedelta(days=length), count)
        last = max([c["day"] for c in plan.contacts], default=opened)
        reason, outcome = _weighted(rng, [((r, o), w) for r, o, w in CLOSINGS])
        gap = rng.randint(91, 120) if reason == ClosureReason.NO_CONTACT else rng.randint(0, 20)
        closed_on = last + dt.timedelta(days=gap)
        if closed_on > self.today:
            return
        plan.events.append((CaseEventKind.CLOSED, closed_on, reason, outcome))
        if rng.random() < 0.06:
            reopened = closed_on + dt.timedelta(days=rng.randint(20, 300))
            if reopened <= self.today:
                plan.events.append((CaseEventKind.REOPENED, reopened, "", ""))
                self._contacts_between(
                    plan, reopened, reopened + dt.timedelta(days=60), rng.randint(1, 6)
                )
                last = max(c["day"] for c in plan.contacts)
                closed_again = last + dt.timedelta(days=rng.randint(5, 30))
                if closed_again <= self.today and rng.random() < 0.9:
                    plan.events.append(
                        (
                            CaseEventKind.CLOSED,
                            closed_again,
                            ClosureReason.RESOLVED,
                            Outcome.RESOLVED,
                        )
                    )

    def _cases(self):
        plans, parents = [], []
        for opened_on in self._opening_days():
            roll = self.rng.random()
            if roll < 0.08 and plans:
                # A family with another child: the same parent, a second case.
                parent = self.rng.choice(plans[-50:]).case.parent
                child = self._child(parent, opened_on)
            elif roll < 0.10 and plans:
                # Parents who live apart, each served about the same child.
                child = self.rng.choice(plans[-50:]).case.child
                parent = self._parent()
                parent.last_name = child.last_name
                parents.append(parent)
            else:
                parent = self._parent()
                parents.append(parent)
                child = self._child(parent, opened_on)
            plan = Plan(case=self._case(parent, child, opened_on))
            self._lifecycle(plan)
            plans.append(plan)
        self._ensure_my_work(plans)
        return plans

    def _ensure_my_work(self, plans):
        """Give the demo officer's open cases something in every section of "My work"."""
        officer = self.users["officer"]
        cutoff = self.today - dt.timedelta(days=100)
        never_closed = [p for p in plans if len(p.events) == 1]
        old_enough = [p for p in never_closed if p.case.opened_on <= cutoff]
        quiet = [p for p in old_enough if p.case.officer == officer][:4] or old_enough[:2]
        for plan in quiet:
            # Quiet for more than three months: due for closure.
            plan.case.officer = officer
            plan.contacts = [c for c in plan.contacts if c["day"] <= cutoff]
        mine = [p for p in never_closed if p.case.officer == officer and p not in quiet]
        for plan, days_ago in zip(mine[-6:], (1, 2, 5, 9, 40, 120), strict=False):
            day = max(self.today - dt.timedelta(days=days_ago), plan.case.opened_on)
            soon = days_ago < 10
            plan.contacts.append(
                dict(
                    day=day,
                    method=ContactMethod.PHONE_OUT,
                    minutes=20,
                    note=self.rng.choice(NOTES),
                    follow_up=self.rng.choice(FOLLOW_UPS) if soon else "",
                    due=self.today + dt.timedelta(days=3 - days_ago) if soon else None,
                    done=None,
                )
            )
        open_plans = [p for p in plans if p.events[-1][0] != CaseEventKind.CLOSED]
        covered = self.covers[self.demo_volunteer.pk]
        current = [
            p
            for p in open_plans
            if p.case.opened_on < self.today - dt.timedelta(days=7)
            and p.case.locality.pk in covered
            and p not in quiet
        ]
        for plan in current[-3:]:
            plan.allocation = Allocation(
                service=self.service,
                case=plan.case,
                volunteer=self.demo_volunteer,
                started_on=plan.case.opened_on + dt.timedelta(days=7),
            )
        closed = [p for p in plans if p.events[-1][0] == CaseEventKind.CLOSED]
        for n, plan in enumerate(closed[-40:]):
            # The demo volunteer has one ended allocation; others are spread among the IPS.
            # Only an IPS who covers the case's locality (the rule allocate_volunteer keeps).
            able = [v for v in self.active_ips if plan.case.locality.pk in self.covers[v.pk]]
            if plan.allocation is None and able and (n == 0 or self.rng.random() < 0.3):
                end = plan.events[-1][1]
                start = min(plan.case.opened_on + dt.timedelta(days=7), end)
                volunteer = self.demo_volunteer if self.demo_volunteer in able else able[0]
                if n:
                    volunteer = self.rng.choice(able)
                plan.allocation = Allocation(
                    service=self.service,
                    case=plan.case,
                    volunteer=volunteer,
                    started_on=start,
                    ended_on=end,
                )

    # Writing ----------------------------------------------------------------------------

    def _write(self, plans):
        cases = [p.case for p in plans]
        parents = list({id(c.parent): c.parent for c in cases}.values())
        children = list({id(c.child): c.child for c in cases}.values())
        bulk_create_with_history(parents, Parent, batch_size=500)
        bulk_create_with_history(children, Child, batch_size=500)
        numbers = {}
        for plan in sorted(plans, key=lambda p: p.case.opened_on):
            case = plan.case
            case.parent_id, case.child_id = case.parent.pk, case.child.pk
            year = case.opened_on.year
            numbers[year] = numbers.get(year, 0) + 1
            case.reference = f"{self.service.reference_prefix}-{year}-{numbers[year]:04d}"
            kind, day, reason, outcome = plan.events[-1]
            opened_days = [d for k, d, _, _ in plan.events if k != CaseEventKind.CLOSED]
            contact_days = [c["day"] for c in plan.contacts]
            case.last_contact_on = max(contact_days, default=None)
            case.last_activity_on = max([*contact_days, *opened_days])
            if kind == CaseEventKind.CLOSED:
                case.status, case.closed_on = CaseStatus.CLOSED, day
                case.closure_reason, case.outcome = reason, outcome
            else:
                case.status = CaseStatus.OPEN
            if case.last_contact_on and (kind == CaseEventKind.CLOSED or self.rng.random() < 0.5):
                sent = case.last_contact_on + dt.timedelta(days=self.rng.randint(30, 40))
                case.evaluation_sent_on = sent if sent <= self.today else None
        bulk_create_with_history(cases, Case, batch_size=500)

        events, contacts, allocations = [], [], []
        volunteer_users = {self.demo_volunteer.pk: self.users["volunteer"]}
        for plan in plans:
            case = plan.case
            for kind, day, reason, outcome in plan.events:
                events.append(
                    CaseEvent(
                        service=self.service,
                        case=case,
                        kind=kind,
                        on=day,
                        by=case.officer,
                        closure_reason=reason,
                        outcome=outcome,
                    )
                )
            allocation = plan.allocation
            if allocation is not None:
                allocation.allocated_by = case.officer
                allocations.append(allocation)
            for c in plan.contacts:
                by, volunteer = case.officer, None
                in_allocation = (
                    allocation
                    and allocation.started_on <= c["day"]
                    and (allocation.ended_on is None or c["day"] < allocation.ended_on)
                )
                if (
                    in_allocation
                    and allocation.volunteer_id in volunteer_users
                    and (self.rng.random() < 0.4)
                ):
                    by, volunteer = volunteer_users[allocation.volunteer_id], allocation.volunteer
                contacts.append(
                    Contact(
                        service=self.service,
                        case=case,
                        at=_at(c["day"], self.rng),
                        by=by,
                        volunteer=volunteer,
                        method=c["method"],
                        minutes=c["minutes"],
                        note=c["note"],
                        follow_up=c["follow_up"],
                        follow_up_due_on=c["due"],
                        follow_up_done_on=c["done"],
                    )
                )
        CaseEvent.objects.bulk_create(events, batch_size=1000)
        bulk_create_with_history(allocations, Allocation, batch_size=500)
        bulk_create_with_history(contacts, Contact, batch_size=1000)
        self.counts = {"cases": len(plans), "contacts": len(contacts)}

    def _enquiries(self, plans):
        """About 1,700 enquiries a year; a quarter of cases began as one."""
        rng, enquiries = self.rng, []
        staff = [*self.officers, self.users["support"]]
        days = (self.today - self.start).days
        for _ in range(round(1700 * days / 365)):
            day = self.start + dt.timedelta(days=rng.randrange(days + 1))
            if day.weekday() >= 5:
                continue
            enquiries.append(self._enquiry(day, rng.choice(staff)))
        for plan in plans:
            if rng.random() < 0.25:
                case = plan.case
                enquiry = self._enquiry(case.received_on, case.officer)
                enquiry.case, enquiry.substantial = case, True
                enquiry.enquirer_type = EnquirerType.PARENT
                enquiry.enquirer_name = str(case.parent)
                enquiry.first_response_on = case.opened_on
                enquiries.append(enquiry)
        # A few recent ones still wait for a first response.
        for days_ago in (0, 1, 3):
            enquiry = self._enquiry(self.today - dt.timedelta(days=days_ago), self.officers[0])
            enquiry.first_response_on = None
            enquiries.append(enquiry)
        bulk_create_with_history(enquiries, Enquiry, batch_size=1000)
        self.counts["enquiries"] = len(enquiries)

    def _enquiry(self, day, taken_by):
        rng = self.rng
        kind = _weighted(
            rng,
            [(EnquirerType.PARENT, 78), (EnquirerType.PROFESSIONAL, 17), (EnquirerType.OTHER, 5)],
        )
        name = (
            self.fake.name()
            if kind != EnquirerType.PROFESSIONAL
            else (f"{self.fake.name()}, SENCo")
        )
        delay = _weighted(rng, [(0, 45), (1, 35), (2, 12), (3, 5), (5, 3)])
        responded = add_working_days(day, delay) if delay else day
        return Enquiry(
            service=self.service,
            received_at=_at(day, rng),
            enquirer_type=kind,
            enquirer_name=name,
            enquirer_contact=self.fake.phone_number(),
            topic=rng.choice(self.reasons),
            summary=rng.choice(NOTES),
            minutes=rng.choice([5, 5, 10, 10, 15, 20, 30]),
            substantial=rng.random() < 0.3,
            first_response_on=min(responded, self.today),
            taken_by=taken_by,
        )

    def _feedback(self):
        rng, items = self.rng, []
        days = (self.today - self.start).days
        for _ in range(round(30 * days / 365)):
            day = self.start + dt.timedelta(days=rng.randrange(days + 1))
            kind = _weighted(
                rng,
                [
                    (FeedbackKind.COMPLIMENT, 75),
                    (FeedbackKind.COMPLAINT, 10),
                    (FeedbackKind.SUGGESTION, 15),
                ],
            )
            responded = day + dt.timedelta(days=rng.randint(1, 10))
            items.append(
                Feedback(
                    service=self.service,
                    kind=kind,
                    received_on=day,
                    channel=rng.choice(FeedbackChannel.values),
                    about=rng.choice(FeedbackAbout.values),
                    from_name=self.fake.name() if rng.random() < 0.5 else "",
                    summary={
                        FeedbackKind.COMPLIMENT: "Thank you for your support at the review.",
                        FeedbackKind.COMPLAINT: "Waited over a week for a call back.",
                        FeedbackKind.SUGGESTION: "Could the leaflets be available in Polish?",
                    }[kind],
                    response="Thanked and acknowledged."
                    if kind == FeedbackKind.COMPLIMENT
                    else "Apologised and explained the steps we are taking.",
                    responded_on=responded if responded <= self.today else None,
                    improvement=""
                    if kind == FeedbackKind.COMPLIMENT
                    else "Call-back times now monitored weekly.",
                    publishable=rng.random() < 0.6,
                    recorded_by=self.users["coordinator"],
                )
            )
        bulk_create_with_history(items, Feedback, batch_size=500)
        self.counts["feedback"] = len(items)
