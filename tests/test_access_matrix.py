"""Every URL of the product, for every role, on its own and on another service's object.

The URL list comes from the URLconf itself: a URL pattern without a name fails
`test_every_url_pattern_has_a_name`, and a named one without a rule here fails
`test_every_url_has_a_rule`. Expected statuses: 200 for a role the page is for, 403 for a
role it is not for, 404 for another service's object (or a case not allocated to a
volunteer), 302 to the sign-in page for anyone not signed in.

Every URL whose view takes a POST is also posted to by every role and by no one, with this
service's records and with the other service's, with the form's own fields filled from the
page: a refused POST must answer 403/404 (302 to sign in) and change no row of any table.
The Django admin is checked on its own below: superusers only. docs/testing.md explains.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import NoReverseMatch, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.views.generic import RedirectView

from access_requests.actions import record_request
from casework import actions
from casework.access import DOCUMENT_UPLOADERS
from casework.enums import LetterKind
from casework.models import Correspondence, Feedback, LetterTemplate, ReferralRoute
from evaluations.actions import record_response
from evaluations.models import EvaluationForm
from pps.models import AccessLog, Locality, Service, User
from pps.roles import AGGREGATES, CASEWORK, COORDINATORS, STAFF, Role
from publications.benchmarking import latest_ended_year
from reports.periods import academic_year_containing, financial_year
from retention import actions as retention
from tests import factories, snapshot
from tests.factories import VerifiedClient
from tests.quality import factories as quality
from tests.transfers.factories import make_import_run
from volunteers.actions import enrol_trainee
from volunteers.models import CourseSession, MonthlyReturn, TrainingCourse

pytestmark = pytest.mark.django_db

# Every role, the network analyst too: analysts belong to no service, so every page of
# service data is refused to them.
SIGNED_IN = list(Role)
VOLUNTEER_ONLY = frozenset({Role.VOLUNTEER})
DOCUMENT_READERS = STAFF | {Role.STEERING}
ONLY_THEIR_OWN_DOCUMENTS = {Role.CASE_OFFICER: 404, Role.ADMIN_SUPPORT: 404}
# The roles the home page sends somewhere (analysts to the network report); anyone else
# is refused.
HOME_ROLES = STAFF | {Role.VOLUNTEER, Role.STEERING, Role.NETWORK_ANALYST}
# The network report: analysts (of no service) and coordinators (pps.access.may_read_network).
NETWORK_READERS = COORDINATORS | {Role.NETWORK_ANALYST}


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
    # Exceptions for a POST, by role, a role mapped to None being allowed (None: as for a GET).
    post_special: dict | None = None
    # What a POST sends when the page has no form to copy (buttons that only POST).
    post_data: dict | None = None


def _case(w):
    return {"pk": w.case.pk}


def _appointment(w):
    """A booked appointment on the world's case (each URL gets its own: a POST may cancel
    it or record it as held)."""
    appointment = actions.book_appointment(
        case=w.case,
        officer=w.team.officer,
        starts_at=timezone.now() + timedelta(days=1),
        minutes=45,
        kind="home_visit",
        place="The family's home",
    )
    return {"pk": appointment.pk}


def _volunteer(w):
    return {"pk": w.team.volunteer_record.pk}


def _monthly_return(w):
    """The service's volunteer's return for last month (made once, then found again)."""
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    monthly_return, _made = MonthlyReturn.objects.get_or_create(
        service=w.team.service, volunteer=w.team.volunteer_record, month=month
    )
    return {"pk": monthly_return.pk}


def _course(w):
    return {"pk": w.course.pk}


def _sending(w):
    sending, _token = factories.send_form(w.team.service, w.team.officer, case=w.case)
    return sending


def _form(w):
    return EvaluationForm.objects.filter(service=w.team.service).order_by("id").first()


def _event(w):
    return factories.make_event(w.team.service, w.team.officer)


def _comment(w):
    """A parent's comment on a form sent by the service (what a coordinator may publish)."""
    sending = _sending(w)
    questions = {q.key: q.pk for q in sending.version.questions.all()}
    response = record_response(
        sending=sending,
        answers={questions["helpfulness"]: ["Good"], questions["comments"]: ["Kind words"]},
        source="paper",
    )
    return response.answers.get(question__key="comments")


