"""The evaluation results' academic-year links keep the chosen form, and the form list
always names the form whose results are shown (issue 15), through real requests."""

import re
from datetime import date

import pytest
from django.urls import reverse

from evaluations.enums import FormKind
from tests.evaluations.records import form_of, send

pytestmark = pytest.mark.django_db

URL = reverse("reports:evaluation-results")


@pytest.fixture
def forms(team):
    """2024/25: three parent forms sent and two professional ones."""
    parent = form_of(team.service, FormKind.PARENT)
    professional = form_of(team.service, FormKind.PROFESSIONAL)
    for day in (date(2024, 9, 9), date(2024, 11, 4), date(2025, 2, 3)):
        send(parent, team.coordinator, day)
    for day in (date(2024, 10, 7), date(2025, 3, 3)):
        send(professional, team.coordinator, day)
    return parent, professional


def _selected(html):
    return re.findall(r'<option value="(\d+)" selected>', html)


def _year_link(html, label):
    found = re.search(rf'<a href="(\?[^"]*)">{re.escape(label)}</a>', html)
    return found.group(1).replace("&amp;", "&")


def test_a_year_link_shows_the_chosen_forms_results_and_names_it(client, team, forms):
    _parent, professional = forms
    client.force_login(team.coordinator)
    chosen = client.get(URL, {"form": professional.pk})
    html = chosen.content.decode()
    link = _year_link(html, "2024/25")
    assert link == f"?start=2024-09-01&end=2025-08-31&form={professional.pk}"

    opened = client.get(URL + link)
    assert opened.context["form"] == professional
    assert opened.context["results"].sent == 2
    assert _selected(opened.content.decode()) == [str(professional.pk)]
    # The page's own year links carry the form on.
    assert _year_link(opened.content.decode(), "2024/25") == link


def test_a_year_without_a_form_shows_the_parent_form_and_the_list_names_it(client, team, forms):
    parent, _professional = forms
    client.force_login(team.coordinator)
    opened = client.get(URL, {"start": "2024-09-01", "end": "2025-08-31"})
    assert opened.context["form"] == parent
    assert opened.context["results"].sent == 3
    html = opened.content.decode()
    assert _selected(html) == [str(parent.pk)]
    assert _year_link(html, "2024/25") == f"?start=2024-09-01&end=2025-08-31&form={parent.pk}"
