"""The main navigation of every page: the links of each role, the current page marked, and
the same links after they are worked out once per process (pps/context_processors.py)."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from pps.context_processors import NavGroup, NavLink
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
REPORT_LINKS = [
    ("reports:dashboard", "Dashboard"),
    ("reports:overview", "Overview"),
    ("publications:annual-index", "Annual report"),
    ("publications:benchmarking-index", "Benchmarking"),
    ("quality:index", "Standards"),
    ("reports:evaluation-results", "Evaluation results"),
]
NETWORK_LINK = [("reports:network-index", "Network")]
DATA_LINKS = [
    ("access_requests:request-list", "Subject access"),
    ("retention:due", "Retention"),
    ("transfers:index", "Import and export"),
]
SETTINGS_LINKS = [
    ("casework:codelist-index", "Settings and code lists"),
    ("evaluations:form-list", "Evaluation forms"),
]
COORDINATOR_LINKS = [
    *DOCUMENTS_LINK,
    ("volunteers:register", "Volunteers"),
    *REPORT_LINKS,
    *NETWORK_LINK,
    *DATA_LINKS,
    *SETTINGS_LINKS,
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
        [("evaluations:event-list", "Events"), *DOCUMENTS_LINK, *REPORT_LINKS],
        "evaluations:event-list",
    ),
    # Of no service: the network report only (its link redirects to a year, so the page
    # drawn here is one no link is marked on).
    Role.NETWORK_ANALYST: (NETWORK_LINK, "password_change"),
}
# The header's menus (issue 15: a coordinator's links on one line at 1366 px), each with
# its links in order; a role sees a menu only when it has two links or more for it.
GROUPS = {
    Role.CASE_OFFICER: [],
    Role.ADMIN_SUPPORT: [],
    Role.VOLUNTEER: [],
    Role.NETWORK_ANALYST: [],
    Role.STEERING: [("Reports", REPORT_LINKS)],
    Role.COORDINATOR: [
        ("Reports", REPORT_LINKS + NETWORK_LINK),
        ("Data", DATA_LINKS),
        ("Settings", SETTINGS_LINKS),
    ],
}
_GROUP = re.compile(
    r'<details><summary class="nav-link">([^<]*)</summary>(.*?)</details>', re.DOTALL
)


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


@pytest.mark.parametrize("role", list(GROUPS), ids=lambda role: role.label)
def test_each_roles_menus_hold_their_links(client, team, role):
    """The links a role sees are the same as before the menus came (the test above); this
    checks which of them sit in which menu."""
    client.force_login(team.by_role(role))
    response = client.get(reverse(EXPECTED[role][1]))
    menus = _GROUP.findall(response.content.decode())
    assert [
        (label, [(href, text) for _active, href, _current, text in _LINK.findall(body)])
        for label, body in menus
    ] == [(label, [(reverse(name), text) for name, text in links]) for label, links in GROUPS[role]]


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


def test_a_link_is_shown_to_the_roles_its_page_lets_in(monkeypatch):
    """The menu reads who may open each page from the page's view: widening a view's roles
    widens the menu, with no second list to keep in step."""
    from pps import context_processors
    from volunteers.views import RegisterView

    def shown(role):
        context_processors._links.cache_clear()
        links = context_processors._links(role, "/", None)
        return [link.label for link in links if isinstance(link, context_processors.NavLink)]

    assert "Volunteers" not in shown(Role.STEERING)
    monkeypatch.setattr(RegisterView, "roles", RegisterView.roles | {Role.STEERING})
    assert "Volunteers" in shown(Role.STEERING)
    context_processors._links.cache_clear()


# What templates/base.html drew with a loop before the links were drawn in Python
# (pps.templatetags.pps.site_links).
_TEMPLATE_LOOP = """{% for item in nav %}{% if item.links %}
<li class="nav-item nav-group"><details><summary class="nav-link">{{ item.label }}</summary>
  <ul class="nav-group-links">
    {% for link in item.links %}<li><a class="nav-link{% if path == link.path %} active{% endif %}" href="{{ link.path }}"{% if path == link.path %} aria-current="page"{% endif %}>{{ link.label }}</a></li>
    {% endfor %}
  </ul></details></li>
{% else %}
<li class="nav-item"><a class="nav-link{% if path == item.path %} active{% endif %}" href="{{ item.path }}"{% if path == item.path %} aria-current="page"{% endif %}>{{ item.label }}</a></li>
{% endif %}{% endfor %}"""  # noqa: E501


def _between_tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_links_drawn_in_python_are_the_template_loops(client, team, role):
    client.force_login(team.by_role(role))
    nav = client.get(reverse(EXPECTED[role][1])).context["nav"]
    assert nav
    paths = ["/", "/nowhere/"] + [reverse(name) for name, _label in EXPECTED[role][0]]
    # A made-up item whose words need escaping, as any label or path would.
    odd = NavLink(path="/a?b=1&c=<2>", label="Tom & Jerry's <b>")
    for items in (nav, (*nav, odd, NavGroup(label="<Menu>", links=(odd,)))):
        for path in [*paths, odd.path]:
            context = {"nav": items, "path": path}
            theirs = Template(_TEMPLATE_LOOP).render(Context(context))
            ours = Template("{% load pps %}{% site_links nav path %}").render(Context(context))
            assert _between_tags(ours) == _between_tags(theirs), (role, path)
