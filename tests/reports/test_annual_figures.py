"""The annual report's figures (reports/queries/annual.py) against counts made by hand
from a small service (docs/reporting.md, "The annual report's figures").

The year is 2025/26 (1 September 2025 - 31 August 2026), the one before 2024/25. Cases of
Northshire PPS (officer O, coordinator K):

    case  opened      events after               child born   gender  SEN      locality
    A     2025-06-10  closed 2025-10-15          2014-03-01   male    SEN      North
    B     2025-09-20  closed 11-01, re-opened    none         female  non-SEN  none
                      2026-01-10, closed 02-01,
                      re-opened 2026-03-05
    C     2026-04-14  -                          2021-10-01   male    concern  South
    D     2025-01-01  closed 2025-08-31          2019-01-01   other   not known North
    F     2026-08-31  -                          2009-07-15   female  SEN      North
    G     2025-10-06  closed 2025-12-15          2017-09-01   male    SEN      South

A is open across two years and its child moves from junior (year 6 at its opening in
2024/25) to secondary (year 7 at the start of 2025/26). Southshire PPS has a case, a
contact, volunteers, a return, an event and a month of calls that must not count.
"""

import datetime as dt
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from casework import actions
from casework.enums import (
    ClosureReason,
    ContactMethod,
    Ethnicity,
    Gender,
    Mention,
    OfficialExclusion,
    Outcome,
    SenStatus,
)
from casework.models import Case, ContactReason, NeedArea, ReferralRoute
from pps.access import service_scope
from pps.models import Locality
from pps.roles import Role
from reports.models import MonthlyActivity
from reports.periods import academic_year
from reports.queries import annual
from reports.queries.casework import case_movements
from tests import factories
from volunteers import actions as volunteer_actions
from volunteers.models import SupervisionKind, VolunteerRole, VolunteerStatus
from volunteers.rules import supervision_overdue

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
YEAR, PREVIOUS = academic_year(2025), academic_year(2024)


def _close(case, by, on):
    return actions.close_case(
        case=case, by=by, on=on, reason=ClosureReason.RESOLVED, outcome=Outcome.RESOLVED
    )


def _case(team, opened_on, *, born, gender, sen, locality, parent=None, need=None, **fields):
    s = team.service
    parent = parent or factories.ParentFactory(service=s)
    child = factories.ChildFactory(
        service=s, date_of_birth=born, gender=gender, sen_status=sen, primary_need=need
    )
    place = Locality.objects.get(service=s, name=locality) if locality else None
    return factories.open_case(
        s,
        fields.pop("by", team.officer),
        opened_on=opened_on,
        parent=parent,
        child=child,
        locality=place,
        **fields,
    )


def _contact(case, by, at, minutes=20):
    return actions.log_contact(
        case=case, by=by, at=at, method=ContactMethod.PHONE_OUT, minutes=minutes
    )


