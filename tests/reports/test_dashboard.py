"""The steering group dashboard (docs/reporting.md, "The steering group dashboard"): key figures
against the targets, hand-counted; small numbers suppressed for steering members, exact for
coordinators; no personal data; a fixed number of queries; the targets' form."""

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from reports.models import Target
from reports.periods import quarter
from reports.targets import Measure, Status, Thresholds
from tests import clock, factories
from tests.evaluations import records
from volunteers.actions import record_supervision
from volunteers.models import SupervisionKind

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
# The default period on TODAY: the latest complete quarter.
Q3 = quarter(2026, 3)
NAMES = [f"Quillfeather{n}" for n in range(6)]


def _fill(team, *, extra_cases=0, extra_volunteers=0):
    """The fixture of July to September 2026 for the team's service, returning its cases.

    By hand:
    - 6 cases received and opened on Monday 6 July 2026; the first staff contact of 5 is on
      Tuesday 7 July (1 working day: within the standard of 2), of 1 on Friday 10 July
      (4 working days: later). Approaches 6, within 5: 83.3%.
    - Contacts 6; new cases 6, brought forward 0, closed 0, carried forward 6, casework
      total 6.
    - 5 parent forms sent on 3 August; 4 returned, answering "How helpful" Good, Good,
      Excellent and Satisfactory: return rate 4/5 = 80%, satisfaction 3/4 = 75%.
    - Active IPS on 30 September: the team's volunteer (active since 2020, never
      supervised: overdue) and 5 more, each supervised on 1 September 2026 (in time):
      6 active, 5 up to date, 83.3%.
    """
    service, officer = team.service, team.officer
    cases = []
    for n, name in enumerate(NAMES):
        # Names no page could hold by chance (a first name "Ann" is in "Annual report").
        parent = factories.ParentFactory(service=service, first_name=f"Quenbert{n}", last_name=name)
        child = factories.ChildFactory(
            service=service, first_name=f"Zephyrine{n}", date_of_birth=date(2015, 3, n + 1)
        )
        case = factories.open_case(
            service, officer, opened_on=date(2026, 7, 6), parent=parent, child=child
        )
        first = date(2026, 7, 10) if n == 0 else date(2026, 7, 7)
        factories.log_contact(case, officer, on=first, note=f"Marmalade{n} private note")
        cases.append(case)
    for n in range(extra_cases):
        # Opened before the eight quarters: none of the figures above changes.
        factories.open_case(service, officer, opened_on=date(2023, 1, 9 + n % 15))
    form = records.form_of(service, "parent")
    answers = ["Good", "Good", "Excellent", "Satisfactory"]
    for n in range(5):
        sending = records.send(form, officer, date(2026, 8, 3))
        if n < len(answers):
            records.answer(sending, officer, date(2026, 8, 20), helpfulness=answers[n])
    for _ in range(5 + extra_volunteers):
        volunteer = factories.make_volunteer(service, since=date(2025, 1, 6))
        record_supervision(
            volunteer=volunteer,
            on=date(2026, 9, 1),
            by=team.coordinator,
            kind=SupervisionKind.SUPERVISION,
        )
    return cases


def _figure(response, measure):
    return next(f for f in response.context["dashboard"].key_figures if f.measure == measure)


