"""The network report (docs/reporting.md, "The network report"): the services that take part,
each under a number, suppressed, without names or personal data; a service that does not take
part is absent and its coordinator sees nothing of the others; analysts see no personal page;
the page's queries do not grow with the network."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.models import NetworkSummary, YearlyDenominators
from reports.network_report import service_numbers
from reports.periods import financial_year, financial_year_of
from tests import factories
from tests.conftest import make_team
from tests.factories import VerifiedClient

pytestmark = pytest.mark.django_db

# The last financial year that has ended, whatever day the suite runs.
YEAR = financial_year(financial_year_of(timezone.localdate()) - 1)
# Parents' surnames no page word can match (so "no personal data" means something).
SURNAME = "Qwxfamily"


def families(team, count, token):
    """`count` cases opened ten days into the year, each with one contact ten days later:
    `count` service users. Returns the cases."""
    cases = []
    for n in range(count):
        parent = factories.ParentFactory(service=team.service, last_name=f"{SURNAME}{token}{n}")
        child = factories.ChildFactory(service=team.service, first_name=f"Zvchild{token}{n}")
        case = factories.open_case(
            team.service,
            team.officer,
            opened_on=YEAR.first + dt.timedelta(days=10),
            parent=parent,
            child=child,
        )
        factories.log_contact(case, team.officer, on=YEAR.first + dt.timedelta(days=20))
        cases.append(case)
    return cases


def take_part(team, **entered):
    team.service.network_member = True
    team.service.save()
    if entered:
        YearlyDenominators.objects.create(service=team.service, year=YEAR.first.year, **entered)


@pytest.fixture
def network(team, other_team):
    """Northshire (6 service users) and Southshire (2) take part; Westshire (7) does not."""
    outside = make_team("Westshire PPS")
    cases = families(team, 6, "n") + families(other_team, 2, "s") + families(outside, 7, "w")
    take_part(
        team,
        population_0_19=50_000,
        funding=100_000,
        pupils_with_sen=2_000,
        pupils_on_fsm=4_000,
        paid_staff_fte=2.5,
    )
    take_part(other_team, population_0_19=40_000, funding=80_000)
    return team, other_team, outside, cases


def page(user, year=YEAR):
    client = VerifiedClient()
    client.force_login(user)
    return client.get(reverse("reports:network", kwargs={"year": year.first.year}))


def table_csv(user, slug, year=YEAR):
    client = VerifiedClient()
    client.force_login(user)
    return client.get(
        reverse("reports:network-csv", kwargs={"year": year.first.year, "table": slug})
    )


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def numbers(team, other_team):
    found = service_numbers(YEAR, [team.service.pk, other_team.service.pk])
    return found[team.service.pk], found[other_team.service.pk]


def test_the_analyst_sees_numbered_services_suppressed_with_mean_and_median(network):
    team, other_team, _outside, _ = network
    north, south = numbers(team, other_team)
    response = table_csv(team.analyst, "service-users")
    assert response.status_code == 200
    # By hand: Northshire 6 service users (shown), Southshire 2 (fewer than 5), highest
    # first; the mean and median are of the one figure shown.
    assert rows_of(response) == [
        ["Service", "service users"],
        [f"Service {north}", "6"],
        [f"Service {south}", "fewer than 5"],
        ["Services with a figure shown", "1"],
        ["Mean", "6.0"],
        ["Median", "6.0"],
    ]
    # Funding per service user: 100,000 / 6 = 16,666.67; Southshire's is made from 2
    # users, so hidden.
    assert rows_of(table_csv(team.analyst, "funding-per-service-user"))[1:3] == [
        [f"Service {north}", "16666.67"],
        [f"Service {south}", "hidden (fewer than 5)"],
    ]
    # Funding per head: 100,000 / 50,000 = 2.0 and 80,000 / 40,000 = 2.0 (ties by number).
    per_head = rows_of(table_csv(team.analyst, "funding-per-head"))
    assert sorted(per_head[1:3]) == sorted(
        [[f"Service {north}", "2.0"], [f"Service {south}", "2.0"]]
    )
    assert per_head[3:] == [
        ["Services with a figure shown", "2"],
        ["Mean", "2.0"],
        ["Median", "2.0"],
    ]
    # Southshire entered no pupils: its funding per SEN pupil was not recorded.
    # Northshire: 100,000 / 2,000 = 50.0.
    assert rows_of(table_csv(team.analyst, "funding-per-sen-pupil"))[1:3] == [
        [f"Service {north}", "50.0"],
        [f"Service {south}", "not recorded"],
    ]


def test_the_page_names_no_service_and_no_family(network):
    team, _other_team, _outside, cases = network
    for reader in (team.analyst, team.coordinator):
        response = page(reader)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Southshire" not in content
        assert "Westshire" not in content
        assert SURNAME not in content
        assert "Zvchild" not in content
        for case in cases:
            assert case.reference not in content
    # The analyst belongs to no service: not even Northshire is named to them.
    assert "Northshire" not in page(team.analyst).content.decode()


def test_the_coordinator_sees_their_own_service_highlighted(network):
    team, other_team, *_ = network
    north, south = numbers(team, other_team)
    content = page(team.coordinator).content.decode()
    assert f"Service {north} (your service)" in content
    assert f"Service {south} (your service)" not in content
    assert f"Highlighted: Service {north} (your service)." in content
    assert "(your service)" not in page(team.analyst).content.decode()
    # The other coordinator sees the same numbers, their own marked.
    other = page(other_team.coordinator).content.decode()
    assert f"Service {south} (your service)" in other
    assert f"Service {north}</th>" in other


def test_a_service_that_does_not_take_part_is_absent(network):
    team, _other_team, outside, _ = network
    # Two services in every table: Westshire's 7 service users are nowhere.
    rows = rows_of(table_csv(team.analyst, "service-users"))
    assert len(rows) == 1 + 2 + 3
    assert ["Services with a figure shown", "1"] in rows
    assert not NetworkSummary.objects.filter(service=outside.service).exists()
    # Its coordinator is told so, sees no other service's figures, and gets no CSV.
    response = page(outside.coordinator)
    assert response.status_code == 200
    content = response.content.decode()
    assert "does not take part" in content
    assert "Service 1" not in content
    assert table_csv(outside.coordinator, "service-users").status_code == 403


def test_summaries_are_built_on_demand_and_then_read(network):
    team, _other_team, *_ = network
    assert not NetworkSummary.objects.exists()
    page(team.analyst)
    # Twelve months of each taking-part service.
    assert NetworkSummary.objects.count() == 24


def test_the_page_costs_the_same_queries_however_large_the_network(network):
    team, _other_team, outside, _ = network
    page(team.analyst)  # builds the summaries

    def queries():
        client = VerifiedClient()
        client.force_login(team.analyst)
        url = reverse("reports:network", kwargs={"year": YEAR.first.year})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    # A third service joins with its records: the summaries are built for it once.
    take_part(outside, population_0_19=30_000)
    families(outside, 3, "x")
    page(team.analyst)
    assert queries() == small
    # Signing in (session, user, device) and the page: the taking-part services, their
    # summaries and their entered figures.
    assert small <= 8


def test_other_readers_are_refused(network):
    team, *_ = network
    for reader in (team.officer, team.support, team.steering, team.volunteer):
        assert page(reader).status_code == 403
        assert table_csv(reader, "service-users").status_code == 403


def test_only_recent_years_and_known_tables(network):
    team, *_ = network
    assert page(team.analyst, financial_year(YEAR.first.year - 10)).status_code == 404
    assert table_csv(team.analyst, "no-such-table").status_code == 404


def test_analysts_are_refused_every_personal_page(team, other_team):
    """The pages tests/pps/test_audit_pages.py marks as showing personal data, each with
    this service's record: a network analyst gets none of them."""
    from tests.pps.test_audit_pages import PERSONAL
    from tests.test_access_matrix import RULES, build_world

    world = build_world(team)
    client = VerifiedClient()
    client.force_login(team.analyst)
    refused = {}
    for name in sorted(PERSONAL):
        rule = RULES[name]
        url = reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)
        refused[name] = client.get(url).status_code
    assert refused == dict.fromkeys(sorted(PERSONAL), 403)
    assert len(refused) > 20


