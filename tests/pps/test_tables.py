"""pps.tables.LeanTable draws the same cells as django-tables2 itself: every list table of
the product, on the rows its page shows, drawn both ways and compared (text and markup)."""

import datetime as dt
import re

import django_tables2 as tables
import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from demo.generate import generate
from pps.models import Service, User
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


_SCROLL_BOX = '<div class="table-scroll" role="region" aria-label="Table of the list" tabindex="0">'


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
        # Ours scrolls inside its own box on a narrow screen (templates/pps/table.html).
        assert lean.count(_SCROLL_BOX) == 1, url_name
        lean = lean.replace(_SCROLL_BOX, "").replace("</table></div>", "</table>", 1)
        assert lean == stock, url_name
        assert lean.count("<tr") == len(records) + 1
        seen += len(records)
    assert seen > 200


def test_rows_keep_attributes_drawn_from_their_own_record():
    """LeanTable draws a row's attributes once for each set of values (pps/tables.py); rows
    whose attributes follow the record still get their own, as tables2 draws them."""

    class Numbered(LeanTable):
        name = tables.Column()

        class Meta:
            row_attrs = {"data-number": lambda record: record["number"], "data-kind": "plain"}

    records = [{"name": f"Row {n}", "number": n % 3} for n in range(6)]
    request = RequestFactory().get("/")
    lean, stock = (
        _draw(_table(Numbered, records, request), name, request)
        for name in ("pps/table.html", "django_tables2/bootstrap5.html")
    )
    lean = lean.replace(_SCROLL_BOX, "").replace("</table></div>", "</table>", 1)
    assert lean == stock
    assert re.findall(r'<tr data-number="(\d)" data-kind="plain" class="(\w+)">', lean) == [
        ("0", "even"),
        ("1", "odd"),
        ("2", "even"),
        ("0", "odd"),
        ("1", "even"),
        ("2", "odd"),
    ]


class _Sortable(LeanTable):
    name = tables.Column()
    number = tables.Column(verbose_name="No. & <kind>")
    note = tables.Column(orderable=False)


@pytest.mark.parametrize("pages", [1, 2, 3, 12, 40])
def test_header_and_pagination_draw_what_tables2s_template_draws(pages):
    """The header's sorting links and the pagination (pps/tables.py: lean_head,
    lean_pagination) against tables2's template, on every page of lists of 1 to 40 pages,
    with a query string of repeated, escaped and sorted parameters kept in each link."""
    records = [{"name": f"Row {n}", "number": n, "note": "x"} for n in range(pages * 3)]
    query = {"q": "O'Brien & <Sons>", "status": ["open", "closed"], "sort": "-number"}
    for number in range(1, pages + 1):
        request = RequestFactory().get("/cases/", {**query, "page": number})
        drawn = []
        for name in ("pps/table.html", "django_tables2/bootstrap5.html"):
            table = _Sortable(records, request=request, order_by="-number")
            table.paginate(page=number, per_page=3)
            drawn.append(_draw(table, name, request))
        lean, stock = drawn
        lean = lean.replace(_SCROLL_BOX, "").replace("</table></div>", "</table>", 1)
        assert lean == stock, number
        assert ("pagination" in lean) == (pages > 1)
        assert "&amp;lt;Sons&amp;gt;" not in lean and "%3CSons%3E" in lean


