"""A coordinator's self-assessment in Debian's Chromium, with axe on every page: rate three
standards with evidence and a live figure, finalise, compare with the previous one."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Feedback
from quality import actions
from quality.models import Level, Rating
from tests import factories
from tests.quality.factories import (
    make_action_item,
    make_assessment,
    make_framework,
    make_plan,
    make_review,
    make_seat,
    shipped,
)


def expect_heading(page, name):
    page.get_by_role("heading", name=name, level=1).wait_for()


@pytest.mark.django_db(transaction=True)
def test_coordinator_rates_three_standards_finalises_and_compares(
    page, live_server, team, sign_in, axe_check, open_header_menu
):
    version = make_framework(team.service, count=3, name="Advisory group standards")
    previous = actions.start_assessment(
        service=team.service,
        version=version,
        title="Self-assessment 2024",
        assessed_on=dt.date(2024, 11, 4),
        by=team.coordinator,
    )
    Rating.objects.filter(assessment=previous).update(
        level=Level.objects.get(version=version, label="Good practice")
    )
    actions.finalise_assessment(assessment=previous, by=team.coordinator)
    for _ in range(2):
        Feedback.objects.create(
            service=team.service,
            kind="compliment",
            about="staff",
            received_on=dt.date.today(),
            channel="email",
            summary="Thank you",
        )

    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    open_header_menu(page, "Reports")
    page.get_by_role("link", name="Standards", exact=True).click()
    expect_heading(page, "Standards, self-assessment and plans")
    axe_check(page)
    page.get_by_role("link", name="Start a self-assessment").click()
    expect_heading(page, "Start a self-assessment")
    axe_check(page)
    page.get_by_label("Framework").select_option(label="Advisory group standards (version 1)")
    page.get_by_label("Title").fill("Self-assessment 2025")
    page.get_by_role("button", name="Save").click()
    expect_heading(page, "Self-assessment 2025")
    axe_check(page)

    for code, level, words in (
        ("1.1", "Best practice", "Terms of reference published on the website"),
        ("1.2", "Good practice", "Parents on the advisory group"),
        ("1.3", "Non-compliant", "No annual report yet"),
    ):
        page.get_by_role("link", name=f"Rate {code}").click()
        expect_heading(page, f"Rate {code}")
        page.get_by_label(level).check()
        page.get_by_label("Evidence").fill(words)
        if code == "1.1":
            axe_check(page)
            page.get_by_label("Live figure from the records").select_option(
                label="Compliments received"
            )
            page.get_by_role("button", name="Link the figure").click()
            page.get_by_text("Figure linked").wait_for()
            assert "2 compliments" in page.get_by_role("region", name="Live figures").inner_text()
            axe_check(page)
            page.get_by_label(level).check()
            page.get_by_label("Evidence").fill(words)
        page.get_by_role("button", name="Save the rating").click()
        expect_heading(page, "Self-assessment 2025")
        assert words in page.content()
    assert "2 compliments (live from the records)" in page.inner_text("main")

    page.get_by_role("link", name="Finalise").click()
    expect_heading(page, "Finalise Self-assessment 2025")
    axe_check(page)
    page.get_by_role("button", name="Finalise the self-assessment").click()
    page.get_by_text("Finalised: its figures are frozen").wait_for()
    assert "2 compliments (as finalised)" in page.inner_text("main")
    axe_check(page)

    page.get_by_label("Compare with", exact=True).select_option(
        label="Self-assessment 2024 (4 November 2024)"
    )
    page.get_by_role("button", name="Compare").click()
    expect_heading(page, "Compare Self-assessment 2025")
    status = page.get_by_role("status").filter(has_text="moved up")
    assert "1 moved up, 1 moved down, 1 stayed the same" in status.inner_text()
    row = page.get_by_role("row").filter(has_text="Standard number 1")
    assert "Moved up" in row.inner_text()
    axe_check(page)

    for name in (
        "quality:framework-import",
        "quality:plan-create",
        "quality:review-create",
        "quality:feedback-summary",
        "quality:steering-group",
    ):
        response = page.goto(live_server.url + reverse(name))
        assert response.status == 200, name
        axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_plans_reviews_and_frameworks_pass_axe(page, live_server, team, sign_in, axe_check):
    plan = make_plan(team)
    entry = plan.entries.get(standard__code="1.1")
    entry.progress = "Lottery bid submission in progress."
    entry.save()
    actions.record_plan_update(plan=plan, made_on=dt.date(2025, 10, 1), note="", by=None)
    entry.progress = "Lottery bid submitted; decision due in spring."
    entry.save()
    actions.record_plan_update(plan=plan, made_on=dt.date(2026, 2, 1), note="", by=None)
    review = make_review(team)
    item = make_action_item(team)
    seat = make_seat(team)
    assessment = make_assessment(team, final=True)
    framework = shipped(team.service, "charter-mark").framework
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    for name, kwargs, query in (
        ("quality:plan-detail", {"pk": plan.pk}, "?update=2&changes=1"),
        ("quality:plan-detail", {"pk": plan.pk}, "?update=working"),
        ("quality:plan-entry-edit", {"pk": entry.pk}, ""),
        ("quality:review-detail", {"pk": review.pk}, ""),
        ("quality:review-bands", {"pk": review.pk}, ""),
        ("quality:review-edit", {"pk": review.pk}, ""),
        ("quality:seat-edit", {"pk": seat.pk}, ""),
        ("quality:action-edit", {"pk": item.pk}, ""),
        ("quality:framework-detail", {"pk": framework.pk}, ""),
        ("quality:framework-revise", {"pk": framework.pk}, ""),
        ("quality:assessment-print", {"pk": assessment.pk}, ""),
    ):
        response = page.goto(live_server.url + reverse(name, kwargs=kwargs) + query)
        assert response.status == 200, name
        axe_check(page)
    page.goto(live_server.url + reverse("quality:plan-detail", kwargs={"pk": plan.pk}))
    page.get_by_label("Show what changed since the last update").check()
    page.get_by_role("button", name="Show").click()
    page.get_by_text("1 standard changed").wait_for()
    inserted = page.locator("ins").filter(has_text="submitted;").first
    assert inserted.inner_text().startswith("added:")
