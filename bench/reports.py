"""Report functions against bare SQL, side by side, on a national-scale database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_national .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --sqlite

PostgreSQL (the default): reads the database at DATABASE_URL (bench/national.py fills one;
it writes only the page's session, access log and a second-factor device for the steering
member it signs in). It picks the largest service and a typical one (the median by cases)
and, for the academic year 2025/26, times each report function of reports/queries and a
bare-SQL query of the same figure alternately in one run: the medians of --runs runs
(at least 7), their ratio, the product's query count, and whether the figures are EQUAL.
Then the network year (case movements, contacts, service users and response times of
every service in one scope, product against bare SQL), and the reports overview page of
the large service through Django's test client (median, p95, query count). Exits 1 when any
figure differs.

--sqlite: generates the README's three-year demo (demo.generate) into a temporary SQLite
file and times the overview's report functions and the page there (no bare SQL).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")

YEAR_START = 2025  # the academic year 2025/26
TODAY = dt.date(2026, 11, 29)  # "as things stood" for response times, fixed for repeatability


def _median_ms(samples):
    return statistics.median(samples) * 1000


def _p95_ms(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


# Bare SQL, written as an expert would by hand for one figure: each returns the same figures
# as the product function, in the same shape. %(service)s is a service id, or for the
# network year the clause is dropped and the rows grouped by service.

MOVEMENTS = """
SELECT e.service_id,
  count(*) FILTER (WHERE e.on < %(first)s),
  count(*) FILTER (WHERE e.kind = 'opened' AND e.on >= %(first)s),
  count(*) FILTER (WHERE e.kind = 'reopened' AND e.on >= %(first)s),
  count(*) FILTER (WHERE e.kind = 'closed'),
  count(*) FILTER (WHERE e.kind IN ('opened', 'reopened')
    AND (e.ended_on IS NULL OR e.ended_on > %(last)s)),
  count(DISTINCT e.case_id) FILTER (WHERE e.kind IN ('opened', 'reopened'))
FROM (
  SELECT service_id, case_id, kind, "on", ended_on FROM casework_caseevent
  WHERE {services} AND "on" BETWEEN %(first)s AND %(last)s
  UNION ALL
  SELECT service_id, case_id, kind, "on", ended_on FROM casework_caseevent
  WHERE {services} AND "on" < %(first)s AND kind IN ('opened', 'reopened')
    AND (ended_on IS NULL OR ended_on >= %(first)s)
) e GROUP BY e.service_id
"""

CONTACTS = """
SELECT c.service_id, c.n, round(c.minutes / 60.0, 1), coalesce(q.n, 0) FROM (
  SELECT service_id, count(*) AS n, coalesce(sum(minutes) FILTER (WHERE volunteer_id IS NULL), 0)
    AS minutes
  FROM casework_contact WHERE {services} AND at >= %(start)s AND at < %(end)s
  GROUP BY service_id
) c LEFT JOIN (
  SELECT service_id, count(*) AS n FROM casework_enquiry
  WHERE {services} AND substantial AND received_at >= %(start)s AND received_at < %(end)s
  GROUP BY service_id
) q ON q.service_id = c.service_id
"""

USERS = """
SELECT service_id, count(DISTINCT case_id) FROM casework_contact
WHERE {services} AND at >= %(start)s AND at < %(end)s GROUP BY service_id
"""

# The approaches of a period (a common table expression): each enquiry, and each case that
# did not begin as one, with the day it came in and the day of its first response.
APPROACHES = """approaches AS (
  SELECT e.service_id, (e.received_at AT TIME ZONE 'Europe/London')::date AS received,
    e.first_response_on AS responded
  FROM casework_enquiry e
  WHERE {e_services} AND e.received_at >= %(start)s AND e.received_at < %(end)s
  UNION ALL
  SELECT c.service_id, c.received_on, (f.at AT TIME ZONE 'Europe/London')::date
  FROM casework_case c
  LEFT JOIN LATERAL (
    SELECT min(ct.at) AS at FROM casework_contact ct
    WHERE ct.case_id = c.id AND ct.volunteer_id IS NULL
  ) f ON true
  WHERE {c_services} AND c.received_on BETWEEN %(first)s AND %(last)s
    AND NOT EXISTS (SELECT 1 FROM casework_enquiry x WHERE x.case_id = c.id)
)"""

RESPONSES = f"""
WITH {APPROACHES}
SELECT a.service_id, s.response_standard_days, count(*),
  count(*) FILTER (WHERE d.ordinal - r.ordinal <= s.response_standard_days),
  count(*) FILTER (WHERE d.ordinal - r.ordinal > s.response_standard_days),
  count(*) FILTER (WHERE a.responded IS NULL AND t.ordinal - r.ordinal > s.response_standard_days)
