"""The benchmarking return's figures against counts made by hand from the records below
(publications/benchmarking.py; docs/reporting.md, "The benchmarking return")."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.enums import EnquirerType, OfficialExclusion
from casework.models import Case
from pps.access import service_scope
from publications.benchmarking import gather, present, ratio
from reports.models import YearlyDenominators
from reports.periods import financial_year
from reports.presenters import NOT_RECORDED, Disclosure
from reports.reference import national_2009
from tests import clock, factories
from tests.quality.factories import make_seat
from volunteers.actions import record_status_change
from volunteers.models import VolunteerRole, VolunteerStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
YEAR = financial_year(2025)  # 1 April 2025 to 31 March 2026
BEFORE = date(2025, 1, 10)  # every case below opened then unless said otherwise
EXACT, STEERING = Disclosure(exact=True), Disclosure(exact=False)


def _case(team, parent=None, child=None, **fields):
    return factories.open_case(
        team.service, team.officer, opened_on=BEFORE, parent=parent, child=child, **fields
    )


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


@pytest.fixture
def records(team, other_team):
    """Financial year 2025-26, counted by hand.

    Service users (cases with a contact in the year), Appendix 2 case by case:
      A1, A2  one parent, two children with SEN, a case each, a contact each   -> 2
      M, F    a child's mother and father, living apart, each their own case   -> 2
      E       a fixed-term excluded pupil's case, a contact in May 2025        -> 1
      L       a contact on 31 March 2026, the year's last day                  -> 1
      OLD     contacts only in March 2025 (the year before)                    -> 0
      X       a permanently excluded pupil, contact only in February 2025      -> 0
      N       opened 1 May 2025, never contacted                               -> 0
      an enquiry from a parent only, and one from a professional               -> 0
      another service's case with a contact in the year                        -> 0
    So 6 service users, 1 of them an excluded pupil (E; X had no contact in the year).

    Disagreement resolution dated in the year: A1 (involved), A2 (not involved); E's is
    dated 2 April 2026 (next year) -> 2 cases, 1 involved, 1 not, 0 unknown.
    Tribunal appeals lodged in the year: M (involved), F (involvement not recorded); X's on
    31 March 2025 (the year before) -> 2 cases, 1 involved, 0 not, 1 unknown.

    Approaches received in the year: three enquiries received Monday 2 June 2025 (answered
    that day: within 2 working days; answered Thursday 5 June: 3 working days; never
    answered: overdue) and case N (received 1 May 2025, no staff contact: overdue); the
    cases opened in January 2025 were received then -> 4 received, 1 within, 1 later,
    2 overdue, 0 not yet due.

    Volunteers at 31 March 2026: the team's own IPS (active since 2020), IPS "stays" who
    leaves on 1 April 2026, and IPS "new" who completed the initial course on 30 June 2025
    and is active from 15 September 2025 -> 3 active IPS, 1 newly trained. IPS "went" who
    left on 30 March 2026 is not active on the 31st. One other volunteer active since 2023,
    one who left on 30 March 2026 -> 1 other active volunteer. Another service's IPS is
    never counted.

    Steering seats on 31 March 2026: a parent since January 2025 (held); a parent who left
    on 31 March 2026 (not held: a seat is left on its `left_on` day); health from 1 April
    2026 (not yet) -> parents 1, health 0.
    """
    s, officer = team.service, team.officer
    a = factories.ParentFactory(service=s, last_name="Zephyrine")
    a1 = _case(team, parent=a)
    a2 = _case(team, parent=a)
    child = factories.ChildFactory(service=s)
    m = _case(team, child=child)
    f = _case(team, child=child)
    e = _case(team, official_exclusion=OfficialExclusion.FIXED_TERM)
    last = _case(team)
    old = _case(team)
    x = _case(team, official_exclusion=OfficialExclusion.PERMANENT)
    factories.open_case(s, officer, opened_on=date(2025, 5, 1))
    for case, day in (
        (a1, date(2025, 4, 1)),
        (a2, date(2025, 6, 3)),
        (a2, date(2025, 7, 3)),
        (m, date(2025, 9, 9)),
        (f, date(2025, 10, 9)),
        (e, date(2025, 5, 20)),
        (last, date(2026, 3, 31)),
        (old, date(2025, 3, 3)),
        (old, date(2025, 3, 31)),
        (x, date(2025, 2, 11)),
    ):
        factories.log_contact(case, officer, on=day)
    _set(a1, disagreement_resolution_on=date(2025, 6, 1))
    _set(a1, disagreement_resolution_active_involvement=True)
    _set(a2, disagreement_resolution_on=date(2025, 9, 1))
    _set(a2, disagreement_resolution_active_involvement=False)
    _set(e, disagreement_resolution_on=date(2026, 4, 2))
    _set(e, disagreement_resolution_active_involvement=True)
    _set(m, tribunal_appeal_on=date(2025, 11, 1), tribunal_active_involvement=True)
    _set(f, tribunal_appeal_on=date(2026, 3, 31))
    _set(x, tribunal_appeal_on=date(2025, 3, 31), tribunal_active_involvement=True)
    monday = date(2025, 6, 2)
    factories.record_enquiry(s, officer, on=monday, first_response_on=monday)
    factories.record_enquiry(s, officer, on=monday, first_response_on=date(2025, 6, 5))
    factories.record_enquiry(s, officer, on=monday, enquirer_type=EnquirerType.PROFESSIONAL)
    elsewhere = factories.open_case(other_team.service, other_team.officer, opened_on=BEFORE)
    factories.log_contact(elsewhere, other_team.officer, on=date(2025, 6, 3))

    by = team.coordinator
    stays = factories.make_volunteer(s, since=date(2024, 1, 1))
    record_status_change(volunteer=stays, status=VolunteerStatus.LEFT, on=date(2026, 4, 1), by=by)
    went = factories.make_volunteer(s, since=date(2024, 1, 1))
    record_status_change(volunteer=went, status=VolunteerStatus.LEFT, on=date(2026, 3, 30), by=by)
    new = factories.make_volunteer(
        s,
        status=VolunteerStatus.IN_TRAINING,
        since=date(2025, 4, 10),
        initial_training_completed_on=date(2025, 6, 30),
    )
    record_status_change(volunteer=new, status=VolunteerStatus.ACTIVE, on=date(2025, 9, 15), by=by)
    factories.make_volunteer(s, role=VolunteerRole.OTHER, since=date(2023, 1, 1))
    gone = factories.make_volunteer(s, role=VolunteerRole.OTHER, since=date(2023, 1, 1))
    record_status_change(volunteer=gone, status=VolunteerStatus.LEFT, on=date(2026, 3, 30), by=by)
    factories.make_volunteer(other_team.service, since=date(2024, 1, 1))

    make_seat(team, "parent", joined_on=date(2025, 1, 1))
    make_seat(team, "parent", joined_on=date(2025, 5, 1), left_on=date(2026, 3, 31))
    make_seat(team, "health", joined_on=date(2026, 4, 1))
    return {"a1": a1}


def _figures(team):
    with service_scope(team.service.pk):
        return gather(team.service, YEAR, today=TODAY)


def _rows(table):
    return {row[0]: row[1:] for row in (*table.rows, *table.foot)}


def _denominators(team, **fields):
    values = {
        "population_0_19": 100_000,
        "pupils_with_sen": 20_000,
        "pupils_on_fsm": 8_000,
        "funding": Decimal("90000.00"),
        "budget": Decimal("95000.00"),
        "paid_staff_fte": Decimal("2.50"),
        "area_disagreement_referrals": 10,
        "area_tribunal_appeals": 4,
        "issues_monitored": ["complaints", "client_satisfaction"],
        "formats_offered": [],
        "languages_offered": ["interpreters"],
    }
    values.update(fields)
    return YearlyDenominators.objects.create(service=team.service, year=2025, **values)


@clock.on(TODAY)
def test_the_counted_figures_match_the_hand_count(team, records):
    figures = _figures(team)
    assert figures.service_users == 6
    assert figures.casework.excluded_pupils == 1
    resolution, tribunal = (
        figures.casework.disagreement_resolution,
        figures.casework.tribunal_appeals,
    )
    assert (resolution.cases, resolution.involved, resolution.not_involved) == (2, 1, 1)
    assert resolution.involvement_not_recorded == 0
    assert (tribunal.cases, tribunal.involved, tribunal.not_involved) == (2, 1, 0)
    assert tribunal.involvement_not_recorded == 1
    r = figures.responses
    assert (r.received, r.within, r.later, r.overdue, r.not_yet_due) == (4, 1, 1, 2, 0)
    v = figures.volunteers
    # The team's IPS, "stays" (leaves on 1 April) and "new"; "went" left on 30 March.
    assert (v.active_ips_at_end, v.ips_newly_trained, v.other_volunteers_at_end) == (3, 1, 1)
    assert figures.steering_seats == {"parent": 1}
    assert figures.denominators is None


@clock.on(TODAY)
def test_the_ratios_divide_by_the_entered_denominators(team, records):
    _denominators(team)
    figures = _figures(team)
    report = present(figures, EXACT)
    funding = _rows(report.table("funding-2025-26"))
    assert funding["Funding in the year"][0] == "£90,000.00"
    assert funding["Budget for the year"][0] == "£95,000.00"
    # 90,000 / 100,000 = 0.90; / 6 = 15,000; / 20,000 = 4.50; / 8,000 = 11.25
    assert funding["Funding per head of the population aged 0-19"][0] == "£0.90"
    assert funding["Funding per service user"][0] == "£15,000.00"
    assert funding["Funding per pupil with SEN"][0] == "£4.50"
    assert funding["Funding per pupil on free school meals"][0] == "£11.25"
    ratios = _rows(report.table("casework-ratios-2025-26"))
    # 6 / 2.5 = 2.4; 6 / 3 = 2.0; 6 * 1000 / 100,000 = 0.06, to one decimal half up 0.1
    assert ratios["Service users per paid staff FTE"][0] == Decimal("2.4")
    assert ratios["Service users per active IPS"][0] == Decimal("2.0")
    assert ratios["Service users per 1,000 population aged 0-19"][0] == Decimal("0.1")
    casework = report.table("exclusion-and-disagreement-2025-26").rows
    shares = [row[1] for row in casework if row[0].strip().startswith("involved cases")]
    # 1 involved of the area's 10 referrals; 1 involved of its 4 appeals.
    assert shares == ["10%", "25%"]
    staffing = _rows(report.table("staffing-2025-26"))
    assert staffing["Paid staff at 31 March 2026 (full-time equivalent)"][0] == Decimal("2.50")
    issues = _rows(report.table("issues-monitored-2025-26"))
    assert issues["Complaints"][0] == "Yes" and issues["Website use"][0] == "No"
    offered = _rows(report.table("formats-and-languages-2025-26"))
    # An empty list was answered "none"; interpreters ticked.
    assert offered["Format: Braille"][0] == "No"
    assert offered["Other languages: Interpreters"][0] == "Yes"
    assert report.not_recorded == ()


@clock.on(TODAY)
def test_service_users_are_shown_beside_table_k_and_their_rule(team, records):
    users = _rows(present(_figures(team), EXACT).table("service-users-2025-26"))
    row = users["Parent/carer service users"]
    assert row[0] == 6
    # The national mean and median of table K, and the rule in the product's words.
    assert row[1:3] == ("454", "294")
    assert "two children with SEN is two" in row[3] and "professional" in row[3]


def _two_children(team):
    parent = factories.ParentFactory(service=team.service)
    for _ in range(2):
        factories.log_contact(_case(team, parent=parent), team.officer, on=date(2025, 6, 2))


def _parents_apart(team):
    child = factories.ChildFactory(service=team.service)
    for _ in range(2):
        factories.log_contact(_case(team, child=child), team.officer, on=date(2025, 6, 2))


def _one_family_one_child(team):
    # Both parents rang about the same child, on the one case: the same service.
    case = _case(team)
    for day in (date(2025, 6, 2), date(2025, 6, 9), date(2026, 1, 5)):
        factories.log_contact(case, team.officer, on=day)


def _enquiry_only(team):
    # A long call that gave considerable advice, but never became a case.
    factories.record_enquiry(team.service, team.officer, on=date(2025, 6, 2), substantial=True)


def _professional(team):
    factories.record_enquiry(
        team.service,
        team.officer,
        on=date(2025, 6, 2),
        enquirer_type=EnquirerType.PROFESSIONAL,
        substantial=True,
    )


@pytest.mark.parametrize(
    ("records_of", "users"),
    [
        (_two_children, 2),  # two children with SEN, a casework service for each
        (_parents_apart, 2),  # parents living apart who each asked for their own service
        (_one_family_one_child, 1),  # a family served about one child counts once
        (_enquiry_only, 0),  # an enquiry is not a casework service
        (_professional, 0),  # professionals are never parent/carer service users
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
@clock.on(TODAY)
def test_each_case_of_appendix_2_alone(team, records_of, users):
    records_of(team)
    assert _figures(team).service_users == users


@clock.on(TODAY)
def test_figures_without_denominators_say_not_recorded(team, records):
    report = present(_figures(team), EXACT)
    funding = _rows(report.table("funding-2025-26"))
    for label in (
        "Funding in the year",
        "Budget for the year",
        "Funding per head of the population aged 0-19",
        "Funding per service user",
        "Funding per pupil with SEN",
        "Funding per pupil on free school meals",
    ):
        assert funding[label][0] == NOT_RECORDED, label
    ratios = _rows(report.table("casework-ratios-2025-26"))
    assert ratios["Service users per paid staff FTE"][0] == NOT_RECORDED
    assert ratios["Service users per 1,000 population aged 0-19"][0] == NOT_RECORDED
    # The IPS are counted from the register, so that ratio is there: 6 / 3.
    assert ratios["Service users per active IPS"][0] == Decimal("2.0")
    issues = _rows(report.table("issues-monitored-2025-26"))
    assert {value[0] for value in issues.values()} == {NOT_RECORDED}
    casework = report.table("exclusion-and-disagreement-2025-26").rows
    assert [row[1] for row in casework if "share of the area" in row[0]] == [NOT_RECORDED] * 2
    assert "funding" in report.not_recorded and "paid staff FTE" in report.not_recorded


@clock.on(TODAY)
def test_a_partly_entered_year_divides_only_what_it_can(team, records):
    # Funding known, population not; no paid staff at all.
    _denominators(team, population_0_19=None, paid_staff_fte=Decimal("0"))
    report = present(_figures(team), EXACT)
    funding = _rows(report.table("funding-2025-26"))
    assert funding["Funding per head of the population aged 0-19"][0] == NOT_RECORDED
    assert funding["Funding per service user"][0] == "£15,000.00"
    ratios = _rows(report.table("casework-ratios-2025-26"))
    assert ratios["Service users per paid staff FTE"][0] == "no paid staff"
    assert report.not_recorded == ("the population aged 0-19",)


@clock.on(TODAY)
def test_the_steering_group_sees_small_numbers_suppressed(team, records):
    _denominators(team)
    report = present(_figures(team), STEERING)
    staffing = _rows(report.table("staffing-2025-26"))
    # 3 active IPS, 1 trained, 1 other volunteer: each from 1 to 4.
    assert staffing["Active IPS at 31 March 2026"][0] == "fewer than 5"
    assert staffing["IPS newly trained in the year"][0] == "fewer than 5"
    ratios = _rows(report.table("casework-ratios-2025-26"))
    # 6 service users are shown, but a ratio to fewer than 5 IPS would point at them.
    assert ratios["Service users per active IPS"][0] == Disclosure.HIDDEN
    assert ratios["Service users per paid staff FTE"][0] == Decimal("2.4")
    casework = report.table("exclusion-and-disagreement-2025-26")
    cells = [row[1] for row in casework.rows]
    assert 1 not in cells and 2 not in cells
    # The area's 4 tribunal appeals (entered) are families too; its 10 referrals are shown.
    areas = [row[1] for row in casework.rows if "area's total" in row[0]]
    assert areas == [10, "fewer than 5"]
    responses = _rows(report.table("response-times-2025-26"))
    assert responses["Approaches received"][0] == "fewer than 5"
    assert responses["Answered within 2 working days"][1] == Disclosure.HIDDEN


@clock.on(TODAY)
def test_five_or_more_families_are_shown_to_the_steering_group(team, records):
    report = present(_figures(team), STEERING)
    users = _rows(report.table("service-users-2025-26"))
    assert users["Parent/carer service users"][0] == 6


@clock.on(TODAY)
def test_the_return_reads_a_fixed_number_of_queries(team, records):
    with service_scope(team.service.pk), CaptureQueriesContext(connection) as first:
        gather(team.service, YEAR, today=TODAY)
    # One round trip for every counted figure, the denominators, the steering seats.
    assert len(first) == 3
    for n in range(5):
        case = factories.open_case(team.service, team.officer, opened_on=date(2025, 5, 1 + n))
        factories.log_contact(case, team.officer, on=date(2025, 6, 2 + n))
    with service_scope(team.service.pk), CaptureQueriesContext(connection) as again:
        figures = gather(team.service, YEAR, today=TODAY)
    assert len(again) == 3
    assert figures.service_users == 11


def test_ratio_rounds_half_up_and_never_divides_by_nothing():
    assert ratio(1, 8) == Decimal("0.1")  # 0.125
    assert ratio(3, 8) == Decimal("0.4")  # 0.375
    assert ratio(1, 0) is None and ratio(None, 5) is None and ratio(5, None) is None


def test_the_reference_file_holds_the_seeds_national_figures():
    national = national_2009()
    # Read in the seed's tables: B (funding 2008-09), D (staff), E (active IPS March 09),
    # K (service users 2008-09), M (issues monitored), J (formats).
    assert (national["funding"].mean, national["funding"].median) == (101250, 77600)
    assert (national["paid_staff_fte"].mean, national["paid_staff_fte"].median) == (
        Decimal("2.69"),
        Decimal("2.0"),
    )
    assert (national["active_ips"].mean, national["active_ips"].median) == (Decimal("2.8"), 0)
    assert (national["service_users"].mean, national["service_users"].median) == (454, 294)
    assert national["issue_client_satisfaction"].services_percent == 95
    assert national["format_braille"].services_percent == 22
    assert national["budget"].period == "2009-10"
    assert all("National benchmarking 2009" in figure.source for figure in national.values())


@clock.on(TODAY)
def test_every_figure_beside_the_national_columns_has_a_national_entry(team, records):
    # A figure the 2009 report gave no mean or median for says so (a range, or "chart
    # only"), so a blank cell never reads as a national figure that was forgotten.
    _denominators(team)
    report = present(_figures(team), EXACT)
    columns = ("National mean, 2009", "National median, 2009")
    national = [table for table in report.tables if table.header[2:4] == columns]
    assert len(national) == 4
    for table in national:
        for row in table.rows:
            assert row[2], (table.slug, row[0])
    ratios = _rows(report.table("casework-ratios-2025-26"))
    assert "chart 38" in ratios["Service users per paid staff FTE"][1]
    assert "chart 39" in ratios["Service users per active IPS"][1]
    funding = _rows(report.table("funding-2025-26"))
    assert "chart 9" in funding["Funding per service user"][1]
    assert "chart 13" in funding["Funding per pupil on free school meals"][1]
