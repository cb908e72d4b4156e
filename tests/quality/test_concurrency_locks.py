"""The quality app's row locks, tried with two connections at once (tests/concurrent.py).

Finalising an assessment locks it and freezes its figures; every change to a rating locks
the assessment first, so nothing slips in while it is being finalised. Each test holds the
finalising inside its transaction and makes the change meanwhile; each was seen failing
with the change's select_for_update taken out.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.signals import pre_delete, pre_save

from quality import actions
from quality.models import (
    Document,
    ElementBand,
    EvidenceFigure,
    ExternalReview,
    FrameworkVersion,
    PlanUpdate,
    Rating,
    SelfAssessment,
)
from tests.concurrent import overlap, postgresql_only
from tests.quality.factories import (
    SCALE,
    framework_csv,
    make_assessment,
    make_framework,
    make_plan,
    make_review,
    rate_all,
    shipped,
)

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]

FINALISED = ["This assessment is finalised: it can no longer change."]


@pytest.fixture
def assessment(team):
    made = make_assessment(team)
    rate_all(made)
    return made


def _finalise(assessment, team):
    return lambda: actions.finalise_assessment(assessment=assessment, by=team.coordinator)


def test_a_figure_linked_while_the_assessment_is_finalised_is_refused(team, assessment):
    rating = assessment.ratings.first()

    final, linked = overlap(
        _finalise(assessment, team),
        lambda: actions.link_figure(rating=rating, key="compliments"),
        hold_at=[(pre_save, SelfAssessment), (pre_save, EvidenceFigure)],
    )

    assert isinstance(final, SelfAssessment)
    assert isinstance(linked, ValidationError) and linked.messages == FINALISED
    assert not EvidenceFigure.objects.filter(rating=rating).exists()


def test_a_figure_unlinked_while_the_assessment_is_finalised_stays(team):
    assessment = make_assessment(team)
    rating = assessment.ratings.first()
    figure = actions.link_figure(rating=rating, key="compliments")
    rate_all(assessment)

    final, unlinked = overlap(
        _finalise(assessment, team),
        lambda: actions.unlink_figure(figure=figure),
        hold_at=[(pre_save, SelfAssessment), (pre_delete, EvidenceFigure)],
    )

    assert isinstance(final, SelfAssessment)
    assert isinstance(unlinked, ValidationError) and unlinked.messages == FINALISED
    assert EvidenceFigure.objects.get(pk=figure.pk).frozen_at is not None


def test_a_rating_saved_while_the_assessment_is_finalised_is_refused(team, assessment):
    rating = assessment.ratings.first()

    def rate():
        mine = Rating.objects.get(pk=rating.pk)
        mine.evidence = "Written after the figures were frozen"
        return actions.rate_standard(rating=mine, expected_version=mine.version, by=team.officer)

    final, rated = overlap(
        _finalise(assessment, team), rate, hold_at=[(pre_save, SelfAssessment), (pre_save, Rating)]
    )

    assert isinstance(final, SelfAssessment)
    assert isinstance(rated, ValidationError) and rated.messages == FINALISED
    assert Rating.objects.get(pk=rating.pk).evidence == "Evidence"


def test_a_document_attached_while_the_assessment_is_finalised_is_refused(team, assessment):
    rating = assessment.ratings.first()

    def attach():
        return actions.attach_document(
            rating=rating,
            title="Late minutes",
            file=ContentFile(b"%PDF-1.4 minutes", name="minutes.pdf"),
            by=team.coordinator,
        )

    final, attached = overlap(
        _finalise(assessment, team),
        attach,
        hold_at=[(pre_save, SelfAssessment), (pre_save, Document)],
    )

    assert isinstance(final, SelfAssessment)
    assert isinstance(attached, ValidationError) and attached.messages == FINALISED
    assert not rating.documents.exists()


def test_two_updates_of_one_plan_at_once_are_numbered_one_and_two(team):
    plan = make_plan(team)

    def update():
        return actions.record_plan_update(
            plan=plan, made_on=dt.date(2025, 10, 1), note="", by=team.coordinator
        )

    first, second = overlap(update, update, hold_at=[(pre_save, PlanUpdate)])

    assert isinstance(first, PlanUpdate) and isinstance(second, PlanUpdate)
    assert sorted(plan.updates.values_list("number", flat=True)) == [1, 2]


# Frameworks, bands and reviews: two people saving the same thing at once. Each test holds
# the first save just before its write; with the lock the second waits and then sees the
# first one's work, without it the second writes over it or collides with it.


def test_one_changed_file_imported_twice_at_once_makes_one_new_version(team):
    # A double submit of the import page: the second sees the version the first made.
    first_version = make_framework(team.service, name="CSE")

    def reimport():
        return actions.import_framework(
            service=team.service,
            name="CSE",
            scale=SCALE,
            text=framework_csv(3, text="Reworded"),
            by=team.coordinator,
        )

    first, second = overlap(reimport, reimport, hold_at=[(pre_save, FrameworkVersion)])

    assert isinstance(first, tuple) and first[1] is True and first[0].number == 2
    assert second == (first[0], False)
    assert FrameworkVersion.objects.filter(framework=first_version.framework).count() == 2


def test_two_wording_edits_of_one_version_at_once_keep_the_first_and_refuse_the_second(team):
    version = shipped(team.service, "charter-mark")

    def revise(text):
        return lambda: actions.revise_framework(
            based_on=version,
            theme_titles={},
            standard_texts={"1.3.3": text},
            note="",
            by=team.coordinator,
        )

    first, second = overlap(
        revise("Mine"), revise("Theirs"), hold_at=[(pre_save, FrameworkVersion)]
    )

    assert isinstance(first, FrameworkVersion) and first.number == 2
    assert isinstance(second, ValidationError)
    assert "Someone saved a newer version" in second.messages[0]
    latest = actions.latest_version(version.framework)
    assert latest.pk == first.pk and latest.standards.get(code="1.3.3").text == "Mine"


def test_bands_saved_by_two_people_at_once_keep_the_first_and_refuse_the_second(team):
    review = make_review(team)
    band = review.bands.select_related("standard").order_by("standard__position").first()
    best, *_, worst = review.version.levels.order_by("-rank")
    opened_with = {b.pk: b.level_id for b in review.bands.all()}

    def save(level):
        return lambda: actions.record_bands(
            review=review, chosen=[(band, level)], opened_with=opened_with
        )

    first, second = overlap(save(best), save(worst), hold_at=[(pre_save, ElementBand)])

    assert first == 1
    assert isinstance(second, actions.BandsChanged)
    band.refresh_from_db()
    assert band.level == best


def test_a_review_corrected_by_two_people_at_once_keeps_the_first_and_refuses_the_second(team):
    review = make_review(team)

    def edit(assessor):
        return lambda: actions.edit_review(
            review=review,
            expected_revision=review.revision,
            by=team.coordinator,
            assessor=assessor,
        )

    first, second = overlap(
        edit("Jo Mine"), edit("Sam Theirs"), hold_at=[(pre_save, ExternalReview)]
    )

    assert isinstance(first, ExternalReview)
    assert isinstance(second, actions.ReviewChanged)
    assert "Jo Mine" in second.messages[0]
    review.refresh_from_db()
    assert (review.assessor, review.revision) == ("Jo Mine", first.revision)
