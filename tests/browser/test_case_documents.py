"""An officer adds a document to a case and downloads it, on a desk and on a phone, in
Debian's Chromium with axe on every page (docs/domain.md, "Documents on cases and parents")."""

import pytest
from django.urls import reverse

from tests import factories

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_an_officer_adds_a_document_and_downloads_it(
    page, live_server, team, sign_in, axe_check, settings, tmp_path, viewport
):
    settings.MEDIA_ROOT = tmp_path
    case = factories.open_case(team.service, team.officer)
    page.set_viewport_size(viewport)
    sign_in(page, live_server, team.officer.username, factories.PASSWORD)
    page.goto(live_server.url + reverse("casework:case-detail", args=[case.pk]))
    page.get_by_role("heading", name="Documents", level=2).wait_for()
    axe_check(page)
    no_sideways_scroll(page)

    documents = page.get_by_role("region", name="Documents")
    # A page, not a document: refused beside the field, with the title kept.
    documents.get_by_label("Title").fill("Letter from the school")
    documents.get_by_label("Document").set_input_files(
        files=[{"name": "letter.html", "mimeType": "text/html", "buffer": b"<p>Hi</p>"}]
    )
    documents.get_by_role("button", name="Add the document").click()
    page.get_by_text("rename it to end .txt or .csv").wait_for()
    axe_check(page)
    no_sideways_scroll(page)

    documents = page.get_by_role("region", name="Documents")
    assert documents.get_by_label("Title").input_value() == "Letter from the school"
    documents.get_by_label("Document").set_input_files(
        files=[{"name": "letter.txt", "mimeType": "text/plain", "buffer": b"Dear parent"}]
    )
    documents.get_by_role("button", name="Add the document").click()
    page.get_by_text("Document added.").wait_for()
    axe_check(page)
    no_sideways_scroll(page)
    assert "Document added: Letter from the school" in page.locator("ol.timeline").inner_text()

    with page.expect_download() as download:
        page.get_by_role("region", name="Documents").get_by_role(
            "link", name="Letter from the school"
        ).click()
    assert download.value.suggested_filename == "letter.txt"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == b"Dear parent"
