"""Three years of fake but realistic records for one demo service (Faker, en_GB).

The records obey the invariants the actions leave behind (casework/actions.py), so that
every page and report reads them as it would read records typed in:
- every case has an "opened" event on its opening day; closings and re-openings are
  dated events in order, and the case's status, closed_on, closure reason and outcome
  are those of its latest event;
- contacts fall inside an open period (docs/domain.md, "Open cases and case movements"): on or after
  the (re)opening and on or before the closing; last_contact_on is the latest contact's day and
  last_activity_on the later of that and the latest (re)opening;
- references are numbered per opening year in opening order, as open_case numbers them;
- a volunteer logs contacts only while allocated, is allocated only while an active IPS
  who covers the case's locality (and speaks the parent's language when an interpreter
  is needed), and an allocation starts while the case is open;
- every audited record has its history: a creation row when it was made and a change row
  for each later save an action would have made (a closing, a follow-up done...), with
  the version number of versioned records counting those saves.

Everything is written with bulk inserts inside one transaction, so loading takes seconds.
The same seed and `today` give the same records.
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

from casework.actions import book_appointment, cancel_appointment
from casework.enums import (
    AccessibleFormat,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ContactMethod,
    ContactPreference,
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
from casework.rules import closure_cutoff, closure_due_on, evaluation_cutoff, evaluation_due_on
from demo.access_requests import generate_access_requests
from demo.evaluations import generate_evaluations
from demo.letters import generate_letters
from demo.network import generate_network
from demo.publications import generate_publications
from demo.quality import generate_quality
from demo.retention import generate_retention
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from pps.models import Locality, Service, User
from pps.roles import STAFF, Role
from pps.services import create_service
from pps.workingdays import add_working_days, is_working_day
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
LOCAL_AUTHORITY = "Demoshire County Council"
LOCALITIES = ["Northfield", "Riverside", "Fenmarsh", "Kingsbridge", "Westholme"]

# Staff: (username, role, full-time equivalent, localities covered by index, share of cases).
DEMO_STAFF = [
    ("coordinator", Role.COORDINATOR, Decimal("1.00"), (2, 4), 10),
    ("officer", Role.CASE_OFFICER, Decimal("0.80"), (0, 1), 35),
    ("officer2", Role.CASE_OFFICER, Decimal("0.60"), (2, 3), 30),
    ("officer3", Role.CASE_OFFICER, Decimal("0.50"), (4, 1), 25),
    ("support", Role.ADMIN_SUPPORT, Decimal("0.50"), (), 0),
    ("steering", Role.STEERING, None, (), 0),
    ("steering2", Role.STEERING, None, (), 0),
]

# How a case ends, with the outcome parents most often report for it.
CLOSINGS = [
    (ClosureReason.RESOLVED, Outcome.RESOLVED, 36),
    (ClosureReason.RESOLVED, Outcome.LOT_OF_IMPROVEMENT, 14),
    (ClosureReason.NO_CONTACT, Outcome.SOME_IMPROVEMENT, 22),
    (ClosureReason.NO_CONTACT, Outcome.ONGOING, 10),
    (ClosureReason.REFERRED_ON, Outcome.ONGOING, 8),
    (ClosureReason.WITHDREW, Outcome.NO_CHANGE, 6),
    (ClosureReason.OTHER, Outcome.NO_CHANGE, 4),
]
REFERRAL_ROUTES = {
    "Used the service before": 8,
    "School or pre-school": 26,
    "LA education service": 14,
    "Family Information Service": 4,
    "Other parent or friend": 12,
    "Voluntary sector": 5,
    "Health": 8,
    "Other council service": 3,
    "Website": 11,
    "Advert or publicity": 3,
    "Other": 2,
    "Not known": 4,
}
REASONS = {
    "EHC needs assessment request or process": 15,
    "Provision in an EHC plan": 11,
    "Provision at SEN support": 14,
    "EHC needs assessment queries": 5,
    "Annual review": 6,
    "Proposed (draft) EHC plan": 5,
    "School placement or admissions": 8,
    "Transition": 7,
    "Relationship with school": 8,
    "Fixed-term exclusion": 3,
    "Permanent exclusion": 1,
    "Unofficial exclusion": 2,
    "Bullying": 6,
    "SEND Tribunal appeal": 3,
    "Disagreement resolution": 2,
    "Transport": 2,
    "Not in full-time education": 1,
    "Other": 1,
}
# Areas of need: the share of children with each area as their primary need.
NEED_AREAS = {
    "Communication and interaction": 40,
    "Social, emotional and mental health": 20,
    "Cognition and learning": 22,
    "Sensory and/or physical": 10,
    "Medical condition": 8,
}
# School years by phase: (share of cases, youngest and oldest age in whole years).
AGE_BANDS = [(8, 2, 3), (15, 4, 6), (27, 7, 10), (42, 11, 15), (8, 16, 19)]
SCHOOLS_BY_AGE = [
    # (up to age, [(school type, weight, school name pattern)])
    (3, [("Early years setting", 85, "{} Pre-School"), ("Not in education", 15, "")]),
    (
        10,
        [
            ("Mainstream primary", 62, "{} Primary School"),
            ("Academy or free school", 16, "{} Academy"),
            ("Special school", 12, "{} Special School"),
            ("Independent school", 3, "{} House School"),
            ("Not in education", 7, ""),
        ],
    ),
    (
        15,
        [
            ("Mainstream secondary", 46, "{} High School"),
            ("Academy or free school", 28, "{} Academy"),
            ("Special school", 14, "{} Special School"),
            ("Independent school", 4, "{} College School"),
            ("Not in education", 8, ""),
        ],
    ),
    (
        99,
        [
            ("Post-16 college", 62, "{} College"),
            ("Special school", 22, "{} Special School"),
            ("Not in education", 16, ""),
        ],
    ),
]
SEN_STATUSES = [
    (SenStatus.SEN, 70),
    (SenStatus.CONCERN, 18),
    (SenStatus.NON_SEN, 5),
    (SenStatus.NOT_KNOWN, 7),
]
PLACE_STARTS = ["Ash", "Brook", "Church", "Elm", "Hollin", "Kings", "Marsh", "Mill", "Oak"]
PLACE_STARTS += ["Red", "Stan", "Thorn", "Well", "Wood", "Hather", "Lang", "Cold", "Fern"]
PLACE_ENDS = ["field", "ley", "ton", "bury", "ham", "well", "wood", "gate", "by", "stead", "ford"]
INTAKE_METHODS = [
    (ContactMethod.PHONE_IN, 70),
    (ContactMethod.EMAIL_IN, 20),
    (ContactMethod.OFFICE, 10),
]
ETHNICITIES = [
    (Ethnicity.WHITE_BRITISH, 74),
    (Ethnicity.WHITE_IRISH, 1),
    (Ethnicity.WHITE_OTHER, 5),
    (Ethnicity.WHITE_GYPSY, 1),
    (Ethnicity.MIXED_WBC, 2),
    (Ethnicity.MIXED_WA, 1),
    (Ethnicity.MIXED_OTHER, 1),
    (Ethnicity.ASIAN_PAKISTANI, 2),
    (Ethnicity.ASIAN_INDIAN, 2),
    (Ethnicity.ASIAN_BANGLADESHI, 1),
    (Ethnicity.BLACK_AFRICAN, 2),
    (Ethnicity.BLACK_CARIBBEAN, 1),
    (Ethnicity.ASIAN_CHINESE, 1),
    (Ethnicity.OTHER, 1),
    (Ethnicity.NOT_STATED, 7),
]
LANGUAGES = [("English", 91), ("Polish", 3), ("Urdu", 2), ("Punjabi", 2), ("Lithuanian", 1)]
STAFF_METHODS = [
    (ContactMethod.PHONE_IN, 24),
    (ContactMethod.PHONE_OUT, 30),
    (ContactMethod.EMAIL_IN, 12),
    (ContactMethod.EMAIL_OUT, 14),
    (ContactMethod.LETTER, 4),
    (ContactMethod.TEXT, 3),
    (ContactMethod.OFFICE, 2),
    (ContactMethod.HOME_VISIT, 3),
    (ContactMethod.SCHOOL_MEETING, 6),
    (ContactMethod.MULTI_AGENCY, 1),
    (ContactMethod.TRIBUNAL, 1),
]
VOLUNTEER_METHODS = [
    (ContactMethod.PHONE_OUT, 35),
    (ContactMethod.HOME_VISIT, 25),
    (ContactMethod.SCHOOL_MEETING, 30),
    (ContactMethod.MULTI_AGENCY, 6),
    (ContactMethod.TRIBUNAL, 4),
]
MINUTES = {
    ContactMethod.PHONE_IN: [5, 10, 15, 15, 20, 30, 45],
    ContactMethod.PHONE_OUT: [5, 10, 10, 15, 20, 30],
    ContactMethod.EMAIL_IN: [5, 10, 15],
    ContactMethod.EMAIL_OUT: [10, 15, 20, 30],
    ContactMethod.LETTER: [15, 20, 30],
    ContactMethod.TEXT: [5],
    ContactMethod.OFFICE: [45, 60, 90],
    ContactMethod.HOME_VISIT: [60, 90, 120],
    ContactMethod.SCHOOL_MEETING: [60, 90, 120],
    ContactMethod.MULTI_AGENCY: [90, 120],
    ContactMethod.TRIBUNAL: [120],
}
INTAKE_NOTES = [
    "First call: parent worried about {child}'s progress at {school}. Explained what we "
    "offer and our confidentiality policy; consent recorded.",
    "Details taken. Parent would like help to ask {school} for more support for {child}.",
    "Parent rang after a difficult meeting at {school}; talked through the options.",
    "First contact by email; rang back to take details and explain impartiality.",
]
NOTES = [
    "Talked through the EHC needs assessment process and the six-week decision deadline.",
    "Parent worried about {child}'s move to secondary; agreed to go to the transition review.",
    "Explained the SEN support {school} should provide; sent the SEN support leaflet.",
    "Helped parent prepare questions for the meeting with the SENCo.",
    "Went through the draft plan section by section; parent to send comments to the LA.",
    "Parent reports {child} is bullied at lunchtimes; talked about raising it with the head.",
    "Rang {school} to arrange a meeting, with the parent's consent.",
    "Explained the right of appeal and the tribunal timescales; sent the appeal guide.",
    "Parent unhappy with the LA's decision; explained disagreement resolution and mediation.",
    "Follow-up call: parent feels more confident about the next steps.",
    "{child} sent home early twice this week; explained the rules on exclusion.",
    "Parent asked about school transport; gave the LA transport team's details.",
    "Annual review next week: went through what to ask for in the report.",
    "Email from parent with the school's reply; advised on the next step.",
    "Left a voicemail; will try again next week.",
    "Sent the information pack and the dates of the parents' forum.",
    "Parent says things have settled at {school}; will close if no further concerns.",
    "Checked with the LA SEN team that the request was received.",
]
VOLUNTEER_NOTES = [
    "Visited parent at home to go through the paperwork for the assessment request.",
    "Went with parent to the review at {school}; parent put the points across well.",
    "Helped parent write the parental views for {child}'s plan.",
    "Phoned parent after the meeting to go over the actions agreed.",
    "Met parent before the meeting at {school} to agree what to raise.",
]
FOLLOW_UPS = [
    "Send the information pack",
    "Ring the SENCo",
    "Check the LA has replied",
    "Post the meeting notes",
    "Call parent after the review",
    "Send the appeal guide",
    "Chase the draft plan",
]
TRIBUNAL_NOTES = [
    "Appeal against the refusal to assess.",
    "Appeal against sections B, F and I of the plan.",
    "Appeal against the named school.",
]
FEEDBACK = {
    FeedbackKind.COMPLIMENT: [
        (
            "Thank you for coming to the review with me; I felt listened to for once.",
            "Thanked the parent and passed the comments to the officer.",
            "",
        ),
        (
            "The information pack explained the assessment process really clearly.",
            "Thanked and acknowledged.",
            "",
        ),
        (
            "Our volunteer was calm and kind at a very stressful meeting.",
            "Thanked; passed on to the volunteer at supervision.",
            "",
        ),
        (
            "Quick call back and practical advice; the school is now putting support in.",
            "Thanked and acknowledged.",
            "",
        ),
        (
            "A SENCo thanked us for helping the family and school work together.",
            "Thanked and acknowledged.",
            "",
        ),
    ],
    FeedbackKind.COMPLAINT: [
        (
            "Waited over a week for a call back after leaving a message.",
            "Apologised; the message had been taken during a staff absence.",
            "Voicemail now checked twice a day and call-backs logged the same day.",
        ),
        (
            "Felt the officer sided with the school at the meeting.",
            "Met the parent, explained our impartiality and agreed a change of officer.",
            "Impartiality statement now read out at the start of every meeting.",
        ),
        (
            "The leaflet on exclusions was out of date.",
            "Apologised and sent the current guidance.",
            "All leaflets reviewed each September against current guidance.",
        ),
    ],
    FeedbackKind.SUGGESTION: [
        (
            "Could the leaflets be available in Polish?",
            "Agreed; translations arranged through the LA.",
            "Key leaflets now available in Polish and Urdu.",
        ),
        (
            "Evening drop-in sessions for working parents, please.",
            "Piloting one evening session a month at the library.",
            "Monthly evening drop-in started.",
        ),
        (
            "A checklist of what to bring to an annual review would help.",
            "Thanked; a checklist is being written with the parents' forum.",
            "Annual review checklist added to the website.",
        ),
    ],
}
ENQUIRY_SUMMARIES = [
    "Asked for the SEN support leaflet.",
    "Wanted the number for the LA SEN team.",
    "Asked how to request an EHC needs assessment.",
    "Question about the annual review timetable.",
    "Asked about the parents' forum dates.",
    "Professional asking for leaflets for their waiting room.",
    "Asked about school transport eligibility.",
    "Wanted to know whether we can attend a school meeting.",
    "Asked about exclusion rules after a phone call from school.",
    "Request for information about tribunal appeals.",
]
ENQUIRY_DELAYS = [(0, 46), (1, 33), (2, 13), (3, 5), (5, 3)]  # working days to respond


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _by_name(items, weights):
    """The code list's values with the weights named here (a value added later gets 1)."""
    return [(item, weights.get(item.name, 1)) for item in items]


