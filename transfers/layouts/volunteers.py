"""Volunteers with their dated status history, and volunteers' monthly returns."""

from collections import defaultdict

from simple_history.utils import bulk_create_with_history

from pps.models import Locality
from transfers.cells import (
    Choice,
    CodeListValues,
    Column,
    Date,
    Hours,
    Month,
    StatusHistory,
    Text,
)
from transfers.layouts.base import Layout, names_by_owner
from volunteers.actions import MAX_MONTHLY_HOURS
from volunteers.models import (
    MonthlyReturn,
    Volunteer,
    VolunteerRole,
    VolunteerStatus,
    VolunteerStatusChange,
)

BATCH = 2000
HOURS = MonthlyReturn.HOURS


class VolunteerLayout(Layout):
    key = "volunteers"
    title = "Volunteers with their status history"
    creates = ("volunteers", "status changes")
    preview_columns = ("reference", "first_name", "last_name", "role", "status_history")
    columns = (
        Column("reference", "The volunteer's reference in the old system (unique in the file).",
               Text(100), required=True),
        Column("first_name", "First name.", Text(100), required=True),
        Column("last_name", "Last name.", Text(100), required=True),
        Column("email", "Email address.", Text(254)),
        Column("phone", "Phone number.", Text(40)),
        Column("role", "IPS or other volunteer.", Choice(choices=VolunteerRole), required=True),
        Column("status_history", "Every status with the day it began, earliest first: the "
               "last is the status now.", StatusHistory(choices=VolunteerStatus), required=True),
        Column("languages", "Languages besides English.", Text(200)),
        Column("localities", "Localities covered.", CodeListValues(model=Locality)),
        Column("availability", "Availability.", Text(200)),
        Column("dbs_checked_on", "DBS check date.", Date()),
        Column("dbs_reference", "DBS certificate number.", Text(40)),
        Column("dbs_renewal_due_on", "DBS renewal due.", Date(past_only=False)),
        Column("references_received_on", "References received on.", Date()),
        Column("confidentiality_signed_on", "Confidentiality agreement signed on.", Date()),
        Column("initial_training_completed_on", "Initial IPS course completed on.", Date()),
        Column("accreditation", "Accreditation (e.g. Open College Network credits).", Text(200)),
    )  # fmt: skip
    example = {
        "reference": "VOL-17",
        "first_name": "Jo",
        "last_name": "Helper",
        "email": "jo@example.org",
        "phone": "07700 900123",
        "role": "ips",
        "status_history": "enquirer 2018-01-08; in_training 2018-03-05; active 2018-06-01",
        "languages": "Polish",
        "localities": "North",
        "availability": "Weekday mornings",
        "dbs_checked_on": "2018-02-01",
        "dbs_reference": "001234567890",
        "dbs_renewal_due_on": "2021-02-01",
        "references_received_on": "2018-02-10",
        "confidentiality_signed_on": "2018-03-05",
        "initial_training_completed_on": "2018-05-25",
        "accreditation": "OCN level 2",
    }

    def counts(self, rows, context):
        return {
            "volunteers": len(rows),
            "status changes": sum(len(row["status_history"]) for row in rows),
        }

    def load(self, rows, context, *, by, run):
        volunteers = [
            Volunteer(
                service=context.service,
                status=row["status_history"][-1][0],
                **self.as_given(row, besides=("status_history", "localities")),
            )
            for row in rows
        ]
        created = bulk_create_with_history(volunteers, Volunteer, batch_size=BATCH, default_user=by)
        through = Volunteer.localities.through
        through.objects.bulk_create(
            through(volunteer_id=volunteer.pk, locality_id=locality.pk)
            for volunteer, row in zip(created, rows, strict=True)
            for locality in {item.pk: item for item in row["localities"]}.values()
        )
        changes = [
            VolunteerStatusChange(
                service=context.service, volunteer=volunteer, status=status, on=on, recorded_by=by
            )
            for volunteer, row in zip(created, rows, strict=True)
            for status, on in row["status_history"]
        ]
        VolunteerStatusChange.objects.bulk_create(changes, batch_size=BATCH)
        self.remember_rows(context, rows, created, run)
        return {"volunteers": len(created), "status changes": len(changes)}

    def export(self, service):
        yield self.header
        history = defaultdict(list)
        for volunteer_id, status, on in (
            VolunteerStatusChange.objects.filter(service=service)
            .order_by("volunteer_id", "on", "id")
            .values_list("volunteer_id", "status", "on")
        ):
            history[volunteer_id].append((status, on))
        localities = names_by_owner(Volunteer.localities, service)
        for volunteer in Volunteer.objects.filter(service=service).order_by("id"):
            yield self.export_row(
                volunteer,
                reference=volunteer_reference(volunteer.pk),
                status_history=history[volunteer.pk],
                localities=localities[volunteer.pk],
            )


