"""Cases with their parent and child, one row per case; the case's openings, closings and
re-openings become the dated case events the reports count (docs/domain.md 4.0)."""

from collections import defaultdict
from itertools import pairwise

from simple_history.utils import bulk_create_with_history

from casework.enums import (
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    Ethnicity,
    Gender,
    Mention,
    OfficialExclusion,
    Outcome,
    SenStage,
    SenStatus,
)
from casework.models import (
    Case,
    CaseEvent,
    Child,
    ContactReason,
    NeedArea,
    Parent,
    ReferralRoute,
    SchoolType,
)
from pps.models import Locality
from transfers.cells import (
    Choice,
    CodeListValue,
    CodeListValues,
    Column,
    Date,
    DateList,
    StaffMember,
    Text,
    YesNo,
)
from transfers.layouts.base import Layout, names_by_owner, staff_name

BATCH = 2000
# The parent and the child a row names: their model, the prefix of their columns, the
# layout their references are remembered under, their fields those columns hold (besides
# the reference) in the columns' order, and what an empty one of them takes instead.
PEOPLE = (
    (Parent, "parent", "parents",
     ("first_name", "last_name", "email", "phone", "address", "postcode", "ethnicity",
      "first_language"),
     {"ethnicity": Ethnicity.NOT_STATED, "first_language": "English"}),
    (Child, "child", "children",
     ("first_name", "last_name", "date_of_birth", "gender", "school_name", "school_type",
      "sen_status", "sen_stage", "primary_need"),
     {"gender": Gender.NOT_KNOWN, "sen_status": SenStatus.NOT_KNOWN,
      "sen_stage": SenStage.NONE}),
)  # fmt: skip
# The columns a case takes as they are, into its fields of the same names.
CASE_FIELDS = (
    "reference", "locality", "received_on", "opened_on", "referral_route", "primary_reason",
    "tribunal_appeal_on", "tribunal_active_involvement", "disagreement_resolution_on",
    "disagreement_resolution_active_involvement",
)  # fmt: skip