FROM approaches a
JOIN pps_service s ON s.id = a.service_id
JOIN pps_calendarday r ON r.day = a.received
LEFT JOIN pps_calendarday d ON d.day = a.responded
CROSS JOIN (SELECT ordinal FROM pps_calendarday WHERE day = %(today)s) t
GROUP BY a.service_id, s.response_standard_days
"""  # noqa: S608

# Active on any day of a month: a change to active on or before its last day that was
# still the latest change at the end of the day before its first (or made in the month).
ACTIVE_BY_MONTH = """
WITH changes AS (
  SELECT s.volunteer_id, s.status, s.on,
    lead(s.on) OVER (PARTITION BY s.volunteer_id ORDER BY s.on, s.id) AS next_on
  FROM volunteers_volunteerstatuschange s
  JOIN volunteers_volunteer v ON v.id = s.volunteer_id AND v.role = 'ips'
  WHERE s.service_id = %(service)s AND s.on <= %(last)s
), months AS (
  SELECT m::date AS first, (m + interval '1 month' - interval '1 day')::date AS last
  FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') m
)
SELECT m.first, count(DISTINCT c.volunteer_id)
FROM months m LEFT JOIN changes c ON c.status = 'active' AND c.on <= m.last
  AND (c.next_on IS NULL OR c.next_on >= m.first)
GROUP BY m.first ORDER BY m.first
"""

IPS_ACTIVITY = """
SELECT (
  SELECT count(DISTINCT c.volunteer_id) FROM (
    SELECT s.volunteer_id, s.status, s.on,
      lead(s.on) OVER (PARTITION BY s.volunteer_id ORDER BY s.on, s.id) AS next_on
    FROM volunteers_volunteerstatuschange s
    JOIN volunteers_volunteer v ON v.id = s.volunteer_id AND v.role = 'ips'
    WHERE s.service_id = %(service)s AND s.on <= %(last)s
  ) c WHERE c.status = 'active' AND (c.next_on IS NULL OR c.next_on >= %(first)s)
), (
  SELECT coalesce(sum(phone_hours + meeting_hours + paperwork_hours + tribunal_hours), 0)
  FROM volunteers_monthlyreturn
  WHERE service_id = %(service)s AND month BETWEEN %(first)s AND %(last)s
)
"""

VOLUNTEER_FIGURES = """
WITH at_end AS (
  SELECT DISTINCT ON (volunteer_id) volunteer_id, status FROM volunteers_volunteerstatuschange
  WHERE service_id = %(service)s AND "on" <= %(last)s ORDER BY volunteer_id, "on" DESC, id DESC
)
SELECT count(*) FILTER (WHERE v.role = 'ips' AND e.status = 'active'),
  count(*) FILTER (WHERE v.role = 'ips'
    AND v.initial_training_completed_on BETWEEN %(first)s AND %(last)s),
  count(*) FILTER (WHERE v.role = 'other' AND e.status = 'active')
FROM volunteers_volunteer v LEFT JOIN at_end e ON e.volunteer_id = v.id
WHERE v.service_id = %(service)s
"""

RETURN_RATES = """
SELECT f.id, count(*), count(r.id) FROM evaluations_sending s
JOIN evaluations_formversion v ON v.id = s.version_id
JOIN evaluations_evaluationform f ON f.id = v.form_id
LEFT JOIN evaluations_response r ON r.sending_id = s.id
WHERE s.service_id = %(service)s AND s.sent_on BETWEEN %(first)s AND %(last)s
GROUP BY f.id, f.kind, f.title ORDER BY f.kind, f.title, f.id
"""

EVENTS = """
SELECT kind, count(*), coalesce(sum(parents_attending), 0),
  coalesce(sum(professionals_attending), 0), coalesce(sum(volunteers_attending), 0)
