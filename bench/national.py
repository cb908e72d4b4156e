"""A national-scale database for benchmarks: 150 services and five academic years of records.

    createdb -h 127.0.0.1 -U postgres pps_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_national \\
        .venv/bin/python bench/national.py [--services 150] [--scale 1.0] [--seed 1]

It migrates the database, refuses to run when it already holds a service (it never touches
real data), and fills it through bulk SQL: at scale 1.0 about 500,000 cases, 5 million
contacts, 600,000 enquiries, 1.05 million case events and 837,000 evaluation sendings, from
1 September four academic years back to today. The services, their staff and volunteers
are made with the product's own code (casework.actions.create_service gives each its
localities, code lists and shipped evaluation forms); everything counted in thousands is
written by `INSERT ... SELECT` over `generate_series`, with PostgreSQL's random() seeded
by --seed, inside one transaction. Every constraint stays on: they check the result.

The rows keep the invariants the actions keep (casework/actions.py): each case's events
alternate opened / closed / re-opened / closed on working days in order, none after today,
and each opening's `ended_on` is the day of the closing that ended it; the case's status,
closed_on, closure reason, outcome, last_contact_on, last_activity_on and
evaluation_sent_on are what its events, contacts and parent sendings imply; contacts fall
inside the case's open periods, a volunteer's only while allocated; every row's service is
its case's service. The django-simple-history tables are left empty for the bulk rows.

Sign-in for benchmarks: every staff user has the password BENCH_PASSWORD. Service 1
(usernames s001-...) is the largest (about 10,000 cases at scale 1.0); the last service is
typical (about 3,300). See bench/README.md.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")

import django

if __name__ == "__main__":
    django.setup()

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from faker import Faker

from casework.enums import (
    EnquirerType,
    Gender,
)
from casework.models import ContactReason, NeedArea, ReferralRoute, SchoolType
from demo.casework import (
    CLOSINGS,
    FOLLOW_UPS,
    INTAKE_METHODS,
    MINUTES,
    REASONS,
    REFERRAL_ROUTES,
    STAFF_METHODS,
    VOLUNTEER_METHODS,
)
from demo.enquiries import ENQUIRY_DELAYS, ENQUIRY_SUMMARIES
from demo.families import (
    AGE_BANDS,
    ETHNICITIES,
    LANGUAGES,
    NEED_AREAS,
    PLACE_ENDS,
    PLACE_STARTS,
    SCHOOLS_BY_AGE,
    SEN_STATUSES,
)
from evaluations.actions import draft_version, publish_version
from evaluations.enums import EventKind, FormKind
from evaluations.models import EvaluationForm, FormVersion
from pps.models import Locality, Service, User
from pps.roles import Role
from pps.services import create_service
from volunteers.models import (
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)

# The password of every staff account (benchmarks sign in with it; never a real service).
BENCH_PASSWORD = "national-bench-2026"  # noqa: S105

# Rows at scale 1.0 (issue 11). Case events follow from the cases' lives (about 1.05M).
CASES = 500_000
CONTACTS = 5_000_000
ENQUIRIES = 600_000
SENDINGS = 837_000
EVENTS = 22_000
SCHOOL_SENDINGS = 30_000

# Service sizes, as weights of a typical service: a few large, most typical, some small.
LARGE, TYPICAL, SMALL = 3.0, 1.0, 0.45
# Chances that shape a case's life.
REOPEN = 0.102  # a closed case re-opened later
ALLOCATED = 0.12  # an IPS volunteer allocated during the first opening
VOLUNTEER_SHARE = 0.6  # of the contacts while allocated, those the volunteer logs
FROM_ENQUIRY = 0.4  # cases opened from an enquiry
SIBLING = 0.08  # a case about another child of a parent the service already knows

# Working days of silence before a "no contact for 3 months" closing.
NO_CONTACT_DAYS = 63
# Evaluation forms returned, by kind.
RETURN_RATES = {
    FormKind.PARENT: 0.4,
    FormKind.PROFESSIONAL: 0.3,
    FormKind.EVENT: 0.55,
    FormKind.SCHOOLS: 0.35,
    FormKind.VOLUNTEER: 0.5,
}

LOCALITY_NAMES = [a + b for a in PLACE_STARTS for b in PLACE_ENDS]
COUNTY_ENDS = ["shire", "borough", "dale", "vale", "mere", "wick", "worth", "holm"]
EVENT_TITLES = {
    EventKind.FORUM: "Parents' forum",
    EventKind.ROADSHOW: "SEND road show",
    EventKind.PARENT_TRAINING: "Understanding EHC plans",
    EventKind.PROFESSIONAL_TRAINING: "SEN support for school staff",
    EventKind.VOLUNTEER_MEETING: "IPS support meeting",
    EventKind.COFFEE_MORNING: "Volunteer coffee morning",
    EventKind.CONFERENCE: "Regional network meeting",
}
EVENT_WEIGHTS = {
    EventKind.FORUM: 30,
    EventKind.ROADSHOW: 12,
    EventKind.PARENT_TRAINING: 22,
    EventKind.PROFESSIONAL_TRAINING: 16,
    EventKind.VOLUNTEER_MEETING: 10,
    EventKind.COFFEE_MORNING: 4,
    EventKind.CONFERENCE: 6,
}
# Event kinds whose attendees are handed evaluation forms.
HANDED_OUT = [
    EventKind.FORUM,
    EventKind.ROADSHOW,
    EventKind.PARENT_TRAINING,
    EventKind.PROFESSIONAL_TRAINING,
]
COMMENTS = [
    "Very helpful, thank you.",
    "Felt listened to.",
    "Would have liked a quicker reply.",
    "Clear information.",
    "Made a real difference.",
    "Thank you for coming to the meeting.",
    "More evening sessions please.",
    "Good to meet other parents.",
]
STREETS = ["High Street", "Church Lane", "Station Road", "Mill Road", "Park Avenue", "The Green"]
STREETS += ["Manor Way", "Orchard Close", "Victoria Road", "School Lane", "Meadow View"]


def bag(pairs) -> list:
    """Values repeated by their weight: picking one at random picks by weight."""
    return [value for value, weight in pairs for _ in range(weight)]


def log(message: str) -> None:
    print(message, flush=True)


@dataclass
class Stage:
    """Times each stage and prints its rows and time."""

    out: object = log
    timings: list = field(default_factory=list)

    def run(self, name, function, *args):
        began = time.monotonic()
        rows = function(*args)
        took = time.monotonic() - began
        self.timings.append((name, rows, took))
        shown = f"{rows:>11,}" if isinstance(rows, int) else " " * 11
        self.out(f"{name:<34}{shown} rows {took:7.1f} s")
        return rows


def service_weights(services: int, rng: random.Random) -> list[float]:
    """The first 4% are large (service 1 the largest of all), the next 13% small, the rest
    typical (each within 10% of a typical size, but the last exactly typical)."""
    large = max(1, round(services * 0.04))
    small = round(services * 0.13)
    weights = []
    for i in range(1, services + 1):
        if i == 1:
            weights.append(LARGE)
        elif i <= large:
            weights.append(LARGE * rng.uniform(0.85, 0.97))
        elif i <= large + small:
            weights.append(SMALL)
        elif i == services:
            weights.append(TYPICAL)
        else:
            weights.append(TYPICAL * rng.uniform(0.9, 1.1))
    return weights


def shares(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, summing exactly to `total`."""
    whole, cumulative, result, given = sum(weights), 0.0, [], 0
    for weight in weights:
        cumulative += weight
        upto = round(total * cumulative / whole)
        result.append(upto - given)
        given = upto
    return result


