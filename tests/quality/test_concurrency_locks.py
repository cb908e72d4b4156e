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
from quality.models import Document, EvidenceFigure, PlanUpdate, Rating, SelfAssessment
from tests.concurrent import overlap, postgresql_only
from tests.quality.factories import make_assessment, make_plan, rate_all

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