def test_self_assessment_levels_count_each_services_latest_on_the_shipped_framework(network):
    from tests.quality import factories as quality

    team, other_team, outside, _ = network
    exemplars = "dcsf-exemplars-2007"

    def assess(member, label, on):
        assessment = quality.make_assessment(
            member, version=quality.shipped(member.service, exemplars), on=on
        )
        quality.rate_all(assessment, label=label)
        from quality import actions

        actions.finalise_assessment(assessment=assessment, by=member.coordinator)

    # Northshire: non-compliant early in the year, good practice later (the latest counts);
    # Southshire: best practice; Westshire (not taking part): minimum practice.
    assess(team, "Non-compliant", YEAR.first + dt.timedelta(days=5))
    assess(team, "Good practice", YEAR.first + dt.timedelta(days=40))
    assess(other_team, "Best practice", YEAR.first + dt.timedelta(days=60))
    assess(outside, "Minimum practice", YEAR.first + dt.timedelta(days=60))
    # An assessment on a framework of Northshire's own wording is not counted.
    quality.make_assessment(team, final=True, on=YEAR.first + dt.timedelta(days=70))
    rows = rows_of(table_csv(team.analyst, f"levels-{exemplars}"))
    levels = ["Best practice", "Good practice", "Minimum practice", "Non-compliant"]
    assert rows[0] == ["Standard", *levels, "Mean level", "Median level"]
    # The 17 exemplars of the shipped file, each rated by the two taking-part services:
    # one at best practice (4 on the scale), one at good practice (3): mean and median 3.5.
    assert len(rows) == 1 + 17
    assert rows[1] == ["1.1", "1", "1", "0", "0", "3.5", "3.5"]
    assert all(row[1:] == ["1", "1", "0", "0", "3.5", "3.5"] for row in rows[1:])
    # A coordinator reads their own service's level beside the others'.
    own = rows_of(table_csv(team.coordinator, f"levels-{exemplars}"))
    assert own[0] == ["Standard", *levels, "Mean level", "Median level", "Your service"]
    assert all(row[-1] == "Good practice" for row in own[1:])
    assert rows_of(table_csv(other_team.coordinator, f"levels-{exemplars}"))[1][-1] == (
        "Best practice"
    )
    content = page(team.coordinator).content.decode()
    assert "Self-assessment against the standards" in content
    assert "Standard number" not in content  # the own framework's wording


