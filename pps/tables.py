"""django-tables2 tables drawn cheaply (issue 11: a 25-row list cost 30-40 ms of Python).

django-tables2 keeps what it is chosen for: the columns, sorting, pagination and the CSV
export (`as_values`). Drawing a page's rows is done here instead, because tables2 draws every
cell through generic machinery: it inspects the render method's signature for each cell,
looks up the model field again to decide on choices, and renders each date column through a
template compiled afresh for every cell. `LeanTable` decides all of that once per column and
then builds each row in plain Python, with the same cells as tables2 would draw them: the
same values, render_FOO methods, links, defaults, escaping and localisation
(tests/pps/test_tables.py compares the two on every list table).

Dates render in Python too (`DayColumn`, `MomentColumn`), in the formats the `date`
template filter uses; they are registered with django-tables2's column library, so model
date fields in `Meta.fields` get them without saying so.
"""

import copy
import datetime as dt
import inspect
from collections import OrderedDict
from functools import partial

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_tables2.columns import ManyToManyColumn, library
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.templatetags.django_tables2 import table_page_range
from django_tables2.utils import A

from pps.choices import choice_label
from pps.days import day_shown
from pps.escaping import html_format, html_join, shown
from pps.links import record_urls


@library.register
class DayColumn(tables.DateColumn):
    """A date in the site's format ("24 November 2026"), formatted in Python rather than
    through a template compiled for each cell; exported as an ISO date, as DateColumn is."""

    def __init__(self, format=None, short=True, **kwargs):
        self.format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
        super().__init__(format=format, short=short, **kwargs)

    @classmethod
    def from_field(cls, field, **kwargs):
        # DateTimeField is a DateField too: MomentColumn takes those.
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return cls(**kwargs)

    def render(self, value, bound_column):
        return _date_filter(value, self.format) or bound_column.default


@library.register
class MomentColumn(tables.DateTimeColumn):
    """A time in the site's format, in local time, formatted in Python (see DayColumn)."""

    def __init__(self, format=None, short=True, **kwargs):
        self.format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")
        super().__init__(format=format, short=short, **kwargs)

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, models.DateTimeField):
            return cls(**kwargs)

    def render(self, value, bound_column):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            # As the template engine does before the `date` filter (expects_localtime).
            value = timezone.localtime(value)
        return _date_filter(value, self.format) or bound_column.default


def _date_filter(value, format_name) -> str:
    """What `{{ value|date:format_name }}` prints (tables2's date columns then print the
    column's default for an empty result, as their `|default:default` does)."""
    if value in (None, ""):
        return ""
    if type(value) is dt.date:
        return day_shown(value, format_name)
    try:
        return formats.date_format(value, format_name)
    except AttributeError:
        return ""


_CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")

# What each render method takes, by its function: inspecting a signature cost a tenth of
# a millisecond, for each column of each page drawn. The product's tables have a few dozen;
# the bound keeps a render function made afresh for each table from piling up.
_ARGUMENTS: dict = {}
_ARGUMENTS_KEPT = 512


def _arguments_of(render) -> tuple[bool, tuple[str, ...]]:
    """Whether `render` takes any keyword argument (**kwargs), and the names of the ones it
    names."""
    key = (getattr(render, "__func__", render), inspect.ismethod(render))
    found = _ARGUMENTS.get(key)
    if found is None:
        if len(_ARGUMENTS) >= _ARGUMENTS_KEPT:
            _ARGUMENTS.clear()
        parameters = inspect.signature(render).parameters.values()
        found = _ARGUMENTS[key] = (
            any(p.kind == p.VAR_KEYWORD for p in parameters),
            tuple(p.name for p in parameters if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)),
        )
    return found


class _Path:
    """What an Accessor's resolve(record) gives, quicker for a record that is a model: the
    accessor tries each step of its path as a dictionary key first, which a model answers
    with an exception (TypeError), and only then as an attribute; on a page of 25 rows that
    was most of the time spent finding cell values. Here a model's step is read as an
    attribute at once. Anything else, a dictionary, a method to call, a step that fails,
    goes through the accessor itself, from the record again (reading attributes changes
    nothing), so its answers and errors are the accessor's own."""

    def __init__(self, accessor):
        self.accessor = accessor
        self.bits = tuple(accessor.bits)

    def resolve(self, record, quiet=False):
        if not isinstance(record, models.Model):
            return self.accessor.resolve(record, quiet=quiet)
        current = record
        for bit in self.bits:
            if not isinstance(current, models.Model) or hasattr(type(current), "__getitem__"):
                return self.accessor.resolve(record, quiet=quiet)
            try:
                current = getattr(current, bit)
            except (TypeError, AttributeError):
                return self.accessor.resolve(record, quiet=quiet)
            if callable(current):
                return self.accessor.resolve(record, quiet=quiet)
            if current is None:
                break
        return current


