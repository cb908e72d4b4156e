"""An enquiry becomes a case on a desk and on a phone: what carries over, nothing scrolls
sideways, and axe passes on every page."""

import re

import pytest
from django.utils import timezone

from casework.models import Parent
from tests import factories

WIDTHS = (1366, 390)


def fits(page, width):
    """The page is no wider than the window: nothing scrolls sideways."""
    document = page.evaluate("document.documentElement.scrollWidth")
    assert document <= width, f"{page.url} is {document} px wide in a {width} px window"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_an_enquiry_becomes_a_case_with_the_enquirers_details(
    page, live_server, team, sign_in, axe_check, width
):
    page.set_viewport_size({"width": width, "height": 900})
    known = factories.ParentFactory(service=team.service, first_name="Jo", last_name="Bloggs")
    sign_in(page, live_server, team.officer.username, factories.PASSWORD)

    page.goto(live_server.url + "/enquiries/new/")
    expect_heading(page, "Log an enquiry")
    fits(page, width)
    page.get_by_label("Name").fill("Mrs Jo Bloggs")
    page.get_by_label("Phone or email").fill("01632 960123 or jo.bloggs@example.org")
    page.get_by_label("Summary").fill("Wants to ask for an EHC needs assessment.")
    page.get_by_role("button", name="Save and convert into a case").click()

    # The search has run with the enquirer's name: the parent the service knows shows.
    expect_heading(page, "Open a case")
    page.get_by_role("heading", name="Parents found: 1", level=2).wait_for()
    search = page.get_by_label("Parent's or child's name, or postcode")
    assert search.input_value() == "Jo Bloggs"
    assert f"{known.first_name} {known.last_name}" in page.content()
    axe_check(page)
    fits(page, width)
    page.get_by_role("link", name="None of these: new parent and new child").click()

    expect_heading(page, "New case")
    parent = page.get_by_role("group", name="Parent or carer")
    assert parent.get_by_label("First name").input_value() == "Jo"
    assert parent.get_by_label("Last name").input_value() == "Bloggs"
    assert parent.get_by_label("Phone").input_value() == "01632 960123"
    assert parent.get_by_label("Email").input_value() == "jo.bloggs@example.org"
    axe_check(page)
    fits(page, width)
    child = page.get_by_role("group", name="Child")
    child.get_by_label("First name").fill("Sam")
    child.get_by_label("Last name").fill("Bloggs")
    # Sent without the confidentiality date: told beside the field, nothing opened.
    page.get_by_role("button", name="Open the case").click()
    expect_heading(page, "New case")
    consent = page.get_by_role("group", name="Consent and confidentiality")
    consent.get_by_text("Explain the confidentiality policy to the parent").wait_for()
    axe_check(page)
    fits(page, width)
    today = timezone.localdate().isoformat()
    consent.get_by_label("Confidentiality policy explained on").fill(today)
    consent.get_by_label("Consent recorded on").fill(today)
    consent.get_by_label("What may be shared, and with whom").fill("The school SENCo.")
    page.get_by_role("button", name="Open the case").click()

    expect_heading(page, re.compile(r"Case PPS-\d{4}-0001: Jo Bloggs about Sam Bloggs"))
    axe_check(page)
    fits(page, width)
    opened = Parent.objects.exclude(pk=known.pk).get()
    assert (opened.phone, opened.email) == ("01632 960123", "jo.bloggs@example.org")
    assert opened.consent_details == "The school SENCo."


def expect_heading(page, name):
    heading = page.get_by_role("heading", level=1, name=name)
    heading.wait_for()
    return heading