def _access_request(w):
    """A subject access request about the world's case's parent (coordinators only)."""
    request = record_request(
        parent=w.case.parent,
        received_on=timezone.localdate(),
        requester="The parent, by email",
        by=w.team.coordinator,
    )
    return {"pk": request.pk}


def _family(w):
    return {"pk": w.case.parent_id}


def _hold(w):
    hold = retention.place_legal_hold(
        parent=w.case.parent, by=w.team.coordinator, reason="A claim is pending"
    )
    return {"pk": hold.pk}


def _letter_template(w):
    """The service's letter template (made once, then found again)."""
    template, _made = LetterTemplate.objects.get_or_create(
        service=w.team.service,
        name="Appointment confirmation",
        defaults={"kind": LetterKind.LETTER, "body": "Dear [parent name],"},
    )
    return template


def _correspondence(w):
    """A letter produced from the world's case, with its PDF (made once, then found again)."""
    copy = Correspondence.objects.filter(case=w.case).first()
    if copy is None:
        copy = actions.send_correspondence(
            case=w.case,
            by=w.team.officer,
            kind=LetterKind.LETTER,
            subject="Your appointment",
            body="Dear parent,",
            minutes=10,
            template=_letter_template(w),
        )
    return {"pk": copy.pk}


def _report_year() -> int:
    """The academic year an annual report URL names: the last one ended (a default service
    starts its years in September)."""
    return academic_year_containing(timezone.localdate()).first.year - 1


REPORT_YEAR = {"year": _report_year()}
# The financial year the network report URLs name: the current one.
_today = timezone.localdate()
NETWORK_YEAR = {"year": financial_year(_today.year - (_today.month < 4)).first.year}
# The financial year a benchmarking return URL names: the last one ended.
RETURN_YEAR = {"year": latest_ended_year()}

