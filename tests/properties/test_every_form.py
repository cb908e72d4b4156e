"""Every form of the product, fed generated input: never a server error, never a half-save.

The URLs come from the URLconf (every view that accepts POST), so a new form is covered as
soon as it exists. For each one the test signs in as a role the form is for, opens the page
that shows the form on real records, reads the form's fields from the HTML and posts them
back with values drawn by hypothesis: valid choices mixed with awkward text, dates and
numbers (tests/properties/inputs.py).

The properties:
- no response is a server error (the test client re-raises any exception a view lets out);
- a POST that does not redirect (the form shown again with its errors, or a 4xx) wrote
  nothing: every table of the product's apps, history tables included, is unchanged
  (tests/snapshot.py).

Each example runs inside a savepoint that is rolled back, so examples do not see each
other's writes. PPS_PROPERTY_EXAMPLES sets how many per form (tests/properties/inputs.py).
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.actions import close_case
from evaluations import actions as evaluation_actions
from evaluations.enums import EmailStatus
from evaluations.models import EvaluationForm, Sending
from pps.roles import Role
from tests import factories, snapshot
from tests.evaluations import records
from tests.properties import inputs
from tests.properties.pageforms import Field, PageForm, post_forms
from tests.quality import factories as quality
from tests.test_access_matrix import RULES, build_world
from tests.transfers.factories import make_import_run

pytestmark = pytest.mark.django_db

# A refused form shown again is a page view: its access-log row is required, not a write.
COMPARED = snapshot.product_tables(leave_out={"pps.accesslog"})

PROPERTY_SETTINGS = settings(
    max_examples=inputs.HTTP_EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The role a form is tried as: the first of these the URL's access rule allows.
ROLE_ORDER = [Role.COORDINATOR, Role.CASE_OFFICER, Role.ADMIN_SUPPORT, Role.VOLUNTEER]

# Views that accept POST but offer no form, with the reason.
NO_FORM = {
    "evaluations:answered": "the thank-you page after answering: any method shows it",
    # Sign-in pages whose refusals write by design, or that need a one-time link and a
    # session first; tests/pps/test_sign_in_*.py post wrong and odd input to each.
    "two-factor-verify": "a wrong code is counted on the device (django-otp's throttling)",
    "two-factor-setup": "a wrong confirmation code is counted on the new device",
    "password_reset_confirm": "Django's own set-password form behind an emailed one-time link",
}


def post_url_names() -> list[str]:
    """Every named URL whose view has a `post` handler (function views count as accepting)."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "view_class", None)
                if view is None or ("post" in view.http_method_names and hasattr(view, "post")):
                    names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return sorted(names)


@dataclass
class Where:
    """Where a form is: the page that shows it, or (for a button on no page) its URL."""

    page: object = None  # world -> URL of the page showing the form
    post_to: object = None  # world -> URL to post to directly, when no page shows the form
    anonymous: bool = False


def _own_page(name):
    rule = RULES[name]
    return lambda w: reverse(name, kwargs=rule.args(w) if rule.args else rule.kwargs)


def _family_contact_page(w):
    """The contact form with the family's other open case offered (a second child's case),
    so that its checkboxes and the repeat/split choice are posted too."""
    factories.open_case(
        w.team.service,
        w.team.officer,
        opened_on=w.case.opened_on,
        parent=w.case.parent,
        child=factories.ChildFactory(service=w.team.service),
    )
    return reverse("casework:case-log-contact", args=[w.case.pk])


def _volunteer_page(w):
    return reverse("volunteers:volunteer-detail", args=[w.team.volunteer_record.pk])


def _course_page(w):
    return reverse("volunteers:course-detail", args=[w.course.pk])


def _published_form(w):
    form = EvaluationForm.objects.filter(service=w.team.service).order_by("id").first()
    return reverse("evaluations:form-detail", args=[form.pk])


def _draft_form(w, page="evaluations:form-detail"):
    form = EvaluationForm.objects.filter(service=w.team.service).order_by("id").first()
    evaluation_actions.draft_version(form=form, by=w.team.coordinator)
    return reverse(page, args=[form.pk])


def _failed_email(w):
    sending, _token = factories.send_form(w.team.service, w.team.officer, case=w.case)
    # As the send action leaves an email the mail server refused.
    Sending.objects.filter(pk=sending.pk).update(
        channel="email",
        recipient_email="parent@example.com",
        email_status=EmailStatus.FAILED,
        email_error="Mail server refused",
    )
    return reverse("evaluations:due")


def _family_due(w):
    """A family whose only case closed long ago: due for anonymisation."""
    case = factories.open_case(w.team.service, w.team.officer, opened_on=date(2015, 9, 1))
    close_case(
        case=case, by=w.team.officer, on=date(2016, 3, 1), reason="resolved", outcome="resolved"
    )
    return reverse("retention:anonymise-due")


