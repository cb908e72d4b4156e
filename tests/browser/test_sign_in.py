"""The sign-in page, as a new user of the demo first sees it."""

import pytest

from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_page_lists_the_demo_accounts_and_passes_axe(
    page, live_server, settings, axe_check
):
    settings.DEMO_MODE = True
    page.goto(live_server.url + "/")
    page.get_by_role("heading", name="Sign in", level=1).wait_for()
    demo = page.get_by_role("region", name="Demo accounts")
    for username, role in DEMO_ACCOUNTS:
        assert username in demo.inner_text()
        assert role.label in demo.inner_text()
    assert DEMO_PASSWORD in demo.inner_text()
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_refused_beside_the_form(page, live_server, team, axe_check):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(team.officer.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Please enter a correct username and password").wait_for()
    axe_check(page)
