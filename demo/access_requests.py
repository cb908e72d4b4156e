"""One subject access request in the demo: a parent who asked ten days ago, still open, so
the list and the bundle have something to show (docs/data-lifecycle.md)."""

import datetime as dt

from access_requests.actions import record_request
from casework.models import Case


def generate_access_requests(*, service, coordinator, today: dt.date) -> dict[str, int]:
    case = Case.objects.filter(service=service).select_related("parent").order_by("id").first()
    if case is None:
        return {"subject_access_requests": 0}
    record_request(
        parent=case.parent,
        received_on=today - dt.timedelta(days=10),
        requester="The parent, by email to the office",
        by=coordinator,
    )
    return {"subject_access_requests": 1}
