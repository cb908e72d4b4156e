"""Every URL of the product, for every role, on its own and on another service's object.

The URL list comes from the URLconf itself: a URL added without a rule here fails
`test_every_url_has_a_rule`. Expected statuses: 200 for a role the page is for, 403 for a
role it is not for, 404 for another service's object (or a case not allocated to a
volunteer), 302 to the sign-in page for anyone not signed in.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casework import actions
from casework.models import Feedback, ReferralRoute
from evaluations.models import EvaluationForm
from pps.roles import AGGREGATES, CASEWORK, COORDINATORS, STAFF, Role
from tests import factories
from tests.quality import factories as quality
from volunteers.actions import enrol_trainee
from volunteers.models import CourseSession, TrainingCourse

pytestmark = pytest.mark.django_db

SIGNED_IN = [Role.CASE_OFFICER, Role.COORDINATOR, Role.ADMIN_SUPPORT, Role.VOLUNTEER, Role.STEERING]
VOLUNTEER_ONLY = frozenset({Role.VOLUNTEER})


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    # How to fill the URL's parameters from a service's records (None: no parameters).
    args: object = None
    # Fixed parameters that name no record (so there is no other service's version).
    kwargs: dict | None = None
    # What an allowed role gets on its own service's record (302 for POST-only forms).
    on_get: int = 200
    # Exceptions to the 200/403 rule, by role (e.g. pages that redirect).
    special: dict = field(default_factory=dict)
    anonymous: int = 302


def _case(w):
    return {"pk": w.case.pk}


def _volunteer(w):
    return {"pk": w.team.volunteer_record.pk}


def _course(w):
    return {"pk": w.course.pk}


def _sending(w):
    sending, _token = factories.send_form(w.team.service, w.team.officer, case=w.case)
    return sending


def _form(w):
    return EvaluationForm.objects.filter(service=w.team.service).order_by("id").first()


def _event(w):
    return factories.make_event(w.team.service, w.team.officer)


RULES = {
    "home": Rule(STAFF | {Role.VOLUNTEER, Role.STEERING}, special={r: 302 for r in SIGNED_IN}),
    "login": Rule(frozenset(), special={r: 302 for r in SIGNED_IN}, anonymous=200),
    # Signing out is a POST; a GET is refused to anyone signed in.
    "logout": Rule(frozenset(), special={r: 405 for r in SIGNED_IN}),
    "service-settings": Rule(COORDINATORS),
    # A signed-in user who has entered their code is sent on from the two-factor pages.
    "two-factor-verify": Rule(frozenset(), special={r: 302 for r in SIGNED_IN}),
    "two-factor-setup": Rule(frozenset(), special={r: 302 for r in SIGNED_IN}),
    "password_change": Rule(frozenset(SIGNED_IN)),
    "password_change_done": Rule(frozenset(SIGNED_IN)),
    # Resetting a forgotten password is for anyone (it proves nothing but an email address).
    "password_reset": Rule(frozenset(), special={r: 200 for r in SIGNED_IN}, anonymous=200),
    "password_reset_done": Rule(frozenset(), special={r: 200 for r in SIGNED_IN}, anonymous=200),
    "password_reset_confirm": Rule(
        frozenset(),
        kwargs={"uidb64": "MQ", "token": "not-a-token"},
        special={r: 200 for r in SIGNED_IN},
        anonymous=200,
    ),
    "password_reset_complete": Rule(
        frozenset(), special={r: 200 for r in SIGNED_IN}, anonymous=200
    ),
    "staff-accounts": Rule(COORDINATORS),
    # A button that only POSTs (another service's colleague: tests/pps/test_sign_in_two_factor.py).
    "reset-second-factor": Rule(COORDINATORS, kwargs={"pk": 1}, on_get=405),
    "casework:my-work": Rule(STAFF),
    "casework:my-allocated-cases": Rule(VOLUNTEER_ONLY),
    "casework:case-list": Rule(STAFF),
    "casework:case-export": Rule(STAFF),
    "casework:case-start": Rule(STAFF),
    "casework:case-create": Rule(STAFF),
    "casework:case-detail": Rule(CASEWORK, _case),
    "casework:case-log-contact": Rule(CASEWORK, _case),
    "casework:case-edit": Rule(STAFF, _case),
    "casework:case-close": Rule(STAFF, _case),
    "casework:case-reopen": Rule(STAFF, _case),
    "casework:case-allocate": Rule(STAFF, _case),
    "casework:case-end-allocation": Rule(
        STAFF, lambda w: {"pk": w.case.pk, "allocation": w.allocation.pk}
    ),
    "casework:case-audit": Rule(COORDINATORS, _case),
    "casework:follow-up-done": Rule(CASEWORK, lambda w: {"pk": w.contact.pk}),
    "casework:parent-list": Rule(STAFF),
    "casework:parent-export": Rule(STAFF),
    "casework:parent-detail": Rule(STAFF, lambda w: {"pk": w.case.parent_id}),
    "casework:parent-edit": Rule(STAFF, lambda w: {"pk": w.case.parent_id}),
    "casework:child-edit": Rule(STAFF, lambda w: {"pk": w.case.child_id}),
    "casework:enquiry-list": Rule(STAFF),
    "casework:enquiry-export": Rule(STAFF),
    "casework:enquiry-create": Rule(STAFF),
    "casework:enquiry-detail": Rule(STAFF, lambda w: {"pk": w.enquiry.pk}),
    "casework:feedback-list": Rule(STAFF),
    "casework:feedback-export": Rule(STAFF),
    "casework:feedback-create": Rule(STAFF),
    "casework:feedback-edit": Rule(STAFF, lambda w: {"pk": w.feedback.pk}),
    "casework:codelist-index": Rule(COORDINATORS),
    "casework:codelist": Rule(COORDINATORS, kwargs={"kind": "reasons"}),
    "casework:codelist-item": Rule(
        COORDINATORS, lambda w: {"kind": "referral-routes", "pk": w.route.pk}
    ),
    "reports:overview": Rule(AGGREGATES),
    "volunteers:register": Rule(COORDINATORS),
    "volunteers:register-export": Rule(COORDINATORS),
    "volunteers:volunteer-create": Rule(COORDINATORS),
    "volunteers:volunteer-detail": Rule(COORDINATORS, _volunteer),
    "volunteers:volunteer-edit": Rule(COORDINATORS, _volunteer),
    # Forms posted from the volunteer's page: a GET goes back to that page.
    "volunteers:volunteer-status": Rule(COORDINATORS, _volunteer, on_get=302),
    "volunteers:volunteer-supervision": Rule(COORDINATORS, _volunteer, on_get=302),
    "volunteers:returns": Rule(COORDINATORS),
    "volunteers:returns-export": Rule(COORDINATORS),
    "volunteers:my-returns": Rule(VOLUNTEER_ONLY),
    "volunteers:course-list": Rule(COORDINATORS),
    "volunteers:course-create": Rule(COORDINATORS),
    "volunteers:course-detail": Rule(COORDINATORS, _course),
    "volunteers:course-edit": Rule(COORDINATORS, _course, on_get=302),
    "volunteers:course-add-session": Rule(COORDINATORS, _course, on_get=302),
    "volunteers:course-enrol": Rule(COORDINATORS, _course, on_get=302),
    "volunteers:course-attendance": Rule(
        COORDINATORS, lambda w: {"pk": w.course.pk, "session": w.session.pk}
    ),
    "volunteers:course-complete": Rule(
        COORDINATORS, lambda w: {"pk": w.course.pk, "enrolment": w.enrolment.pk}
    ),
    "volunteers:meeting-list": Rule(COORDINATORS),
    "volunteers:meeting-create": Rule(COORDINATORS),
    # --- evaluations and events (issue 4) ---
    "reports:evaluation-results": Rule(AGGREGATES),
    "reports:evaluation-results-export": Rule(AGGREGATES),
    # The public answer page needs no account; a link that is not usable is a 404 to anyone.
    "evaluations:answer": Rule(
        frozenset(),
        kwargs={"service": 1, "token": "abcd-efgh-jkmn-pqrs"},
        special={r: 404 for r in SIGNED_IN},
        anonymous=404,
    ),
    "evaluations:answered": Rule(frozenset(), special={r: 200 for r in SIGNED_IN}, anonymous=200),
    "evaluations:due": Rule(STAFF),
    "evaluations:send-parent": Rule(STAFF, _case),
    "evaluations:send-professional": Rule(STAFF, _case),
    "evaluations:send": Rule(STAFF),
    "evaluations:sending-list": Rule(STAFF),
    "evaluations:sending-export": Rule(STAFF),
    # Buttons that only POST: a GET by an allowed role is 405 before any record is read.
    "evaluations:retry": Rule(STAFF, kwargs={"pk": 1}, on_get=405),
    "evaluations:reprint": Rule(STAFF, kwargs={"pk": 1}, on_get=405),
    "evaluations:paper-entry": Rule(STAFF),
    "evaluations:paper-response": Rule(STAFF, lambda w: {"pk": _sending(w).pk}),
    "evaluations:comments": Rule(COORDINATORS),
    "evaluations:comment-publish": Rule(COORDINATORS, kwargs={"pk": 1}, on_get=405),
    "evaluations:form-list": Rule(COORDINATORS),
    "evaluations:form-create": Rule(COORDINATORS),
    "evaluations:form-detail": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}),
    # Shipped forms have no draft: the questions page sends the user back to the form.
    "evaluations:form-questions": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}, on_get=302),
    "evaluations:form-draft": Rule(COORDINATORS, kwargs={"pk": 1}, on_get=405),
    "evaluations:form-publish": Rule(COORDINATORS, kwargs={"pk": 1}, on_get=405),
    "evaluations:form-copy": Rule(COORDINATORS, kwargs={"pk": 1}, on_get=405),
    "evaluations:form-retire": Rule(COORDINATORS, kwargs={"pk": 1}, on_get=405),
    "evaluations:event-list": Rule(STAFF | {Role.STEERING}),
    "evaluations:event-export": Rule(STAFF | {Role.STEERING}),
    "evaluations:event-create": Rule(STAFF),
    "evaluations:event-detail": Rule(STAFF | {Role.STEERING}, lambda w: {"pk": _event(w).pk}),
    "evaluations:event-edit": Rule(STAFF, lambda w: {"pk": _event(w).pk}),
    "evaluations:event-hand-out": Rule(STAFF, kwargs={"pk": 1}, on_get=405),
    # --- standards, self-assessment and plans (issue 5) ---
    # Readers' pages get a finalised assessment or a plan with an update: a steering member
    # never sees a draft. Forms posted from another page answer a GET with a redirect.
    "quality:index": Rule(AGGREGATES),
    "quality:framework-import": Rule(COORDINATORS),
    "quality:framework-detail": Rule(
        COORDINATORS, lambda w: {"pk": quality.shipped(w.team.service, "charter-mark").framework_id}
    ),
    "quality:framework-revise": Rule(
        COORDINATORS, lambda w: {"pk": quality.shipped(w.team.service, "charter-mark").framework_id}
    ),
    "quality:assessment-create": Rule(COORDINATORS),
    "quality:assessment-detail": Rule(
        AGGREGATES, lambda w: {"pk": quality.make_assessment(w.team, final=True).pk}
    ),
    "quality:assessment-print": Rule(
        AGGREGATES, lambda w: {"pk": quality.make_assessment(w.team, final=True).pk}
    ),
    "quality:assessment-pdf": Rule(
        AGGREGATES, lambda w: {"pk": quality.make_assessment(w.team, final=True).pk}
    ),
    "quality:assessment-compare": Rule(
        AGGREGATES, lambda w: {"pk": quality.make_assessment(w.team, final=True).pk}
    ),
    "quality:assessment-finalise": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_assessment(w.team).pk}
    ),
    "quality:rating-edit": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_assessment(w.team).ratings.first().pk}
    ),
    "quality:rating-figure": Rule(
        COORDINATORS,
        lambda w: {"pk": quality.make_assessment(w.team).ratings.first().pk},
        on_get=302,
    ),
    "quality:rating-document": Rule(
        COORDINATORS,
        lambda w: {"pk": quality.make_assessment(w.team).ratings.first().pk},
        on_get=302,
    ),
    "quality:figure-remove": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_figure(w.team).pk}, on_get=302
    ),
    "quality:document-download": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_document(w.team).pk}
    ),
    "quality:plan-create": Rule(COORDINATORS),
    "quality:plan-detail": Rule(
        AGGREGATES, lambda w: {"pk": quality.make_plan(w.team, updates=1).pk}
    ),
    "quality:plan-update": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_plan(w.team).pk}, on_get=302
    ),
    "quality:plan-copy": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_plan(w.team).pk}, on_get=302
    ),
    "quality:plan-entry-edit": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_plan(w.team).entries.first().pk}
    ),
    "quality:review-create": Rule(COORDINATORS),
    "quality:review-detail": Rule(AGGREGATES, lambda w: {"pk": quality.make_review(w.team).pk}),
    "quality:review-edit": Rule(COORDINATORS, lambda w: {"pk": quality.make_review(w.team).pk}),
    "quality:review-bands": Rule(COORDINATORS, lambda w: {"pk": quality.make_review(w.team).pk}),
    "quality:review-action-create": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_review(w.team).pk}
    ),
    "quality:action-edit": Rule(
        COORDINATORS, lambda w: {"pk": quality.make_action_item(w.team).pk}
    ),
    "quality:feedback-summary": Rule(AGGREGATES),
    "quality:feedback-summary-export": Rule(AGGREGATES),
    "quality:steering-group": Rule(COORDINATORS),
    "quality:seat-edit": Rule(COORDINATORS, lambda w: {"pk": quality.make_seat(w.team).pk}),
}


def url_names():
    """Every named URL of the URLconf, but the Django admin's (tested on its own below)."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_has_a_rule():
    found = set(url_names())
    assert found - RULES.keys() == set(), "URLs without an access rule in this test"
    assert RULES.keys() - found == set(), "rules for URLs that no longer exist"