@pytest.fixture
def service(team, other_team):
    s, by = team.service, team.officer
    team.officer.fte, team.coordinator.fte = Decimal("1.00"), Decimal("0.60")
    team.officer.save()
    team.coordinator.save()
    factories.UserFactory(service=s, role=Role.CASE_OFFICER, is_active=False)  # left: not team

    def route(name):
        return ReferralRoute.objects.get(service=s, name=name)

    def reason(name):
        return ContactReason.objects.get(service=s, name=name)

    def need(name):
        return NeedArea.objects.get(service=s, name=name)

    white = factories.ParentFactory(service=s, ethnicity=Ethnicity.WHITE_BRITISH)
    a = _case(
        team,
        date(2025, 6, 10),
        born=date(2014, 3, 1),
        gender=Gender.MALE,
        sen=SenStatus.SEN,
        locality="North",
        parent=white,
        need=need("Autism"),
        bullying=Mention.MAIN,
        referral_route=route("School or pre-school"),
        primary_reason=reason("Bullying"),
    )
    d = _case(
        team,
        date(2025, 1, 1),
        born=date(2019, 1, 1),
        gender=Gender.OTHER,
        sen=SenStatus.NOT_KNOWN,
        locality="North",
    )
    _close(d, by, date(2025, 8, 31))  # the last day before the year: not in its total
    # September: two contacts on cases (one by a volunteer), a substantial and a brief
    # enquiry.
    _contact(a, by, dt.datetime(2025, 9, 10, 10, tzinfo=LONDON), minutes=60)
    b = _case(
        team,
        date(2025, 9, 20),
        born=None,
        gender=Gender.FEMALE,
        sen=SenStatus.NON_SEN,
        locality=None,
        parent=factories.ParentFactory(service=s, ethnicity=Ethnicity.NOT_STATED),
        official_exclusion=OfficialExclusion.FIXED_TERM,
        unofficial_exclusion=Mention.MENTIONED,
        referral_route=route("Not known"),
        primary_reason=reason("Fixed-term exclusion"),
    )
    Case.objects.filter(pk=b.pk).update(officer=None)
    actions.allocate_volunteer(
        case=b, volunteer=team.volunteer_record, by=by, started_on=date(2025, 9, 20)
    )
    _contact(b, team.volunteer, dt.datetime(2025, 9, 25, 11, tzinfo=LONDON), minutes=45)
    factories.record_enquiry(s, by, on=date(2025, 9, 3), substantial=True)
    factories.record_enquiry(s, by, on=date(2025, 9, 4), substantial=False)
    # October: one contact. November: none at all.
    _contact(a, by, dt.datetime(2025, 10, 2, 10, tzinfo=LONDON), minutes=30)
    g = _case(
        team,
        date(2025, 10, 6),
        born=date(2017, 9, 1),
        gender=Gender.MALE,
        sen=SenStatus.SEN,
        locality="South",
        parent=factories.ParentFactory(service=s, ethnicity=Ethnicity.WHITE_BRITISH),
        need=need("Moderate learning difficulty (MLD)"),
        unofficial_exclusion=Mention.MAIN,
        referral_route=route("School or pre-school"),
        primary_reason=reason("Bullying"),
    )
    _close(a, by, date(2025, 10, 15))
    _close(b, by, date(2025, 11, 1))
    _close(g, by, date(2025, 12, 15))
    actions.reopen_case(case=Case.objects.get(pk=b.pk), by=by, on=date(2026, 1, 10))
    _close(Case.objects.get(pk=b.pk), by, date(2026, 2, 1))
    actions.reopen_case(case=Case.objects.get(pk=b.pk), by=by, on=date(2026, 3, 5))
    c = _case(
        team,
        date(2026, 4, 14),
        born=date(2021, 10, 1),
        gender=Gender.MALE,
        sen=SenStatus.CONCERN,
        locality="South",
        parent=white,  # a second child of A's parent: one parent for ethnicity
        need=need("Cognition and learning"),
        official_exclusion=OfficialExclusion.PERMANENT,
        bullying=Mention.MENTIONED,
        referral_route=route("School or pre-school"),
        primary_reason=reason("Annual review"),
    )
    f = _case(
        team,
        date(2026, 8, 31),
        born=date(2009, 7, 15),
        gender=Gender.FEMALE,
        sen=SenStatus.SEN,
        locality="North",
        parent=factories.ParentFactory(service=s, ethnicity=Ethnicity.BLACK_AFRICAN),
        need=need("Autistic spectrum"),
        bullying=Mention.MAIN,
        referral_route=route("Website"),
        primary_reason=reason("Bullying"),
        by=team.coordinator,
        officer=team.coordinator,
    )
    # 23:30 on 31 August (summer time) is August; 00:30 on 1 September is the next year.
    _contact(f, by, dt.datetime(2026, 8, 31, 23, 30, tzinfo=LONDON))
    _contact(c, by, dt.datetime(2026, 9, 1, 0, 30, tzinfo=LONDON))

    # Volunteers: team.volunteer_record (VR) is an IPS active since 6 January 2020.
    vr = team.volunteer_record
    v2 = factories.make_volunteer(
        s, since=date(2024, 1, 1), initial_training_completed_on=date(2023, 5, 1)
    )
    volunteer_actions.record_status_change(
        volunteer=v2, status=VolunteerStatus.LEFT, on=date(2026, 1, 20), by=by
    )  # left mid-year: active in January still
    v3 = factories.make_volunteer(
        s, since=date(2025, 6, 1), initial_training_completed_on=date(2025, 10, 10)
    )
    volunteer_actions.record_status_change(
        volunteer=v3, status=VolunteerStatus.PAUSED, on=date(2025, 11, 30), by=by
    )
    volunteer_actions.record_status_change(
        volunteer=v3, status=VolunteerStatus.ACTIVE, on=date(2026, 2, 1), by=by
    )  # paused on 30 November and back on 1 February: not active in December or January
    # V4 shadowed (and was supervised) before the year and became active on 20 August 2026:
    # not overdue at its end, counted from becoming active, not from that supervision.
    v4 = factories.make_volunteer(s, since=date(2025, 5, 1), status=VolunteerStatus.SHADOWING)
    volunteer_actions.record_supervision(
        volunteer=v4, on=date(2025, 6, 1), by=by, kind=SupervisionKind.SUPERVISION
    )
    volunteer_actions.record_status_change(
        volunteer=v4, status=VolunteerStatus.ACTIVE, on=date(2026, 8, 20), by=by
    )
    factories.make_volunteer(s, since=date(2024, 1, 1), role=VolunteerRole.OTHER)
    for volunteer, month, hours in [
        (vr, date(2025, 9, 1), {"phone_hours": Decimal(2), "meeting_hours": Decimal("1.5")}),
        (v3, date(2025, 10, 1), {"tribunal_hours": Decimal("1.25")}),
        (v2, date(2026, 1, 1), {"paperwork_hours": Decimal(2)}),
    ]:
        volunteer_actions.submit_monthly_return(volunteer=volunteer, month=month, by=by, **hours)
    for volunteer, on, kind in [
        (v2, date(2025, 10, 1), SupervisionKind.SUPERVISION),
        (v3, date(2026, 3, 1), SupervisionKind.SUPERVISION),
        (v3, date(2026, 3, 15), SupervisionKind.CPD),
        (v3, date(2026, 6, 4), SupervisionKind.SUPERVISION),
        (vr, date(2026, 6, 5), SupervisionKind.SUPERVISION),
    ]:
        volunteer_actions.record_supervision(volunteer=volunteer, on=on, by=by, kind=kind)

    for kind, on in [
        ("parent_training", date(2025, 11, 5)),
        ("professional_training", date(2026, 5, 5)),
        ("forum", date(2026, 1, 14)),
        ("parent_training", date(2026, 9, 2)),  # the next year
    ]:
        factories.make_event(s, by, kind=kind, on=on)

    for month, calls_in, calls_out, visits in [
        (date(2025, 9, 1), 100, 200, 50),
        (date(2025, 10, 1), 60, None, 40),
        (date(2025, 11, 1), 140, None, None),
        (date(2025, 12, 1), None, None, None),
        (date(2026, 8, 1), 10, 15, 5),  # August: left out of the calls
        (date(2024, 9, 1), 80, None, None),  # the year before
    ]:
        MonthlyActivity.objects.create(
            service=s, month=month, calls_in=calls_in, calls_out=calls_out, website_visits=visits
        )

    # Southshire's records, in the same months, must not count.
    o = other_team
    theirs = factories.open_case(o.service, o.officer, opened_on=date(2025, 9, 1))
    _contact(theirs, o.officer, dt.datetime(2025, 9, 10, 10, tzinfo=LONDON))
    factories.record_enquiry(o.service, o.officer, on=date(2025, 9, 3), substantial=True)
    volunteer_actions.submit_monthly_return(
        volunteer=o.volunteer_record, month=date(2025, 9, 1), by=o.officer, phone_hours=5
    )
    volunteer_actions.record_supervision(
        volunteer=o.volunteer_record, on=date(2025, 9, 2), by=o.officer, kind="supervision"
    )
    factories.make_event(o.service, o.officer, kind="parent_training", on=date(2025, 11, 5))
    MonthlyActivity.objects.create(service=o.service, month=date(2025, 9, 1), calls_in=999)
    return team