class _Cell:
    """How one column draws its cell for a record: everything tables2 works out per cell
    (BoundRow._get_and_render_with) that depends only on the column, worked out once."""

    def __init__(self, table, bound_column):
        column = bound_column.column
        self.bound_column = bound_column
        self.column = column
        self.table = table
        self.accessor = A(bound_column.accessor)
        self.path = _Path(self.accessor)
        self.default = bound_column.default
        self.empty_values = column.empty_values
        self.many_to_many = isinstance(column, ManyToManyColumn)
        self.link_with_text = isinstance(column, BaseLinkColumn) and column.text is not None
        self.link = bound_column.link
        self.record_link = _RecordLink.of(self.link)
        self.localize = column.localize
        # Decided on the first record: whether the value is a choice shown by its label.
        self.display = None
        self.render = bound_column.render
        self.takes_all, self.arguments = _arguments_of(self.render)
        if any(name not in _CELL_ARGUMENTS for name in self.arguments):
            # tables2 would draw nothing but the default for such a render method.
            self.render = None
        # A plain column without a link prints its value as it is (Column.render): no
        # arguments to gather for each of its cells.
        self.as_is = (
            getattr(self.render, "__func__", None) is tables.Column.render and not self.link
        )
        # A date column's cell depends on the date alone: each date is formatted once a
        # page (date_format is most of a date cell's cost, and a page's rows share days).
        self.by_date = (
            {}
            if getattr(self.render, "__func__", None) in (DayColumn.render, MomentColumn.render)
            and not self.link
            else None
        )
        td = column.attrs.get("td", column.attrs.get("cell", {}))
        if any(callable(value) for value in td.values()):
            raise ImproperlyConfigured(
                f"{type(table).__name__}.{bound_column.name}: LeanTable draws cell attributes "
                "once per column; attributes computed from the record are not supported."
            )
        self.td_attrs = bound_column.attrs["td"].as_html()

    def _choice_display(self, record):
        if self.display is None:
            self.display = ""
            path, _, remainder = self.accessor.rpartition(A.SEPARATOR)
            path = _Path(A(path))
            owner = path.resolve(record, quiet=True)
            if isinstance(owner, models.Model):
                try:
                    field = self.accessor.get_field(record)
                except FieldDoesNotExist:
                    field = None
                if getattr(field, "choices", ()) and hasattr(owner, f"get_{remainder}_display"):
                    self.display = (path, remainder)
        return self.display

    def value(self, record):
        display = self._choice_display(record)
        if display:
            path, name = display
            owner = path.resolve(record, quiet=True)
            if isinstance(owner, models.Model):
                # What owner.get_<name>_display() gives (pps/choices.py).
                return choice_label(owner, name), True
        try:
            return self.path.resolve(record), True
        except Exception:
            return None, not self.link_with_text

    def draw(self, record, row):
        value, found = self.value(record)
        if not found:
            content = self._render(record, row, None)
        elif value in self.empty_values or (self.many_to_many and not value.exists()):
            content = self.default
        else:
            content = self._render(record, row, value)
        if self.localize is not None:
            content = formats.localize(content, use_l10n=self.localize)
        return content

    def _render(self, record, row, value):
        if self.as_is:
            return value
        if self.by_date is not None:
            if value not in self.by_date:
                self.by_date[value] = self.render(value=value, bound_column=self.bound_column)
            return self.by_date[value]
        kwargs = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": self.table,
        }
        if self.render is None:
            content = None
        elif self.takes_all:
            content = self.render(**kwargs)
        else:
            content = self.render(**{name: kwargs[name] for name in self.arguments})
        if self.record_link is not None:
            content = self.record_link.wrap(content, record)
        elif self.link:
            content = self.link(content, **kwargs)
        return content


