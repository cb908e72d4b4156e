"""Documents on cases and parents: added from the case's or parent's page under the upload
rules of every document, read by whoever sees the case, each download recorded, shown in
the timeline, gone with the family's erasure (docs/domain.md, "Documents on cases and
parents")."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access_requests.actions import record_request
from access_requests.bundle import gather
from casework import actions
from casework.enums import ClosureReason, Outcome
from casework.models import CaseDocument
from pps.access import service_scope
from pps.models import AccessLog
from retention import actions as retention
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case(team):
    return factories.open_case(
        team.service, team.officer, opened_on=timezone.localdate() - dt.timedelta(days=10)
    )


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def upload(client, url, name, content, title="Letter from school"):
    return client.post(url, {"title": title, "file": SimpleUploadedFile(name, content)})


def add_to_case(client, case, name="letter.pdf", content=PDF, **kwargs):
    return upload(
        client, reverse("casework:case-add-document", args=[case.pk]), name, content, **kwargs
    )


def error_beside_the_file_field(page) -> str:
    body = page.content.decode()
    assert page.status_code == 400
    start = body.index('id="id_file"')
    field = body[body.rindex("<input", 0, start) : body.index(">", start)]
    assert "is-invalid" in field and "id_file_error" in field
    return body


def test_an_officer_adds_a_document_to_a_case_kept_through_the_storage_api(
    client, team, case, media
):
    client.force_login(team.officer)
    page = add_to_case(client, case, name="Annual review.pdf")
    assert page.status_code == 302
    assert page["Location"] == reverse("casework:case-detail", args=[case.pk])
    document = CaseDocument.objects.get()
    assert (document.case, document.parent, document.uploaded_by) == (
        case,
        case.parent,
        team.officer,
    )
    assert (document.title, document.original_name) == ("Letter from school", "Annual review.pdf")
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    # Stored under a random name in the service's folder, not under its own name.
    assert document.file.name.startswith(f"casework/{team.service.pk}/")
    assert "Annual" not in document.file.name
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == PDF
    assert document.history.count() == 1
    body = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    link = reverse("casework:document-download", args=[document.pk])
    assert f'<a href="{link}">Letter from school</a>' in body


def test_a_coordinator_adds_a_document_to_a_parent_alone(client, team, case):
    client.force_login(team.coordinator)
    url = reverse("casework:parent-add-document", args=[case.parent_id])
    page = upload(client, url, "consent.txt", b"I agree.\n", title="Signed consent")
    assert page.status_code == 302
    document = CaseDocument.objects.get()
    assert (document.parent, document.case) == (case.parent, None)
    parent_page = client.get(reverse("casework:parent-detail", args=[case.parent_id]))
    assert "Signed consent" in parent_page.content.decode()
    assert "on the parent's record" in parent_page.content.decode()
    # The case's page lists the case's documents only.
    assert (
        "Signed consent"
        not in client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03" + bytes(60), "This kind of file cannot be attached."),
        ("page.html", b"<p>hello</p>", "rename it to end .txt or .csv"),
        ("letter.txt", PDF, "The file is a PDF but its name ends “.txt”"),
    ],
)
def test_a_file_of_a_refused_type_gets_its_reason_beside_the_field_and_nothing_is_kept(
    client, team, case, media, name, content, message
):
    client.force_login(team.officer)
    body = error_beside_the_file_field(add_to_case(client, case, name=name, content=content))
    assert message in body
    # The title typed is kept in the form to try again.
    assert 'value="Letter from school"' in body
    assert CaseDocument.objects.count() == 0
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused_beside_the_field_and_nothing_is_kept(
    client, team, case, media, settings
):
    settings.PPS_UPLOAD_MAX_SIZE = 1024
    client.force_login(team.officer)
    for url in (
        reverse("casework:case-add-document", args=[case.pk]),
        reverse("casework:parent-add-document", args=[case.parent_id]),
    ):
        body = error_beside_the_file_field(upload(client, url, "notes.txt", b"a" * 5000))
        assert "The file is larger than 1.0\xa0KB." in body
    assert CaseDocument.objects.count() == 0
    assert stored_files(media) == []


def test_another_services_officer_finds_no_document_list_or_download(
    client, team, other_team, case
):
    on_case = factories.add_document(team.officer, case=case)
    on_parent = factories.add_document(team.officer, parent=case.parent)
    client.force_login(other_team.officer)
    for url in (
        reverse("casework:case-detail", args=[case.pk]),
        reverse("casework:parent-detail", args=[case.parent_id]),
        reverse("casework:case-add-document", args=[case.pk]),
        reverse("casework:parent-add-document", args=[case.parent_id]),
        reverse("casework:document-download", args=[on_case.pk]),
        reverse("casework:document-download", args=[on_parent.pk]),
    ):
        assert client.get(url).status_code == 404, url
    before = CaseDocument.objects.count()
    assert add_to_case(client, case).status_code == 404
    assert CaseDocument.objects.count() == before


def test_a_volunteer_reads_the_documents_of_their_allocated_case_as_its_page_does(
    client, team, case
):
    allocation = actions.allocate_volunteer(
        case=case,
        volunteer=team.volunteer_record,
        by=team.officer,
        started_on=timezone.localdate() - dt.timedelta(days=2),
    )
    on_case = factories.add_document(team.officer, case=case, title="School report")
    on_parent = factories.add_document(team.officer, parent=case.parent, title="Benefits letter")
    client.force_login(team.volunteer)
    page = client.get(reverse("casework:case-detail", args=[case.pk]))
    body = page.content.decode()
    assert "School report" in body and "Benefits letter" not in body
    # They read the documents; adding one is for case officers and coordinators.
    assert 'enctype="multipart/form-data"' not in body
    assert add_to_case(client, case).status_code == 403
    download = reverse("casework:document-download", args=[on_case.pk])
    assert client.get(download).status_code == 200
    # A parent's own documents are seen with the parent's page: staff only.
    parents_own = reverse("casework:document-download", args=[on_parent.pk])
    assert client.get(parents_own).status_code == 404
    # Allocation ended: the case page and its documents are gone together.
    actions.end_allocation(allocation=allocation, on=timezone.localdate())
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 404
    assert client.get(download).status_code == 404
    # Admin support see the case page, so they read its documents too.
    client.force_login(team.support)
    assert client.get(download).status_code == 200


def test_a_download_is_an_attachment_under_a_safe_name_and_is_recorded(client, team, case):
    document = factories.add_document(
        team.officer, case=case, name='C:\\fakepath\\Letter "final"\x07.txt', content=b"Dear"
    )
    assert document.original_name == 'Letter "final".txt'
    client.force_login(team.coordinator)
    before = AccessLog.objects.count()
    url = reverse("casework:document-download", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Dear"
    assert response["Content-Disposition"] == 'attachment; filename="Letter \\"final\\".txt"'
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]
    (row,) = AccessLog.objects.order_by("id")[before:]
    assert (row.user, row.action, row.object_type, row.object_id, row.path) == (
        team.coordinator,
        AccessLog.Action.EXPORT,
        "case-document",
        document.pk,
        url,
    )
    # The case's audit page lists the download among the case's views, and the document's
    # addition among its changes.
    audit = client.get(reverse("casework:case-audit", args=[case.pk]))
    assert row in audit.context["views"]
    assert ("Document", "Created") in [(c["what"], c["kind"]) for c in audit.context["changes"]]


def test_the_timeline_shows_the_document_at_the_time_it_was_added(client, team, case):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    factories.log_contact(case, team.officer, on=yesterday, note="Rang the parent")
    document = factories.add_document(team.officer, case=case, title="Draft EHC plan <v2>")
    # Added at noon yesterday, after that morning's contact.
    noon = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(12, 0)))
    CaseDocument.objects.filter(pk=document.pk).update(uploaded_at=noon)
    factories.log_contact(case, team.officer, on=timezone.localdate(), note="Talked it through")
    client.force_login(team.officer)
    page = client.get(reverse("casework:case-detail", args=[case.pk]))
    entries = [kind for kind, _at, _item in page.context["timeline"].entries]
    # Newest first: today's contact, the document, yesterday's contact, then the opening.
    assert entries == ["contact", "document", "contact", "event"]
    body = page.content.decode()
    link = reverse("casework:document-download", args=[document.pk])
    assert f'Document added: <a href="{link}">Draft EHC plan &lt;v2&gt;</a>' in body
    timeline = body[body.index('id="timeline-heading"') :]
    assert (
        timeline.index("Talked it through")
        < timeline.index("Document added")
        < timeline.index("Rang the parent")
    )


def test_the_timeline_places_a_document_on_the_page_of_its_time(client, team, case, settings):
    from casework import queries

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    factories.log_contact(case, team.officer, on=yesterday)
    old = factories.add_document(team.officer, case=case, title="Old letter")
    CaseDocument.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - dt.timedelta(days=5))
    for _ in range(queries.TIMELINE_CONTACTS):
        factories.log_contact(case, team.officer)
    client.force_login(team.officer)
    url = reverse("casework:case-detail", args=[case.pk])
    first = client.get(url).content.decode()
    second = client.get(f"{url}?page=2").content.decode()
    assert "Document added" not in first
    assert "Document added" in second


def test_the_case_page_costs_the_same_queries_however_many_documents(client, team, case):
    client.force_login(team.officer)
    url = reverse("casework:case-detail", args=[case.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    none = count()
    for n in range(6):
        factories.add_document(team.coordinator, case=case, title=f"Letter {n}")
    factories.add_document(team.officer, parent=case.parent, title="On the parent")
    assert count() == none
    assert none <= 10


def test_the_parent_page_costs_the_same_queries_however_many_documents(client, team, case):
    client.force_login(team.officer)
    url = reverse("casework:parent-detail", args=[case.parent_id])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    none = count()
    for n in range(3):
        factories.add_document(team.coordinator, case=case, title=f"Letter {n}")
        factories.add_document(team.officer, parent=case.parent, title=f"Form {n}")
    assert count() == none


def test_a_document_belongs_to_its_cases_parent_and_a_refused_one_leaves_no_file(team, case, media):
    other = factories.open_case(team.service, team.officer)
    with pytest.raises(ValueError):
        factories.add_document(team.officer, case=case, parent=other.parent)
    with pytest.raises(ValidationError) as refused:
        factories.add_document(team.officer, case=case, title="  ")
    assert refused.value.message_dict == {"title": ["Give the document a title."]}
    with pytest.raises(ValidationError) as refused:
        factories.add_document(team.officer, case=case, name="run.exe", content=b"MZ\x00\x01")
    assert list(refused.value.message_dict) == ["file"]
    assert CaseDocument.objects.count() == 0
    assert stored_files(media) == []


def test_erasing_the_family_deletes_its_documents_files_rows_and_history(
    team, case, django_capture_on_commit_callbacks
):
    on_case = factories.add_document(team.officer, case=case)
    on_parent = factories.add_document(team.officer, parent=case.parent, name="consent.txt")
    other = factories.add_document(
        team.officer, case=factories.open_case(team.service, team.officer)
    )
    names = [on_case.file.name, on_parent.file.name]
    actions.close_case(
        case=case,
        by=team.officer,
        on=timezone.localdate(),
        reason=ClosureReason.RESOLVED,
        outcome=Outcome.RESOLVED,
        summary="Resolved at the review.",
    )
    with service_scope(team.service.pk), django_capture_on_commit_callbacks(execute=True):
        record = retention.erase_family(parent=case.parent, by=team.coordinator, reason="Asked")
    assert record.counts["casework.CaseDocument"] == {"deleted": 2}
    assert not CaseDocument.objects.filter(parent=case.parent).exists()
    assert not CaseDocument.history.filter(parent_id=case.parent_id).exists()
    assert not any(default_storage.exists(name) for name in names)
    # Another family's document stays, file and all.
    assert CaseDocument.objects.filter(pk=other.pk).exists()
    assert default_storage.exists(other.file.name)


def test_a_subject_access_bundle_lists_the_familys_documents_and_their_downloads(
    client, team, case
):
    document = factories.add_document(team.officer, case=case, title="Tribunal bundle index")
    factories.add_document(team.officer, parent=case.parent, title="Consent form")
    client.force_login(team.coordinator)
    client.get(reverse("casework:document-download", args=[document.pk]))
    request = record_request(
        parent=case.parent,
        received_on=timezone.localdate(),
        requester="The parent, by email",
        by=team.coordinator,
    )
    with service_scope(team.service.pk):
        data = gather(request).as_json()
    kept = data["kept_documents"]
    assert [d["title"] for d in kept] == ["Tribunal bundle index", "Consent form"]
    assert kept[0]["case"] == case.reference and kept[1]["case"] is None
    assert "file" not in kept[0]
    assert any(
        row["object_type"] == "case-document" and row["object_id"] == document.pk
        for row in data["access_log"]
    )
