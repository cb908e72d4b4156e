"""An officer books an appointment, finds it on My work, records it as held, and logs one
call on two children's cases, in Debian's Chromium with axe on every page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Appointment, Contact
from tests import factories

# The contact's minutes (a number box), not the "Minutes on each case" choice beside it.
MINUTES = {"role": "spinbutton", "name": re.compile("^Minutes")}


def expect_heading(page, name):
    page.get_by_role("heading", level=1, name=name).wait_for()


@pytest.mark.django_db(transaction=True)
def test_an_appointment_becomes_a_contact_and_one_call_covers_two_children(
    page, live_server, team, sign_in, axe_check
):
    first = factories.open_case(team.service, team.officer)
    second = factories.open_case(
        team.service,
        team.officer,
        parent=first.parent,
        child=factories.ChildFactory(service=team.service, first_name="Ruby"),
    )
    sign_in(page, live_server, team.officer.username, factories.PASSWORD)
    expect_heading(page, "My work")
    page.goto(live_server.url + reverse("casework:case-detail", args=[first.pk]))
    expect_heading(page, re.compile(f"Case {first.reference}"))
    axe_check(page)

    page.get_by_role("link", name="Book an appointment").click()
    expect_heading(page, "Book an appointment")
    axe_check(page)
    # Early today, so that it has happened whenever the test runs.
    page.get_by_label("Starts").fill(f"{timezone.localdate():%Y-%m-%d}T00:01")
    page.get_by_label("Length in minutes").fill("40")
    page.get_by_label("Meeting or call").select_option(label="Meeting at school")
    page.get_by_label("Place").fill("Hilltop Primary, Room 3")
    page.get_by_role("button", name="Book the appointment").click()
    page.get_by_text("Appointment booked").wait_for()
    axe_check(page)

    page.get_by_role("link", name="My work").first.click()
    expect_heading(page, "My work")
    page.get_by_text("Meeting at school at Hilltop Primary, Room 3").wait_for()
    assert "(not yet recorded)" in page.content()
    axe_check(page)
    page.get_by_role("link", name=re.compile("^Record as held")).click()
    expect_heading(page, "Record the appointment as held")
    axe_check(page)
    assert page.get_by_role(**MINUTES).input_value() == "40"
    page.get_by_label("Note").fill("Agreed a support plan with the SENCo")
    page.get_by_role("button", name="Record as held").click()
    page.get_by_text("Appointment recorded as held").wait_for()
    assert Appointment.objects.get().contact == Contact.objects.get(case=first)

    page.get_by_label("Method").select_option(label="Phone in")
    page.get_by_role(**MINUTES).fill("25")
    page.get_by_label("Note").fill("Mum rang about both children's transport")
    page.get_by_label(f"{second.reference} about Ruby").check()
    page.get_by_label("Split the minutes between the cases").check()
    axe_check(page)
    page.get_by_role("button", name="Log the contact").click()
    page.get_by_text("Contact logged on 2 cases of this family.").wait_for()
    assert sorted(Contact.objects.filter(minutes__lt=40).values_list("minutes", flat=True)) == [
        12,
        13,
    ]