@dataclass
class World:
    """One service's records that URLs point at; its case is allocated to its volunteer."""

    team: object
    case: object
    contact: object
    allocation: object
    enquiry: object
    feedback: object
    route: object
    course: object
    session: object
    enrolment: object


def build_world(team):
    today = timezone.localdate()
    course = TrainingCourse.objects.create(service=team.service, title="Initial IPS course")
    trainee = factories.make_volunteer(team.service, status="in_training")
    case = factories.open_case(team.service, team.officer, opened_on=today - timedelta(days=30))
    allocation = actions.allocate_volunteer(
        case=case,
        volunteer=team.volunteer_record,
        by=team.officer,
        started_on=today - timedelta(days=7),
    )
    contact = factories.log_contact(
        case, team.officer, follow_up="Ring school", follow_up_due_on=today
    )
    return World(
        team=team,
        case=case,
        contact=contact,
        allocation=allocation,
        enquiry=factories.record_enquiry(team.service, team.officer),
        feedback=Feedback.objects.create(
            service=team.service,
            kind="compliment",
            received_on=today,
            channel="phone",
            about="service",
            summary="Thank you",
        ),
        route=ReferralRoute.objects.filter(service=team.service).first(),
        course=course,
        session=CourseSession.objects.create(
            service=team.service, course=course, on=today, topic="The SEN framework"
        ),
        enrolment=enrol_trainee(course=course, volunteer=trainee),
    )