@clock.on(TODAY)
def test_a_coordinator_sees_the_hand_counted_figures_of_the_latest_complete_quarter(client, team):
    _fill(team)
    client.force_login(team.coordinator)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert board.period == Q3
    assert [q.label for q in (board.quarters[0], board.quarters[-1])] == [
        "October to December 2024",
        "July to September 2026",
    ]
    figures = {
        f.measure: (f.value, f.out_of, f.green, f.amber, f.status) for f in board.key_figures
    }
    # Defaults (reports.targets.DEFAULTS); satisfaction's green is the service's 85%.
    assert figures == {
        Measure.RESPONSE_TIME: ("83.3%", "6", "90%", "75%", Status.AMBER),
        # 75% is the amber threshold itself (85 - 10): amber.
        Measure.SATISFACTION: ("75%", "4", "85%", "75%", Status.AMBER),
        Measure.RETURN_RATE: ("80%", "5", "30%", "20%", Status.GREEN),
        Measure.IPS_AVAILABLE: ("6", "", "10", "5", Status.AMBER),
        Measure.SUPERVISION: ("83.3%", "6", "90%", "75%", Status.AMBER),
    }
    assert dict(board.casework.rows) == {
        "Contacts (casework and substantial enquiries)": 6,
        "Cases brought forward": 0,
        "New cases": 6,
        "Re-opened cases": 0,
        "Cases closed": 0,
        "Cases carried forward": 6,
        "Casework total (cases open during the period)": 6,
    }
    # The trend's last row is the quarter shown; the seven before it are empty.
    assert board.trend_counts.rows[-1] == ("July to September 2026", 6, 6, 0, 6)
    assert board.trend_counts.rows[0] == ("October to December 2024", 0, 0, 0, 0)
    assert board.trend_measures.rows[-1] == (
        "July to September 2026",
        "83.3%",
        "75%",
        "80%",
        6,
        "83.3%",
    )
    shares, counts = response.context["charts"]
    # A sentence per series in the text alternative (reports.charts): the last quarter's
    # response share and supervision 83.3, satisfaction 75, return rate 80; 6 and 6 cases.
    for value in ("83.3", "75", "80"):
        assert f"July to September 2026 {value}." in shares.alt or (
            f"July to September 2026 {value};" in shares.alt
        )
    assert shares.alt.count("July to September 2026 83.3") == 2
    assert counts.alt.count("July to September 2026 6") == 2
    html = response.content.decode()
    assert shares.data_uri in html
    assert "Amber: below target" in html and "Green: on target" in html
    assert reverse("reports:targets") in html


@clock.on(TODAY)
def test_a_steering_member_sees_small_numbers_suppressed_and_no_status_for_them(client, team):
    _fill(team)
    client.force_login(team.steering)
    response = client.get(reverse("reports:dashboard"))
    figures = {
        f.measure: (f.value, f.out_of, f.status, f.status_words)
        for f in response.context["dashboard"].key_figures
    }
    hidden = "hidden (fewer than 5)"
    not_shown = "Not shown: the figure is hidden"
    assert figures == {
        # 5 within of 6: neither small.
        Measure.RESPONSE_TIME: ("83.3%", "6", Status.AMBER, "Amber: below target"),
        # 3 satisfied of 4 answered: both small.
        Measure.SATISFACTION: (hidden, "fewer than 5", None, not_shown),
        # 4 returned of 5 sent: 4 is small.
        Measure.RETURN_RATE: (hidden, "5", None, not_shown),
        Measure.IPS_AVAILABLE: ("6", "", Status.AMBER, "Amber: below target"),
        # 5 of 6 up to date: the 1 overdue would point at a volunteer.
        Measure.SUPERVISION: (hidden, "6", None, not_shown),
    }
    # The chart draws only what the table shows: no bar for a hidden figure.
    shares = response.context["charts"][0]
    assert "July to September 2026 83.3" in shares.alt
    assert shares.alt.count(f"July to September 2026 ({hidden})") == 3
    assert "July to September 2026 75" not in shares.alt
    html = response.content.decode()
    row = re.search(r"Parent satisfaction.*?</tr>", html, re.S).group(0)
    assert "hidden (fewer than 5)" in row and "Not shown" in row
    assert "Amber:" not in row and "rag-amber" not in row
    # The coordinator's link to the targets is not offered.
    assert reverse("reports:targets") not in html


@clock.on(TODAY)
def test_steering_pages_and_csv_hold_no_name_note_birth_date_or_reference(client, team):
    cases = _fill(team)
    client.force_login(team.steering)
    page = client.get(reverse("reports:dashboard")).content.decode()
    export = client.get(reverse("reports:dashboard-export"))
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode()
    for case in cases:
        child = case.child
        for secret in [
            case.parent.last_name,
            case.parent.first_name,
            child.first_name,
            case.reference,
            date_format(child.date_of_birth),
            child.date_of_birth.isoformat(),
            *case.contacts.values_list("note", flat=True),
        ]:
            assert secret not in page
            assert secret not in text
    assert "Marmalade" not in page + text


