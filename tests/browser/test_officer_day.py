"""An officer's day on a desk (1366 px) and on a phone (390 px), in Debian's Chromium: an
enquiry becomes a case for a family the service already knows, a letter goes out from a
template, an appointment is booked and recorded as held, one call is logged on both
children's cases, and the case is closed with a summary. axe runs on every page, and no
page is wider than the window."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.enums import CaseStatus, LetterKind
from casework.models import Appointment, Case, Contact, Correspondence, LetterTemplate
from tests import factories

WIDTHS = (1366, 390)
# The contact's minutes (a number box), not the "Minutes on each case" choice beside it.
MINUTES = {"role": "spinbutton", "name": re.compile("^Minutes")}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS, ids=["desk", "phone"])
def test_an_officers_day(page, live_server, team, sign_in, axe_check, width):
    today = timezone.localdate()
    parent = factories.ParentFactory(
        service=team.service,
        first_name="Jo",
        last_name="Bloggs",
        address="2 Mill Lane, Ely",
        confidentiality_explained_on=today,
    )
    ruby = factories.open_case(
        team.service,
        team.officer,
        parent=parent,
        child=factories.ChildFactory(service=team.service, first_name="Ruby", last_name="Bloggs"),
    )
    LetterTemplate.objects.create(
        service=team.service,
        name="Appointment confirmation",
        kind=LetterKind.LETTER,
        subject="Your appointment",
        body="Dear [parent name],\n\nThis confirms our meeting about [child first name].",
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, team.officer.username, factories.PASSWORD)

    def seen(heading):
        """Wait for the page's heading, then check it with axe and for its width."""
        page.get_by_role("heading", level=1, name=heading).wait_for()
        axe_check(page)
        document = page.evaluate("document.documentElement.scrollWidth")
        assert document <= width, f"{page.url} is {document} px wide in a {width} px window"

    # An enquiry, converted: the search has already found the family.
    page.goto(live_server.url + reverse("casework:enquiry-create"))
    seen("Log an enquiry")
    page.get_by_label("Name").fill("Mrs Jo Bloggs")
    page.get_by_label("Phone or email").fill("01632 960123")
    page.get_by_label("Summary").fill("Sam's school is not meeting his needs.")
    page.get_by_role("button", name="Save and convert into a case").click()
    seen("Open a case")
    page.get_by_role("link", name="New case for Jo Bloggs about another child").click()
    seen("New case")
    child = page.get_by_role("group", name="Child")
    child.get_by_label("First name").fill("Sam")
    child.get_by_label("Last name").fill("Bloggs")
    page.get_by_role("button", name="Open the case").click()
    seen(re.compile(r"Case PPS-\d{4}-\d{4}: Jo Bloggs about Sam Bloggs"))
    sam = Case.objects.get(child__first_name="Sam")

    # A letter from the template, produced and kept.
    page.get_by_role("link", name="Write a letter or email").click()
    seen("Write a letter or email")
    page.get_by_role("link", name="Appointment confirmation").click()
    seen("Letter: Appointment confirmation")
    assert "meeting about Sam." in page.get_by_label("Text").input_value()
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview: exactly what will be printed").wait_for()
    page.get_by_role("button", name="Produce the letter").click()
    page.get_by_text("Letter produced and logged as a contact.").wait_for()
    seen(re.compile(f"Case {sam.reference}"))
    assert Correspondence.objects.get(case=sam).contact.case == sam

    # An appointment, booked early today so that it has happened, then recorded as held.
    page.get_by_role("link", name="Book an appointment").click()
    seen("Book an appointment")
    page.get_by_label("Starts").fill(f"{today:%Y-%m-%d}T00:01")
    page.get_by_label("Length in minutes").fill("40")
    page.get_by_label("Meeting or call").select_option(label="Meeting at school")
    page.get_by_label("Place").fill("Hilltop Primary, Room 3")
    page.get_by_role("button", name="Book the appointment").click()
    page.get_by_text("Appointment booked").wait_for()
    page.goto(live_server.url + reverse("casework:my-work"))
    seen("My work")
    page.get_by_text("Meeting at school at Hilltop Primary, Room 3").wait_for()
    page.get_by_role("link", name=re.compile("^Record as held")).click()
    seen("Record the appointment as held")
    page.get_by_label("Note").fill("Agreed a support plan with the SENCo")
    page.get_by_role("button", name="Record as held").click()
    page.get_by_text("Appointment recorded as held").wait_for()
    assert Appointment.objects.get().contact.case == sam

    # One call about both children: the minutes split between their cases.
    page.get_by_label("Method").select_option(label="Phone in")
    page.get_by_role(**MINUTES).fill("25")
    page.get_by_label("Note").fill("Mum rang about both children's transport")
    page.get_by_label(f"{ruby.reference} about Ruby").check()
    page.get_by_label("Split the minutes between the cases").check()
    page.get_by_role("button", name="Log the contact").click()
    page.get_by_text("Contact logged on 2 cases of this family.").wait_for()
    seen(re.compile(f"Case {sam.reference}"))
    shared = Contact.objects.filter(note="Mum rang about both children's transport")
    assert sorted(shared.values_list("case__child__first_name", "minutes")) == [
        ("Ruby", 12),
        ("Sam", 13),
    ]

    # Closed with a summary, which the case then shows.
    page.get_by_role("link", name="Close", exact=True).click()
    seen("Close the case")
    page.get_by_label("Closed on").fill(today.isoformat())
    page.get_by_label("Closure reason").select_option(index=1)
    page.get_by_label("Outcome at close").select_option(index=1)
    page.get_by_label("Closing summary").fill("Support plan agreed; transport arranged.")
    page.get_by_role("button", name="Close the case").click()
    seen(re.compile(f"Case {sam.reference}"))
    page.get_by_text("Support plan agreed; transport arranged.").first.wait_for()
    sam.refresh_from_db()
    assert sam.status == CaseStatus.CLOSED