def expected(rule, role, scenario):
    if role in rule.special:
        return rule.special[role]
    if role not in rule.roles:
        return 403
    return rule.on_get if scenario == "own" else 404


@pytest.mark.parametrize("name", sorted(RULES))
def test_access(client, team, other_team, name):
    rule = RULES[name]
    worlds = {"own": build_world(team), "other service's": build_world(other_team)}
    scenarios = ["own", "other service's"] if rule.args else ["own"]
    mismatches = []
    for scenario in scenarios:
        url = reverse(name, kwargs=rule.args(worlds[scenario]) if rule.args else rule.kwargs)
        client.logout()
        response = client.get(url)
        if response.status_code != rule.anonymous:
            mismatches.append(
                f"anonymous {scenario}: expected {rule.anonymous}, got {response.status_code}"
            )
        if rule.anonymous == 302 and response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
        for role in SIGNED_IN:
            client.force_login(team.by_role(role))
            status = client.get(url).status_code
            want = expected(rule, role, scenario)
            if status != want:
                mismatches.append(f"{role.label} {scenario}: expected {want}, got {status}")
    assert not mismatches, f"{name}:\n" + "\n".join(mismatches)


VOLUNTEER_CASE_PAGES = ["casework:case-detail", "casework:case-log-contact"]


