"""The main navigation of every page: the links of each role, the current page marked, and
the same links after they are worked out once per process (pps/context_processors.py)."""

import re

import pytest
from django.urls import reverse, set_script_prefix

from pps.roles import Role

pytestmark = pytest.mark.django_db

_LINK = re.compile(
    r'<a class="nav-link( active)?" href="([^"]*)"( aria-current="page")?>([^<]*)</a>'
)

STAFF_LINKS = [
    ("casework:my-work", "My work"),
    ("casework:enquiry-list", "Enquiries"),
    ("casework:case-list", "Cases"),
    ("casework:parent-list", "Parents"),
    ("casework:feedback-list", "Feedback"),
    ("evaluations:due", "Evaluations"),
    ("evaluations:event-list", "Events"),
]
# Staff who print hand-outs and make long exports fetch them from the documents list.
DOCUMENTS_LINK = [("document-list", "Documents")]
COORDINATOR_LINKS = [
    ("reports:dashboard", "Dashboard"),
    ("reports:overview", "Overview"),
    ("publications:annual-index", "Annual report"),
    ("publications:benchmarking-index", "Benchmarking"),
    ("quality:index", "Standards"),
    ("reports:evaluation-results", "Evaluation results"),
    ("document-list", "Documents"),
    ("reports:network-index", "Network"),
    ("volunteers:register", "Volunteers"),
    ("evaluations:form-list", "Forms"),
    ("casework:codelist-index", "Settings"),
    ("access_requests:request-list", "Subject access"),
    ("retention:due", "Retention"),
    ("transfers:index", "Import and export"),
]
EXPECTED = {
    Role.CASE_OFFICER: (STAFF_LINKS + DOCUMENTS_LINK, "casework:case-list"),
    Role.ADMIN_SUPPORT: (STAFF_LINKS + DOCUMENTS_LINK, "casework:enquiry-list"),
    Role.COORDINATOR: (STAFF_LINKS + COORDINATOR_LINKS, "volunteers:register"),
    Role.VOLUNTEER: (
        [
            ("casework:my-allocated-cases", "My cases"),
            ("volunteers:my-returns", "My monthly returns"),
        ],
        "volunteers:my-returns",
    ),
    Role.STEERING: (
        [
            ("evaluations:event-list", "Events"),
            ("reports:dashboard", "Dashboard"),
            ("reports:overview", "Overview"),
            ("publications:annual-index", "Annual report"),
            ("publications:benchmarking-index", "Benchmarking"),
            ("quality:index", "Standards"),
            ("reports:evaluation-results", "Evaluation results"),
            ("document-list", "Documents"),
        ],
        "evaluations:event-list",
    ),
    # Of no service: the network report only (its link redirects to a year, so the page
    # drawn here is one no link is marked on).
    Role.NETWORK_ANALYST: ([("reports:network-index", "Network")], "password_change"),
}


def _links(html):
    return [
        (href, label, bool(active), bool(current))
        for active, href, current, label in _LINK.findall(html)
    ]


@pytest.mark.parametrize("role", list(EXPECTED), ids=lambda role: role.label)
def test_each_role_sees_its_links_with_the_current_page_marked(client, team, role):
    links, page = EXPECTED[role]
    client.force_login(team.by_role(role))
    # Twice: the second page is drawn from the links worked out for the first.
    for _ in range(2):
        response = client.get(reverse(page))
        assert response.status_code == 200
        assert _links(response.content.decode()) == [
            (reverse(name), label, name == page, name == page) for name, label in links
        ]


def test_the_links_follow_the_path_the_site_is_served_under(client, team):
    client.force_login(team.officer)
    client.get(reverse("casework:case-list"))
    expected = ["/pps" + reverse(name) for name, _label in STAFF_LINKS + DOCUMENTS_LINK]
    # As a WSGI server mounted under /pps sets it for each request (the test client does not).
    set_script_prefix("/pps/")
    try:
        response = client.get("/cases/")
    finally:
        set_script_prefix("/")
    assert response.status_code == 200
    assert [href for href, *_ in _links(response.content.decode())] == expected


def test_a_session_without_its_second_factor_is_offered_no_links(team):
    from django.test import Client

    client = Client()
    client.force_login(team.officer)
    response = client.get(reverse("two-factor-setup"))
    assert response.status_code == 200
    assert _links(response.content.decode()) == []
