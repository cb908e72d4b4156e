"""The evidence pack in Debian's Chromium with axe: a coordinator chooses the framework,
builds the pack on a real worker, watches it become ready and downloads it."""

from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from quality import actions
from tests import clock
from tests.factories import PASSWORD
from tests.pps.test_documents import needs_postgresql, run_worker
from tests.quality.factories import make_framework, rate_all

TODAY = date(2026, 11, 24)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@clock.on(TODAY)
def test_coordinator_builds_and_downloads_the_evidence_pack(
    page, live_server, team, sign_in, axe_check, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    version = make_framework(team.service, count=2, name="Pack trial standards")
    assessment = actions.start_assessment(
        service=team.service,
        version=version,
        title="Spring self-assessment",
        assessed_on=date(2026, 3, 2),
        by=team.coordinator,
    )
    rate_all(assessment, evidence="Thistlewaite minutes")
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)

    sign_in(page, live_server, team.coordinator.username, PASSWORD)
    page.goto(live_server.url + reverse("quality:index"))
    page.get_by_role("link", name="Evidence pack").click()
    page.get_by_role("heading", name="Evidence pack", level=1).wait_for()
    page.get_by_text("No evidence pack has been built yet.").wait_for()
    axe_check(page)
    page.get_by_label("Framework").select_option(label="Pack trial standards")
    page.get_by_label("Academic year of the figures").select_option(label="2025/26")
    with page.expect_navigation():
        page.get_by_role("button", name="Build the evidence pack").click()
    page.get_by_role(
        "heading", name="Evidence pack: Pack trial standards, 2025/26 (PDF)", level=1
    ).wait_for()
    page.get_by_text("Queued").first.wait_for()
    # A page that refreshes itself fails axe; the reader may stop it (WCAG 2.2.1).
    page.get_by_role("link", name="Stop refreshing").click()
    axe_check(page)
    run_worker(tmp_path)
    page.reload()
    download_link = page.get_by_role("link", name="Download evidence-pack-2025-26.pdf")
    download_link.wait_for(timeout=20_000)
    axe_check(page)
    with page.expect_download() as download:
        download_link.click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Thistlewaite minutes" in text
    assert "Evidence pack: Pack trial standards" in text

    # The pack page lists it, ready.
    page.goto(live_server.url + reverse("quality:evidence-pack"))
    page.get_by_role("link", name="Download Evidence pack: Pack trial standards").wait_for()
    axe_check(page)