class _RecordLink:
    """A cell's link to a record's page (a route of one key: LinkColumn(viewname,
    args=[A("pk")]), without attributes of its own), drawn as tables2's LinkTransform draws
    it, with the address from the route reversed once per process (pps/links.py) instead
    of reverse() for every cell."""

    def __init__(self, viewname, accessor):
        self.url = record_urls(viewname)
        self.accessor = _Path(accessor)

    @classmethod
    def of(cls, link):
        if type(link) is not LinkTransform or link.url or link.attrs:
            return None
        arguments = dict(link.reverse_args)
        viewname, args = arguments.pop("viewname", None), arguments.pop("args", None) or ()
        # LinkColumn passes urlconf, kwargs and current_app too, None unless given.
        if (
            any(value for value in arguments.values())
            or not isinstance(viewname, str)
            or len(args) != 1
            or not isinstance(args[0], A)
        ):
            return None
        return cls(viewname, args[0])

    def wrap(self, content, record):
        return html_format('<a href="{}">{}</a>', self.url(self.accessor.resolve(record)), content)


def _row_attributes(attrs, drawn: dict) -> str:
    """A row's attributes as HTML, kept in `drawn` by their values: a page's rows share a
    handful (odd and even), and drawing them for each row took a twentieth of the case
    list's time. A value that cannot be a key, or that as_html would call, is drawn afresh."""
    key = tuple(attrs.items())
    try:
        found = drawn.get(key)
    except TypeError:
        return attrs.as_html()
    if found is None:
        found = attrs.as_html()
        if not any(callable(value) for _, value in key):
            drawn[key] = found
    return found


