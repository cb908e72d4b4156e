"""Every page that shows personal data writes one access-log row per view, and a search
term never lands in the log (docs/architecture.md, "Privacy in one place").

The URL list is the access matrix's: a URL added to the product must be placed here as
showing personal data or not, or `test_every_url_is_classified` fails.
"""

import pytest
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from pps.models import AccessLog
from pps.roles import Role
from tests import factories
from tests.test_access_matrix import RULES, build_world

pytestmark = pytest.mark.django_db

# Pages (and exports) that show a case, parent, child, contact, enquiry, feedback giver,
# volunteer or evaluation recipient.
PERSONAL = {
    "casework:my-work",
    "casework:my-allocated-cases",
    "casework:case-list",
    "casework:case-export",
    "casework:case-start",
    "casework:case-create",
    "casework:case-detail",
    "casework:case-log-contact",
    "casework:case-edit",
    "casework:case-close",
    "casework:case-reopen",
    "casework:case-allocate",
    "casework:case-end-allocation",
    "casework:case-audit",
    "casework:case-add-document",
    "casework:parent-add-document",
    "casework:document-download",
    "casework:case-letter-start",
    "casework:case-letter-write",
    "casework:correspondence",
    "casework:correspondence-pdf",
    "casework:follow-up-done",
    "casework:appointment-book",
    "casework:appointment-edit",
    "casework:appointment-cancel",
    "casework:appointment-held",
    # The calendar file names the case and the place (casework/ics.py).
    "casework:appointment-calendar",
    "casework:parent-list",
    "casework:parent-export",
    "casework:parent-detail",
    "casework:parent-edit",
    "casework:child-edit",
    "casework:enquiry-list",
    "casework:enquiry-export",
    "casework:enquiry-detail",
    "casework:feedback-list",
    "casework:feedback-export",
    "casework:feedback-edit",
    "volunteers:register",
    "volunteers:register-export",
    "volunteers:volunteer-detail",
    "volunteers:volunteer-edit",
    "volunteers:volunteer-status",
    "volunteers:volunteer-supervision",
    "volunteers:returns",
    "volunteers:returns-export",
    "volunteers:my-returns",
    "volunteers:my-return-correct",
    "volunteers:returns-locks",
    "volunteers:course-detail",
    "volunteers:course-edit",
    "volunteers:course-add-session",
    "volunteers:course-enrol",
    "volunteers:course-attendance",
    "volunteers:course-complete",
    "volunteers:meeting-list",
    "volunteers:meeting-create",
    "evaluations:due",
    "evaluations:send-parent",
    "evaluations:send-professional",
    "evaluations:sending-list",
    "evaluations:sending-export",
    "evaluations:paper-response",
    "evaluations:comments",
    "quality:document-download",
    "access_requests:request-list",
    "access_requests:request-create",
    "access_requests:request-detail",
    "access_requests:request-bundle",
    "access_requests:request-complete",
    # The families due, one family's retention page and the forms about it name the parent.
    "retention:due",
    "retention:family",
    "retention:hold-place",
    "retention:hold-release",
    "retention:erase",
    # An upload's preview shows the names in the file's first rows.
    "transfers:run",
}

