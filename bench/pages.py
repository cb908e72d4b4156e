"""Median and 90th-percentile times of the busiest pages, on a small and a full demo service.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps .venv/bin/python bench/pages.py

Runs in a throwaway test database (test_<name>), so it never touches real data. Prints, for
each page, the query count and the median and p90 of 30 requests through Django's test
client, for a service of about 10 cases and one of three years (about 970 cases and 11,000
contacts), and the ratio of the medians. Targets are read from the output, not asserted.
"""

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

from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from casework.models import Case
from demo.generate import generate
from evaluations.models import Event
from pps.models import User

RUNS = 30


def officer_pages(demo):
    """The demo case officer and their busiest pages: the case list, their case with the
    most contacts, and My work. Shared with tests/casework/test_query_counts.py."""
    officer = User.objects.get(username="officer")
    busiest = (
        Case.objects.filter(service=demo.service, officer=officer)
        .annotate(n=Count("contacts"))
        .order_by("-n")
        .first()
    )
    return officer, {
        "case list": reverse("casework:case-list"),
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


def time_pages(label, years, cases_per_year):
    with transaction.atomic():
        with scopes_disabled():
            demo = generate(today=timezone.localdate(), years=years, cases_per_year=cases_per_year)
            page_sets = [officer_pages(demo), evaluation_pages(demo)]
            size = Case.objects.filter(service=demo.service).count()
        results = {}
        for user, pages in page_sets:
            client = Client()
            client.force_login(user)
            results |= _time(client, pages)
        transaction.set_rollback(True)
    print(f"\n{label}: {size} cases")
    for name, (count, median, p90) in results.items():
        print(f"  {name:18} {count:3d} queries  median {median:6.1f} ms  p90 {p90:6.1f} ms")
    return results


def _time(client, pages):
    results = {}
    for name, url in pages.items():
        client.get(url)  # warm caches and templates
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Read now: each later request clears the connection's query log.
        count = len(queries)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        results[name] = (count, statistics.median(times), times[int(RUNS * 0.9) - 1])
    return results


def main():
    setup_test_environment(debug=False)  # as in production: no query log, no debug pages
    # As in Django's own test cases: keep the connection (and the rolled-back transaction)
    # across the client's requests.
    request_finished.disconnect(close_old_connections)
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
