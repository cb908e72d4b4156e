"""The demo data obeys the invariants the actions keep, counted in the database."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.utils import timezone

from casework.enums import CaseEventKind, CaseStatus
from casework.models import Allocation, Case, CaseEvent, Contact, Enquiry
from demo.generate import SERVICE_NAME, generate
from pps.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from pps.models import Service, User

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def demo():
    return generate(today=TODAY, years=1, cases_per_year=60)


def test_every_case_agrees_with_its_events_and_contacts(demo):
    cases = Case.objects.filter(service=demo.service).annotate(
        first_kind=Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk")).order_by("on", "id").values("kind")[:1]
        ),
        first_on=Min("events__on"),
        latest_kind=Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-on", "-id").values("kind")[:1]
        ),
        latest_on=Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-on", "-id").values("on")[:1]
        ),
        latest_contact=Max("contacts__at__date"),
    )
    assert cases.count() >= 60
    for case in cases:
        assert case.first_kind == CaseEventKind.OPENED and case.first_on == case.opened_on
        if case.latest_kind == CaseEventKind.CLOSED:
            assert case.status == CaseStatus.CLOSED and case.closed_on == case.latest_on
            assert case.closure_reason and case.outcome
        else:
            assert case.status == CaseStatus.OPEN and case.closed_on is None
        assert case.last_contact_on == case.latest_contact
        assert case.last_activity_on >= (case.last_contact_on or case.opened_on)
    references = Case.objects.values("reference").annotate(n=Count("id")).filter(n__gt=1)
    assert not references.filter(service=demo.service).exists()


def test_no_contact_falls_outside_an_open_period(demo):
    """A contact on day D needs the case open at the end of D-1 or (re)opened on D."""
    events = {}
    for event in CaseEvent.objects.filter(service=demo.service).order_by("on", "id"):
        events.setdefault(event.case_id, []).append(event)
    for contact in Contact.objects.filter(service=demo.service):
        day = timezone.localtime(contact.at).date()
        history = events[contact.case_id]
        before = [e.kind for e in history if e.on < day]
        open_before = bool(before) and before[-1] != CaseEventKind.CLOSED
        opened_on_day = any(e.on == day and e.kind != CaseEventKind.CLOSED for e in history)
        assert open_before or opened_on_day, (contact.case_id, day)


def test_demo_accounts_sign_in_with_the_published_password(demo):
    for username, role in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.role == role and user.service == demo.service
        assert user.check_password(DEMO_PASSWORD)
    volunteer = User.objects.get(username="volunteer").volunteer
    current = Allocation.objects.filter(volunteer=volunteer).current(TODAY)
    assert current.exists()
    assert Allocation.objects.filter(volunteer=volunteer, ended_on__isnull=False).exists()


def test_my_work_has_something_in_every_section(demo):
    officer = User.objects.get(username="officer")
    from casework import queries
    from pps.access import service_scope

    with service_scope(demo.service.pk):
        assert queries.caseload_for(officer).exists()
        assert queries.follow_ups_due_for(officer).exists()
        assert queries.enquiries_awaiting_response(officer).exists()
        assert queries.cases_due_for_closure(officer, TODAY).exists()
        assert queries.evaluations_due_for(officer, TODAY).exists()
    assert Enquiry.objects.filter(service=demo.service, case__isnull=False).exists()


def test_loading_twice_creates_nothing_new(demo):
    cases = Case.objects.count()
    call_command("load_demo")
    assert Service.objects.filter(name=SERVICE_NAME).count() == 1
    assert Case.objects.count() == cases


def test_the_register_history_agrees_with_each_volunteers_status(demo):
    from pps.access import service_scope
    from volunteers.models import Volunteer, VolunteerRole, VolunteerStatus
    from volunteers.queries import active_on

    volunteers = Volunteer.objects.filter(service=demo.service)
    for volunteer in volunteers:
        latest = volunteer.status_changes.order_by("-on", "-id").first()
        assert latest is not None and latest.status == volunteer.status
    active_ips = volunteers.filter(role=VolunteerRole.IPS, status=VolunteerStatus.ACTIVE).count()
    with service_scope(demo.service.pk):
        assert active_on(TODAY).count() == active_ips
    assert volunteers.filter(monthly_returns__isnull=False).exists()


def test_the_demo_register_has_courses_supervision_meetings_and_a_flag(demo):
    from volunteers.models import SupervisionSession, TrainingCourse, VolunteerMeeting
    from volunteers.queries import register_rows
    from volunteers.rules import register_flags

    assert SupervisionSession.objects.filter(service=demo.service).exists()
    assert TrainingCourse.objects.filter(service=demo.service, enrolments__isnull=False).exists()
    assert VolunteerMeeting.objects.filter(service=demo.service).exists()
    flags = [register_flags(v, TODAY) for v in register_rows().filter(service=demo.service)]
    assert any("Supervision overdue" in f for f in flags)
    for allocation in Allocation.objects.filter(service=demo.service).select_related("case"):
        assert allocation.volunteer.localities.filter(pk=allocation.case.locality_id).exists()