# Pages of figures, settings, blank forms and public pages: no one's personal data.
NOT_PERSONAL = {
    "home",
    "login",
    "logout",
    # Generated documents: the list and status pages show titles and colleagues' names. A
    # download is recorded when the document may hold personal data (a coordinator's copy,
    # tests/pps/test_documents.py); the matrix's document is a steering member's, which
    # holds aggregates only.
    "document-list",
    "document-status",
    "document-download",
    "quality:assessment-build-pdf",
    # Signing in and passwords show nobody's records; the staff list names colleagues only,
    # and a second-factor reset (a POST) writes its own row.
    "two-factor-verify",
    "two-factor-setup",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "staff-accounts",
    "reset-second-factor",
    "service-settings",
    "casework:enquiry-create",
    "casework:feedback-create",
    "casework:codelist-index",
    "casework:codelist",
    "casework:codelist-item",
    # A service's templates: its own words with placeholders, no family's data.
    "casework:letter-template-list",
    "casework:letter-template-edit",
    "reports:overview",
    "reports:dashboard",
    "reports:dashboard-export",
    "reports:targets",
    "reports:evaluation-results",
    "reports:evaluation-results-export",
    # The network report: figures of numbered services, suppressed, no name of anyone.
    "reports:network-index",
    "reports:network",
    "reports:network-csv",
    # The annual report: figures, the narrative the coordinator writes for publishing, staff
    # names in its team appendix, no family's data (docs/reporting.md, "The annual report").
    "publications:annual-index",
    "publications:annual-report",
    "publications:annual-xlsx",
    "publications:annual-json",
    "publications:annual-csv",
    "publications:annual-pdf",
    "publications:narrative-edit",
    "publications:monthly-activity",
    # The benchmarking return: counts, ratios and entered facts, no family's data and no
    # names (docs/reporting.md, "The benchmarking return").
    "publications:benchmarking-index",
    "publications:benchmarking-return",
    "publications:benchmarking-xlsx",
    "publications:benchmarking-json",
    "publications:benchmarking-csv",
    "publications:benchmarking-pdf",
    "publications:benchmarking-denominators",
    "volunteers:volunteer-create",
    "volunteers:course-list",
    "volunteers:course-create",
    "evaluations:answer",
    "evaluations:answered",
    "evaluations:send",
    "evaluations:retry",
    "evaluations:reprint",
    "evaluations:paper-entry",
    "evaluations:comment-publish",
    "evaluations:form-list",
    "evaluations:form-create",
    "evaluations:form-detail",
    "evaluations:form-questions",
    "evaluations:form-draft",
    "evaluations:form-publish",
    "evaluations:form-copy",
    "evaluations:form-retire",
    # Events are counted, never named (evaluations/models/event.py).
    "evaluations:event-list",
    "evaluations:event-export",
    "evaluations:event-create",
    "evaluations:event-detail",
    "evaluations:event-edit",
    "evaluations:event-hand-out",
    "quality:index",
    "quality:framework-import",
    "quality:framework-detail",
    "quality:framework-revise",
    "quality:assessment-create",
    "quality:assessment-detail",
    "quality:assessment-print",
    "quality:assessment-pdf",
    "quality:assessment-compare",
    "quality:assessment-finalise",
    "quality:rating-edit",
    "quality:rating-figure",
    "quality:rating-document",
    "quality:figure-remove",
    "quality:plan-create",
    "quality:plan-detail",
    "quality:plan-update",
    "quality:plan-copy",
    "quality:plan-build-pdf",
    # The evidence pack's page lists the packs built (titles and colleagues' names); the
    # pack itself is a document whose download is recorded (it may hold personal data).
    "quality:evidence-pack",
    "quality:plan-entry-edit",
    "quality:review-create",
    "quality:review-detail",
    "quality:review-edit",
    "quality:review-bands",
    "quality:review-action-create",
    "quality:action-edit",
    "quality:feedback-summary",
    "quality:feedback-summary-export",
    "quality:steering-group",
    "quality:seat-edit",
    # The confirmation says how many families are due, never who; the setting is numbers.
    "retention:anonymise-due",
    "retention:setting",
    # Import and export: the upload form, layouts and templates hold no one's data; the
    # go-ahead redirects to the upload's page (which is recorded). Asking for the
    # whole-service export is recorded as an export by its view and each download as a
    # document's (tests/transfers/test_round_trip.py).
    "transfers:index",
    "transfers:layout",
    "transfers:template",
    "transfers:confirm",
    "transfers:export",
}

# Forms posted from a page of personal data: the GET redirects to that page, so they are
# checked through an invalid POST below.
POSTED_FROM_ANOTHER_PAGE = {name for name in PERSONAL if RULES[name].on_get == 302}


