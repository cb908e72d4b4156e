"""Median and 95th-percentile times of the busiest interactive pages.

Demo mode (default): in a throwaway test database (test_<name>), so it never touches real
data, for a service of about 10 cases and one of three years (about 970 cases and 11,000
contacts), and the ratio of the medians:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps .venv/bin/python bench/pages.py

National mode: against an existing national-scale database (bench/national.py), as a user of
its largest service. Everything it writes (a sign-in session, an authenticator for the
second factor, the access-log rows of the pages read) is in one transaction rolled back at
the end, so the database is left as it was:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_national \\
        .venv/bin/python bench/pages.py --national [--service ID] [--runs 30]

For each page it prints the query count, the median and p95 of the requests' server time
(Django's test client: the whole middleware stack and the template, no network), and the
slowest query (its median time over the runs, timed around the database call). For the
list pages it also prints the time to draw the page's rows and filter form as the product
does (django-tables2 and crispy-forms) beside the floor: the same rows and form through a
plain template. Then each page again through Django's WSGI handler as a gunicorn worker
calls it (no test client, no test instrumentation of every template render, what the
master loaded frozen out of the garbage collector as pps/gunicorn.conf.py does): the
server time a production worker spends, median and p95, and its CPU. Targets are read from
the output, not asserted.
"""

import argparse
import gc
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")

import django