FROM evaluations_event WHERE service_id = %(service)s AND "on" BETWEEN %(first)s AND %(last)s
GROUP BY kind ORDER BY kind
"""

# Parent forms sent in the year, everything the results page shows of them: sent and
# returned; for each question key its wording in the latest version sent, the respondents
# who answered it (not "Not applicable"), who answered "Not applicable" and who left it
# blank (of those whose version asked it); respondents per answer of the questions with
# choices; and the publishable comments in the order received.
PARENT_RESULTS = """
WITH sent AS (
  SELECT s.id, s.version_id FROM evaluations_sending s
  JOIN evaluations_formversion v ON v.id = s.version_id
  JOIN evaluations_evaluationform f ON f.id = v.form_id AND f.kind = 'parent'
  WHERE s.service_id = %(service)s AND s.sent_on BETWEEN %(first)s AND %(last)s
), returned AS (
  SELECT r.id, r.version_id, r.received_on FROM evaluations_response r
  JOIN evaluations_formversion v ON v.id = r.version_id
  JOIN evaluations_evaluationform f ON f.id = v.form_id AND f.kind = 'parent'
  WHERE r.service_id = %(service)s AND r.sent_on BETWEEN %(first)s AND %(last)s
), questions AS (
  SELECT DISTINCT ON (q.key) q.key, q.text FROM evaluations_question q
  JOIN evaluations_formversion v ON v.id = q.version_id
  WHERE q.version_id IN (SELECT version_id FROM sent)
  ORDER BY q.key, v.number DESC
), answers AS (
  SELECT q.key, q.kind, a.value, a.response_id, a.publishable, a.id, r.received_on
  FROM returned r JOIN evaluations_answer a ON a.response_id = r.id
  JOIN evaluations_question q ON q.id = a.question_id
), by_key AS (
  SELECT key,
    count(DISTINCT response_id) FILTER (WHERE value <> 'Not applicable') AS answered,
    count(DISTINCT response_id) FILTER (WHERE value = 'Not applicable') AS not_applicable
  FROM answers GROUP BY key
), asked AS (
  SELECT q.key, count(*) AS n FROM evaluations_question q
  JOIN returned r ON r.version_id = q.version_id GROUP BY q.key
), by_answer AS (
  SELECT key, value, count(DISTINCT response_id) AS n FROM answers
  WHERE kind <> 'text' AND value <> 'Not applicable' GROUP BY key, value
)
SELECT (SELECT count(*) FROM sent), (SELECT count(*) FROM returned),
  (SELECT coalesce(json_agg(json_build_array(q.key, q.text, coalesce(b.answered, 0),
     coalesce(b.not_applicable, 0),
     coalesce(k.n, 0) - coalesce(b.answered, 0) - coalesce(b.not_applicable, 0))), '[]')
   FROM questions q LEFT JOIN by_key b ON b.key = q.key LEFT JOIN asked k ON k.key = q.key),
  (SELECT coalesce(json_agg(json_build_array(key, value, n)), '[]') FROM by_answer),
  (SELECT coalesce(json_agg(json_build_array(q.text, a.value) ORDER BY a.received_on, a.id),
     '[]')
   FROM answers a JOIN questions q ON q.key = a.key WHERE a.kind = 'text' AND a.publishable)
"""


def _movement_figures(m):
    return (m.brought_forward, m.new, m.reopened, m.closed, m.carried_forward, m.casework_total)


def _one_service(sql):
    return sql.format(
        services="service_id = %(service)s",
        e_services="e.service_id = %(service)s",
        c_services="c.service_id = %(service)s",
    )


def _all_services(sql):
    return sql.format(services="true", e_services="true", c_services="true")


class QueryCounter:
    """Counts the queries run inside it, across reconnections (execute_wrapper)."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


class Bench:
    """Product and bare SQL alternately: medians, ratio, queries of each, equality."""

    def __init__(self, runs):
        from django.db import connection

        self.runs = runs
        self.connection = connection
        self.failures = []
        self.rows = []

    def bare(self, sql, params):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def compare(self, label, product, bare, product_figures, bare_figures):
        """Time `product` and `bare` alternately; print medians, ratio, queries, equality."""
        with QueryCounter() as counted:
            product_result = product()
        with QueryCounter() as counted_bare:
            bare_result = bare()
        mine, theirs = product_figures(product_result), bare_figures(bare_result)
        equal = mine == theirs
        if not equal:
            self.failures.append(label)
        product_times, bare_times = [], []
        for _ in range(self.runs):
            started = time.perf_counter()
            product()
            product_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            bare()
            bare_times.append(time.perf_counter() - started)
        p, b = _median_ms(product_times), _median_ms(bare_times)
        self.rows.append((label, p, b, counted.count, counted_bare.count, equal))
        self.print_row(*self.rows[-1])
        if not equal:
            print(f"    product: {mine}\n    bare SQL: {theirs}")
        return p, b

    def print_row(self, label, p, b, queries, bare_queries, equal):
        print(
            f"  {label:<34} {p:9.1f} ms {b:9.1f} ms {p / b:6.2f}x {queries:4d}  "
            f"{'EQUAL' if equal else 'DIFFERENT'}"
        )


