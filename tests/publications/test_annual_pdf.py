"""The annual report's PDF, built by a real worker process (`manage.py db_worker`): A4,
a cover, contents with page numbers, the service and year on every page, numbered pages,
every part, and the figures of the page."""

import io
import re
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from pps.models import GeneratedDocument
from tests import clock, factories
from tests.conftest import make_team
from tests.pps.test_documents import needs_postgresql, run_worker

TODAY = date(2026, 11, 24)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@clock.on(TODAY)
def test_a_real_worker_builds_the_annual_report_pdf(client, media):
    team = make_team("Northshire PPS")
    for day in (date(2025, 9, 15), date(2025, 10, 2), date(2026, 3, 9)):
        factories.open_case(team.service, team.officer, opened_on=day)
    client.force_login(team.coordinator)
    response = client.post(reverse("publications:annual-pdf", args=[2025]))
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("document-status", args=[document.pk])

    run_worker(media)

    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.READY, document.failure_reason
    with default_storage.open(document.file.name, "rb") as stored:
        content = stored.read()
    assert document.size == len(content)
    reader = PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    # A4 portrait, in points.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "Northshire PPS" in pages[0] and "Annual report 2025/26" in pages[0]
    assert "Contents" in pages[1]
    total = len(pages)
    # Every page after the cover carries the service, the year and its number.
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert "Northshire PPS: annual report 2025/26" in text
    text = "\n".join(pages)
    for heading in ("Case movements", "Evaluations", "Events", "Appendices"):
        assert heading in text
    # The contents give each part's page: the page its heading is printed on.
    listed = re.search(r"Case movements \.+ (\d+)", pages[1])
    assert listed, pages[1]
    assert "4. Case movements" in pages[int(listed.group(1)) - 1]
    # Three cases opened in the year: the figure the page shows.
    assert "New 3" in text
