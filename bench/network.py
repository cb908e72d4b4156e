"""The network report's year: from the monthly summaries against a full count of the records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_nat_copy \\
        .venv/bin/python bench/network.py [--runs 7] [--year 2025]

On a database made by bench/national.py (a copy: it writes). Every service is made to take
part in the network, then, for the financial year (the last one ended by default):

- the rebuild of every service's summaries of the year (what `manage.py network_summaries
  --year` does), and of the largest service's year alone (what the background worker
  does once a write of that service commits);
- the year's figures of every service read from the summaries (what the page reads), from
  the records by the product's report functions (reports.queries.network, what a rebuild
  and `--check` count) and from the records by bare SQL written by hand; each the median
  of --runs runs, alternately, with the query count, and whether the three agree (exits 1
  when they do not);
- the network report page as a network analyst through the test client: median, p95 and
  query count.

The bulk rows of bench/national.py send no signals, so the summaries start empty: the first
rebuild builds them. See bench/README.md.
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")

import django

if __name__ == "__main__":
    django.setup()

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from bench.reports import (
    APPROACHES,
    QueryCounter,
    _all_services,
    _median_ms,
    _p95_ms,
    _production_like,
)
from casework.models import Case
from pps.models import Service
from reports.models import NetworkSummary
from reports.network import rebuild_summaries
from reports.periods import financial_year, financial_year_of
from reports.queries.network import (
    NetworkFigures,
    year_figures_from_records,
    year_figures_from_summaries,
)

# The year's figures of every service, written by hand as one query: contacts (on cases and
# substantial enquiries), service users, approaches by response within 2 working days, IPS
# active at the end of the year and IPS trained in it.
BARE = f"""
WITH contacts AS (
  SELECT service_id, count(*) AS n, count(DISTINCT case_id) AS users
  FROM casework_contact WHERE at >= %(start)s AND at < %(end)s GROUP BY service_id
), substantial AS (
  SELECT service_id, count(*) AS n FROM casework_enquiry
  WHERE substantial AND received_at >= %(start)s AND received_at < %(end)s GROUP BY service_id
), {_all_services(APPROACHES)}, responses AS (
  SELECT a.service_id, count(*) AS n,
    count(*) FILTER (WHERE d.ordinal - r.ordinal <= 2) AS within,
    count(*) FILTER (WHERE d.ordinal - r.ordinal > 2) AS later
  FROM approaches a
  LEFT JOIN pps_calendarday r ON r.day = a.received
  LEFT JOIN pps_calendarday d ON d.day = a.responded
  GROUP BY a.service_id
), at_end AS (
  SELECT DISTINCT ON (volunteer_id) volunteer_id, status FROM volunteers_volunteerstatuschange
  WHERE "on" <= %(last)s ORDER BY volunteer_id, "on" DESC, id DESC
), volunteers AS (
  SELECT v.service_id,
    count(*) FILTER (WHERE v.role = 'ips' AND e.status = 'active') AS active,
    count(*) FILTER (WHERE v.role = 'ips'
      AND v.initial_training_completed_on BETWEEN %(first)s AND %(last)s) AS trained
  FROM volunteers_volunteer v LEFT JOIN at_end e ON e.volunteer_id = v.id
  GROUP BY v.service_id
)
SELECT s.id, coalesce(c.n, 0) + coalesce(q.n, 0), coalesce(c.users, 0), coalesce(r.n, 0),
  coalesce(r.within, 0), coalesce(r.later, 0), coalesce(v.active, 0), coalesce(v.trained, 0)
