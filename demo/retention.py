"""Demo families for the retention page (docs/data-lifecycle.md): four whose records are due
for anonymisation (one because the child of its tribunal appeal case has turned 25), one
kept because its tribunal child is not 25 yet, and one on legal hold.

Their cases were opened and closed years before the demo's other records, through
casework's actions, so they have their events, contacts and history like any case.
"""

import datetime as dt

from django.utils import timezone

from casework import actions
from casework.enums import ClosureReason, ContactMethod, Outcome
from casework.models import Child, Parent
from retention import actions as retention
from retention.queries import years_before

# (years before today the case opened, closed; years old the child is today, or None for a
# case without a tribunal appeal (the child is then of school age when the case opened);
# placed on legal hold)
FAMILIES = (
    (9, 8, None, False),
    (8, 7, None, False),
    (10, 7, None, False),
    (11, 9, 26, False),
    (10, 8, 21, False),
    (9, 7, None, True),
)
HOLD_REASON = "A claim against the local authority names this family's case: keep until settled."


def generate_retention(*, service, coordinator, officer, today: dt.date, fake) -> dict:
    """Make the families, each with one case and one contact; returns the counts for the
    demo's summary."""
    held = 0
    for opened, closed, child_age, hold in FAMILIES:
        opened_on = years_before(today, opened)
        closed_on = years_before(today, closed)
        born = years_before(today, child_age) if child_age else years_before(opened_on, 9)
        last_name = fake.last_name()
        parent = Parent.objects.create(
            service=service,
            first_name=fake.first_name(),
            last_name=last_name,
            phone=fake.phone_number(),
            postcode=fake.postcode(),
        )
        child = Child.objects.create(
            service=service,
            first_name=fake.first_name(),
            last_name=last_name,
            date_of_birth=born + dt.timedelta(days=40),
            school_name=f"{fake.city()} School",
        )
        case = actions.open_case(
            service=service,
            by=officer,
            parent=parent,
            child=child,
            officer=officer,
            received_on=opened_on,
            opened_on=opened_on,
            tribunal_appeal_on=opened_on + dt.timedelta(days=120) if child_age else None,
        )
        actions.log_contact(
            case=case,
            by=officer,
            at=timezone.make_aware(dt.datetime.combine(opened_on, dt.time(10))),
            method=ContactMethod.PHONE_IN,
            minutes=30,
            note=fake.sentence(),
        )
        actions.close_case(
            case=case,
            by=officer,
            on=closed_on,
            reason=ClosureReason.RESOLVED,
            outcome=Outcome.RESOLVED,
        )
        if hold:
            retention.place_legal_hold(parent=parent, by=coordinator, reason=HOLD_REASON)
            held += 1
    return {"families for retention": len(FAMILIES), "families on legal hold": held}