RULES = {
    "home": Rule(HOME_ROLES, special={r: 302 for r in HOME_ROLES}),
    "login": Rule(frozenset(), special={r: 302 for r in SIGNED_IN}, anonymous=200),
    # Signing out is a POST; a GET is refused to anyone signed in.
    "logout": Rule(
        frozenset(),
        special={r: 405 for r in SIGNED_IN},
        # Signing out is for everyone signed in (and notes the time in the sign-in log).
        post_special=dict.fromkeys(SIGNED_IN),
    ),
    "service-settings": Rule(COORDINATORS),
    # Generated documents (pps/documents.py): whoever may ask for one (staff print hand-outs
    # and make long exports). The document here is a steering member's suppressed copy:
    # coordinators and steering see it; other staff see only their own, so 404.
    "document-list": Rule(DOCUMENT_READERS),
    "document-status": Rule(
        DOCUMENT_READERS,
        lambda w: {"pk": quality.make_generated_document(w.team).pk},
        special=ONLY_THEIR_OWN_DOCUMENTS,
    ),
    "document-download": Rule(
        DOCUMENT_READERS,
        lambda w: {"pk": quality.make_generated_document(w.team).pk},
        special=ONLY_THEIR_OWN_DOCUMENTS,
    ),
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
    # Documents: added by case officers and coordinators from the case's or parent's page
    # (a GET shows that page); a case's document read by whoever sees the case.
    "casework:case-add-document": Rule(DOCUMENT_UPLOADERS, _case),
    "casework:parent-add-document": Rule(DOCUMENT_UPLOADERS, lambda w: {"pk": w.case.parent_id}),
    "casework:document-download": Rule(
        CASEWORK, lambda w: {"pk": factories.add_document(w.team.officer, case=w.case).pk}
    ),
    # Letters and emails from a case (casework/views/letters.py): staff write them; the copy
    # kept is read wherever the case is, a volunteer's allocated case too.
    "casework:case-letter-start": Rule(STAFF, _case),
    "casework:case-letter-write": Rule(
        STAFF, lambda w: {"pk": w.case.pk, "template": _letter_template(w).pk}
    ),
    "casework:correspondence": Rule(CASEWORK, _correspondence),
    "casework:correspondence-pdf": Rule(CASEWORK, _correspondence),
    "casework:letter-template-list": Rule(COORDINATORS),
    "casework:letter-template-edit": Rule(COORDINATORS, lambda w: {"pk": _letter_template(w).pk}),
    # Appointments are paid staff's diary: volunteers and steering never see them.
    "casework:appointment-book": Rule(STAFF, _case),
    "casework:appointment-edit": Rule(STAFF, _appointment),
    "casework:appointment-cancel": Rule(STAFF, _appointment),
    "casework:appointment-held": Rule(STAFF, _appointment),
    "casework:appointment-calendar": Rule(STAFF, _appointment),
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
    # The steering group dashboard, its CSV and the coordinators' targets form.
    "reports:dashboard": Rule(AGGREGATES),
    "reports:dashboard-export": Rule(AGGREGATES),
    "reports:targets": Rule(COORDINATORS),
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
    # A volunteer corrects their own return (another's, or another service's, is not found).
    "volunteers:my-return-correct": Rule(VOLUNTEER_ONLY, _monthly_return),
    # Coordinators lock and unlock a month of returns on its own page.
    "volunteers:returns-locks": Rule(COORDINATORS),
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
    # --- the network report (issue 13): a financial year names no record of a service. The
    # matrix's service does not take part, so its coordinator is told so on the page and
    # refused the CSV; tests/reports/test_network_report.py opens both for a taking-part
    # coordinator. ---
    "reports:network-index": Rule(NETWORK_READERS, special={r: 302 for r in NETWORK_READERS}),
    "reports:network": Rule(NETWORK_READERS, kwargs=NETWORK_YEAR),
    "reports:network-csv": Rule(
        NETWORK_READERS,
        kwargs={**NETWORK_YEAR, "table": "service-users"},
        special={Role.COORDINATOR: 403},
    ),
    "reports:evaluation-results-export": Rule(AGGREGATES),
    # --- the annual report (issue 12): a year names no record of a service ---
    "publications:annual-index": Rule(AGGREGATES, special={r: 302 for r in AGGREGATES}),
    "publications:annual-report": Rule(AGGREGATES, kwargs=REPORT_YEAR),
    "publications:annual-xlsx": Rule(AGGREGATES, kwargs=REPORT_YEAR),
    "publications:annual-json": Rule(AGGREGATES, kwargs=REPORT_YEAR),
    "publications:annual-csv": Rule(
        AGGREGATES,
        kwargs={
            **REPORT_YEAR,
            "table": f"case-movements-{REPORT_YEAR['year']}-{(REPORT_YEAR['year'] + 1) % 100:02d}",
        },
    ),
    # Queues the PDF for the background worker; a GET goes back to the report.
    "publications:annual-pdf": Rule(AGGREGATES, kwargs=REPORT_YEAR, on_get=302),
    "publications:narrative-edit": Rule(COORDINATORS, kwargs={**REPORT_YEAR, "part": "context"}),
    "publications:monthly-activity": Rule(STAFF, kwargs=REPORT_YEAR),
    # --- the benchmarking return (issue 13): a financial year names no record either ---
    "publications:benchmarking-index": Rule(AGGREGATES, special={r: 302 for r in AGGREGATES}),
    "publications:benchmarking-return": Rule(AGGREGATES, kwargs=RETURN_YEAR),
    "publications:benchmarking-xlsx": Rule(AGGREGATES, kwargs=RETURN_YEAR),
    "publications:benchmarking-json": Rule(AGGREGATES, kwargs=RETURN_YEAR),
    "publications:benchmarking-csv": Rule(
        AGGREGATES,
        kwargs={
            **RETURN_YEAR,
            "table": f"service-users-{RETURN_YEAR['year']}-{(RETURN_YEAR['year'] + 1) % 100:02d}",
        },
    ),
    # Queues the PDF for the background worker; a GET goes back to the return.
    "publications:benchmarking-pdf": Rule(AGGREGATES, kwargs=RETURN_YEAR, on_get=302),
    "publications:benchmarking-denominators": Rule(COORDINATORS, kwargs=RETURN_YEAR),
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
    # Buttons that only POST: a GET by an allowed role is 405 before any record is read
    # (on another service's record too).
    "evaluations:retry": Rule(STAFF, lambda w: {"pk": _sending(w).pk}, on_get=405),
    "evaluations:reprint": Rule(STAFF, lambda w: {"pk": _sending(w).pk}, on_get=405),
    "evaluations:paper-entry": Rule(STAFF),
    "evaluations:paper-response": Rule(STAFF, lambda w: {"pk": _sending(w).pk}),
    "evaluations:comments": Rule(COORDINATORS),
    "evaluations:comment-publish": Rule(
        COORDINATORS, lambda w: {"pk": _comment(w).pk}, on_get=405, post_data={"publishable": "yes"}
    ),
    "evaluations:form-list": Rule(COORDINATORS),
    "evaluations:form-create": Rule(COORDINATORS),
    "evaluations:form-detail": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}),
    # Shipped forms have no draft: the questions page sends the user back to the form.
    "evaluations:form-questions": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}, on_get=302),
    "evaluations:form-draft": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}, on_get=405),
    "evaluations:form-publish": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}, on_get=405),
    "evaluations:form-copy": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}, on_get=405),
    "evaluations:form-retire": Rule(COORDINATORS, lambda w: {"pk": _form(w).pk}, on_get=405),
    "evaluations:event-list": Rule(STAFF | {Role.STEERING}),
    "evaluations:event-export": Rule(STAFF | {Role.STEERING}),
    "evaluations:event-create": Rule(STAFF),
    "evaluations:event-detail": Rule(STAFF | {Role.STEERING}, lambda w: {"pk": _event(w).pk}),
    "evaluations:event-edit": Rule(STAFF, lambda w: {"pk": _event(w).pk}),
    "evaluations:event-hand-out": Rule(STAFF, lambda w: {"pk": _event(w).pk}, on_get=405),
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
    # Queues the PDF for the background worker; a GET goes back to the assessment.
    "quality:assessment-build-pdf": Rule(
        AGGREGATES, lambda w: {"pk": quality.make_assessment(w.team, final=True).pk}, on_get=302
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
    # Queues the plan's PDF for the background worker; a GET goes back to the plan.
    "quality:plan-build-pdf": Rule(
        AGGREGATES, lambda w: {"pk": quality.make_plan(w.team, updates=1).pk}, on_get=302
    ),
    # The evidence pack appends uploaded documents: the service's coordinators only.
    "quality:evidence-pack": Rule(COORDINATORS),
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
    # Subject access requests (access_requests): coordinators only.
    "access_requests:request-list": Rule(COORDINATORS),
    "access_requests:request-create": Rule(COORDINATORS, lambda w: {"parent": w.case.parent_id}),
    "access_requests:request-detail": Rule(COORDINATORS, _access_request),
    "access_requests:request-bundle": Rule(COORDINATORS, _access_request),
    "access_requests:request-complete": Rule(COORDINATORS, _access_request),
    # Retention, legal holds and erasure (docs/data-lifecycle.md): coordinators only.
    "retention:due": Rule(COORDINATORS),
    "retention:anonymise-due": Rule(COORDINATORS),
    "retention:setting": Rule(COORDINATORS),
    "retention:family": Rule(COORDINATORS, _family),
    "retention:hold-place": Rule(COORDINATORS, _family),
    "retention:erase": Rule(COORDINATORS, _family),
    "retention:hold-release": Rule(COORDINATORS, _hold),
    # --- import and export (issue 14): coordinators only; a layout names no record ---
    "transfers:index": Rule(COORDINATORS),
    "transfers:layout": Rule(COORDINATORS, kwargs={"layout": "cases"}),
    "transfers:template": Rule(COORDINATORS, kwargs={"layout": "cases", "format": "xlsx"}),
    "transfers:run": Rule(COORDINATORS, lambda w: {"pk": make_import_run(w.team).pk}),
    # Buttons that only POST: the go-ahead after a preview, and the whole-service export.
    "transfers:confirm": Rule(
        COORDINATORS, lambda w: {"pk": make_import_run(w.team).pk}, on_get=405
    ),
    "transfers:export": Rule(COORDINATORS, on_get=405),
}


