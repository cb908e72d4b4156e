"""Which modules the mutation check mutates, in order of importance, and the tests that
should notice a bug in each.

The tests of a module are listed fastest and closest first: pytest stops at the first
failure (-x), so a killed mutant usually costs only the first file. A mutant that
survives all of them is a bug these tests let through: docs/testing.md explains each.
"""

TARGETS: dict[str, list[str]] = {
    "reports/queries/casework.py": [
        "tests/reports/test_case_movements.py",
        "tests/reports/test_mutants_casework_figures.py",
        "tests/volunteers/test_register_figures.py",
        "tests/quality/test_figures.py",
        "tests/reports/test_overview.py",
        "tests/publications/test_benchmarking.py",
    ],
    "reports/queries/benchmarking.py": [
        "tests/publications/test_benchmarking.py",
    ],
    # The access matrix (tests/test_access_matrix.py) is left out of these two: on the
    # shared 2-core machine it took over ten minutes a run, so each surviving mutant would
    # cost that much. A mutant that survives the files below is checked by hand against it.
    "casework/access.py": [
        "tests/casework/test_mutants_volunteer_scope.py",
        "tests/casework/test_mutants_access_functions.py",
        "tests/casework/test_allocation_access.py",
        "tests/casework/test_pages.py",
    ],
    "volunteers/access.py": [
        "tests/casework/test_mutants_volunteer_scope.py",
        "tests/casework/test_mutants_access_functions.py",
        "tests/casework/test_allocation_access.py",
        "tests/volunteers/test_register_pages.py",
    ],
    "pps/disclosure.py": [
        "tests/reports/test_presenters.py",
        "tests/test_steering_disclosure.py",
        "tests/quality/test_figures.py",
        "tests/reports/test_overview.py",
        "tests/test_steering_pages.py",
    ],
    "reports/presenters.py": [
        "tests/reports/test_presenters.py",
        "tests/reports/test_evaluation_results.py",
        "tests/quality/test_summary_pages.py",
        "tests/test_steering_disclosure.py",
    ],
    "casework/rules.py": [
        "tests/casework/test_rules.py",
        "tests/casework/test_pages.py",
    ],
    "volunteers/queries.py": [
        "tests/volunteers/test_mutants_volunteer_queries.py",
        "tests/volunteers/test_register_figures.py",
        "tests/volunteers/test_boundaries.py",
        "tests/reports/test_boundaries.py",
        "tests/volunteers/test_register_pages.py",
    ],
    "reports/queries/volunteers.py": [
        "tests/volunteers/test_register_figures.py",
        "tests/reports/test_periods.py",
        "tests/reports/test_boundaries.py",
        "tests/reports/test_overview.py",
    ],
    "reports/queries/response_times.py": [
        "tests/quality/test_figures.py",
        "tests/reports/test_boundaries.py",
    ],
    "reports/queries/evaluations.py": [
        "tests/reports/test_evaluation_results.py",
        "tests/evaluations/test_results.py",
        "tests/quality/test_figures.py",
    ],
    "reports/queries/feedback.py": [
        "tests/quality/test_figures.py",
        "tests/quality/test_summary_pages.py",
    ],
    "volunteers/rules.py": [
        "tests/volunteers/test_boundaries.py",
        "tests/volunteers/test_register_pages.py",
        "tests/volunteers/test_register_figures.py",
    ],
    "pps/workingdays.py": [
        "tests/pps/test_workingdays.py",
        "tests/casework/test_rules.py",
        "tests/quality/test_figures.py",
    ],
    "reports/periods.py": [
        "tests/reports/test_periods.py",
        "tests/reports/test_boundaries.py",
        "tests/reports/test_case_movements.py",
        "tests/reports/test_overview.py",
        "tests/volunteers/test_register_figures.py",
        "tests/quality/test_figures.py",
    ],
}


def tests_for(module: str) -> list[str]:
    """The mapped tests, plus any tests/*/test_mutants_*.py written to kill a survivor."""
    return TARGETS[module]