def test_the_filter_forms_selects_draw_what_djangos_select_draws(client):
    """pps.forms.Select (drawn in Python) against Django's template-drawn select, on every
    list page's filter form, with a value chosen in each select."""
    from django import forms

    generate(today=dt.date(2026, 11, 24), years=1, cases_per_year=8)
    compared = 0
    for username, url_name, _params in PAGES:
        client.force_login(User.objects.get(username=username))
        form = client.get(reverse(url_name)).context["filter"].form
        for name, field in form.fields.items():
            if not isinstance(field.widget, forms.Select):
                continue
            choices = [value for value, _label in field.widget.choices]
            chosen = choices[-1] if choices else ""
            stock = forms.Select(attrs={**field.widget.attrs, "class": "form-select"})
            stock.choices = field.widget.choices
            ours = type(field.widget)(attrs={**field.widget.attrs, "class": "form-select"})
            ours.choices = field.widget.choices
            assert type(field.widget) is not forms.Select, name
            assert _normalised(ours.render(name, chosen, {"id": f"id_{name}"})) == _normalised(
                stock.render(name, chosen, {"id": f"id_{name}"})
            ), (url_name, name)
            compared += 1
    assert compared >= 15


def test_the_filter_forms_options_are_djangos_read_in_one_plain_query(client):
    """A model select's options (pps.forms._OptionsReadOnce) are those Django's own
    iterator gives, in its order, and the page reads them without a server-side cursor
    (DECLARE, FETCH and CLOSE on PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_filters.fields import ModelChoiceField, ModelChoiceIterator

    generate(today=dt.date(2026, 11, 24), years=1, cases_per_year=8)
    compared = 0
    for username, url_name, _params in PAGES:
        client.force_login(User.objects.get(username=username))
        with CaptureQueriesContext(connection) as drawn:
            response = client.get(reverse(url_name))
        assert not [q for q in drawn.captured_queries if "DECLARE" in q["sql"]], url_name
        for name, field in response.context["filter"].form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            ours = [(str(value), label) for value, label in field.widget.choices]
            djangos = [(str(value), label) for value, label in ModelChoiceIterator(field)]
            assert ours == djangos, (url_name, name)
            assert len(ours) > 1, (url_name, name)
            compared += 1
    assert compared >= 5


def test_what_one_table_changes_in_its_columns_stays_its_own():
    """LeanTable copies each column for a table instead of deep-copying them all
    (pps/tables.py, _Columns): a table's changes still reach no other table nor the class,
    in a subclass too."""

    class Listed(_Sortable):
        extra = tables.Column(attrs={"td": {"class": "extra"}})

    records = [{"name": "Ann", "number": 1, "note": "x", "extra": "y"}]
    request = RequestFactory().get("/")
    for table_class in (_Sortable, Listed):
        first = _table(table_class, records, request)
        first.columns.hide("note")
        # tables2 gives a column without an accessor one named after it, in the table.
        assert first.columns["name"].column.accessor == "name"
        second = _table(table_class, records, request)
        assert first.columns["note"].column.visible is False
        assert second.columns["note"].column.visible is True
        assert "note" in [column.name for column in second.columns.itervisible()]
        assert all(
            column.column is not table_class.base_columns[column.name]
            and column.column is not first.columns[column.name].column
            for column in second.columns
        )
        assert table_class.base_columns["note"].visible is True
        assert table_class.base_columns["name"].accessor is None
    assert Listed(records).columns["extra"].attrs["td"]["class"] == "extra"
    assert [name for name in Listed.base_columns] == ["name", "number", "note", "extra"]


def test_a_cells_path_resolves_as_the_accessor_does():
    """pps.tables._Path reads a model's steps as attributes at once; every answer and
    every error is the accessor's own, whatever the record."""
    from django_tables2.utils import A

    from pps.tables import _Path

    service = Service(name="North")
    user = User(username="officer", first_name="Ann", service=service)
    records = [user, User(username="nobody"), {"service__name": "As a key"}, {"a": {"b": 1}}]
    paths = ["service__name", "username", "get_full_name", "service", "missing", "a__b", ""]
    for record in records:
        for path in paths:
            for quiet in (False, True):
                try:
                    theirs = A(path).resolve(record, quiet=quiet)
                except Exception as error:
                    theirs = (type(error), str(error))
                try:
                    ours = _Path(A(path)).resolve(record, quiet=quiet)
                except Exception as error:
                    ours = (type(error), str(error))
                assert ours == theirs, (record, path, quiet)
