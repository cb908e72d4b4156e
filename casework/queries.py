"""Named reads reused by views (docs/architecture.md): each is one query, whatever the data size."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain

from django.db import models
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.http import Http404

from casework.access import (
    appointments_visible_to,
    cases_visible_to,
    children_visible_to,
    contacts_visible_to,
    correspondence_visible_to,
    documents_visible_to,
    enquiries_visible_to,
    parents_visible_to,
)
from casework.enums import AppointmentStatus, CaseStatus, ContactMethod
from casework.models import (
    Allocation,
    Appointment,
    Case,
    CaseDocument,
    CaseEvent,
    Child,
    Contact,
    ContactReason,
    Correspondence,
    Enquiry,
    LetterTemplate,
    NeedArea,
    Parent,
    ReferralRoute,
    SchoolType,
    full_name,
)
from casework.rules import closure_cutoff, evaluation_cutoff
from pps.access import rows_for_roles, service_staff
from pps.audit import value_shown
from pps.days import start_of
from pps.models import AccessLog, Locality
from pps.prepared import Prepared
from pps.roles import STAFF
from volunteers.models import Volunteer, VolunteerRole, VolunteerStatus

_CASE_ROW = ("parent", "child", "officer")
# What a list of cases shows of each (its dates, status and people's names), and nothing
# else: a long list then fetches and builds a third of the columns (issue 11).
_CASE_ROW_FIELDS = (
    "service",
    "reference",
    "status",
    "opened_on",
    "last_activity_on",
    "last_contact_on",
    "closed_on",
    "officer__username",
    *(f"{person}__{name}" for person in _CASE_ROW for name in ("first_name", "last_name")),
)
# A row that names a case and its parent (My work's follow-ups and appointments).
_PARENT_NAME = ("case__parent__first_name", "case__parent__last_name")


def open_cases_for(user) -> QuerySet[Case]:
    """The open cases the user sees (a volunteer's allocated ones), the longest without
    activity first."""
    return (
        cases_visible_to(user).open().select_related(*_CASE_ROW).order_by("last_activity_on", "id")
    )


def caseload_for(user) -> QuerySet[Case]:
    """The user's open cases, the longest without activity first."""
    return open_cases_for(user).filter(officer=user).only(*_CASE_ROW_FIELDS)


@dataclass
class CaseloadRow:
    """One case of an officer's caseload as My work lists it: read as plain values, not
    as four model instances (the case, its parent, child and officer), which cost about a
    fifth of the page's CPU for a caseload of a hundred (issue 11; bench/README.md).
    `url` is the case page's, which the view adds."""

    pk: int
    reference: str
    parent: str
    child: str
    opened_on: dt.date
    last_contact_on: dt.date | None
    url: str = ""


def _caseload_values(user) -> QuerySet:
    return caseload_for(user).values_list(
        "pk",
        "reference",
        "parent__first_name",
        "parent__last_name",
        "child__first_name",
        "child__last_name",
        "opened_on",
        "last_contact_on",
    )


def caseload_rows(user) -> list[CaseloadRow]:
    """The user's open cases (caseload_for) as CaseloadRow, the longest without activity
    first; each person named as their record's str() names them (full_name)."""
    rows = _CASELOAD.rows(user)
    return [
        CaseloadRow(
            pk, reference, full_name(p_first, p_last), full_name(c_first, c_last), opened, last
        )
        for pk, reference, p_first, p_last, c_first, c_last, opened, last in rows
    ]


def case_list(user) -> QuerySet[Case]:
    """The cases the user sees, with the people and locality a row of the list names."""
    return (
        cases_visible_to(user)
        .select_related(*_CASE_ROW, "locality")
        .only(*_CASE_ROW_FIELDS, "locality__name")
    )


def case_list_page(user) -> QuerySet[Case]:
    """case_list without the officer and the locality: the list page names them with
    `name_cases` from the staff and localities its filter form reads anyway. Joined to
    the page's 25 cases, those two tables took PostgreSQL 2.2 ms to plan a query it ran in
    0.3 ms; with the parent and the child alone it plans it in under 0.5 ms (issue 11)."""
    return (
        cases_visible_to(user)
        .select_related("parent", "child")
        .only(
            *(field for field in _CASE_ROW_FIELDS if not field.startswith("officer__")),
            "officer",
            "locality",
        )
    )


def name_cases(cases, officers, localities) -> None:
    """Give each of a page's cases (case_list_page) its officer and locality from records
    already read: the service's staff and localities, as the list's filter offers them. One
    that is not among them (an officer whose role has changed since) is read in one query
    for the page."""
    for relation, known, read in (
        ("officer", officers, lambda keys: service_staff().filter(pk__in=keys)),
        ("locality", localities, lambda keys: Locality.objects.filter(pk__in=keys)),
    ):
        by_key = {record.pk: record for record in known}
        missing = {getattr(case, f"{relation}_id") for case in cases} - by_key.keys() - {None}
        if missing:
            by_key.update((record.pk, record) for record in read(missing))
        for case in cases:
            record = by_key.get(getattr(case, f"{relation}_id"))
            if record is not None:
                setattr(case, relation, record)


def enquiry_list(user) -> QuerySet[Enquiry]:
    """The enquiries the user sees, with the topic and case a row of the list names."""
    return enquiries_visible_to(user).select_related("topic", "case")


def enquiries_with_case(user, *related: str) -> QuerySet[Enquiry]:
    """The enquiries the user sees, each with the case it became (and `related`)."""
    return enquiries_visible_to(user).select_related("case", *related)


def contacts_with_case(user) -> QuerySet[Contact]:
    """The contacts the user sees, each with its case."""
    return contacts_visible_to(user).select_related("case")


def follow_ups_due_for(user) -> QuerySet[Contact]:
    """Follow-ups the user set that are not done yet, soonest first."""
    return (
        contacts_visible_to(user)
        .filter(by=user, follow_up_due_on__isnull=False, follow_up_done_on__isnull=True)
        .select_related("case__parent")
        .only("follow_up", "follow_up_due_on", "case__reference", *_PARENT_NAME)
        .order_by("follow_up_due_on", "id")
    )


def enquiries_awaiting_response(user) -> QuerySet[Enquiry]:
    """Enquiries of the service with no first response yet, oldest first."""
    return (
        enquiries_visible_to(user)
        .filter(first_response_on__isnull=True, case__isnull=True)
        .select_related("topic")
        .only("received_at", "enquirer_type", "enquirer_name", "topic__name")
        .order_by("received_at", "id")
    )


def cases_due_for_closure(user, today: dt.date) -> QuerySet[Case]:
    """The user's open cases with no contact for 3 months (docs/domain.md, "Due dates")."""
    return caseload_for(user).filter(last_activity_on__lte=closure_cutoff(today))


def _evaluations_due_first(user, today: dt.date, shown: int) -> QuerySet[Case]:
    return evaluations_due_for(user, today).annotate(total=Window(Count("pk")))[:shown]


def evaluations_due_shown(user, today: dt.date, shown: int) -> tuple[list[Case], int]:
    """The first `shown` of the user's evaluations due, and how many are due in all: the
    total comes with the rows (a window count), not from a query of its own."""
    rows = _EVALUATIONS_DUE_FIRST.rows(user, today=today, shown=shown)
    return rows, rows[0].total if rows else 0


def evaluations_due_for(user, today: dt.date, *, officer_only: bool = True) -> QuerySet[Case]:
    """Cases whose parent evaluation is due: a month after the last contact, and not sent
    since that contact. The user's own cases, or with `officer_only=False` all they see."""
    cases = cases_visible_to(user)
    if officer_only:
        cases = cases.filter(officer=user)
    return (
        cases.filter(last_contact_on__lte=evaluation_cutoff(today))
        .filter(Q(evaluation_sent_on__isnull=True) | Q(evaluation_sent_on__lt=F("last_contact_on")))
        .select_related(*_CASE_ROW)
        .only(*_CASE_ROW_FIELDS)
        .order_by("last_contact_on", "id")
    )


def _evaluations_due_keys(user, today: dt.date, officer_only: bool) -> QuerySet[Case]:
    # What the count needs: the cases' keys, without the joined people or the order.
    return (
        evaluations_due_for(user, today, officer_only=officer_only)
        .select_related(None)
        .order_by()
        .values_list("pk")
    )


def _evaluations_due_page(user, today: dt.date, officer_only: bool, start: int, stop: int):
    return evaluations_due_for(user, today, officer_only=officer_only)[start:stop]


_EVALUATIONS_DUE_KEYS = Prepared(_evaluations_due_keys)
_EVALUATIONS_DUE_PAGE = Prepared(_evaluations_due_page)


def evaluations_due_count(user, today: dt.date, *, officer_only: bool = True) -> int:
    """How many cases evaluations_due_for gives (the partial index case_evaluation_due
    answers it), counted by a query compiled once per process (pps/prepared.py)."""
    return _EVALUATIONS_DUE_KEYS.count(user, today=today, officer_only=officer_only)


def evaluations_due_page(
    user, today: dt.date, start: int, stop: int, *, officer_only: bool = True
) -> list[Case]:
    """evaluations_due_for's cases from `start` to `stop`, compiled once per process and
    page."""
    return _EVALUATIONS_DUE_PAGE.rows(
        user, today=today, officer_only=officer_only, start=start, stop=stop
    )


# A search that finds at most this many cases lists them by id: the page's count and rows
# are then planned and run as cheaply as any case list page (bench/README.md).
SEARCH_FOUND_BY_ID = 500


def search_cases(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The cases of `cases` that every word of `text` matches somewhere: in the reference,
    the parent's first or last name or postcode, or the child's first or last name (any
    case, any part of the word).

    Each word looks up the service's parents and children first and keeps the cases of
    those found, rather than joining every case to its parent and child before testing
    the names: on PostgreSQL the look-ups use the trigram indexes of migration
    casework 0006, so a search costs what it finds, not the size of the service. The
    cases found are read first, in one query whatever the number of words: when they are
    few (SEARCH_FOUND_BY_ID), the list's count and rows take them by id instead of
    repeating the look-ups (which PostgreSQL took longer to plan than to run).
    """
    words = text.split()
    if not words:
        return cases
    found = Case.objects.all()
    for word in words:
        parents = Parent.objects.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(postcode__icontains=word)
        )
        children = Child.objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
        matching = (
            Case.objects.filter(reference__icontains=word)
            .order_by()
            .values("pk")
            .union(
                Case.objects.filter(parent__in=parents.values("pk")).order_by().values("pk"),
                Case.objects.filter(child__in=children.values("pk")).order_by().values("pk"),
            )
        )
        found = found.filter(pk__in=matching)
    found = found.order_by().values_list("pk", flat=True)
    ids = list(found[: SEARCH_FOUND_BY_ID + 1])
    if len(ids) <= SEARCH_FOUND_BY_ID:
        return cases.filter(pk__in=ids)
    return cases.filter(pk__in=found)


# The search that opens a case lists at most this many parents, and as many children.
FAMILY_FOUND = 25


def families_found(user, text: str) -> tuple[QuerySet[Parent], QuerySet[Child]]:
    """The parents and the children the user sees that every word of `text` matches: a
    parent by first or last name or postcode, a child by first
    or last name; each with their cases, to open a case from the search."""
    parent_q, child_q = Q(), Q()
    for word in text.split():
        names = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        child_q &= names
        parent_q &= names | Q(postcode__icontains=word)
    parents = parents_visible_to(user).filter(parent_q).prefetch_related("cases__child")
    children = children_visible_to(user).filter(child_q).prefetch_related("cases__parent")
    return parents[:FAMILY_FOUND], children[:FAMILY_FOUND]


# The case page's timeline shows this many contacts at a time, newest first; the busiest
# case of a large service has a couple of hundred.
TIMELINE_CONTACTS = 50


def contact_totals() -> dict:
    """Annotations of a case's minutes and number of contacts, for case_for_page: the case
    page shows both for the whole case while its timeline shows a page of contacts."""
    per_case = Contact.objects.filter(case=OuterRef("pk")).order_by().values("case")
    return {
        "minutes_logged": Coalesce(
            Subquery(per_case.annotate(total=Sum("minutes")).values("total")), 0
        ),
        "contacts_logged": Coalesce(
            Subquery(per_case.annotate(total=Count("pk")).values("total")), 0
        ),
    }


# The case page joins only these; its code-list names come from case_page_names().
CASE_PAGE_RELATED = ("parent", "child", "officer")


def case_page_names() -> dict:
    """Annotations of the names of a case's code-list values (as each one's str() prints
    it), for case_for_page with CASE_PAGE_RELATED.

    Joined, the five code lists made the case's query a nine-table join that PostgreSQL took
    2.5-4 ms to plan and 0.3 ms to run (national copy); as one-row subqueries it plans in
    about 0.6 ms (docs/decisions/0015-interactive-pages-cost-what-they-show.md)."""

    def name(model, key):
        return Subquery(model.objects.filter(pk=OuterRef(key)).values("name")[:1])

    need = NeedArea.objects.filter(pk=OuterRef("child__primary_need_id")).annotate(
        # NeedArea.__str__: "Area: need" for a sub-type, the name alone for an area.
        label=models.Case(
            models.When(area__isnull=True, then="name"),
            default=Concat("area__name", Value(": "), "name"),
        )
    )
    return {
        "locality_name": name(Locality, "locality_id"),
        "referral_route_name": name(ReferralRoute, "referral_route_id"),
        "primary_reason_name": name(ContactReason, "primary_reason_id"),
        "school_type_name": name(SchoolType, "child__school_type_id"),
        "primary_need_name": Subquery(need.values("label")[:1]),
    }


def _case_page_query(user, pk):
    return (
        cases_visible_to(user)
        .select_related(*CASE_PAGE_RELATED)
        .annotate(**contact_totals(), **case_page_names())
        .filter(pk=pk)
    )


# Built and compiled once per process (pps/prepared.py): the ORM took about 5 ms to write
# this query, PostgreSQL 0.1 ms to run it.
_CASE_PAGE = Prepared(_case_page_query, markers=("pk",))


def case_for_page(user, pk: int) -> Case:
    """The case page's case with its totals and code-list names, if this user may see it
    (cases_visible_to), else 404, as get_case_for decides it."""
    found = _CASE_PAGE.rows(user, pk=pk)
    if not found:
        raise Http404
    return found[0]


@dataclass(frozen=True)
class TimelinePage:
    """One page of a case's timeline: ("contact", at, Contact), ("event", at, CaseEvent)
    and ("document", at, a CaseParticulars document) entries, newest first; `number`
    counts from 1 (the newest)."""

    entries: list
    number: int
    has_older: bool

    @property
    def newer(self) -> int | None:
        """The number of the page of newer entries, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def older(self) -> int | None:
        """The number of the page of older entries, if any."""
        return self.number + 1 if self.has_older else None


# What a timeline entry shows of a contact (casework/templatetags/timeline.py): not the
# words of a letter sent with it, which its own page shows.
_TIMELINE_FIELDS = (
    # The case: read from a case's contacts, each is given its case by its case_id.
    "case",
    "at",
    "method",
    "minutes",
    "note",
    "follow_up",
    "follow_up_due_on",
    "follow_up_done_on",
    "volunteer",
    "by__username",
    "by__first_name",
    "by__last_name",
    "correspondence__kind",
)


def _timeline_contacts_query(user, case: int, first: int, stop: int):
    return (
        Contact.objects.filter(case=case)
        .select_related("by", "correspondence")
        .only(*_TIMELINE_FIELDS)
        .order_by("-at", "-id")[first:stop]
    )


def _timeline_events_query(user, case: int):
    return CaseEvent.objects.filter(case=case).select_related("by")


# Built and compiled once per process (pps/prepared.py), one contacts query a page number.
_TIMELINE_CONTACTS = Prepared(_timeline_contacts_query, markers=("case",))
_TIMELINE_EVENTS = Prepared(_timeline_events_query, markers=("case",))


def _case_events(case: Case, user) -> list:
    events = _TIMELINE_EVENTS.rows(user, case=case.pk)
    for event in events:
        event.case = case
    return events


def case_timeline(case: Case, number: int, documents=(), *, user) -> TimelinePage | None:
    """Page `number` of the case's contacts and events (None past the last page).

    A page holds TIMELINE_CONTACTS contacts and the events dated among them: an event has a
    day, not a time, and sorts at the start of its day, after a contact at that moment.
    Events older than every contact are on the last page. Two queries whatever the case's
    size: the page's contacts (with the one before it, where the newer page ended, and the
    one after, which says whether there is an older page) and the case's few events.
    `documents` (the case's, as case_particulars read them: no query here) are placed by
    the same rule at the moment each was added.
    """
    start = (number - 1) * TIMELINE_CONTACTS
    first = max(start - 1, 0)
    rows = _TIMELINE_CONTACTS.rows(
        user, case=case.pk, first=first, stop=start + TIMELINE_CONTACTS + 1
    )
    for contact in rows:
        # The case itself, as its related manager would give it: no query for each.
        contact.case = case
    newer_ended = rows.pop(0).at if start and rows else None
    if start and newer_ended is None:
        return None
    has_older = len(rows) > TIMELINE_CONTACTS
    contacts = rows[:TIMELINE_CONTACTS]
    older_from = contacts[-1].at if has_older else None
    events = [
        entry
        for entry in chain(
            (("event", start_of(event.on), event) for event in _case_events(case, user)),
            (("document", document.uploaded_at, document) for document in documents),
        )
        if (newer_ended is None or entry[1] < newer_ended)
        and (older_from is None or entry[1] >= older_from)
    ]
    if number > 1 and not contacts and not events:
        return None
    entries = sorted(
        chain((("contact", c.at, c) for c in contacts), events),
        key=lambda entry: entry[1],
        reverse=True,
    )
    return TimelinePage(entries=entries, number=number, has_older=has_older)


@dataclass(frozen=True)
class CaseParticulars:
    """The short lists beside a case, in the order the page lists them: its secondary
    issues, the child's other areas of need (as "Area: need"), the enquiries it came from,
    its volunteers' allocations and its documents (these two newest first)."""

    secondary_reasons: list
    secondary_needs: list
    enquiries: list
    allocations: list
    documents: list
    # Its appointments still booked, soonest first (held ones are contacts on the timeline).
    appointments: list = field(default_factory=list)


def case_particulars(case: Case, user) -> CaseParticulars:
    """The lists of CaseParticulars in one query: a UNION ALL of the six, each row
    (kind, pk, a time, two texts, a number, two days), the columns a kind has no use
    for left empty. A case's documents are all read (a family's papers, not the service's
    history: a few dozen at most), as the timeline places them too. The query is built
    and compiled once per process (pps/prepared.py); `user` is who reads the page."""
    rows = defaultdict(list)
    for kind, *row in _PARTICULARS.rows(user, case=case.pk, child=case.child_id):
        rows[kind].append(row)
    return CaseParticulars(
        secondary_reasons=[row[3] for row in sorted(rows["reason"], key=_code_list_order)],
        secondary_needs=[
            f"{row[2]}: {row[3]}" if row[2] else row[3]
            for row in sorted(rows["need"], key=_code_list_order)
        ],
        enquiries=[
            _Enquiry(pk, at)
            for pk, at, *_ in sorted(rows["enquiry"], key=lambda r: (r[1], r[0]), reverse=True)
        ],
        allocations=[
            _Allocation(pk, f"{first} {last}", started, ended)
            for pk, _at, first, last, _pos, started, ended in sorted(
                rows["allocation"], key=lambda r: (r[5], r[0]), reverse=True
            )
        ],
        documents=[
            _Document(pk, title, at, by, size)
            for pk, at, title, by, size, *_ in sorted(
                rows["document"], key=lambda r: (r[1], r[0]), reverse=True
            )
        ],
        appointments=[
            _Appointment(pk, at, place, ContactMethod(kind).label, minutes)
            for pk, at, place, kind, minutes, *_ in sorted(
                rows["appointment"], key=lambda r: (r[1], r[0])
            )
        ],
    )


def _particulars_query(user, case: int, child: int):
    """case_particulars' UNION ALL for the case and child of these keys (the case was
    read as the user may see it: these are its own lists)."""
    # A case of that key and its child, to ask for their related rows: nothing is read.
    case = Case(pk=case, child=Child(pk=child))
    text = CharField()
    # Each column's type, as PostgreSQL takes it from the union's first query.
    types = (DateTimeField(), text, text, IntegerField(), DateField(), DateField())

    def columns(kind, at=None, first=None, second=None, number=None, started=None, ended=None):
        """A kind's row; a column it has no use for is an empty value of the column's type."""
        given = (at, first, second, number, started, ended)
        return (
            Value(kind, output_field=text),
            "pk",
            *(
                Cast(Value(None), output_field=of_type) if column is None else column
                for column, of_type in zip(given, types, strict=True)
            ),
        )

    enquiries = case.enquiries.order_by().values_list(*columns("enquiry", at="received_at"))
    reasons = case.secondary_reasons.order_by().values_list(
        *columns("reason", first=Value("", output_field=text), second="name", number="position")
    )
    needs = case.child.secondary_needs.order_by().values_list(
        *columns(
            "need",
            first=Coalesce("area__name", Value(""), output_field=text),
            second="name",
            number="position",
        )
    )
    allocations = case.allocations.order_by().values_list(
        *columns(
            "allocation",
            first="volunteer__first_name",
            second="volunteer__last_name",
            started="started_on",
            ended="ended_on",
        )
    )
    documents = case.documents.order_by().values_list(
        *columns(
            "document",
            at="uploaded_at",
            first="title",
            # str(User): the full name, else the username.
            second=Coalesce(
                NullIf(
                    Trim(Concat("uploaded_by__first_name", Value(" "), "uploaded_by__last_name")),
                    Value(""),
                ),
                "uploaded_by__username",
                output_field=text,
            ),
            number="size",
        )
    )
    appointments = case.appointments.filter(status=AppointmentStatus.BOOKED).values_list(
        *columns("appointment", at="starts_at", first="place", second="kind", number="minutes")
    )
    return enquiries.union(
        reasons, needs, allocations, documents, appointments.order_by(), all=True
    )


_PARTICULARS = Prepared(_particulars_query, markers=("case", "child"))


def _code_list_order(row):
    # Code lists are ordered by position, then name (CodeListItem.Meta.ordering).
    return (row[4], row[3])


@dataclass(frozen=True)
class _Allocation:
    pk: int
    volunteer: str
    started_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class _Enquiry:
    pk: int
    received_at: dt.datetime


@dataclass(frozen=True)
class _Document:
    pk: int
    title: str
    uploaded_at: dt.datetime
    uploaded_by: str
    size: int


def parent_documents(user, parent: Parent) -> QuerySet[CaseDocument]:
    """The documents of a parent's page as far as `user` may see them: the parent's own and
    those on their cases, newest first, in one query."""
    return (
        documents_visible_to(user)
        .filter(parent=parent)
        .select_related("case", "uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


# My work lists at most this many appointments: a week of an officer's diary.
APPOINTMENTS_SHOWN = 50


def appointments_for(user, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """The user's booked appointments from `start` to `end` (local midnights, so that the
    index on the timestamp is used: docs/architecture.md, "Interactive pages at scale")."""
    return (
        appointments_visible_to(user)
        .filter(officer=user, status=AppointmentStatus.BOOKED, starts_at__gte=start)
        .filter(starts_at__lt=end)
        .select_related("case__parent")
        .only("starts_at", "kind", "place", "case__reference", *_PARENT_NAME)
        .order_by("starts_at", "id")[:APPOINTMENTS_SHOWN]
    )


# My work's lists (casework/views/work.py), each built and compiled once per process and
# day (pps/prepared.py): writing the six queries was about a third of the page's work
# (bench/README.md). The functions above build the same querysets for other callers.
_CASELOAD = Prepared(_caseload_values)
_EVALUATIONS_DUE_FIRST = Prepared(_evaluations_due_first)
_AWAITING_RESPONSE = Prepared(enquiries_awaiting_response)
_DUE_FOR_CLOSURE = Prepared(cases_due_for_closure)
_FOLLOW_UPS_DUE = Prepared(follow_ups_due_for)
_APPOINTMENTS = Prepared(appointments_for)


@dataclass
class MyWorkLists:
    """The records My work lists for its user, as the functions above select them."""

    enquiries: list[Enquiry]
    due_closure: list[Case]
    follow_ups: list[Contact]
    appointments: list[Appointment]


def my_work_lists(user, today: dt.date, start: dt.datetime, end: dt.datetime) -> MyWorkLists:
    """Enquiries awaiting a response, the user's cases due for closure and follow-ups
    due, and their appointments from `start` to `end`: each list one query."""
    return MyWorkLists(
        enquiries=_AWAITING_RESPONSE.rows(user),
        due_closure=_DUE_FOR_CLOSURE.rows(user, today=today),
        follow_ups=_FOLLOW_UPS_DUE.rows(user),
        appointments=_APPOINTMENTS.rows(user, start=start, end=end),
    )


def _family_cases_query(user, case: int, parent: int, child: int):
    return (
        cases_visible_to(user)
        .filter(Q(parent=parent) | Q(child=child))
        .exclude(pk=case)
        .select_related("parent", "child")
    )


_FAMILY_CASES = Prepared(_family_cases_query, markers=("case", "parent", "child"))


def family_cases(user, case: Case) -> list[Case]:
    """The family's other cases this user may see: the same parent's or the same child's
    (built and compiled once per process: pps/prepared.py)."""
    return _FAMILY_CASES.rows(user, case=case.pk, parent=case.parent_id, child=case.child_id)


def family_open_cases(family: list[Case], case: Case) -> list[Case]:
    """Of a case's family_cases, the same parent's open ones, the oldest first: where one
    call about two children may be logged too (read from the list: no query of its own)."""
    return sorted(
        (c for c in family if c.parent_id == case.parent_id and c.is_open),
        key=lambda c: (c.opened_on, c.pk),
    )


@dataclass(frozen=True)
class _Appointment:
    pk: int
    starts_at: dt.datetime
    place: str
    kind: str
    minutes: int


def interpreter_language(case: Case) -> str:
    """The language a volunteer must speak for this parent, or "" when English will do."""
    parent = case.parent
    if parent.interpreter_needed and parent.first_language.strip().lower() != "english":
        return parent.first_language.strip()
    return ""


def allocatable_volunteers(case: Case) -> QuerySet[Volunteer]:
    """The volunteers who may take this case: active IPS who cover its locality and, when
    the parent needs an interpreter, speak the parent's language. The one statement of the
    rule: the allocation form offers these, and allocate_volunteer refuses anyone else."""
    volunteers = Volunteer.objects.filter(
        service=case.service_id, role=VolunteerRole.IPS, status=VolunteerStatus.ACTIVE
    )
    if case.locality_id:
        volunteers = volunteers.filter(localities=case.locality_id)
    language = interpreter_language(case)
    if language:
        volunteers = volunteers.filter(languages__icontains=language)
    return volunteers


def allocation_needs(case: Case) -> str:
    """Who may take this case, in words: "active IPS who cover North and speak Polish"."""
    language = interpreter_language(case)
    place = str(case.locality) if case.locality_id else "any locality"
    return f"active IPS who cover {place}" + (f" and speak {language}" if language else "")


# The case's audit page lists at most this many reads.
AUDIT_READS_SHOWN = 500


def case_reads(case: Case) -> QuerySet[AccessLog]:
    """Who read the case, its parent, its child or its documents, with the reader."""
    return AccessLog.objects.filter(
        Q(object_type="case", object_id=case.pk)
        | Q(object_type="parent", object_id=case.parent_id)
        | Q(object_type="child", object_id=case.child_id)
        | Q(object_type="case-document", object_id__in=case.documents.values("pk"))
    ).select_related("user")[:AUDIT_READS_SHOWN]


def case_changes(case: Case) -> list[dict]:
    """Who changed the case, its parent, its child and what hangs on the case, the latest
    first: each change with the fields that differ from the row before it."""
    return sorted(
        chain(
            _changes("Case", case.history.all()),
            _changes("Parent", case.parent.history.all()),
            _changes("Child", case.child.history.all()),
            _changes("Contact", Contact.history.filter(case_id=case.pk)),
            _changes("Allocation", Allocation.history.filter(case_id=case.pk)),
            _changes("Document", CaseDocument.history.filter(case_id=case.pk)),
            _changes("Appointment", Appointment.history.filter(case_id=case.pk)),
        ),
        key=lambda change: change["at"],
        reverse=True,
    )


_HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _changes(label, history):
    """Each historical row as who changed what, with the fields that differ from before."""
    rows = list(history.select_related("history_user").order_by("history_date", "history_id"))
    previous_by_id = {}
    for row in rows:
        previous = previous_by_id.get(row.id)
        fields = []
        if previous is not None:
            delta = row.diff_against(previous)
            fields = [
                (
                    change.field,
                    value_shown(change.old, empty="empty"),
                    value_shown(change.new, empty="empty"),
                )
                for change in delta.changes
            ]
        previous_by_id[row.id] = row
        yield {
            "at": row.history_date,
            "what": label,
            "kind": _HISTORY_TYPES.get(row.history_type, row.history_type),
            "by": row.history_user,
            "fields": fields,
        }


def parent_list(user) -> QuerySet[Parent]:
    """The parents the user sees, by name, each with its locality and its numbers of open
    cases and of all cases.

    The cases are counted by a subquery rather than by grouping the joined tables:
    PostgreSQL then counts for the page's 25 parents only, after sorting."""
    cases = Case.objects.filter(parent=OuterRef("pk")).order_by().values("parent")

    def counted(cases):
        return Coalesce(Subquery(cases.annotate(n=Count("pk")).values("n")), 0)

    return (
        parents_with_locality(user)
        .annotate(
            open_cases=counted(cases.filter(status=CaseStatus.OPEN)),
            all_cases=counted(cases),
        )
        # The id breaks ties between namesakes, for stable pages.
        .order_by("last_name", "first_name", "id")
    )


def parents_with_locality(user) -> QuerySet[Parent]:
    """The parents the user sees, each with its locality."""
    return parents_visible_to(user).select_related("locality")


def parent_cases(parent: Parent) -> QuerySet[Case]:
    """A parent's cases, each with its child and officer, for the parent's page."""
    return parent.cases.select_related("child", "officer")


def latest_case_of(child: Child) -> Case | None:
    """The child's most recently opened case, if any."""
    return child.cases.order_by("-opened_on").first()


def case_allocations(case: Case) -> QuerySet[Allocation]:
    """A case's allocations, each with its volunteer."""
    return Allocation.objects.select_related("volunteer").filter(case=case)


def booked_appointments(user) -> QuerySet[Appointment]:
    """The appointments the user sees that are still booked: held or cancelled, an
    appointment is a record of what happened."""
    return appointments_visible_to(user).filter(status=AppointmentStatus.BOOKED)


def letter_templates_for(user, *, active: bool = False) -> QuerySet[LetterTemplate]:
    """The service's letter and email templates (only the active ones, with `active`), to
    the staff who write from them."""
    templates = rows_for_roles(user, STAFF, LetterTemplate)
    return templates.filter(active=True) if active else templates


def correspondence_with_case(user) -> QuerySet[Correspondence]:
    """The copies of letters and emails the user sees, each with its case, sender and
    contact."""
    return correspondence_visible_to(user).select_related("case", "by", "contact")


def code_list_values(model) -> QuerySet:
    """A code list's values (an area of need after its area), for its settings page."""
    values = model.objects.all()
    if model is NeedArea:
        values = values.select_related("area").order_by("area__position", "position", "name")
    return values


def need_areas() -> QuerySet[NeedArea]:
    """The top-level areas of need, which other needs are sub-types of."""
    return NeedArea.objects.filter(area__isnull=True)


def code_list_name_taken(model, name: str, *, area=None, other_than=None) -> bool:
    """Whether the code list has the value `name` (in any case) other than the value
    `other_than`; for an area of need, within the same `area` (None: top level)."""
    same = model.objects.filter(name__iexact=name).exclude(pk=other_than)
    if model is NeedArea:
        same = same.filter(area=area or None)
    return same.exists()
