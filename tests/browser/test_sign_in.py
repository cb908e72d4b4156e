"""Signing in through the browser: the demo page, the second factor, lockout, passwords."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests import factories


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


@pytest.mark.django_db(transaction=True)
def test_a_new_user_sets_up_the_app_from_the_typed_key_and_gets_backup_codes(
    page, live_server, team, axe_check
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(team.support.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Set up two-factor sign-in", level=1).wait_for()
    assert page.get_by_role("img", name="QR code holding the secret key shown below").is_visible()
    axe_check(page)

    # What a person types into their app when they cannot scan the QR code.
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    code = totp(b32decode(secret))
    page.get_by_role("textbox", name="Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Check the code").click()
    page.get_by_role("heading", name="Two-factor sign-in is set up").wait_for()
    codes = page.get_by_role("list", name="Backup codes").get_by_role("listitem")
    assert codes.count() == 10
    axe_check(page)
    page.get_by_role("link", name="I have kept my codes: continue").click()
    page.get_by_role("heading", name="My work", level=1).wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_code_is_refused_beside_the_field(page, live_server, team, axe_check):
    factories.authenticator(team.officer)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(team.officer.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your code", level=1).wait_for()
    axe_check(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("That code is not right").wait_for()
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_the_lockout_page_passes_axe(page, live_server, team, settings, axe_check):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(team.officer.username)
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="Too many failed sign-ins").wait_for()
    assert page.locator("html").get_attribute("lang") == "en-GB"
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_the_password_pages_pass_axe(page, live_server, team, sign_in, axe_check, open_header_menu):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    axe_check(page)
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    axe_check(page)

    sign_in(page, live_server, team.officer.username, factories.PASSWORD)
    open_header_menu(page, team.officer.first_name)
    page.get_by_role("link", name="Change password").click()
    page.get_by_role("heading", name="Change your password").wait_for()
    axe_check(page)