def url_patterns():
    """(full name, pattern) for every pattern of the URLconf, included ones too."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            else:
                found.append((namespace + pattern.name if pattern.name else None, pattern))

    walk(get_resolver().url_patterns, "")
    return found


def _django_admin_own_unnamed(pattern):
    """The admin's two unnamed patterns of its own: the catch-all and the old change URL.

    Both are Django's, inside the admin's namespace, and behind the admin's permission check
    (test_the_admin_is_for_superusers_only); any other pattern must have a name.
    """
    view = pattern.callback
    wrapped = getattr(view, "__wrapped__", None)
    if view.__name__ == "catch_all_view" and isinstance(
        getattr(wrapped, "__self__", None), admin.AdminSite
    ):
        return True
    return getattr(view, "view_class", None) is RedirectView and isinstance(
        getattr(view, "model_admin", None), admin.ModelAdmin
    )


def url_names():
    """Every named URL of the URLconf, but the Django admin's (tested on its own below)."""
    return [name for name, _ in url_patterns() if name and not name.startswith("admin:")]


def test_every_url_pattern_has_a_name():
    """A pattern without a name could never get a rule here: so it is not allowed at all."""
    unnamed = [
        str(pattern.pattern)
        for name, pattern in url_patterns()
        if name is None and not _django_admin_own_unnamed(pattern)
    ]
    assert unnamed == [], "URL patterns without a name (so without an access rule)"
    names = [name for name, _ in url_patterns() if name]
    assert sorted({n for n in names if names.count(n) > 1}) == [], "names used twice"