@clock.on(TODAY)
def test_the_csv_holds_the_tables_of_the_page(client, team):
    _fill(team)
    client.force_login(team.coordinator)
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("reports:dashboard-export")).content.decode()))
    )
    assert rows[1] == ["Period", "July to September 2026: 1 July 2026 to 30 September 2026"]
    assert [
        "Approaches answered within the response standard",
        "83.3%",
        "6",
        "90%",
        "75%",
        "Amber: below target",
    ] in rows
    assert ["July to September 2026", "6", "6", "0", "6"] in rows


@clock.on(TODAY)
@pytest.mark.parametrize(
    ("choice", "label", "new"),
    [
        ("term-2026-summer", "Summer term 2026", 6),
        ("term-2026-autumn", "Autumn term 2026", 0),
        ("year-2025", "2025/26", 6),
        ("quarter-2026-4", "October to December 2026", 0),
    ],
)
def test_a_term_quarter_or_year_may_be_chosen(client, team, choice, label, new):
    _fill(team)
    client.force_login(team.coordinator)
    response = client.get(reverse("reports:dashboard"), {"period": choice})
    board = response.context["dashboard"]
    assert board.period.label == label
    assert dict(board.casework.rows)["New cases"] == new
    # The trends end with the quarter holding the period's last day, or today's.
    assert board.quarters[-1].last >= min(board.period.last, TODAY) >= board.quarters[-1].first


@clock.on(TODAY)
def test_a_period_not_offered_is_refused_beside_the_field(client, team):
    client.force_login(team.steering)
    response = client.get(reverse("reports:dashboard"), {"period": "quarter-1999-1"})
    assert response.status_code == 200
    assert response.context["dashboard"] is None
    assert "is not one of the available choices" in response.content.decode()
    assert client.get(reverse("reports:dashboard-export"), {"period": "x"}).status_code == 200


@clock.on(TODAY)
@pytest.mark.parametrize("role", ["steering", "coordinator"])
def test_the_dashboard_costs_the_same_queries_whatever_the_data(client, team, role):
    user = getattr(team, role)

    def count():
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:dashboard")).status_code == 200
        return len(queries)

    empty = count()
    _fill(team, extra_cases=20, extra_volunteers=10)
    full = count()
    assert full == empty
    # Signing in's own (session, user, device, service) and the dashboard's 3, with the
    # access log's row: at most 10.
    assert full <= 10


@clock.on(TODAY)
def test_steering_members_land_on_the_dashboard(client, team):
    client.force_login(team.steering)
    assert client.get(reverse("home")).url == reverse("reports:dashboard")
    # The overview stays for the annual figures.
    assert client.get(reverse("reports:overview")).status_code == 200


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (90, Status.GREEN),  # equal to green: green
        (89.9, Status.AMBER),
        (75, Status.AMBER),  # equal to amber: amber
        (74.9, Status.RED),
        (0, Status.RED),
        (None, None),  # no figure: no status
    ],
)
def test_a_figure_is_rated_green_at_its_green_threshold_and_amber_at_its_amber(value, status):
    assert Thresholds(Measure.RESPONSE_TIME, 90, 75).rate(value) == status


def test_equal_thresholds_leave_no_amber():
    thresholds = Thresholds(Measure.IPS_AVAILABLE, 6, 6)
    assert [thresholds.rate(v) for v in (5, 6, 7)] == [Status.RED, Status.GREEN, Status.GREEN]


def _targets_data(client):
    """The targets form as the page offers it."""
    form = client.get(reverse("reports:targets")).context["form"]
    return {name: form[name].value() for name in form.fields}


