"""The annual report as laid out for each reader (publications/annual.py), against the hand
counts of the fixture service of tests/reports/test_annual_figures.py (its docstrings give
every count): the coordinator's exact tables, the steering group's suppressed ones, the same
figures in the JSON, workbook and CSV, and a number of queries that does not grow."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pps.access import service_scope
from pps.disclosure import FEWER_THAN_5
from pps.models import User
from publications.annual import gather, present
from reports.periods import academic_year
from reports.presenters import Disclosure
from tests import clock, factories
from tests.reports.test_annual_figures import service  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

YEAR = academic_year(2025)
TODAY = date(2026, 11, 24)


def report_for(team, *, exact):
    with service_scope(team.service.pk):
        return present(gather(team.service, YEAR), Disclosure(exact=exact))


def column(table, label):
    index = table.header.index(label)
    return {row[0]: row[index] for row in (*table.rows, *table.foot)}


def test_the_coordinators_report_holds_the_hand_counts(service):  # noqa: F811
    report = report_for(service, exact=True)
    assert [part.heading for part in report.parts] == [
        "Snapshot",
        "The year in our words",
        "Performance monitoring",
        "Case movements",
        "Telephone and web activity",
        "Cases by type",
        "Areas of need",
        "Who we worked with",
        "Bullying and exclusions",
        "Evaluations",
        "Events",
        "Independent Parental Supporters",
        "Appendices",
    ]
    snapshot = dict(report.table("snapshot-2025-26").rows)
    assert snapshot == {
        "Contacts (casework and substantial enquiries)": 5,
        "New cases": 4,
        "Website visits": 95,
        "Training sessions given": 2,
        "Staff (people)": 3,
        "Staff (full-time equivalent)": "1.6",
    }
    performance = report.table("performance-2025-26")
    assert performance.rows[0] == ("September", "1", 3, 2, 3, "3.5")
    assert performance.rows[2] == ("November", "0", 0, 2, 3, "0")
    assert performance.foot == (("Total", "1.8", 5, 5, 4, "6.8"),)
    # Three years of the table: this one and the two before.
    assert report.table("performance-2023-24") is not None
    # A brought forward; B, C, F, G new; B re-opened twice; A, B twice and G closed: 1 + 4
    # + 2 - 4 = 3 carried forward (B, C, F); A, B, C, F, G open during the year.
    movements = report.table("case-movements-2025-26")
    assert [row[1] for row in movements.rows] == [1, 4, 2, 4, 3]
    assert movements.foot[0][1] == 5
    assert column(report.table("cases-by-gender-2025-26"), "2025/26") == {
        "Male": 3,
        "Female": 2,
        "Other": 0,
        "Not known": 0,
        "Casework total": 5,
    }
    assert column(report.table("cases-by-age-group-2025-26"), "2024/25")["Junior"] == 1
    needs = report.table("areas-of-need-2025-26")
    assert needs.rows[0] == ("Cognition and learning", 0, 0, 0, 2, "+2")
    bullying = report.table("bullying-and-exclusions-2025-26")
    assert bullying.rows == (
        ("Bullying", 2, 1, 3),
        ("Unofficial exclusion", 1, 1, 2),
        ("Official exclusion", 1, 1, 2),
    )
    ethnicity = report.table("ethnicity-2025-26")
    assert [row[1:] for row in ethnicity.rows] == [(2, "66.7%"), (1, "33.3%")]
    assert ethnicity.foot == (("Told us", 3, ""), ("Not stated", 1, ""))
    calls = report.table("calls-summary-2025-26")
    assert calls.rows[0] == ("Incoming", "100", 60, 140, 3, "+25%")
    assert calls.rows[1] == ("Outgoing", "200", 200, 200, 1, "not recorded")
    ips = dict(report.table("ips-2025-26").rows)
    assert ips["Active at any time in the year"] == 4
    assert ips["Casework hours (monthly returns)"] == "6.8"
    # The officer's name is printed for the coordinator, with the cases they hold.
    officers = column(report.table("cases-by-officer-2025-26"), "Cases")
    assert officers[service.officer.get_full_name()] == 3


def test_every_breakdown_sums_to_the_casework_total(service):  # noqa: F811
    report = report_for(service, exact=True)
    for table in report.tables:
        if not table.foot or table.foot[0][0] != "Casework total":
            continue
        for n in range(1, len(table.header)):
            if table.header[n] == "Change on last year":
                continue
            assert sum(row[n] for row in table.rows) == table.foot[0][n], (table.slug, n)


CASE_TABLES = (
    "case-movements",
    "cases-by",
    "areas-of-need",
    "needs-by",
    "ethnicity",
    "referral-routes",
    "top-reasons",
    "bullying",
)


def test_the_steering_group_sees_no_small_number_and_no_name(service):  # noqa: F811
    # Surnames no report could hold by chance (Faker's "White" is also an ethnicity).
    staff = (service.officer, service.coordinator, service.support)
    for n, user in enumerate(staff):
        User.objects.filter(pk=user.pk).update(last_name=f"Staffname{n}")
        user.refresh_from_db()
    report = report_for(service, exact=False)
    for table in report.tables:
        if not table.slug.startswith(CASE_TABLES):
            continue
        for row in (*table.rows, *table.foot):
            for cell in row[1:]:
                assert not (isinstance(cell, int) and 0 < cell < 5), (table.slug, row)
    gender = column(report.table("cases-by-gender-2025-26"), "2025/26")
    assert gender["Male"] == gender["Female"] == FEWER_THAN_5
    assert report.table("cases-by-officer-2025-26") is None
    assert report.table("team-2025-26") is None
    words = repr(report)
    for user in staff:
        assert not re.search(rf"\b{re.escape(user.last_name)}\b", words), user.last_name
    # The month's hours beside fewer than 5 volunteers would be one or two people's work.
    assert report.table("performance-2025-26").rows[0][5] == Disclosure.HIDDEN


def test_the_steering_members_page_and_exports_hold_no_personal_data(client, service):  # noqa: F811
    """Search the page and every export for each name, date of birth and reference."""
    from casework.models import Case, Child, Parent
    from pps.models import User

    # Names no page could hold by chance (Faker's "White" is also an ethnicity).
    for n, parent in enumerate(Parent.objects.filter(service=service.service)):
        Parent.objects.filter(pk=parent.pk).update(last_name=f"Quillfeather{n}")
    for n, child in enumerate(Child.objects.filter(service=service.service)):
        Child.objects.filter(pk=child.pk).update(first_name=f"Zephyrine{n}")
    for n, user in enumerate((service.officer, service.coordinator)):
        User.objects.filter(pk=user.pk).update(last_name=f"Staffname{n}")
    cases = list(Case.objects.select_related("parent", "child").filter(service=service.service))
    words = {"Staffname0", "Staffname1"}
    for case in cases:
        words |= {case.reference, case.parent.last_name, case.child.first_name}
        if case.child.date_of_birth:
            words.add(f"{case.child.date_of_birth:%-d %B %Y}")
            words.add(case.child.date_of_birth.isoformat())
    client.force_login(service.steering)
    with clock.on(TODAY):
        answers = [
            client.get(reverse(name, args=[2025]))
            for name in (
                "publications:annual-report",
                "publications:annual-json",
                "publications:annual-xlsx",
            )
        ]
        answers.append(
            client.get(reverse("publications:annual-csv", args=[2025, "snapshot-2025-26"]))
        )
    for answer in answers:
        assert answer.status_code == 200
    texts = [answers[0].content.decode(), answers[1].content.decode(), answers[3].content.decode()]
    book = load_workbook(io.BytesIO(answers[2].content))
    texts.append(" ".join(str(c.value) for s in book for r in s.iter_rows() for c in r))
    for text in texts:
        for word in words:
            assert word not in text, word


def test_the_json_workbook_and_csv_hold_the_pages_figures(client, service):  # noqa: F811
    client.force_login(service.coordinator)
    with clock.on(TODAY):
        page = client.get(reverse("publications:annual-report", args=[2025]))
        document = json.loads(client.get(reverse("publications:annual-json", args=[2025])).content)
        book = load_workbook(
            io.BytesIO(client.get(reverse("publications:annual-xlsx", args=[2025])).content)
        )
        one = client.get(reverse("publications:annual-csv", args=[2025, "case-movements-2025-26"]))
    report = page.context["report"]
    assert [t["slug"] for t in document["tables"]] == [t.slug for t in report.tables]
    movements = next(t for t in document["tables"] if t["slug"] == "case-movements-2025-26")
    assert [row[1] for row in movements["rows"]] == [1, 4, 2, 4, 3]
    assert len(book.sheetnames) == len(report.tables)
    rows = list(csv.reader(io.StringIO(one.content.decode("utf-8-sig"))))
    assert ["New", "4"] in rows
    assert (
        client.get(reverse("publications:annual-csv", args=[2025, "no-such-table"])).status_code
        == 404
    )


def test_the_report_reads_the_same_number_of_queries_whatever_the_records(
    service,  # noqa: F811
    django_assert_max_num_queries,
):
    with service_scope(service.service.pk):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as first:
            gather(service.service, YEAR)
    for n in range(6):
        case = factories.open_case(
            service.service, service.officer, opened_on=date(2025, 10, 1 + n)
        )
        factories.log_contact(case, service.officer)
    with service_scope(service.service.pk), django_assert_max_num_queries(len(first)):
        gather(service.service, YEAR)
    assert len(first) <= 30
