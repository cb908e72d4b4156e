"""Evaluation tallies kept by month (evaluations.models.tally.TallyMonth; docs/decisions/
0023-evaluation-tallies-kept-by-month.md).

A year's results are the sums of its months' tallies (evaluations.results.TallyMonths): a
response answers one sending, sent in one month. Counting a whole year again on every page
reads every answer of the year (11,000 for the largest service, 20 ms); reading the kept
months costs one small query, and only the months changed since they were kept (usually the
current one) are counted again, in one query, and stored in one more.

The database keeps them right (migration evaluations 0010): every change to a month's
sendings, responses or answers adds one to its version and clears its rows, in the
change's own transaction. A count is stored only if the month's version is still the one
read before counting: a change committed meanwhile leaves it cleared, to be counted again.
"""

import contextlib
import datetime as dt
import json
from contextvars import ContextVar

from django.db import connection
from django.db.models import Q

from evaluations.models import Response, Sending, TallyMonth
from evaluations.results import TallySql, rows_by_month

_afresh: ContextVar[bool] = ContextVar("counted_afresh", default=False)


@contextlib.contextmanager
def counted_afresh():
    """Count every tally from the records, as if nothing were kept, inside this block: how
    the tests and benchmarks compare the kept months with a count made afresh."""
    token = _afresh.set(True)
    try:
        yield
    finally:
        _afresh.reset(token)


def in_use() -> bool:
    return not _afresh.get()


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _sent_in(months: list[dt.date]) -> Q:
    """Forms sent in any of the months (in order), one range per run of months together."""
    where, start = Q(), None
    for i, month in enumerate(months):
        start = start or month
        following = (month + dt.timedelta(days=32)).replace(day=1)
        if i + 1 == len(months) or months[i + 1] != following:
            where |= Q(sent_on__range=(start, following - dt.timedelta(days=1)))
            start = None
    return where


def _store(service_id: int, counted: dict[dt.date, tuple[int, list, list]]) -> None:
    """Store the months counted, each only while its version is the one read before counting
    (0 for a month without a row): one statement, whatever the number of months."""
    table = connection.ops.quote_name(TallyMonth._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(counted))
    params = []
    for month, (version, counts, comments) in counted.items():
        # The words as typed, not escaped: a search of the database for them finds them.
        texts = [json.dumps(rows, ensure_ascii=False) for rows in (counts, comments)]
        params += [service_id, month.isoformat(), version, *texts]
    with connection.cursor() as cursor:
        cursor.execute(
            # The table's name comes from the model, every value is a parameter.
            f"INSERT INTO {table} (service_id, month, version, counts, comments)"  # noqa: S608
            f" VALUES {rows} ON CONFLICT (service_id, month) DO UPDATE"
            " SET counts = excluded.counts, comments = excluded.comments"
            f" WHERE {table}.version = excluded.version AND {table}.counts IS NULL",
            params,
        )


def kept_rows(service_id: int, first: dt.date, last: dt.date, *, comments: bool = True) -> list:
    """The rows TallySql(by_month=True) gives for every form of the service in scope (its
    only one, `service_id`) sent in the whole months from `first` to `last` (publishable
    comments only; none when `comments` is false): the kept months read, the others counted
    in one query and kept."""
    months = _months(first, last)
    fields = ("month", "version", "counts", "comments")[: 4 if comments else 3]
    kept = {
        row[0]: row
        for row in TallyMonth.objects.filter(month__range=(months[0], months[-1])).values_list(
            *fields
        )
    }
    rows: list = []
    stale = [month for month in months if month not in kept or kept[month][2] is None]
    for month in months:
        if month not in stale:
            rows += json.loads(kept[month][2])
            rows += json.loads(kept[month][3]) if comments else []
    if stale:
        sent = _sent_in(stale)
        tally = TallySql.of(
            Sending.objects.filter(sent), responses=Response.objects.filter(sent), by_month=True
        )
        counted = rows_by_month(tally.rows())
        stored = {}
        for month in stale:
            counts, said = counted.get(month.isoformat(), ([], []))
            stored[month] = (kept[month][1] if month in kept else 0, counts, said)
            rows += counts
            rows += said if comments else []
        _store(service_id, stored)
    return rows