def accepts_post(pattern):
    """Whether the pattern's view takes a POST: a class-based view with a `post` method it
    allows, or any view that is not class-based (we cannot tell, so it is posted to)."""
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None:
        return True
    return "post" in view_class.http_method_names and callable(getattr(view_class, "post", None))


POST_URLS = {name for name, pattern in url_patterns() if name in RULES and accepts_post(pattern)}


def test_the_urls_that_take_a_post_are_found():
    # The detection is what the POST half of the matrix rests on: known ones must be in it,
    # and a page that only shows must not.
    for name in [
        "casework:case-close",
        "casework:case-create",
        "evaluations:retry",
        "evaluations:form-publish",
        "volunteers:volunteer-status",
        "quality:rating-figure",
        "service-settings",
        "logout",
    ]:
        assert name in POST_URLS
    assert "casework:case-list" not in POST_URLS
    assert "reports:overview" not in POST_URLS


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
    # A POST-only button answers a GET with 405 before it reads any record.
    return rule.on_get if scenario == "own" or rule.on_get == 405 else 404


def expected_post(rule, role, scenario):
    """The status a POST must get; None for an allowed role on its own service's record."""
    if role is None:
        return rule.anonymous
    special = rule.special if rule.post_special is None else rule.post_special
    if role in special:
        return special[role]
    if role not in rule.roles:
        return 403
    return None if scenario == "own" else 404


def people(team):
    """(label, role, user) for everyone who signs in: every role, and a network analyst
    wrongly given a service (a user the admin could make), who must be refused all the same."""
    found = [(role.label, role, team.by_role(role)) for role in SIGNED_IN]
    misfiled = factories.UserFactory(service=team.service, role=Role.NETWORK_ANALYST)
    found.append(("Network analyst with a service", Role.NETWORK_ANALYST, misfiled))
    return found


