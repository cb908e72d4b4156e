"""pps.tables.LeanTable draws the same cells as django-tables2 itself: every list table of
the product, on the rows its page shows, drawn both ways and compared (text and markup)."""

import datetime as dt
import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from demo.generate import generate
from pps.models import User
from pps.tables import LeanTable

pytestmark = pytest.mark.django_db

_DRAW = engines["django"].from_string("{% load django_tables2 %}{% render_table table %}")

# Every list page with a table, and who reads it (the steering group's events are their
# own table); sorted on a second column too, so that each column's cells are seen with
# values and without.
PAGES = [
    ("coordinator", "casework:case-list", {}),
    ("coordinator", "casework:case-list", {"status": "closed", "sort": "-closed_on"}),
    ("coordinator", "casework:parent-list", {}),
    ("coordinator", "casework:enquiry-list", {}),
    ("coordinator", "casework:enquiry-list", {"sort": "first_response_on"}),
    ("coordinator", "casework:feedback-list", {}),
    ("coordinator", "volunteers:register", {}),
    ("coordinator", "volunteers:register", {"sort": "-last_supervision"}),
    ("coordinator", "volunteers:returns", {}),
    ("coordinator", "evaluations:sending-list", {}),
    ("coordinator", "evaluations:event-list", {}),
    ("steering", "evaluations:event-list", {}),
]


def _normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", html)


def _table(table_class, records, request):
    table = table_class(records, request=request, order_by=())
    table.paginate(per_page=len(records))
    return table


def _draw(table, template_name, request):
    table.template_name = template_name
    return _normalised(_DRAW.render({"table": table, "request": request}, request))


def test_every_list_table_draws_the_cells_tables2_draws(client):
    generate(today=dt.date(2026, 11, 24), years=1, cases_per_year=40)
    seen = 0
    for username, url_name, params in PAGES:
        user = User.objects.get(username=username)
        client.force_login(user)
        response = client.get(reverse(url_name), params)
        assert response.status_code == 200, url_name
        table = response.context["table"]
        assert isinstance(table, LeanTable), url_name
        records = [row.record for row in table.paginated_rows]
        assert records, f"{url_name} {params}: no rows to compare"
        request = RequestFactory().get(reverse(url_name), params)
        request.user = user
        # The same rows, read once, drawn both ways (by two tables: a table numbers its
        # rows odd and even as it draws them).
        lean, stock = (
            _draw(_table(type(table), records, request), name, request)
            for name in ("pps/table.html", "django_tables2/bootstrap5.html")
        )
        assert lean == stock, url_name
        assert lean.count("<tr") == len(records) + 1
        seen += len(records)
    assert seen > 200
