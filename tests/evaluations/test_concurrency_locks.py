"""Every row lock in evaluations, tried with two connections at once (tests/concurrent.py).

The first action is held inside its transaction just before its write while the second
runs: with the select_for_update the second waits and sees the first one's work; without
it both act on the same state (each test was seen failing with its lock taken out).
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone

from evaluations import actions
from evaluations.enums import Channel, EmailStatus, FormKind, RecipientKind, ResponseSource
from evaluations.models import FormVersion, Question, Response, Sending
from tests.concurrent import overlap, postgresql_only
from tests.evaluations.records import form_of, send
from tests.evaluations.test_builder import _formset_data
from tests.factories import VerifiedClient

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def _link_for(service, token):
    return f"http://testserver/e/{service.pk}/{token}/"


def _failed_email(team):
    sending, _token = actions.send_form(
        form=form_of(team.service, FormKind.PARENT),
        by=team.officer,
        channel=Channel.EMAIL,
        recipient_kind=RecipientKind.PARENT,
        email="parent@example.org",
        link_for=_link_for,
    )
    # As if the mail server had been down: the sending is listed to retry.
    Sending.objects.filter(pk=sending.pk).update(email_status=EmailStatus.FAILED)
    mail.outbox.clear()
    return sending


def _answer(sending, team):
    first_question = sending.version.questions.order_by("position").first()
    return lambda: actions.record_response(
        sending=sending,
        answers={first_question.pk: first_question.answers()[:1] or ["Thank you"]},
        source=ResponseSource.PAPER,
        entered_by=team.support,
        received_on=timezone.localdate(),
    )


def _retry(sending):
    return lambda: actions.retry_email(sending=sending, link_for=_link_for)


def test_pressing_retry_twice_at_once_emails_the_parent_once(team):
    sending = _failed_email(team)

    first, second = overlap(_retry(sending), _retry(sending), hold_at=[(pre_save, Sending)])

    assert isinstance(first, Sending)
    assert isinstance(second, ValidationError)
    assert second.messages == ["This email did not fail: there is nothing to retry."]
    assert len(mail.outbox) == 1
    sending.refresh_from_db()
    assert (sending.email_status, sending.email_attempts) == (EmailStatus.SENT, 2)


def test_a_retry_while_the_form_is_being_answered_sends_nothing(team):
    sending = _failed_email(team)

    answered, retried = overlap(
        _answer(sending, team), _retry(sending), hold_at=[(pre_save, Response), (pre_save, Sending)]
    )

    assert isinstance(answered, Response)
    assert isinstance(retried, ValidationError)
    assert retried.messages == ["This form has been answered."]
    assert mail.outbox == []


def test_one_form_answered_twice_at_once_keeps_one_response_and_says_so(team):
    sending = send(form_of(team.service, FormKind.PARENT), team.officer, timezone.localdate())

    first, second = overlap(
        _answer(sending, team), _answer(sending, team), hold_at=[(pre_save, Response)]
    )

    assert isinstance(first, Response)
    # A message for the second person, not the database's refusal (a server error).
    assert isinstance(second, ValidationError)
    assert second.messages == ["This form has already been answered."]
    assert Response.objects.filter(sending=sending).count() == 1


def test_a_letter_reprinted_while_it_is_being_keyed_in_is_refused(team):
    sending = send(form_of(team.service, FormKind.PARENT), team.officer, timezone.localdate())

    answered, reprinted = overlap(
        _answer(sending, team),
        lambda: actions.reissue_letter(sending=sending),
        hold_at=[(pre_save, Response), (pre_save, Sending)],
    )

    assert isinstance(answered, Response)
    assert isinstance(reprinted, ValidationError)
    assert reprinted.messages == ["This form has been answered."]


def test_two_new_drafts_of_one_form_at_once_are_one_draft(team):
    form = form_of(team.service, FormKind.PARENT)

    def draft():
        return actions.draft_version(form=form, by=team.coordinator)

    first, second = overlap(draft, draft, hold_at=[(pre_save, FormVersion)])

    assert isinstance(first, FormVersion) and isinstance(second, FormVersion)
    assert first.pk == second.pk
    assert FormVersion.objects.filter(form=form, published_at__isnull=True).count() == 1


def test_publishing_one_draft_twice_at_once_publishes_it_once(team):
    form = form_of(team.service, FormKind.PARENT)
    draft = actions.draft_version(form=form, by=team.coordinator)

    def publish():
        return actions.publish_version(version=draft)

    first, second = overlap(publish, publish, hold_at=[(pre_save, FormVersion)])

    assert isinstance(first, FormVersion)
    assert isinstance(second, ValidationError)
    assert second.messages == ["This version is already published."]


def test_two_coordinators_saving_one_draft_at_once_cannot_overwrite_each_other(team):
    form = form_of(team.service, FormKind.PARENT)
    draft = actions.draft_version(form=form, by=team.coordinator)
    url = reverse("evaluations:form-questions", args=[form.pk])

    def save(wording):
        def post():
            client = VerifiedClient()
            client.force_login(team.coordinator)
            data = _formset_data(draft, changes={"helpfulness": {"text": wording}})
            return client.post(url, data, follow=True).content.decode()

        return post

    first, second = overlap(
        save("First wording"),
        save("Second wording"),
        hold_at=[(pre_save, FormVersion), (pre_save, Question)],
    )

    assert "Draft saved" in first
    assert "Someone else saved or published this draft" in second
    assert draft.questions.get(key="helpfulness").text == "First wording"
