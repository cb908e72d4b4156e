"""Each form sent is recorded, so that return rates are exact (docs/domain.md, "Evaluation forms"
and "Evaluations").

A sending carries a one-time link: only the SHA-256 hash of its token is stored, so the
database never holds a usable link. A sending is answered at most once (a response is
one-to-one with its sending), online through the link or keyed in from paper.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from evaluations.enums import Channel, EmailStatus, RecipientKind, ResponseSource
from evaluations.models.event import Event
from evaluations.models.form import FormVersion, Question
from pps.models import ServiceRecord


class Sending(ServiceRecord):
    # The mail server's refusal often quotes the recipient's address.
    PERSONAL_FIELDS = (
        "recipient_name",
        "recipient_email",
        "recipient_organisation",
        "email_error",
    )

    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="sendings")
    case = models.ForeignKey(
        "casework.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_sendings",
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="sendings"
    )
    recipient_kind = models.CharField(max_length=12, choices=RecipientKind.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_email = models.EmailField(blank=True)
    recipient_organisation = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_on = models.DateField()
    email_status = models.CharField(
        max_length=6, choices=EmailStatus.choices, blank=True, default=EmailStatus.NOT_EMAIL
    )
    email_error = models.CharField(max_length=300, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["service", "sent_on"]),
            # "Paper still out" on the evaluations page: paper whose link is still open.
            models.Index(
                fields=["service", "expires_on"],
                condition=~Q(channel="email"),
                name="sending_paper_by_expiry",
            ),
            # "Emails that failed" on the evaluations page: a handful among thousands sent.
            models.Index(
                fields=["service", "sent_on"],
                condition=Q(email_status="failed"),
                name="sending_failed_email",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """Printed on paper forms, so that a returned one is keyed in against its sending."""
        return f"E{self.pk:05d}"


class Response(ServiceRecord):
    sending = models.OneToOneField(Sending, on_delete=models.CASCADE, related_name="response")
    # The version answered and the day its form was sent (the sending's, which never
    # change), kept here so that the reports need no extra join: a period's responses are
    # read by (service, sent_on), not looked up sending by sending.
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="responses")
    sent_on = models.DateField()
    received_on = models.DateField()
    source = models.CharField(max_length=6, choices=ResponseSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["service", "sent_on"])]

    def __str__(self):
        return f"Response to {self.sending}"


class Answer(ServiceRecord):
    """One answer: a chosen answer's words, or free text. A several-choice question has one
    row per answer chosen; an unanswered question has none."""

    PERSONAL_FIELDS = ("value",)

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.TextField()
    publishable = models.BooleanField(
        default=False,
        help_text="A comment the coordinator has cleared for the published reports.",
    )
    # Who last cleared or withdrew the comment, and when: a decision to publish a parent's
    # words is kept without copying the words into a history table.
    publishable_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    publishable_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["response", "question__position", "id"]
        # No index holds `value`: a comment may be 3,000 characters, more than an index
        # entry holds once its bytes compress badly. Answers are counted by response.

    def __str__(self):
        return self.value[:60]
