"""A form title with a line break in an email subject, and a hand-out print that fails."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from evaluations import actions
from evaluations.models import EvaluationForm, Sending
from tests import factories

pytestmark = pytest.mark.django_db

BROKEN_TITLE = "Parent evaluation\r\nBcc: everyone@example.org"


@pytest.fixture
def parent_case(team):
    case = factories.open_case(team.service, team.officer)
    form = EvaluationForm.objects.filter(service=team.service, kind="parent").order_by("id")[0]
    # A title pasted with a line break in it (the builder's text box keeps it).
    EvaluationForm.objects.filter(pk=form.pk).update(title=BROKEN_TITLE)
    return case


def test_a_title_with_a_line_break_is_sent_on_one_subject_line(client, team, parent_case):
    client.force_login(team.officer)
    sent = client.post(
        reverse("evaluations:send-parent", args=[parent_case.pk]),
        {"channel": "email", "email": "parent@example.org"},
    )
    assert sent.status_code == 302
    assert [m.subject for m in mail.outbox] == [
        f"{team.service.name}: Parent evaluation Bcc: everyone@example.org"
    ]
    assert mail.outbox[0].to == ["parent@example.org"] and mail.outbox[0].bcc == []
    assert Sending.objects.get(case=parent_case).email_status == "sent"


def test_a_failed_send_of_such_a_form_is_marked_failed_and_a_retry_works(
    client, team, parent_case, settings
):
    # The first send meets a mail server that is down (a real refused connection).
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client.force_login(team.officer)
    client.post(
        reverse("evaluations:send-parent", args=[parent_case.pk]),
        {"channel": "email", "email": "parent@example.org"},
    )
    sending = Sending.objects.get(case=parent_case)
    assert sending.email_status == "failed" and sending.email_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = client.post(reverse("evaluations:retry", args=[sending.pk]))
    assert retried.status_code == 302
    sending.refresh_from_db()
    assert (sending.email_status, sending.email_attempts) == ("sent", 2)
    assert "\n" not in mail.outbox[0].subject


def test_a_header_the_mail_library_refuses_marks_the_sending_failed_with_a_reason(team):
    form = EvaluationForm.objects.filter(service=team.service, kind="parent").order_by("id")[0]
    sending, _token = actions.send_form(
        form=form,
        by=team.officer,
        channel="email",
        recipient_kind="parent",
        link_for=lambda service, token: f"http://testserver/e/{service.pk}/{token}/",
        # Not possible through the page (its email field refuses it), but an action
        # must not raise on it either.
        email="parent@example.org\nBcc: everyone@example.org",
    )
    sending.refresh_from_db()
    assert sending.email_status == "failed"
    assert "newlines" in sending.email_error.lower() or "header" in sending.email_error.lower()
    assert mail.outbox == []


def _event_form(client, event):
    page = client.get(reverse("evaluations:event-detail", args=[event.pk]))
    return page.context["hand_out"].fields["form"].queryset.get()


def test_a_print_that_fails_leaves_no_handed_out_forms(team):
    event = factories.make_event(team.service, team.officer)
    form = EvaluationForm.objects.filter(service=team.service, kind="event").order_by("id")[0]

    def storage_full(printed):
        # Rendering really starts (the sendings exist by now), then the disk is full.
        assert len(printed) == 20 and all(sending.pk for sending, _token in printed)
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        actions.print_hand_outs(
            event=event, form=form, count=20, by=team.officer, render=storage_full
        )
    assert Sending.objects.filter(event=event).count() == 0


@pytest.mark.parametrize("count", ["0", "501", "²", "-3", ""])
def test_a_wrong_count_prints_nothing_and_says_why(client, team, count):
    event = factories.make_event(team.service, team.officer, on=timezone.localdate())
    client.force_login(team.officer)
    form = _event_form(client, event)
    response = client.post(
        reverse("evaluations:event-hand-out", args=[event.pk]),
        {"form": form.pk, "count": count},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Sending.objects.filter(event=event).count() == 0
