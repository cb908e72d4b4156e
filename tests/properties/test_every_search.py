"""Every search and filter form of the product (method GET), and every link that carries a
query (?parent=12, ?version=2), fed generated input: never a server error, on the page and
on the export that takes the same query.

Found by crawling every page of the URLconf that a role may open on real records
(tests/test_access_matrix.py), so a new filter is covered as soon as a page shows it.
Ids typed into a query ("²", "٣", "1e309") are the classic 500 here (issue 9).
"""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings

from tests.properties import inputs
from tests.properties.pageforms import Field, PageForm, page_forms
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
        for href in links.hrefs:
            link = urlsplit(href)
            params = parse_qs(link.query, keep_blank_values=True)
            path = link.path or page
            key = f"{view_name(path)}?{'&'.join(sorted(params))}"
            if params and view_name(path) and key not in found:
                fields = {
                    name: Field(name=name, kind="text", initial=values)
                    for name, values in params.items()
                }
                found[key] = (user, path, [], PageForm(action=path, fields=fields))
    return found


# Queries hypothesis found that broke a page, kept so that they stay tested: by form or link.
FOUND = {
    # "²" passed str.isdigit() and int() refused it: a 500 on the new-case page.
    "casework:case-create?parent": [{"parent": "²"}, {"parent": "9" * 30}],
}


def test_generated_search_input_never_breaks_a_list_or_its_export(client, team):
    world = build_world(team)
    forms = search_forms(client, team, world)
    assert "casework:case-list" in forms, "the crawl found no search form"
    assert "casework:case-create?parent" in forms, "the crawl found no link with a query"

    for name, (user, action, exports, form) in forms.items():
        client.force_login(user)
        search_with_generated_input(client, name, [action, *exports], form)


def get_all(client, name, urls, query):
    for url in urls:
        response = client.get(url, query)
        assert response.status_code < 500, f"{name}: {url}"


def search_with_generated_input(client, name, urls, form):
    for query in FOUND.get(name, []):
        get_all(client, name, urls, query)

    @settings(
        max_examples=inputs.HTTP_EXAMPLES,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(query=payload_for(form))
    def search(query):
        get_all(client, name, urls, query)

    search()
