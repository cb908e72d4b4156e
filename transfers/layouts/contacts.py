"""Contacts (pieces of work on a case), one row each, on cases already in the service."""

from collections import defaultdict

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from casework.enums import ContactMethod
from casework.models import Case, Contact
from transfers.cells import Choice, Column, Date, DateTime, StaffMember, Text, WholeNumber
from transfers.layouts.base import Layout, no_such_case
from transfers.layouts.volunteers import volunteer_reference

BATCH = 5000


class ContactLayout(Layout):
    key = "contacts"
    title = "Contacts"
    creates = ("contacts",)
    preview_columns = ("reference", "case_reference", "at", "method", "minutes")
    columns = (
        Column("reference", "The contact's reference in the old system (unique in the file).",
               Text(100), required=True),
        Column("case_reference", "The reference of the case it was work on (a case already "
               "in the service: import cases first).", Text(20), required=True),
        Column("at", "When.", DateTime(), required=True),
        Column("method", "How.", Choice(choices=ContactMethod), required=True),
        Column("minutes", "Minutes spent (at least 1).", WholeNumber(minimum=1), required=True),
        Column("by", "The member of staff who did it (you, when empty and no volunteer did).",
               StaffMember()),
        Column("volunteer_reference", "The IPS volunteer who did it, if one did: their "
               "reference in the volunteers file, or their full name (import volunteers "
               "first). A volunteer's contacts count as contacts, not office hours.",
               Text(100)),
        Column("note", "Confidential note.", Text()),
        Column("follow_up", "Follow-up action.", Text(300)),
        Column("follow_up_due_on", "Follow-up due on.", Date(past_only=False)),
        Column("follow_up_done_on", "Follow-up done on.", Date()),
    )  # fmt: skip
    example = {
        "reference": "CON-88123",
        "case_reference": "OLD-2019-0042",
        "at": "2019-03-04 10:30",
        "method": "phone_in",
        "minutes": "25",
        "by": "",
        "note": "Talked through the annual review paperwork.",
        "follow_up": "Send the leaflet on EHC plans",
        "follow_up_due_on": "2019-03-11",
        "follow_up_done_on": "2019-03-08",
    }

    def check_row(self, values, context):
        case = context.cases.get(values["case_reference"])
        if case is None:
            yield no_such_case(values["case_reference"])
        elif timezone.localdate(values["at"]) < case[1]:
            yield "at", f"This is before the case was opened ({case[1]:%-d %B %Y})."
        if values["volunteer_reference"]:
            volunteer = context.volunteers.get(values["volunteer_reference"].lower())
            if volunteer is None:
                yield (
                    "volunteer_reference",
                    "No volunteer of this service has this reference or name.",
                )
            elif values["by"]:
                yield "by", "A contact is by a member of staff or by a volunteer, not both."
            else:
                values["_volunteer"] = volunteer
        if values["follow_up_due_on"] and not values["follow_up"]:
            yield "follow_up", "Say what needs following up by that date."

    def load(self, rows, context, *, by, run):
        contacts = [
            Contact(
                service=context.service,
                case_id=context.cases[row["case_reference"]][0],
                by_id=row["by"] or _volunteer_user(row) or by.pk,
                volunteer_id=row["_volunteer"][0] if row.get("_volunteer") else None,
                **self.as_given(row, besides=("case_reference", "by", "volunteer_reference")),
            )
            for row in rows
        ]
        created = bulk_create_with_history(contacts, Contact, batch_size=BATCH, default_user=by)
        self.remember_rows(context, rows, created, run)
        _update_last_contact(context, created)
        return {"contacts": len(created)}

    def export(self, service):
        yield self.header
        moment = DateTime().format
        date = Date().format
        contacts = (
            Contact.objects.filter(service=service)
            .order_by("at", "id")
            .values_list(
                "pk", "case__reference", "at", "method", "minutes", "by__username",
                "by__first_name", "by__last_name", "volunteer_id", "note", "follow_up",
                "follow_up_due_on", "follow_up_done_on",
            )
        )  # fmt: skip
        for pk, case, at, method, minutes, username, first, last, *rest in contacts.iterator(
            chunk_size=5000
        ):
            volunteer, note, follow_up, due, done = rest
            yield [
                f"N{pk}", case, moment(at), method, minutes,
                "" if volunteer else f"{first} {last}".strip() or username,
                volunteer_reference(volunteer) if volunteer else "",
                note, follow_up, date(due), date(done),
            ]  # fmt: skip


def _volunteer_user(row) -> int | None:
    """A volunteer's contact is theirs when they have an account (as they log it)."""
    return row["_volunteer"][2] if row.get("_volunteer") else None


def _update_last_contact(context, contacts) -> None:
    """Keep each case's last contact (and last activity) in step, as casework.actions.
    log_contact does: one bulk update, no history row (the fields are derived)."""
    latest = defaultdict(lambda: None)
    for contact in contacts:
        day = timezone.localdate(contact.at)
        if latest[contact.case_id] is None or day > latest[contact.case_id]:
            latest[contact.case_id] = day
    cases = list(
        Case.objects.filter(pk__in=latest.keys()).only("pk", "last_contact_on", "last_activity_on")
    )
    for case in cases:
        day = latest[case.pk]
        case.last_contact_on = max(case.last_contact_on or day, day)
        case.last_activity_on = max(case.last_activity_on or day, day)
    Case.objects.bulk_update(cases, ["last_contact_on", "last_activity_on"], batch_size=2000)
