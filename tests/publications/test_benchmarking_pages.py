"""The benchmarking return's pages: the return, its CSVs, workbook, JSON document and PDF,
and the year's denominators form (publications/, docs/reporting.md "The benchmarking
return")."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from pps.access import service_scope
from pps.documents import build_document
from pps.models import GeneratedDocument
from pps.versioning import EditConflict
from publications.actions import save_first_denominators
from publications.forms import DenominatorsForm
from reports.models import YearlyDenominators
from tests import clock, factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # the last financial year ended is 2025-26


def return_url(year=2025, name="publications:benchmarking-return", **kwargs):
    return reverse(name, kwargs={"year": year, **kwargs})


@pytest.fixture
def served(team):
    """Seven cases, each with a contact in 2025-26 (7 service users); an eighth with a
    contact in 2024-25 only; a parent named with a distinctive word."""
    parent = factories.ParentFactory(service=team.service, last_name="Quillfeatherby")
    for n in range(7):
        case = factories.open_case(
            team.service,
            team.officer,
            opened_on=date(2025, 4, 1),
            parent=parent if n == 0 else None,
        )
        factories.log_contact(case, team.officer, on=date(2025, 5, 1 + n))
    old = factories.open_case(team.service, team.officer, opened_on=date(2024, 6, 1))
    factories.log_contact(old, team.officer, on=date(2024, 7, 1))
    return parent


def denominators(team, **fields):
    values = {
        "population_0_19": 70_000,
        "funding": Decimal("84000.00"),
        "paid_staff_fte": Decimal("3.50"),
    }
    return YearlyDenominators.objects.create(service=team.service, year=2025, **(values | fields))


@clock.on(TODAY)
def test_the_index_opens_the_last_financial_year_that_has_ended(client, team):
    client.force_login(team.coordinator)
    index = reverse("publications:benchmarking-index")
    assert client.get(index).url == return_url(2025)
    assert client.get(index, {"year": "2023"}).url == return_url(2023)
    assert client.get(index, {"year": "1990"}).url == return_url(2025)


@clock.on(TODAY)
def test_a_year_not_offered_is_not_found(client, team):
    client.force_login(team.coordinator)
    # Offered: the current year 2026-27 and the nine before it.
    assert client.get(return_url(2026)).status_code == 200
    assert client.get(return_url(2027)).status_code == 404
    assert client.get(return_url(2016)).status_code == 404


@clock.on(TODAY)
def test_the_coordinator_reads_every_figure_beside_its_rule_and_the_national_figures(
    client, team, served
):
    denominators(team)
    client.force_login(team.coordinator)
    response = client.get(return_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Benchmarking return 2025-26" in html
    assert "Quillfeatherby" not in html
    report = response.context["report"]
    users = report.table("service-users-2025-26").rows[0]
    # 7 cases with a contact in the year; table K's mean and median.
    assert users[:4] == ("Parent/carer service users", 7, "454", "294")
    funding = {row[0]: row[1] for row in report.table("funding-2025-26").rows}
    # 84,000 / 70,000 = 1.20 a head; / 7 service users = 12,000.
    assert funding["Funding per head of the population aged 0-19"] == "£1.20"
    assert funding["Funding per service user"] == "£12,000.00"
    assert "£12,000.00" in html and "£101,250" in html
    # What was not entered is said, not divided by.
    assert "Not recorded for this year: pupils with SEN, pupils on free school meals, budget" in (
        html
    )
    assert return_url(name="publications:benchmarking-denominators") in html


@clock.on(TODAY)
def test_the_steering_group_sees_the_return_suppressed_and_cannot_enter_figures(
    client, team, served
):
    factories.open_case(team.service, team.officer, opened_on=date(2025, 4, 1))
    client.force_login(team.steering)
    response = client.get(return_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quillfeatherby" not in html
    staffing = {row[0]: row[1] for row in response.context["report"].table("staffing-2025-26").rows}
    # The team's one IPS, active since 2020.
    assert staffing["Active IPS at 31 March 2026"] == "fewer than 5"
    assert return_url(name="publications:benchmarking-denominators") not in html
    assert client.get(return_url(name="publications:benchmarking-denominators")).status_code == 403


@clock.on(TODAY)
def test_a_case_officer_cannot_open_the_return(client, team):
    client.force_login(team.officer)
    assert client.get(return_url()).status_code == 403
    assert client.get(return_url(name="publications:benchmarking-json")).status_code == 403


@clock.on(TODAY)
def test_every_export_holds_the_figures_of_the_page(client, team, served):
    denominators(team)
    client.force_login(team.coordinator)
    page = client.get(return_url()).context["report"]
    slugs = [table.slug for table in page.tables]
    assert len(slugs) == 9

    response = client.get(
        return_url(name="publications:benchmarking-csv", table="service-users-2025-26")
    )
    assert response["Content-Disposition"] == 'attachment; filename="service-users-2025-26.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:4] == ["Parent/carer service users", "7", "454", "294"]
    missing = return_url(name="publications:benchmarking-csv", table="no-such-table")
    assert client.get(missing).status_code == 404

    workbook = load_workbook(
        io.BytesIO(client.get(return_url(name="publications:benchmarking-xlsx")).content)
    )
    assert len(workbook.sheetnames) == 9
    sheet = workbook[workbook.sheetnames[0]]
    assert sheet["A3"].value == "Parent/carer service users" and sheet["B3"].value == 7

    document = json.loads(client.get(return_url(name="publications:benchmarking-json")).content)
    assert document["period"] == {"label": "2025-26", "first": "2025-04-01", "last": "2026-03-31"}
    assert [t["slug"] for t in document["tables"]] == slugs
    assert document["tables"][0]["rows"][0][1] == 7
    assert document["not_recorded"] == [
        "pupils with SEN",
        "pupils on free school meals",
        "budget",
    ]


@clock.on(TODAY)
def test_the_pdf_is_built_for_its_asker_with_the_figures_of_the_page(
    client, team, served, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    denominators(team)
    client.force_login(team.coordinator)
    response = client.post(return_url(name="publications:benchmarking-pdf"))
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("document-status", args=[document.pk])
    assert document.holds_personal_data and document.kind == "benchmarking-return-pdf"
    build_document.call(team.service.pk, document.pk)
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.READY, document.failure_reason
    assert document.filename == "benchmarking-return-2025-26.pdf"
    with default_storage.open(document.file.name, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Northshire PPS" in text and "Benchmarking return 2025-26" in text
    # The service users, table K's mean and median, as on the page.
    assert "1. Service users" in text and "7 454 294" in text
    assert "£12,000.00" in text and "£1.20" in text


@clock.on(TODAY)
def test_a_steering_members_pdf_holds_no_personal_data(client, team):
    client.force_login(team.steering)
    client.post(return_url(name="publications:benchmarking-pdf"))
    assert not GeneratedDocument.objects.get().holds_personal_data


def form_data(**values):
    data = {
        "population_0_19": "",
        "pupils_with_sen": "",
        "pupils_on_fsm": "",
        "funding": "",
        "budget": "",
        "paid_staff_fte": "",
        "area_disagreement_referrals": "",
        "area_tribunal_appeals": "",
    }
    return data | values


@clock.on(TODAY)
def test_the_coordinator_enters_the_years_denominators(client, team):
    url = return_url(name="publications:benchmarking-denominators")
    client.force_login(team.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        form_data(
            population_0_19="70000",
            funding="84000",
            issues_monitored=["complaints", "response_time"],
            formats_offered=[],
        ),
    )
    assert response.url == return_url()
    row = YearlyDenominators.objects.get(year=2025)
    assert row.population_0_19 == 70_000 and row.funding == Decimal("84000")
    # A blank figure stays not recorded, never 0.
    assert row.pupils_with_sen is None and row.paid_staff_fte is None
    assert row.issues_monitored == ["complaints", "response_time"]
    assert row.formats_offered == [] and row.updated_by == team.coordinator
    assert client.post(url, form_data(funding="-5", version=row.version)).status_code == 200
    row.refresh_from_db()
    assert row.funding == Decimal("84000")


@clock.on(TODAY)
def test_a_stale_save_is_refused_with_both_values_shown(client, team):
    url = return_url(name="publications:benchmarking-denominators")
    row = denominators(team)
    version = row.version
    client.force_login(team.coordinator)
    assert client.post(url, form_data(funding="91000", version=version)).status_code == 302
    # A colleague who opened the form before that save sends theirs.
    refused = client.post(
        url, form_data(funding="99000", version=version, formats_offered=["audio"])
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone else saved this record" in html and "91000" in html
    # Their list of formats (saved with nothing ticked) in words, not as stored.
    conflict = dict(refused.context["conflict"])
    assert conflict["Formats information is published in, besides standard print"] == "none"
    assert refused.context["form"]["funding"].value() == "99000"
    assert YearlyDenominators.objects.get(year=2025).funding == Decimal("91000")
    # The form now carries the stored version: saving again is a choice, and wins.
    again = client.post(url, refused.context["form"].data)
    assert again.status_code == 302
    assert YearlyDenominators.objects.get(year=2025).funding == Decimal("99000")


@clock.on(TODAY)
def test_a_first_save_made_meanwhile_is_not_overwritten(client, team):
    url = return_url(name="publications:benchmarking-denominators")
    client.force_login(team.coordinator)
    # Both open the blank form; the colleague saves first.
    denominators(team, funding=Decimal("70000"))
    refused = client.post(url, form_data(funding="80000"))
    assert refused.status_code == 409
    assert "70000" in refused.content.decode()
    assert YearlyDenominators.objects.get(year=2025).funding == Decimal("70000")
    assert client.post(url, refused.context["form"].data).status_code == 302
    assert YearlyDenominators.objects.get(year=2025).funding == Decimal("80000")


def test_two_first_saves_at_once_meet_the_constraint(team):
    with service_scope(team.service.pk):
        form = DenominatorsForm(
            form_data(funding="1"), instance=YearlyDenominators(service=team.service, year=2025)
        )
        assert form.is_valid(), form.errors
        denominators(team)
        with pytest.raises(EditConflict):
            save_first_denominators(form)
    assert YearlyDenominators.objects.count() == 1


def test_the_form_refuses_a_negative_figure(team):
    with service_scope(team.service.pk):
        form = DenominatorsForm(
            form_data(paid_staff_fte="-1"),
            instance=YearlyDenominators(service=team.service, year=2025),
        )
        assert not form.is_valid() and "paid_staff_fte" in form.errors
    with pytest.raises(ValidationError):
        YearlyDenominators(service=team.service, year=2025, funding=Decimal("-1")).full_clean()


@clock.on(TODAY)
def test_the_page_costs_the_same_queries_however_many_records(client, team, served):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    denominators(team)
    client.force_login(team.coordinator)
    client.get(return_url())
    with CaptureQueriesContext(connection) as small:
        assert client.get(return_url()).status_code == 200
    for n in range(8):
        case = factories.open_case(team.service, team.officer, opened_on=date(2025, 6, 1 + n))
        factories.log_contact(case, team.officer, on=date(2025, 7, 1 + n))
        factories.record_enquiry(team.service, team.officer, on=date(2025, 7, 1 + n))
        factories.make_volunteer(team.service)
    with CaptureQueriesContext(connection) as large:
        response = client.get(return_url())
    assert response.context["report"].table("service-users-2025-26").rows[0][1] == 15
    assert len(large) == len(small)
    # The session, the user and their second factor, then the return's three: the figures
    # in one round trip, the year's entered record, the steering seats.
    assert len(small) == 6
