"""Everything the service holds about one parent and their children, gathered for a subject
access request (docs/data-lifecycle.md, "Subject access requests").

The family is the parent and the children of the parent's cases. What is gathered:
the parent; the children; each case with its events, contacts, enquiries converted into
it, volunteer allocations and evaluation forms sent about it (with the answers given);
complaints, compliments and suggestions given in the parent's name; the documents kept
on the parent and their cases (listed by title, name, type and size: a file itself is
downloaded from the case's or parent's page); the documents made about them; earlier
subject access requests; and the access log of every page that showed one of these
records and of every download of a document kept on them. Each record shows every field
its model has (the personal ones named by the model's PERSONAL_FIELDS among them) but the
service's own bookkeeping (the tenant, edit version numbers, link hashes).

The relations are walked one query per kind of record, whatever the family's size: the
number of queries is fixed (tests/access_requests/test_bundle.py counts them).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from access_requests.documents import BUNDLE
from access_requests.models import SubjectAccessRequest
from casework.models import (
    Allocation,
    Case,
    CaseDocument,
    CaseEvent,
    Child,
    Contact,
    Correspondence,
    Enquiry,
    Feedback,
    Parent,
)
from evaluations.models import Answer, Sending
from pps.audit import value_shown
from pps.models import AccessLog, GeneratedDocument

REDACTED = "[redacted]"
# Shown in the PDF for a field that holds nothing.
NOTHING = "\N{EN DASH}"

# Fields that are the service's bookkeeping rather than anything held about a person.
_BOOKKEEPING = {"service", "token_hash", "task_id", "file", "attempts"}
_REQUEST_LEFT_OUT = ("parent", "redacted_names")


@dataclass(frozen=True)
class Entry:
    """One field of a record: `value` for the JSON file, `shown` for the PDF."""

    name: str
    label: str
    value: object
    shown: str


@dataclass
class Record:
    title: str
    entries: list[Entry]
    # Records that belong to this one (a case's contacts): (heading, key, records).
    parts: list[tuple[str, str, list["Record"]]] = field(default_factory=list)

    def as_json(self) -> dict:
        data = {entry.name: entry.value for entry in self.entries}
        for _heading, key, records in self.parts:
            data[key] = [record.as_json() for record in records]
        return data


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    records: list[Record]


@dataclass
class Bundle:
    service: str
    parent_name: str
    made_at: dt.datetime
    sections: list[Section]
    redacted_count: int

    def as_json(self) -> dict:
        return {
            "service": self.service,
            "made_at": self.made_at.isoformat(),
            "redacted_names": self.redacted_count,
            **{
                section.key: [record.as_json() for record in section.records]
                for section in self.sections
            },
        }


def _fields(model, leave_out=()) -> list[models.Field]:
    chosen = []
    for f in model._meta.concrete_fields:
        if f.name in _BOOKKEEPING or f.name in leave_out or f.primary_key:
            continue  # the primary key is the record number every record starts with
        if f.name == "version" and not f.is_relation:
            continue  # pps.versioning's edit counter
        chosen.append(f)
    return chosen


def _entry(obj, f: models.Field) -> Entry:
    label = capfirst(str(f.verbose_name))
    if f.is_relation:
        related = getattr(obj, f.name)
        text = str(related) if related is not None else None
        return Entry(f.name, label, text, text or NOTHING)
    raw = getattr(obj, f.attname)
    if f.choices and raw not in (None, ""):
        text = str(getattr(obj, f"get_{f.name}_display")())
        return Entry(f.name, label, text, text)
    if isinstance(raw, list):
        return Entry(f.name, label, raw, ", ".join(str(item) for item in raw) or NOTHING)
    if isinstance(raw, dt.datetime):
        kept = timezone.localtime(raw).isoformat()
    elif isinstance(raw, dt.date):
        kept = raw.isoformat()
    else:
        kept = raw
    return Entry(f.name, label, kept, value_shown(raw, empty=NOTHING))


def _record(title: str, obj, fields, extra: list[Entry] = ()) -> Record:
    return Record(
        title,
        [Entry("id", "Record number", obj.pk, str(obj.pk))]
        + [_entry(obj, f) for f in fields]
        + list(extra),
    )


def _titled(what: str, when) -> str:
    """A record's heading in the PDF: what it is and its day, as 3 August 2026."""
    day = timezone.localtime(when) if isinstance(when, dt.datetime) else when
    return f"{what}, {day:%-d %B %Y}"


