"""Uploaded documents: type by content, size while reading, names keep their extension
(pps/uploads.py), through the self-assessment page's "Attach a document" form."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from pps import uploads
from tests.quality.factories import make_assessment

pytestmark = pytest.mark.django_db


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(13)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
DOCX = _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
XLSX = _zip([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])
ODT = _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")])
ODS = _zip(
    [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<x/>")]
)


@pytest.fixture
def rating(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_assessment(team).ratings.first()


def _attach(client, team, rating, name, content, content_type="application/octet-stream"):
    client.force_login(team.coordinator)
    return client.post(
        reverse("quality:rating-document", args=[rating.pk]),
        {"title": "Evidence", "file": SimpleUploadedFile(name, content, content_type)},
    )


def _error_beside_the_file_field(page) -> str:
    body = page.content.decode()
    assert page.status_code == 400
    # The message is the file field's own, linked to it for screen readers.
    start = body.index('id="id_file"')
    field = body[body.rindex("<input", 0, start) : body.index(">", start)]
    assert "is-invalid" in field
    assert 'aria-describedby="' in field and "id_file_error" in field
    return body


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", PDF),
        ("chart.png", PNG),
        ("photo.jpeg", JPEG),
        ("photo.JPG", JPEG),
        ("minutes.docx", DOCX),
        ("figures.xlsx", XLSX),
        ("minutes.odt", ODT),
        ("figures.ods", ODS),
        ("notes.txt", "Café notes, £5\n".encode()),
        ("figures.csv", b"month,count\nSeptember,4\n"),
    ],
)
def test_each_allowed_type_is_attached_and_kept_through_the_storage_api(
    client, team, rating, name, content
):
    # The browser's content type says nothing: it is ignored.
    page = _attach(client, team, rating, name, content, content_type="text/html")
    assert page.status_code == 302, page.content.decode()[:2000]
    document = rating.documents.get()
    assert document.original_name == name
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert document.file.storage.exists(document.file.name)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03" + bytes(60), "This kind of file cannot be attached."),
        ("archive.docx", _zip([("evil.exe", b"MZ")]), "This kind of file cannot be attached."),
        ("data.txt", b"abc\x00def", "This kind of file cannot be attached."),
        ("latin1.csv", "Café".encode("latin-1"), "This kind of file cannot be attached."),
        ("page.html", b"<script>alert(1)</script>", "rename it to end .txt or .csv"),
        ("plan.txt", PDF, "The file is a PDF but its name ends “.txt”"),
        ("plan", PDF, "its name ends “with no extension”"),
        ("empty.txt", b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_an_allowed_type_is_refused_beside_the_field(
    client, team, rating, name, content, message
):
    page = _attach(client, team, rating, name, content, content_type="application/pdf")
    body = _error_beside_the_file_field(page)
    assert message in body
    assert rating.documents.count() == 0


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(client, team, rating, settings):
    settings.PPS_UPLOAD_MAX_SIZE = 1024
    page = _attach(client, team, rating, "big.txt", b"a" * 5000)
    body = _error_beside_the_file_field(page)
    assert "The file is larger than 1.0\xa0KB." in body
    assert rating.documents.count() == 0
    # Exactly at the limit is still taken.
    assert _attach(client, team, rating, "edge.txt", b"a" * 1024).status_code == 302


def test_past_the_limit_nothing_more_is_kept_while_the_request_is_read(settings):
    settings.PPS_UPLOAD_MAX_SIZE = 1024
    payload = b"a" * (200 * 1024)
    request = RequestFactory().post(
        "/", {"title": "Big", "file": SimpleUploadedFile("big.txt", payload)}
    )
    upload = request.FILES["file"]
    assert isinstance(upload, uploads.OversizedUpload)
    assert upload.size == len(payload)
    assert upload.read() == b""
    # The fields after the file are still read: the form can answer beside the field.
    assert request.POST["title"] == "Big"


def test_a_long_name_is_shortened_in_the_stem_and_keeps_its_extension(client, team, rating):
    name = "Minutes of the steering group " * 12 + ".pdf"
    assert _attach(client, team, rating, name, PDF).status_code == 302
    document = rating.documents.get()
    assert len(document.original_name) == uploads.NAME_MAX_LENGTH
    assert document.original_name.endswith("group.pdf") or document.original_name.endswith(".pdf")
    assert document.original_name.startswith("Minutes of the steering group")
    assert document.file.name.endswith(".pdf")
    download = client.get(reverse("quality:document-download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_safe_name_drops_folders_and_control_characters():
    assert uploads.safe_name("C:\\Users\\Ann\\report.pdf") == "report.pdf"
    assert uploads.safe_name("../../etc/pass\x00wd.txt") == "passwd.txt"
    assert uploads.safe_name("x" * 300 + ".docx", 20) == "x" * 15 + ".docx"
