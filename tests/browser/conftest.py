"""Playwright driving Debian's Chromium, and an axe check for every page a person uses."""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; Django refuses database
# access from such a thread unless told it is safe (it is: the loop is idle meanwhile).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# The machine's network is closed: without these Chromium floods it with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = not CHROMIUM.exists() or os.environ.get("PPS_SKIP_BROWSER") == "1"
    for item in items:
        if here not in Path(item.fspath).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if missing and os.environ.get("CI") != "true":
            item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


# Chromium reports a Content-Security-Policy violation on the console; the listener below
# also reports the `securitypolicyviolation` event, which names the directive and source.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test if the page broke its security policy."""
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.add_init_script(_REPORT_CSP_VIOLATIONS)
    yield page
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def axe_check():
    """Run axe-core on the page; fail listing every serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        # A page reached by its own refresh (a document's status page) is not awaited by
        # any click: its stylesheets may still be loading, and colours measured without
        # them fail the contrast rule. Check the page as a person sees it, loaded.
        page.wait_for_load_state("load")
        results = axe.run(page)
        violations = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"])
            for v in violations
        )
        assert not violations, f"axe found on {page.url}:\n{report}"

    return check


@pytest.fixture
def sign_in():
    """Sign in through the real forms: the password, then the code of the user's
    authenticator app (a confirmed device is made for them if they have none)."""

    def sign_in(page, live_server, username, password):
        from pps.models import User
        from tests import factories

        user = User.objects.get(username=username)
        factories.authenticator(user)
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Enter your code", level=1).wait_for()
        page.get_by_label("Code").fill(factories.unused_code(user))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()

    return sign_in


@pytest.fixture
def open_header_menu():
    """Open one of the header's menus ("Reports", "Data", "Settings", or the account menu
    named by the user's first name), as a person clicks it."""

    def open_menu(page, label):
        header = page.get_by_role("navigation", name="Main")
        header.locator("summary", has_text=label).click()

    return open_menu