def _many(name: str, label: str, items) -> Entry:
    names = [str(item) for item in items]
    return Entry(name, label, names, ", ".join(names) or NOTHING)


def _records(objects, title, model, leave_out=()) -> list[Record]:
    return [_record(title(obj), obj, _fields(model, leave_out)) for obj in objects]


# What each case holds besides its evaluation forms, read in one query per kind for all the
# family's cases: (key, heading, model, fields read with it, order, fields left out, title).
_CASE_PARTS = (
    ("events", "Openings, closings and re-openings", CaseEvent, ("by",), ("on", "id"),
     ("case",), lambda e: _titled(e.get_kind_display(), e.on)),
    ("contacts", "Contacts", Contact, ("by", "volunteer"), ("at", "id"),
     ("case",), lambda c: _titled(c.get_method_display(), c.at)),
    # The copies kept of what was sent to them (casework/letters.py).
    ("correspondence", "Letters and emails sent", Correspondence, ("by", "template", "case"),
     ("created_at", "id"), ("case", "contact", "file"),
     lambda c: _titled(str(c.get_kind_display()), c.created_at)),
    ("enquiries", "Enquiries converted into this case", Enquiry, ("topic", "taken_by", "case"),
     ("received_at", "id"), ("case",), lambda e: _titled("Enquiry", e.received_at)),
    ("allocations", "Volunteers allocated", Allocation, ("volunteer", "allocated_by", "case"),
     ("started_on", "id"), ("case",), str),
)  # fmt: skip


