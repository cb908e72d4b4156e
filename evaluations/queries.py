"""Named reads of evaluation forms and sendings, reused by views and actions."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from evaluations.enums import EmailStatus, FormKind
from evaluations.models import EvaluationForm, FormVersion, Response, Sending


def current_version(form: EvaluationForm) -> FormVersion | None:
    """The version that is sent: the latest published one."""
    return (
        form.versions.filter(published_at__isnull=False)
        .order_by("-number")
        .prefetch_related("questions")
        .first()
    )


def forms_in_use(kind: FormKind | None = None) -> QuerySet[EvaluationForm]:
    """Forms that can be sent now: not retired, with a published version."""
    forms = EvaluationForm.objects.filter(
        retired_on__isnull=True, versions__published_at__isnull=False
    ).distinct()
    return forms.filter(kind=kind) if kind else forms


def with_answered(sendings: QuerySet[Sending]) -> QuerySet[Sending]:
    return sendings.annotate(answered=Exists(Response.objects.filter(sending=OuterRef("pk"))))


def failed_emails(sendings: QuerySet[Sending]) -> QuerySet[Sending]:
    """Emails that did not go, and are not answered: to be retried."""
    # "Not answered" as a join to the response (one at most) rather than an EXISTS on the
    # service's responses: PostgreSQL then probes the response of each failed email alone.
    return (
        sendings.filter(email_status=EmailStatus.FAILED, response__isnull=True)
        .select_related("version__form", "case")
        .order_by("sent_on", "id")
    )


def open_links(sendings: QuerySet[Sending], today: dt.date) -> QuerySet[Sending]:
    """The sendings whose link may still be answered: not answered, and not expired on
    `today` (the link works to the end of its last day). The one statement of the rule: the
    answer page, the paper still out and record_response's online check all ask it."""
    return sendings.filter(response__isnull=True, expires_on__gte=today)


def awaiting_paper(sendings: QuerySet[Sending], today: dt.date) -> QuerySet[Sending]:
    """Letters and handed-out forms not yet answered whose link is still open: the paper
    that may yet come back."""
    return open_links(sendings, today).filter(~Q(channel="email"), sent_on__lte=today)
