"""A case officer's day and a volunteer's limits, in Debian's Chromium, with axe on every page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import actions
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_officer_logs_an_enquiry_converts_it_and_logs_two_contacts(
    page, live_server, team, sign_in, axe_check
):
    sign_in(page, live_server, team.officer.username, factories.PASSWORD)
    expect_heading(page, "My work")
    axe_check(page)

    page.get_by_role("link", name="Log an enquiry").first.click()
    expect_heading(page, "Log an enquiry")
    axe_check(page)
    page.get_by_label("Name").fill("Jo Bloggs")
    page.get_by_label("Phone or email").fill("01632 960123")
    page.get_by_label("Summary").fill("Worried about the annual review of her son's plan.")
    page.get_by_label("Involved substantial time").check()
    page.get_by_role("button", name="Save and convert into a case").click()

    expect_heading(page, "Open a case")
    axe_check(page)
    page.get_by_label("Parent's or child's name, or postcode").fill("Bloggs")
    page.get_by_role("button", name="Search").click()
    # The results are a new page: axe must wait for it, not check the form it came from.
    page.get_by_role("heading", name="Parents found: 0", level=2).wait_for()
    axe_check(page)
    page.get_by_role("link", name="None of these: new parent and new child").click()

    expect_heading(page, "New case")
    axe_check(page)
    parent = page.get_by_role("group", name="Parent or carer")
    assert parent.get_by_label("Last name").input_value() == "Bloggs"
    parent.get_by_label("Phone").fill("01632 960123")
    child = page.get_by_role("group", name="Child")
    child.get_by_label("First name").fill("Sam")
    child.get_by_label("Last name").fill("Bloggs")
    page.get_by_label("Confidentiality policy explained on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Open the case").click()

    expect_heading(page, re.compile(r"Case PPS-\d{4}-0001: Jo Bloggs about Sam Bloggs"))
    axe_check(page)
    for note, minutes in (
        ("Explained the annual review process", "20"),
        ("Rang the school's SENCo", "35"),
    ):
        page.get_by_label("Method").select_option(label="Phone out")
        page.get_by_label("Minutes").fill(minutes)
        page.get_by_label("Note").fill(note)
        page.get_by_role("button", name="Log the contact").click()
        page.get_by_text("Contact logged.").wait_for()

    timeline = page.get_by_role("list").filter(has_text="Explained the annual review")
    assert "Explained the annual review process" in timeline.inner_text()
    assert "Rang the school's SENCo" in timeline.inner_text()
    assert "Phone out, 35 min" in timeline.inner_text()
    axe_check(page)

    page.get_by_role("link", name="Cases", exact=True).click()
    expect_heading(page, "Cases")
    axe_check(page)
    page.get_by_role("link", name="Enquiries", exact=True).click()
    expect_heading(page, "Enquiries")
    axe_check(page)
    page.get_by_role("link", name="Parents", exact=True).click()
    expect_heading(page, "Parents and carers")
    axe_check(page)
    page.get_by_role("link", name="Feedback", exact=True).click()
    expect_heading(page, "Complaints, compliments and suggestions")
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_a_volunteer_sees_only_the_case_allocated_to_them(
    page, live_server, team, sign_in, axe_check
):
    allocated = factories.open_case(team.service, team.officer)
    actions.allocate_volunteer(
        case=allocated,
        volunteer=team.volunteer_record,
        by=team.officer,
        started_on=timezone.localdate(),
    )
    # A surname no fake staff name can share.
    unseen = factories.ParentFactory(service=team.service, last_name="Quillfeather-Oyelaran")
    other = factories.open_case(team.service, team.officer, parent=unseen)

    sign_in(page, live_server, team.volunteer.username, factories.PASSWORD)
    expect_heading(page, "My allocated cases")
    axe_check(page)
    page.get_by_role("link", name=allocated.reference).click()
    expect_heading(page, re.compile(allocated.reference))
    axe_check(page)

    response = page.goto(live_server.url + reverse("casework:case-detail", args=[other.pk]))
    assert response.status == 404
    expect_heading(page, "Page not found")
    assert "Quillfeather-Oyelaran" not in page.content()
    assert other.reference not in page.content()
    axe_check(page)
    response = page.goto(live_server.url + reverse("casework:case-list"))
    assert response.status == 403
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_coordinator_pages_pass_axe(page, live_server, team, sign_in, axe_check):
    case = factories.open_case(team.service, team.officer)
    factories.log_contact(case, team.officer)
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    for name, args in (
        ("casework:case-edit", [case.pk]),
        ("casework:case-close", [case.pk]),
        ("casework:case-allocate", [case.pk]),
        ("casework:case-audit", [case.pk]),
        ("casework:parent-detail", [case.parent_id]),
        ("casework:parent-edit", [case.parent_id]),
        ("casework:child-edit", [case.child_id]),
        ("casework:feedback-create", []),
        ("casework:codelist-index", []),
        ("casework:codelist", ["need-areas"]),
        ("reports:overview", []),
        ("reports:dashboard", []),
        ("reports:targets", []),
    ):
        response = page.goto(live_server.url + reverse(name, args=args))
        assert response.status == 200, name
        axe_check(page)


def expect_heading(page, name):
    heading = page.get_by_role("heading", level=1, name=name)
    heading.wait_for()
    return heading