@dataclass(eq=False)  # plans are compared by identity
class Plan:
    """One case's life, worked out in Python before anything is written.

    `events` are (kind, day, closure reason, outcome) in the order they happened;
    `contacts` are dicts of Contact fields with "day" for the date; `intake` marks the
    contact that took the details.
    """

    case: Case
    events: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    allocations: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    from_enquiry: bool = False
    quiet: bool = False  # kept quiet for "My work": due for closure

    @property
    def open_now(self) -> bool:
        return self.events[-1][0] != CaseEventKind.CLOSED

    def periods(self):
        """Each open period as (first day, last day or None while still open)."""
        spans, start = [], None
        for kind, day, _, _ in self.events:
            if kind == CaseEventKind.CLOSED:
                spans.append((start, day))
            else:
                start = day
        if self.open_now:
            spans.append((start, None))
        return spans


@dataclass
class Demo:
    service: Service
    users: dict
    counts: dict


def demo_exists() -> bool:
    with scopes_disabled():
        return Service.objects.filter(name=SERVICE_NAME).exists()


def generate(
    *,
    today: dt.date | None = None,
    years: int = 3,
    cases_per_year: int = 300,
    contacts_per_case: int = 13,
    enquiries_per_year: int = 1700,
    seed: int = 2026,
) -> Demo:
    """Create the demo service and its records up to `today` (default: today).

    The records start on the first day of the academic year `years` before the current
    one, so 3 gives three whole academic years and the current one so far. The other
    numbers are yearly rates: about `cases_per_year` new cases with `contacts_per_case`
    contacts each on average, and `enquiries_per_year` enquiries besides those that
    became cases.
    """
    today = today or timezone.localdate()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    generator = _Generator(
        today=today,
        years=years,
        cases_per_year=cases_per_year,
        contacts_per_case=contacts_per_case,
        enquiries_per_year=enquiries_per_year,
        rng=rng,
        fake=fake,
    )
    with scopes_disabled(), transaction.atomic():
        return generator.run()


