"""Writes on subject access requests (docs/data-lifecycle.md, "Subject access requests").

Keyword-only, one transaction each; a refusal raises ValidationError naming the field and
changes nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from access_requests.documents import BUNDLE
from access_requests.models import SubjectAccessRequest
from access_requests.rules import due_on
from casework.models import Parent
from pps.documents import request_document
from pps.models import GeneratedDocument, User
from pps.validators import refuse_future

# A name this short would blank out parts of ordinary words' neighbours ("Al", "Jo" are
# names; one letter is not one); more than this many is a list pasted by mistake.
SHORTEST_NAME = 2
MOST_NAMES = 50
LONGEST_NAME = 100


def record_request(
    *, parent: Parent, received_on: date, requester: str, by: User
) -> SubjectAccessRequest:
    """A new request for `parent`, due one calendar month after it was received."""
    refuse_future(received_on, "received_on")
    with transaction.atomic():
        return SubjectAccessRequest.objects.create(
            service_id=parent.service_id,
            parent=parent,
            received_on=received_on,
            requester=requester.strip(),
            due_on=due_on(received_on),
            recorded_by=by,
        )


def clean_names(text: str) -> list[str]:
    """The names typed one a line, blank lines and repeats (in any case) left out."""
    names: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def produce_bundle(
    *, request: SubjectAccessRequest, redacted_names: list[str], by: User
) -> GeneratedDocument:
    """Queue the bundle of everything held about the request's parent and their children,
    with `redacted_names` replaced by "[redacted]" in it; the names and the new bundle are
    recorded on the request in the same transaction."""
    for name in redacted_names:
        if len(name) < SHORTEST_NAME:
            raise ValidationError(
                {"redacted_names": f"“{name}” is too short to redact: give whole names."}
            )
        if len(name) > LONGEST_NAME:
            raise ValidationError(
                {"redacted_names": f"A name is longer than {LONGEST_NAME} characters."}
            )
    if len(redacted_names) > MOST_NAMES:
        raise ValidationError({"redacted_names": f"Give at most {MOST_NAMES} names."})
    with transaction.atomic():
        current = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
        document = request_document(
            service=current.service,
            kind=BUNDLE,
            # The parent named too: a family's documents are deleted with its personal data
            # when it is anonymised (pps/documents.py, request_document).
            parameters={"request": current.pk, "parent": current.parent_id},
            title=f"Subject access bundle, request of {current.received_on:%-d %B %Y}",
            holds_personal_data=True,
            by=by,
        )
        current.redacted_names = "\n".join(redacted_names)
        current.redacted_count = len(redacted_names)
        current.bundle = document
        current.save()
    return document


def complete_request(*, request: SubjectAccessRequest, on: date, by: User) -> None:
    """Mark the request answered on `on` (not in the future, not before it was received)."""
    refuse_future(on, "on")
    if on < request.received_on:
        raise ValidationError(
            {"on": f"The request was received on {request.received_on:%-d %B %Y}, after this date."}
        )
    with transaction.atomic():
        current = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
        if current.completed_on is not None:
            raise ValidationError(
                {"on": f"This request was completed on {current.completed_on:%-d %B %Y}."}
            )
        current.completed_on = on
        current.completed_by = by
        current.save()
    request.completed_on, request.completed_by = on, by
