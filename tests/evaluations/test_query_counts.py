"""The evaluation pages issue a fixed number of queries, whatever the size of the service:
measured on a demo service of about 10 cases and again on one of about 500, with their
forms sent, responses and events."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.pages import evaluation_pages
from demo.generate import generate
from evaluations.models import Response, Sending

pytestmark = pytest.mark.django_db

# Measured: session, user, the second factor's device and service, the audit row where
# personal data shows, then the page's own reads (the results page: six per form's results
# and the period's tables).
CEILINGS = {
    "evaluation results": 21,
    "forms sent": 8,
    "events": 7,
    "event page": 13,
    "evaluations due": 9,  # a page of the cases due and their count
}


def measure(client, cases_per_year):
    with transaction.atomic():
        demo = generate(today=timezone.localdate(), years=1, cases_per_year=cases_per_year)
        coordinator, pages = evaluation_pages(demo)
        client.force_login(coordinator)
        counts = {}
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[name] = len(queries)
        sizes = (Sending.objects.count(), Response.objects.count())
        transaction.set_rollback(True)
    return sizes, counts


def test_evaluation_pages_issue_the_same_queries_for_10_and_500_cases(client):
    small_sizes, small = measure(client, cases_per_year=8)
    large_sizes, large = measure(client, cases_per_year=405)
    print(f"\nsendings, responses {small_sizes}: {small}")
    print(f"sendings, responses {large_sizes}: {large}")
    assert large_sizes[0] > 2 * small_sizes[0]
    assert small == large
    for page, count in large.items():
        assert count <= CEILINGS[page], page
