"""Self-assessments: rating with evidence, live then frozen figures, finalising, comparing,
printing and documents; an owner, a colleague and an outsider for each page."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from casework.models import Feedback
from pps.models import AccessLog
from quality import actions
from quality.enums import AssessmentStatus
from quality.models import EvidenceFigure, Level, Rating
from quality.queries import compare_assessments
from tests.quality.factories import make_assessment, make_framework, rate_all

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 3)  # academic year 2025/26


def complaint(team, on=dt.date(2025, 10, 1)):
    return Feedback.objects.create(
        service=team.service,
        kind="complaint",
        about="staff",
        received_on=on,
        channel="email",
        from_name="Eleanor Whitcombe-Vane",
        summary="Private words",
    )


def test_starting_makes_an_empty_rating_for_every_standard(team):
    assessment = make_assessment(team, count=4)
    assert assessment.status == AssessmentStatus.DRAFT
    assert list(assessment.ratings.values_list("standard__code", "level")) == [
        ("1.1", None),
        ("1.2", None),
        ("1.3", None),
        ("1.4", None),
    ]


def test_finalising_needs_every_standard_rated(team):
    assessment = make_assessment(team, count=3)
    rating = assessment.ratings.get(standard__code="1.2")
    rating.level = Level.objects.get(version=assessment.version, label="Best practice")
    rating.save()
    with pytest.raises(ValidationError) as caught:
        actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    assert caught.value.messages == [
        "Rate every standard before finalising; not yet rated: 1.1, 1.3."
    ]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_a_draft_shows_live_figures_and_a_finalised_one_keeps_them_forever(client, team):
    assessment = make_assessment(team, on=DAY)
    rating = assessment.ratings.get(standard__code="1.1")
    actions.link_figure(rating=rating, key="complaints")
    complaint(team)
    client.force_login(team.coordinator)
    url = reverse("quality:assessment-detail", args=[assessment.pk])
    live = "1 complaint, 0 with a resulting improvement"
    assert live in client.get(url).content.decode()
    complaint(team)
    two = "2 complaints, 0 with a resulting improvement"
    page = client.get(url).content.decode()
    assert two in page and "2025/26 to 3 November 2025" in page
    print_url = reverse("quality:assessment-print", args=[assessment.pk])
    assert two in client.get(print_url).content.decode()

    rate_all(assessment)
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    figure = EvidenceFigure.objects.get(rating=rating)
    assert (figure.frozen_label, figure.frozen_period, figure.frozen_value) == (
        "Complaints received and those with a resulting improvement",
        "2025/26 to 3 November 2025",
        two,
    )
    assert figure.frozen_public_value == "fewer than 5 complaints, 0 with a resulting improvement"

    complaint(team)  # the records change after finalising
    Feedback.objects.filter(service=team.service).update(improvement="Training for staff")
    for page_url in (url, print_url):
        page = client.get(page_url).content.decode()
        assert two in page
        assert "3 complaints" not in page and "2 with a resulting" not in page
    with pytest.raises(ValidationError, match="finalised"):
        actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    with pytest.raises(ValidationError, match="finalised"):
        actions.link_figure(rating=rating, key="compliments")


def test_a_finalised_rating_can_no_longer_be_edited(client, team):
    assessment = make_assessment(team, final=True)
    rating = assessment.ratings.first()
    client.force_login(team.coordinator)
    assert client.get(reverse("quality:rating-edit", args=[rating.pk])).status_code == 404
    response = client.post(
        reverse("quality:rating-edit", args=[rating.pk]),
        {"level": rating.level_id, "evidence": "Changed", "version": rating.version},
    )
    assert response.status_code == 404
    rating.refresh_from_db()
    assert rating.evidence == "Evidence"


def test_rating_a_standard_through_the_page_keeps_a_history(client, team):
    assessment = make_assessment(team)
    rating = assessment.ratings.get(standard__code="1.2")
    best = Level.objects.get(version=assessment.version, label="Best practice")
    client.force_login(team.coordinator)
    url = reverse("quality:rating-edit", args=[rating.pk])
    response = client.post(
        url, {"level": best.pk, "evidence": "Policy on the website", "version": rating.version}
    )
    detail = reverse("quality:assessment-detail", args=[assessment.pk])
    assert response["Location"] == f"{detail}#standard-1.2"
    rating.refresh_from_db()
    assert (rating.level, rating.evidence, rating.rated_by) == (
        best,
        "Policy on the website",
        team.coordinator,
    )
    assert rating.history.count() == 2
    # Someone else's save in between is not overwritten.
    stale = client.post(url, {"level": best.pk, "evidence": "Mine", "version": 1})
    assert stale.status_code == 200
    assert "Saved by someone else meanwhile" in stale.content.decode()
    rating.refresh_from_db()
    assert rating.evidence == "Policy on the website"
    missing = client.post(url, {"evidence": "No level", "version": rating.version})
    assert missing.context["form"].errors == {"level": ["This field is required."]}


def test_linking_a_figure_twice_is_refused_beside_the_field(client, team):
    assessment = make_assessment(team)
    rating = assessment.ratings.first()
    client.force_login(team.coordinator)
    url = reverse("quality:rating-figure", args=[rating.pk])
    assert client.post(url, {"key": "compliments"}).status_code == 302
    again = client.post(url, {"key": "compliments"})
    assert again.status_code == 400
    assert again.context["figure_form"].errors == {
        "key": ["This figure is already linked to this standard."]
    }
    unknown = client.post(url, {"key": "made-up"})
    assert unknown.status_code == 400
    assert rating.figures.count() == 1
    figure = rating.figures.get()
    client.post(reverse("quality:figure-remove", args=[figure.pk]))
    assert rating.figures.count() == 0


def test_documents_are_served_only_through_the_checked_view(
    client, team, other_team, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assessment = make_assessment(team)
    rating = assessment.ratings.first()
    client.force_login(team.coordinator)
    response = client.post(
        reverse("quality:rating-document", args=[rating.pk]),
        {
            "title": "Complaints policy",
            "file": SimpleUploadedFile("policy.txt", b"Our policy", content_type="text/plain"),
        },
    )
    assert response.status_code == 302
    document = rating.documents.get()
    assert document.original_name == "policy.txt"
    assert "policy" not in document.file.name
    url = reverse("quality:document-download", args=[document.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Our policy"
    assert 'filename="policy.txt"' in download["Content-Disposition"]
    client.force_login(team.steering)
    assert client.get(url).status_code == 403
    client.force_login(other_team.coordinator)
    assert client.get(url).status_code == 404
    # One access-log row for the one download that happened; refusals record nothing.
    assert list(
        AccessLog.objects.values_list("user", "action", "object_type", "object_id", "path")
    ) == [(team.coordinator.pk, "export", "assessment-document", document.pk, url)]


def test_steering_reads_finalised_assessments_only_with_small_numbers_hidden(
    client, team, other_team
):
    draft = make_assessment(team)
    final = make_assessment(team, on=DAY)
    actions.link_figure(rating=final.ratings.first(), key="complaints")
    complaint(team)
    rate_all(final)
    actions.finalise_assessment(assessment=final, by=team.coordinator)
    client.force_login(team.steering)
    index = client.get(reverse("quality:index")).content.decode()
    assert reverse("quality:assessment-detail", args=[final.pk]) in index
    assert reverse("quality:assessment-detail", args=[draft.pk]) not in index
    assert client.get(reverse("quality:assessment-detail", args=[draft.pk])).status_code == 404
    page = client.get(reverse("quality:assessment-detail", args=[final.pk])).content.decode()
    assert "fewer than 5 complaints" in page
    assert "1 complaint," not in page
    assert "Whitcombe-Vane" not in page and "Private words" not in page
    client.force_login(team.officer)
    assert client.get(reverse("quality:assessment-detail", args=[final.pk])).status_code == 403
    client.force_login(other_team.coordinator)
    assert client.get(reverse("quality:assessment-detail", args=[final.pk])).status_code == 404


def test_comparing_two_assessments_of_two_versions_by_code(client, team):
    version = make_framework(team.service, count=3)
    earlier = make_assessment(team, version=version, on=dt.date(2024, 11, 1))
    levels = {level.label: level for level in version.levels.all()}
    for code, label in [
        ("1.1", "Non-compliant"),
        ("1.2", "Good practice"),
        ("1.3", "Best practice"),
    ]:
        Rating.objects.filter(assessment=earlier, standard__code=code).update(level=levels[label])
    actions.finalise_assessment(assessment=earlier, by=team.coordinator)
    newer = actions.revise_framework(
        based_on=version, theme_titles={}, standard_texts={"1.1": "Reworded"}, note="", by=None
    )
    later = make_assessment(team, version=newer, on=DAY)
    new_levels = {level.label: level for level in newer.levels.all()}
    for code, label in [
        ("1.1", "Good practice"),
        ("1.2", "Good practice"),
        ("1.3", "Good practice"),
    ]:
        Rating.objects.filter(assessment=later, standard__code=code).update(level=new_levels[label])
    rows = compare_assessments(earlier, later)
    assert [(r.code, r.text, r.earlier, r.later, r.movement) for r in rows] == [
        ("1.1", "Reworded", "Non-compliant", "Good practice", "up"),
        ("1.2", "Standard number 2", "Good practice", "Good practice", "same"),
        ("1.3", "Standard number 3", "Best practice", "Good practice", "down"),
    ]
    client.force_login(team.coordinator)
    page = client.get(reverse("quality:assessment-compare", args=[later.pk]))
    assert page.context["earlier"] == earlier
    assert "1 moved up, 1 moved down, 1 stayed the same" in page.content.decode()
    client.force_login(team.steering)
    # The steering group may not see the draft, so compares from the finalised one only.
    assert client.get(reverse("quality:assessment-compare", args=[later.pk])).status_code == 404
    assert client.get(reverse("quality:assessment-compare", args=[earlier.pk])).status_code == 200


def test_the_pdf_holds_the_ratings_and_figures(client, team):
    assessment = make_assessment(team, on=DAY)
    actions.link_figure(rating=assessment.ratings.first(), key="compliments")
    rate_all(assessment, evidence="Minutes of the advisory group")
    client.force_login(team.coordinator)
    response = client.get(reverse("quality:assessment-pdf", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Self-assessment" in text
    assert "Standard number 3" in text
    assert "Minutes of the advisory group" in text
    assert "Compliments received, 2025/26 to 3 November 2025: 0 compliments" in text
    assert "Northshire PPS: Self-assessment, 3 November 2025 Page 1 of 1" in text


def test_an_assessment_dated_in_year_1_is_refused_beside_the_date(client, team):
    version = make_framework(team.service)
    client.force_login(team.coordinator)
    response = client.post(
        reverse("quality:assessment-create"),
        {"version": version.pk, "title": "Typo", "assessed_on": "0001-11-03"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "assessed_on": ["Date the assessment on or after 1 January 2000."]
    }


def test_a_figure_no_longer_in_the_catalogue_is_frozen_as_no_longer_available(team):
    assessment = make_assessment(team)
    rating = assessment.ratings.first()
    EvidenceFigure.objects.create(service=team.service, rating=rating, key="retired-figure")
    rate_all(assessment)
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    figure = EvidenceFigure.objects.get(rating=rating)
    assert (
        figure.frozen_label,
        figure.frozen_value,
        figure.frozen_public_value,
        figure.frozen_at is not None,
    ) == ("retired-figure", "no longer available", "no longer available", True)


def test_a_rating_saved_just_after_finalising_is_refused(client, team):
    assessment = make_assessment(team)
    rate_all(assessment)
    # The coordinator opened the rating form while the assessment was a draft...
    opened = Rating.objects.get(pk=assessment.ratings.first().pk)
    actions.finalise_assessment(assessment=assessment, by=team.coordinator)
    # ...and saves after it was finalised.
    opened.evidence = "Written too late"
    with pytest.raises(ValidationError) as caught:
        actions.rate_standard(rating=opened, expected_version=opened.version, by=team.coordinator)
    assert caught.value.messages == ["This assessment is finalised: it can no longer change."]
    assert Rating.objects.get(pk=opened.pk).evidence == "Evidence"


def test_the_rating_summary_counts_each_level_best_first_then_the_unrated(team):
    from quality.models import Level
    from quality.queries import rating_summary
    from tests.quality.factories import make_assessment

    assessment = make_assessment(team, count=4)
    levels = {level.label: level for level in Level.objects.filter(version=assessment.version)}
    ratings = list(assessment.ratings.order_by("id"))
    for rating, label in zip(
        ratings[:3], ["Good practice", "Best practice", "Good practice"], strict=True
    ):
        rating.level = levels[label]
        rating.save()
    assert rating_summary(assessment) == [
        ("Best practice", 1),
        ("Good practice", 2),
        ("Not yet rated", 1),
    ]