if __name__ == "__main__":
    django.setup()

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, Q
from django.template import Template, engines
from django.test import Client
from django.test.utils import (
    _TestState,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from casework.enums import CaseStatus
from casework.models import Case
from demo.generate import generate
from evaluations.models import Event
from pps.access import service_scope
from pps.models import User
from pps.roles import Role
from reports.periods import academic_year, academic_year_containing

RUNS = 30


def officer_pages(demo):
    """The demo case officer and their busiest pages: the case list, a search of it for
    a surname, their case with the most contacts, and My work. Shared with
    tests/casework/test_query_counts.py."""
    officer = User.objects.get(username="officer")
    busiest = (
        Case.objects.filter(service=demo.service, officer=officer)
        .annotate(n=Count("contacts"))
        .order_by("-n", "id")
        .select_related("parent")
        .first()
    )
    return officer, {
        "case list": reverse("casework:case-list"),
        "search": reverse("casework:case-list") + f"?q={busiest.parent.last_name}",
        "case page": reverse("casework:case-detail", args=[busiest.pk]),
        "my work": reverse("casework:my-work"),
    }


def evaluation_pages(demo):
    """The demo coordinator and the evaluation pages that count: the results of the
    current academic year, the forms sent, the events and the evaluations due. Shared with
    tests/evaluations/test_query_counts.py."""
    coordinator = User.objects.get(username="coordinator")
    busiest = (
        Event.objects.filter(service=demo.service)
        .annotate(n=Count("sendings"))
        .order_by("-n", "id")
        .first()
    )
    return coordinator, {
        "evaluation results": reverse("reports:evaluation-results"),
        "forms sent": reverse("evaluations:sending-list"),
        "events": reverse("evaluations:event-list"),
        "event page": reverse("evaluations:event-detail", args=[busiest.pk]),
        "evaluations due": reverse("evaluations:due") + "?who=all",
    }


class QueryTimer:
    """Times every query of a request around the database call (execute_wrapper)."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def time_page(client, url, runs=RUNS):
    """(query count, median ms, p95 ms, slowest query: (median ms, its SQL's start), median
    CPU ms of this process: the Python part, which a busy machine inflates less)."""
    response = client.get(url)  # warm caches and templates
    assert response.status_code == 200, (url, response.status_code)
    times, cpu, slowest, counts = [], [], {}, []
    for _ in range(runs):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(timer.queries))
        for position, (took, sql) in enumerate(timer.queries):
            slowest.setdefault(position, ([], sql))[0].append(took)
    position = max(slowest, key=lambda p: statistics.median(slowest[p][0]), default=None)
    worst = (
        (statistics.median(slowest[position][0]), " ".join(slowest[position][1].split())[:70])
        if position is not None
        else (0.0, "")
    )
    # The fewest: once a minute a request also writes the session's last activity
    # (pps.middleware.IdleTimeoutMiddleware), three more queries inside the bench's
    # transaction, whichever page it falls on.
    count = min(counts)
    return count, statistics.median(times), _percentile(times, 0.95), worst, statistics.median(cpu)


# The floor of a list page's drawing: the same rows and filter form through a plain
# template, every cell printed as {{ value }} (dates with |date), the form as {{ form }}.
_TEMPLATES = {
    ("rows", "product"): "{% load render_table from django_tables2 %}{% render_table table %}",
    ("rows", "plain"): "<table><thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}"
    "</tr></thead><tbody>{% for row in rows %}<tr>{% for cell in row %}"
    "<td>{{ cell|date|default:cell }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>",
    ("form", "product"): "{% load crispy_forms_tags %}"
    "{% for field in form %}{{ field|as_crispy_field }}{% endfor %}",
    ("form", "plain"): "{{ form }}",
}


def drawing_times(client, url, repeats=20):
    """{("rows"|"form", "product"|"plain"): median ms} to draw one page of the list's rows
    and its filter form, the product's way (django-tables2, crispy-forms) and through a
    plain template: with the rows already read; both forms read the filter's choice lists
    (officers, localities...) as the page does."""
    from django.test import RequestFactory

    response = client.get(url)
    table, filterset = response.context["table"], response.context["filter"]
    request = RequestFactory().get(url)
    request.user = response.wsgi_request.user
    # The page read its rows through a prepared query (pps.prepared.PreparedPages): read
    # them again, in the user's service as the page did (the register prefetches).
    with service_scope(request.user.service_id):
        records = [row.record for row in table.paginated_rows]
    columns = list(table.columns)
    contexts = {
        "product": {"form": filterset.form, "request": request},
        "plain": {
            "form": filterset.form,
            "headers": [c.header for c in columns],
            "rows": [[c.accessor.resolve(r, quiet=True) for c in columns] for r in records],
        },
    }
    results = {}
    for (part, way), code in _TEMPLATES.items():
        template = engines["django"].from_string(code)
        times = []
        for _ in range(repeats):
            context = dict(contexts[way])
            if part == "rows" and way == "product":
                # A new table each time: a table numbers its rows as it draws them.
                context["table"] = type(table)(records, request=request, order_by=())
                context["table"].paginate(per_page=len(records) or 1)
            started = time.perf_counter()
            template.render(context, request)
            times.append((time.perf_counter() - started) * 1000)
        results[part, way] = statistics.median(times)
    return results


def wsgi_caller(client, url):
    """A function that sends `url` through Django's WSGI handler, as gunicorn calls it,
    with the client's session, and checks the answer is 200."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    from bench.overhead import environ

    handler = WSGIHandler()
    path, _, query = url.partition("?")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    def call():
        request = environ(path, cookie)
        request["QUERY_STRING"] = query
        status = []
        response = handler(request, lambda s, headers, exc=None: status.append(s))
        b"".join(response)
        response.close()
        assert status[0].startswith("200"), (url, status)

    return call


def wsgi_timings(client, url, runs=RUNS) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of `url` sent `runs` times through Django's WSGI handler
    (wsgi_caller): without the test environment's instrumentation of every template
    render (a signal and a copy of the context each), which the test client's figures
    include. The caller switches that instrumentation off (Template._render) and keeps the
    handler from closing its connection."""
    call = wsgi_caller(client, url)
    call()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _sign_in(user):
    """A client signed in as `user` with a second factor entered, as after the code page:
    an authenticator made for the run (rolled back with everything else)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pps.sign_in import LAST_ACTIVITY_KEY

    device = TOTPDevice.objects.create(user=user, name="bench/pages.py", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LAST_ACTIVITY_KEY] = int(time.time())
    session.save()
    return client


def national_pages(service_id=None):
    """The pages timed on a national-scale database, for a service (default: the one with
    most cases), with a signed-in client for each of its users: (heading, pages, clients),
    each page (name, user, url, is_list). Call inside a transaction rolled back after: it
    signs in (bench/instructions.py uses it too)."""
    with scopes_disabled():
        if service_id is None:
            service_id = (
                Case.objects.values("service")
                .annotate(n=Count("pk"))
                .order_by("-n")
                .values_list("service", flat=True)
                .first()
            )
        cases = Case.objects.filter(service_id=service_id)
        coordinator = User.objects.filter(
            service_id=service_id, role=Role.COORDINATOR, is_active=True
        ).first()
        officer = (
            User.objects.filter(service_id=service_id, role=Role.CASE_OFFICER)
            .annotate(n=Count("cases", filter=Q(cases__status=CaseStatus.OPEN)))
            .order_by("-n", "id")
            .first()
        )
        busiest = (
            cases.annotate(n=Count("contacts")).order_by("-n", "id").select_related("parent")
        ).first()
        sizes = (
            cases.count(),
            busiest.contacts.count(),
            officer.cases.filter(status=CaseStatus.OPEN).count(),
        )
        surname = busiest.parent.last_name
        start_month = coordinator.service.academic_year_start_month
        this_year = academic_year_containing(timezone.localdate(), start_month)
        last_year = academic_year(this_year.first.year - 1, start_month)
        whole_year = (
            f"{reverse('reports:evaluation-results')}?start={last_year.first.isoformat()}"
            f"&end={last_year.last.isoformat()}"
        )
        clients = {coordinator: _sign_in(coordinator), officer: _sign_in(officer)}
    pages = [
        ("case list", coordinator, reverse("casework:case-list"), True),
        ("search", coordinator, reverse("casework:case-list") + f"?q={surname}", True),
        ("case page", coordinator, reverse("casework:case-detail", args=[busiest.pk]), False),
        ("my work", officer, reverse("casework:my-work"), False),
        ("evaluations due", officer, reverse("evaluations:due"), False),
        ("evaluations due, all", coordinator, reverse("evaluations:due") + "?who=all", False),
        ("volunteer register", coordinator, reverse("volunteers:register"), True),
        # The current academic year's results (also timed by bench/reports.py), and
        # the last whole one: a tally's cost follows the forms of its period.
        ("evaluation results", coordinator, reverse("reports:evaluation-results"), False),
        ("results, a whole year", coordinator, whole_year, False),
    ]
    heading = (
        f"service {service_id}: {sizes[0]:,} cases; busiest case {busiest.reference} "
        f"({sizes[1]} contacts); {officer.username} ({sizes[2]} open cases); "
        f"{coordinator.username}; search q={surname!r}"
    )
    return heading, pages, clients


def national(service_id=None, runs=RUNS):
    with transaction.atomic():
        heading, pages, clients = national_pages(service_id)
        print(f"{heading}; {runs} requests a page\n")
        print(
            f"{'page':22} {'queries':>7} {'median':>8} {'p95':>8} {'cpu':>7} {'slowest query':>14}"
            f"  {'drawn, product / plain floor: rows; filter form'}"
        )
        for name, user, url, is_list in pages:
            count, median, p95, (worst, sql), cpu = time_page(clients[user], url, runs)
            drawing = ""
            if is_list:
                d = drawing_times(clients[user], url)
                drawing = (
                    f"  {d['rows', 'product']:4.1f} / {d['rows', 'plain']:4.1f} ms; "
                    f"{d['form', 'product']:4.1f} / {d['form', 'plain']:4.1f} ms"
                )
            print(
                f"{name:22} {count:7d} {median:6.1f}ms {p95:6.1f}ms {cpu:5.1f}ms {worst:11.2f} ms"
                f"{drawing}"
            )
            print(f"{'':22} slowest: {sql}")
        # The same pages through the WSGI handler, without the test environment's template
        # instrumentation: the CPU a production worker spends (DEBUG off either way).
        instrumented = Template._render
        Template._render = _TestState.saved_data.template_render
        # The handler would close the run's connection (and its transaction) around each
        # request; the test client connects these again after each of its own.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        # As a gunicorn worker starts (pps/gunicorn.conf.py, pre_fork): what is loaded so
        # far is left out of the garbage collector's full collections.
        gc.freeze()
        print(
            f"\nThrough the WSGI handler as gunicorn calls it, {runs} requests a page: the"
            " server time (wall) and this process's CPU"
        )
        print(f"{'page':22} {'median':>8} {'p95':>8} {'cpu':>7}")
        for name, user, url, _is_list in pages:
            wall, cpu = wsgi_timings(clients[user], url, runs)
            print(
                f"{name:22} {statistics.median(wall):6.1f}ms {_percentile(wall, 0.95):6.1f}ms"
                f" {statistics.median(cpu):5.1f}ms"
            )
        Template._render = instrumented
        transaction.set_rollback(True)


def time_pages(label, years, cases_per_year):
    with transaction.atomic():
        with scopes_disabled():
            demo = generate(today=timezone.localdate(), years=years, cases_per_year=cases_per_year)
            page_sets = [officer_pages(demo), evaluation_pages(demo)]
            size = Case.objects.filter(service=demo.service).count()
        results = {}
        for user, pages in page_sets:
            client = _sign_in(user)
            for name, url in pages.items():
                results[name] = time_page(client, url)
        transaction.set_rollback(True)
    print(f"\n{label}: {size} cases")
    for name, (count, median, p95, (worst, _sql), _cpu) in results.items():
        print(
            f"  {name:18} {count:3d} queries  median {median:6.1f} ms  p95 {p95:6.1f} ms  "
            f"slowest query {worst:5.2f} ms"
        )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", action="store_true", help="time an existing database")
    parser.add_argument("--service", type=int, help="service id (default: the largest)")
    parser.add_argument("--runs", type=int, default=RUNS)
    options = parser.parse_args()
    setup_test_environment(debug=False)  # as in production: no query log, no debug pages
    # As in Django's own test cases: keep the connection (and the rolled-back transaction)
    # across the client's requests.
    request_finished.disconnect(close_old_connections)
    # The table is the output: no line of the request log per request.
    logging.getLogger("pps.request").setLevel(logging.WARNING)
    if options.national:
        national(options.service, max(options.runs, 30))
        return
    names = setup_databases(verbosity=0, interactive=False)
    try:
        small = time_pages("small service", years=1, cases_per_year=8)
        full = time_pages("three-year demo service", years=3, cases_per_year=300)
    finally:
        teardown_databases(names, verbosity=0)
    print("\nmedian ratio, three-year / small:")
    for name in small:
        print(f"  {name:18} {full[name][1] / small[name][1]:.2f}x")


if __name__ == "__main__":
    main()
