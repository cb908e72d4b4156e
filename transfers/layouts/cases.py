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
# The parent's details the parent_… columns hold as they are, in the columns' order.
PARENT_DETAILS = ("first_name", "last_name", "email", "phone", "address", "postcode")


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
        parent_ids = dict(context.imported("parents"))
        child_ids = dict(context.imported("children"))
        new_parents, new_children = {}, {}
        for row in rows:
            if row["parent_reference"] not in parent_ids:
                new_parents.setdefault(row["parent_reference"], self._parent(row, service))
            if row["child_reference"] not in child_ids:
                new_children.setdefault(row["child_reference"], self._child(row, service))
        for model, objects, ids, layout in (
            (Parent, new_parents, parent_ids, "parents"),
            (Child, new_children, child_ids, "children"),
        ):
            created = bulk_create_with_history(
                list(objects.values()), model, batch_size=BATCH, default_user=by
            )
            pairs = list(zip(objects.keys(), (obj.pk for obj in created), strict=True))
            ids.update(pairs)
            self.remember(context, pairs, run, layout=layout)
        cases = [self._case(row, service, parent_ids, child_ids) for row in rows]
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
        return {
            "cases": len(created),
            "parents": len(new_parents),
            "children": len(new_children),
            "case events": len(events),
        }

    @staticmethod
    def _parent(row, service) -> Parent:
        return Parent(
            service=service,
            **{name: row[f"parent_{name}"] for name in PARENT_DETAILS},
            ethnicity=row["parent_ethnicity"] or Ethnicity.NOT_STATED,
            first_language=row["parent_first_language"] or "English",
        )

    @staticmethod
    def _child(row, service) -> Child:
        return Child(
            service=service,
            first_name=row["child_first_name"],
            last_name=row["child_last_name"],
            date_of_birth=row["child_date_of_birth"],
            gender=row["child_gender"] or Gender.NOT_KNOWN,
            school_name=row["child_school_name"],
            school_type=row["child_school_type"],
            sen_status=row["child_sen_status"] or SenStatus.NOT_KNOWN,
            sen_stage=row["child_sen_stage"] or SenStage.NONE,
            primary_need=row["child_primary_need"],
        )

    @staticmethod
    def _case(row, service, parent_ids, child_ids) -> Case:
        closings, reopenings = row["closed_on"], row["reopened_on"]
        closed_now = len(closings) > len(reopenings)
        return Case(
            service=service,
            reference=row["reference"],
            parent_id=parent_ids[row["parent_reference"]],
            child_id=child_ids[row["child_reference"]],
            officer_id=row["officer"],
            locality=row["locality"],
            received_on=row["received_on"],
            opened_on=row["opened_on"],
            referral_route=row["referral_route"],
            primary_reason=row["primary_reason"],
            status=CaseStatus.CLOSED if closed_now else CaseStatus.OPEN,
            closed_on=closings[-1] if closed_now else None,
            closure_reason=row["closure_reason"] if closed_now else "",
            outcome=row["outcome"] if closed_now else "",
            bullying=row["bullying"] or Mention.NONE,
            unofficial_exclusion=row["unofficial_exclusion"] or Mention.NONE,
            official_exclusion=row["official_exclusion"] or OfficialExclusion.NONE,
            tribunal_appeal_on=row["tribunal_appeal_on"],
            tribunal_active_involvement=row["tribunal_active_involvement"],
            disagreement_resolution_on=row["disagreement_resolution_on"],
            disagreement_resolution_active_involvement=row[
                "disagreement_resolution_active_involvement"
            ],
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
        date = Date().format
        for case in cases.iterator(chunk_size=2000):
            parent, child = case.parent, case.child
            closings, reopenings = events[case.pk]
            yield [
                case.reference,
                f"P{parent.pk}",
                *(getattr(parent, name) for name in PARENT_DETAILS),
                parent.ethnicity,
                parent.first_language,
                f"K{child.pk}",
                child.first_name,
                child.last_name,
                date(child.date_of_birth),
                child.gender,
                child.school_name,
                str(child.school_type or ""),
                child.sen_status,
                child.sen_stage,
                str(child.primary_need or ""),
                staff_name(case.officer),
                str(case.locality or ""),
                date(case.received_on),
                date(case.opened_on),
                DateList().format(closings),
                DateList().format(reopenings),
                case.closure_reason,
                case.outcome,
                str(case.referral_route or ""),
                str(case.primary_reason or ""),
                "; ".join(secondary[case.pk]),
                case.bullying,
                case.unofficial_exclusion,
                case.official_exclusion,
                date(case.tribunal_appeal_on),
                YesNo().format(case.tribunal_active_involvement),
                date(case.disagreement_resolution_on),
                YesNo().format(case.disagreement_resolution_active_involvement),
            ]
