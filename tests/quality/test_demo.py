"""The demo service's standards work is what a coordinator would have left."""

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.generate import generate
from quality.enums import ActionStatus, AssessmentStatus
from quality.models import DevelopmentPlan, EvidenceFigure, ExternalReview, SelfAssessment
from quality.queries import plan_update_rows

pytestmark = pytest.mark.django_db


def test_the_demo_has_assessments_a_plan_and_reviews_that_pages_show(client):
    today = timezone.localdate()
    demo = generate(today=today, years=1, cases_per_year=20, enquiries_per_year=60)
    service = demo.service
    national = SelfAssessment.objects.filter(
        service=service, version__framework__shipped_key="national-service-standards-2012"
    )
    final, draft = national.order_by("assessed_on")
    assert final.status == AssessmentStatus.FINAL and draft.status == AssessmentStatus.DRAFT
    assert not final.ratings.filter(level__isnull=True).exists()
    frozen = EvidenceFigure.objects.filter(rating__assessment=final)
    assert frozen.count() == 3 and not frozen.filter(frozen_at__isnull=True).exists()
    plan = DevelopmentPlan.objects.get(service=service)
    first, second = plan.updates.order_by("number")
    rows = plan_update_rows(second, first, show_changes=True)
    assert sorted(row.standard.code for row in rows if row.changed) == ["1.1.1", "3.2.1", "6.2.6"]
    # The seed's Evidence and Progress columns land in the fields of those names.
    entry = second.entries.get(standard__code="6.2.6")
    assert (entry.evidence, entry.progress, entry.activities) == (
        "Evaluation Forms.",
        "Met - see Annual Report",
        "",
    )
    later = ExternalReview.objects.filter(service=service).order_by("reviewed_on").last()
    assert sorted(later.actions.values_list("standard__code", "status")) == [
        ("1.3.3", ActionStatus.CLOSED),
        ("4.2.3", ActionStatus.CLOSED),
        ("4.3.4", ActionStatus.CARRIED_FORWARD),
        ("4.3.5", ActionStatus.CARRIED_FORWARD),
        ("6.2.4", ActionStatus.RAISED),
    ]
    assert demo.counts["self_assessments"] == 3
    # The Charter Mark self-assessment the evidence pack prints: finalised, every element
    # rated, the elements the health check found partly met rated so, with evidence.
    charter = SelfAssessment.objects.get(
        service=service, version__framework__shipped_key="charter-mark"
    )
    assert charter.status == AssessmentStatus.FINAL
    bands = dict(charter.ratings.values_list("standard__code", "level__label"))
    assert bands == {
        "1.3.3": "Full compliance",
        "1.3.4": "Full compliance",
        "4.2.3": "Full compliance",
        "4.3.4": "Partial compliance",
        "4.3.5": "Partial compliance",
        "6.2.4": "Partial compliance",
    }
    assert not charter.ratings.filter(evidence="").exists()
    client.force_login(demo.users["coordinator"])
    for url in (
        reverse("quality:assessment-detail", args=[draft.pk]),
        reverse("quality:assessment-compare", args=[draft.pk]),
        reverse("quality:plan-detail", args=[plan.pk]) + "?changes=1",
        reverse("quality:review-detail", args=[later.pk]),
        reverse("quality:feedback-summary"),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(demo.users["steering"])
    assert client.get(reverse("quality:assessment-detail", args=[final.pk])).status_code == 200
    assert client.get(reverse("quality:assessment-detail", args=[draft.pk])).status_code == 404