def _service_year(bench, service, label):
    from django_scopes import scope

    from reports.periods import academic_year, financial_year
    from reports.queries import casework, evaluations, response_times, volunteers

    year = academic_year(YEAR_START, service.academic_year_start_month)
    finished = financial_year(YEAR_START)
    params = {
        "service": service.pk,
        "first": year.first,
        "last": year.last,
        "start": year.starts_at,
        "end": year.ends_before,
        "today": TODAY,
    }
    fy = {**params, "first": finished.first, "last": finished.last}
    print(f"\n{label}: {service.name} (service {service.pk}), academic year {year.label}")
    print(f"  {'function':<34} {'product':>12} {'bare SQL':>12} {'ratio':>7} {'queries':>7}")
    totals = [0.0, 0.0]

    def row(*args):
        p, b = bench.compare(*args)
        totals[0] += p
        totals[1] += b

    def first_row(rows):
        return tuple(rows[0][1:]) if rows else None

    with scope(service=[service.pk]):
        row(
            "case_movements",
            lambda: casework.case_movements(year),
            lambda: bench.bare(_one_service(MOVEMENTS), params),
            _movement_figures,
            first_row,
        )
        row(
            "contact_figures",
            lambda: casework.contact_figures(year),
            lambda: bench.bare(_one_service(CONTACTS), params),
            lambda c: (c.casework_contacts, Decimal(str(c.office_hours)), c.substantial_enquiries),
            lambda rows: (rows[0][1], Decimal(rows[0][2]), rows[0][3]),
        )
        row(
            "service_users",
            lambda: casework.service_users(year),
            lambda: bench.bare(_one_service(USERS), params),
            lambda n: n,
            lambda rows: rows[0][1] if rows else 0,
        )
        row(
            "response_times",
            lambda: response_times.response_times(year, service.response_standard_days, TODAY),
            lambda: bench.bare(_one_service(RESPONSES), params),
            lambda r: (r.standard_days, r.received, r.within, r.later, r.overdue),
            first_row,
        )
        row(
            "active_ips_by_month",
            lambda: volunteers.active_ips_by_month(year),
            lambda: bench.bare(ACTIVE_BY_MONTH, params),
            lambda months: [(m.first, n) for m, n in months],
            lambda rows: list(rows),
        )
        row(
            "ips_activity",
            lambda: volunteers.ips_activity(year),
            lambda: bench.bare(IPS_ACTIVITY, params),
            lambda a: (a.active_ips, Decimal(a.hours)),
            lambda rows: (rows[0][0], Decimal(rows[0][1])),
        )
        row(
            "volunteer_figures (FY 2025-26)",
            lambda: volunteers.volunteer_figures(finished),
            lambda: bench.bare(VOLUNTEER_FIGURES, fy),
            lambda v: (v.active_ips_at_end, v.ips_newly_trained, v.other_volunteers_at_end),
            lambda rows: tuple(rows[0]),
        )
        row(
            "return_rates",
            lambda: evaluations.return_rates(year),
            lambda: bench.bare(RETURN_RATES, params),
            lambda rates: [(r.form_id, r.sent, r.returned) for r in rates],
            lambda rows: [tuple(r) for r in rows],
        )
        row(
            "events_summary",
            lambda: evaluations.events_summary(year),
            lambda: bench.bare(EVENTS, params),
            lambda s: s.total.events,
            lambda rows: sum(r[1] for r in rows),
        )
        # Read from the months kept (evaluations.kept; the first run counts and keeps
        # them), and counted afresh from the records as before (left out of the total).
        row(
            "parent_results, months kept",
            lambda: evaluations.parent_results(year),
            lambda: bench.bare(PARENT_RESULTS, params),
            _parent_figures,
            _bare_parent_figures,
        )
        bench.compare(
            "parent_results, counted afresh",
            lambda: _afresh(lambda: evaluations.parent_results(year)),
            lambda: bench.bare(PARENT_RESULTS, params),
            _parent_figures,
            _bare_parent_figures,
        )
    print(
        f"  {'all of the above':<34} {totals[0]:9.1f} ms {totals[1]:9.1f} ms "
        f"{totals[0] / totals[1]:6.2f}x"
    )


