"""The layout on a desk (1366x768) and on a phone (390x844): no page scrolls sideways, the
header folds behind a menu a keyboard opens, the coordinator's links fit one line and the
keyboard focus shows (issue 15, "Phone and accessibility")."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import actions
from tests import factories

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# A pasted link or a run of characters with nowhere to break.
UNBROKEN = "https://example.org/" + "a" * 150


# The elements reaching past the window's right edge, innermost first, to name in a failure.
_TOO_WIDE = """() => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .reverse().slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


# The main header's links and its account menu.
_HEADER_LINKS = ".site-links > li, .site-account"


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def too_wide(page):
    return page.evaluate(_TOO_WIDE)


def check_pages(page, live_server, axe_check, paths):
    """Each page at both widths: nothing wider than the window, and axe's rules met."""
    for size in (DESK, PHONE):
        page.set_viewport_size(size)
        for path in paths:
            page.goto(live_server.url + path)
            axe_check(page)
            assert fits(page), f"{path} is too wide at {size['width']} px: {too_wide(page)}"


def open_menu_by_keyboard(page):
    """Tab from the top of the page to "Menu" and open it with Enter."""
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the service's name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Menu"
    page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
def test_an_officers_pages_fit_a_desk_and_a_phone(page, live_server, team, sign_in, axe_check):
    case = factories.open_case(team.service, team.officer)
    factories.log_contact(case, team.officer, note=UNBROKEN)
    # Eleven pages of cases: the case list's page links (1 to 8, ..., 11, next) must wrap
    # on a phone rather than widen the page.
    for _ in range(10 * 25):
        factories.open_case(team.service, team.officer)
    sign_in(page, live_server, team.officer.username, factories.PASSWORD)
    check_pages(
        page,
        live_server,
        axe_check,
        [
            reverse("home"),
            reverse("casework:case-list"),
            case.get_absolute_url(),
            reverse("casework:case-edit", args=[case.pk]),
            reverse("casework:enquiry-create"),
        ],
    )

    # On the phone (the viewport left by check_pages) the links are folded away until the
    # menu is opened from the keyboard; then Tab reaches them.
    cases = page.get_by_role("link", name="Cases", exact=True)
    page.goto(live_server.url + reverse("home"))
    assert not cases.is_visible()
    open_menu_by_keyboard(page)
    assert cases.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "My work"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Cases"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + reverse("casework:case-list")


@pytest.mark.django_db(transaction=True)
def test_a_coordinators_menu_fits_one_line_and_its_groups_open_by_keyboard(
    page, live_server, team, sign_in, axe_check
):
    # A long name, as real services have; it may take two lines, the links one. A long first
    # name too: the account's menu beside the links gives way, not the links (a random
    # name of 11 letters once pushed the last link onto a second row).
    team.service.name = "Cambridgeshire and Peterborough SENDIASS"
    team.service.save()
    team.coordinator.first_name = "Christopher-Alexander"
    team.coordinator.save()
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    check_pages(page, live_server, axe_check, [reverse("home"), reverse("reports:dashboard")])

    page.set_viewport_size(DESK)
    page.goto(live_server.url + reverse("home"))
    header = page.get_by_role("navigation", name="Main")
    links = header.locator(_HEADER_LINKS).all()
    tops = {round(link.bounding_box()["y"]) for link in links}
    assert len(links) == 13
    assert len(tops) == 1, f"the header's links wrap: tops {sorted(tops)}"
    # The name is cut short on the screen, whole for a screen reader.
    account = header.locator(".site-account summary")
    name = account.locator(".site-account-name")
    assert name.evaluate("el => el.scrollWidth > el.clientWidth")
    assert account.text_content() == "Your account: Christopher-Alexander"

    # The focus ring on a header link: at least 2px, solid, in the header's contrasting yellow.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
          const el = document.activeElement, style = getComputedStyle(el);
          return [el.textContent, style.outlineStyle, parseFloat(style.outlineWidth),
                  style.outlineColor];
        }"""
    )
    assert focused == ["My work", "solid", 3.0, "rgb(255, 191, 71)"]

    # A group opens from the keyboard and its links follow it in the tab order.
    reports = header.locator("summary", has_text="Reports")
    reports.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Dashboard"
    axe_check(page)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("home"))
    open_menu_by_keyboard(page)
    data = header.locator("summary", has_text="Data")
    data.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Subject access"
    assert fits(page)
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_steering_and_volunteer_landing_pages_fit(browser, live_server, team, sign_in, axe_check):
    case = factories.open_case(team.service, team.officer)
    factories.log_contact(case, team.officer, note=UNBROKEN)
    actions.allocate_volunteer(
        case=case, volunteer=team.volunteer_record, by=team.officer, started_on=timezone.localdate()
    )
    for user, paths in (
        (team.steering, [reverse("home")]),
        (team.volunteer, [reverse("home"), case.get_absolute_url()]),
    ):
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
        page = context.new_page()
        sign_in(page, live_server, user.username, factories.PASSWORD)
        check_pages(page, live_server, axe_check, paths)
        context.close()