class Generator:
    def __init__(self, *, services, scale, seed, today, out=log):
        self.n_services, self.scale, self.seed, self.today = services, scale, seed, today
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.stage = Stage(out=out)
        # Hashed once (the hasher is slow by design) and shared by every account.
        self.password = make_password(BENCH_PASSWORD)
        if today == timezone.localdate():
            self.now = timezone.now()
        else:
            zone = timezone.get_default_timezone()
            self.now = dt.datetime.combine(today, dt.time(18), tzinfo=zone)
        month = 9
        year = today.year if today.month >= month else today.year - 1
        self.current_year_start = dt.date(year, month, 1)
        self.start = dt.date(year - 4, month, 1)
        self.totals = {
            "cases": round(CASES * scale),
            "contacts": round(CONTACTS * scale),
            "enquiries": round(ENQUIRIES * scale),
            "sendings": round(SENDINGS * scale),
            "events": round(EVENTS * scale),
            "school_sendings": round(SCHOOL_SENDINGS * scale),
        }

    # Django-side records: services, staff, volunteers -----------------------------------

    def run(self) -> dict:
        with scopes_disabled():
            if Service.objects.exists():
                raise SystemExit(
                    "This database already has services: the generator fills empty databases "
                    "only (it never touches real data). Create a new one with createdb."
                )
            with transaction.atomic():
                self._session_settings()
                stage = self.stage.run
                stage("services, code lists, forms", self.services)
                stage("staff users", self.users)
                stage("volunteers and their history", self.volunteers)
                stage("service table for SQL", self.service_table)
                stage("case plans", self.plans)
                stage("parents", self.parents)
                stage("children", self.children)
                stage("cases", self.cases)
                stage("secondary reasons and needs", self.secondary)
                stage("case events", self.case_events)
                stage("allocations", self.allocations)
                stage("contacts", self.contacts)
                stage("enquiries", self.enquiries)
                stage("monthly returns", self.monthly_returns)
                stage("events", self.events)
                # The evaluation tallies kept by month (evaluations.kept) are made when first
                # read; the triggers that clear them on every change are left out of the
                # bulk inserts below (3 million rows of months no one has read yet).
                self._kept_tally_triggers("DISABLE")
                stage("evaluation sendings", self.sendings)
                stage("responses", self.responses)
                stage("answers", self.answers)
                self._kept_tally_triggers("ENABLE")
                stage("sequences", self.sequences)
            stage("analyze", self.analyze)
        return self.counts()

    def _session_settings(self):
        with connection.cursor() as cursor:
            # Per transaction: one worker, so random() runs in the same order every time.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Foreign keys are checked as each statement ends rather than all at the commit,
            # so that each stage's time includes its checks (Django makes them deferrable).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SELECT setseed(%s)", [((self.seed * 7919) % 10007) / 10007 - 0.5])

    def _kept_tally_triggers(self, switch: str) -> None:
        with connection.cursor() as cursor:
            for table in ("evaluations_sending", "evaluations_response", "evaluations_answer"):
                # Names from this module only.
                cursor.execute(f"ALTER TABLE {table} {switch} TRIGGER USER")

    def services(self) -> int:
        weights = service_weights(self.n_services, self.rng)
        self.weights = weights
        places = list(
            dict.fromkeys(a + b for b in COUNTY_ENDS for a in [*PLACE_STARTS, "North", "South"])
        )
        self.rng.shuffle(places)
        self.services_made = []
        for i in range(1, self.n_services + 1):
            place = places[(i - 1) % len(places)]
            suffix = "" if i <= len(places) else f" {1 + (i - 1) // len(places)}"
            count = self.rng.randint(3, 7) if weights[i - 1] < 2 * TYPICAL else 8
            localities = self.rng.sample(LOCALITY_NAMES, count)
            service = create_service(
                name=f"{place}{suffix} SEND Information, Advice and Support Service (s{i:03d})",
                local_authority=f"{place}{suffix} Council",
                localities=localities,
                reference_prefix=f"S{i:03d}",
            )
            self.services_made.append(service)
        # The parent form was reworded at the start of this academic year: its version 2 is
        # sent from then on, and the reports count each question across both versions.
        zone = timezone.get_default_timezone()
        for service in self.services_made:
            form = EvaluationForm.objects.get(service=service, kind=FormKind.PARENT)
            draft = draft_version(form=form, by=None)
            draft.questions.filter(key="helpfulness").update(
                text="How helpful was the support we gave you?"
            )
            publish_version(version=draft)
        FormVersion.objects.filter(number=1).update(
            published_at=dt.datetime.combine(self.start, dt.time(9), tzinfo=zone)
        )
        FormVersion.objects.filter(number=2).update(
            published_at=dt.datetime.combine(self.current_year_start, dt.time(9), tzinfo=zone)
        )
        return len(self.services_made)

    def users(self) -> int:
        password = self.password
        self.staff = {}
        rows, links = [], []
        through = User.localities.through
        first, last = self._names(400)
        pick = self.rng.choice
        for i, service in enumerate(self.services_made, start=1):
            code = f"s{i:03d}"
            officers = max(2, round(3 * self.weights[i - 1]))
            accounts = [(f"{code}-coordinator", Role.COORDINATOR, Decimal("1.00"))]
            accounts += [
                (f"{code}-officer{n}", Role.CASE_OFFICER, Decimal(pick(["1.00", "0.80", "0.60"])))
                for n in range(1, officers + 1)
            ]
            accounts += [
                (f"{code}-support", Role.ADMIN_SUPPORT, Decimal("0.50")),
                (f"{code}-steering", Role.STEERING, None),
            ]
            for username, role, fte in accounts:
                rows.append(
                    User(
                        username=username,
                        first_name=pick(first),
                        last_name=pick(last),
                        email=f"{username}@national.invalid",
                        service=service,
                        role=role,
                        fte=fte,
                        password=password,
                    )
                )
        User.objects.bulk_create(rows, batch_size=1000)
        localities = {}
        for locality in Locality.objects.order_by("id"):
            localities.setdefault(locality.service_id, []).append(locality.pk)
        for user in User.objects.filter(service__isnull=False).order_by("id"):
            self.staff.setdefault(user.service_id, {}).setdefault(user.role, []).append(user.pk)
            if user.role in (Role.CASE_OFFICER, Role.COORDINATOR):
                mine = localities[user.service_id]
                for locality in self.rng.sample(mine, min(2, len(mine))):
                    links.append(through(user_id=user.pk, locality_id=locality))
        through.objects.bulk_create(links, batch_size=1000)
        self.localities = localities
        return len(rows)

    def _names(self, n):
        # Faker is slow by the million: a pool of names, combined at random in SQL.
        first = list(dict.fromkeys(self.fake.first_name() for _ in range(n)))
        last = list(dict.fromkeys(self.fake.last_name() for _ in range(n)))
        return first, last

    def volunteers(self) -> int:
        """Per service: active IPS who sign in (s001-volunteer1...), one paused, one who left,
        one in training and two other volunteers; each with their dated pipeline."""
        password = self.password
        first, last = self._names(200)
        days = dt.timedelta
        self.ips = {}
        volunteers, moves, users = [], [], []
        for i, service in enumerate(self.services_made, start=1):
            code = f"s{i:03d}"
            active = max(3, round(5 * self.weights[i - 1]))
            plan = [(VolunteerRole.IPS, VolunteerStatus.ACTIVE)] * active
            plan += [
                (VolunteerRole.IPS, VolunteerStatus.PAUSED),
                (VolunteerRole.IPS, VolunteerStatus.LEFT),
                (VolunteerRole.IPS, VolunteerStatus.IN_TRAINING),
                (VolunteerRole.OTHER, VolunteerStatus.ACTIVE),
                (VolunteerRole.OTHER, VolunteerStatus.ACTIVE),
            ]
            for n, (role, status) in enumerate(plan, start=1):
                user = None
                if role == VolunteerRole.IPS and status == VolunteerStatus.ACTIVE:
                    user = User(
                        username=f"{code}-volunteer{n}",
                        first_name=self.rng.choice(first),
                        last_name=self.rng.choice(last),
                        email=f"{code}-volunteer{n}@national.invalid",
                        service=service,
                        role=Role.VOLUNTEER,
                        password=password,
                    )
                    users.append(user)
                begun = self.start - days(self.rng.randint(150, 700))
                if status == VolunteerStatus.IN_TRAINING:
                    begun = self.today - days(self.rng.randint(50, 120))
                steps = self._pipeline(role, status, begun)
                volunteer = Volunteer(
                    service=service,
                    first_name=user.first_name if user else self.rng.choice(first),
                    last_name=user.last_name if user else self.rng.choice(last),
                    email=f"volunteer{n}@{code}.national.invalid",
                    role=role,
                    status=status,
                    version=len(steps),
                    dbs_checked_on=begun + days(50),
                    dbs_reference=str(self.rng.randrange(10**11, 10**12)),
                    dbs_renewal_due_on=begun + days(50 + 3 * 365),
                    references_received_on=begun + days(45),
                    confidentiality_signed_on=begun + days(60),
                    initial_training_completed_on=(
                        begun + days(99) if len(steps) >= 4 and role == VolunteerRole.IPS else None
                    ),
                )
                volunteer.bench_user = user
                volunteers.append(volunteer)
                moves.append(steps)
        User.objects.bulk_create(users, batch_size=1000)
        for volunteer in volunteers:
            volunteer.user = volunteer.bench_user
        Volunteer.objects.bulk_create(volunteers, batch_size=1000)
        changes, links = [], []
        through = Volunteer.localities.through
        for volunteer, steps in zip(volunteers, moves, strict=True):
            coordinator = self.staff[volunteer.service_id][Role.COORDINATOR][0]
            for status, on in steps:
                changes.append(
                    VolunteerStatusChange(
                        service_id=volunteer.service_id,
                        volunteer=volunteer,
                        status=status,
                        on=on,
                        recorded_by_id=coordinator,
                        recorded_at=dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC),
                    )
                )
            # They cover every locality, so any case of their service may be allocated.
            links += [
                through(volunteer_id=volunteer.pk, locality_id=locality)
                for locality in self.localities[volunteer.service_id]
            ]
            if volunteer.user_id:
                self.ips.setdefault(volunteer.service_id, []).append(
                    (volunteer.pk, volunteer.user_id)
                )
        VolunteerStatusChange.objects.bulk_create(changes, batch_size=1000)
        # auto_now_add overrode recorded_at: put back the day each move was recorded.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE volunteers_volunteerstatuschange"
                " SET recorded_at = (\"on\" + time '12:00') AT TIME ZONE 'Europe/London'"
            )
        through.objects.bulk_create(links, batch_size=1000)
        return len(volunteers)

    def _pipeline(self, role, status, begun):
        days = dt.timedelta
        if role == VolunteerRole.OTHER:
            return [(VolunteerStatus.ACTIVE, begun)]
        steps = [
            (VolunteerStatus.ENQUIRER, begun),
            (VolunteerStatus.APPLICANT, begun + days(20)),
            (VolunteerStatus.IN_TRAINING, begun + days(40)),
        ]
        if status == VolunteerStatus.IN_TRAINING:
            return steps
        steps += [
            (VolunteerStatus.SHADOWING, begun + days(100)),
            (VolunteerStatus.ACTIVE, begun + days(130)),
        ]
        span = (self.today - self.start).days
        if status == VolunteerStatus.PAUSED:
            steps.append((VolunteerStatus.PAUSED, self.start + days(self.rng.randint(30, span))))
        elif status == VolunteerStatus.LEFT:
            steps.append((VolunteerStatus.LEFT, self.start + days(self.rng.randint(30, span))))
        return steps

    # The service table every SQL stage reads ---------------------------------------------

    def service_table(self) -> int:
        """One row per service with its ids as arrays (weighted by repetition), so that SQL
        picks a service's officer, locality or code-list value with one array subscript."""
        cases = shares(self.totals["cases"], self.weights)
        enquiries = shares(self.totals["enquiries"], self.weights)
        events = shares(self.totals["events"], self.weights)
        schools = shares(self.totals["school_sendings"], self.weights)
        rows = []
        for i, service in enumerate(self.services_made, start=1):
            sid = service.pk
            staff = self.staff[sid]
            routes = list(ReferralRoute.objects.filter(service=service).order_by("position"))
            reasons = list(ContactReason.objects.filter(service=service).order_by("position"))
            by_name = {r.name: r.pk for r in reasons}
            needs = list(NeedArea.objects.filter(service=service))
            need_bag = []
            for area in (n for n in needs if n.area_id is None):
                subtypes = [n.pk for n in needs if n.area_id == area.pk] or [area.pk]
                weight = NEED_AREAS.get(area.name, 1)
                need_bag += [subtypes[k % len(subtypes)] for k in range(weight)]
            types = {t.name: t.pk for t in SchoolType.objects.filter(service=service)}
            phases = []
            for _age, choices in SCHOOLS_BY_AGE:
                ids, suffixes = [], []
                for name, weight, pattern in choices:
                    ids += [types[name]] * weight
                    suffixes += [pattern.replace("{}", "")] * weight
                phases.append((ids, suffixes))
            forms = {
                f.kind: f for f in EvaluationForm.objects.filter(service=service).order_by("-id")
            }
            versions = {
                kind: list(FormVersion.objects.filter(form=form).order_by("number"))
                for kind, form in forms.items()
            }
            ips = self.ips.get(sid, [])
            officers = staff[Role.CASE_OFFICER] * 3 + staff[Role.COORDINATOR]
            rows.append(
                dict(
                    idx=i,
                    service_id=sid,
                    cases=cases[i - 1],
                    enquiries=enquiries[i - 1],
                    events=events[i - 1],
                    schools=schools[i - 1],
                    officer_ids=officers,
                    coordinator_id=staff[Role.COORDINATOR][0],
                    support_id=staff[Role.ADMIN_SUPPORT][0],
                    locality_ids=self.localities[sid],
                    route_ids=bag((r.pk, REFERRAL_ROUTES.get(r.name, 1)) for r in routes),
                    reason_ids=bag((r.pk, REASONS.get(r.name, 1)) for r in reasons),
                    need_ids=need_bag,
                    early_ids=phases[0][0],
                    early_sfx=phases[0][1],
                    primary_ids=phases[1][0],
                    primary_sfx=phases[1][1],
                    secondary_ids=phases[2][0],
                    secondary_sfx=phases[2][1],
                    post16_ids=phases[3][0],
                    post16_sfx=phases[3][1],
                    ips_ids=[v for v, _ in ips],
                    ips_user_ids=[u for _, u in ips],
                    bullying_id=by_name["Bullying"],
                    unofficial_id=by_name["Unofficial exclusion"],
                    fixed_id=by_name["Fixed-term exclusion"],
                    permanent_id=by_name["Permanent exclusion"],
                    tribunal_id=by_name["Tribunal appeal"],
                    dr_id=by_name["Disagreement resolution"],
                    parent_v1=versions[FormKind.PARENT][0].pk,
                    parent_v2=versions[FormKind.PARENT][-1].pk,
                    professional_v=versions[FormKind.PROFESSIONAL][-1].pk,
                    event_v=versions[FormKind.EVENT][-1].pk,
                    schools_v=versions[FormKind.SCHOOLS][-1].pk,
                    volunteer_v=versions[FormKind.VOLUNTEER][-1].pk,
                    link_days=service.evaluation_link_days,
                    prefix=service.reference_prefix,
                )
            )
        columns = list(rows[0])
        types = {
            "officer_ids": "bigint[]",
            "locality_ids": "bigint[]",
            "route_ids": "bigint[]",
            "reason_ids": "bigint[]",
            "need_ids": "bigint[]",
            "early_ids": "bigint[]",
            "primary_ids": "bigint[]",
            "secondary_ids": "bigint[]",
            "post16_ids": "bigint[]",
            "ips_ids": "bigint[]",
            "ips_user_ids": "bigint[]",
            "early_sfx": "text[]",
            "primary_sfx": "text[]",
            "secondary_sfx": "text[]",
            "post16_sfx": "text[]",
            "prefix": "text",
            "idx": "int",
            "cases": "int",
            "enquiries": "int",
            "events": "int",
            "schools": "int",
            "link_days": "int",
        }
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE nat_svc ("
                + ", ".join(f"{c} {types.get(c, 'bigint')}" for c in columns)
                + ") ON COMMIT DROP"
            )
            cursor.executemany(
                f"INSERT INTO nat_svc ({', '.join(columns)}) VALUES "  # noqa: S608 (our names)
                f"({', '.join(f'%({c})s' for c in columns)})",
                rows,
            )
            cursor.execute("ANALYZE nat_svc")
        return len(rows)

    # The SQL stages ------------------------------------------------------------------------

    def sql(self, statement, **params) -> int:
        with connection.cursor() as cursor:
            cursor.execute(statement, {**self.common_params(), **params})
            return cursor.rowcount

    def common_params(self):
        if not hasattr(self, "_common"):
            with connection.cursor() as cursor:
                first_day = self.start - dt.timedelta(days=90)
                last_day = self.today + dt.timedelta(days=120)
                cursor.execute(
                    "SELECT day, ordinal, working FROM pps_calendarday"
                    " WHERE day BETWEEN %s AND %s ORDER BY day",
                    [first_day, last_day],
                )
                calendar = cursor.fetchall()
            working = [(day, ordinal) for day, ordinal, w in calendar if w]
            base = working[0][1] - 1
            by_day = {day: ordinal for day, ordinal, _ in calendar}
            start_ord = by_day[self.start]
            if not any(day == self.start for day, _ in working):
                start_ord += 1  # a weekend's ordinal is the working day before it
            first, last = self._names(800)
            self._common = dict(
                wd=[day for day, _ in working],
                base=base,
                start_ord=start_ord,
                today_ord=by_day[self.today],
                today=self.today,
                now=self.now,
                first_names=first,
                last_names=last,
                streets=STREETS,
                places=LOCALITY_NAMES,
                v2_on=self.current_year_start,
            )
        return self._common

    def plans(self) -> int:
        """One row per case with its whole life worked out in working-day ordinals: openings
        and closings, the last day of activity in each opening, its contact count."""
        closing_reasons = bag(((r, o), w) for r, o, w in CLOSINGS)
        rows = self.sql(
            """
            CREATE TEMP TABLE nat_plan ON COMMIT DROP AS
            WITH a AS (
                SELECT s.idx, s.service_id, g.n,
                    %(start_ord)s + floor(random() * (%(today_ord)s - %(start_ord)s + 1))::int
                        AS open_ord,
                    3 + floor(-ln(1 - random()) * 75)::int AS len1,
                    random() < %(reopen)s AS wants_reopen,
                    5 + floor(random() * 150)::int AS gap,
                    3 + floor(-ln(1 - random()) * 40)::int AS len2,
                    1 + floor(random() * %(n_closings)s)::int AS closing1,
                    1 + floor(random() * %(n_closings)s)::int AS closing2,
                    (ARRAY[0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 5])[1 + floor(random() * 12)::int]
                        AS recv_lag,
                    random() < %(from_enquiry)s AS from_enquiry,
                    random() < %(allocated)s AND cardinality(s.ips_ids) > 0 AS wants_alloc,
                    random() AS r_act1, random() AS r_act2, random() AS r_alloc,
                    random() AS r_vol, random() AS r_sib, random() AS r_sent,
                    random() AS r_eval, random() AS r_prof, random() AS r_quiet
                FROM nat_svc s, generate_series(1, s.cases) g(n)
            ), b AS (
                SELECT a.*,
                    open_ord + len1 AS close1_ord,
                    open_ord + len1 <= %(today_ord)s AS closed1
                FROM a
            ), c AS (
                SELECT b.*,
                    CASE WHEN closed1 AND wants_reopen AND close1_ord + gap <= %(today_ord)s
                        THEN close1_ord + gap END AS reopen_ord
                FROM b
            ), d AS (
                SELECT c.*,
                    CASE WHEN reopen_ord + len2 <= %(today_ord)s THEN reopen_ord + len2 END
                        AS close2_ord,
                    (%(closing_reasons)s::text[])[closing1] AS reason1,
                    (%(closing_outcomes)s::text[])[closing1] AS outcome1,
                    (%(closing_reasons)s::text[])[closing2] AS reason2,
                    (%(closing_outcomes)s::text[])[closing2] AS outcome2
                FROM c
            ), e AS (
                SELECT d.*,
                    CASE WHEN NOT closed1
                        THEN %(today_ord)s
                            - floor(r_act1 * r_act1 * (%(today_ord)s - open_ord + 1))::int
                        WHEN reason1 = 'no_contact'
                        THEN greatest(open_ord, close1_ord - %(silence)s)
                        ELSE greatest(open_ord, close1_ord - floor(r_act1 * 4)::int)
                    END AS act1_ord,
                    CASE WHEN reopen_ord IS NULL THEN NULL
                        WHEN close2_ord IS NULL
                        THEN %(today_ord)s
                            - floor(r_act2 * r_act2 * (%(today_ord)s - reopen_ord + 1))::int
                        WHEN reason2 = 'no_contact'
                        THEN greatest(reopen_ord, close2_ord - %(silence)s)
                        ELSE greatest(reopen_ord, close2_ord - floor(r_act2 * 4)::int)
                    END AS act2_ord
                FROM d
            ), q AS (
                -- Some re-opened cases have had no contact since: their last activity is
                -- the re-opening, not the last contact.
                SELECT e.*, reopen_ord IS NOT NULL AND close2_ord IS NULL AND r_quiet < 0.3
                    AS quiet
                FROM e
            ), f AS (
                SELECT q.*,
                    act1_ord - open_ord + 1 AS span1,
                    CASE WHEN quiet THEN 0 ELSE coalesce(act2_ord - reopen_ord + 1, 0) END
                        AS span2,
                    row_number() OVER (ORDER BY open_ord, idx, n) AS case_id
                FROM q
            )
            SELECT f.*,
                -- Contacts: one each, and the rest shared in proportion to the days of activity
                -- (a running total, so the grand total is exact).
                1 + (%(extra)s::bigint * sum(span1 + span2 + 5) OVER w
                        / sum(span1 + span2 + 5) OVER ())
                  - (%(extra)s::bigint * (sum(span1 + span2 + 5) OVER w - (span1 + span2 + 5))
                        / sum(span1 + span2 + 5) OVER ()) AS n_contacts,
                row_number() OVER (PARTITION BY idx ORDER BY case_id) AS nth_in_service
            FROM f
            WINDOW w AS (ORDER BY case_id)
            """,
            reopen=REOPEN,
            from_enquiry=FROM_ENQUIRY,
            allocated=ALLOCATED,
            n_closings=len(closing_reasons),
            closing_reasons=[str(reason) for reason, _ in closing_reasons],
            closing_outcomes=[str(outcome) for _, outcome in closing_reasons],
            silence=NO_CONTACT_DAYS,
            extra=self.totals["contacts"] - self.totals["cases"],
        )
        self.sql(
            """
            CREATE TEMP TABLE nat_case ON COMMIT DROP AS
            WITH p AS (
                SELECT p.*,
                    coalesce(close2_ord, CASE WHEN reopen_ord IS NULL THEN close1_ord END)
                        AS last_close_ord,
                    CASE WHEN n_contacts < 2 THEN open_ord WHEN quiet THEN act1_ord
                        ELSE coalesce(act2_ord, act1_ord) END AS last_contact_ord,
                    NOT (r_sib < %(sibling)s AND nth_in_service > 1) AS family_head,
                    CASE WHEN wants_alloc AND span1 >= 10
                        THEN open_ord + floor(r_alloc * 10)::int END AS alloc_ord,
                    1 + floor(r_vol * cardinality(s.ips_ids))::int AS ips_n,
                    s.officer_ids[1 + floor(random() * cardinality(s.officer_ids))::int]
                        AS officer_id,
                    s.locality_ids[1 + floor(random() * cardinality(s.locality_ids))::int]
                        AS locality_id
                FROM nat_plan p JOIN nat_svc s USING (idx)
            )
            SELECT p.*,
                NOT closed1 OR (reopen_ord IS NOT NULL AND close2_ord IS NULL) AS open_now,
                max(CASE WHEN family_head THEN case_id END)
                    OVER (PARTITION BY idx ORDER BY case_id) AS parent_id,
                (%(wd)s::date[])[open_ord - %(base)s] AS opened_on,
                (%(wd)s::date[])[open_ord - recv_lag - %(base)s] AS received_on,
                (%(wd)s::date[])[close1_ord - %(base)s] AS close1_on,
                (%(wd)s::date[])[reopen_ord - %(base)s] AS reopen_on,
                (%(wd)s::date[])[close2_ord - %(base)s] AS close2_on,
                (%(wd)s::date[])[last_close_ord - %(base)s] AS closed_on,
                (%(wd)s::date[])[last_contact_ord - %(base)s] AS last_contact_on,
                (%(wd)s::date[])[coalesce(reopen_ord, open_ord) - %(base)s] AS last_opening_on,
                (%(wd)s::date[])[alloc_ord - %(base)s] AS alloc_on
            FROM p
            """,
            sibling=SIBLING,
        )
        # The parent evaluation, a month or so after the last contact, as the service sends it.
        self.sql(
            """
            ALTER TABLE nat_case ADD COLUMN sent_on date, ADD COLUMN professional boolean;
            UPDATE nat_case SET
                sent_on = s.sent_on,
                professional = s.sent_on IS NOT NULL AND r_prof < 0.25
            FROM (
                SELECT case_id,
                    CASE WHEN d <= %(today)s
                        AND r_eval
                            < CASE WHEN %(today)s - last_contact_on < 70 THEN 0.4 ELSE 0.9 END
                        THEN d END AS sent_on
                FROM (
                    SELECT case_id, last_contact_on, r_eval,
                        (last_contact_on + interval '1 month')::date + floor(r_sent * 11)::int AS d
                    FROM nat_case
                ) x
            ) s
            WHERE s.case_id = nat_case.case_id;
            CREATE UNIQUE INDEX ON nat_case (case_id);
            ANALYZE nat_case;
            """
        )
        return rows

    def parents(self) -> int:
        ethnicities = bag(ETHNICITIES)
        languages = bag(LANGUAGES)
        return self.sql(
            """
            INSERT INTO casework_parent (id, version, service_id, first_name, last_name, email,
                phone, preferred_contact, address, postcode, locality_id, ethnicity,
                first_language, interpreter_needed, accessible_formats, consent_recorded_on,
                consent_details, confidentiality_explained_on, mailing_list,
                willing_to_be_consulted, notes, created_at)
            SELECT parent_id, 1, service_id, fn, ln,
                lower(fn) || '.' || lower(replace(ln, ' ', '')) || mod(parent_id, 97)::text
                    || '@example.com',
                '07' || lpad((floor(random() * 1000000000))::bigint::text, 9, '0'),
                (ARRAY['phone', 'phone', 'phone', 'email', 'email', 'letter', 'text'])
                    [1 + floor(random() * 7)::int],
                (1 + floor(random() * 180))::int::text || ' '
                    || (%(streets)s::text[])[1 + floor(random() * %(n_streets)s)::int],
                chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int)
                    || (1 + floor(random() * 20))::int::text || ' '
                    || (floor(random() * 10))::int::text
                    || chr(65 + floor(random() * 26)::int) || chr(65 + floor(random() * 26)::int),
                locality_id, ethnicity, language,
                -- allocate_volunteer wants a volunteer who speaks the parent's language.
                language <> 'English' AND NOT allocated AND random() < 0.5,
                CASE WHEN random() < 0.03 THEN '["large_print"]'::jsonb ELSE '[]'::jsonb END,
                received_on, '', received_on, random() < 0.3, random() < 0.1, '',
                (received_on + time '10:00') AT TIME ZONE 'Europe/London'
            FROM (
                SELECT c.*, family.allocated,
                    (%(first_names)s::text[])[1 + mod(parent_id * 40503, %(n_first)s)] AS fn,
                    (%(last_names)s::text[])[1 + mod(parent_id * 2654435761, %(n_last)s)] AS ln,
                    (%(ethnicities)s::text[])[1 + floor(random() * %(n_eth)s)::int] AS ethnicity,
                    (%(languages)s::text[])[1 + floor(random() * %(n_lang)s)::int] AS language
                FROM nat_case c
                JOIN (
                    SELECT parent_id, bool_or(alloc_ord IS NOT NULL) AS allocated
                    FROM nat_case GROUP BY parent_id
                ) family USING (parent_id)
                WHERE family_head
                ORDER BY case_id
            ) x
            """,
            n_streets=len(STREETS),
            n_first=len(self.common_params()["first_names"]),
            n_last=len(self.common_params()["last_names"]),
            ethnicities=[str(e) for e in ethnicities],
            n_eth=len(ethnicities),
            languages=languages,
            n_lang=len(languages),
        )

    def children(self) -> int:
        ages = []
        for share, youngest, oldest in AGE_BANDS:
            years = oldest - youngest + 1
            ages += [age for age in range(youngest, oldest + 1) for _ in range(share * 12 // years)]
        genders = bag([(Gender.MALE, 64), (Gender.FEMALE, 33), (Gender.OTHER, 1)])
        genders += [Gender.NOT_KNOWN] * 2
        statuses = bag(SEN_STATUSES)
        stages = ["sen_support"] * 5 + ["ehc_assessment"] * 2 + ["ehc_plan"] * 3
        return self.sql(
            """
            INSERT INTO casework_child (id, version, service_id, first_name, last_name,
                date_of_birth, gender, school_name, school_type_id, sen_status, sen_stage,
                primary_need_id, not_in_full_time_education)
            SELECT case_id, 1, service_id, fn, ln, dob, gender,
                CASE WHEN sfx = '' THEN '' ELSE place || sfx END, school_type_id,
                sen_status,
                CASE WHEN sen_status = 'sen'
                    THEN (%(stages)s::text[])[1 + floor(random() * %(n_stages)s)::int]
                    ELSE '' END,
                CASE WHEN random() < 0.92
                    THEN need_ids[1 + floor(random() * cardinality(need_ids))::int] END,
                random() < 0.04
            FROM (
                SELECT y.*, type_ids[k] AS school_type_id, type_sfx[k] AS sfx
                FROM (
                    SELECT x.*, 1 + floor(random() * cardinality(type_ids))::int AS k
                    FROM (
                        SELECT c.case_id, c.service_id, s.need_ids,
                            (%(first_names)s::text[])[1 + floor(random() * %(n_first)s)::int]
                                AS fn,
                            (%(last_names)s::text[])
                                [1 + mod(c.parent_id * 2654435761, %(n_last)s)] AS ln,
                            CASE WHEN random() < 0.03 THEN NULL
                                ELSE (c.opened_on - make_interval(years => age))::date
                                    - floor(random() * 365)::int END AS dob,
                            (%(genders)s::text[])[1 + floor(random() * %(n_genders)s)::int]
                                AS gender,
                            (%(places)s::text[])[1 + floor(random() * %(n_places)s)::int]
                                AS place,
                            (%(statuses)s::text[])[1 + floor(random() * %(n_statuses)s)::int]
                                AS sen_status,
                            CASE WHEN age <= 3 THEN s.early_ids WHEN age <= 10 THEN s.primary_ids
                                WHEN age <= 15 THEN s.secondary_ids ELSE s.post16_ids END
                                AS type_ids,
                            CASE WHEN age <= 3 THEN s.early_sfx WHEN age <= 10 THEN s.primary_sfx
                                WHEN age <= 15 THEN s.secondary_sfx ELSE s.post16_sfx END
                                AS type_sfx
                        FROM (
                            SELECT c.*,
                                (%(ages)s::int[])[1 + floor(random() * %(n_ages)s)::int] AS age
                            FROM nat_case c
                        ) c
                        JOIN nat_svc s USING (idx)
                    ) x
                ) y
            ) z
            ORDER BY case_id
            """,
            ages=ages,
            n_ages=len(ages),
            genders=[str(g) for g in genders],
            n_genders=len(genders),
            statuses=[str(s) for s in statuses],
            n_statuses=len(statuses),
            stages=stages,
            n_stages=len(stages),
            n_first=len(self.common_params()["first_names"]),
            n_last=len(self.common_params()["last_names"]),
            n_places=len(LOCALITY_NAMES),
        )

    def cases(self) -> int:
        return self.sql(
            """
            INSERT INTO casework_case (id, version, service_id, reference, parent_id, child_id,
                officer_id, locality_id, received_on, opened_on, referral_route_id,
                primary_reason_id, status, closed_on, closure_reason, outcome, bullying,
                unofficial_exclusion, official_exclusion, tribunal_appeal_on,
                tribunal_active_involvement, disagreement_resolution_on,
                disagreement_resolution_active_involvement, tribunal_notes, closing_summary,
                last_contact_on, last_activity_on, evaluation_sent_on, created_at)
            SELECT case_id,
                -- Saves of the case: opened, each closing and re-opening, evaluation sent.
                1 + closed1::int + (reopen_ord IS NOT NULL)::int + (close2_ord IS NOT NULL)::int
                    + (sent_on IS NOT NULL)::int,
                service_id,
                prefix || '-' || year::text || '-' || lpad(number::text,
                    greatest(4, length(number::text)), '0'),
                parent_id, case_id, officer_id, locality_id, received_on, opened_on,
                route_id, reason_id,
                CASE WHEN open_now THEN 'open' ELSE 'closed' END,
                CASE WHEN NOT open_now THEN closed_on END,
                CASE WHEN open_now THEN '' WHEN close2_ord IS NOT NULL THEN reason2
                    ELSE reason1 END,
                CASE WHEN open_now THEN '' WHEN close2_ord IS NOT NULL THEN outcome2
                    ELSE outcome1 END,
                CASE WHEN reason_id = bullying_id THEN 'main'
                    WHEN random() < 0.08 THEN 'mentioned' ELSE 'none' END,
                CASE WHEN reason_id = unofficial_id THEN 'main'
                    WHEN random() < 0.03 THEN 'mentioned' ELSE 'none' END,
                CASE WHEN reason_id = fixed_id OR r_excl < 0.03 THEN 'fixed_term'
                    WHEN reason_id = permanent_id OR r_excl < 0.036 THEN 'permanent'
                    ELSE 'none' END,
                CASE WHEN tribunal THEN tribunal_on END,
                CASE WHEN tribunal THEN random() < 0.8 END,
                CASE WHEN dr THEN dr_on END,
                CASE WHEN dr THEN random() < 0.7 END,
                '',
                '',
                last_contact_on,
                greatest(last_contact_on, last_opening_on),
                sent_on,
                least((opened_on + time '09:00') AT TIME ZONE 'Europe/London', %(now)s)
            FROM (
                SELECT x.*,
                    row_number() OVER (PARTITION BY idx, year ORDER BY case_id) AS number,
                    tribunal_pick OR reason_id = tribunal_id AS tribunal,
                    dr_pick OR reason_id = dr_id AS dr
                FROM (
                    SELECT c.*, s.prefix, s.bullying_id, s.unofficial_id, s.fixed_id,
                        s.permanent_id, s.tribunal_id, s.dr_id,
                        extract(year FROM c.opened_on)::int AS year,
                        s.route_ids[1 + floor(random() * cardinality(s.route_ids))::int]
                            AS route_id,
                        s.reason_ids[1 + floor(random() * cardinality(s.reason_ids))::int]
                            AS reason_id,
                        random() AS r_excl,
                        random() < 0.02 AS tribunal_pick,
                        random() < 0.03 AS dr_pick,
                        (%(wd)s::date[])[open_ord + floor(random() * span1)::int - %(base)s]
                            AS tribunal_on,
                        (%(wd)s::date[])[open_ord + floor(random() * span1)::int - %(base)s]
                            AS dr_on
                    FROM nat_case c JOIN nat_svc s USING (idx)
                ) x
            ) y
            ORDER BY case_id
            """
        )

    def secondary(self) -> int:
        reasons = self.sql(
            """
            INSERT INTO casework_case_secondary_reasons (case_id, contactreason_id)
            SELECT id, reason FROM (
                SELECT c.id, c.primary_reason_id,
                    s.reason_ids[1 + floor(random() * cardinality(s.reason_ids))::int] AS reason,
                    random() < 0.4 AS wanted
                FROM casework_case c JOIN nat_svc s USING (service_id)
                ORDER BY c.id
            ) x
            WHERE wanted AND reason IS DISTINCT FROM primary_reason_id
            """
        )
        needs = self.sql(
            """
            INSERT INTO casework_child_secondary_needs (child_id, needarea_id)
            SELECT id, need FROM (
                SELECT c.id, c.primary_need_id,
                    s.need_ids[1 + floor(random() * cardinality(s.need_ids))::int] AS need,
                    random() < 0.2 AS wanted
                FROM casework_child c JOIN nat_svc s USING (service_id)
                ORDER BY c.id
            ) x
            WHERE wanted AND need IS DISTINCT FROM primary_need_id
            """
        )
        return reasons + needs

    def case_events(self) -> int:
        """Opened, closed, re-opened, closed, in order; `ended_on` on an opening is the day
        of the closing that ended it, as casework.actions.close_case keeps it."""
        return self.sql(
            """
            INSERT INTO casework_caseevent (service_id, case_id, kind, "on", by_id,
                closure_reason, outcome, closing_summary, ended_on, recorded_at)
            SELECT service_id, case_id, kind, day, officer_id, reason, outcome, '', ended_on,
                least((day + time '16:30') AT TIME ZONE 'Europe/London', %(now)s)
            FROM (
                SELECT service_id, case_id, officer_id, 'opened' AS kind, opened_on AS day,
                    1 AS seq, '' AS reason, '' AS outcome,
                    CASE WHEN closed1 THEN close1_on END AS ended_on
                FROM nat_case
                UNION ALL
                SELECT service_id, case_id, officer_id, 'closed', close1_on, 2, reason1,
                    outcome1, NULL
                FROM nat_case WHERE closed1
                UNION ALL
                SELECT service_id, case_id, officer_id, 'reopened', reopen_on, 3, '', '',
                    close2_on
                FROM nat_case WHERE reopen_ord IS NOT NULL
                UNION ALL
                SELECT service_id, case_id, officer_id, 'closed', close2_on, 4, reason2,
                    outcome2, NULL
                FROM nat_case WHERE close2_ord IS NOT NULL
            ) e
            ORDER BY day, case_id, seq
            """
        )

    def allocations(self) -> int:
        """An IPS allocated early in the first opening; close_case ends it on the closing."""
        return self.sql(
            """
            INSERT INTO casework_allocation (service_id, case_id, volunteer_id, started_on,
                ended_on, allocated_by_id)
            SELECT c.service_id, c.case_id, s.ips_ids[c.ips_n], c.alloc_on,
                CASE WHEN c.closed1 THEN c.close1_on END, c.officer_id
            FROM nat_case c JOIN nat_svc s USING (idx)
            WHERE c.alloc_ord IS NOT NULL
            ORDER BY c.alloc_on, c.case_id
            """
        )

    def contacts(self) -> int:
        """The first contact on the opening day (by the officer), the last on the case's last
        day of activity, the others anywhere in its open periods up to then; while an IPS is
        allocated, most are theirs. Inserted in time order, as they would have been logged."""
        minutes = " ".join(
            f"WHEN '{method}' THEN (ARRAY{list(values)})[1 + floor(r_min * {len(values)})::int]"
            for method, values in MINUTES.items()
        )
        notes = [
            "Advice given by phone.",
            "Rang parent back.",
            "Email reply sent.",
            "Sent the information pack.",
            "Talked through next steps.",
            "Meeting at school arranged.",
            "Went through the draft plan.",
            "Explained the assessment process.",
            "Left a voicemail.",
            "Parent updated us.",
            "Checked with the LA SEN team.",
            "Prepared for the annual review.",
            "Explained appeal rights.",
            "Things have settled at school.",
        ]
        # The minutes come from demo.casework.MINUTES, a CASE over the methods.
        statement = """
            INSERT INTO casework_contact (service_id, case_id, at, by_id, volunteer_id, method,
                minutes, note, follow_up, follow_up_due_on, follow_up_done_on, created_at)
            SELECT service_id, case_id, at, by_id, volunteer_id, method,
                CASE method MINUTES_BY_METHOD END,
                (%(notes)s::text[])[1 + floor(r_note * %(n_notes)s)::int],
                CASE WHEN follow THEN (%(follow_ups)s::text[])
                    [1 + floor(r_note * %(n_follow)s)::int] ELSE '' END,
                CASE WHEN follow THEN due END,
                CASE WHEN follow AND due <= %(today)s - 7 AND r_done < 0.95 THEN done END,
                at
            FROM (
                SELECT y.*,
                    least(((%(wd)s::date[])[ord - %(base)s]
                        + make_interval(mins => 510 + 5 * floor(r_time * 96)::int))
                        AT TIME ZONE 'Europe/London', %(now)s) AS at,
                    CASE WHEN volunteer_id IS NOT NULL
                        THEN (%(volunteer_methods)s::text[])
                            [1 + floor(r_method * %(n_volunteer)s)::int]
                        WHEN k = 1 THEN (%(intake_methods)s::text[])
                            [1 + floor(r_method * %(n_intake)s)::int]
                        ELSE (%(staff_methods)s::text[])[1 + floor(r_method * %(n_staff)s)::int]
                    END AS method,
                    (%(wd)s::date[])[ord + 5 - %(base)s] AS due,
                    (%(wd)s::date[])[ord + 1 + floor(r_done * 5)::int - %(base)s] AS done
                FROM (
                    SELECT x.*,
                        CASE WHEN volunteer THEN s.ips_ids[x.ips_n] END AS volunteer_id,
                        CASE WHEN volunteer THEN s.ips_user_ids[x.ips_n]
                            WHEN k > 1 AND r_support < 0.04 THEN s.support_id
                            ELSE x.officer_id END AS by_id
                    FROM (
                        SELECT w.*,
                            alloc_ord IS NOT NULL AND k > 1 AND ord >= alloc_ord
                                AND (NOT closed1 OR ord < close1_ord)
                                AND r_vol_contact < %(volunteer_share)s AS volunteer
                        FROM (
                            SELECT v.*,
                                CASE WHEN k = 1 THEN open_ord
                                    WHEN k = n_contacts THEN last_contact_ord
                                    WHEN u < span1 THEN open_ord + u
                                    ELSE reopen_ord + u - span1 END AS ord
                            FROM (
                                SELECT c.idx, c.service_id, c.case_id, c.officer_id, c.open_ord,
                                    c.reopen_ord, c.span1, c.n_contacts, c.last_contact_ord,
                                    c.alloc_ord, c.closed1, c.close1_ord, c.ips_n, k,
                                    floor(random() * (c.span1 + c.span2))::int AS u,
                                    random() AS r_vol_contact, random() AS r_support,
                                    random() AS r_time, random() AS r_method, random() AS r_min,
                                    random() AS r_note, random() AS r_done,
                                    random() < 0.05 AS follow
                                FROM nat_case c, generate_series(1, c.n_contacts) k
                            ) v
                        ) w
                    ) x
                    JOIN nat_svc s USING (idx)
                ) y
            ) z
            ORDER BY at, case_id
            """
        return self.sql(
            statement.replace("MINUTES_BY_METHOD", minutes),
            notes=notes,
            n_notes=len(notes),
            follow_ups=FOLLOW_UPS,
            n_follow=len(FOLLOW_UPS),
            volunteer_methods=[str(m) for m in bag(VOLUNTEER_METHODS)],
            n_volunteer=len(bag(VOLUNTEER_METHODS)),
            intake_methods=[str(m) for m in bag(INTAKE_METHODS)],
            n_intake=len(bag(INTAKE_METHODS)),
            staff_methods=[str(m) for m in bag(STAFF_METHODS)],
            n_staff=len(bag(STAFF_METHODS)),
            volunteer_share=VOLUNTEER_SHARE,
        )

    def enquiries(self) -> int:
        """Enquiries converted into the cases that came from one (received that day, answered
        by the opening at the latest, as open_case records it), and the rest."""
        delays = bag(ENQUIRY_DELAYS)
        kinds = bag(
            [(EnquirerType.PARENT, 78), (EnquirerType.PROFESSIONAL, 17), (EnquirerType.OTHER, 5)]
        )
        return self.sql(
            """
            INSERT INTO casework_enquiry (version, service_id, received_at, enquirer_type,
                enquirer_name, enquirer_contact, topic_id, summary, minutes, substantial,
                first_response_on, taken_by_id, case_id, created_at)
            SELECT
                1 + (first_response_on IS NOT NULL AND first_response_on <> received_on
                    AND first_response_on IS DISTINCT FROM converted_on)::int
                  + (case_id IS NOT NULL)::int,
                service_id, received_at, enquirer_type, enquirer_name, enquirer_contact,
                topic_id, summary,
                CASE WHEN substantial THEN (ARRAY[20, 30, 45, 60])[1 + floor(random() * 4)::int]
                    ELSE (ARRAY[5, 5, 10, 15])[1 + floor(random() * 4)::int] END,
                substantial, first_response_on, taken_by_id, case_id, received_at
            FROM (
                SELECT c.service_id, c.case_id, c.received_on, c.opened_on AS converted_on,
                    least(((c.received_on + make_interval(mins => 510 + 5 * floor(random()
                        * 96)::int)) AT TIME ZONE 'Europe/London'), %(now)s) AS received_at,
                    'parent' AS enquirer_type,
                    (%(first_names)s::text[])[1 + mod(c.parent_id * 40503, %(n_first)s)] || ' '
                        || (%(last_names)s::text[])[1 + mod(c.parent_id * 2654435761, %(n_last)s)]
                        AS enquirer_name,
                    '07' || lpad((floor(random() * 1000000000))::bigint::text, 9, '0')
                        AS enquirer_contact,
                    k.primary_reason_id AS topic_id,
                    'Asked for help; details taken for casework.' AS summary,
                    random() < 0.8 AS substantial,
                    least(
                        (%(wd)s::date[])[c.open_ord - c.recv_lag - %(base)s
                            + (%(delays)s::int[])[1 + floor(random() * %(n_delays)s)::int]],
                        c.opened_on) AS first_response_on,
                    c.officer_id AS taken_by_id
                FROM nat_case c JOIN casework_case k ON k.id = c.case_id
                WHERE c.from_enquiry
                UNION ALL
                SELECT service_id, NULL, received_on, NULL, received_at, enquirer_type,
                    enquirer_name
                        || CASE WHEN enquirer_type = 'professional' THEN ', SENCo' ELSE '' END,
                    enquirer_contact, topic_id, summary, substantial,
                    CASE WHEN respond_ord <= %(today_ord)s
                        AND NOT (recv_ord >= %(today_ord)s - 2 AND r_wait < 0.5)
                        THEN (%(wd)s::date[])[respond_ord - %(base)s] END,
                    taken_by_id
                FROM (
                    SELECT r.*, (%(wd)s::date[])[recv_ord - %(base)s] AS received_on,
                        least((((%(wd)s::date[])[recv_ord - %(base)s]
                            + make_interval(mins => 510 + 5 * floor(random() * 96)::int))
                            AT TIME ZONE 'Europe/London'), %(now)s) AS received_at,
                        recv_ord + (%(delays)s::int[])[1 + floor(random() * %(n_delays)s)::int]
                            AS respond_ord
                    FROM (
                        SELECT s.service_id,
                            %(start_ord)s + floor(random()
                                * (%(today_ord)s - %(start_ord)s + 1))::int AS recv_ord,
                            (%(kinds)s::text[])[1 + floor(random() * %(n_kinds)s)::int]
                                AS enquirer_type,
                            (%(first_names)s::text[])[1 + floor(random() * %(n_first)s)::int]
                                || ' ' || (%(last_names)s::text[])
                                    [1 + floor(random() * %(n_last)s)::int] AS enquirer_name,
                            '07' || lpad((floor(random() * 1000000000))::bigint::text, 9, '0')
                                AS enquirer_contact,
                            s.reason_ids[1 + floor(random() * cardinality(s.reason_ids))::int]
                                AS topic_id,
                            (%(summaries)s::text[])[1 + floor(random() * %(n_summaries)s)::int]
                                AS summary,
                            random() < 0.3 AS substantial,
                            CASE WHEN random() < 0.3 THEN s.support_id
                                ELSE s.officer_ids[1 + floor(random()
                                    * cardinality(s.officer_ids))::int] END AS taken_by_id,
                            random() AS r_wait
                        FROM nat_svc s
                        LEFT JOIN (
                            SELECT idx, count(*)::int AS converted FROM nat_case
                            WHERE from_enquiry GROUP BY idx
                        ) n USING (idx),
                            generate_series(1, s.enquiries - coalesce(n.converted, 0))
                    ) r
                ) q
            ) e
            ORDER BY received_at, service_id
            """,
            delays=delays,
            n_delays=len(delays),
            kinds=[str(k) for k in kinds],
            n_kinds=len(kinds),
            summaries=ENQUIRY_SUMMARIES,
            n_summaries=len(ENQUIRY_SUMMARIES),
            n_first=len(self.common_params()["first_names"]),
            n_last=len(self.common_params()["last_names"]),
        )

    def monthly_returns(self) -> int:
        """The signed-in IPS return their casework hours most months."""
        return self.sql(
            """
            INSERT INTO volunteers_monthlyreturn (service_id, volunteer_id, month, phone_hours,
                meeting_hours, paperwork_hours, tribunal_hours, miles, expenses,
                submitted_by_id, submitted_at)
            SELECT service_id, volunteer_id, month,
                round((random() * 6)::numeric, 1), round((random() * 8)::numeric, 1),
                round((random() * 4)::numeric, 1),
                CASE WHEN random() < 0.1 THEN round((random() * 5)::numeric, 1) ELSE 0 END,
                0, 0,
                user_id,
                least(((month + interval '1 month 2 days')::date + time '19:00')
                    AT TIME ZONE 'Europe/London', %(now)s)
            FROM (
                SELECT s.service_id, v.volunteer_id, v.user_id, m::date AS month,
                    random() < 0.85 AS returned
                FROM nat_svc s,
                    unnest(s.ips_ids, s.ips_user_ids) AS v(volunteer_id, user_id),
                    generate_series(date_trunc('month', %(start)s::date),
                        date_trunc('month', %(today)s::date) - interval '1 month',
                        interval '1 month') m
            ) x
            WHERE returned
            ORDER BY month, volunteer_id
            """,
            start=self.start,
        )

    def events(self) -> int:
        kinds = bag(EVENT_WEIGHTS.items())
        return self.sql(
            """
            INSERT INTO evaluations_event (version, service_id, kind, title, topic, "on", venue,
                speaker, parents_attending, professionals_attending, volunteers_attending,
                evaluation_summary, cleared_for_steering, recorded_by_id, created_at)
            SELECT 1, service_id, kind,
                (%(titles)s::text[])[array_position(%(kind_names)s::text[], kind)],
                '', day, place || ' Library', '',
                CASE WHEN kind = 'professional_training' THEN floor(random() * 4)::int
                    ELSE 4 + floor(random() * 30)::int END,
                CASE WHEN kind = 'professional_training' THEN 6 + floor(random() * 20)::int
                    ELSE floor(random() * 6)::int END,
                floor(random() * 5)::int,
                '', random() < 0.7, coordinator_id,
                least((day + time '18:00') AT TIME ZONE 'Europe/London', %(now)s)
            FROM (
                SELECT s.service_id, s.coordinator_id,
                    (%(kinds)s::text[])[1 + floor(random() * %(n_kinds)s)::int] AS kind,
                    (%(wd)s::date[])[%(start_ord)s + floor(random()
                        * (%(today_ord)s - %(start_ord)s + 1))::int - %(base)s] AS day,
                    (%(places)s::text[])[1 + floor(random() * %(n_places)s)::int] AS place
                FROM nat_svc s, generate_series(1, s.events)
            ) x
            ORDER BY day, service_id
            """,
            kinds=[str(k) for k in kinds],
            n_kinds=len(kinds),
            kind_names=[str(k) for k in EVENT_TITLES],
            titles=list(EVENT_TITLES.values()),
            n_places=len(LOCALITY_NAMES),
        )

    def sendings(self) -> int:
        """Parent forms (the case's evaluation_sent_on), some professional ones, schools'
        surveys and volunteer questionnaires; then forms handed out at events, as many as
        make the requested total."""
        self.sql(
            """
            CREATE TEMP TABLE nat_send ON COMMIT DROP AS
            SELECT c.service_id, c.case_id, NULL::bigint AS event_id,
                CASE WHEN c.sent_on >= %(v2_on)s THEN s.parent_v2 ELSE s.parent_v1 END
                    AS version_id,
                'parent' AS recipient_kind,
                (%(first_names)s::text[])[1 + mod(c.parent_id * 40503, %(n_first)s)] || ' '
                    || (%(last_names)s::text[])[1 + mod(c.parent_id * 2654435761, %(n_last)s)]
                    AS recipient_name,
                '' AS recipient_organisation,
                CASE WHEN random() < 0.6 THEN 'email' ELSE 'letter' END AS channel,
                c.sent_on, c.officer_id AS sent_by_id, s.link_days
            FROM nat_case c JOIN nat_svc s USING (idx)
            WHERE c.sent_on IS NOT NULL
            UNION ALL
            SELECT c.service_id, c.case_id, NULL, s.professional_v, 'professional',
                (%(first_names)s::text[])[1 + floor(random() * %(n_first)s)::int] || ' '
                    || (%(last_names)s::text[])[1 + floor(random() * %(n_last)s)::int],
                (%(places)s::text[])[1 + floor(random() * %(n_places)s)::int] || ' School',
                CASE WHEN random() < 0.8 THEN 'email' ELSE 'letter' END,
                c.sent_on, c.officer_id, s.link_days
            FROM nat_case c JOIN nat_svc s USING (idx)
            WHERE c.professional
            UNION ALL
            SELECT s.service_id, NULL, NULL, s.schools_v, 'school', '',
                (%(places)s::text[])[1 + floor(random() * %(n_places)s)::int] || ' School',
                CASE WHEN random() < 0.7 THEN 'email' ELSE 'letter' END,
                (%(wd)s::date[])[%(start_ord)s + floor(random()
                    * (%(today_ord)s - %(start_ord)s + 1))::int - %(base)s],
                s.coordinator_id, s.link_days
            FROM nat_svc s, generate_series(1, s.schools)
            UNION ALL
            SELECT s.service_id, NULL, NULL, s.volunteer_v, 'volunteer', '', '', 'email',
                make_date(y, 7, 1), s.coordinator_id, s.link_days
            FROM nat_svc s, unnest(s.ips_ids) v,
                generate_series(extract(year FROM %(start)s::date)::int + 1,
                    extract(year FROM %(today)s::date)::int) y
            WHERE make_date(y, 7, 1) <= %(today)s
            """,
            n_first=len(self.common_params()["first_names"]),
            n_last=len(self.common_params()["last_names"]),
            n_places=len(LOCALITY_NAMES),
            start=self.start,
        )
        # Handed out at events, in proportion to attendance, making the total exact.
        self.sql(
            """
            INSERT INTO nat_send
            SELECT e.service_id, NULL, e.id, s.event_v, 'attendee', '', '', 'handed_out',
                e."on", s.coordinator_id, s.link_days
            FROM (
                SELECT e.*,
                    (%(rest)s::bigint * sum(weight) OVER w / sum(weight) OVER ())
                    - (%(rest)s::bigint * (sum(weight) OVER w - weight) / sum(weight) OVER ())
                        AS forms
                FROM (
                    SELECT id, service_id, "on",
                        parents_attending + professionals_attending + 1 AS weight
                    FROM evaluations_event WHERE kind = ANY(%(kinds)s)
                ) e
                WINDOW w AS (ORDER BY id)
            ) e
            JOIN nat_svc s USING (service_id), generate_series(1, e.forms::int)
            """,
            rest=max(0, self.totals["sendings"] - self._count("nat_send")),
            kinds=[str(k) for k in HANDED_OUT],
        )
        return self.sql(
            """
            INSERT INTO evaluations_sending (service_id, case_id, event_id, version_id,
                recipient_kind, recipient_name, recipient_email, recipient_organisation,
                channel, sent_on, sent_by_id, token_hash, expires_on, email_status,
                email_error, email_attempts, created_at)
            SELECT service_id, case_id, event_id, version_id, recipient_kind, recipient_name,
                CASE WHEN channel = 'email'
                    THEN 'recipient' || n::text || '@example.com' ELSE '' END,
                recipient_organisation, channel, sent_on, sent_by_id,
                -- Only a token's hash is stored (evaluations/links.py): any unique hex will do.
                encode(sha256(convert_to('national-' || %(seed)s || '-' || n::text, 'UTF8')),
                    'hex'),
                sent_on + link_days,
                CASE WHEN channel = 'email' THEN 'sent' ELSE '' END, '',
                (channel = 'email')::int,
                least((sent_on + time '11:00') AT TIME ZONE 'Europe/London', %(now)s)
            FROM (
                SELECT t.*, row_number() OVER (ORDER BY sent_on, service_id, case_id, event_id)
                    AS n
                FROM nat_send t
            ) x
            ORDER BY n
            """,
            seed=self.seed,
        )

    def _count(self, table) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own names)
            return cursor.fetchone()[0]

    def responses(self) -> int:
        rates = {str(kind): rate for kind, rate in RETURN_RATES.items()}
        return self.sql(
            """
            INSERT INTO evaluations_response (service_id, sending_id, version_id, sent_on,
                received_on, source, entered_by_id, created_at)
            SELECT service_id, id, version_id, sent_on, received_on,
                CASE WHEN channel = 'email' THEN 'online' ELSE 'paper' END,
                CASE WHEN channel = 'email' THEN NULL ELSE support_id END,
                least((received_on + time '14:00') AT TIME ZONE 'Europe/London', %(now)s)
            FROM (
                SELECT x.*, s.support_id FROM (
                    SELECT t.id, t.service_id, t.version_id, t.channel, t.sent_on,
                        t.sent_on + 1 + floor(random() * 35)::int AS received_on,
                        random() < (%(rates)s::jsonb ->> f.kind)::float AS returned
                    FROM evaluations_sending t
                    JOIN evaluations_formversion v ON v.id = t.version_id
                    JOIN evaluations_evaluationform f ON f.id = v.form_id
                ) x
                JOIN nat_svc s USING (service_id)
                WHERE returned AND received_on <= %(today)s
            ) y
            ORDER BY received_on, id
            """,
            rates=json.dumps(rates),
        )

    def answers(self) -> int:
        """Every required question answered, most others, a few comments; good ratings
        more often than poor ones."""
        excellence = (
            bag([("Excellent", 45), ("Very good", 30), ("Good", 14), ("Satisfactory", 7)])
            + ["Unsatisfactory"] * 4
        )
        met = bag([("More than met", 35), ("Met", 45), ("Partly met", 15), ("Not met", 5)])
        return self.sql(
            """
            INSERT INTO evaluations_answer (service_id, response_id, question_id, value,
                publishable, publishable_set_by_id, publishable_set_at)
            SELECT service_id, response_id, question_id, value, publishable,
                CASE WHEN publishable THEN coordinator_id END,
                CASE WHEN publishable
                    THEN least((received_on + 7 + time '10:00') AT TIME ZONE 'Europe/London',
                        %(now)s) END
            FROM (
                SELECT r.service_id, r.id AS response_id, q.id AS question_id, r.received_on,
                    s.coordinator_id,
                    CASE
                        WHEN q.allow_not_applicable AND random() < 0.05 THEN 'Not applicable'
                        WHEN q.kind = 'rating' AND q.scale = 'met'
                            THEN (%(met)s::text[])[1 + floor(random() * %(n_met)s)::int]
                        WHEN q.kind = 'rating'
                            THEN (%(excellence)s::text[])
                                [1 + floor(random() * %(n_excellence)s)::int]
                        WHEN q.kind = 'yes_no'
                            THEN CASE WHEN random() < 0.88 THEN 'Yes' ELSE 'No' END
                        WHEN q.kind IN ('single', 'multiple')
                            THEN q.options ->> floor(random()
                                * jsonb_array_length(q.options))::int
                        ELSE (%(comments)s::text[])[1 + floor(random() * %(n_comments)s)::int]
                    END AS value,
                    q.kind = 'text' AND random() < 0.2 AS publishable,
                    q.required OR random() < CASE WHEN q.kind = 'text' THEN 0.3 ELSE 0.93 END
                        AS answered
                FROM evaluations_response r
                JOIN evaluations_question q ON q.version_id = r.version_id
                JOIN nat_svc s ON s.service_id = r.service_id
                ORDER BY r.id, q.position
            ) x
            WHERE answered
            """,
            excellence=excellence,
            n_excellence=len(excellence),
            met=met,
            n_met=len(met),
            comments=COMMENTS,
            n_comments=len(COMMENTS),
        )

    def sequences(self) -> None:
        with connection.cursor() as cursor:
            for table in ("casework_parent", "casework_child", "casework_case"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                    f" (SELECT max(id) FROM {table}))"
                )

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def counts(self) -> dict:
        tables = {
            "services": "pps_service",
            "users": "pps_user",
            "volunteers": "volunteers_volunteer",
            "volunteer status changes": "volunteers_volunteerstatuschange",
            "monthly returns": "volunteers_monthlyreturn",
            "parents": "casework_parent",
            "children": "casework_child",
            "cases": "casework_case",
            "open cases": "casework_case WHERE status = 'open'",
            "case events": "casework_caseevent",
            "allocations": "casework_allocation",
            "contacts": "casework_contact",
            "enquiries": "casework_enquiry",
            "events": "evaluations_event",
            "evaluation sendings": "evaluations_sending",
            "responses": "evaluations_response",
            "answers": "evaluations_answer",
        }
        return {name: self._count(table) for name, table in tables.items()}


def generate(*, services=150, scale=1.0, seed=1, today=None, out=log) -> dict:
    """Fill the (empty, migrated) database; returns the row counts."""
    today = today or timezone.localdate()
    generator = Generator(services=services, scale=scale, seed=seed, today=today, out=out)
    counts = generator.run()
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=150)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database (see bench/README.md).")
    began = time.monotonic()
    log(f"Migrating {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    log(f"{'migrate':<34}{'':>11}      {time.monotonic() - began:7.1f} s")
    with connection.cursor() as cursor:
        # The settings the product recommends (README.md), for whoever reads this database.
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET jit = off")
        cursor.execute(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
        # The generator's own work tables live in memory (set before any is made).
        cursor.execute("SET temp_buffers = '1GB'")
    counts = generate(services=options.services, scale=options.scale, seed=options.seed)
    # Sets the visibility map and hint bits now, so that benchmarks neither wait for
    # autovacuum nor run beside it (outside the transaction: VACUUM cannot run in one).
    vacuumed = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    log(f"{'vacuum':<34}{'':>11}      {time.monotonic() - vacuumed:7.1f} s")
    log("")
    for name, count in counts.items():
        log(f"{name:<34}{count:>11,}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    log(f"database size {size}; total {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
