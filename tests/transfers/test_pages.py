"""The import pages cost the same few queries whatever the number of imports, rows or
problems."""

import pytest
from django.urls import reverse

from tests.transfers.factories import make_import_run

pytestmark = pytest.mark.django_db


def test_the_index_costs_the_same_with_many_imports(client, team, django_assert_max_num_queries):
    for _ in range(30):
        make_import_run(team)
    client.force_login(team.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("transfers:index"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/imports/') >= 20


def test_an_upload_with_thousands_of_problems_shows_them_a_page_at_a_time(
    client, team, django_assert_max_num_queries
):
    problems = [[line, "at", f"Problem {line}"] for line in range(2, 5002)]
    run = make_import_run(team, problems=problems, counts={})
    client.force_login(team.coordinator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("transfers:run", args=[run.pk]) + "?page=3").content.decode()
    assert "5000 problems" in page
    assert "page 3 of 25" in page
    assert "Problem 402<" in page and "Problem 601<" in page and "Problem 602<" not in page


def test_a_layout_page_and_a_template_cost_a_few_queries(
    client, team, django_assert_max_num_queries
):
    client.force_login(team.coordinator)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("transfers:layout", args=["cases"])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("transfers:template", args=["cases", "csv"])).status_code == 200