def _afresh(read):
    from evaluations.kept import counted_afresh

    with counted_afresh():
        return read()


def _parent_figures(r):
    return (
        r.sent,
        r.returned,
        sorted((q.key, q.text, q.answered, q.not_applicable, q.not_answered) for q in r.questions),
        sorted((q.key, a.answer, a.count) for q in r.questions for a in q.answers if a.count),
        [(c.question, c.text) for c in r.comments],
    )


def _bare_parent_figures(rows):
    return (
        rows[0][0],
        rows[0][1],
        sorted(tuple(x) for x in _json(rows[0][2])),
        sorted(tuple(x) for x in _json(rows[0][3])),
        [tuple(x) for x in _json(rows[0][4])],
    )


def _json(value):
    """A json column: psycopg2 decodes it, SQLite's driver does not."""
    import json

    return value if isinstance(value, list) else json.loads(value)


def _network_year(bench, services):
    from django_scopes import scope

    from reports.periods import academic_year
    from reports.queries import casework, response_times

    year = academic_year(YEAR_START)
    params = {
        "first": year.first,
        "last": year.last,
        "start": year.starts_at,
        "end": year.ends_before,
        "today": TODAY,
    }
    ids = [s.pk for s in services if s.academic_year_start_month == 9]
    print(f"\nNetwork year {year.label}: {len(ids)} services in one scope")
    print(f"  {'function':<34} {'product':>12} {'bare SQL':>12} {'ratio':>7} {'queries':>7}")

    def by_service(rows):
        return {row[0]: tuple(row[1:]) for row in rows}

    def figures(result, fields):
        return {key[0]: tuple(fields(value)) for key, value in result.items() if key[0] in found[0]}

    totals = [0.0, 0.0]
    with scope(service=ids):
        found = [set(ids)]
        for label, product, sql, fields in (
            (
                "case_movements_by_service",
                lambda: casework.case_movements_by_service([year]),
                MOVEMENTS,
                _movement_figures,
            ),
            (
                "contact_figures_by_service",
                lambda: casework.contact_figures_by_service([year]),
                CONTACTS,
                lambda c: (
                    c.casework_contacts,
                    Decimal(str(c.office_hours)),
                    c.substantial_enquiries,
                ),
            ),
            (
                "service_users_by_service",
                lambda: casework.service_users_by_service([year]),
                USERS,
                lambda n: (n,),
            ),
            (
                "response_times_by_service",
                lambda: response_times.response_times_by_service([year], None, TODAY),
                RESPONSES,
                lambda r: (r.standard_days, r.received, r.within, r.later, r.overdue),
            ),
        ):

            def bare_figures(rows, label=label):
                table = by_service(rows)
                if label.startswith("contact"):
                    return {k: (v[0], Decimal(v[1]), v[2]) for k, v in table.items() if k in ids}
                return {k: v for k, v in table.items() if k in ids}

            def product_figures(result, fields=fields):
                mine = figures(result, fields)
                # A service with no rows has none in the bare SQL's GROUP BY either.
                return {k: v for k, v in mine.items() if any(v[1:] if len(v) > 1 else v)}

            def bare_filtered(rows, bare_figures=bare_figures):
                return {
                    k: v for k, v in bare_figures(rows).items() if any(v[1:] if len(v) > 1 else v)
                }

            p, b = bench.compare(
                label,
                product,
                lambda sql=sql: bench.bare(_all_services(sql), params),
                product_figures,
                bare_filtered,
            )
            totals[0] += p
            totals[1] += b
    print(
        f"  {'network year, all four':<34} {totals[0]:9.1f} ms {totals[1]:9.1f} ms "
        f"{totals[0] / totals[1]:6.2f}x"
    )


def _overview_page(
    service, runs, label="overview page", url_name="reports:overview", role="steering"
):
    """A reports page through the test client, signed in as a member of the service."""
    import logging

    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.urls import reverse

    from pps.models import User
    from pps.roles import Role
    from tests.factories import VerifiedClient

    user = User.objects.filter(service=service, role=Role(role), is_active=True).first()
    if user is None:
        print(f"  {label}: no {role} in {service.name}")
        return
    # One connection throughout, as a production worker keeps (persistent connections),
    # and no request log lines in the output.
    request_finished.disconnect(close_old_connections)
    logging.getLogger("pps.request").setLevel(logging.WARNING)
    # Signed in with a verified second factor, as the tests' client is.
    client = VerifiedClient()
    client.force_login(user)
    url = reverse(url_name)
    assert client.get(url).status_code == 200
    with QueryCounter() as counted:
        client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(
        f"  {label}: median {_median_ms(times):.1f} ms, p95 {_p95_ms(times):.1f} ms, "
        f"{counted.count} queries ({runs} requests)"
    )


