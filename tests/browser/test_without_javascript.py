"""The core flow works with JavaScript switched off and with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from tests import factories


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_log_a_contact_by_keyboard_without_javascript(no_js_page, live_server, team):
    # axe itself needs JavaScript: these pages are checked with it in the other tests.
    page = no_js_page
    case = factories.open_case(team.service, team.officer)
    factories.authenticator(team.officer)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(team.officer.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The code field has the focus (autofocus, applied once the page has rendered: wait
    # for it rather than type into nothing): type the code and press Enter.
    code_field = page.get_by_label("Code")
    expect(code_field).to_be_focused()
    code = factories.unused_code(team.officer)
    page.keyboard.type(code)
    expect(code_field).to_have_value(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="My work", level=1).wait_for()

    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_label("Minutes").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("25")
    page.keyboard.press("Tab")  # to the note
    page.keyboard.type("Explained the SEN support the school must give")
    page.get_by_label("Follow-up action").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Contact logged.").wait_for()
    assert "Explained the SEN support the school must give" in page.content()
    assert case.contacts.get().minutes == 25
