"""Odd characters in ids taken from the query string are a page not found, never a 500."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

# "²" is a digit to str.isdigit() but int() refuses it; "٣" (Arabic-Indic three) is a
# number to int() but no id anyone typed; the last is past every integer column.
ODD_IDS = ["²", "٣", "1²", "\uff11", "-1", " 1", "99999999999999999999"]


@pytest.mark.parametrize("odd", ODD_IDS)
@pytest.mark.parametrize("name", ["parent", "child", "enquiry"])
def test_odd_ids_on_the_new_case_page_are_not_found(client, team, name, odd):
    client.force_login(team.officer)
    page = client.get(reverse("casework:case-create"), {name: odd})
    assert page.status_code == 404


@pytest.mark.parametrize("odd", ODD_IDS)
def test_an_odd_enquiry_id_on_the_case_search_is_not_found(client, team, odd):
    client.force_login(team.officer)
    assert client.get(reverse("casework:case-start"), {"enquiry": odd}).status_code == 404


def test_a_plain_id_still_finds_its_record(client, team):
    parent = factories.ParentFactory(service=team.service)
    client.force_login(team.officer)
    page = client.get(reverse("casework:case-create"), {"parent": str(parent.pk)})
    assert page.status_code == 200
    assert page.context["parent"] == parent
