"""The subject access bundle holds every record of the family and nothing of another, and
the names a coordinator lists are gone from every field of it."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from access_requests.actions import produce_bundle
from access_requests.bundle import gather
from pps.documents import build_document
from pps.models import GeneratedDocument
from tests import factories
from tests.access_requests.family import make_family

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def built_bundle(team, family, names=()) -> tuple[str, str, dict]:
    """(JSON text, PDF text, JSON data) of the bundle built by the worker's task."""
    document = produce_bundle(
        request=family.request, redacted_names=list(names), by=team.coordinator
    )
    assert build_document.call(team.service.pk, document.pk) == GeneratedDocument.Status.READY
    document.refresh_from_db()
    with document.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as zipped:
        files = {name.rsplit(".", 1)[1]: zipped.read(name) for name in zipped.namelist()}
    assert sorted(files) == ["json", "pdf"]
    pdf = PdfReader(io.BytesIO(files["pdf"]))
    text = " ".join(page.extract_text() for page in pdf.pages)
    return files["json"].decode(), text, json.loads(files["json"])


def squeezed(text: str) -> str:
    # A PDF breaks long values across lines: compare without any white space.
    return "".join(text.split()).casefold()


def test_the_bundle_holds_every_record_of_the_family_and_nothing_of_another(team):
    family = make_family(team, "Quillon")
    stranger = make_family(team, "Zebedaux")
    text, pdf_text, data = built_bundle(team, family)
    for value in family.values:
        assert value in text, f"{value!r} missing from the JSON"
        assert squeezed(value) in squeezed(pdf_text), f"{value!r} missing from the PDF"
    assert "zebedaux" not in text.casefold()
    assert "zebedaux" not in pdf_text.casefold()
    # Shared words ("Good") aside, nothing of theirs: names, notes, case references.
    theirs = [v for v in stranger.values if "zebedaux" in v.casefold()]
    theirs += [case.reference for case in stranger.cases]
    for value in theirs:
        assert squeezed(value) not in squeezed(text)
        assert squeezed(value) not in squeezed(pdf_text)
    # The records, counted: one parent, two children, two cases with their parts.
    assert len(data["parent"]) == 1 and data["parent"][0]["id"] == family.parent.pk
    assert sorted(c["id"] for c in data["children"]) == sorted(c.pk for c in family.children)
    first, second = data["cases"]
    assert [e["kind"] for e in first["events"]] == ["Opened"]
    assert [e["kind"] for e in second["events"]] == ["Opened", "Closed"]
    assert len(first["contacts"]) == 2 and len(second["contacts"]) == 1
    assert len(first["enquiries"]) == 1 and len(first["allocations"]) == 1
    (sending,) = first["evaluations"]
    (response,) = sending["response"]
    assert "Quillon comment on the service" in [a["answer"] for a in response["answers"]]
    assert [f["summary"] for f in data["feedback"]] == ["Quillon complaint summary"]
    assert [r["id"] for r in data["subject_access_requests"]] == [family.request.pk]
    # The access log: the view of the parent's page made for the family, by the coordinator.
    assert [(row["object_type"], row["object_id"]) for row in data["access_log"]] == [
        ("parent", family.parent.pk)
    ]
    assert data["access_log"][0]["user"] == str(team.coordinator)
    # The service's name is on every page, in the running header.
    pdf = PdfReader(io.BytesIO(_pdf_bytes(family)))
    assert all(team.service.name in page.extract_text() for page in pdf.pages)


def _pdf_bytes(family) -> bytes:
    family.request.refresh_from_db()
    with family.request.bundle.file.open("rb") as handle:
        zipped = zipfile.ZipFile(io.BytesIO(handle.read()))
        return zipped.read(next(n for n in zipped.namelist() if n.endswith(".pdf")))


def test_a_second_bundle_lists_the_first_among_the_documents_made_about_them(team):
    family = make_family(team, "Quillon")
    built_bundle(team, family)
    family.request.refresh_from_db()
    first = family.request.bundle
    _text, _pdf, data = built_bundle(team, family)
    assert first.pk in [d["id"] for d in data["documents"]]


def test_redaction_removes_the_names_from_every_field(team):
    family = make_family(team, "Quillon")
    parent, case = family.parent, family.cases[0]
    parent.notes = "Her neighbour Sybil TRELAWNEY helps; trelawney's car"
    parent.save()
    case.tribunal_notes = "Witness: Sybil Trelawney. Trelawneys-Ltd is a firm."
    case.save()
    contact = case.contacts.first()
    contact.note = "Spoke to Mr trelawney (the uncle) and Annabel"
    contact.save()
    enquiry = case.enquiries.get()
    enquiry.summary = "Trelawney rang on her behalf"
    enquiry.save()
    text, pdf_text, data = built_bundle(team, family, names=["Trelawney", "Ann"])
    assert "trelawney" not in text.casefold().replace("trelawneys-ltd", "")
    assert "trelawney" not in pdf_text.casefold().replace("trelawneys-ltd", "")
    assert data["parent"][0]["notes"] == "Her neighbour Sybil [redacted] helps; [redacted]'s car"
    first = data["cases"][0]
    assert first["tribunal_notes"] == "Witness: Sybil [redacted]. Trelawneys-Ltd is a firm."
    # A name inside a longer word stays: "Annabel" is not "Ann".
    assert "Spoke to Mr [redacted] (the uncle) and Annabel" in [
        c["note"] for c in first["contacts"]
    ]
    assert first["enquiries"][0]["summary"] == "[redacted] rang on her behalf"
    family.request.refresh_from_db()
    assert family.request.redacted_count == 2
    assert family.request.redacted_name_list() == ["Trelawney", "Ann"]
    assert family.request.bundle.requested_by == team.coordinator
    assert data["redacted_names"] == 2
    (recorded,) = data["subject_access_requests"]
    assert recorded["redacted_count"] == 2 and "redacted_names" not in recorded


def test_the_walk_costs_the_same_queries_however_many_records(team):
    family = make_family(team, "Quillon")
    with CaptureQueriesContext(connection) as small:
        gather(family.request)
    for _ in range(5):
        factories.log_contact(family.cases[0], team.officer, note="More work")
    factories.open_case(team.service, team.officer, parent=family.parent)
    with CaptureQueriesContext(connection) as large:
        bundle = gather(family.request)
    # 24: one query a kind of record (documents kept and letters and emails sent are the
    # 23rd and 24th).
    assert len(large.captured_queries) == len(small.captured_queries) <= 24
    assert len(bundle.as_json()["cases"]) == 3


def test_earlier_values_kept_in_history_are_in_the_bundle(team):
    family = make_family(team, "Quillon")
    parent = family.parent
    parent.notes = "Moved house in June"
    parent.save()
    contact = family.cases[0].contacts.order_by("id").first()
    contact_id = contact.pk
    contact.delete()
    _text, pdf_text, data = built_bundle(team, family)
    assert data["parent"][0]["notes"] == "Moved house in June"
    parents = [row for row in data["history"] if row["record_type"] == "parent"]
    assert [(row["change"], row["notes"]) for row in parents] == [
        ("Created", "Prefers Quillon mornings"),
        ("Changed", "Moved house in June"),
    ]
    # A deleted contact is still held in its history: its note is in the bundle.
    gone = [
        r for r in data["history"] if r["record_type"] == "contact" and r["record_id"] == contact_id
    ]
    assert [(r["change"], r["note"]) for r in gone] == [
        ("Created", "Quillon note 1"),
        ("Deleted", "Quillon note 1"),
    ]
    assert "Prefers Quillon mornings" in pdf_text
