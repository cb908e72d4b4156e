"""A coordinator imports past cases in Debian's Chromium, with axe on every page: the preview
lists the bad rows, the corrected file is previewed and imported (docs/data-lifecycle.md)."""

import csv
import io

import pytest

from casework.models import Case
from tests import factories
from transfers.layouts import LAYOUTS


def cases_file(*opened_on) -> dict:
    header = LAYOUTS["cases"].header
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number, day in enumerate(opened_on, start=1):
        row = {
            "reference": f"OLD-{number}",
            "parent_reference": f"P{number}",
            "parent_first_name": "Robin",
            "parent_last_name": f"Oldfile{number}",
            "child_reference": f"C{number}",
            "child_first_name": "Kit",
            "child_last_name": f"Oldfile{number}",
            "received_on": "2019-03-01",
            "opened_on": day,
            "parent_ethnicity": "not_stated",
        }
        writer.writerow([row.get(name, "") for name in header])
    return {"name": "cases.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode()}


def expect_heading(page, name):
    page.get_by_role("heading", name=name, level=1).wait_for()


@pytest.mark.django_db(transaction=True)
def test_coordinator_previews_an_import_with_errors_fixes_it_and_imports_it(
    page, live_server, team, sign_in, axe_check, settings, tmp_path, open_header_menu
):
    settings.MEDIA_ROOT = tmp_path
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    open_header_menu(page, "Data")
    page.get_by_role("link", name="Import and export").click()
    expect_heading(page, "Import and export")
    axe_check(page)

    page.get_by_label("What the file holds").select_option(
        label="Cases with their parent and child"
    )
    page.get_by_label("CSV or Excel file").set_input_files(cases_file("2019-03-04", "4 March 20x9"))
    page.get_by_role("button", name="Check the file").click()
    expect_heading(page, "Import of cases.csv")
    page.get_by_role("heading", name="Nothing can be imported yet").wait_for()
    row = page.get_by_role("row").filter(has_text="opened_on")
    assert row.get_by_role("cell").first.inner_text() == "3"
    assert page.get_by_role("button", name="Import these records").count() == 0
    axe_check(page)

    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("What the file holds").select_option(
        label="Cases with their parent and child"
    )
    page.get_by_label("CSV or Excel file").set_input_files(cases_file("2019-03-04", "2019-03-05"))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Preview: what the import would create").wait_for()
    assert page.get_by_role("listitem").filter(has_text="2 cases").count() == 1
    assert page.get_by_role("cell", name="Oldfile2").count() == 1
    assert not Case.objects.filter(service=team.service).exists()
    axe_check(page)

    page.get_by_role("button", name="Import these records").click()
    page.get_by_role("heading", name="Imported").wait_for()
    page.get_by_text("The file was imported.").wait_for()
    axe_check(page)
    assert sorted(
        Case.objects.filter(service=team.service).values_list("reference", flat=True)
    ) == ["OLD-1", "OLD-2"]
