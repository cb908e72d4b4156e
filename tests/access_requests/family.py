"""A family with a value of its own in every field that holds one, for searching bundles."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from access_requests.actions import record_request
from casework import actions
from casework.models import Child, Feedback, Parent
from evaluations import actions as evaluation_actions
from evaluations.models import Answer
from pps.models import AccessLog
from tests import factories
from tests.evaluations import records


@dataclass
class Family:
    parent: Parent
    children: list[Child]
    cases: list
    request: object
    # Every value typed for this family, to search a bundle for.
    values: list[str] = field(default_factory=list)


def make_family(team, word: str, *, officer=None) -> Family:
    """A parent with two children, a case for each (one closed), their contacts, an
    enquiry converted into a case, an allocation, an answered evaluation form, feedback in
    the parent's name, a view of their page in the access log, and a request recorded.
    `word` makes every value distinctive (search for it to find the family)."""
    service, officer = team.service, officer or team.officer
    today = timezone.localdate()
    started = today - dt.timedelta(days=120)
    parent = Parent.objects.create(
        service=service,
        first_name=f"{word}ella",
        last_name=f"{word}son",
        email=f"{word.lower()}@example.org",
        phone="01632 960123",
        address=f"1 {word} Lane",
        postcode="CB1 2AB",
        first_language=f"{word}ish",
        consent_details=f"May share with {word} school",
        notes=f"Prefers {word} mornings",
    )
    children = [
        Child.objects.create(
            service=service,
            first_name=f"{word}ling{n}",
            last_name=f"{word}son",
            date_of_birth=dt.date(2015, 3, 10 + n),
            school_name=f"{word} Primary {n}",
        )
        for n in (1, 2)
    ]
    enquiry = factories.record_enquiry(
        service,
        officer,
        on=started,
        enquirer_name=f"{word}ella on the phone",
        enquirer_contact=f"{word}-enquiry@example.org",
        summary=f"Asked about {word} assessment",
    )
    first = actions.open_case(
        service=service,
        by=officer,
        parent=parent,
        child=children[0],
        officer=officer,
        received_on=started,
        opened_on=started,
        enquiry=enquiry,
        tribunal_notes=f"{word} tribunal papers",
    )
    second = factories.open_case(
        service, officer, opened_on=started, parent=parent, child=children[1]
    )
    contacts = [
        factories.log_contact(
            first,
            officer,
            on=started + dt.timedelta(days=n),
            note=f"{word} note {n}",
            follow_up=f"{word} follow-up {n}",
        )
        for n in (1, 2)
    ]
    factories.log_contact(second, officer, on=started + dt.timedelta(days=3), note=f"{word} note 3")
    actions.close_case(
        case=second,
        by=officer,
        on=started + dt.timedelta(days=10),
        reason="resolved",
        outcome="resolved",
    )
    actions.allocate_volunteer(
        case=first, volunteer=team.volunteer_record, by=officer, started_on=started
    )
    form = records.form_of(service, "parent")
    sending, _token = evaluation_actions.send_form(
        form=form,
        by=officer,
        channel="letter",
        recipient_kind="parent",
        case=first,
        name=f"{word}ella by post",
        on=started + dt.timedelta(days=20),
    )
    records.answer(
        sending,
        officer,
        started + dt.timedelta(days=25),
        helpfulness="Good",
        comments=f"{word} comment on the service",
    )
    Feedback.objects.create(
        service=service,
        kind="complaint",
        received_on=started,
        channel="phone",
        about="service",
        from_name=f"{word}ella {word}son",
        summary=f"{word} complaint summary",
        response=f"{word} complaint response",
    )
    AccessLog.objects.create(
        service=service,
        user=team.coordinator,
        action="view",
        path="/parents/",
        object_type="parent",
        object_id=parent.pk,
    )
    request = record_request(
        parent=parent, received_on=today, requester=f"{word}ella by email", by=team.coordinator
    )
    values = [
        parent.first_name,
        parent.last_name,
        parent.email,
        parent.address,
        parent.first_language,
        parent.consent_details,
        parent.notes,
        *(c.first_name for c in children),
        *(c.school_name for c in children),
        enquiry.enquirer_name,
        enquiry.enquirer_contact,
        enquiry.summary,
        first.reference,
        second.reference,
        first.tribunal_notes,
        *(c.note for c in contacts),
        *(c.follow_up for c in contacts),
        f"{word} note 3",
        sending.recipient_name,
        sending.reference,
        *Answer.objects.filter(response__sending=sending).values_list("value", flat=True),
        f"{word} complaint summary",
        f"{word} complaint response",
        request.requester,
    ]
    return Family(parent, children, [first, second], request, values)
