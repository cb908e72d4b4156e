"""The annual report in Debian's Chromium with axe on every page: a coordinator enters a
month's calls, writes a narrative section, opens the report, builds the PDF on a real
worker, watches it become ready and downloads it; a steering member reads the report."""

from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import clock, factories
from tests.pps.test_documents import needs_postgresql, run_worker

TODAY = date(2026, 11, 24)


def expect_heading(page, name):
    page.get_by_role("heading", name=name, level=1).wait_for()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@clock.on(TODAY)
def test_coordinator_writes_the_narrative_and_builds_the_pdf(
    page, live_server, team, sign_in, axe_check, settings, tmp_path, open_header_menu
):
    settings.MEDIA_ROOT = tmp_path
    for day in (date(2025, 9, 15), date(2025, 10, 2)):
        factories.open_case(team.service, team.officer, opened_on=day)
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    open_header_menu(page, "Reports")
    page.get_by_role("link", name="Annual report", exact=True).click()
    expect_heading(page, "Annual report 2025/26")
    axe_check(page)
    # Every chart says in words what it shows.
    for image in page.locator("figure img").all():
        assert len(image.get_attribute("alt") or "") > 20

    page.get_by_role("link", name="Enter calls and website visits").click()
    expect_heading(page, "Telephone calls and website visits, 2025/26")
    axe_check(page)
    page.get_by_label("Incoming calls, October 2025").fill("95")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    assert page.get_by_label("Incoming calls, October 2025").input_value() == "95"

    page.goto(live_server.url + reverse("publications:annual-report", args=[2025]))
    page.get_by_role("link", name="Context").click()
    expect_heading(page, "Context: annual report 2025/26")
    axe_check(page)
    page.get_by_label("Text").fill("A year of growth.\n\nMore tribunal work than ever.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect_heading(page, "Annual report 2025/26")
    page.get_by_text("More tribunal work than ever.").wait_for()

    with page.expect_navigation():
        page.get_by_role("button", name="Build PDF").click()
    expect_heading(page, "Annual report 2025/26 (PDF)")
    page.get_by_role("link", name="Stop refreshing").click()
    page.get_by_role("link", name="refresh automatically").click()
    run_worker(tmp_path)
    download_link = page.get_by_role("link", name="Download annual-report-2025-26.pdf")
    download_link.wait_for(timeout=15_000)
    axe_check(page)
    with page.expect_download() as download:
        download_link.click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "More tribunal work than ever." in text


@pytest.mark.django_db(transaction=True)
@clock.on(TODAY)
def test_a_steering_member_reads_the_report(page, live_server, team, sign_in, axe_check):
    factories.open_case(team.service, team.officer, opened_on=date(2025, 9, 15))
    sign_in(page, live_server, team.steering.username, factories.PASSWORD)
    page.goto(live_server.url + reverse("publications:annual-report", args=[2025]))
    expect_heading(page, "Annual report 2025/26")
    page.get_by_text("no one is named").first.wait_for()
    assert page.get_by_role("link", name="Enter calls and website visits").count() == 0
    axe_check(page)


@pytest.mark.django_db(transaction=True)
@clock.on(TODAY)
def test_a_steering_member_lands_on_the_dashboard(page, live_server, team, sign_in, axe_check):
    factories.open_case(team.service, team.officer, opened_on=date(2026, 8, 3))
    sign_in(page, live_server, team.steering.username, factories.PASSWORD)
    # Signing in lands a steering member on the dashboard.
    expect_heading(page, f"{team.service.name}: steering group dashboard")
    axe_check(page)
    images = page.locator("figure img").all()
    assert images
    for image in images:
        assert len(image.get_attribute("alt") or "") > 20
    # A new case in the quarter shown: fewer than 5, never the number.
    assert page.get_by_text("fewer than 5").count() > 0
