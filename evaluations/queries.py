"""Named reads of evaluation forms and sendings, reused by views and actions."""

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django_scopes import scopes_disabled

from evaluations import links
from evaluations.access import answers_visible_to, forms_visible_to, sendings_visible_to
from evaluations.enums import EmailStatus, FormKind, QuestionKind
from evaluations.models import Answer, EvaluationForm, FormVersion, Response, Sending
from pps.prepared import Prepared


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


def _failed_emails_of(user) -> QuerySet[Sending]:
    return failed_emails(sendings_visible_to(user))


def _awaiting_paper_of(user, today: dt.date) -> QuerySet[Sending]:
    return awaiting_paper(sendings_visible_to(user), today).values_list("pk")


# The Evaluations due page's two reads of sendings, compiled once per process and day
# (pps/prepared.py).
_FAILED_EMAILS = Prepared(_failed_emails_of)
_AWAITING_PAPER = Prepared(_awaiting_paper_of)


def failed_emails_for(user) -> list[Sending]:
    """failed_emails of the sendings the user sees."""
    return _FAILED_EMAILS.rows(user)


def awaiting_paper_count(user, today: dt.date) -> int:
    """How many of the sendings the user sees are awaiting_paper."""
    return _AWAITING_PAPER.count(user, today=today)


def forms_listed(user) -> QuerySet[EvaluationForm]:
    return forms_visible_to(user).prefetch_related("versions")


def form_versions(form: EvaluationForm) -> list[FormVersion]:
    """Every version of the form with its questions, newest first."""
    return list(form.versions.order_by("-number").prefetch_related("questions"))


def draft_of(form: EvaluationForm) -> FormVersion | None:
    """The form's unpublished version, if it has one."""
    return form.versions.filter(published_at__isnull=True).first()


def last_position(version: FormVersion) -> int:
    """The position of the version's last question (0 when it has none)."""
    return version.questions.aggregate(last=Max("position"))["last"] or 0


def comments_listed(user, *, unpublished_only: bool) -> QuerySet[Answer]:
    """Written answers this user may read, newest response first."""
    comments = (
        answers_visible_to(user)
        .filter(question__kind=QuestionKind.TEXT)
        .select_related("question", "response__version__form", "publishable_set_by")
        .order_by("-response__received_on", "-id")
    )
    return comments.filter(publishable=False) if unpublished_only else comments


# The largest primary key the database can hold (a 64-bit integer). A link with a larger
# service number names no service; SQLite cannot even be asked (OverflowError, a 500).
LARGEST_ID = 2**63 - 1


def sending_for_link(service_id: int, token: str, today: dt.date) -> Sending | None:
    """The sending a one-time link opens, if it may still be answered."""
    if not links.looks_like_a_token(token) or not 0 < service_id <= LARGEST_ID:
        return None
    # The one read outside a service scope: the link itself says which service it is for,
    # and the lookup asks for that service and that token's hash together.
    with scopes_disabled():
        sendings = Sending.objects.select_related("service", "version__form")
        return (
            open_links(sendings, today)
            .filter(service_id=service_id, token_hash=links.token_hash(token))
            .first()
        )


def sendings_listed(user) -> QuerySet[Sending]:
    return with_answered(sendings_visible_to(user)).select_related("version__form", "case", "event")


def sending_with_answered(user, pk: int) -> Sending | None:
    """The sending of this reference, if this user may see it, saying whether it is answered."""
    return with_answered(sendings_visible_to(user)).filter(pk=pk).first()


def is_answered(sending: Sending) -> bool:
    return Response.objects.filter(sending=sending).exists()