class FormFields(HTMLParser):
    """The fields a browser would send from the page's POST form to `url`, as it stands."""

    def __init__(self, url):
        super().__init__()
        self.url = url
        self.inside = False
        self.data = {}
        # Every value a choice field offers (select options, checkboxes, radio buttons).
        self.options = {}
        # Each field's input type ("select" and "textarea" for those).
        self.kinds = {}
        self.select = None
        self.textarea = None
        self.submitted = False

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or ""
            posts = (attrs.get("method") or "").lower() == "post"
            self.inside = posts and action in ("", self.url) and not self.data
            return
        name = attrs.get("name")
        if not self.inside:
            return
        if tag in ("input", "button") and name:
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            classes = (attrs.get("class") or "").split()
            # Dates typed day/month/year (pps.forms.DateInput and DateTimeInput).
            if kind == "text" and "date-input" in classes:
                kind = "date"
            elif kind == "text" and "datetime-input" in classes:
                kind = "datetime-local"
            if kind in ("submit", "image"):
                if not self.submitted:
                    self.submitted = True
                    self.add(name, attrs.get("value") or "")
            elif kind in ("checkbox", "radio"):
                self.options.setdefault(name, set()).add(attrs.get("value") or "on")
                if "checked" in attrs:
                    self.add(name, attrs.get("value") or "on")
            elif kind not in ("file", "reset", "button"):
                self.kinds[name] = kind
                self.add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self.select, self.first_option, self.chosen = name, None, False
            self.kinds[name] = "select"
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            self.options.setdefault(self.select, set()).add(value)
            if "selected" in attrs:
                self.chosen = True
                self.add(self.select, value)
            elif self.first_option is None and value:
                self.first_option = value
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""
            self.kinds[name] = "textarea"

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.chosen and self.first_option:
                self.add(self.select, self.first_option)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.text)
            self.textarea = None


def read_form(client, url):
    page = client.get(url)
    parser = FormFields(url)
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        parser.feed(page.content.decode())
    return parser


def filled(parser):
    """The form's data with every empty field given a plausible value, so that the form
    would be saved were it not for what the test changes."""
    now = timezone.localtime()
    plausible = {
        "email": "matrix@example.org",
        "date": now.date().isoformat(),
        "datetime-local": now.strftime("%Y-%m-%dT%H:%M"),
        "time": "10:00",
        "number": "1",
        "tel": "01632 960001",
    }
    data = {}
    for name, values in parser.data.items():
        if [value.strip() for value in values] != [""]:
            data[name] = values
            continue
        kind = parser.kinds.get(name, "text")
        if kind == "select":
            offered = sorted(v for v in parser.options.get(name, ()) if v)
            data[name] = offered[:1] or values
        elif "postcode" in name:
            data[name] = ["PE1 1AA"]
        else:
            data[name] = [plausible.get(kind, "Matrix")]
    return data


def foreign_choices_post(url_name, team, other_team, copier):
    """A form with no record in its URL, posted by its own service's user with the choices
    the other service's page offers (its case officers, routes, localities...): refused, and
    nothing written. Returns the mismatches; none when the form offers no such choice."""
    url = reverse(url_name, kwargs=RULES[url_name].kwargs)
    mine, theirs = VerifiedClient(), VerifiedClient()
    mine.force_login(team.by_role(copier))
    theirs.force_login(other_team.by_role(copier))
    own, other = read_form(mine, url), read_form(theirs, url)
    own.data, other.data = filled(own), filled(other)
    # The choices whose value on the other service's page differs from ours: that service's
    # records (not offered on our page, unless our page wrongly offers every service's). An
    # empty choice is no record: ours may have one to offer where theirs has none.
    foreign = {
        name: values
        for name, values in other.data.items()
        if name in own.options and values != own.data.get(name) and all(values)
    }
    mismatches = []
    log = AccessLog._meta.db_table
    # One field at a time, the rest of the form valid: each field must check its own choice.
    for choice, values in sorted(foreign.items()):
        before = snapshot.take(snapshot.every_table())
        response = mine.post(url, {**own.data, choice: values})
        after = snapshot.take(snapshot.every_table())
        if response.status_code != 200:
            got = response.status_code
            mismatches.append(f"POST with the other service's {choice}: got {got}, not 200")
        # The form shown again with its error is a page view like any other: it is logged.
        before[log] = after[log]
        if changed := snapshot.changed(before, after):
            mismatches.append(f"POST with the other service's {choice} wrote: {changed}")
    return mismatches