def _in_scope(team, figure, *args, **kwargs):
    with service_scope(team.service.pk):
        return figure(*args, **kwargs)


def test_monthly_performance_of_the_year(service):
    """By hand, per month of 2025/26 (office hours, contacts, open cases, active IPS, IPS
    hours):
    September: 60 staff minutes = 1.0; A's and B's contacts and the substantial enquiry = 3;
      A (brought forward) and B = 2; VR, V2, V3 = 3; VR's return 3.5.
    October: 30 minutes = 0.5; 1; A, B, G = 3; 3; V3's return 1.25.
    November: no contact, a row of 0s but open cases B (closed on the 1st) and G = 2, and
      VR, V2, V3 (paused on the 30th) = 3.
    December: G (closed on the 15th) = 1; VR, V2 = 2.
    January: B re-opened = 1; VR, V2 (left on the 20th) = 2; V2's return 2.
    February: B (closed on the 1st) = 1; VR, V3 (back on the 1st) = 2. March: B = 1; 2.
    April to July: B, C = 2; 2. August: B, C, F = 3; VR, V3, V4 (active from the 20th) = 3;
      F's contact at 23:30 on the 31st, 20 minutes = 0.3 (0.333...), 1 contact.
    Total: 110 minutes = 1.8; 5 contacts; casework total A, B, C, F, G = 5; VR, V2, V3, V4
    = 4; 6.75 hours."""
    performance = _in_scope(service, annual.monthly_performance, [PREVIOUS, YEAR])[YEAR]
    rows = [
        (m.office_hours, m.contacts, m.open_cases, m.active_ips, m.ips_hours)
        for m in performance.months
    ]
    assert [m.period.label for m in performance.months][:2] == ["September 2025", "October 2025"]
    assert rows == [
        (1.0, 3, 2, 3, Decimal("3.5")),
        (0.5, 1, 3, 3, Decimal("1.25")),
        (0.0, 0, 2, 3, Decimal(0)),
        (0.0, 0, 1, 2, Decimal(0)),
        (0.0, 0, 1, 2, Decimal(2)),
        (0.0, 0, 1, 2, Decimal(0)),
        (0.0, 0, 1, 2, Decimal(0)),
        (0.0, 0, 2, 2, Decimal(0)),
        (0.0, 0, 2, 2, Decimal(0)),
        (0.0, 0, 2, 2, Decimal(0)),
        (0.0, 0, 2, 2, Decimal(0)),
        (0.3, 1, 3, 3, Decimal(0)),
    ]
    total = performance.total
    assert (total.office_hours, total.contacts, total.open_cases, total.active_ips) == (
        1.8,
        5,
        5,
        4,
    )
    assert total.ips_hours == Decimal("6.75")