class _CountedPaginator(Paginator):
    """Django's paginator, told how to count the whole list (`count`, a function) instead
    of asking the rows for their length."""

    def __init__(self, object_list, per_page, *args, count, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self._counted = count

    @cached_property
    def count(self) -> int:
        return self._counted()


class _Columns(OrderedDict):
    """A table class's columns, which django-tables2 deep-copies for every table made, so
    that what one table changes in its columns (`columns.hide`, an accessor filled in)
    stays its own: 3-4% of the case list's instructions went on copying attributes, links
    and formats that nothing changes. Each column is copied instead (copy.copy): a table's
    changes, which set a column's attributes, stay on its own copies, and what the copies
    share (attributes, links, templates) is only read (tests/pps/test_tables.py)."""

    def __deepcopy__(self, memo):
        return OrderedDict((name, copy.copy(column)) for name, column in self.items())


class LeanTable(tables.Table):
    """A django-tables2 table whose rows are drawn in Python (module docstring).

    Its template (pps/table.html) is tables2's Bootstrap 5 table with the header, body and
    pagination drawn by `lean_head`, `lean_body` and `lean_pagination`: the markup of
    tables2's template, from tables2's own columns, sorting and paginator.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.base_columns = _Columns(cls.base_columns)

    def __init__(self, *args, template_name=None, page_rows=None, row_count=None, **kwargs):
        # A function giving the records of the page's queryset (ordered and sliced by
        # tables2), or None to read them through the ORM (pps.prepared.PreparedPages);
        # and one giving how many records the whole list holds, or None to count them
        # through the ORM. Set first: given a request, tables2 paginates in __init__.
        self.page_rows = page_rows
        self.row_count = row_count
        # A class attribute would be lost: tables2 reads Meta, and a subclass's own Meta
        # does not inherit ours.
        super().__init__(*args, template_name=template_name or "pps/table.html", **kwargs)

    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        # tables2 keeps only the names of its sortable columns, each with "-" before it
        # for descending, but reads every name given as an accessor first, and warns of
        # one with a dot in it (a separator tables2 3 will no longer read): anything can
        # come in the address's ?sort=. Names of no column are dropped here, before that.
        if isinstance(value, str):
            value = value.split(",")
        kept = [
            alias
            for alias in value or ()
            if isinstance(alias, str) and alias.removeprefix("-") in self.columns
        ]
        tables.Table.order_by.fset(self, kept)

    def paginate(self, paginator_class=Paginator, *args, **kwargs):
        if self.row_count is not None and paginator_class is Paginator:
            paginator_class = partial(_CountedPaginator, count=self.row_count)
        return super().paginate(paginator_class, *args, **kwargs)

    def before_drawing(self, records) -> None:
        """A hook for what the page's records need before their cells are drawn (names
        looked up for the whole page at once, say)."""

    def lean_body(self):
        """The rows of the current page as HTML, or the empty text's row."""
        # Cell values are printed as {{ value }} would print them in the page's template.
        context = Context(autoescape=True)
        cells = [_Cell(self, column) for column in self.columns]
        # One format a row, not one a cell: each call costs more than a plain cell.
        row_format = "<tr {}>" + "<td {}>{}</td>" * len(cells) + "</tr>"
        page = self._page()
        self.before_drawing([row.record for row in page])
        rows = []
        attributes = {}
        for row in page:
            record = row.record
            values = [_row_attributes(row.attrs, attributes)]
            for cell in cells:
                values.append(cell.td_attrs)
                values.append(shown(cell.draw(record, row), context))
            rows.append(html_format(row_format, *values))
        if not rows:
            if not self.empty_text:
                return ""
            return format_html('<tr><td colspan="{}">{}</td></tr>', len(cells), self.empty_text)
        return html_join("\n", "{}", ((row,) for row in rows))

    def _page(self) -> list:
        rows = self.paginated_rows
        sliced = getattr(rows, "data", None)
        pinned = any(rows.pinned_data.values())
        if self.page_rows is not None and isinstance(sliced, QuerySet) and not pinned:
            records = self.page_rows(sliced)
            if records is not None:
                return [BoundRow(record, table=self) for record in records]
        return list(rows)

    def _address(self, key, value) -> str:
        """The page's address with one parameter set, as tables2's querystring_replace tag
        writes it (the request's other parameters kept, in their order)."""
        parameters = dict(self.request.GET) if self.request is not None else {}
        parameters[key] = value
        return escape("?" + urlencode(parameters, doseq=True))

    def lean_head(self):
        """The header row: each column's name, a link that sorts by it where it sorts."""
        if not self.show_header:
            return ""
        cells = []
        for column in self.columns:
            header = column.header
            if column.orderable:
                address = self._address(self.prefixed_order_by_field, column.order_by_alias.next)
                header = format_html('<a href="{}">{}</a>', address, header)
            cells.append((column.attrs["th"].as_html(), header))
        return format_html(
            "<thead {}><tr>{}</tr></thead>",
            _nested_attributes(self.attrs, "thead"),
            format_html_join("", '<th {} scope="col">{}</th>', cells),
        )

    def lean_pagination(self):
        """The links to the previous, numbered and next pages, when there is more than one."""
        page = getattr(self, "page", None)
        if page is None or self.paginator.num_pages < 2:
            return ""
        context = Context(autoescape=True)
        field = self.prefixed_page_field
        items = []
        if page.has_previous():
            items.append(
                format_html(
                    '<li class="previous page-item"><a href="{}" class="page-link">'
                    '<span aria-hidden="true">&laquo;</span> {}</a></li>',
                    self._address(field, page.previous_page_number()),
                    gettext("previous"),
                )
            )
        if page.has_previous() or page.has_next():
            for number in table_page_range(page, self.paginator):
                label = render_value_in_context(number, context)
                active = " active" if page.number == number else ""
                href = (
                    format_html(' href="{}"', self._address(field, number))
                    if number != "..."
                    else ""
                )
                items.append(
                    format_html(
                        '<li class="page-item{}"><a class="page-link"{}>{}</a></li>',
                        active,
                        href,
                        label,
                    )
                )
        if page.has_next():
            items.append(
                format_html(
                    '<li class="next page-item"><a href="{}" class="page-link">'
                    '{} <span aria-hidden="true">&raquo;</span></a></li>',
                    self._address(field, page.next_page_number()),
                    gettext("next"),
                )
            )
        return format_html(
            '<nav aria-label="Table navigation"><ul class="pagination justify-content-center">'
            "{}</ul></nav>",
            format_html_join("", "{}", ((item,) for item in items)),
        )


def _nested_attributes(attrs, name) -> str:
    # As the template's {{ table.attrs.thead.as_html }}: tables2 keeps nested attributes as
    # an AttributeDict; anything else prints nothing.
    nested = attrs.get(name) if attrs else None
    return nested.as_html() if hasattr(nested, "as_html") else ""
