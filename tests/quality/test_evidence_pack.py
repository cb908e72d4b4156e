"""The evidence pack (docs/reporting.md, "The evidence pack") and the plan's PDF: built by
the worker's task on fixture records, read back with pypdf, every figure counted by hand."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from casework.models import Feedback
from evaluations.actions import record_response
from evaluations.models import Event
from pps.documents import build_document, request_document
from pps.models import GeneratedDocument
from quality import actions
from quality.documents import EVIDENCE_PACK_PDF, PLAN_PDF
from quality.models import ActionItem, SteeringSeat
from tests import clock, factories
from tests.quality.factories import make_framework, make_plan, rate_all

pytestmark = pytest.mark.django_db

YEAR = 2024  # the academic year 1 September 2024 to 31 August 2025
Status = GeneratedDocument.Status


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def feedback(team, kind, about, on, improvement="", publishable=False):
    Feedback.objects.create(
        service=team.service,
        kind=kind,
        about=about,
        received_on=on,
        channel="email",
        from_name="Quillon Brackenbury",
        summary="Private words about Zephyrine",
        improvement=improvement,
        publishable=publishable,
    )


def parent_forms(team, sent_on, helpfulness):
    """A parent form sent on `sent_on` for each answer, each returned with that answer."""
    for n, answer in enumerate(helpfulness):
        sending, _token = factories.send_form(
            team.service, team.officer, on=sent_on + dt.timedelta(days=n)
        )
        questions = {q.key: q.pk for q in sending.version.questions.all()}
        record_response(
            sending=sending,
            answers={questions["helpfulness"]: [answer]},
            source="paper",
            received_on=sent_on + dt.timedelta(days=20),
        )


def fixture(team, *, documents=True):
    """The records of 2024/25 the pack shows, with what is counted written beside them."""
    version = make_framework(team.service, count=3, name="Charter Mark trial")
    assessment = actions.start_assessment(
        service=team.service,
        version=version,
        title="Charter self-assessment",
        assessed_on=dt.date(2025, 3, 3),
        by=team.coordinator,
    )
    rate_all(assessment, label="Good practice", evidence="Kestrelwick evidence")
    first = assessment.ratings.order_by("standard__position").first()
    first.level = version.levels.get(label="Best practice")
    first.save()
    if documents:
        actions.attach_document(
            rating=first,
            title="Complaints policy",
            file=ContentFile(blank_pdf(3), name="policy.pdf"),
            by=team.coordinator,
        )
        actions.attach_document(
            rating=first,
            title="Steering minutes",
            file=ContentFile(b"Minutes as text", name="minutes.txt"),
            by=team.coordinator,
        )
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)

    # Feedback in 2024/25: 3 complaints (2 with an improvement, one of them publishable),
    # 2 compliments, 1 suggestion with a publishable improvement; one complaint before it.
    d = dt.date(2025, 2, 3)
    feedback(team, "complaint", "staff", d, "Calls returned the same day", publishable=True)
    feedback(team, "complaint", "access", d, "Private improvement")
    feedback(team, "complaint", "access", d)
    feedback(team, "compliment", "staff", d)
    feedback(team, "compliment", "service", d)
    feedback(team, "suggestion", "information", d, "Leaflet in Polish", publishable=True)
    feedback(team, "complaint", "staff", dt.date(2024, 8, 31))

    # Events: two forums (6 + 4 parents, 1 professional) and a road show (9 parents, 5
    # professionals, 2 volunteers) in the year; a forum the year after.
    for on, kind, parents, pros, vols in [
        (dt.date(2024, 10, 2), "forum", 6, 1, 0),
        (dt.date(2025, 1, 15), "forum", 4, 0, 0),
        (dt.date(2025, 5, 20), "roadshow", 9, 5, 2),
        (dt.date(2025, 9, 20), "forum", 7, 0, 0),
    ]:
        Event.objects.create(
            service=team.service,
            recorded_by=team.officer,
            on=on,
            kind=kind,
            title="Gathering",
            parents_attending=parents,
            professionals_attending=pros,
            volunteers_attending=vols,
        )

    # Satisfaction: 2023/24 five forms, all Good or better (100%); 2024/25 five forms, four
    # Good or better (80%).
    parent_forms(team, dt.date(2023, 11, 1), ["Excellent", "Good", "Good", "Excellent", "Good"])
    parent_forms(team, dt.date(2024, 11, 1), ["Excellent", "Good", "Good", "Satisfactory", "Good"])

    # The steering group on 31 August 2025: two parents and an officer (a parent who left
    # before then is not counted).
    for member_type, joined, left in [
        ("parent", dt.date(2024, 1, 1), None),
        ("parent", dt.date(2024, 6, 1), None),
        ("parent", dt.date(2024, 1, 1), dt.date(2025, 1, 1)),
        ("local_authority", dt.date(2024, 1, 1), None),
    ]:
        SteeringSeat.objects.create(
            service=team.service, member_type=member_type, joined_on=joined, left_on=left
        )

    review = actions.start_review(
        service=team.service,
        version=version,
        by=team.coordinator,
        kind="health_check",
        reviewed_on=dt.date(2025, 4, 1),
        assessor="Tamsin Orrery",
        result="Ongoing compliance shown.",
    )
    standards = list(version.standards.order_by("position"))
    for standard, status, finding in [
        (standards[0], "raised", "Harbourlight finding raised"),
        (standards[1], "carried_forward", "Marrowdene finding carried"),
        (standards[2], "closed", "Wendlebury finding closed"),
    ]:
        ActionItem.objects.create(
            service=team.service,
            review=review,
            standard=standard,
            status=status,
            finding=finding,
            progress="Some progress" if status != "raised" else "",
        )
    return version


def build_pack(team, version, year=YEAR):
    document = request_document(
        service=team.service,
        kind=EVIDENCE_PACK_PDF,
        parameters={"framework": version.framework_id, "year": year},
        title="Evidence pack (PDF)",
        holds_personal_data=True,
        by=team.coordinator,
    )
    result = build_document.call(team.service.pk, document.pk)
    document.refresh_from_db()
    return result, document


def pages_of(document):
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_the_pack_holds_its_sections_and_the_hand_counted_figures(team):
    version = fixture(team)
    result, document = build_pack(team, version)
    assert result == Status.READY, document.failure_reason
    pages = pages_of(document)
    text = " ".join(pages)
    total = len(pages)

    # Every page is numbered out of the whole, the appended pages too, and carries the
    # service's name and the day the pack was made (the running header).
    made_on = f"{timezone.localdate():%-d %B %Y}"
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert team.service.name in page
        assert made_on in page
    # Cover, contents, then the four sections, each starting a page.
    assert "Evidence pack: Charter Mark trial" in pages[0]
    assert "Contents" in pages[1]
    for heading in (
        "1. Self-assessment",
        "2. Evidence from the records",
        "3. Action plan",
        "4. Attached documents",
    ):
        assert heading in text

    # The assessment: one standard rated Best practice, two Good practice.
    assert "Best practice: 1; Good practice: 2" in text
    assert "Kestrelwick evidence" in text
    # Feedback of 2024/25 (the complaint of 31 August 2024 is the year before).
    assert "3 complaints, 2 with a resulting improvement" in text
    assert "2 compliments" in text
    assert "1 suggestion, 1 with a resulting improvement" in text
    # Only the publishable improvements are printed.
    assert "Calls returned the same day" in text
    assert "Leaflet in Polish" in text
    assert "Private improvement" not in text
    assert "Zephyrine" not in text and "Brackenbury" not in text
    # Satisfaction: 4 of 5 in 2024/25, 5 of 5 in 2023/24.
    assert "80%: 4 of 5 parents who answered rated the support Good or better" in text
    assert "2023/24 100.0" in text or "2023/24 100" in text
    # Steering group on 31 August 2025: two of the three seats held are parents'.
    assert "2 of 3 members are parents or carers" in text
    # Events: forums 2 events, 10 parents, 1 professional, 0 volunteers, 11 in all; the
    # road show 1 event, 9 + 5 + 2 = 16; total 3 events and 27 attending.
    assert "Parents' forum meeting 2 10 1 0 11" in text
    assert "Road show or seminar 1 9 5 2 16" in text
    assert "3 19 6 2 27" in text
    # The action plan by status.
    assert "Raised at this review (1)" in text and "Harbourlight finding raised" in text
    assert "Carried forward from the previous review (1)" in text
    assert "Marrowdene finding carried" in text
    assert "Closed at this review (1)" in text and "Wendlebury finding closed" in text
    # Documents listed with their dates; the PDF appended as appendix 1, the text file not.
    assert "Appendix 1: Complaints policy, 3 pages, at the end" in text
    assert "Listed only (not a PDF)" in text
    for page in pages[-3:]:
        assert "Appendix 1: Complaints policy" in page


def test_an_attached_pdf_adds_its_pages_to_the_pack(team, other_team):
    with_documents = fixture(team)
    _result, document = build_pack(team, with_documents)
    appended = len(pages_of(document))

    # The same records, in another service, without the attached documents.
    version = fixture(other_team, documents=False)
    _result, bare = build_pack(other_team, version)
    # The PDF's 3 pages are appended; the listing of two documents replaces "none attached"
    # without taking another page.
    assert appended == len(pages_of(bare)) + 3


def test_typed_markup_is_printed_as_typed(team):
    """Evidence, an improvement, a finding and a document's title hold markup: the pack
    prints the characters, so none of it became markup in the PDF."""
    version = make_framework(team.service, count=1, name="Escaping standards")
    assessment = actions.start_assessment(
        service=team.service,
        version=version,
        title="Escaping",
        assessed_on=dt.date(2025, 3, 3),
        by=team.coordinator,
    )
    rate_all(assessment, evidence="<i>Evidence</i> & more")
    actions.attach_document(
        rating=assessment.ratings.get(),
        title="<b>Policy</b>",
        file=ContentFile(b"text", name="policy.txt"),
        by=team.coordinator,
    )
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    feedback(team, "suggestion", "information", dt.date(2025, 2, 3), "<u>Ramps</u>", True)
    review = actions.start_review(
        service=team.service,
        version=version,
        by=team.coordinator,
        kind="health_check",
        reviewed_on=dt.date(2025, 4, 1),
        assessor="Tamsin Orrery",
        result="<em>Fine</em>",
    )
    ActionItem.objects.create(
        service=team.service,
        review=review,
        standard=version.standards.get(),
        status="raised",
        finding="<script>alert(1)</script>",
    )
    result, document = build_pack(team, version)
    assert result == Status.READY, document.failure_reason
    text = " ".join(pages_of(document))
    for typed in (
        "<i>Evidence</i> & more",
        "<b>Policy</b>",
        "<u>Ramps</u>",
        "<em>Fine</em>",
        "<script>alert(1)</script>",
    ):
        assert typed in text


def test_a_password_protected_or_damaged_pdf_cannot_be_appended():
    from pps.pdf import readable_page_count

    writer = PdfWriter(clone_from=io.BytesIO(blank_pdf(2)))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    assert readable_page_count(blank_pdf(2)) == 2
    assert readable_page_count(locked.getvalue()) is None
    assert readable_page_count(b"%PDF-1.4 not really") is None
    assert readable_page_count(b"plain text") is None


def test_a_damaged_pdf_is_listed_not_appended(team):
    version = make_framework(team.service, count=1, name="Tiny standards")
    assessment = actions.start_assessment(
        service=team.service,
        version=version,
        title="Tiny",
        assessed_on=dt.date(2025, 3, 3),
        by=team.coordinator,
    )
    rate_all(assessment)
    actions.attach_document(
        rating=assessment.ratings.get(),
        title="Broken scan",
        file=ContentFile(b"%PDF-1.4 not really", name="scan.pdf"),
        by=team.coordinator,
    )
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    result, document = build_pack(team, version)
    assert result == Status.READY
    text = " ".join(pages_of(document))
    assert "Not appended: the PDF could not be read" in text


def test_a_pack_asked_by_someone_no_longer_a_coordinator_fails(team):
    version = make_framework(team.service, count=1, name="Tiny standards")
    document = request_document(
        service=team.service,
        kind=EVIDENCE_PACK_PDF,
        parameters={"framework": version.framework_id, "year": YEAR},
        title="Evidence pack (PDF)",
        holds_personal_data=True,
        by=team.coordinator,
    )
    team.coordinator.role = "case_officer"
    team.coordinator.save()
    assert build_document.call(team.service.pk, document.pk) == Status.FAILED
    document.refresh_from_db()
    assert "may no longer make it" in document.failure_reason


@clock.on(dt.date(2026, 11, 24))  # the years offered are 2026/27 and the five before it
def test_the_page_queues_a_pack_and_lists_it(client, team, other_team):
    version = make_framework(team.service, count=1, name="Tiny standards")
    client.force_login(team.coordinator)
    url = reverse("quality:evidence-pack")
    page = client.get(url)
    assert page.status_code == 200
    assert "No evidence pack has been built yet." in page.content.decode()
    # Another service's framework is not a choice.
    theirs = make_framework(other_team.service, count=1, name="Their standards")
    refused = client.post(url, {"framework": theirs.framework_id, "year": YEAR})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not GeneratedDocument.objects.filter(kind=EVIDENCE_PACK_PDF).exists()

    response = client.post(url, {"framework": version.framework_id, "year": YEAR})
    document = GeneratedDocument.objects.get(kind=EVIDENCE_PACK_PDF)
    assert response.status_code == 302
    assert response["Location"] == reverse("document-status", args=[document.pk])
    assert document.parameters == {"framework": version.framework_id, "year": YEAR}
    assert document.holds_personal_data
    listed = client.get(url).content.decode()
    assert "Evidence pack: Tiny standards, 2024/25 (PDF)" in listed
    assert "Queued" in listed


@pytest.mark.parametrize("role", ["case_officer", "admin_support", "volunteer", "steering"])
def test_only_coordinators_open_the_pack_page(client, team, role):
    client.force_login(team.by_role(role))
    assert client.get(reverse("quality:evidence-pack")).status_code == 403


def updated_plan(team):
    plan = make_plan(team)
    entry = plan.entries.order_by("standard__position").first()
    entry.current_level = "minimum practice"
    entry.activities = "Continue to look at ways to fund area workers."
    entry.comments = "Lottery bid submission in progress."
    entry.save()
    actions.record_plan_update(
        plan=plan, made_on=dt.date(2025, 10, 1), note="", by=team.coordinator
    )
    entry.refresh_from_db()
    entry.comments = "Lottery bid submitted in September."
    entry.save()
    actions.record_plan_update(
        plan=plan, made_on=dt.date(2025, 11, 1), note="AGM", by=team.coordinator
    )
    return plan, entry


def test_the_plan_pdf_marks_the_text_changed_since_the_last_update(team):
    plan, entry = updated_plan(team)
    document = request_document(
        service=team.service,
        kind=PLAN_PDF,
        parameters={"plan": plan.pk},
        title="Plan (PDF)",
        holds_personal_data=False,
        by=team.steering,
    )
    assert build_document.call(team.service.pk, document.pk) == Status.READY
    document.refresh_from_db()
    text = " ".join(pages_of(document))
    # The Norfolk layout's columns and the standard's current level.
    for column in ("Activities", "Service objectives and timescales", "Comments"):
        assert column in text
    assert "Monitoring and evaluation" in text
    assert "Current level of compliance: minimum practice" in text
    assert "Update 2 of 1 November 2025" in text
    # One standard changed; its comment's changed words marked (visually hidden words are
    # not printed, so the marks are the PDF's underline and strike-through).
    assert "1 standard changed" in text
    assert "(Changed since the last update)" in text
    # The removed words stay, struck through, beside the added ones.
    for word in ("Lottery bid", "submission", "progress.", "submitted", "September."):
        assert word in text
    # Standards the plan says nothing about are left out.
    others = plan.version.standards.exclude(pk=entry.standard_id).first()
    assert others.text not in text


def test_the_plan_pdf_html_wraps_changes_in_ins_and_del(team):
    from django.template.loader import render_to_string

    from quality.documents import PLAN_PDF_TEMPLATE, plan_pdf_context

    plan, _entry = updated_plan(team)
    html = render_to_string(PLAN_PDF_TEMPLATE, plan_pdf_context(team.steering, plan.pk))
    removed = '<del><span class="visually-hidden">removed: </span>{}</del>'
    added = '<ins><span class="visually-hidden">added: </span>{}</ins>'
    # "Lottery bid submission in progress." became "Lottery bid submitted in September.".
    assert f"Lottery bid {removed.format('submission ')}{added.format('submitted ')}in " in html
    assert removed.format("progress.") + added.format("September.") in html


def test_the_plan_pdf_button_queues_a_build(client, team):
    plan, _entry = updated_plan(team)
    client.force_login(team.steering)
    response = client.post(reverse("quality:plan-build-pdf", args=[plan.pk]))
    document = GeneratedDocument.objects.get(kind=PLAN_PDF)
    assert response["Location"] == reverse("document-status", args=[document.pk])
    assert document.title == "Development plan 2025/26, update 2 (PDF)"
    assert not document.holds_personal_data


def test_the_assessment_pdf_marks_what_changed_since_the_previous_assessment(team):
    from django.template.loader import render_to_string

    from quality.documents import ASSESSMENT_PDF_TEMPLATE, assessment_pdf_context

    version = make_framework(team.service, count=2, name="Marked standards")

    def assessment(on, evidence, label):
        made = actions.start_assessment(
            service=team.service,
            version=version,
            title="Yearly",
            assessed_on=on,
            by=team.coordinator,
        )
        rate_all(made, label=label, evidence="Unchanged words")
        first = made.ratings.order_by("standard__position").first()
        first.evidence = evidence
        first.save()
        actions.finalise_assessment(assessment=made, by=team.coordinator)
        return made

    assessment(dt.date(2024, 3, 1), "Leaflets in two languages", "Good practice")
    later = assessment(dt.date(2025, 3, 1), "Leaflets in five languages", "Best practice")
    html = render_to_string(ASSESSMENT_PDF_TEMPLATE, assessment_pdf_context(later, public=False))
    removed = '<del><span class="visually-hidden">removed: </span>two </del>'
    added = '<ins><span class="visually-hidden">added: </span>five </ins>'
    assert f"Leaflets in {removed}{added}languages" in html
    # Both standards moved from Good to Best practice; only the first one's words changed.
    assert html.count("(was Good practice)") == 2
    assert "2 standards changed" in html

    document = request_document(
        service=team.service,
        kind="self-assessment-pdf",
        parameters={"assessment": later.pk, "public": True},
        title="Yearly (PDF)",
        holds_personal_data=False,
        by=team.steering,
    )
    assert build_document.call(team.service.pk, document.pk) == Status.READY
    document.refresh_from_db()
    text = " ".join(pages_of(document))
    assert "Marked against Yearly of 1 March 2024" in text
    assert "Current level: Best practice (was Good practice)" in text
    for column in ("Evidence", "Figures from the records", "Documents"):
        assert column in text


def test_the_pack_page_costs_the_same_queries_with_one_pack_or_thirty(client, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = make_framework(team.service, count=1, name="Tiny standards")
    client.force_login(team.coordinator)
    url = reverse("quality:evidence-pack")

    def queries_with(packs):
        while GeneratedDocument.objects.filter(kind=EVIDENCE_PACK_PDF).count() < packs:
            request_document(
                service=team.service,
                kind=EVIDENCE_PACK_PDF,
                parameters={"framework": version.framework_id, "year": YEAR},
                title="Evidence pack (PDF)",
                holds_personal_data=True,
                by=team.coordinator,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one, thirty = queries_with(1), queries_with(30)
    assert one == thirty
    # Session, user, device and service, the stale-build check, the frameworks offered,
    # the packs with who asked for them (docs/architecture.md: at most 10 a page).
    assert thirty <= 10