def signed_in_clients(everyone):
    clients = {}
    for label, _role, user in everyone:
        clients[label] = VerifiedClient()
        clients[label].force_login(user)
    return clients


# The role whose page is copied for a POST's fields: the first of these the URL is for.
FORM_COPIERS = [Role.COORDINATOR, Role.CASE_OFFICER, Role.STEERING, Role.VOLUNTEER]


@pytest.mark.parametrize("name", sorted(RULES))
def test_access(client, team, other_team, name):
    rule = RULES[name]
    worlds = {"own": build_world(team), "other service's": build_world(other_team)}
    scenarios = ["own", "other service's"] if rule.args else ["own"]
    everyone = people(team)
    clients = signed_in_clients(everyone)
    copier = next((role for role in FORM_COPIERS if role in rule.roles), None)
    mismatches = []
    for scenario in scenarios:
        url = reverse(name, kwargs=rule.args(worlds[scenario]) if rule.args else rule.kwargs)
        anonymous = VerifiedClient()
        response = anonymous.get(url)
        if response.status_code != rule.anonymous:
            mismatches.append(
                f"anonymous {scenario}: expected {rule.anonymous}, got {response.status_code}"
            )
        if rule.anonymous == 302 and response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))
        for label, role, _user in everyone:
            status = clients[label].get(url).status_code
            want = expected(rule, role, scenario)
            if status != want:
                mismatches.append(f"{label} {scenario}: expected {want}, got {status}")
        if name in POST_URLS:
            mismatches += posts(
                rule, name, url, scenario, worlds[scenario], copier, everyone, clients
            )
    if name in POST_URLS and not rule.args and copier is not None:
        mismatches += foreign_choices_post(name, team, other_team, copier)
    assert not mismatches, f"{name}:\n" + "\n".join(mismatches)


def posts(rule, name, url, scenario, world, copier, everyone, clients):
    """POST to `url` as everyone; a refused POST must change no table."""
    mismatches = []
    data = dict(rule.post_data or {})
    if copier is not None and not data:
        # Copied as that service's own user sees it (the other service's page holds the
        # other service's records in its choices), empty fields filled: a POST that should
        # have been refused would have saved.
        copier_client = VerifiedClient()
        copier_client.force_login(world.team.by_role(copier))
        data = filled(read_form(copier_client, url))
    allowed = []
    before = snapshot.take(snapshot.every_table())
    for label, role, _user in [("anonymous", None, None), *everyone]:
        want = expected_post(rule, role, scenario)
        if want is None:
            allowed.append(label)
            continue
        client = VerifiedClient() if role is None else clients[label]
        # Rate limits (public links) count in the cache: each POST is judged on access alone.
        cache.clear()
        response = client.post(url, data)
        if response.status_code != want:
            got = response.status_code
            mismatches.append(f"POST {label} {scenario}: expected {want}, got {got}")
        if role is None and want == 302 and name != "logout":
            assert response["Location"].startswith(reverse("login"))
        after = snapshot.take(snapshot.every_table())
        if changed := snapshot.changed(before, after):
            mismatches.append(f"POST {label} {scenario} ({want}) wrote: {changed}")
        before = after
    for label in allowed:
        # Allowed on its own record: it may succeed or show the form's errors, never a 500
        # (the test client raises the view's exception).
        assert clients[label].post(url, data).status_code < 500
    return mismatches


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