def gather(request: SubjectAccessRequest) -> Bundle:
    """The bundle for `request`'s parent, read in the service scope, with the request's
    redacted names replaced (`redact`)."""
    parent = Parent.objects.select_related("locality", "service").get(pk=request.parent_id)
    cases = list(
        Case.objects.filter(parent=parent)
        .select_related(
            "child", "officer", "locality", "referral_route", "primary_reason", "parent"
        )
        .prefetch_related("secondary_reasons")
        .order_by("opened_on", "id")
    )
    case_ids = [case.pk for case in cases]
    children = list(
        Child.objects.filter(pk__in={case.child_id for case in cases})
        .select_related("school_type", "primary_need__area")
        .prefetch_related("secondary_needs__area")
        .order_by("last_name", "first_name", "id")
    )
    child_ids = [child.pk for child in children]

    def by_case(queryset):
        grouped: dict[int, list] = {pk: [] for pk in case_ids}
        for row in queryset:
            grouped[row.case_id].append(row)
        return grouped

    held = {
        key: by_case(
            model.objects.filter(case__in=case_ids).select_related(*related).order_by(*order)
        )
        for key, _heading, model, related, order, *_ in _CASE_PARTS
    }
    sendings = by_case(
        Sending.objects.filter(case__in=case_ids)
        .select_related("version__form", "sent_by", "case", "event", "response__version__form")
        .select_related("response__entered_by")
        .order_by("sent_on", "id")
    )
    answers: dict[int, list[Answer]] = {}
    for answer in (
        Answer.objects.filter(response__sending__case__in=case_ids)
        .select_related("question", "publishable_set_by", "response")
        .order_by("response", "question__position", "id")
    ):
        answers.setdefault(answer.response.sending_id, []).append(answer)
    full_name = str(parent)
    feedback = list(
        Feedback.objects.filter(from_name__iexact=full_name)
        .select_related("recorded_by")
        .order_by("received_on", "id")
    )
    requests = list(
        SubjectAccessRequest.objects.filter(parent=parent)
        .select_related("completed_by", "recorded_by", "parent", "bundle")
        .order_by("received_on", "id")
    )
    request_ids = [r.pk for r in requests]
    documents = list(
        GeneratedDocument.objects.filter(
            Q(kind=BUNDLE, parameters__request__in=request_ids)
            | Q(parameters__parent=parent.pk)
            | Q(parameters__case__in=case_ids)
        )
        .select_related("requested_by")
        .order_by("requested_at", "id")
    )
    kept = list(
        CaseDocument.objects.filter(parent=parent)
        .select_related("uploaded_by", "case", "parent")
        .order_by("uploaded_at", "id")
    )
    enquiry_ids = [e.pk for rows in held["enquiries"].values() for e in rows]
    sending_ids = [s.pk for rows in sendings.values() for s in rows]
    viewed = list(
        AccessLog.objects.filter(
            Q(object_type="parent", object_id=parent.pk)
            | Q(object_type="case", object_id__in=case_ids)
            | Q(object_type="child", object_id__in=child_ids)
            | Q(object_type="enquiry", object_id__in=enquiry_ids)
            | Q(object_type="evaluation-sending", object_id__in=sending_ids)
            | Q(object_type="subject-access-request", object_id__in=request_ids)
            | Q(object_type="generated-document", object_id__in=[d.pk for d in documents])
            | Q(object_type="case-document", object_id__in=[d.pk for d in kept])
        )
        .select_related("user")
        .order_by("at", "id")
    )

    case_records = []
    for case in cases:
        record = _record(
            f"Case {case.reference}",
            case,
            _fields(Case),
            [_many("secondary_reasons", "Secondary issues", case.secondary_reasons.all())],
        )
        record.parts = [
            *(
                (heading, key, _records(held[key][case.pk], title, model, leave_out))
                for key, heading, model, _related, _order, leave_out, title in _CASE_PARTS
            ),
            (
                "Evaluation forms sent",
                "evaluations",
                [_sending_record(s, answers.get(s.pk, [])) for s in sendings[case.pk]],
            ),
        ]
        case_records.append(record)

    sections = [
        Section("parent", "Parent or carer", [_record(str(parent), parent, _fields(Parent))]),
        Section(
            "children",
            "Children",
            [
                _record(
                    str(child),
                    child,
                    _fields(Child),
                    [_many("secondary_needs", "Secondary needs", child.secondary_needs.all())],
                )
                for child in children
            ],
        ),
        Section("cases", "Cases", case_records),
        Section(
            "feedback",
            "Complaints, compliments and suggestions",
            _records(feedback, lambda f: _titled(f.get_kind_display(), f.received_on), Feedback),
        ),
        Section(
            "subject_access_requests",
            "Subject access requests",
            # The names themselves are other people's: the bundle says only how many.
            _records(requests, str, SubjectAccessRequest, _REQUEST_LEFT_OUT),
        ),
        Section(
            "kept_documents",
            "Documents kept with their records",
            _records(kept, lambda d: _titled(d.title, d.uploaded_at), CaseDocument, ("parent",)),
        ),
        Section(
            "documents",
            "Documents made about them",
            _records(documents, lambda d: d.title, GeneratedDocument, ("parameters",)),
        ),
        Section(
            "access_log",
            "Who viewed their records, and when",
            _records(viewed, str, AccessLog),
        ),
        Section(
            "history",
            "Earlier values kept in the records' history",
            _history(
                parent=parent,
                child_ids=child_ids,
                case_ids=case_ids,
                enquiry_ids=enquiry_ids,
                feedback_ids=[f.pk for f in feedback],
            ),
        ),
    ]
    names = request.redacted_name_list()
    bundle = Bundle(
        service=parent.service.name,
        parent_name=str(parent),
        made_at=timezone.localtime(),
        sections=sections,
        redacted_count=len(names),
    )
    return redact(bundle, names)