def _production_like():
    """No query log: DEBUG's cursor wrapper costs time and its log (9,000 entries at
    most) would make counted queries wrong once full. Counting uses its own capture."""
    import warnings

    from django.conf import settings

    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")


def _print_database():
    """The database's name and the PostgreSQL settings the timings depend on."""
    from django.db import connection

    with connection.cursor() as cursor:
        settings = {}
        for name in ("jit", "random_page_cost", "server_version"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    print(f"Database {connection.settings_dict['NAME']}: {settings}")


def postgresql(runs):
    import django

    django.setup()
    _production_like()
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from casework.models import Case
    from pps.models import Service

    _print_database()
    with scopes_disabled():
        cases = dict(Case.objects.values_list("service").annotate(n=Count("id")))
        services = sorted(Service.objects.all(), key=lambda s: (-cases.get(s.pk, 0), s.pk))
    for service in services:
        service.cases = cases.get(service.pk, 0)
    if not services:
        sys.exit("No service in this database: fill it with bench/national.py first.")
    largest, typical = services[0], services[len(services) // 2]
    print(
        f"{len(services)} services; largest {largest.cases} cases, typical {typical.cases}; "
        f"medians of {runs} runs, product and bare SQL alternately"
    )
    bench = Bench(runs)
    _service_year(bench, typical, "Typical service")
    _service_year(bench, largest, "Largest service")
    _network_year(bench, services)
    print("\nReports pages, largest service (test client, one connection):")
    from django.test.utils import setup_test_environment

    setup_test_environment()
    _overview_page(largest, max(runs, 20))
    _overview_page(
        largest,
        max(runs, 20),
        "evaluation results page",
        "reports:evaluation-results",
        "coordinator",
    )
    if bench.failures:
        print(f"\nFIGURES DIFFER: {', '.join(bench.failures)}")
        sys.exit(1)
    print("\nEvery figure EQUAL to its bare SQL.")


def sqlite(runs):
    """The README's demo on SQLite: the overview's report functions and the page."""
    directory = tempfile.mkdtemp(prefix="pps-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/demo.sqlite3"
    import django

    django.setup()
    _production_like()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment
    from django_scopes import scope

    from demo.generate import generate
    from reports.periods import academic_year_containing, financial_year
    from reports.queries import casework, volunteers

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo = generate()
    print(f"Demo generated into {directory}/demo.sqlite3 in {time.perf_counter() - started:.0f} s")
    service = demo.service
    today = dt.date.today()
    current = academic_year_containing(today, service.academic_year_start_month)
    years = [
        academic_year_containing(current.first.replace(year=current.first.year - back))
        for back in (2, 1, 0)
    ]
    finished = financial_year(today.year - (2 if today.month < 4 else 1))
    print(f"Overview's report functions ({', '.join(y.label for y in years)}), {runs} runs:")
    with scope(service=[service.pk]):
        for label, function in (
            ("case_movements_by_service", lambda: casework.case_movements_by_service(years)),
            ("contact_figures_by_service", lambda: casework.contact_figures_by_service(years)),
            ("ips_hours_by_service", lambda: volunteers.ips_hours_by_service(years)),
            (
                "volunteer_counts_by_service",
                lambda: volunteers.volunteer_counts_by_service(
                    active_during=years, years=[finished]
                ),
            ),
            ("service_users", lambda: casework.service_users(finished)),
        ):
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                function()
                times.append(time.perf_counter() - began)
            print(f"  {label:<30} median {_median_ms(times):8.1f} ms")
    setup_test_environment()
    _overview_page(service, max(runs, 20), "overview page (SQLite)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (at least 7)")
    parser.add_argument("--sqlite", action="store_true", help="the demo on SQLite instead")
    options = parser.parse_args()
    runs = max(options.runs, 7)
    if options.sqlite:
        sqlite(runs)
    else:
        postgresql(runs)


if __name__ == "__main__":
    main()
