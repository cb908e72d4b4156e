"""Every list page, with odd text in every filter, the page number and the sort: never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pps.views import TableListView

pytestmark = pytest.mark.django_db

ODD = ["²", "٣", "99999999999999999999", "x" * 500, "\x00"]


def _list_views(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _list_views(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and not entry.pattern.converters:
            view = getattr(entry.callback, "view_class", None)
            if view and issubclass(view, TableListView) and entry.name:
                yield f"{namespace}{entry.name}", view


LIST_VIEWS = dict(_list_views())


def test_the_crawl_finds_the_lists():
    assert {"casework:case-list", "volunteers:register", "evaluations:sending-list"} <= set(
        LIST_VIEWS
    )


@pytest.mark.parametrize("name", sorted(LIST_VIEWS))
def test_odd_filter_values_never_give_a_server_error(client, team, name):
    view = LIST_VIEWS[name]
    fields = list(view.filterset_class.base_filters) if view.filterset_class else []
    client.force_login(team.coordinator)
    client.raise_request_exception = False
    for odd in ODD:
        params = {field: odd for field in fields}
        params.update(page=odd, sort=odd)
        response = client.get(reverse(name), params)
        assert response.status_code in (200, 404), (name, odd, response.status_code)
