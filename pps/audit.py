"""Reads of personal data are recorded here, once per page or export (docs/domain.md, "Audit").

Changes are recorded by django-simple-history on each audited model; this module covers
the other half: who looked at what, and when.
"""

import datetime as dt

from django.db import connections, router, transaction
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from django.template.response import TemplateResponse
from django.utils import timezone

from pps.models import AccessLog

# Statuses of a page that was drawn for the reader: a page, a form re-shown with its errors
# (400), or an edit conflict showing both people's values (409).
_DRAWN = frozenset({200, 400, 409})


def shows_personal_data(request, response) -> bool:
    """Whether this answer put the page's personal data in front of the reader.

    A GET that succeeds is a view (a page or an export). A POST is a view too when it
    draws the page again, as a form with errors does; a POST that redirects showed
    nothing, and one that answers with a file (a printed letter) records itself. An
    export long enough to be made by the background worker (pps.exports.export_response)
    is recorded when it is asked for, as a direct export is when it is sent.
    """
    if getattr(response, "queued_export", False):
        return True
    if request.method == "GET":
        return response.status_code == 200
    if request.method == "POST":
        return isinstance(response, TemplateResponse) and response.status_code in _DRAWN
    return False


class PersonalDataMixin:
    """Record one AccessLog row for every page of personal data drawn for a reader.

    A detail view records its object (`audit_object_type` and the object's pk); a list or
    export records the list's name with no object id. A view that shows different records
    from one URL overrides `audit_object`.
    """

    audit_object_type: str
    audit_action = AccessLog.Action.VIEW

    def audit_object_id(self) -> int | None:
        obj = getattr(self, "object", None)
        return getattr(obj, "pk", None)

    def audit_applies(self) -> bool:
        """Whether this answer holds personal data at all (a view that serves documents of
        both sorts says per document)."""
        return True

    def audit_object(self) -> tuple[str, int | None]:
        return self.audit_object_type, self.audit_object_id()

    def get_context_data(self, **kwargs):
        # The footer's reminder that the page holds personal data is shown on these pages
        # only (templates/base.html): on every page it would go unread.
        return super().get_context_data(**kwargs) | {"shows_personal_data": self.audit_applies()}

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if shows_personal_data(request, response) and self.audit_applies():
            object_type, object_id = self.audit_object()
            record_access(
                request, action=self.audit_action, object_type=object_type, object_id=object_id
            )
        return response


def logged_path(request) -> str:
    """The path as the log keeps it: without the query string.

    A query string holds what was searched for (a family's name or postcode in `?q=`)
    and filter values; the log records which page was read, never what was typed.
    """
    return request.path[:500]


def record_access(request, *, action, object_type: str, object_id: int | None) -> None:
    """The one writer of AccessLog rows: the mixin above for pages and exports, and views
    whose personal data goes out as the answer to a form (a printed letter)."""
    values = {
        "service_id": request.user.service_id,
        "user_id": request.user.pk,
        "at": timezone.now(),
        "action": action,
        "path": logged_path(request),
        "object_type": object_type,
        "object_id": object_id,
    }
    using = router.db_for_write(AccessLog)
    connection = connections[using]
    if pre_save.has_listeners(AccessLog) or post_save.has_listeners(AccessLog):
        # Something listens to the model's saves: the ORM's save, which tells it.
        AccessLog.objects.create(**values)
        return
    fields = [AccessLog._meta.get_field(name) for name in values]
    # As the ORM's save: an error marks the transaction around it for rollback.
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(connection, fields),
            [
                field.get_db_prep_save(value, connection)
                for field, value in zip(fields, values.values(), strict=True)
            ],
        )


_INSERTS: dict = {}


def _insert_sql(connection, fields) -> str:
    """The ORM's INSERT of one access-log row with these fields, compiled once per database
    vendor. Every page of personal data writes a row; the ORM's create built and compiled
    the same statement for each of them, a twentieth of a page's time (issue 11)."""
    key = (connection.vendor, tuple(field.attname for field in fields))
    sql = _INSERTS.get(key)
    if sql is None:
        query = InsertQuery(AccessLog)
        query.insert_values(fields, [AccessLog()])
        [(sql, _params)] = query.get_compiler(connection=connection).as_sql()
        _INSERTS[key] = sql
    return sql


def value_shown(value, *, empty: str = "none") -> str:
    """A recorded value as the change lists and the subject access bundle print it: a date
    as 24 November 2026, a moment with its local time, yes or no, `empty` for nothing."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    return str(value)