@clock.on(TODAY)
def test_a_coordinator_sets_the_targets_and_the_status_follows(client, team):
    _fill(team)
    client.force_login(team.coordinator)
    data = _targets_data(client) | {
        # 6 active IPS: equal to green 6 is green.
        "ips_available_green": 6,
        "ips_available_amber": 4,
        # 83.3% within: below amber 84 is red.
        "response_time_green": 95,
        "response_time_amber": 84,
        "satisfaction_amber": 70,
    }
    response = client.post(reverse("reports:targets"), data)
    assert response.status_code == 302
    assert response.url == reverse("reports:dashboard")
    board = client.get(reverse("reports:dashboard")).context["dashboard"]
    statuses = {f.measure: f.status for f in board.key_figures}
    assert statuses[Measure.IPS_AVAILABLE] == Status.GREEN
    assert statuses[Measure.RESPONSE_TIME] == Status.RED
    # 75% satisfied, amber from 70, green from the service's 85: amber.
    assert statuses[Measure.SATISFACTION] == Status.AMBER
    rows = {
        t.measure: (t.green, t.amber, t.version)
        for t in Target.objects.filter(service=team.service)
    }
    assert rows[Measure.SATISFACTION] == (None, 70, 1)
    assert rows[Measure.IPS_AVAILABLE] == (6, 4, 1)
    # Every row has its history, with who saved it.
    assert Target.history.filter(service=team.service, history_user=team.coordinator).count() == 5
    # Saving again unchanged writes no new version.
    client.post(reverse("reports:targets"), _targets_data(client))
    assert Target.objects.get(service=team.service, measure=Measure.IPS_AVAILABLE).version == 1


@clock.on(TODAY)
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"return_rate_green": 30, "return_rate_amber": 40},
            "return_rate_amber",
            "The amber threshold must not be above the green one (30).",
        ),
        # Satisfaction's green is the service's target (85%).
        (
            {"satisfaction_amber": 86},
            "satisfaction_amber",
            "The amber threshold must not be above the green one (85).",
        ),
        (
            {"supervision_green": 101},
            "supervision_green",
            "Ensure this value is less than or equal to 100.",
        ),
        ({"ips_available_amber": ""}, "ips_available_amber", "This field is required."),
        # Beyond any service's aim, and beyond what the column holds: refused, not a 500.
        (
            {"ips_available_green": "99999999999"},
            "ips_available_green",
            "less than or equal to 10000",
        ),
        ({"response_time_green": "-1"}, "response_time_green", "greater than or equal to 0"),
    ],
)
def test_the_targets_form_refuses_bad_thresholds_beside_the_field(
    client, team, changes, field, message
):
    client.force_login(team.coordinator)
    response = client.post(reverse("reports:targets"), _targets_data(client) | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Target.objects.filter(service=team.service).exists()


@clock.on(TODAY)
def test_two_coordinators_cannot_overwrite_each_others_targets(client, team):
    client.force_login(team.coordinator)
    opened = _targets_data(client)
    # A colleague saves first, from a form opened at the same time.
    colleague = factories.UserFactory(service=team.service, role=team.coordinator.role)
    other = factories.VerifiedClient()
    other.force_login(colleague)
    assert (
        other.post(reverse("reports:targets"), opened | {"return_rate_green": 50}).status_code
        == 302
    )
    response = client.post(reverse("reports:targets"), opened | {"return_rate_green": 40})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved the targets after you opened them" in html
    # Their saved value is shown; ours is still in the form, now at their version.
    assert ("Parent evaluation return rate", "50%", "20%") in response.context["conflict"]
    form = response.context["form"]
    assert form["return_rate_green"].value() in ("40", 40)
    assert str(form["return_rate_version"].value()) == "1"
    assert Target.objects.get(service=team.service, measure=Measure.RETURN_RATE).green == 50
    # Saving again is deliberate: it now keeps ours.
    data = {name: form[name].value() for name in form.fields}
    assert client.post(reverse("reports:targets"), data).status_code == 302
    assert Target.objects.get(service=team.service, measure=Measure.RETURN_RATE).green == 40


@clock.on(TODAY)
def test_another_services_targets_are_not_this_ones(client, team, other_team):
    Target.objects.create(
        service=other_team.service, measure=Measure.IPS_AVAILABLE, green=1, amber=0
    )
    client.force_login(team.coordinator)
    form = client.get(reverse("reports:targets")).context["form"]
    assert form["ips_available_green"].value() == 10
