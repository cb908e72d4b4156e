"""A coordinator records a subject access request from a parent's page and produces its
bundle, in Debian's Chromium with axe on every page; the bundle is built by the worker's
task in this process."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from access_requests.models import SubjectAccessRequest
from pps.documents import build_document
from tests import factories
from tests.access_requests.family import make_family


@pytest.mark.django_db(transaction=True)
def test_coordinator_records_a_request_and_produces_the_bundle(
    page, live_server, team, sign_in, axe_check, settings, tmp_path, open_header_menu
):
    settings.MEDIA_ROOT = tmp_path
    family = make_family(team, "Quillon")
    # The family's own request is left aside: this one is recorded through the pages.
    SubjectAccessRequest.objects.all().delete()
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    page.goto(live_server.url + reverse("casework:parent-detail", args=[family.parent.pk]))
    page.get_by_role("link", name="Subject access request").click()
    page.get_by_role("heading", name="Record a subject access request", level=1).wait_for()
    axe_check(page)
    page.get_by_label("Who asked and how").fill("The parent, by email")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the request").click()
    page.get_by_role("heading", name="Subject access request: Quillonella Quillonson").wait_for()
    axe_check(page)

    page.get_by_role("link", name="Produce the bundle").click()
    page.get_by_role("heading", name="Produce the bundle", level=1).wait_for()
    axe_check(page)
    page.get_by_label("Other people's names to redact").fill("Quillonling2")
    with page.expect_navigation():
        page.get_by_role("button", name="Produce the bundle").click()
    page.get_by_role("status").filter(has_text="Queued").wait_for()
    page.get_by_role("link", name="Stop refreshing").click()
    page.get_by_role("link", name="refresh automatically").wait_for()
    axe_check(page)

    request = SubjectAccessRequest.objects.get()
    build_document.call(team.service.pk, request.bundle_id)
    page.get_by_role("link", name="refresh automatically").click()
    download = page.get_by_role("link", name=re.compile(r"^Download subject-access-request-"))
    download.wait_for(timeout=15_000)
    with page.expect_download() as downloaded:
        download.click()
    with zipfile.ZipFile(downloaded.value.path()) as bundle:
        pdf_name = next(n for n in bundle.namelist() if n.endswith(".pdf"))
        pdf = PdfReader(io.BytesIO(bundle.read(pdf_name)))
        data = bundle.read(pdf_name.replace(".pdf", ".json")).decode()
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Quillon note 1" in text and "Quillonling1" in text
    assert "Quillonling2" not in text and "Quillonling2" not in data
    assert "[redacted]" in data

    open_header_menu(page, "Data")
    page.get_by_role("link", name="Subject access", exact=True).click()
    page.get_by_role("heading", name="Subject access requests", level=1).wait_for()
    page.get_by_role("link", name="Quillonella Quillonson").wait_for()
    axe_check(page)
