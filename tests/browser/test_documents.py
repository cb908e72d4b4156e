"""A coordinator builds the self-assessment PDF on the background worker, in Debian's
Chromium with axe on every page: Build PDF, the status page that refreshes itself with no
script until a real worker process has built it, the download, the list of documents."""

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import factories
from tests.pps.test_documents import needs_postgresql, run_worker
from tests.quality.factories import make_assessment, rate_all


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_coordinator_builds_the_pdf_and_downloads_it_later(
    page, live_server, team, sign_in, axe_check, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assessment = make_assessment(team)
    rate_all(assessment, evidence="Minutes of the advisory group")
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    page.goto(live_server.url + reverse("quality:assessment-detail", args=[assessment.pk]))
    with page.expect_navigation():
        page.get_by_role("button", name="Build PDF").click()
    page.get_by_role("heading", name="Self-assessment, 3 November 2025 (PDF)", level=1).wait_for()
    page.get_by_role("status").filter(has_text="Queued").wait_for()
    # axe refuses any delayed refresh (WCAG 2.2.1) unless it can be turned off: it can.
    page.get_by_role("link", name="Stop refreshing").click()
    page.get_by_role("link", name="refresh automatically").wait_for()
    axe_check(page)
    page.get_by_role("link", name="refresh automatically").click()
    page.get_by_role("link", name="Stop refreshing").wait_for()

    run_worker(tmp_path)
    # The page reloads itself (a meta refresh, no script) and shows the download.
    page.get_by_role("link", name="Download self-assessment-2025-11-03.pdf").wait_for(
        timeout=15_000
    )
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download self-assessment-2025-11-03.pdf").click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Minutes of the advisory group" in text

    page.get_by_role("link", name="Documents", exact=True).click()
    page.get_by_role("heading", name="Generated documents", level=1).wait_for()
    assert page.get_by_role("cell", name="Ready").count() == 1
    axe_check(page)