@pytest.mark.parametrize("name", VOLUNTEER_CASE_PAGES)
def test_a_volunteer_sees_a_case_only_while_allocated(client, team, name):
    world = build_world(team)
    not_allocated = factories.open_case(team.service, team.officer)
    client.force_login(team.volunteer)
    assert client.get(reverse(name, args=[world.case.pk])).status_code == 200
    assert client.get(reverse(name, args=[not_allocated.pk])).status_code == 404
    actions.end_allocation(allocation=world.allocation, on=timezone.localdate())
    assert client.get(reverse(name, args=[world.case.pk])).status_code == 404
    follow_up = reverse("casework:follow-up-done", args=[world.contact.pk])
    assert client.get(follow_up).status_code == 404


def test_refused_posts_write_nothing(client, team):
    world = build_world(team)
    for user in (team.steering, team.volunteer):
        client.force_login(user)
        closed = client.post(
            reverse("casework:case-close", args=[world.case.pk]),
            {"on": timezone.localdate().isoformat(), "reason": "resolved", "outcome": "resolved"},
        )
        assert closed.status_code == 403
    client.force_login(team.steering)
    logged = client.post(
        reverse("casework:case-log-contact", args=[world.case.pk]),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "phone_in",
            "minutes": "5",
        },
    )
    assert logged.status_code == 403
    world.case.refresh_from_db()
    assert world.case.is_open
    assert world.case.contacts.count() == 1


def test_the_admin_is_for_superusers_only(client, team):
    for role in SIGNED_IN:
        client.force_login(team.by_role(role))
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    superuser = factories.UserFactory(is_superuser=True, is_staff=True, service=None)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pps/service/").status_code == 200


def test_a_volunteer_never_sees_another_volunteers_case(client, team):
    colleague_user = factories.UserFactory(service=team.service, role=Role.VOLUNTEER)
    colleague = factories.make_volunteer(team.service, user=colleague_user)
    theirs = factories.open_case(team.service, team.officer)
    actions.allocate_volunteer(
        case=theirs, volunteer=colleague, by=team.officer, started_on=timezone.localdate()
    )
    client.force_login(colleague_user)
    assert client.get(reverse("casework:case-detail", args=[theirs.pk])).status_code == 200
    client.force_login(team.volunteer)
    assert client.get(reverse("casework:case-detail", args=[theirs.pk])).status_code == 404
    mine = client.get(reverse("casework:my-allocated-cases"))
    assert theirs.reference not in mine.content.decode()
