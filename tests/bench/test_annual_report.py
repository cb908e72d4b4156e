"""bench/annual_report.py's bare SQL against the annual report's figures on the small
service of tests/reports/test_annual_figures.py, whose figures are counted there by hand:
a bare query that drifts from the product's rules fails here, not only in a benchmark run."""

import pytest
from django.db import connection

from bench.annual_report import CASES_BY_TYPE, AnnualBench, _figures, _gather, _params, _periods
from pps.access import service_scope
from reports.periods import academic_year
from tests.reports import test_annual_figures

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bare SQL is PostgreSQL's"),
]

YEAR = academic_year(2025)
service = test_annual_figures.service


def test_every_bare_query_gives_the_products_figures(service):
    bench = AnnualBench(runs=1)
    with service_scope(service.service.pk):
        inputs = _figures(bench, service.service, YEAR)
        _gather(bench, service.service, YEAR, inputs)
    assert [row[0] for row in bench.rows][:2] == [
        "monthly_performance (3 years)",
        "cases_by_type (4 years)",
    ]
    assert len(bench.rows) == 13  # the twelve functions and gather()
    assert bench.failures == []


def test_bare_cases_by_type_counts_as_by_hand(service):
    """2025/26 by hand (test_annual_figures: cases A, B, C, F, G): 5 cases; male A, C, G,
    female B (re-opened twice in the year, counted once) and F; pre-school C, junior G,
    secondary A, post-16 F, not known B; SEN A, F, G, non-SEN B, concern C; fixed-term B,
    permanent C, none A, F, G."""
    with connection.cursor() as cursor:
        cursor.execute(CASES_BY_TYPE, {**_params(service.service, YEAR), **_periods([YEAR])})
        (row,) = cursor.fetchall()
    assert row == (1, 5, 3, 2, 0, 0, 1, 0, 1, 1, 1, 1, 3, 1, 1, 0, 1, 1, 3)


def test_a_figure_that_differs_is_reported():
    bench = AnnualBench(runs=1)
    bench.compare("made up", lambda: 1, lambda: 2, lambda one: one, lambda two: two)
    assert bench.failures == ["made up"]