# The footer of every page of personal data, and of no other page (issue 15).
WARNING = "Confidential: personal data of parents and children."


def _reader(rule):
    return Role.COORDINATOR if Role.COORDINATOR in rule.roles else Role.VOLUNTEER


def test_every_url_is_classified():
    assert PERSONAL.isdisjoint(NOT_PERSONAL)
    assert set(RULES) == PERSONAL | NOT_PERSONAL, "place each URL in PERSONAL or NOT_PERSONAL"


@pytest.mark.parametrize("name", sorted(PERSONAL - POSTED_FROM_ANOTHER_PAGE))
def test_each_view_of_a_personal_data_page_writes_one_log_row(client, team, name):
    rule = RULES[name]
    world = build_world(team)
    url = reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)
    reader = team.by_role(_reader(rule))
    client.force_login(reader)
    before = AccessLog.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert len(rows) == 1, f"{name}: {len(rows)} access-log rows for one view"
    assert rows[0].user == reader and rows[0].service_id == team.service.pk
    assert rows[0].path == url
    if response["Content-Type"].startswith("text/html"):
        assert WARNING in response.content.decode(), f"{name}: no personal-data warning"


# Invalid input for each form: the page is drawn again with its errors and its personal
# data, which is a view like any other.
INVALID_POSTS = {
    "casework:case-log-contact": {"at": "not a time", "method": "phone_out", "minutes": "0"},
    "casework:case-close": {"on": "not a date", "reason": "resolved", "outcome": "resolved"},
    "casework:case-reopen": {"on": "not a date"},
    "casework:case-allocate": {"volunteer": "", "started_on": "not a date"},
    "casework:case-end-allocation": {"on": "not a date"},
    "casework:follow-up-done": {"on": "not a date"},
    "casework:appointment-book": {"starts_at": "not a time", "minutes": "0", "kind": "office"},
    "casework:appointment-held": {"at": "not a time", "method": "office", "minutes": "0"},
    "casework:case-create": {"case-received_on": "not a date"},
    "casework:case-add-document": {"title": ""},
    "casework:parent-add-document": {"title": ""},
    "casework:case-letter-write": {"body": "", "minutes": "0", "preview": "1"},
    "volunteers:volunteer-status": {"status": "left", "on": "not a date"},
    "volunteers:volunteer-supervision": {"kind": "nonsense", "on": "not a date"},
    "volunteers:my-returns": {"month": "not a month"},
    "volunteers:my-return-correct": {"phone_hours": "lots"},
    "volunteers:returns-locks": {"month": "not a month", "action": "lock"},
    "volunteers:course-edit": {"title": ""},
    "volunteers:course-add-session": {"on": "not a date"},
    "volunteers:course-enrol": {"volunteer": "not a volunteer"},
    "volunteers:course-complete": {"completed_on": "not a date"},
    "volunteers:meeting-create": {"on": "not a date"},
    "access_requests:request-create": {"received_on": "not a date"},
    "access_requests:request-bundle": {"redacted_names": "A"},
    "access_requests:request-complete": {"on": "not a date"},
    "retention:hold-place": {"reason": ""},
    "retention:hold-release": {"release_reason": ""},
    "retention:erase": {"reason": "", "confirm": "on"},
}


@pytest.mark.parametrize("name", sorted(INVALID_POSTS))
def test_a_page_drawn_again_after_an_invalid_post_writes_one_log_row(client, team, name):
    rule = RULES[name]
    world = build_world(team)
    url = reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)
    client.force_login(team.by_role(_reader(rule)))
    before = AccessLog.objects.count()
    response = client.post(url, INVALID_POSTS[name])
    assert response.status_code in (200, 400), response.status_code
    assert "is-invalid" in response.content.decode() or response.context["form"].errors
    assert AccessLog.objects.count() == before + 1, name
    assert WARNING in response.content.decode(), name


