"""bench/network.py's three ways of counting the network year agree on a tiny national-scale
database (bench/national.py): the summaries, the report functions over the records, and the
bare SQL written by hand."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django_scopes import scope

from bench.national import generate
from bench.network import bare
from pps.models import Service
from reports.models import NetworkSummary
from reports.network import rebuild_summaries
from reports.periods import financial_year
from reports.queries.network import year_figures_from_records, year_figures_from_summaries

TODAY = dt.date(2026, 11, 29)
YEAR = financial_year(2025)  # the last ended on TODAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the generator writes PostgreSQL SQL"
    ),
]


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """Generated once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(services=3, scale=0.002, seed=1, today=TODAY, out=lambda _: None)
        Service.objects.update(network_member=True)
        yield list(Service.objects.values_list("pk", flat=True))
        transaction.set_rollback(True)


def test_summaries_report_functions_and_bare_sql_agree(national):
    services = national
    # Bulk rows send no signal: nothing is summarised until the rebuild.
    assert not NetworkSummary.objects.exists()
    assert rebuild_summaries(services, YEAR) == 12 * 3
    with scope(service=services):
        summarised, complete = year_figures_from_summaries(YEAR)
        counted = year_figures_from_records(YEAR)
    assert complete == set(services)
    assert summarised == counted == bare(YEAR)
    # Not a year of zeros: each service has contacts and service users.
    assert all(f.contacts > 0 and f.service_users > 0 for f in summarised.values())
