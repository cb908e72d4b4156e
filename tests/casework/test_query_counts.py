"""The busiest pages issue a fixed number of queries, whatever the size of the service.

Each page is measured on a demo service of about 10 cases and again on one of about 500
(with their contacts, events, enquiries and allocations); the counts must be equal, and
at most the ceiling written here.
"""

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Case
from demo.generate import generate
from pps.models import User

pytestmark = pytest.mark.django_db

# Measured: session, user and service, the audit row, then the page's own reads.
CEILINGS = {"case list": 9, "case page": 12, "my work": 9}


def measure(client, cases_per_year):
    """Query counts of the three pages on a demo service, rolled back afterwards."""
    with transaction.atomic():
        demo = generate(today=timezone.localdate(), years=1, cases_per_year=cases_per_year)
        officer = User.objects.get(username="officer")
        busiest = (
            Case.objects.filter(service=demo.service, officer=officer)
            .annotate(n=Count("contacts"))
            .order_by("-n")
            .first()
        )
        client.force_login(officer)
        pages = {
            "case list": reverse("casework:case-list"),
            "case page": reverse("casework:case-detail", args=[busiest.pk]),
            "my work": reverse("casework:my-work"),
        }
        counts = {}
        for name, url in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[name] = len(queries)
        size = Case.objects.filter(service=demo.service).count()
        contacts = busiest.contacts.count()
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
