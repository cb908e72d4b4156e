"""Sending forms by email and letter, retrying failed emails, printing hand-outs, keying in
paper: through the pages, as staff use them."""

import io
import random
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from casework.models import Case
from evaluations.models import Answer, EvaluationForm, Response, Sending
from pps.models import AccessLog
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/e/\d+/[a-z0-9-]+/)")


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def due_case(team):
    """A case whose last contact was two months ago: its parent evaluation is due."""
    today = timezone.localdate()
    opened = today.replace(day=1) - timezone.timedelta(days=90)
    case = factories.open_case(team.service, team.officer, opened_on=opened)
    factories.log_contact(case, team.officer, on=opened + timezone.timedelta(days=20))
    case.parent.email = "parent@example.org"
    case.parent.save()
    return case


def test_an_officer_emails_the_parent_form_and_the_parent_answers_it(client, team, due_case):
    client.force_login(team.officer)
    due = client.get(reverse("evaluations:due"))
    assert due_case.reference in due.content.decode()
    sent = client.post(
        reverse("evaluations:send-parent", args=[due_case.pk]),
        {"channel": "email", "email": "parent@example.org"},
    )
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parent@example.org"]
    assert team.service.name in message.subject
    path = LINK.search(message.body).group(1)
    sending = Sending.objects.get(case=due_case)
    assert (sending.channel, sending.email_status, sending.recipient_kind) == (
        "email",
        "sent",
        "parent",
    )
    due_case.refresh_from_db()
    assert due_case.evaluation_sent_on == timezone.localdate()
    assert due_case.reference not in client.get(reverse("evaluations:due")).content.decode()

    client.logout()
    assert client.get(path).status_code == 200
    helpfulness = sending.version.questions.get(key="helpfulness")
    assert client.post(path, {f"q{helpfulness.pk}": "Very good"}).status_code == 302
    assert Response.objects.get(sending=sending).answers.get().value == "Very good"


def test_email_is_required_to_send_by_email(client, team, due_case):
    client.force_login(team.officer)
    page = client.post(
        reverse("evaluations:send-parent", args=[due_case.pk]), {"channel": "email", "email": ""}
    )
    assert page.status_code == 200
    assert "Enter the email address to send the link to." in page.content.decode()
    assert Sending.objects.count() == 0


def test_a_failed_email_is_shown_and_can_be_retried(client, team, due_case, settings):
    # A real SMTP connection to a port nobody listens on: the send fails as it would in life.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client.force_login(team.officer)
    sent = client.post(
        reverse("evaluations:send-parent", args=[due_case.pk]),
        {"channel": "email", "email": "parent@example.org"},
        follow=True,
    )
    assert "could not be sent" in sent.content.decode()
    sending = Sending.objects.get(case=due_case)
    assert sending.email_status == "failed"
    assert sending.email_attempts == 1
    failed_hash = sending.token_hash
    due = client.get(reverse("evaluations:due")).content.decode()
    assert "Emails that failed" in due and sending.reference in due

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(reverse("evaluations:retry", args=[sending.pk]))
    sending.refresh_from_db()
    assert (sending.email_status, sending.email_attempts, sending.email_error) == ("sent", 2, "")
    assert sending.token_hash != failed_hash
    assert len(mail.outbox) == 1
    assert Sending.objects.count() == 1
    due = client.get(reverse("evaluations:due"))
    assert list(due.context["failed"]) == []


def test_a_letter_is_a_pdf_with_the_form_its_reference_and_link(client, team, due_case):
    client.force_login(team.officer)
    response = client.post(
        reverse("evaluations:send-parent", args=[due_case.pk]), {"channel": "letter"}
    )
    assert response.status_code == 200
    text = _pdf_text(response)
    sending = Sending.objects.get(case=due_case)
    assert sending.channel == "letter"
    assert f"Reference {sending.reference}" in text
    assert "How helpful was the support you received?" in text
    assert team.service.name in text
    assert str(due_case.parent) in text
    assert "/e/" in text
    log = AccessLog.objects.filter(object_type="evaluation-letter").get()
    assert (log.action, log.object_id, log.user) == ("export", sending.pk, team.officer)


def test_a_professional_is_sent_the_professional_form(client, team, due_case):
    client.force_login(team.officer)
    client.post(
        reverse("evaluations:send-professional", args=[due_case.pk]),
        {
            "name": "Sam Teacher",
            "organisation": "Hill Primary",
            "channel": "email",
            "email": "senco@example.org",
        },
    )
    sending = Sending.objects.get(case=due_case)
    assert sending.version.form.kind == "professional"
    assert (sending.recipient_kind, sending.recipient_organisation) == (
        "professional",
        "Hill Primary",
    )
    # A professional form does not answer for the parent's: the case is still due.
    assert Case.objects.get(pk=due_case.pk).evaluation_sent_on is None


def test_admin_support_keys_in_a_paper_form_by_its_reference(client, team):
    sending, _token = factories.send_form(team.service, team.officer)
    client.force_login(team.support)
    unknown = client.post(reverse("evaluations:paper-entry"), {"reference": "E99999"})
    assert "No form was sent with this reference." in unknown.content.decode()
    for typo in ("E²", "E-12", "12a"):
        wrong = client.post(reverse("evaluations:paper-entry"), {"reference": typo})
        assert wrong.status_code == 200
        assert "A reference is the letter E and a number" in wrong.content.decode()
    found = client.post(reverse("evaluations:paper-entry"), {"reference": sending.reference})
    assert found["Location"] == reverse("evaluations:paper-response", args=[sending.pk])
    questions = {q.key: q for q in sending.version.questions.all()}
    saved = client.post(
        found["Location"],
        {
            "received_on": timezone.localdate().isoformat(),
            f"q{questions['helpfulness'].pk}": "Good",
            f"q{questions['information'].pk}": "Not applicable",
            f"q{questions['comments'].pk}": "Very kind",
        },
    )
    assert saved["Location"] == reverse("evaluations:paper-entry")
    response = Response.objects.get(sending=sending)
    assert (response.source, response.entered_by) == ("paper", team.support)
    assert Answer.objects.filter(response=response).count() == 3
    again = client.post(reverse("evaluations:paper-entry"), {"reference": sending.reference})
    assert "has already been answered" in again.content.decode()