def test_monthly_performance_of_three_years_in_one_query(service, django_assert_num_queries):
    """2024/25 by hand: casework total A and D = 2, no contact in it; active IPS VR and V2
    from September, V3 from June: 3. 2023/24: no case; VR all year, V2 from 1 January 2024
    = 2 (1 in September 2023)."""
    years = [academic_year(2023), PREVIOUS, YEAR]
    with service_scope(service.service.pk), django_assert_num_queries(1):
        performance = annual.monthly_performance(years)
    before = performance[PREVIOUS].total
    assert (before.open_cases, before.contacts, before.active_ips) == (2, 0, 3)
    earliest = performance[academic_year(2023)]
    assert (earliest.total.open_cases, earliest.total.active_ips) == (0, 2)
    assert earliest.months[0].active_ips == 1
    assert len(earliest.months) == 12


def test_cases_by_type_of_four_years(service):
    """2025/26 by hand (A, B, C, F, G): male A, C, G = 3, female B, F = 2; A secondary (year 7
    at 1 September 2025), B not known (no date of birth), C pre-school (year -1), F post-16
    (year 12 at her opening on 31 August 2026), G junior (born 1 September 2017: year 3);
    SEN A, F, G = 3, non-SEN B, other concern C; fixed-term B, permanent C, none 3.
    2024/25 (A, D): A junior (year 6 at its opening on 10 June 2025), D infant (year 1 on
    1 January 2025); male A, other D; SEN A, not known D; none 2. 2022/23 and 2023/24:
    no case, every row 0."""
    years = [academic_year(2022), academic_year(2023), PREVIOUS, YEAR]
    by_year = _in_scope(service, annual.cases_by_type, years)
    this = by_year[YEAR]
    assert this.gender == (("Male", 3), ("Female", 2), ("Other", 0), ("Not known", 0))
    assert this.age_group == (
        ("Pre-school", 1),
        ("Infant", 0),
        ("Junior", 1),
        ("Secondary", 1),
        ("Post-16", 1),
        ("Not known", 1),
    )
    assert this.sen_status == (
        ("SEN", 3),
        ("Non-SEN", 1),
        ("Other / undiagnosed concern", 1),
        ("Not known", 0),
    )
    assert this.exclusions == (("Fixed-term", 1), ("Permanent", 1), ("None", 3))
    assert this.casework_total == 5
    before = by_year[PREVIOUS]
    assert dict(before.age_group) == {
        "Pre-school": 0,
        "Infant": 1,
        "Junior": 1,
        "Secondary": 0,
        "Post-16": 0,
        "Not known": 0,
    }
    assert dict(before.gender)["Other"] == 1
    assert before.casework_total == 2
    assert by_year[academic_year(2022)].casework_total == 0
    assert all(count == 0 for _, count in by_year[academic_year(2023)].age_group)
    for year, figures in by_year.items():
        for name, rows in figures.breakdowns.items():
            assert sum(count for _, count in rows) == figures.casework_total, (year, name)


