"""The case list names each row's officer and locality from the staff and localities its
filter form reads anyway (casework.queries.case_list_page and name_cases, issue 11): the
rows' query joins neither table, every row still shows the right names, an officer the
filter does not offer costs one query for the page, and the CSV export names them too."""

import csv
import html as markup
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from casework.models import Case
from pps.models import Locality
from tests import factories

pytestmark = pytest.mark.django_db


def _cases(team):
    with scopes_disabled():
        fenland = Locality.objects.create(service=team.service, name="Fenside")
        marsh = Locality.objects.create(service=team.service, name="Marshend")
    first = factories.open_case(team.service, team.officer)
    second = factories.open_case(team.service, team.officer, officer=team.coordinator)
    # Admin support is no officer the filter offers (case officers and coordinators).
    third = factories.open_case(team.service, team.officer, officer=team.support)
    unplaced = factories.open_case(team.service, team.officer)
    with scopes_disabled():
        Case.objects.filter(pk__in=[first.pk, third.pk]).update(locality=fenland)
        Case.objects.filter(pk=second.pk).update(locality=marsh)
    return {
        first.reference: (str(team.officer), "Fenside"),
        second.reference: (str(team.coordinator), "Marshend"),
        third.reference: (str(team.support), "Fenside"),
        unplaced.reference: (str(team.officer), ""),
    }


def _rows(html: str) -> dict:
    """Reference -> (officer, locality) from the list's table body, as a reader sees them
    (O'Brien, not O&#x27;Brien)."""
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            markup.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if cells:
            found[cells[0]] = (cells[3], cells[4])
    return found


def test_each_row_names_its_officer_and_locality_without_joining_them(client, team):
    expected = _cases(team)
    client.force_login(team.coordinator)
    url = reverse("casework:case-list")
    client.get(url)
    with CaptureQueriesContext(connection) as read:
        page = client.get(url)
    shown = _rows(page.content.decode())
    assert {reference: shown[reference] for reference in expected} == {
        reference: (officer, locality or "—") for reference, (officer, locality) in expected.items()
    }
    # The page's rows (its four cases: the paginator asks for no more than there are).
    rows_query = next(q["sql"] for q in read if "LIMIT 4" in q["sql"])
    assert 'JOIN "casework_parent"' in rows_query
    assert '"pps_user"' not in rows_query and '"pps_locality"' not in rows_query
    # Admin support's name took one query of staff by key, for the page.
    by_key = [q["sql"] for q in read if 'FROM "pps_user"' in q["sql"] and '"id" IN' in q["sql"]]
    assert len(by_key) == 1

    # Without that officer, no query beyond the filter's own.
    with scopes_disabled():
        Case.objects.filter(officer=team.support).update(officer=team.officer)
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert len(again) == len(read) - 1


def test_the_export_names_them_as_the_page_does(client, team):
    expected = _cases(team)
    client.force_login(team.coordinator)
    response = client.get(reverse("casework:case-export"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header = rows[0]
    officer, locality = header.index("Officer"), header.index("Locality")
    assert {row[0]: (row[officer], row[locality]) for row in rows[1:]} == expected