def test_no_other_page_carries_the_personal_data_warning(client, team):
    """Every page of the URLs that show no one's records, as a role that may open it: a
    warning on every page would go unread where it matters."""
    world = build_world(team)
    shown = []
    for name in sorted(NOT_PERSONAL):
        rule = RULES[name]
        if rule.on_get != 200 or not rule.roles:
            continue
        url = reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)
        role = min(rule.roles, key=lambda role: role != Role.COORDINATOR)
        client.force_login(team.by_role(role))
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        if response.status_code == 200 and WARNING in response.content.decode():
            shown.append(name)
    assert shown == []


def test_a_redirect_after_a_good_post_is_not_a_view(client, team):
    world = build_world(team)
    client.force_login(team.officer)
    before = AccessLog.objects.count()
    response = client.post(
        reverse("casework:case-log-contact", args=[world.case.pk]),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "phone_out",
            "minutes": "10",
        },
    )
    assert response.status_code == 302
    assert AccessLog.objects.count() == before


def test_the_new_case_details_page_logs_the_parent_and_child_it_shows(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    url = reverse("casework:case-create")
    client.get(f"{url}?parent={case.parent_id}&child={case.child_id}")
    client.get(f"{url}?child={case.child_id}")
    rows = AccessLog.objects.filter(path=url).order_by("id")
    assert [(r.object_type, r.object_id) for r in rows] == [
        ("parent", case.parent_id),
        ("child", case.child_id),
    ]


def test_a_search_term_never_lands_in_the_access_log(client, team):
    parent = factories.ParentFactory(
        service=team.service, first_name="Zebedee", last_name="Quillfeather", postcode="ZZ9 9ZZ"
    )
    factories.open_case(team.service, team.officer, parent=parent)
    client.force_login(team.officer)
    searches = [
        reverse("casework:case-start") + "?q=Quillfeather",
        reverse("casework:case-start") + "?q=ZZ9+9ZZ",
        reverse("casework:case-list") + "?q=Zebedee",
        reverse("casework:parent-list") + "?q=Quillfeather&page=1",
        reverse("casework:parent-export") + "?q=Quillfeather",
        reverse("casework:enquiry-list") + "?q=Quillfeather",
    ]
    for url in searches:
        assert client.get(url).status_code == 200, url
    rows = AccessLog.objects.filter(service=team.service)
    assert rows.count() == len(searches)
    for row in rows:
        logged = f"{row.path} {row.object_type} {row.object_id}"
        for term in ("Zebedee", "Quillfeather", "ZZ9", "q="):
            assert term not in logged


def test_the_case_audit_page_is_itself_logged(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.coordinator)
    assert client.get(reverse("casework:case-audit", args=[case.pk])).status_code == 200
    row = AccessLog.objects.get(object_type="case-audit")
    assert row.object_id == case.pk and row.user == team.coordinator


def _case_page_row(client, team):
    case = factories.open_case(team.service, team.officer)
    client.force_login(team.officer)
    before, started = AccessLog.objects.count(), timezone.now()
    assert client.get(reverse("casework:case-detail", args=[case.pk])).status_code == 200
    [row] = AccessLog.objects.order_by("id")[before:]
    assert (row.service_id, row.user_id, row.action, row.object_type, row.object_id) == (
        team.service.pk,
        team.officer.pk,
        AccessLog.Action.VIEW,
        "case",
        case.pk,
    )
    assert started <= row.at <= timezone.now()
    return row


def test_the_log_row_holds_who_what_and_when(client, team):
    # Written by one INSERT compiled once (pps.audit.record_access).
    _case_page_row(client, team)


def test_a_listener_to_log_rows_is_told_of_each(client, team):
    # With a receiver of the model's saves, the row is written by the ORM's save instead.
    told = []

    def listen(sender, instance, created, **kwargs):
        told.append((created, instance.object_type, instance.object_id))

    post_save.connect(listen, sender=AccessLog)
    try:
        row = _case_page_row(client, team)
    finally:
        post_save.disconnect(listen, sender=AccessLog)
    assert told == [(True, "case", row.object_id)]