def test_a_comment_as_long_as_the_form_allows_is_saved_in_any_language(client, team):
    # 3,000 characters (the comment box's limit) of Polish letters in no repeating order:
    # over 3,000 bytes that compress badly, more than an index entry may hold, so no index
    # may cover the words of an answer.
    rng = random.Random(11)
    comment = "".join(rng.choice("aąbcćdeęfghijklłmnńoóprsśtuwyzźż ") for _ in range(3000))
    assert len(comment.encode()) > 3000
    sending, _token = factories.send_form(team.service, team.officer)
    questions = {q.key: q for q in sending.version.questions.all()}
    client.force_login(team.support)
    saved = client.post(
        reverse("evaluations:paper-response", args=[sending.pk]),
        {
            "received_on": timezone.localdate().isoformat(),
            f"q{questions['helpfulness'].pk}": "Good",
            f"q{questions['comments'].pk}": comment,
        },
    )
    assert saved.status_code == 302
    answer = Answer.objects.get(response__sending=sending, question=questions["comments"])
    assert answer.value == comment


def test_a_paper_form_missing_its_required_answer_is_refused_beside_it(client, team):
    sending, _token = factories.send_form(team.service, team.officer)
    client.force_login(team.support)
    page = client.post(
        reverse("evaluations:paper-response", args=[sending.pk]),
        {"received_on": timezone.localdate().isoformat()},
    )
    assert page.status_code == 200
    assert "Please answer this question." in page.content.decode()
    assert Response.objects.count() == 0


def test_another_services_sending_cannot_be_keyed_in(client, team, other_team):
    theirs, _token = factories.send_form(other_team.service, other_team.officer)
    client.force_login(team.support)
    page = client.post(reverse("evaluations:paper-entry"), {"reference": theirs.reference})
    assert "No form was sent with this reference." in page.content.decode()
    assert client.get(reverse("evaluations:paper-response", args=[theirs.pk])).status_code == 404


def test_the_schools_survey_is_sent_to_a_senco_without_a_case(client, team):
    survey = EvaluationForm.objects.get(service=team.service, kind="schools")
    client.force_login(team.officer)
    assert client.get(reverse("evaluations:send")).status_code == 200
    refused = client.post(
        reverse("evaluations:send"),
        {"form": survey.pk, "recipient_kind": "school", "name": "SENCo", "channel": "email"},
    )
    assert "Enter the email address to send the link to." in refused.content.decode()
    assert Sending.objects.count() == 0
    sent = client.post(
        reverse("evaluations:send"),
        {
            "form": survey.pk,
            "recipient_kind": "school",
            "name": "SENCo",
            "organisation": "Hill Primary School",
            "channel": "email",
            "email": "senco@hill.example.org",
        },
    )
    assert sent["Location"] == reverse("evaluations:due")
    sending = Sending.objects.get()
    assert (sending.version.form, sending.recipient_kind, sending.case) == (survey, "school", None)
    assert mail.outbox[0].to == ["senco@hill.example.org"]


def test_a_coordinator_clears_a_comment_and_the_decision_is_kept(client, team):
    sending, _token = factories.send_form(team.service, team.officer)
    comments = sending.version.questions.get(key="comments")
    helpfulness = sending.version.questions.get(key="helpfulness")
    from evaluations.actions import record_response

    response = record_response(
        sending=sending,
        answers={helpfulness.pk: ["Good"], comments.pk: ["Lovely team"]},
        source="paper",
    )
    answer = response.answers.get(question=comments)
    client.force_login(team.coordinator)
    page = client.get(reverse("evaluations:comments"))
    assert "Lovely team" in page.content.decode()
    client.post(
        reverse("evaluations:comment-publish", args=[answer.pk]),
        {"publishable": "yes", "back": "https://evil.example.org/"},
    )
    answer.refresh_from_db()
    assert (answer.publishable, answer.publishable_set_by) == (True, team.coordinator)
    assert answer.publishable_set_at is not None
    # A way back outside the site is ignored.
    back = client.post(
        reverse("evaluations:comment-publish", args=[answer.pk]),
        {"publishable": "no", "back": "https://evil.example.org/"},
    )
    assert back["Location"] == reverse("evaluations:comments")
    answer.refresh_from_db()
    assert answer.publishable is False
    assert "Withdrawn by" in client.get(reverse("evaluations:comments")).content.decode()


def test_the_due_list_pages_through_its_cases(client, team, monkeypatch):
    from evaluations.views.sending import DueView

    today = timezone.localdate()
    opened = today.replace(day=1) - timezone.timedelta(days=90)
    for _ in range(3):
        case = factories.open_case(team.service, team.officer, opened_on=opened)
        factories.log_contact(case, team.officer, on=opened + timezone.timedelta(days=20))
    monkeypatch.setattr(DueView, "due_per_page", 2)
    client.force_login(team.officer)
    first = client.get(reverse("evaluations:due")).content.decode()
    assert 'page=2">Next page</a>' in first and "Previous page" not in first
    second = client.get(reverse("evaluations:due"), {"page": "2"}).content.decode()
    assert 'page=1">Previous page</a>' in second and "Next page" not in second
