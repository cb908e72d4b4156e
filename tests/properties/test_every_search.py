"""Every search and filter form of the product (method GET), fed generated input: never a
server error, on the list page and on the export that takes the same query.

Found by crawling every page of the URLconf that a role may open on real records
(tests/test_access_matrix.py), so a new filter is covered as soon as a page shows it.
Ids typed into a query ("²", "٣", "1e309") are the classic 500 here (issue 9).
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings

from tests.properties import inputs
from tests.properties.pageforms import page_forms
from tests.properties.test_every_form import ROLE_ORDER, payload_for
from tests.test_access_matrix import RULES, build_world

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for key, value in attrs if key == "href" and value)


def view_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def search_forms(client, team, world):
    """(role's user, form action, export paths beside it, form) for every GET form."""
    found = {}
    for name, rule in sorted(RULES.items()):
        role = next((role for role in ROLE_ORDER if role in rule.roles), None)
        if role is None or rule.on_get != 200:
            continue
        user = team.by_role(role)
        client.force_login(user)
        page = reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        links = _Links()
        links.feed(html)
        exports = {
            urlsplit(href).path
            for href in links.hrefs
            if (view_name(urlsplit(href).path) or "").endswith("-export")
        }
        for form in page_forms(html, "get"):
            action = urlsplit(form.action).path or page
            if form.fields and view_name(action) not in found:
                found[view_name(action)] = (user, action, sorted(exports), form)
    return found


def test_generated_search_input_never_breaks_a_list_or_its_export(client, team):
    world = build_world(team)
    forms = search_forms(client, team, world)
    assert "casework:case-list" in forms, "the crawl found no search form"

    for name, (user, action, exports, form) in forms.items():
        client.force_login(user)
        search_with_generated_input(client, name, [action, *exports], form)


def search_with_generated_input(client, name, urls, form):
    @settings(
        max_examples=inputs.HTTP_EXAMPLES,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(query=payload_for(form))
    def search(query):
        for url in urls:
            response = client.get(url, query)
            assert response.status_code < 500, f"{name}: {url}"

    search()
