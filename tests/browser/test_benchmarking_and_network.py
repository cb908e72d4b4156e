"""The benchmarking return and the network report in Debian's Chromium, with axe on every
page: a coordinator enters a year's denominators (a bad figure first) and reads the return
made from them; a network analyst signs in, lands on the network report and reads its
charts."""

from datetime import date

import pytest

from pps.roles import Role
from tests import clock, factories

TODAY = date(2026, 11, 24)  # the last financial year ended is 2025-26


def expect_heading(page, name):
    page.get_by_role("heading", name=name, level=1).wait_for()


def a_case_with_a_contact(team, opened_on, contact_on):
    case = factories.open_case(team.service, team.officer, opened_on=opened_on)
    factories.log_contact(case, team.officer, on=contact_on)
    return case


@pytest.mark.django_db(transaction=True)
@clock.on(TODAY)
def test_coordinator_enters_the_denominators_and_reads_the_return(
    page, live_server, team, sign_in, axe_check, open_header_menu
):
    a_case_with_a_contact(team, date(2025, 5, 1), date(2025, 5, 10))
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    open_header_menu(page, "Reports")
    page.get_by_role("link", name="Benchmarking", exact=True).click()
    expect_heading(page, "Benchmarking return 2025-26")
    axe_check(page)

    page.get_by_role("link", name="Enter denominators and facts").click()
    expect_heading(page, "Denominators and facts for the benchmarking return 2025-26")
    axe_check(page)
    funding = page.get_by_label("Funding received for the year (£)")
    funding.fill("-5")
    page.get_by_label("Population aged 0-19 in the area").fill("50000")
    page.get_by_role("button", name="Save").click()
    # Refused beside the field, nothing saved.
    page.locator(".invalid-feedback, .is-invalid").first.wait_for()
    axe_check(page)
    page.get_by_label("Funding received for the year (£)").fill("150000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect_heading(page, "Benchmarking return 2025-26")
    page.get_by_text("Saved.").wait_for()
    # £150,000 over 50,000 children and young people: £3.00 a head.
    row = page.get_by_role("row", name="Funding per head of the population aged 0-19")
    assert "£3.00" in row.inner_text()
    axe_check(page)


@pytest.mark.django_db(transaction=True)
@clock.on(TODAY)
def test_a_network_analyst_lands_on_the_network_report(
    page, live_server, team, other_team, sign_in, axe_check
):
    for side in (team, other_team):
        side.service.network_member = True
        side.service.save()
        for day in (5, 6, 7, 8, 9, 12):
            a_case_with_a_contact(side, date(2025, 5, day), date(2025, 6, day))
    assert team.analyst.role == Role.NETWORK_ANALYST
    sign_in(page, live_server, team.analyst.username, factories.PASSWORD)
    # The last financial year that has ended.
    expect_heading(page, "Network report, 2025-26")
    axe_check(page)
    html = page.content()
    for name in (team.service.name, other_team.service.name):
        assert name not in html
    # Every chart says in words what it shows.
    images = page.locator("figure img").all()
    assert images
    for image in images:
        assert len(image.get_attribute("alt") or "") > 20
