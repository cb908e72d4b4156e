"""A coordinator anonymises what is due, in Debian's Chromium with axe on every page: the
retention list, the family on legal hold, the confirmation, and the list afterwards."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Parent
from retention import actions
from tests import factories
from tests.retention.test_due import closed_case


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_anonymises_what_is_due(
    page, live_server, team, sign_in, axe_check, open_header_menu
):
    due = closed_case(team, closed_on=dt.date(2016, 4, 5))
    held = closed_case(team, closed_on=dt.date(2016, 4, 5))
    actions.place_legal_hold(parent=held.parent, by=team.coordinator, reason="A claim is pending")
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)

    page.goto(live_server.url + reverse("casework:my-work"))
    open_header_menu(page, "Data")
    page.get_by_role("link", name="Retention", exact=True).click()
    page.get_by_role("heading", name="Retention", level=1).wait_for()
    page.get_by_role("heading", name="Due for anonymisation today (1)").wait_for()
    assert page.get_by_role("link", name=str(due.parent)).count() == 1
    assert page.get_by_role("cell", name="A claim is pending").count() == 1
    axe_check(page)

    page.get_by_role("link", name=str(held.parent)).click()
    page.get_by_text("On legal hold since").wait_for()
    axe_check(page)
    page.go_back()

    page.get_by_role("link", name="Anonymise the families due").click()
    page.get_by_role("heading", name="Anonymise the families due", level=1).wait_for()
    page.get_by_role("button", name="Anonymise 1 family").click()
    # Without the confirmation box ticked nothing happens: the message is beside the box.
    page.locator(".invalid-feedback, .is-invalid").first.wait_for()
    axe_check(page)
    assert Parent.objects.get(pk=due.parent_id).last_name == due.parent.last_name
    page.get_by_label(
        "I understand that these families' personal data cannot be brought back."
    ).check()
    page.get_by_role("button", name="Anonymise 1 family").click()

    page.get_by_text("1 family anonymised.").wait_for()
    page.get_by_role("heading", name="Due for anonymisation today (0)").wait_for()
    assert page.get_by_role("cell", name="Retention period over").count() == 1
    axe_check(page)
    assert Parent.objects.get(pk=due.parent_id).last_name == "Anonymised"
    assert Parent.objects.get(pk=held.parent_id).last_name == held.parent.last_name
