"""Three years of fake but realistic records for one demo service (Faker, en_GB).

Each part of the demo is made by the module of what it fills (demo/casework.py says which
invariants of the actions the cases keep); this one makes the service and its staff and
calls them in turn. The records obey the invariants the actions leave behind, so that every
page and report reads them as it would read records typed in. Everything is written inside
one transaction, mostly with bulk inserts, so loading takes seconds. The same seed and
`today` give the same records: the parts draw from one random generator, in this order.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from faker import Faker

from demo.access_requests import generate_access_requests
from demo.casework import Casework, generate_appointments
from demo.context import Context
from demo.enquiries import generate_enquiries
from demo.evaluations import generate_evaluations
from demo.families import Families
from demo.feedback import generate_feedback
from demo.letters import generate_letters
from demo.network import generate_network
from demo.publications import generate_publications
from demo.quality import generate_quality
from demo.retention import generate_retention
from demo.volunteers import generate_volunteers
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from pps.models import Locality, Service, User
from pps.roles import STAFF, Role
from pps.services import create_service
from reports.periods import academic_year_containing

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
    # Records are not dated after the moment of loading when `today` is today.
    if today == timezone.localdate():
        now = timezone.now()
    else:
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(18)))
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    with scopes_disabled(), transaction.atomic():
        service = create_service(
            name=SERVICE_NAME, local_authority=LOCAL_AUTHORITY, localities=LOCALITIES
        )
        current = academic_year_containing(today, service.academic_year_start_month).first
        ctx = Context(
            service=service,
            today=today,
            now=now,
            start=current.replace(year=current.year - years),
            rng=random.Random(seed),
            fake=fake,
        )
        localities = list(Locality.objects.filter(service=service))
        officer_weights = _staff(ctx, localities)
        register = generate_volunteers(ctx, localities)
        casework = Casework(
            ctx,
            families=Families(ctx, localities),
            register=register,
            officer_weights=officer_weights,
            cases_per_year=cases_per_year,
            contacts_per_case=contacts_per_case,
        )
        plans = casework.run()
        counts, users, coordinator = ctx.counts, ctx.users, ctx.users["coordinator"]
        counts |= generate_enquiries(
            ctx,
            plans,
            topics=casework.reasons,
            caseworkers=[user for user, _, _ in officer_weights],
            per_year=enquiries_per_year,
        )
        counts |= generate_feedback(ctx)
        counts |= generate_letters(service=service)
        counts |= generate_appointments(ctx, plans)
        counts |= generate_evaluations(
            service=service,
            staff=[user for user in users.values() if user.role in STAFF],
            start=ctx.start,
            today=today,
            rng=ctx.rng,
            fake=fake,
        )
        counts |= generate_quality(service=service, coordinator=coordinator, today=today, fake=fake)
        counts |= generate_network(demo_service=service, today=today, rng=ctx.rng, fake=fake)
        counts |= generate_publications(
            service=service, coordinator=coordinator, start=ctx.start, today=today, rng=ctx.rng
        )
        counts |= generate_access_requests(service=service, coordinator=coordinator, today=today)
        retention = generate_retention(
            service=service,
            coordinator=coordinator,
            officer=users["officer"],
            today=today,
            fake=fake,
        )
        # Their cases, closed years before the demo's own, are cases of the service too.
        counts["cases"] += retention["families for retention"]
        counts["contacts"] += retention["families for retention"]
        counts |= retention
        counts["users"] = User.objects.filter(service=service).count()
        return Demo(service=service, users=users, counts=counts)


def _staff(ctx, localities):
    """The demo staff and accounts; returns the caseworkers as (user, share of cases,
    pks of the localities they cover)."""
    # One hash for every demo account: they share the published demo password.
    password = make_password(DEMO_PASSWORD)
    unusable = make_password(None)
    demo_roles = dict(DEMO_ACCOUNTS)
    officer_weights, links = [], []
    through = User.localities.through
    for username, role, fte, covered, share in DEMO_STAFF:
        assert demo_roles.get(username, role) == role, username
        user = ctx.add_user(username, role, password if username in demo_roles else unusable)
        user.fte = fte
        user.save(update_fields=["fte"])
        links += [through(user=user, locality=localities[i]) for i in covered]
        if share:
            officer_weights.append((user, share, {localities[i].pk for i in covered}))
    for username, role in DEMO_ACCOUNTS:
        if username not in ctx.users:  # a demo account added without staff details
            ctx.add_user(username, role, password)
    through.objects.bulk_create(links)
    return officer_weights