def admin_urls():
    """Every page of the Django admin: the site's own, and each registered model's list,
    add, change, history and delete pages, on a real record where the table has one."""
    service = Service.objects.order_by("pk").first()
    urls = [
        reverse("admin:index"),
        reverse("admin:logout"),
        reverse("admin:password_change"),
        reverse("admin:password_change_done"),
        reverse("admin:jsi18n"),
        reverse("admin:autocomplete"),
        reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(Service).pk, service.pk]
        ),
    ]
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    urls += [reverse("admin:app_list", args=[label]) for label in labels]
    for name, pattern in url_patterns():
        view = pattern.callback
        model_admin = getattr(view, "model_admin", None) or getattr(
            getattr(view, "__wrapped__", None), "__self__", None
        )
        if not name or not isinstance(model_admin, admin.ModelAdmin):
            continue
        record = model_admin.model._default_manager.order_by("pk").first()
        # Lists and add pages take nothing; change, history, delete (and any page a model's
        # admin adds, such as a user's password) take the record.
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            urls.append(reverse(name, args=[record.pk if record else 0]))
    return urls


def _admin_world(client, team):
    build_world(team)
    # An access-log row, so its admin pages show a real one.
    client.force_login(team.officer)
    client.get(reverse("casework:case-list"))
    client.logout()
    return admin_urls()


def test_the_admin_pages_are_all_listed(client, team):
    visited = {resolve(url).view_name for url in _admin_world(client, team)}
    every = {name for name, _ in url_patterns() if name and name.startswith("admin:")}
    assert every - visited == {"admin:login"}


def _sent_to_admin_sign_in(response):
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    # The admin sends anyone it refuses to its sign-in page (from its sign-out: its index);
    # someone not signed in may meet the site's own sign-in page first.
    return response.status_code == 302 and (
        location.startswith((reverse("admin:login"), reverse("login")))
        or location == reverse("admin:index")
    )


def test_the_admin_is_for_superusers_only(client, team):
    urls = _admin_world(client, team)
    # A user flagged as staff is still not a superuser: the admin stays shut.
    flagged = factories.UserFactory(service=team.service, role=Role.COORDINATOR, is_staff=True)
    refused = [*people(team), ("Coordinator flagged as staff", Role.COORDINATOR, flagged)]
    clients = {"anonymous": VerifiedClient(), **signed_in_clients(refused)}
    mismatches = []
    before = snapshot.take(snapshot.every_table())
    for url in urls:
        for label, person in clients.items():
            for method in ("get", "post"):
                response = getattr(person, method)(url, {})
                if not _sent_to_admin_sign_in(response):
                    got = (response.status_code, response.get("Location"))
                    mismatches.append(f"{method.upper()} {url} {label}: {got}")
        after = snapshot.take(snapshot.every_table())
        if changed := snapshot.changed(before, after):
            mismatches.append(f"POST {url} wrote: {changed}")
        before = after
    assert not mismatches, "\n".join(mismatches)

    superuser = factories.UserFactory(is_superuser=True, is_staff=True, service=None)
    client.force_login(superuser)
    view_on_site = urls[6]
    for url in urls:
        if url.startswith(reverse("admin:autocomplete")):
            continue  # Needs a field to complete: Django's own view, not ours.
        response = client.get(url)
        # 403: pages the admin closes to everyone (adding to the access log); 405: sign-out;
        # 404: a service has no page on the site to view.
        assert response.status_code in (200, 302, 403, 405) or url == view_on_site, url
        sign_in = (reverse("admin:login"), reverse("login"))
        assert not response.get("Location", "").startswith(sign_in), url
    assert client.get(reverse("admin:index")).status_code == 200
    for model in (Service, User, Locality, AccessLog):
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
        record = model.objects.order_by("pk").first()
        assert client.get(reverse(f"{prefix}_change", args=[record.pk])).status_code == 200


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