class _Generator:
    def __init__(
        self, *, today, years, cases_per_year, contacts_per_case, enquiries_per_year, rng, fake
    ):
        self.today, self.rng, self.fake = today, rng, fake
        self.cases_per_year, self.contacts_per_case = cases_per_year, contacts_per_case
        self.enquiries_per_year = enquiries_per_year
        self.years = years
        # Records are not dated after the moment of loading when `today` is today.
        if today == timezone.localdate():
            self.now = timezone.now()
        else:
            self.now = timezone.make_aware(dt.datetime.combine(today, dt.time(18)))
        self.counts = {}
        # The demo officer's open cases that may be left with an evaluation due, and those left.
        self.evaluations_due = set()
        self.allocations = []

    def run(self) -> Demo:
        self.service = create_service(
            name=SERVICE_NAME, local_authority=LOCAL_AUTHORITY, localities=LOCALITIES
        )
        month = self.service.academic_year_start_month
        year = self.today.year if self.today.month >= month else self.today.year - 1
        self.start = dt.date(year - self.years, month, 1)
        self.localities = list(Locality.objects.filter(service=self.service))
        self.routes = _by_name(ReferralRoute.objects.filter(service=self.service), REFERRAL_ROUTES)
        # Cases are drawn from today's vocabulary; the retired values stay unused.
        reasons = list(ContactReason.objects.filter(service=self.service, active=True))
        self.reason_named = {reason.name: reason for reason in reasons}
        self.reasons = _by_name(reasons, REASONS)
        self.school_types = {s.name: s for s in SchoolType.objects.filter(service=self.service)}
        needs = list(NeedArea.objects.filter(service=self.service))
        self.need_areas = [n for n in needs if n.area_id is None]
        self.subtypes = {a.pk: [n for n in needs if n.area_id == a.pk] for a in self.need_areas}
        self._staff()
        self._volunteers()
        plans = self._cases()
        self._allocate(plans)
        self._ensure_my_work(plans)
        self._ensure_volunteer_work(plans)
        self._write_people(plans)
        self._write_cases(plans)
        self._enquiries(plans)
        self._feedback()
        self.counts |= generate_letters(service=self.service)
        self._appointments(plans)
        staff = [user for user in self.users.values() if user.role in STAFF]
        self.counts |= generate_evaluations(
            service=self.service,
            staff=staff,
            start=self.start,
            today=self.today,
            rng=self.rng,
            fake=self.fake,
        )
        self.counts |= generate_quality(
            service=self.service,
            coordinator=self.users["coordinator"],
            today=self.today,
            fake=self.fake,
        )
        self.counts |= generate_network(
            demo_service=self.service,
            today=self.today,
            rng=self.rng,
            fake=self.fake,
        )
        self.counts |= generate_publications(
            service=self.service,
            coordinator=self.users["coordinator"],
            start=self.start,
            today=self.today,
            rng=self.rng,
        )
        self.counts |= generate_access_requests(
            service=self.service, coordinator=self.users["coordinator"], today=self.today
        )
        retention = generate_retention(
            service=self.service,
            coordinator=self.users["coordinator"],
            officer=self.users["officer"],
            today=self.today,
            fake=self.fake,
        )
        # Their cases, closed years before the demo's own, are cases of the service too.
        self.counts["cases"] += retention["families for retention"]
        self.counts["contacts"] += retention["families for retention"]
        self.counts |= retention
        self.counts["users"] = User.objects.filter(service=self.service).count()
        return Demo(service=self.service, users=self.users, counts=self.counts)

    # Moments and history ----------------------------------------------------------------

    def _at(self, day: dt.date, first_hour=8, last_hour=17) -> dt.datetime:
        """A time in office hours on `day`, never after the moment of loading."""
        moment = dt.time(self.rng.randint(first_hour, last_hour), self.rng.randrange(0, 60, 5))
        at = timezone.make_aware(dt.datetime.combine(day, moment))
        if at > self.now:
            midnight = timezone.make_aware(dt.datetime.combine(day, dt.time(0)))
            at = max(midnight, self.now - dt.timedelta(minutes=self.rng.randint(1, 40)))
        return at

    def _insert_with_history(self, model, steps, batch_size=1000):
        """Insert the records of `steps` and write their history.

        `steps` is a list of (record, [(moment, user, "+" or "~", field values then)]): the
        first step creates the record, each later one is a save an action would have made,
        with the values that save changed. A versioned record's version counts the saves.
        Returns the historical rows, in the order of `steps`.
        """
        for record, changes in steps:
            if hasattr(record, "version"):
                record.version = len(changes)
        records = [record for record, _ in steps]
        model._default_manager.bulk_create(records, batch_size=batch_size)
        history = model.history.model
        tracked = [f.attname for f in history.tracked_fields]
        rows = []
        for record, changes in steps:
            values = {name: getattr(record, name) for name in tracked}
            state, previous = {}, None
            for n, (moment, user, kind, changed) in enumerate(changes, start=1):
                # Saves on one day keep their order: each after the one before.
                if previous is not None and moment <= previous:
                    moment = previous + dt.timedelta(minutes=self.rng.randint(1, 20))
                previous = moment
                state.update(changed)
                if "version" in values:
                    state["version"] = n
                rows.append(
                    history(
                        history_date=moment,
                        history_user_id=user.pk if user else None,
                        history_type=kind,
                        **{**values, **state},
                    )
                )
        history.objects.bulk_create(rows, batch_size=batch_size)
        return rows

    def _m2m_history(self, model, field_name, rows, through_rows):
        """Copy each record's many-to-many rows into every history row of it."""
        through = getattr(model, field_name).through
        owner = next(
            f.attname for f in through._meta.fields if f.related_model is model and f.is_relation
        )
        by_owner = {}
        for row in through_rows:
            by_owner.setdefault(getattr(row, owner), []).append(row)
        m2m_history = getattr(model.history.model, field_name).model
        names = [f.attname for f in through._meta.fields]
        copies = [
            m2m_history(history_id=row.history_id, **{n: getattr(link, n) for n in names})
            for row in rows
            for link in by_owner.get(row.id, [])
        ]
        m2m_history.objects.bulk_create(copies, batch_size=1000)

    # Staff ------------------------------------------------------------------------------

    def _staff(self):
        # One hash for every demo account: they share the published demo password.
        password = make_password(DEMO_PASSWORD)
        unusable = make_password(None)
        demo_roles = dict(DEMO_ACCOUNTS)
        self.users, self.officer_weights, links = {}, [], []
        through = User.localities.through
        for username, role, fte, covered, share in DEMO_STAFF:
            assert demo_roles.get(username, role) == role, username
            user = self._user(username, role, password if username in demo_roles else unusable)
            user.fte = fte
            user.save(update_fields=["fte"])
            links += [through(user=user, locality=self.localities[i]) for i in covered]
            if share:
                self.officer_weights.append((user, share, {self.localities[i].pk for i in covered}))
        for username, role in DEMO_ACCOUNTS:
            if username not in self.users:  # a demo account added without staff details
                self._user(username, role, password)
        through.objects.bulk_create(links)
        self.caseworkers = [user for user, _, _ in self.officer_weights]

    def _user(self, username, role, password):
        user = User(
            username=username,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            email=f"{username}@demoshire.invalid",
            # Network analysts compare services and belong to none.
            service=None if role == Role.NETWORK_ANALYST else self.service,
            role=role,
            password=password,
        )
        user.save()
        self.users[username] = user
        return user

    def _officer_for(self, locality) -> User:
        """Mostly a caseworker who covers the locality; sometimes whoever has room."""
        candidates = [
            (user, share)
            for user, share, covered in self.officer_weights
            if locality.pk in covered or self.rng.random() < 0.1
        ]
        return _weighted(self.rng, candidates or [(u, s) for u, s, _ in self.officer_weights])

    # Volunteers and their register ------------------------------------------------------

    def _volunteers(self):
        """Eight IPS at every stage of the pipeline and two other volunteers.

        Three IPS sign in (the demo "volunteer" account and two more with unusable
        passwords) and log contacts on their cases; the others are recorded by staff.
        """
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
                languages=["", "Polish", "", "Urdu", "", "BSL", "", ""][n],
            )
            for n, status in enumerate(statuses)
        ] + [
            Volunteer(
                service=self.service,
                first_name=self.fake.first_name(),
                last_name=self.fake.last_name(),
                email=self.fake.email(),
                role=VolunteerRole.OTHER,
                status=VolunteerStatus.ACTIVE,
            )
            for _ in range(2)
        ]
        unusable = make_password(None)
        volunteers[0].user = self.users["volunteer"]
        volunteers[1].user = self._user("ips2", Role.VOLUNTEER, unusable)
        volunteers[2].user = self._user("ips3", Role.VOLUNTEER, unusable)
        # A volunteer's account is theirs: the register entry it signs in as carries the
        # account's name and email (the header names the account, the register the entry).
        for volunteer in volunteers[:3]:
            volunteer.first_name = volunteer.user.first_name
            volunteer.last_name = volunteer.user.last_name
            volunteer.email = volunteer.user.email
        histories = [self._pipeline(volunteer, n) for n, volunteer in enumerate(volunteers)]
        for volunteer, moves in zip(volunteers, histories, strict=True):
            volunteer._history_date = self._at(moves[0][1])
            volunteer._history_user = self.users["coordinator"]
        volunteers = bulk_create_with_history(volunteers, Volunteer)
        self._register_records(volunteers, histories)
        self._register_activity(volunteers, histories)
        # Each covers two neighbouring localities; written once allocations are known,
        # as a volunteer may be asked to cover one more for a family.
        self.covers = {
            v.pk: {self.localities[(n + k) % len(self.localities)].pk for k in (0, 2)}
            for n, v in enumerate(volunteers)
        }
        self.volunteers = volunteers
        self.demo_volunteer = volunteers[0]
        self.volunteer_users = {v.pk: v.user for v in volunteers if v.user_id}
        # When each IPS was active: from their move to active until their next move.
        self.active_spans = {}
        for volunteer, moves in zip(volunteers, histories, strict=True):
            if volunteer.role != VolunteerRole.IPS:
                continue
            for i, (status, on) in enumerate(moves):
                if status == VolunteerStatus.ACTIVE:
                    until = moves[i + 1][1] if i + 1 < len(moves) else None
                    self.active_spans[volunteer.pk] = (on, until)

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
                    monthly = MonthlyReturn(
                        service=self.service,
                        volunteer=volunteer,
                        month=month,
                        phone_hours=Decimal(self.rng.randint(0, 12)) / 2,
                        meeting_hours=Decimal(self.rng.randint(0, 8)) / 2,
                        paperwork_hours=Decimal(self.rng.randint(0, 6)) / 2,
                        tribunal_hours=Decimal(self.rng.choice([0, 0, 0, 2, 4])),
                        submitted_by=volunteer.user or self.users["coordinator"],
                    )
                    # Sent in the first days of the next month.
                    sent = (month + dt.timedelta(days=32)).replace(day=1)
                    monthly._history_date = self._at(sent + dt.timedelta(self.rng.randint(0, 6)))
                    monthly._history_user = monthly.submitted_by
                    returns.append(monthly)
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
                    if on.month in (3, 6, 11) and on + days(7) <= self.today:
                        # CPD once a term, besides supervision.
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
                        )
                on += days(self.rng.randint(38, 48))
        for session in sessions:
            session._history_date = self._at(session.on)
            session._history_user = coordinator
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
                venue="Fenmarsh Community Centre",
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

    # Families ---------------------------------------------------------------------------

    def _parent(self, received_on):
        rng = self.rng
        language = _weighted(rng, LANGUAGES)
        formats = []
        if rng.random() < 0.04:
            formats = [rng.choice([AccessibleFormat.LARGE_PRINT, AccessibleFormat.EASY_READ])]
        email = self.fake.email() if rng.random() < 0.75 else ""
        return Parent(
            service=self.service,
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            email=email,
            phone=self.fake.phone_number(),
            preferred_contact=_weighted(
                rng,
                [
                    (ContactPreference.PHONE, 55),
                    (ContactPreference.EMAIL, 30 if email else 0),
                    (ContactPreference.TEXT, 10),
                    (ContactPreference.LETTER, 5),
                ],
            ),
            address=self.fake.street_address(),
            postcode=self.fake.postcode(),
            locality=rng.choice(self.localities),
            ethnicity=_weighted(rng, ETHNICITIES),
            first_language=language,
            interpreter_needed=language != "English" and rng.random() < 0.5,
            accessible_formats=formats,
            consent_recorded_on=received_on if rng.random() < 0.93 else None,
            consent_details=rng.choice(
                [
                    "May share with the school and the LA SEN team.",
                    "May share with the school only.",
                    "May share with the school, the LA and health professionals.",
                ]
            ),
            confidentiality_explained_on=received_on if rng.random() < 0.96 else None,
            mailing_list=rng.random() < 0.3,
            willing_to_be_consulted=rng.random() < 0.1,
        )

    def _child(self, last_name, opened_on):
        rng = self.rng
        _, youngest, oldest = _weighted(rng, [(band, band[0]) for band in AGE_BANDS])
        age_days = rng.randint(youngest * 365, (oldest + 1) * 365 - 1)
        known_birth = rng.random() < 0.96
        age = age_days // 365
        schools = next(options for up_to, options in SCHOOLS_BY_AGE if age <= up_to)
        type_name, _, pattern = _weighted(rng, [(option, option[1]) for option in schools])
        status = _weighted(rng, SEN_STATUSES)
        stage = SenStage.NONE
        if status == SenStatus.SEN:
            stage = _weighted(
                rng,
                [
                    (SenStage.SEN_SUPPORT, 40),
                    (SenStage.EHC_ASSESSMENT, 20),
                    (SenStage.EHC_PLAN, 40),
                ],
            )
        primary, secondary = None, []
        if rng.random() < 0.88:
            area = _weighted(rng, _by_name(self.need_areas, NEED_AREAS))
            subtypes = self.subtypes[area.pk]
            # Historic sub-types (BESD) are rarely recorded for children now.
            subtypes = [n for n in subtypes if "historic" not in n.name or rng.random() < 0.1]
            primary = rng.choice(subtypes) if subtypes and rng.random() < 0.6 else area
            if rng.random() < 0.3:
                others = [a for a in self.need_areas if a.pk not in (area.pk, primary.area_id)]
                secondary = [rng.choice(others)]
        child = Child(
            service=self.service,
            first_name=self.fake.first_name(),
            last_name=last_name,
            date_of_birth=opened_on - dt.timedelta(days=age_days) if known_birth else None,
            gender=_weighted(
                rng,
                [(Gender.MALE, 63), (Gender.FEMALE, 33), (Gender.OTHER, 1), (Gender.NOT_KNOWN, 3)],
            ),
            school_name=pattern.format(self._place()) if pattern else "",
            school_type=self.school_types.get(type_name),
            sen_status=status,
            sen_stage=stage,
            primary_need=primary,
            not_in_full_time_education=type_name == "Not in education" or rng.random() < 0.03,
        )
        child.demo_secondary_needs = secondary
        return child

    def _place(self) -> str:
        # Made-up English-sounding place names: Faker's en_GB towns read as parodies.
        return self.rng.choice(PLACE_STARTS) + self.rng.choice(PLACE_ENDS)

    # Cases ------------------------------------------------------------------------------

    def _opening_days(self):
        """Working days, fewer in August when schools are closed; sorted."""
        days = (self.today - self.start).days + 1
        count = round(self.cases_per_year * days / 365)
        opened = []
        while len(opened) < count:
            day = self.start + dt.timedelta(days=self.rng.randrange(days))
            if not is_working_day(day) or (day.month == 8 and self.rng.random() < 0.6):
                continue
            opened.append(day)
        return sorted(opened)

    def _cases(self):
        plans = []
        for opened_on in self._opening_days():
            # A third of cases began as an enquiry a few working days before.
            from_enquiry = self.rng.random() < 0.3
            received_on = opened_on
            if from_enquiry:
                back = _weighted(self.rng, [(0, 30), (1, 25), (2, 20), (3, 10), (5, 10), (8, 5)])
                while back and received_on > self.start:
                    received_on -= dt.timedelta(days=1)
                    back -= is_working_day(received_on)
            roll = self.rng.random()
            recent = [p for p in plans[-60:] if p.case.opened_on < opened_on]
            if roll < 0.07 and recent:
                # A family with another child: the same parent, a second case.
                parent = self.rng.choice(recent).case.parent
                child = self._child(parent.last_name, opened_on)
            elif roll < 0.09 and recent:
                # Parents who live apart, each served about the same child.
                earlier = self.rng.choice(recent)
                child = earlier.case.child
                parent = self._parent(received_on)
                if self.rng.random() < 0.5:
                    parent.last_name = child.last_name
            else:
                parent = self._parent(received_on)
                child = self._child(parent.last_name, opened_on)
            plan = Plan(case=self._case(parent, child, received_on, opened_on))
            plan.from_enquiry = from_enquiry
            self._lifecycle(plan)
            self._flags(plan)
            plans.append(plan)
        return plans

    def _case(self, parent, child, received_on, opened_on):
        return Case(
            service=self.service,
            parent=parent,
            child=child,
            officer=self._officer_for(parent.locality),
            locality=parent.locality,
            received_on=received_on,
            opened_on=opened_on,
            referral_route=_weighted(self.rng, self.routes),
            primary_reason=_weighted(self.rng, self.reasons),
        )

    def _flags(self, plan):
        """Bullying, exclusions, tribunal and disagreement resolution, in line with the
        primary reason, at the rates services report; secondary reasons to match."""
        rng, case = self.rng, plan.case
        reason = case.primary_reason.name
        named = self.reason_named
        case.bullying = (
            Mention.MAIN
            if reason == "Bullying"
            else _weighted(rng, [(Mention.NONE, 88), (Mention.MAIN, 2), (Mention.MENTIONED, 10)])
        )
        case.unofficial_exclusion = (
            Mention.MAIN
            if reason == "Unofficial exclusion"
            else _weighted(rng, [(Mention.NONE, 96), (Mention.MAIN, 1), (Mention.MENTIONED, 3)])
        )
        if reason == "Fixed-term exclusion":
            case.official_exclusion = OfficialExclusion.FIXED_TERM
        elif reason == "Permanent exclusion":
            case.official_exclusion = OfficialExclusion.PERMANENT
        else:
            case.official_exclusion = _weighted(
                rng,
                [
                    (OfficialExclusion.NONE, 97),
                    (OfficialExclusion.FIXED_TERM, 2.5),
                    (OfficialExclusion.PERMANENT, 0.3),
                ],
            )
        secondary = []
        if case.bullying == Mention.MENTIONED and "Bullying" in named:
            secondary.append(named["Bullying"])
        if case.unofficial_exclusion == Mention.MENTIONED and "Unofficial exclusion" in named:
            secondary.append(named["Unofficial exclusion"])
        for _ in range(_weighted(rng, [(0, 40), (1, 40), (2, 20)])):
            other = _weighted(rng, self.reasons)
            if other != case.primary_reason and other not in secondary:
                secondary.append(other)
        plan.reasons = secondary

        # Appeals and referrals are dated while the case is open, and not in the future.
        start, end = plan.periods()[0]
        end = min(end or self.today, self.today)

        def during_case(earliest, latest):
            first, last = start + dt.timedelta(days=earliest), start + dt.timedelta(days=latest)
            return first + dt.timedelta(days=rng.randint(0, (last - first).days))

        tribunal = reason == "SEND Tribunal appeal" or rng.random() < 0.03
        if tribunal and (end - start).days >= 20:
            case.tribunal_appeal_on = min(during_case(14, 120), end)
            case.tribunal_active_involvement = rng.random() < 0.75
            case.tribunal_notes = rng.choice(TRIBUNAL_NOTES)
        resolution = reason == "Disagreement resolution" or rng.random() < 0.04
        if resolution and (end - start).days >= 14:
            case.disagreement_resolution_on = min(during_case(7, 90), end)
            case.disagreement_resolution_active_involvement = rng.random() < 0.8

    def _span(self) -> int:
        """How long a case stays busy: a few weeks for most, a year for the hardest."""
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.randint(3, 40)
        if roll < 0.85:
            return self.rng.randint(40, 150)
        return self.rng.randint(150, 380)

    def _episode(self, plan, first: dt.date, span: int, count: int) -> dt.date:
        """Contacts of one open period: the details taken on `first`, then `count` more
        over `span` days, mostly on working days. Returns the last planned day; contacts
        planned after today are not made."""
        days = [first]
        for _ in range(count):
            # Office days, but for an email now and then at the weekend.
            for _ in range(10):
                day = first + dt.timedelta(days=self.rng.randint(0, span))
                if is_working_day(day) or self.rng.random() < 0.1:
                    break
            days.append(day)
        days.sort()
        for n, day in enumerate(days):
            if day > self.today:
                break
            if n == 0:
                method = _weighted(self.rng, INTAKE_METHODS)
                note = self._note(INTAKE_NOTES, plan.case)
                minutes = self.rng.choice([20, 30, 30, 45, 60])
            else:
                method = _weighted(self.rng, STAFF_METHODS)
                note = self._note(NOTES, plan.case)
                minutes = self.rng.choice(MINUTES[method])
            contact = dict(
                day=day,
                method=method,
                minutes=minutes,
                note=note,
                follow_up="",
                due=None,
                done=None,
                intake=n == 0,
            )
            if self.rng.random() < 0.15:
                self._follow_up(contact, due=day + dt.timedelta(days=self.rng.randint(1, 14)))
            plan.contacts.append(contact)
        return days[-1]

    def _follow_up(self, contact, due):
        """A follow-up done by its due date, unless that date is still close."""
        contact["follow_up"] = self.rng.choice(FOLLOW_UPS)
        contact["due"] = due
        contact["done"] = None
        if due < self.today - dt.timedelta(days=2):
            contact["done"] = max(contact["day"], due - dt.timedelta(days=self.rng.randint(0, 3)))

    def _contact_count(self, span: int) -> int:
        # Busier cases last longer: contacts grow with the span, about one a fortnight.
        mean = (self.contacts_per_case - 1) * span / 90
        return max(0, min(60, round(mean * self.rng.uniform(0.4, 1.6))))

    def _closing(self, last: dt.date, reasons=CLOSINGS):
        """When and why the case closes after its last contact: 3 months on for "no
        contact", else within a few weeks."""
        reason, outcome = _weighted(self.rng, [((r, o), w) for r, o, w in reasons])
        if reason == ClosureReason.NO_CONTACT:
            day = closure_due_on(last) + dt.timedelta(days=self.rng.randint(0, 25))
        else:
            day = last + dt.timedelta(days=self.rng.randint(0, 21))
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day, reason, outcome

    def _lifecycle(self, plan):
        """Opened, contacts, closed (unless the closing is still to come), and now and
        then re-opened when the parent comes back, and closed again."""
        rng, opened = self.rng, plan.case.opened_on
        plan.events.append((CaseEventKind.OPENED, opened, "", ""))
        span = self._span()
        last = self._episode(plan, opened, span, self._contact_count(span))
        closed_on, reason, outcome = self._closing(last)
        if closed_on > self.today:
            return
        plan.events.append((CaseEventKind.CLOSED, closed_on, reason, outcome))
        if rng.random() < 0.075:
            reopened = closed_on + dt.timedelta(days=rng.randint(20, 300))
            while not is_working_day(reopened):
                reopened += dt.timedelta(days=1)
            if reopened > self.today:
                return
            plan.events.append((CaseEventKind.REOPENED, reopened, "", ""))
            span = rng.randint(7, 90)
            last = self._episode(plan, reopened, span, rng.randint(1, 6))
            closed_again, reason, outcome = self._closing(last, CLOSINGS[:4])
            if closed_again <= self.today:
                plan.events.append((CaseEventKind.CLOSED, closed_again, reason, outcome))

    # Volunteers on cases ----------------------------------------------------------------

    def _may_support(self, volunteer, plan, start, end) -> bool:
        """allocate_volunteer's rule, on the day: active IPS then and until `end`, covers
        the locality, speaks the parent's language when an interpreter is needed."""
        span = self.active_spans.get(volunteer.pk)
        if span is None or start < span[0]:
            return False
        if span[1] is not None and (end is None or end > span[1]):
            return False
        case = plan.case
        if case.locality is not None and case.locality.pk not in self.covers[volunteer.pk]:
            return False
        parent = case.parent
        speaks = parent.first_language.lower() in volunteer.languages.lower()
        return speaks or not parent.interpreter_needed

    def _allocate(self, plans):
        """About one case in seven has an IPS: from a week or three after opening until the
        case closes, or sooner when the support ends. The demo volunteer's current
        allocations are chosen by _ensure_volunteer_work."""
        for plan in plans:
            reason = plan.case.primary_reason.name
            wanted = 0.3 if reason in ("SEND Tribunal appeal", "Disagreement resolution") else 0.13
            if self.rng.random() >= wanted:
                continue
            first, closed = plan.periods()[0]
            start = first + dt.timedelta(days=self.rng.randint(7, 21))
            if start > self.today or (closed is not None and start >= closed):
                continue
            end = closed
            if self.rng.random() < 0.2:
                earlier = start + dt.timedelta(days=self.rng.randint(21, 90))
                if earlier <= self.today and (closed is None or earlier < closed):
                    end = earlier
            able = [
                v
                for v in self.volunteers
                if self._may_support(v, plan, start, end)
                and not (v is self.demo_volunteer and end is None)
            ]
            if able:
                # The coordinator spreads the work: the least busy volunteer that day.
                load = {v.pk: self._allocated_on(v, start) for v in able}
                fewest = min(load.values())
                chosen = self.rng.choice([v for v in able if load[v.pk] == fewest])
                self._add_allocation(plan, chosen, start, end)

    def _allocated_on(self, volunteer, day) -> int:
        return sum(
            1
            for allocation in self.allocations
            if allocation.volunteer is volunteer
            and allocation.started_on <= day
            and (allocation.ended_on is None or day < allocation.ended_on)
        )

    def _add_allocation(self, plan, volunteer, start, end):
        allocation = Allocation(
            service=self.service,
            case=plan.case,
            volunteer=volunteer,
            started_on=start,
            ended_on=end,
            allocated_by=plan.case.officer,
        )
        plan.allocations.append(allocation)
        self.allocations.append(allocation)

    def _ensure_volunteer_work(self, plans):
        """The demo volunteer supports three open cases now, with contacts of their own,
        and has supported at least one case that has closed."""
        volunteer, user = self.demo_volunteer, self.users["volunteer"]
        ended = any(a.volunteer is volunteer for p in plans for a in p.allocations)
        if not ended:
            for plan in reversed([p for p in plans if not p.open_now and not p.allocations]):
                first, closed = plan.periods()[0]
                start = first + dt.timedelta(days=min(7, (closed - first).days))
                if start < closed and self._may_support(volunteer, plan, start, closed):
                    self._add_allocation(plan, volunteer, start, closed)
                    break
        week_ago = self.today - dt.timedelta(days=7)
        candidates = [
            p
            for p in plans
            if p.open_now
            and not p.allocations
            and not p.quiet
            and id(p) not in self.evaluations_due
            and p.periods()[-1][0] < week_ago - dt.timedelta(days=14)
        ]
        chosen = []
        for plan in reversed(candidates):
            if len(chosen) == 3:
                break
            if not self._may_support(volunteer, plan, week_ago, None):
                if plan.case.parent.interpreter_needed or plan.case.locality is None:
                    continue
                # Asked to cover one more area for this family, as coordinators do.
                if len(self.covers[volunteer.pk]) >= 3:
                    continue
                self.covers[volunteer.pk].add(plan.case.locality.pk)
            chosen.append(plan)
        for plan in chosen:
            opened = plan.periods()[-1][0]
            start = opened + dt.timedelta(days=self.rng.randint(5, 12))
            self._add_allocation(plan, volunteer, start, None)
            # The volunteer's own contacts: one a while ago, one in the last fortnight.
            for lo, hi in (((start - self.today).days, -15), (-14, -1)):
                day = self.today + dt.timedelta(days=self.rng.randint(min(lo, hi), hi))
                if day < start:
                    continue
                method = _weighted(self.rng, VOLUNTEER_METHODS)
                plan.contacts.append(
                    dict(
                        day=day,
                        method=method,
                        minutes=self.rng.choice(MINUTES[method]),
                        note=self._note(VOLUNTEER_NOTES, plan.case),
                        follow_up="",
                        due=None,
                        done=None,
                        by=user,
                        volunteer=volunteer,
                    )
                )

    # "My work" --------------------------------------------------------------------------

    def _ensure_my_work(self, plans):
        """Give the demo officer's open cases something in every section of "My work":
        cases due for closure, evaluations due, recent contacts with follow-ups due."""
        officer = self.users["officer"]
        open_plans = [p for p in plans if p.open_now]
        mine = [p for p in open_plans if p.case.officer == officer]
        # A small demo may leave the officer few cases: take over some from colleagues.
        for plan in reversed(open_plans):
            if len(mine) >= 8:
                break
            if plan not in mine:
                plan.case.officer = officer
                mine.append(plan)
        # Due for closure: quiet for more than three months (a few, not a backlog), taken
        # over from a colleague if the officer has none old enough.
        cutoff = closure_cutoff(self.today) - dt.timedelta(days=3)
        quiet = [p for p in mine if self._last_activity(p) <= cutoff]
        never_closed = [p for p in mine + open_plans if len(p.events) == 1]
        for plan in never_closed:
            if len(quiet) >= 3:
                break
            if plan not in quiet and plan.case.opened_on <= cutoff:
                plan.contacts = [c for c in plan.contacts if c["day"] <= cutoff]
                plan.case.officer = officer
                quiet.append(plan)
                if plan not in mine:
                    mine.append(plan)
        for plan in quiet:
            plan.quiet = True
        # Recent work, with follow-ups due this week (two overdue, the rest to come).
        busy = [p for p in mine if p not in quiet and p.periods()[-1][0] <= self.today]
        for n, plan in enumerate(busy[-5:]):
            opened = plan.periods()[-1][0]
            day = self.today - dt.timedelta(days=(1, 2, 4, 6, 8)[n])
            while not is_working_day(day) and day > opened:
                day -= dt.timedelta(days=1)
            day = max(day, opened)
            contact = dict(
                day=day,
                method=ContactMethod.PHONE_OUT,
                minutes=self.rng.choice([10, 15, 20, 30]),
                note=self._note(NOTES, plan.case),
                follow_up=self.rng.choice(FOLLOW_UPS),
                due=self.today + dt.timedelta(days=(-2, -1, 1, 3, 6)[n]),
                done=None,
                by=officer,
            )
            contact["due"] = max(contact["due"], day)
            plan.contacts.append(contact)
        # Evaluations due: a few cases quiet for a month or more and no evaluation sent yet.
        # The rest of the service's are sent a month or so after the last contact, so
        # that the list stays short (see _evaluation_sent).
        cutoff = evaluation_cutoff(self.today)
        last_contact = {id(p): max((c["day"] for c in p.contacts), default=None) for p in plans}
        waiting = [
            p
            for p in plans
            if p.case.officer == officer
            and not p.quiet
            and p not in busy[-5:]
            and last_contact[id(p)]
            and last_contact[id(p)] <= cutoff
        ]
        # Open cases first, then the latest.
        waiting.sort(key=lambda p: (not p.open_now, -last_contact[id(p)].toordinal()))
        self.evaluations_due = {id(p) for p in waiting[:3]}

    def _appointments(self, plans):
        """A week of the demo officer's diary on their open cases (My work's appointments),
        one of them cancelled. Drawn without the random generator, so that everything made
        after it is as before."""
        officer = self.users["officer"]
        cases = [p.case for p in plans if p.open_now and p.case.officer == officer][:5]
        diary = [
            (0, dt.time(9, 30), 60, ContactMethod.OFFICE, "Our office, meeting room 2"),
            (0, dt.time(14, 0), 90, ContactMethod.SCHOOL_MEETING, "The child's school"),
            (1, dt.time(11, 0), 30, ContactMethod.PHONE_OUT, ""),
            (3, dt.time(10, 0), 60, ContactMethod.HOME_VISIT, "The family's home"),
            (9, dt.time(13, 30), 120, ContactMethod.MULTI_AGENCY, "County Hall, room 4"),
        ]
        made = []
        for case, (days, time, minutes, kind, place) in zip(cases, diary, strict=False):
            made.append(
                book_appointment(
                    case=case,
                    officer=officer,
                    starts_at=timezone.make_aware(
                        dt.datetime.combine(self.today + dt.timedelta(days=days), time)
                    ),
                    minutes=minutes,
                    kind=kind,
                    place=place,
                )
            )
        if made:
            cancel_appointment(appointment=made[-1])
        self.counts["appointments"] = len(made)

    def _note(self, notes, case) -> str:
        child = case.child
        return self.rng.choice(notes).format(
            child=child.first_name, school=child.school_name or "school"
        )

    @staticmethod
    def _last_activity(plan) -> dt.date:
        openings = [day for kind, day, _, _ in plan.events if kind != CaseEventKind.CLOSED]
        return max([c["day"] for c in plan.contacts] + openings)

    # Writing ----------------------------------------------------------------------------

    def _write_people(self, plans):
        cases = [p.case for p in plans]
        parents = list({id(c.parent): c.parent for c in cases}.values())
        children = list({id(c.child): c.child for c in cases}.values())
        first_case = {}
        for case in cases:
            first_case.setdefault(id(case.parent), case)
            first_case.setdefault(id(case.child), case)

        def created(record):
            case = first_case[id(record)]
            return [(self._at(case.received_on), case.officer, "+", {})]

        self._insert_with_history(Parent, [(p, created(p)) for p in parents])
        child_rows = self._insert_with_history(Child, [(c, created(c)) for c in children])
        through = Child.secondary_needs.through
        links = [
            through(child_id=child.pk, needarea_id=need.pk)
            for child in children
            for need in child.demo_secondary_needs
        ]
        through.objects.bulk_create(links, batch_size=1000)
        self._m2m_history(Child, "secondary_needs", child_rows, links)
        vthrough = Volunteer.localities.through
        vthrough.objects.bulk_create(
            vthrough(volunteer_id=pk, locality_id=locality)
            for pk, localities in self.covers.items()
            for locality in sorted(localities)
        )

    def _write_cases(self, plans):
        numbers, steps = {}, []
        for plan in sorted(plans, key=lambda p: p.case.opened_on):
            case = plan.case
            case.parent_id, case.child_id = case.parent.pk, case.child.pk
            year = case.opened_on.year
            numbers[year] = numbers.get(year, 0) + 1
            case.reference = f"{self.service.reference_prefix}-{year}-{numbers[year]:04d}"
            contact_days = [c["day"] for c in plan.contacts]
            case.last_contact_on = max(contact_days, default=None)
            case.last_activity_on = self._last_activity(plan)
            kind, day, reason, outcome = plan.events[-1]
            if kind == CaseEventKind.CLOSED:
                case.status, case.closed_on = CaseStatus.CLOSED, day
                case.closure_reason, case.outcome = reason, outcome
            else:
                case.status = CaseStatus.OPEN
            case.evaluation_sent_on = self._evaluation_sent(plan)
            steps.append((case, self._case_changes(plan)))
        rows = self._insert_with_history(Case, steps, batch_size=500)
        through = Case.secondary_reasons.through
        links = [
            through(case_id=plan.case.pk, contactreason_id=reason.pk)
            for plan in plans
            for reason in plan.reasons
        ]
        through.objects.bulk_create(links, batch_size=1000)
        self._m2m_history(Case, "secondary_reasons", rows, links)

        events, contact_steps, allocation_steps = [], [], []
        support = self.users["support"]
        for plan in plans:
            case = plan.case
            opening = None
            for kind, day, reason, outcome in plan.events:
                event = CaseEvent(
                    service=self.service,
                    case=case,
                    kind=kind,
                    on=day,
                    by=case.officer,
                    closure_reason=reason,
                    outcome=outcome,
                )
                if kind == CaseEventKind.CLOSED:
                    opening.ended_on = day  # as casework.actions.close_case keeps it
                else:
                    opening = event
                events.append(event)
            for allocation in plan.allocations:
                changes = [(self._at(allocation.started_on), case.officer, "+", {"ended_on": None})]
                if allocation.ended_on:
                    changes.append((self._at(allocation.ended_on), case.officer, "~", {}))
                    changes[-1][3]["ended_on"] = allocation.ended_on
                allocation_steps.append((allocation, changes))
            for c in sorted(plan.contacts, key=lambda c: c["day"]):
                by, volunteer = c.get("by"), c.get("volunteer")
                if by is None:
                    by = case.officer
                    helper = self._volunteer_on(plan, c["day"])
                    if helper is not None and not c.get("intake") and self.rng.random() < 0.5:
                        by, volunteer = self.volunteer_users[helper.pk], helper
                        c["method"] = _weighted(self.rng, VOLUNTEER_METHODS)
                        c["minutes"] = self.rng.choice(MINUTES[c["method"]])
                    elif self.rng.random() < 0.04:
                        by = support  # admin support keys in a letter or a message
                contact = Contact(
                    service=self.service,
                    case=case,
                    at=self._at(c["day"]),
                    by=by,
                    volunteer=volunteer,
                    method=c["method"],
                    minutes=c["minutes"],
                    note=c["note"],
                    follow_up=c["follow_up"],
                    follow_up_due_on=c["due"],
                    follow_up_done_on=c["done"],
                )
                changes = [(contact.at, by, "+", {"follow_up_done_on": None})]
                if c["done"]:
                    changes.append((self._at(c["done"]), by, "~", {"follow_up_done_on": c["done"]}))
                contact_steps.append((contact, changes))
        CaseEvent.objects.bulk_create(events, batch_size=1000)
        self._insert_with_history(Allocation, allocation_steps)
        self._insert_with_history(Contact, contact_steps)
        self.counts.update(
            cases=len(plans),
            open_cases=sum(p.open_now for p in plans),
            contacts=len(contact_steps),
            allocations=len(allocation_steps),
        )

    def _volunteer_on(self, plan, day):
        """The signed-in volunteer allocated to the case on `day`, if any."""
        for allocation in plan.allocations:
            current = allocation.started_on <= day and (
                allocation.ended_on is None or day < allocation.ended_on
            )
            if current and allocation.volunteer.pk in self.volunteer_users:
                return allocation.volunteer
        return None

    def _evaluation_sent(self, plan):
        """Sent a month or so after the last contact, as the service does; on the demo
        officer's cases a few are left due, and so are some of the latest elsewhere."""
        last = max((c["day"] for c in plan.contacts), default=None)
        if last is None:
            return None
        sent = evaluation_due_on(last) + dt.timedelta(days=self.rng.randint(0, 10))
        if id(plan) in self.evaluations_due:
            return None
        if sent > self.today:
            return None
        if (self.today - last).days < 70 and self.rng.random() < 0.4:
            return None
        return sent

    def _case_changes(self, plan):
        """The case's saves: opened, then each closing, re-opening and evaluation sent."""
        case = plan.case
        changes = [
            (
                self._at(case.opened_on),
                case.officer,
                "+",
                dict(
                    status=CaseStatus.OPEN,
                    closed_on=None,
                    closure_reason="",
                    outcome="",
                    evaluation_sent_on=None,
                ),
            )
        ]
        later = []
        for n, (kind, day, reason, outcome) in enumerate(plan.events[1:]):
            if kind == CaseEventKind.CLOSED:
                state = dict(
                    status=CaseStatus.CLOSED, closed_on=day, closure_reason=reason, outcome=outcome
                )
            else:
                state = dict(status=CaseStatus.OPEN, closed_on=None, closure_reason="", outcome="")
            later.append((day, n, state))
        if case.evaluation_sent_on:
            later.append(
                (
                    case.evaluation_sent_on,
                    len(later),
                    {"evaluation_sent_on": case.evaluation_sent_on},
                )
            )
        for day, _, state in sorted(later, key=lambda change: change[:2]):
            changes.append((self._at(day), case.officer, "~", state))
        return changes

    # Enquiries and feedback -------------------------------------------------------------

    def _enquiries(self, plans):
        """About `enquiries_per_year` enquiries on working days, most answered within two
        working days; the cases that began as an enquiry; a few still awaiting an answer."""
        rng = self.rng
        # Faker is slow for thousands of records: enquirers come from a pool (some ring twice).
        self.enquirers = [self.fake.name() for _ in range(600)]
        self.enquirer_contacts = [self.fake.phone_number() for _ in range(400)]
        self.enquirer_contacts += [self.fake.email() for _ in range(200)]
        staff = [(user, 2) for user in self.caseworkers] + [(self.users["support"], 4)]
        working = []
        day = self.start
        while day <= self.today:
            if is_working_day(day):
                # Quieter in August, busier as the school year starts.
                working.append((day, {8: 0.4, 9: 1.3, 10: 1.2}.get(day.month, 1.0)))
            day += dt.timedelta(days=1)
        total = round(self.enquiries_per_year * ((self.today - self.start).days + 1) / 365)
        days, weights = zip(*working, strict=True)
        steps = []
        for day in sorted(rng.choices(days, weights=weights, k=total)):
            enquiry = self._enquiry(day, _weighted(rng, staff))
            steps.append(self._enquiry_steps(enquiry))
        for plan in plans:
            if not plan.from_enquiry:
                continue
            case = plan.case
            enquiry = self._enquiry(case.received_on, case.officer)
            enquiry.substantial = rng.random() < 0.8
            enquiry.enquirer_type = EnquirerType.PARENT
            enquiry.enquirer_name = str(case.parent)
            enquiry.enquirer_contact = case.parent.phone
            enquiry.topic = case.primary_reason
            enquiry.summary = "Asked for help; details taken for casework."
            if enquiry.first_response_on is None or enquiry.first_response_on > case.opened_on:
                enquiry.first_response_on = case.opened_on  # as open_case records it
            enquiry.case = case
            steps.append(self._enquiry_steps(enquiry))
        # A few from this week still wait for a first response.
        day, waiting = self.today, 0
        while waiting < 4 and day >= self.start:
            if is_working_day(day):
                enquiry = self._enquiry(day, self.users["support"])
                enquiry.first_response_on = None
                steps.append(self._enquiry_steps(enquiry))
                waiting += 1
            day -= dt.timedelta(days=1)
        self._insert_with_history(Enquiry, steps)
        self.counts["enquiries"] = len(steps)

    def _enquiry(self, day, taken_by):
        rng = self.rng
        kind = _weighted(
            rng,
            [(EnquirerType.PARENT, 78), (EnquirerType.PROFESSIONAL, 17), (EnquirerType.OTHER, 5)],
        )
        name = rng.choice(self.enquirers)
        if kind == EnquirerType.PROFESSIONAL:
            name += rng.choice([", SENCo", ", health visitor", ", family support worker"])
        substantial = rng.random() < 0.3
        delay = _weighted(rng, ENQUIRY_DELAYS)
        responded = add_working_days(day, delay) if delay else day
        return Enquiry(
            service=self.service,
            received_at=self._at(day),
            enquirer_type=kind,
            enquirer_name=name,
            enquirer_contact=rng.choice(self.enquirer_contacts),
            topic=_weighted(rng, self.reasons),
            summary=rng.choice(ENQUIRY_SUMMARIES),
            minutes=rng.choice([20, 30, 45, 60]) if substantial else rng.choice([5, 5, 10, 15]),
            substantial=substantial,
            first_response_on=responded if responded <= self.today else None,
            taken_by=taken_by,
        )

    def _enquiry_steps(self, enquiry):
        """Recorded on receipt (answered then when answered that day), then the answer
        recorded, then the conversion to a case (open_case saves the enquiry)."""
        received = timezone.localdate(enquiry.received_at)
        answered = enquiry.first_response_on
        first = dict(first_response_on=answered if answered == received else None, case_id=None)
        changes = [(enquiry.received_at, enquiry.taken_by, "+", first)]
        converted_on = enquiry.case.opened_on if enquiry.case else None
        if answered and answered != received and answered != converted_on:
            changes.append(
                (self._at(answered), enquiry.taken_by, "~", {"first_response_on": answered})
            )
        if enquiry.case:
            state = {"case_id": enquiry.case.pk, "first_response_on": answered}
            changes.append((self._at(converted_on), enquiry.case.officer, "~", state))
        return enquiry, changes

    def _feedback(self):
        rng, steps = self.rng, []
        coordinator = self.users["coordinator"]
        days = (self.today - self.start).days
        for _ in range(round(30 * days / 365)):
            day = self.start + dt.timedelta(days=rng.randrange(days + 1))
            kind = _weighted(
                rng,
                [
                    (FeedbackKind.COMPLIMENT, 72),
                    (FeedbackKind.COMPLAINT, 10),
                    (FeedbackKind.SUGGESTION, 18),
                ],
            )
            summary, response, improvement = rng.choice(FEEDBACK[kind])
            responded = add_working_days(day, rng.randint(1, 8))
            answered = responded <= self.today
            item = Feedback(
                service=self.service,
                kind=kind,
                received_on=day,
                channel=_weighted(
                    rng,
                    [
                        (FeedbackChannel.EVALUATION_FORM, 35),
                        (FeedbackChannel.EMAIL, 25),
                        (FeedbackChannel.PHONE, 15),
                        (FeedbackChannel.LETTER, 10),
                        (FeedbackChannel.IN_PERSON, 12),
                        (FeedbackChannel.OTHER, 3),
                    ],
                ),
                about=_weighted(
                    rng,
                    [
                        (FeedbackAbout.STAFF, 35),
                        (FeedbackAbout.SERVICE, 30),
                        (FeedbackAbout.INFORMATION, 15),
                        (FeedbackAbout.ACCESS, 8),
                        (FeedbackAbout.VOLUNTEERS, 10),
                        (FeedbackAbout.OTHER, 2),
                    ],
                ),
                from_name=self.fake.name() if rng.random() < 0.5 else "",
                summary=summary,
                response=response if answered else "",
                responded_on=responded if answered else None,
                improvement=improvement if answered and rng.random() < 0.8 else "",
                publishable=rng.random() < (0.7 if kind == FeedbackKind.COMPLIMENT else 0.3),
                recorded_by=coordinator,
            )
            changes = [
                (
                    self._at(day),
                    coordinator,
                    "+",
                    dict(response="", responded_on=None, improvement=""),
                )
            ]
            if answered:
                changes.append((self._at(responded), coordinator, "~", {}))
                changes[-1][3].update(
                    response=item.response,
                    responded_on=item.responded_on,
                    improvement=item.improvement,
                )
            steps.append((item, changes))
        steps.sort(key=lambda step: step[0].received_on)
        self._insert_with_history(Feedback, steps)
        self.counts["feedback"] = len(steps)
