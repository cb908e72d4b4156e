"""Enquiries, one row each; an enquiry converted to a case names the case's reference."""

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from casework.enums import EnquirerType
from casework.models import ContactReason, Enquiry
from transfers.cells import (
    Choice,
    CodeListValue,
    Column,
    Date,
    DateTime,
    StaffMember,
    Text,
    WholeNumber,
    YesNo,
)
from transfers.layouts.base import Layout, no_such_case, staff_name


class EnquiryLayout(Layout):
    key = "enquiries"
    title = "Enquiries"
    creates = ("enquiries",)
    preview_columns = ("reference", "received_at", "enquirer_type", "enquirer_name")
    columns = (
        Column("reference", "The enquiry's reference in the old system (unique in the file).",
               Text(100), required=True),
        Column("received_at", "When it was received.", DateTime(), required=True),
        Column("enquirer_type", "From whom.", Choice(choices=EnquirerType), required=True),
        Column("enquirer_name", "Their name.", Text(200)),
        Column("enquirer_contact", "Their phone or email.", Text(200)),
        Column("topic", "The topic (a reason for contact).", CodeListValue(model=ContactReason)),
        Column("summary", "What it was about.", Text()),
        Column("minutes", "Minutes spent.", WholeNumber()),
        Column("substantial", "Whether it involved substantial time (counted as a contact).",
               YesNo()),
        Column("first_response_on", "The service's first response.", Date()),
        Column("taken_by", "The member of staff who took it.", StaffMember()),
        Column("case_reference", "The case it was converted to, if any (a case already in the "
               "service).", Text(20)),
    )  # fmt: skip
    example = {
        "reference": "ENQ-5521",
        "received_at": "2019-02-27 09:15",
        "enquirer_type": "parent",
        "enquirer_name": "Sam Example",
        "enquirer_contact": "01234 567890",
        "topic": "Annual review",
        "summary": "Asked how an annual review works.",
        "minutes": "20",
        "substantial": "yes",
        "first_response_on": "2019-02-28",
        "taken_by": "",
        "case_reference": "OLD-2019-0042",
    }

    def check_row(self, values, context):
        if values["case_reference"] and values["case_reference"] not in context.cases:
            yield no_such_case(values["case_reference"])
        response = values["first_response_on"]
        if response and response < timezone.localdate(values["received_at"]):
            yield "first_response_on", "The response cannot precede the enquiry."

    def load(self, rows, context, *, by, run):
        enquiries = [
            Enquiry(
                service=context.service,
                **self.as_given(
                    row, besides=("minutes", "substantial", "taken_by", "case_reference")
                ),
                minutes=row["minutes"] or 0,
                substantial=bool(row["substantial"]),
                taken_by_id=row["taken_by"],
                case_id=context.cases[row["case_reference"]][0] if row["case_reference"] else None,
            )
            for row in rows
        ]
        created = bulk_create_with_history(enquiries, Enquiry, batch_size=5000, default_user=by)
        self.remember_rows(context, rows, created, run)
        return {"enquiries": len(created)}

    def export(self, service):
        yield self.header
        enquiries = (
            Enquiry.objects.filter(service=service)
            .select_related("topic", "taken_by", "case")
            .order_by("received_at", "id")
        )
        for e in enquiries.iterator(chunk_size=5000):
            yield self.export_row(
                e,
                reference=f"E{e.pk}",
                taken_by=staff_name(e.taken_by),
                case_reference=e.case.reference if e.case else "",
            )
