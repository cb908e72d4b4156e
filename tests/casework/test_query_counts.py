"""The busiest pages issue a fixed number of queries, whatever the size of the service.

Each page is measured on a demo service of about 10 cases and again on one of about 500
(with their contacts, events, enquiries and allocations); the counts must be equal, and
at most the ceiling written here.
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from bench.pages import officer_pages
from casework.models import Case, Contact
from demo.generate import generate

pytestmark = pytest.mark.django_db

# Measured: session, user, the second factor's device and service, the audit row, then the
# page's own reads (the case page: the case with its totals, a page of its timeline's
# contacts, its events, its short lists in one query, and the family's other cases).
CEILINGS = {"case list": 10, "search": 10, "case page": 10, "my work": 10}
DEMO_TODAY = dt.date(2026, 11, 24)


def measure(client, cases_per_year):
    """Query counts of the three pages on a demo service, rolled back afterwards."""
    with transaction.atomic():
        # A fixed day in the past, so that the sizes are the same whatever day the suite
        # runs on (the current academic year "so far" grows from September to August).
        demo = generate(today=DEMO_TODAY, years=1, cases_per_year=cases_per_year)
        officer, pages = officer_pages(demo)
        client.force_login(officer)
        counts = {}
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[name] = len(queries)
        # The demo's own cases, not the few families closed years before it for the
        # retention page (demo/retention.py).
        size = Case.objects.filter(
            service=demo.service, opened_on__gte=dt.date(DEMO_TODAY.year - 1, 9, 1)
        ).count()
        contacts = Contact.objects.filter(case_id=resolve(pages["case page"]).kwargs["pk"]).count()
        transaction.set_rollback(True)
    return size, contacts, counts


def test_pages_issue_the_same_queries_for_10_and_500_cases(client):
    small_size, small_contacts, small = measure(client, cases_per_year=8)
    large_size, large_contacts, large = measure(client, cases_per_year=405)
    print(f"\n{small_size} cases (busiest {small_contacts} contacts): {small}")
    print(f"{large_size} cases (busiest {large_contacts} contacts): {large}")
    assert small_size <= 12 and large_size >= 480
    assert large_contacts > small_contacts
    assert small == large
    for page, count in large.items():
        assert count <= CEILINGS[page], page