def volunteer_reference(pk: int) -> str:
    return f"V{pk}"


class MonthlyReturnLayout(Layout):
    key = "monthly-returns"
    title = "Volunteers' monthly returns"
    creates = ("monthly returns",)
    preview_columns = ("reference", "volunteer_reference", "month", *HOURS)
    columns = (
        Column("reference", "The return's reference in the old system (unique in the file).",
               Text(100), required=True),
        Column("volunteer_reference", "The volunteer's reference in the volunteers file "
               "(import volunteers first), or their full name.", Text(100), required=True),
        Column("month", "The month returned.", Month(), required=True),
        Column("phone_hours", "Hours of casework support by phone.", Hours()),
        Column("meeting_hours", "Hours at meetings.", Hours()),
        Column("paperwork_hours", "Hours of paperwork.", Hours()),
        Column("tribunal_hours", "Hours of tribunal preparation.", Hours()),
    )  # fmt: skip
    example = {
        "reference": "RET-2019-03-17",
        "volunteer_reference": "VOL-17",
        "month": "2019-03",
        "phone_hours": "2.5",
        "meeting_hours": "3",
        "paperwork_hours": "1.25",
        "tribunal_hours": "0",
    }

    def _returned(self, context) -> set:
        if "_returned" not in context.__dict__:
            context.__dict__["_returned"] = set(
                MonthlyReturn.objects.filter(service=context.service).values_list(
                    "volunteer_id", "month"
                )
            )
        return context.__dict__["_returned"]

    def check_row(self, values, context):
        volunteer = context.volunteers.get(values["volunteer_reference"].lower())
        if volunteer is None:
            yield "volunteer_reference", "No volunteer of this service has this reference or name."
            return
        values["_volunteer"] = volunteer[0]
        if volunteer[1] != VolunteerRole.IPS:
            yield "volunteer_reference", "Monthly returns are for IPS volunteers."
        if (volunteer[0], values["month"]) in self._returned(context):
            yield "month", "This volunteer already has a return for this month."
        if sum(values[name] for name in HOURS) > MAX_MONTHLY_HOURS:
            yield "phone_hours", f"More than {MAX_MONTHLY_HOURS} hours in a month: please check."

    def check_together(self, rows, context):
        seen = {}
        for row in rows:
            key = (row["_volunteer"], row["month"])
            if key in seen:
                yield (
                    row["_line"],
                    "month",
                    f"Line {seen[key]} is this volunteer's return for this month.",
                )
            else:
                seen[key] = row["_line"]

    def load(self, rows, context, *, by, run):
        returns = [
            MonthlyReturn(
                service=context.service,
                volunteer_id=row["_volunteer"],
                month=row["month"],
                submitted_by=by,
                **{name: row[name] for name in HOURS},
            )
            for row in rows
        ]
        created = bulk_create_with_history(
            returns, MonthlyReturn, batch_size=BATCH, default_user=by
        )
        self.remember_rows(context, rows, created, run)
        return {"monthly returns": len(created)}

    def export(self, service):
        yield self.header
        month, hours = Month().format, Hours().format
        for pk, volunteer_id, day, *values in (
            MonthlyReturn.objects.filter(service=service)
            .order_by("month", "id")
            .values_list("pk", "volunteer_id", "month", *HOURS)
        ):
            yield [f"R{pk}", volunteer_reference(volunteer_id), month(day), *map(hours, values)]