def _comment(w):
    form = records.form_of(w.team.service, "parent")
    sending = records.send(form, w.team.officer, timezone.localdate())
    records.answer(
        sending,
        w.team.officer,
        timezone.localdate(),
        helpfulness="Excellent",
        comments="Very helpful",
    )
    return reverse("evaluations:comments")


def _answer_link(w):
    _sending, token = factories.send_form(w.team.service, w.team.officer, case=w.case)
    return reverse("evaluations:answer", kwargs={"service": w.team.service.pk, "token": token})


def _rating_page(w):
    figure = quality.make_figure(w.team)
    return reverse("quality:rating-edit", args=[figure.rating_id])


def _assessment_page(w):
    # The "Build PDF" button is on the assessment's page; its URL only takes a POST.
    return reverse(
        "quality:assessment-detail", args=[quality.make_assessment(w.team, final=True).pk]
    )


def _plan_page(w):
    return reverse("quality:plan-detail", args=[quality.make_plan(w.team).pk])


def _updated_plan_page(w):
    # The "Build PDF" button shows once the plan has a recorded update.
    return reverse("quality:plan-detail", args=[quality.make_plan(w.team, updates=1).pk])


def _event_page(w):
    event = factories.make_event(w.team.service, w.team.officer)
    return reverse("evaluations:event-detail", args=[event.pk])


def _letter(w):
    sending, _token = factories.send_form(w.team.service, w.team.officer, case=w.case)
    return reverse("evaluations:reprint", args=[sending.pk])


def _annual_report_page(w):
    year = reverse("publications:annual-pdf", kwargs=RULES["publications:annual-pdf"].kwargs)
    return year.removesuffix("pdf/")


WHERE = {
    "login": Where(page=lambda w: reverse("login"), anonymous=True),
    "logout": Where(page=lambda w: reverse("casework:my-work")),
    "casework:case-log-contact": Where(page=_family_contact_page),
    "volunteers:volunteer-status": Where(page=_volunteer_page),
    "volunteers:volunteer-supervision": Where(page=_volunteer_page),
    # Each on its own page (the correction, the month locks).
    "volunteers:my-return-correct": Where(page=_own_page("volunteers:my-return-correct")),
    "volunteers:returns-locks": Where(page=_own_page("volunteers:returns-locks")),
    "volunteers:course-edit": Where(page=_course_page),
    "volunteers:course-add-session": Where(page=_course_page),
    "volunteers:course-enrol": Where(page=_course_page),
    "evaluations:answer": Where(page=_answer_link, anonymous=True),
    "evaluations:retry": Where(page=_failed_email),
    # No page offers a reprint button yet: the URL is posted to directly.
    "evaluations:reprint": Where(post_to=_letter),
    "evaluations:comment-publish": Where(page=_comment),
    "evaluations:form-draft": Where(page=_published_form),
    "evaluations:form-copy": Where(page=_published_form),
    "evaluations:form-retire": Where(page=_published_form),
    "evaluations:form-publish": Where(page=_draft_form),
    "evaluations:form-questions": Where(
        page=lambda w: _draft_form(w, page="evaluations:form-questions")
    ),
    "evaluations:event-hand-out": Where(page=_event_page),
    "quality:rating-figure": Where(page=_rating_page),
    "quality:rating-document": Where(page=_rating_page),
    "quality:figure-remove": Where(page=_rating_page),
    "quality:assessment-build-pdf": Where(page=_assessment_page),
    "quality:plan-update": Where(page=_plan_page),
    "quality:plan-copy": Where(page=_plan_page),
    "quality:plan-build-pdf": Where(page=_updated_plan_page),
    "reset-second-factor": Where(page=lambda w: reverse("staff-accounts")),
    "publications:annual-pdf": Where(page=_annual_report_page),
    "publications:benchmarking-pdf": Where(
        page=lambda w: reverse(
            "publications:benchmarking-return", kwargs=RULES["publications:benchmarking-pdf"].kwargs
        )
    ),
    # Subject access requests: each form on its own page (access_requests.views).
    "access_requests:request-create": Where(page=_own_page("access_requests:request-create")),
    "access_requests:request-bundle": Where(page=_own_page("access_requests:request-bundle")),
    "access_requests:request-complete": Where(page=_own_page("access_requests:request-complete")),
    # The confirmation offers its form only while a family is due.
    "retention:anonymise-due": Where(page=_family_due),
    # The dashboard's thresholds: every measure on one form, on its own page.
    "reports:targets": Where(page=lambda w: reverse("reports:targets")),
    # The upload form is on the index page (its own); the go-ahead is on a checked upload's
    # page, and the whole-service export is a button on the index page.
    "transfers:confirm": Where(
        page=lambda w: reverse("transfers:run", args=[make_import_run(w.team).pk])
    ),
    "transfers:export": Where(page=lambda w: reverse("transfers:index")),
}


def signed_in_user(name, team):
    rule = RULES[name]
    # Pages for anyone signed in (signing out) are tried as a coordinator.
    role = next((role for role in ROLE_ORDER if role in rule.roles), Role.COORDINATOR)
    return team.by_role(role)


