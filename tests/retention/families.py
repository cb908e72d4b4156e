"""Families made by hand for the retention tests: every personal value distinctive, so that
a search of every table finds each one or none (tests/retention/test_anonymise.py)."""

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from access_requests.actions import record_request
from casework import actions
from casework.enums import ClosureReason, Outcome
from pps.models import GeneratedDocument
from retention import actions as retention
from tests import factories
from tests.evaluations import records


@dataclass
class Family:
    parent: object
    child: object
    case: object
    values: list
    birth: dt.date
    document: GeneratedDocument
    # A file kept on the family's case (casework.CaseDocument).
    kept: object = None


def make_family(team, *, surname, given, child_name, birth, opened_on, closed_on, tribunal=None):
    """A parent, their child, one case with contacts, the enquiry it came from, an
    evaluation answered in words, a generated document and a released legal hold; every
    record edited once, so that each has history rows holding the values too."""
    service, officer = team.service, team.officer
    email = f"{given.lower()}.{surname.lower()}@example.org"
    values = [
        given,
        surname,
        email,
        f"07700 9{len(surname):02d}{len(given):03d}",
        f"12 {surname} Lane, Ely",
        f"ZX{len(given)} 9QY",
        f"Shares with {surname} Primary SENCo",
        f"{given} works nights at the {surname} mill",
        f"{given}ese",
        child_name,
        f"{child_name} {surname} Academy",
        f"Hearing about {child_name} at {surname} House",
        f"Rang {given} about {child_name}",
        f"Ring the {surname} school",
        f"Asked about {child_name} {surname}",
        f"Thank you from {given} {surname}",
        f"Claim by the {surname} family solicitor",
        f"The {surname} claim is settled",
        f"Subject access bundle for {given} {surname}",
        birth.isoformat(),
        f"{given} {surname}, by letter",
        f"Auntie {surname}",
        f"{child_name} settled at the {surname} unit",
        f"Report on {child_name} by the {surname} clinic",
    ]
    parent = factories.ParentFactory(
        service=service,
        first_name=given,
        last_name=surname,
        email=email,
        phone=values[3],
        address=values[4],
        postcode=values[5],
        consent_details=values[6],
        first_language=values[8],
        ethnicity="white_british",
    )
    parent.notes = values[7]
    parent.save()
    child = factories.ChildFactory(
        service=service,
        first_name=child_name,
        last_name=surname,
        date_of_birth=birth,
        school_name=values[10],
    )
    child.school_name = values[10]
    child.save()
    enquiry = actions.record_enquiry(
        service=service,
        by=officer,
        received_at=timezone.make_aware(dt.datetime.combine(opened_on, dt.time(9, 0))),
        enquirer_name=f"{given} {surname}",
        enquirer_contact=email,
        summary=values[14],
        minutes=10,
    )
    case = factories.open_case(
        service,
        officer,
        parent=parent,
        child=child,
        opened_on=opened_on,
        enquiry=enquiry,
        tribunal_appeal_on=tribunal,
    )
    case.tribunal_notes = values[11]
    case.save()
    factories.log_contact(
        case, officer, on=opened_on, note=values[12], follow_up=values[13], minutes=45
    )
    sending = records.send(records.form_of(service, "parent"), officer, opened_on)
    sending.case = case
    sending.recipient_name = f"{given} {surname}"
    sending.recipient_email = email
    sending.save()
    records.answer(sending, officer, opened_on, helpfulness="Good", comments=values[15])
    kept = factories.add_document(
        officer, case=case, title=values[23], name=f"{surname}-report.txt", content=b"Report"
    )
    actions.close_case(
        case=case,
        by=officer,
        on=closed_on,
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
        summary=values[22],
    )
    hold = retention.place_legal_hold(parent=parent, by=team.coordinator, reason=values[16])
    retention.release_legal_hold(hold=hold, by=team.coordinator, reason=values[17])
    # A subject access request by the parent (another app's record hanging from the
    # parent), with a third person's name to redact, edited once for its history.
    request = record_request(
        parent=parent, received_on=closed_on, requester=values[20], by=team.coordinator
    )
    request.redacted_names = values[21]
    request.save()
    document = GeneratedDocument.objects.create(
        service=service,
        kind="subject-access",
        parameters={"parent": parent.pk},
        title=values[18],
        requested_by=team.coordinator,
        status=GeneratedDocument.Status.READY,
    )
    document.file.save(f"{surname}.txt", ContentFile(values[7].encode()), save=True)
    # A document about one of the family's cases (a letter), named by the case.
    GeneratedDocument.objects.create(
        service=service,
        kind="letter",
        parameters={"case": case.pk},
        title=f"Letter about {child_name} {surname}",
        requested_by=officer,
        status=GeneratedDocument.Status.READY,
    )
    return Family(
        parent=parent,
        child=child,
        case=case,
        values=values,
        birth=birth,
        document=document,
        kept=kept,
    )
