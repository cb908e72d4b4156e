from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.enums import LetterKind
from casework.models.case import Case
from casework.models.contact import Contact
from pps.models import ServiceRecord
from pps.versioning import VersionedModel


class LetterTemplate(ServiceRecord, VersionedModel):
    """A letter or email a coordinator writes once for the service, with placeholders such
    as [parent name] that are filled from a case (casework/letters.py). The text is never a
    Django template: docs/letters.md says why."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=LetterKind.choices, default=LetterKind.LETTER)
    subject = models.CharField(
        max_length=200,
        blank=True,
        help_text="An email's subject line; on a letter, the heading above the text.",
    )
    body = models.TextField()
    active = models.BooleanField(
        default=True, help_text="Only active templates are offered when writing from a case."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Correspondence(ServiceRecord):
    """The copy kept of a letter produced or an email sent from a case: the final text as
    sent, to whom, and for a letter its PDF. Its contact is the one it was logged as."""

    PERSONAL_FIELDS = (
        "recipient",
        "recipient_email",
        "recipient_address",
        "subject",
        "body",
        "file",
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="correspondence")
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="correspondence")
    template = models.ForeignKey(
        LetterTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=LetterKind.choices)
    recipient = models.CharField(max_length=201)
    recipient_email = models.EmailField(blank=True)
    recipient_address = models.TextField(blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # Through default_storage (the FileField's storage), never a path on this machine.
    file = models.FileField(upload_to="letters/%Y/%m/", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"
