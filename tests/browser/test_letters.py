"""Letters and emails from a case in Debian's Chromium, on a desk and on a phone: a
coordinator adds a template, an officer writes from it, previews and sends; axe on every
page and no page wider than the window."""

import pytest
from django.core import mail
from django.urls import reverse

from casework.enums import LetterKind
from casework.models import Correspondence, LetterTemplate
from tests import factories

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def expect_heading(page, name):
    page.get_by_role("heading", name=name, level=1).wait_for()


def assert_no_sideways_scroll(page):
    width, viewport = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= viewport, (width, viewport)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_a_template_then_an_email_from_a_case(page, live_server, team, sign_in, axe_check, size):
    parent = factories.ParentFactory(
        service=team.service, first_name="Jo", last_name="Bloggs", email="jo@example.org"
    )
    case = factories.open_case(team.service, team.officer, parent=parent)
    page.set_viewport_size(size)

    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    page.goto(live_server.url + reverse("casework:codelist-index"))
    page.get_by_role("link", name="Letter and email templates").click()
    expect_heading(page, "Letter and email templates")
    axe_check(page)
    assert_no_sideways_scroll(page)
    page.get_by_label("Name").fill("Following our call")
    page.get_by_label("Kind").select_option(label="Email")
    page.get_by_label("Subject").fill("Following our call about [child first name]")
    page.get_by_label("Text").fill("Dear [parent first name],\n\nThank you. [officer nmae]")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("[officer nmae] is not a placeholder.").wait_for()
    axe_check(page)
    page.get_by_label("Text").fill("Dear [parent first name],\n\nThank you. [officer name]")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Added the template").wait_for()

    page.goto(live_server.url + reverse("casework:case-detail", args=[case.pk]))
    page.get_by_role("link", name="Write a letter or email").click()
    expect_heading(page, "Write a letter or email")
    axe_check(page)
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Following our call").click()
    expect_heading(page, "Email: Following our call")
    assert page.get_by_label("Text").input_value().startswith("Dear Jo,")
    axe_check(page)
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview: exactly what will be sent").wait_for()
    axe_check(page)
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Send the email").click()
    page.get_by_text("Email sent and logged as a contact.").wait_for()
    page.get_by_role("link", name="The email as sent").click()
    expect_heading(page, "Email to Jo Bloggs")
    axe_check(page)
    assert_no_sideways_scroll(page)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jo@example.org"]
    assert Correspondence.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_letter_previewed_as_a_pdf_then_produced(page, live_server, team, sign_in, axe_check):
    parent = factories.ParentFactory(
        service=team.service, first_name="Jo", last_name="Bloggs", address="2 Mill Lane"
    )
    case = factories.open_case(team.service, team.officer, parent=parent)
    LetterTemplate.objects.create(
        service=team.service,
        name="Appointment confirmation",
        kind=LetterKind.LETTER,
        subject="Your appointment",
        body="Dear [parent name],\n\nThis confirms our meeting.",
    )
    page.set_viewport_size(DESK)
    sign_in(page, live_server, team.officer.username, factories.PASSWORD)
    page.goto(live_server.url + reverse("casework:case-letter-start", args=[case.pk]))
    page.get_by_role("link", name="Appointment confirmation").click()
    expect_heading(page, "Letter: Appointment confirmation")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview: exactly what will be printed").wait_for()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Open the letter as a PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert not Correspondence.objects.exists()
    page.get_by_role("button", name="Produce the letter").click()
    page.get_by_text("Letter produced and logged as a contact.").wait_for()
    page.get_by_role("link", name="The letter as sent").click()
    expect_heading(page, "Letter to Jo Bloggs")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letter (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
