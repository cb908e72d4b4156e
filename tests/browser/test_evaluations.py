"""A parent answers a form from its link on a phone; admin support keys in a paper form by
keyboard alone; the staff's evaluation pages pass axe."""

import re

import pytest
from django.urls import reverse

from evaluations import links
from evaluations.models import Response
from tests import factories

PHONE = {"width": 390, "height": 844}


def expect_heading(page, name):
    page.get_by_role("heading", name=name, level=1).wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_parent_answers_from_the_link_on_a_phone(page, live_server, team, axe_check):
    case = factories.open_case(team.service, team.officer)
    sending, token = factories.send_form(team.service, team.officer, case=case, channel="letter")
    page.set_viewport_size(PHONE)
    url = live_server.url + reverse(
        "evaluations:answer", args=[team.service.pk, links.grouped(token)]
    )
    page.goto(url)
    expect_heading(page, "Parent evaluation")
    assert team.service.name in page.content()
    assert case.reference not in page.content()
    axe_check(page)

    # Sent without the required answer: the error is beside the question, and in a summary.
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Please check your answers").wait_for()
    axe_check(page)

    page.get_by_role("group", name=re.compile("How helpful was the support")).get_by_label(
        "Excellent"
    ).check()
    page.get_by_role("group", name=re.compile("Was the service impartial")).get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Any comments (optional)").fill("A lifeline for our family.")
    page.get_by_role("button", name="Send my answers").click()
    expect_heading(page, "Thank you")
    axe_check(page)
    response = Response.objects.get(sending=sending)
    assert sorted(response.answers.values_list("value", flat=True)) == [
        "A lifeline for our family.",
        "Excellent",
        "Yes",
    ]

    page.goto(url)
    expect_heading(page, "This link cannot be used")
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_admin_support_keys_in_a_paper_form_with_the_keyboard(
    page, live_server, team, sign_in, axe_check
):
    sending, _token = factories.send_form(team.service, team.officer, kind="professional")
    sign_in(page, live_server, team.support.username, factories.PASSWORD)
    page.goto(live_server.url + reverse("evaluations:paper-entry"))
    expect_heading(page, "Key in returned paper forms")
    axe_check(page)
    # The reference box has the focus: type and press Enter.
    page.keyboard.type(sending.reference)
    page.keyboard.press("Enter")
    expect_heading(page, re.compile(f"Key in {sending.reference}"))
    axe_check(page)

    # The date is filled in with today; the first question has the focus. Space picks the
    # first answer, arrow keys move within a question, Tab goes to the next question.
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_text(f"{sending.reference} saved. Next form:").wait_for()
    expect_heading(page, "Key in returned paper forms")
    response = Response.objects.get(sending=sending)
    answers = dict(response.answers.values_list("question__key", "value"))
    assert answers == {"friendliness": "Very good", "sen_knowledge": "Not applicable"}
    assert response.source == "paper"


@pytest.mark.django_db(transaction=True)
def test_every_evaluation_page_passes_axe(page, live_server, team, sign_in, axe_check):
    event = factories.make_event(team.service, team.officer, parents_attending=9)
    case = factories.open_case(team.service, team.officer)
    sending, _token = factories.send_form(team.service, team.officer, case=case)
    sign_in(page, live_server, team.coordinator.username, factories.PASSWORD)
    form_id = _form_id(team)
    for name, args, heading in [
        ("evaluations:due", [], "Evaluations due"),
        ("evaluations:sending-list", [], "Evaluation forms sent"),
        ("evaluations:send", [], "Send a form"),
        ("evaluations:paper-entry", [], "Key in returned paper forms"),
        ("evaluations:comments", [], "Comments from evaluations"),
        ("evaluations:form-list", [], "Evaluation forms"),
        ("evaluations:form-detail", [form_id], "Parent evaluation"),
        ("evaluations:form-create", [], "Create an evaluation form"),
        ("evaluations:event-list", [], "Events"),
        ("evaluations:event-create", [], "Record an event"),
        ("evaluations:event-detail", [event.pk], "Parents' forum"),
        ("evaluations:event-edit", [event.pk], re.compile("Edit Parents' forum")),
        ("evaluations:send-parent", [case.pk], "Send the parent evaluation"),
        ("evaluations:send-professional", [case.pk], "Send the professional evaluation"),
        ("evaluations:paper-response", [sending.pk], re.compile(f"Key in {sending.reference}")),
        ("reports:evaluation-results", [], "Evaluation results"),
        ("service-settings", [], re.compile("Settings of")),
    ]:
        page.goto(live_server.url + reverse(name, args=args))
        expect_heading(page, heading)
        axe_check(page)
    page.goto(live_server.url + reverse("evaluations:form-detail", args=[form_id]))
    page.get_by_role("button", name="Edit the questions (makes a new version)").click()
    expect_heading(page, re.compile("draft version 2"))
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_the_page_for_too_many_guesses_passes_axe(page, live_server, team, axe_check):
    from evaluations import throttle

    page.set_viewport_size(PHONE)
    for _ in range(throttle.LIMIT + 1):
        page.goto(live_server.url + f"/e/{team.service.pk}/{links.new_token()}/")
    expect_heading(page, "Please try again later")
    axe_check(page)


def _form_id(team):
    from evaluations.models import EvaluationForm

    return EvaluationForm.objects.get(service=team.service, kind="parent").pk