def value_for(field: Field):
    """A strategy for one field: what the page offers, or awkward input, or nothing."""
    if field.kind == "button":
        return st.sampled_from(field.options)
    if field.kind == "file":
        return st.one_of(st.builds(inputs.upload, inputs.file_names, inputs.file_bodies), st.none())
    offered = []
    if field.options:
        offered.append(
            st.lists(st.sampled_from(field.options), unique=True)
            if field.multiple
            else st.sampled_from(field.options)
        )
    if field.initial:
        offered.append(st.just(field.initial if field.multiple else field.initial[0]))
    return st.one_of(*offered, inputs.anything, st.none())


def payload_for(form: PageForm):
    fields = {name: value_for(field) for name, field in form.fields.items()}
    return st.fixed_dictionaries(
        fields, optional={"unexpected": inputs.anything} if not fields else {}
    ).map(lambda data: {key: value for key, value in data.items() if value is not None})


def forms_posting_to(name: str, page: str, html: str) -> list[PageForm]:
    found = []
    for form in post_forms(html):
        path = urlsplit(form.action).path or urlsplit(page).path
        if resolve(path).view_name == name:
            form.action = path
            found.append(form)
    return found


def find_forms(client, name, world):
    where = WHERE.get(name, Where(page=_own_page(name)))
    if where.post_to:
        return [PageForm(action=where.post_to(world))]
    page = where.page(world)
    response = client.get(page)
    assert response.status_code == 200, f"{page} answered {response.status_code}"
    forms = forms_posting_to(name, page, response.content.decode())
    assert forms, f"no form on {page} posts to {name}: say in WHERE which page shows it"
    return forms


# Inputs hypothesis found that broke a form, shrunk, kept so that they stay tested: by URL,
# fields that replace what the page's first such form holds.
FOUND = {
    # A blank moderation date re-rendered the course page with two `course_form`s: a 500.
    "volunteers:course-edit": [{"moderated_on": " "}],
    # A way back that is not a path: redirect() took it for a view name (a 500), and a
    # control character cannot go into the Location header.
    "evaluations:comment-publish": [
        {"back": "a\x00b", "publishable": "yes"},
        {"back": "/evaluations/\r\nX-Injected: 1"},
    ],
    # A 5,000-character username: django-axes could not store the failed attempt (a 500).
    "login": [{"username": "x" * 5000, "password": "wrong"}],
    # The same way back, read from the follow-up form (found by reading, not by hypothesis).
    "casework:follow-up-done": [{"next": "a b"}, {"next": "/casework/\r\n"}],
}


def as_offered(form: PageForm) -> dict:
    """What the form posts untouched."""
    return {
        name: (field.initial if field.multiple else field.initial[0])
        for name, field in form.fields.items()
        if field.initial
    }


@pytest.mark.parametrize("name", [name for name in post_url_names() if name not in NO_FORM])
def test_generated_input_never_breaks_a_form_or_half_saves(client, team, name):
    world = build_world(team)
    where = WHERE.get(name, Where())
    user = None if where.anonymous else signed_in_user(name, team)
    if user:
        client.force_login(user)
    forms = find_forms(client, name, world)

    def post(action, payload):
        with transaction.atomic():
            if user:
                client.force_login(user)
            before = snapshot.take(COMPARED)
            response = client.post(action, payload)
            assert response.status_code < 500
            if response.status_code not in (301, 302, 303) and is_page(response):
                changes = snapshot.changed(before, snapshot.take(COMPARED))
                assert not changes, f"refused with {response.status_code} but wrote {changes}"
            transaction.set_rollback(True)

    for fields in FOUND.get(name, []):
        post(forms[0].action, as_offered(forms[0]) | fields)

    @PROPERTY_SETTINGS
    @given(data=st.data())
    def post_generated_input(data):
        form = data.draw(st.sampled_from(forms), label="form")
        post(form.action, data.draw(payload_for(form), label="payload"))

    post_generated_input()


def is_page(response):
    return response.get("Content-Type", "").startswith("text/html")


def test_every_post_url_without_a_form_is_still_a_url():
    assert set(NO_FORM) <= set(post_url_names())


def test_the_snapshot_sees_a_changed_row_a_new_row_and_a_history_row(team):
    """The "nothing written" check itself: it must see every kind of write."""
    case = factories.open_case(team.service, team.officer)
    before = snapshot.take(COMPARED)
    # Bypasses the history on purpose: only the case row changes.
    type(case).objects.filter(pk=case.pk).update(reference="X-CHANGED")
    assert list(snapshot.changed(before, snapshot.take(COMPARED))) == ["casework_case"]
    before = snapshot.take(COMPARED)
    factories.log_contact(case, team.officer)
    changed = snapshot.changed(before, snapshot.take(COMPARED))
    assert "casework_contact" in changed
    assert any(table.startswith("casework_historical") for table in changed)
