"""The annual report's pages: the report, its narrative, the month's calls and visits, the
PDF built by the worker (publications/, docs/reporting.md "The annual report")."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from pps.documents import build_document
from pps.models import GeneratedDocument
from reports.models import MonthlyActivity, NarrativeSection
from tests import clock, factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


def report_url(year=2025):
    return reverse("publications:annual-report", args=[year])


@clock.on(TODAY)
def test_the_index_opens_the_last_academic_year_that_has_ended(client, team):
    client.force_login(team.coordinator)
    assert client.get(reverse("publications:annual-index")).url == report_url(2025)
    assert client.get(reverse("publications:annual-index"), {"year": "2024"}).url == report_url(
        2024
    )
    # A year not offered falls back to the default rather than failing.
    assert client.get(reverse("publications:annual-index"), {"year": "1990"}).url == report_url(
        2025
    )


@clock.on(TODAY)
def test_a_year_not_offered_is_not_found(client, team):
    client.force_login(team.coordinator)
    assert client.get(report_url(2027)).status_code == 404
    assert client.get(report_url(2010)).status_code == 404


@clock.on(TODAY)
def test_the_report_shows_the_years_movements_and_the_narrative(client, team):
    factories.open_case(team.service, team.officer, opened_on=date(2025, 10, 1))
    NarrativeSection.objects.create(
        service=team.service, year=2025, part="context", text="A <b>busy</b> year."
    )
    client.force_login(team.coordinator)
    response = client.get(report_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Annual report 2025/26" in html
    # What the coordinator typed is printed as text, never as markup.
    assert "A &lt;b&gt;busy&lt;/b&gt; year." in html
    movements = response.context["report"].table("case-movements-2025-26")
    assert dict(movements.rows)["New"] == 1


@clock.on(TODAY)
def test_the_steering_group_reads_no_names_and_no_small_numbers(client, team):
    case = factories.open_case(
        team.service,
        team.officer,
        opened_on=date(2025, 10, 1),
        parent=factories.ParentFactory(service=team.service, last_name="Quillfeather"),
    )
    client.force_login(team.steering)
    response = client.get(report_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quillfeather" not in html and case.reference not in html
    # The team appendix names staff: coordinators only.
    assert escape(team.officer.get_full_name()) not in html
    movements = response.context["report"].table("case-movements-2025-26")
    assert dict(movements.rows)["New"] == "fewer than 5"


@clock.on(TODAY)
def test_a_case_officer_cannot_open_the_report_but_enters_calls(client, team):
    client.force_login(team.officer)
    assert client.get(report_url()).status_code == 403
    url = reverse("publications:monthly-activity", args=[2025])
    assert client.get(url).status_code == 200


@clock.on(TODAY)
def test_the_narrative_is_written_and_edited_without_overwriting_anyone(client, team):
    url = reverse("publications:narrative-edit", args=[2025, "context"])
    client.force_login(team.coordinator)
    page = client.get(url)
    assert page.status_code == 200
    # The year's figures beside the editor, as the report shows them.
    html = page.content.decode()
    assert "The year at a glance, 2025/26" in html and "Case movements, 2025/26" in html
    assert client.post(url, {"text": "First words."}).status_code == 302
    section = NarrativeSection.objects.get(year=2025, part="context")
    assert section.text == "First words." and section.updated_by == team.coordinator
    # Two coordinators open it; the second save, made from the older version, is refused.
    version = section.version
    assert client.post(url, {"text": "Mine.", "version": version}).status_code == 302
    refused = client.post(url, {"text": "Theirs.", "version": version})
    assert refused.status_code == 200
    assert "Someone else saved this record" in refused.content.decode()
    section.refresh_from_db()
    assert section.text == "Mine."


@clock.on(TODAY)
def test_an_unknown_part_is_not_found(client, team):
    client.force_login(team.coordinator)
    url = reverse("publications:narrative-edit", args=[2025, "gossip"])
    assert client.get(url).status_code == 404


def activity_data(form_values: dict, versions: dict | None = None) -> dict:
    data = {}
    for month in range(12):
        first = date(2025 + (8 + month) // 12, (8 + month) % 12 + 1, 1)
        for name in ("calls_in", "calls_out", "website_visits"):
            data[f"{first:%Y-%m}-{name}"] = form_values.get((first, name), "")
        data[f"{first:%Y-%m}-version"] = (versions or {}).get(first, "")
    return data


@clock.on(TODAY)
def test_calls_and_visits_are_saved_per_month_and_blank_is_not_recorded(client, team):
    url = reverse("publications:monthly-activity", args=[2025])
    client.force_login(team.support)
    october = date(2025, 10, 1)
    response = client.post(url, activity_data({(october, "calls_in"): "95"}))
    assert response.status_code == 302
    row = MonthlyActivity.objects.get(month=october)
    assert (row.calls_in, row.calls_out, row.website_visits) == (95, None, None)
    # Only the month that changed has a row.
    assert MonthlyActivity.objects.count() == 1


@clock.on(TODAY)
def test_bad_calls_are_refused_beside_the_field_and_nothing_is_saved(client, team):
    url = reverse("publications:monthly-activity", args=[2025])
    client.force_login(team.support)
    october, november = date(2025, 10, 1), date(2025, 11, 1)
    response = client.post(
        url, activity_data({(october, "calls_in"): "95", (november, "calls_out"): "-3"})
    )
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    assert not MonthlyActivity.objects.exists()


@clock.on(TODAY)
def test_calls_saved_by_someone_else_meanwhile_are_not_overwritten(client, team):
    url = reverse("publications:monthly-activity", args=[2025])
    october = date(2025, 10, 1)
    # Both open the empty year; the coordinator saves first.
    client.force_login(team.coordinator)
    client.post(url, activity_data({(october, "calls_in"): "80"}))
    client.force_login(team.support)
    refused = client.post(url, activity_data({(october, "calls_in"): "95"}))
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone else saved figures" in html and "October 2025: calls in 80" in html
    assert MonthlyActivity.objects.get(month=october).calls_in == 80
    # The form kept the 95 typed and now carries the stored version: saving again wins.
    assert refused.context["form"].data[f"{october:%Y-%m}-calls_in"] == "95"
    again = client.post(url, refused.context["form"].data)
    assert again.status_code == 302
    assert MonthlyActivity.objects.get(month=october).calls_in == 95


@clock.on(TODAY)
def test_the_pdf_is_built_for_its_asker(client, team):
    client.force_login(team.coordinator)
    response = client.post(reverse("publications:annual-pdf", args=[2025]))
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("document-status", args=[document.pk])
    assert document.holds_personal_data
    build_document.call(team.service.pk, document.pk)
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.READY, document.failure_reason
    assert document.filename == "annual-report-2025-26.pdf"