FROM pps_service s
LEFT JOIN contacts c ON c.service_id = s.id
LEFT JOIN substantial q ON q.service_id = s.id
LEFT JOIN responses r ON r.service_id = s.id
LEFT JOIN volunteers v ON v.service_id = s.id
WHERE s.network_member
"""  # noqa: S608


def bare(year) -> dict[int, NetworkFigures]:
    params = {
        "first": year.first,
        "last": year.last,
        "start": year.starts_at,
        "end": year.ends_before,
    }
    with connection.cursor() as cursor:
        cursor.execute(BARE, params)
        return {row[0]: NetworkFigures(*row[1:]) for row in cursor.fetchall()}


def timed(function, runs):
    """(the result, the median and p95 in ms, the query count of one run)."""
    with QueryCounter() as counted:
        result = function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return result, _median_ms(times), _p95_ms(times), counted.count


def page(year, runs):
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from pps.models import User
    from pps.roles import Role
    from tests.factories import VerifiedClient

    setup_test_environment()
    request_finished.disconnect(close_old_connections)
    logging.getLogger("pps.request").setLevel(logging.WARNING)
    analyst, _ = User.objects.get_or_create(
        username="bench-network-analyst", defaults={"role": Role.NETWORK_ANALYST}
    )
    client = VerifiedClient()
    client.force_login(analyst)
    url = reverse("reports:network", kwargs={"year": year.first.year})
    assert client.get(url).status_code == 200  # draws and keeps the charts
    _, median, p95, queries = timed(lambda: client.get(url), runs)
    return median, p95, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--year", type=int, help="the calendar year the financial year starts in")
    options = parser.parse_args()
    runs = max(options.runs, 3)
    _production_like()
    start = options.year or financial_year_of(timezone.localdate()) - 1
    year = financial_year(start)
    with scopes_disabled():
        Service.objects.update(network_member=True)
        services = list(Service.objects.values_list("pk", flat=True))
        cases = dict(Case.objects.values_list("service").annotate(n=Count("id")))
    if not services:
        sys.exit("No service in this database: fill it with bench/national.py first.")
    largest = max(services, key=lambda pk: cases.get(pk, 0))
    print(
        f"Database {connection.settings_dict['NAME']}: {len(services)} services, "
        f"{sum(cases.values()):,} cases; financial year {year.label}; medians of {runs} runs"
    )

    started = time.perf_counter()
    with scopes_disabled():
        NetworkSummary.objects.all().delete()
    written = rebuild_summaries(services, year)
    everything = (time.perf_counter() - started) * 1000
    _, one, one_p95, one_queries = timed(lambda: rebuild_summaries([largest], year), runs)
    print(f"  rebuild, every service's year: {everything:.0f} ms ({written} rows, once)")
    print(
        f"  rebuild, the largest service's year ({cases.get(largest, 0):,} cases): "
        f"median {one:.1f} ms, p95 {one_p95:.1f} ms, {one_queries} queries"
    )

    def summaries():
        with scope(service=services):
            return year_figures_from_summaries(year)[0]

    def records():
        with scope(service=services):
            return year_figures_from_records(year)

    from_summaries, s_median, s_p95, s_queries = timed(summaries, runs)
    from_records, r_median, r_p95, r_queries = timed(records, runs)
    from_bare, b_median, b_p95, b_queries = timed(lambda: bare(year), runs)
    print(f"  {'the year of every service':<34} {'median':>10} {'p95':>10} {'queries':>8}")
    for label, median, p95, queries in (
        ("from the summaries", s_median, s_p95, s_queries),
        ("from the records, report functions", r_median, r_p95, r_queries),
        ("from the records, bare SQL", b_median, b_p95, b_queries),
    ):
        print(f"  {label:<34} {median:>8.1f}ms {p95:>8.1f}ms {queries:>8}")
    print(
        f"  records / summaries: {r_median / s_median:.1f}x (report functions), "
        f"{b_median / s_median:.1f}x (bare SQL)"
    )
    median, p95, queries = page(year, max(runs, 10))
    print(
        f"  network report page (analyst): median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"{queries} queries"
    )

    agree = from_summaries == from_records == from_bare
    print("Summaries, report functions and bare SQL: " + ("EQUAL" if agree else "DIFFERENT"))
    if not agree:
        for service in services:
            trio = (from_summaries.get(service), from_records.get(service), from_bare.get(service))
            if len(set(trio)) > 1:
                print(f"  service {service}: {trio}")
        sys.exit(1)


if __name__ == "__main__":
    main()