def test_every_total_of_the_year_is_the_casework_total(service):
    """The casework total of case movements (counted in SQL) equals the one the annual
    figures count with reports.queries.casework.opening_overlaps: 5, and every table of
    the cases in it sums to it."""
    with service_scope(service.service.pk):
        total = case_movements(YEAR).casework_total
        by_type = annual.cases_by_type([YEAR])[YEAR]
        need = annual.needs([YEAR])[YEAR]
        localities = annual.cases_by_locality(YEAR)
        officers = annual.cases_by_officer(YEAR)
    assert total == by_type.casework_total == need.casework_total == 5
    assert sum(count for _, count in need.areas) == 5
    assert sum(count for _, count in localities) == sum(count for _, count in officers) == 5


def test_needs_with_the_change_against_the_year_before(service):
    """2025/26: Cognition and learning C (the area alone) and G (MLD) = 2; Communication
    and interaction A (Autism) and F (Autistic spectrum) = 2; not recorded B = 1.
    2024/25: Communication and interaction A = 1, not recorded D = 1, Cognition and
    learning 0 (found in the later year, so shown)."""
    by_year = _in_scope(service, annual.needs, [PREVIOUS, YEAR])
    this, before = by_year[YEAR], by_year[PREVIOUS]
    assert this.areas == (
        ("Cognition and learning", 2),
        ("Communication and interaction", 2),
        ("Not recorded", 1),
    )
    assert [(r.area, r.subtype, r.count) for r in this.subtypes] == [
        ("Cognition and learning", "Moderate learning difficulty (MLD)", 1),
        ("Communication and interaction", "Autistic spectrum", 1),
        ("Communication and interaction", "Autism", 1),
    ]
    assert before.areas == (
        ("Cognition and learning", 0),
        ("Communication and interaction", 1),
        ("Not recorded", 1),
    )
    assert [(r.subtype, r.count) for r in before.subtypes] == [
        ("Moderate learning difficulty (MLD)", 0),
        ("Autistic spectrum", 0),
        ("Autism", 1),
    ]