class CaseLayout(Layout):
    key = "cases"
    title = "Cases with their parent and child"
    creates = ("cases", "parents", "children", "case events")
    preview_columns = (
        "reference",
        "parent_first_name",
        "parent_last_name",
        "child_first_name",
        "opened_on",
        "closed_on",
    )
    columns = (
        Column("reference", "The case's reference, kept as its reference here (at most 20 "
               "characters, unique in the service).", Text(20), required=True),
        Column("parent_reference", "The parent's reference in the old system: rows with the "
               "same one are one parent (a parent with two children).", Text(100), required=True),
        Column("parent_first_name", "Parent's first name.", Text(100), required=True),
        Column("parent_last_name", "Parent's last name.", Text(100), required=True),
        Column("parent_email", "Parent's email address.", Text(254)),
        Column("parent_phone", "Parent's phone number.", Text(40)),
        Column("parent_address", "Parent's address.", Text()),
        Column("parent_postcode", "Parent's postcode.", Text(10)),
        Column("parent_ethnicity", "Parent's ethnic group (ONS 2011).", Choice(choices=Ethnicity)),
        Column("parent_first_language", "Parent's first language (English when empty).", Text(60)),
        Column("child_reference", "The child's reference in the old system: rows with the same "
               "one are one child.", Text(100), required=True),
        Column("child_first_name", "Child's first name.", Text(100), required=True),
        Column("child_last_name", "Child's last name.", Text(100), required=True),
        Column("child_date_of_birth", "Child's date of birth.", Date()),
        Column("child_gender", "Child's gender.", Choice(choices=Gender)),
        Column("child_school_name", "Child's school.", Text(200)),
        Column("child_school_type", "Type of school.", CodeListValue(model=SchoolType)),
        Column("child_sen_status", "Child's SEN status.", Choice(choices=SenStatus)),
        Column("child_sen_stage", "Child's SEN stage.", Choice(choices=SenStage)),
        Column("child_primary_need", "Child's primary area of need.",
               CodeListValue(model=NeedArea)),
        Column("officer", "The case officer.", StaffMember()),
        Column("locality", "The case's locality.", CodeListValue(model=Locality)),
        Column("received_on", "When the details were first taken.", Date(), required=True),
        Column("opened_on", "When the case was first opened.", Date(), required=True),
        Column("closed_on", "Every closing, earliest first.", DateList()),
        Column("reopened_on", "Every re-opening, earliest first: each after the closing "
               "before it.", DateList()),
        Column("closure_reason", "Why it was last closed (required when closed).",
               Choice(choices=ClosureReason)),
        Column("outcome", "Outcome at the last closing.", Choice(choices=Outcome)),
        Column("referral_route", "How the case reached the service.",
               CodeListValue(model=ReferralRoute)),
        Column("primary_reason", "Primary reason for contact.", CodeListValue(model=ContactReason)),
        Column("secondary_reasons", "Secondary issues.", CodeListValues(model=ContactReason)),
        Column("bullying", "Bullying (main reason, mentioned).", Choice(choices=Mention)),
        Column("unofficial_exclusion", "Unofficial exclusion.", Choice(choices=Mention)),
        Column("official_exclusion", "Official exclusion.", Choice(choices=OfficialExclusion)),
        Column("tribunal_appeal_on", "SEND tribunal appeal lodged on.", Date()),
        Column("tribunal_active_involvement", "Service actively involved in the 6 months "
               "before the appeal.", YesNo()),
        Column("disagreement_resolution_on", "Referred to disagreement resolution or "
               "mediation on.", Date()),
        Column("disagreement_resolution_active_involvement", "Service actively involved in "
               "the 6 months before the referral.", YesNo()),
    )  # fmt: skip
    example = {
        "reference": "OLD-2019-0042",
        "parent_reference": "P-1001",
        "parent_first_name": "Sam",
        "parent_last_name": "Example",
        "parent_email": "sam@example.org",
        "parent_phone": "01234 567890",
        "parent_address": "1 High Street, Anytown",
        "parent_postcode": "AB1 2CD",
        "parent_ethnicity": "white_british",
        "parent_first_language": "English",
        "child_reference": "C-2001",
        "child_first_name": "Alex",
        "child_last_name": "Example",
        "child_date_of_birth": "2011-05-14",
        "child_gender": "female",
        "child_school_name": "Anytown Primary",
        "child_school_type": "Mainstream primary",
        "child_sen_status": "sen",
        "child_sen_stage": "ehc_plan",
        "child_primary_need": "",
        "officer": "",
        "locality": "",
        "received_on": "2019-03-01",
        "opened_on": "2019-03-04",
        "closed_on": "2019-05-20; 2019-11-02",
        "reopened_on": "2019-09-16",
        "closure_reason": "resolved",
        "outcome": "some_improvement",
        "referral_route": "School or pre-school",
        "primary_reason": "Annual review",
        "secondary_reasons": "Transition; Transport",
        "bullying": "none",
        "unofficial_exclusion": "none",
        "official_exclusion": "none",
        "tribunal_appeal_on": "",
        "tribunal_active_involvement": "",
        "disagreement_resolution_on": "",
        "disagreement_resolution_active_involvement": "",
    }

    def check_row(self, values, context):
        opened, closings, reopenings = (
            values["opened_on"],
            values["closed_on"],
            values["reopened_on"],
        )
        if values["received_on"] and opened and values["received_on"] > opened:
            yield "received_on", "A case cannot be received after it was opened."
        if len(closings) not in (len(reopenings), len(reopenings) + 1):
            yield "reopened_on", "Every re-opening must follow a closing."
        else:
            events = [opened]
            for index, closed in enumerate(closings):
                events.append(closed)
                if index < len(reopenings):
                    events.append(reopenings[index])
            if any(later < earlier for earlier, later in pairwise(events)):
                yield "closed_on", "The openings, closings and re-openings are not in order."
        closed_now = len(closings) > len(reopenings)
        if closed_now and not values["closure_reason"]:
            yield "closure_reason", "Required for a closed case."
        if not closed_now and (values["closure_reason"] or values["outcome"]):
            yield "closure_reason", "The case is open: leave the closure reason and outcome empty."
        if values["reference"] in context.cases:
            yield "reference", "A case of this service already has this reference."

    def check_together(self, rows, context):
        open_pairs: dict[tuple, int] = {}
        for row in rows:
            if len(row["closed_on"]) > len(row["reopened_on"]):
                continue
            pair = (row["parent_reference"], row["child_reference"])
            if pair in open_pairs:
                yield (
                    row["_line"],
                    "reference",
                    f"Line {open_pairs[pair]} is also an open case of this parent about this "
                    "child: only one may be open.",
                )
            else:
                open_pairs[pair] = row["_line"]

    def counts(self, rows, context):
        parents = context.imported("parents")
        children = context.imported("children")
        return {
            "cases": len(rows),
            "parents": len({r["parent_reference"] for r in rows} - parents.keys()),
            "children": len({r["child_reference"] for r in rows} - children.keys()),
            "case events": sum(1 + len(r["closed_on"]) + len(r["reopened_on"]) for r in rows),
        }

    def load(self, rows, context, *, by, run):
        service = context.service
        ids, made = {}, {}
        for model, prefix, layout, names, defaults in PEOPLE:
            ids[prefix] = dict(context.imported(layout))
            new = {}
            for row in rows:
                reference = row[f"{prefix}_reference"]
                if reference not in ids[prefix]:
                    values = {name: row[f"{prefix}_{name}"] for name in names}
                    values |= {name: values[name] or empty for name, empty in defaults.items()}
                    new.setdefault(reference, model(service=service, **values))
            created = bulk_create_with_history(
                list(new.values()), model, batch_size=BATCH, default_user=by
            )
            pairs = list(zip(new.keys(), (obj.pk for obj in created), strict=True))
            ids[prefix].update(pairs)
            self.remember(context, pairs, run, layout=layout)
            made[layout] = len(new)
        cases = [self._case(row, service, ids["parent"], ids["child"]) for row in rows]
        created = bulk_create_with_history(cases, Case, batch_size=BATCH, default_user=by)
        through = Case.secondary_reasons.through
        through.objects.bulk_create(
            (
                through(case_id=case.pk, contactreason_id=reason.pk)
                for case, row in zip(created, rows, strict=True)
                for reason in {r.pk: r for r in row["secondary_reasons"]}.values()
            ),
            batch_size=BATCH,
        )
        events = [
            event
            for case, row in zip(created, rows, strict=True)
            for event in self._events(case, row, service, by)
        ]
        CaseEvent.objects.bulk_create(events, batch_size=BATCH)
        self.remember(context, ((case.reference, case.pk) for case in created), run)
        return {"cases": len(created), **made, "case events": len(events)}

    @staticmethod
    def _case(row, service, parent_ids, child_ids) -> Case:
        closings, reopenings = row["closed_on"], row["reopened_on"]
        closed_now = len(closings) > len(reopenings)
        return Case(
            service=service,
            **{name: row[name] for name in CASE_FIELDS},
            parent_id=parent_ids[row["parent_reference"]],
            child_id=child_ids[row["child_reference"]],
            officer_id=row["officer"],
            status=CaseStatus.CLOSED if closed_now else CaseStatus.OPEN,
            closed_on=closings[-1] if closed_now else None,
            closure_reason=row["closure_reason"] if closed_now else "",
            outcome=row["outcome"] if closed_now else "",
            bullying=row["bullying"] or Mention.NONE,
            unofficial_exclusion=row["unofficial_exclusion"] or Mention.NONE,
            official_exclusion=row["official_exclusion"] or OfficialExclusion.NONE,
            last_activity_on=(reopenings or [row["opened_on"]])[-1],
        )

    @staticmethod
    def _events(case, row, service, by) -> list[CaseEvent]:
        """The dated events the row's dates imply, as casework.actions would have recorded
        them: each opening carries the day of the closing that ended it (`ended_on`)."""
        closings, reopenings = row["closed_on"], row["reopened_on"]
        openings = [(CaseEventKind.OPENED, row["opened_on"])] + [
            (CaseEventKind.REOPENED, day) for day in reopenings
        ]
        events = []
        for index, (kind, day) in enumerate(openings):
            ended = closings[index] if index < len(closings) else None
            events.append(
                CaseEvent(service=service, case=case, kind=kind, on=day, by=by, ended_on=ended)
            )
            if ended is not None:
                last = index == len(closings) - 1 and case.status == CaseStatus.CLOSED
                events.append(
                    CaseEvent(
                        service=service,
                        case=case,
                        kind=CaseEventKind.CLOSED,
                        on=ended,
                        by=by,
                        closure_reason=row["closure_reason"] if last else ClosureReason.OTHER,
                        outcome=row["outcome"] if last else "",
                    )
                )
        return events

    def export(self, service):
        yield self.header
        events = defaultdict(lambda: ([], []))
        for case_id, kind, on in (
            CaseEvent.objects.filter(service=service)
            .exclude(kind=CaseEventKind.OPENED)
            .order_by("case_id", "on", "id")
            .values_list("case_id", "kind", "on")
        ):
            events[case_id][0 if kind == CaseEventKind.CLOSED else 1].append(on)
        secondary = names_by_owner(Case.secondary_reasons, service)
        cases = (
            Case.objects.filter(service=service)
            .select_related(
                "parent", "child", "officer", "locality", "referral_route", "primary_reason",
                "child__school_type", "child__primary_need__area",
            )
            .order_by("opened_on", "id")
        )  # fmt: skip
        for case in cases.iterator(chunk_size=2000):
            closings, reopenings = events[case.pk]
            yield self.export_row(
                case,
                parent_reference=f"P{case.parent_id}",
                child_reference=f"K{case.child_id}",
                **{
                    f"{prefix}_{name}": getattr(getattr(case, prefix), name)
                    for _model, prefix, _layout, names, _defaults in PEOPLE
                    for name in names
                },
                officer=staff_name(case.officer),
                closed_on=closings,
                reopened_on=reopenings,
                secondary_reasons=secondary[case.pk],
            )
