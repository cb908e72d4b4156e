"""A list's first page read through a query compiled once (pps.prepared.PreparedPages, issue
11) shows exactly the rows the ORM reads, in every order the table offers, and the list's
length as the ORM counts it; anything that filters the list, and any later page, is read
through the ORM as before."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from casework import queries
from casework.views.cases import CaseListView
from pps.access import service_scope
from pps.prepared import PreparedPages
from tests import factories

pytestmark = pytest.mark.django_db

ORDERS = [
    "",
    "sort=reference",
    "sort=-reference",
    "sort=parent",
    "sort=-child",
    "sort=officer",
    "sort=-locality",
    "sort=status",
    "sort=opened_on",
    "sort=-last_contact_on",
]


@pytest.fixture
def read(monkeypatch):
    """The pages PreparedPages was asked for, and what it answered (None: the ORM)."""
    asked = []
    original = PreparedPages.rows

    def rows(self, user, sliced):
        found = original(self, user, sliced)
        asked.append(None if found is None else [record.pk for record in found])
        return found

    monkeypatch.setattr(PreparedPages, "rows", rows)
    return asked


def _table(response) -> str:
    """The table and its pagination."""
    assert response.status_code == 200
    page = response.content.decode()
    return re.search(r"<table.*</table>(?:.*?</nav>)?", page, re.S).group()


@pytest.fixture
def counted(monkeypatch):
    """The lists PreparedPages counted, and the counts."""
    counts = []
    original = PreparedPages.count

    def count(self, user):
        counts.append(original(self, user))
        return counts[-1]

    monkeypatch.setattr(PreparedPages, "count", count)
    return counts


def _first_pages_are_the_orms(
    client, url, orders, view, read, counted, monkeypatch, *, count=30, shows=""
):
    """In each order, the list's first page read through PreparedPages (25 rows, the list
    counted once) is the table and pagination the ORM's reading gives."""
    for order in orders:
        address = f"{url}?{order}"
        counted.clear()
        prepared = _table(client.get(address))
        assert read and read[-1] is not None and len(read[-1]) == 25, order
        assert counted == [count], order
        assert "page=2" in prepared and shows in prepared
        with monkeypatch.context() as plain:
            plain.setattr(view, "prepared_pages", None)
            assert _table(client.get(address)) == prepared, order


def _cases(team, number):
    for index in range(number):
        officer = team.coordinator if index % 3 == 0 else team.officer
        factories.open_case(team.service, team.officer, officer=officer)


@pytest.mark.parametrize("user", ["coordinator", "officer"])
def test_the_first_page_in_every_order_is_the_orms(client, team, read, counted, monkeypatch, user):
    _cases(team, 30)
    client.force_login(getattr(team, user))
    url = reverse("casework:case-list")
    _first_pages_are_the_orms(client, url, ORDERS, CaseListView, read, counted, monkeypatch)


def test_a_filter_or_a_later_page_is_read_by_the_orm(client, team, read, counted):
    _cases(team, 30)
    client.force_login(team.coordinator)
    url = reverse("casework:case-list")
    for query in ("status=open", "q=a", "officer=" + str(team.officer.pk), "status=%20"):
        read.clear()
        assert _table(client.get(f"{url}?{query}"))
        assert read == [] and counted == [], query
    read.clear()
    later = _table(client.get(f"{url}?page=2"))
    assert read == [None]
    assert later.count("<tr") == 5 + 1  # five cases and the header


def test_an_empty_filter_is_no_filter(client, team, read):
    _cases(team, 3)
    client.force_login(team.officer)
    url = reverse("casework:case-list")
    page = _table(client.get(f"{url}?q=&status=&officer=&sort=-opened_on"))
    assert read and read[-1] is not None and len(read[-1]) == 3
    assert page.count("<tr") == 3 + 1


@pytest.mark.parametrize("user", ["coordinator", "officer"])
def test_the_count_is_the_orms_for_each_service(team, other_team, user):
    _cases(team, 7)
    _cases(other_team, 3)
    pages = PreparedPages(queries.case_list_page)
    for each, expected in ((team, 7), (other_team, 3), (team, 7)):
        reader = getattr(each, user)
        with service_scope(each.service.pk):
            assert queries.case_list_page(reader).count() == expected
            assert pages.count(reader) == expected


REGISTER_ORDERS = [
    "",
    "sort=name",
    "sort=-name",
    "sort=role",
    "sort=-status",
    "sort=status_since",
    "sort=-last_supervision",
    "sort=dbs_renewal_due_on",
    "sort=-languages",
]


def test_the_registers_first_page_in_every_order_is_the_orms(
    client, team, other_team, read, counted, monkeypatch
):
    """The register's rows carry annotations (status dates, the last supervision) and the
    localities each volunteer covers, read by a prefetch after the compiled query."""
    from volunteers import actions as volunteer_actions
    from volunteers.views.register import RegisterView

    localities = list(team.service.localities.order_by("pk"))
    statuses = ("active", "enquirer", "in_training", "paused", "left")
    for index in range(29):
        volunteer = factories.make_volunteer(
            team.service,
            status=statuses[index % len(statuses)],
            since=dt.date(2025, 1, 1) + dt.timedelta(days=index * 7),
            localities=localities[: index % 4],
            languages="Polish" if index % 3 else "",
            dbs_renewal_due_on=dt.date(2027, 1, 1) + dt.timedelta(days=index % 5),
        )
        if index % 2:
            volunteer_actions.record_supervision(
                volunteer=volunteer,
                on=dt.date(2026, 6, 1) + dt.timedelta(days=index),
                by=team.coordinator,
                kind="supervision",
            )
    factories.make_volunteer(other_team.service)
    client.force_login(team.coordinator)
    url = reverse("volunteers:register")
    # 29 volunteers and the team's own; the localities come from the prefetch.
    _first_pages_are_the_orms(
        client, url, REGISTER_ORDERS, RegisterView, read, counted, monkeypatch, shows="North"
    )