def test_ethnicity_of_the_distinct_parents_of_those_who_told_us(service):
    """Parents of A, B, C, F, G: A's and C's parent (one, White British), B's (not stated),
    F's (Black African), G's (White British): told 3, White British 2 (66.7%), Black
    African 1 (33.3%); not told 1."""
    told = _in_scope(service, annual.ethnicity, YEAR)
    assert [(r.label, r.count, r.percent) for r in told.rows] == [
        ("White: English, Welsh, Scottish, Northern Irish or British", 2, 66.7),
        ("Black or Black British: African", 1, 33.3),
    ]
    assert (told.told, told.not_told) == (3, 1)


def test_referral_routes_of_the_new_cases(service):
    """New cases B (route "Not known"), C and G (School or pre-school), F (Website): told 3,
    School or pre-school 2 (66.7%), Website 1 (33.3%); not told 1. A is not new."""
    routes = _in_scope(service, annual.referral_routes, YEAR)
    assert [(r.label, r.count, r.percent) for r in routes.rows] == [
        ("School or pre-school", 2, 66.7),
        ("Website", 1, 33.3),
    ]
    assert (routes.told, routes.not_told) == (3, 1)


def test_top_reasons_of_the_new_cases_ties_by_name(service):
    """New cases: Bullying F and G = 2, Annual review C = 1, Fixed-term exclusion B = 1 (A's
    Bullying is not new); the two tied at 1 by name."""
    assert _in_scope(service, annual.top_reasons, YEAR) == (
        ("Bullying", 2),
        ("Annual review", 1),
        ("Fixed-term exclusion", 1),
    )
    assert _in_scope(service, annual.top_reasons, YEAR, n=2) == (
        ("Bullying", 2),
        ("Annual review", 1),
    )


def test_cases_by_locality_and_by_officer(service):
    """Localities: North A, F = 2; South C, G = 2; none B = 1. Officers: the case officer
    A, C, G = 3; the coordinator F = 1; none B = 1."""
    assert _in_scope(service, annual.cases_by_locality, YEAR) == (
        ("North", 2),
        ("South", 2),
        ("No locality", 1),
    )
    officer, coordinator = service.officer.get_full_name(), service.coordinator.get_full_name()
    expected = (*sorted([(officer, 3), (coordinator, 1)]), ("No officer", 1))
    assert _in_scope(service, annual.cases_by_officer, YEAR) == expected


def test_bullying_and_exclusions(service):
    """Bullying: main A, F = 2, mentioned C = 1, total 3. Unofficial exclusion: main G = 1,
    mentioned B = 1. Official exclusion: B (fixed-term, came about a fixed-term exclusion)
    main = 1, C (permanent, came about an annual review) mentioned = 1; total 2, the
    fixed-term and permanent exclusions of cases by type."""
    rows = _in_scope(service, annual.bullying_and_exclusions, YEAR)
    assert [(r.issue, r.main_reason, r.mentioned, r.total) for r in rows] == [
        ("Bullying", 2, 1, 3),
        ("Unofficial exclusion", 1, 1, 2),
        ("Official exclusion", 1, 1, 2),
    ]


def test_ips_of_the_year(service):
    """Active at any time: VR, V2, V3, V4 = 4; trained in the year: V3 (10 October 2025) = 1;
    hours 3.5 + 1.25 + 2 = 6.75; supervision sessions V2, V3 twice, VR = 4 (V3's CPD is not
    one); overdue at 31 August 2026 among those active then (VR, V3, V4): V3, last supervised on
    4 June 2026 (57 term days, August left out) = 1; VR, on 5 June, has 56: not overdue;
    V4, supervised on 1 June 2025 while shadowing, active from 20 August 2026: not overdue.
    V4's supervision was in the year before."""
    ips = _in_scope(service, annual.ips_year, YEAR)
    assert ips == annual.IpsYear(
        active=4,
        trained=1,
        hours=Decimal("6.75"),
        supervision_sessions=4,
        supervision_overdue=1,
    )


def test_the_last_day_of_a_supervision_overdue_at_the_year_end_follows_the_rule():
    """From 4 June to 31 August 2026 are 57 term days (August left out): overdue; from
    5 June, 56: not."""
    end = date(2026, 8, 31)
    assert annual.overdue_if_since_by(end) == date(2026, 6, 4)
    assert supervision_overdue(date(2026, 6, 4), end)
    assert not supervision_overdue(date(2026, 6, 5), end)