def _history(*, parent, child_ids, case_ids, enquiry_ids, feedback_ids) -> list[Record]:
    """Every history row of the family's records (django-simple-history keeps one per
    change, with the values as they were), showing the personal fields each model names in
    PERSONAL_FIELDS: what was once held about them is held still. Records since deleted
    are found through their history rows' own case or parent. One query per model."""
    sources = [
        (Parent, Q(id=parent.pk)),
        (Child, Q(id__in=child_ids)),
        (Case, Q(parent_id=parent.pk)),
        (Contact, Q(case_id__in=case_ids)),
        # Enquiries by their own ids: their rows from before conversion name no case.
        (Enquiry, Q(id__in=enquiry_ids)),
        (Feedback, Q(id__in=feedback_ids)),
        (Sending, Q(case_id__in=case_ids)),
    ]
    records = []
    for model, where in sources:
        kind = str(model._meta.verbose_name)
        for row in (
            model.history.filter(where).select_related("history_user").order_by("history_date")
        ):
            moment = timezone.localtime(row.history_date)
            change = row.get_history_type_display()
            user = str(row.history_user) if row.history_user else None
            entries = [
                Entry("record_type", "Record", kind, kind),
                Entry("record_id", "Record number", row.id, str(row.id)),
                Entry("change", "Change", change, change),
                Entry("at", "When", moment.isoformat(), f"{moment:%-d %B %Y, %H:%M}"),
                Entry("by", "By", user, user or NOTHING),
            ]
            entries += [_entry(row, model._meta.get_field(name)) for name in model.PERSONAL_FIELDS]
            records.append(Record(f"{capfirst(kind)} {row.id}, {moment:%-d %B %Y, %H:%M}", entries))
    return records


def _sending_record(sending: Sending, answers: list[Answer]) -> Record:
    record = _record(
        f"Evaluation form {sending.reference}",
        sending,
        _fields(Sending, ("case",)),
        [Entry("reference", "Reference", sending.reference, sending.reference)],
    )
    response = getattr(sending, "response", None)
    responses = []
    if response is not None:
        responses.append(
            _record(
                str(response),
                response,
                _fields(type(response), ("sending",)),
                [
                    Entry(
                        "answers",
                        "Answers",
                        [{"question": a.question.text, "answer": a.value} for a in answers],
                        "; ".join(f"{a.question.text}: {a.value}" for a in answers) or NOTHING,
                    )
                ],
            )
        )
    record.parts = [("Response", "response", responses)]
    return record


def name_pattern(names: list[str]) -> re.Pattern | None:
    """Any of `names` as a whole word (not inside a longer word), in any case."""
    if not names:
        return None
    # Longest first, so that "Anna Smith" is replaced whole before "Anna" is looked for.
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _scrub(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value


def _scrub_record(record: Record, pattern: re.Pattern) -> Record:
    return Record(
        title=_scrub(record.title, pattern),
        entries=[
            Entry(e.name, e.label, _scrub(e.value, pattern), _scrub(e.shown, pattern))
            for e in record.entries
        ],
        parts=[
            (heading, key, [_scrub_record(r, pattern) for r in records])
            for heading, key, records in record.parts
        ],
    )


def redact(bundle: Bundle, names: list[str]) -> Bundle:
    """The bundle with every one of `names` replaced by "[redacted]" in every text it holds
    (notes, summaries, names in any field), case-insensitively and as whole words only:
    "Ann" is redacted, the "ann" in "Annual" is not."""
    pattern = name_pattern(names)
    if pattern is None:
        return bundle
    bundle.sections = [
        Section(s.key, s.heading, [_scrub_record(r, pattern) for r in s.records])
        for s in bundle.sections
    ]
    return bundle