def test_with_no_service_taking_part_the_analyst_is_told_so(team):
    response = page(team.analyst)
    assert response.status_code == 200
    assert "No service takes part in the network yet." in response.content.decode()
    assert "<figure" not in response.content.decode()


def test_a_highlighted_bar_is_drawn_apart_and_named_in_the_text_alternative():
    from reports.charts import bar_chart
    from reports.presenters import Table

    table = Table("t", "Things", ("Service", "count"), (("Service 1", 7), ("Service 2", 9)))
    plain = bar_chart(table, title="Things", horizontal=True)
    marked = bar_chart(table, title="Things", horizontal=True, highlight=(1,))
    assert 'id="bar-0-1-highlighted"' in marked.svg
    assert "highlighted" not in plain.svg
    assert marked.alt == plain.alt + " Highlighted: Service 2."


def test_a_coordinator_joins_and_leaves_on_the_settings_page(team, other_team):
    from tests.pps.test_service_settings import _data

    families(team, 6, "j")
    take_part(other_team)
    client = VerifiedClient()
    client.force_login(team.coordinator)
    settings_url = reverse("service-settings")
    assert "Take part in the network report" in client.get(settings_url).content.decode()
    joined = client.post(settings_url, _data(team.service, network_member="on"))
    assert joined.status_code == 302
    assert "(your service)" in page(team.coordinator).content.decode()
    assert NetworkSummary.objects.filter(service=team.service).count() == 12
    team.service.refresh_from_db()
    left = client.post(settings_url, _data(team.service))  # the box left unticked
    assert left.status_code == 302
    assert not NetworkSummary.objects.filter(service=team.service).exists()
    assert "does not take part" in page(team.coordinator).content.decode()
    # Southshire alone is left in the network.
    assert len(rows_of(table_csv(team.analyst, "service-users"))) == 1 + 1 + 3


def test_the_median_level_names_its_level_and_an_unrated_standard_says_so():
    from quality.network import _summaries

    scale = ("Best practice", "Good practice", "Minimum practice", "Non-compliant")
    ranks = [4, 3, 2, 1]
    # Three services: best, good, good -> ranks 4, 3, 3: mean 3.3, median 3 (good practice).
    assert _summaries([1, 2, 0, 0], ranks, scale) == ("3.3", "3.0 (Good practice)")
    assert _summaries([0, 0, 0, 0], ranks, scale) == ("not rated", "not rated")