def test_phone_and_web(service):
    """Calls in, August left out: September 100, October 60, November 140 = 3 months,
    average 100.0, lowest 60, highest 140; the year before 80 (one month): +25.0%.
    Calls out: September 200 only; none the year before, so no change. Website: 50 + 40 +
    5 = 95 over 3 months recorded, 31.7 a month. December's row is blank: not recorded."""
    figures = _in_scope(service, annual.phone_and_web, YEAR, PREVIOUS)
    assert figures.calls_in == annual.Calls(
        average=100.0,
        lowest=60,
        highest=140,
        months_counted=3,
        previous_average=80.0,
        change_percent=25.0,
    )
    assert figures.calls_out == annual.Calls(200.0, 200, 200, 1, None, None)
    assert (figures.website_visits, figures.website_months, figures.website_average) == (
        95,
        3,
        31.7,
    )
    months = [(m.calls_in, m.calls_out, m.website_visits) for m in figures.months]
    assert months[:5] == [
        (100, 200, 50),
        (60, None, 40),
        (140, None, None),
        (None,) * 3,
        (None,) * 3,
    ]
    assert months[-1] == (10, 15, 5)


def test_phone_and_web_of_a_year_not_recorded(service):
    figures = _in_scope(service, annual.phone_and_web, academic_year(2022), academic_year(2021))
    assert figures.calls_in == annual.Calls(None, None, None, 0, None, None)
    assert figures.website_visits is None and figures.website_average is None
    assert all(m.calls_in is None for m in figures.months)


def test_snapshot(service):
    """Contacts 5 and new cases B, C, F, G = 4 (as above); website visits 95; training
    sessions 5 November 2025 and 5 May 2026 = 2 (the forum is not training, 2 September
    2026 is the next year). The team: the coordinator, the case officer and admin support,
    not the one who left, the volunteer or the steering member; FTE 1.00 + 0.60 = 1.60."""
    figures = _in_scope(service, annual.snapshot, YEAR)
    assert (figures.contacts, figures.new_cases) == (5, 4)
    assert (figures.website_visits, figures.training_sessions) == (95, 2)
    assert [(m.name, m.role) for m in figures.team] == [
        (service.coordinator.get_full_name(), "Coordinator"),
        (service.officer.get_full_name(), "Case officer"),
        (service.support.get_full_name(), "Admin support"),
    ]
    assert figures.team_fte == Decimal("1.60")


def test_every_figure_of_a_year_in_a_bounded_number_of_queries(
    service, django_assert_max_num_queries
):
    """One query each, two for telephone and web (its months and its figures) and two for
    the snapshot (its figures and the team): 14 whatever the size of the service."""
    with service_scope(service.service.pk), django_assert_max_num_queries(14):
        annual.monthly_performance([YEAR])
        annual.cases_by_type([YEAR])
        annual.needs([YEAR])
        annual.ethnicity(YEAR)
        annual.referral_routes(YEAR)
        annual.top_reasons(YEAR)
        annual.cases_by_locality(YEAR)
        annual.cases_by_officer(YEAR)
        annual.bullying_and_exclusions(YEAR)
        annual.ips_year(YEAR)
        annual.phone_and_web(YEAR, PREVIOUS)
        annual.snapshot(YEAR)


def test_another_service_sees_none_of_these_records(service, other_team):
    """Southshire's case, contact, enquiry, return and month of calls, counted in its own
    scope: casework total 1, contacts 2 in September, 5 IPS hours; Northshire's none."""
    with service_scope(other_team.service.pk):
        performance = annual.monthly_performance([YEAR])[YEAR]
        calls = annual.phone_and_web(YEAR, PREVIOUS).calls_in
        locality = annual.cases_by_locality(YEAR)
    september = performance.months[0]
    assert (september.contacts, september.open_cases, september.ips_hours) == (2, 1, Decimal(5))
    assert performance.total.open_cases == 1
    assert calls.average == 999.0
    assert locality == (("No locality", 1),)
