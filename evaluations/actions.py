"""Writes that carry a rule for evaluation forms, sendings, responses and events.

Keyword-only, one transaction each, ValidationError naming the field at fault, nothing
changed when refused (docs/architecture.md, "Layers inside an app").
"""

import datetime as dt
import smtplib
from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from casework.actions import record_evaluation_sent
from casework.models import Case
from evaluations import links
from evaluations.enums import (
    NOT_APPLICABLE,
    Channel,
    EmailStatus,
    FormKind,
    QuestionKind,
    RecipientKind,
    ResponseSource,
)
from evaluations.models import (
    Answer,
    EvaluationForm,
    Event,
    FormVersion,
    Question,
    Response,
    Sending,
)
from evaluations.queries import current_version, draft_of, is_answered, open_links
from evaluations.shipped import create_shipped_forms
from pps.mail import subject_line
from pps.models import Service, User
from pps.validators import refuse_future
from pps.versioning import EditConflict, bump, locked_at

# Builds the absolute address of a form's one-time link from its token (the view knows the
# host it is served on; the actions do not).
LinkBuilder = Callable[[Service, str], str]


def install_shipped_forms(*, service: Service) -> None:
    """Give a service the five shipped forms, each with a published version 1."""
    with transaction.atomic():
        create_shipped_forms(
            service,
            form_model=EvaluationForm,
            version_model=FormVersion,
            question_model=Question,
            published_at=timezone.now(),
        )


# What a question of a new version copies from the one it is a copy of.
QUESTION_COPIED = (
    "position", "key", "text", "kind", "scale", "options", "required",
    "allow_not_applicable", "measure",
)  # fmt: skip


def _new_version(form: EvaluationForm, *, number: int, by: User, like: FormVersion | None):
    """Version `number` of `form`, a draft holding a copy of the questions of `like`."""
    version = FormVersion.objects.create(
        service_id=form.service_id, form=form, number=number, created_by=by
    )
    if like is not None:
        Question.objects.bulk_create(
            Question(
                service_id=form.service_id,
                version=version,
                **{name: getattr(q, name) for name in QUESTION_COPIED},
            )
            for q in like.questions.all()
        )
    return version


def copy_form(*, form: EvaluationForm, by: User, title: str) -> EvaluationForm:
    """A new form whose draft version 1 holds the latest questions of `form`."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the new form a title."})
    latest = form.versions.order_by("-number").first()
    with transaction.atomic():
        copy = EvaluationForm.objects.create(
            service_id=form.service_id,
            kind=form.kind,
            title=title,
            introduction=form.introduction,
            copied_from=form,
        )
        _new_version(copy, number=1, by=by, like=latest)
    return copy


def create_form(*, service: Service, by: User, **fields) -> EvaluationForm:
    """A new evaluation form with an empty draft version, to be given its questions."""
    with transaction.atomic():
        form = EvaluationForm.objects.create(service=service, **fields)
        draft_version(form=form, by=by)
    return form


def draft_version(*, form: EvaluationForm, by: User) -> FormVersion:
    """The form's draft, made now as a copy of its latest version if there is none.

    Published versions never change: their responses must keep the questions they answered.
    """
    if form.is_retired:
        raise ValidationError("This form is retired: copy it to make a new one.")
    with transaction.atomic():
        EvaluationForm.objects.select_for_update().get(pk=form.pk)
        draft = draft_of(form)
        if draft is not None:
            return draft
        latest = form.versions.order_by("-number").first()
        number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return _new_version(form, number=number, by=by, like=latest)


def save_draft(*, draft: FormVersion, opened_at: int | None, details, questions) -> FormVersion:
    """Save the form's details and the draft's questions (the builder's valid forms), all
    or nothing. Refused with EditConflict, saving nothing, when the draft was saved or
    published since the page was opened at revision `opened_at` (pps/versioning.py)."""
    with transaction.atomic():
        current = locked_at(FormVersion, draft.pk, expected=opened_at, counter="revision")
        if not current.is_draft:
            raise EditConflict(current)
        details.save()
        for question in questions.save(commit=False):
            question.service_id = current.service_id
            question.save()
        for question in questions.deleted_objects:
            question.delete()
        bump(current, "revision")
        current.save(update_fields=["revision"])
    return current


def publish_version(*, version: FormVersion) -> FormVersion:
    """Make a draft the version that is sent from now on."""
    with transaction.atomic():
        version = FormVersion.objects.select_for_update().get(pk=version.pk)
        if not version.is_draft:
            raise ValidationError("This version is already published.")
        questions = list(version.questions.all())
        if not questions:
            raise ValidationError("Add at least one question before publishing.")
        for question in questions:
            if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and (
                len(question.options) < 2
            ):
                raise ValidationError(
                    f"“{question.text}” needs at least two answers to choose from."
                )
        version.published_at = timezone.now()
        version.save()
    return version


def retire_form(*, form: EvaluationForm, on: dt.date) -> EvaluationForm:
    if form.is_retired:
        raise ValidationError("This form is already retired.")
    form.retired_on = on
    form.save()
    return form


def _new_link(sending: Sending) -> str:
    """Give the sending a fresh token (any earlier link stops working) and return it."""
    token = links.new_token()
    sending.token_hash = links.token_hash(token)
    return token


def _email(sending: Sending, token: str, link_for: LinkBuilder) -> None:
    """Send the one-time link; a failure is recorded on the sending, to be retried."""
    service = sending.service
    body = render_to_string(
        "evaluations/email/invitation.txt",
        {
            "sending": sending,
            "service": service,
            "form": sending.version.form,
            "link": link_for(service, token),
        },
    )
    message = EmailMessage(
        subject=subject_line(f"{service.name}: {sending.version.form.title}"),
        body=body,
        to=[sending.recipient_email],
    )
    sending.email_attempts += 1
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError, BadHeaderError) as error:
        # BadHeaderError: a header the mail library refuses (a typed address, say); the
        # subject is already made safe above.
        sending.email_status = EmailStatus.FAILED
        sending.email_error = str(error)[:300] or error.__class__.__name__
    else:
        sending.email_status = EmailStatus.SENT
        sending.email_error = ""


def _sendable_version(form: EvaluationForm, on: dt.date) -> FormVersion:
    refuse_future(on, "on")
    if form.is_retired:
        raise ValidationError({"form": "This form is retired and can no longer be sent."})
    version = current_version(form)
    if version is None:
        raise ValidationError({"form": "This form has no published version yet."})
    return version


def send_form(
    *,
    form: EvaluationForm,
    by: User,
    channel: Channel,
    recipient_kind: RecipientKind,
    link_for: LinkBuilder | None = None,
    case: Case | None = None,
    event: Event | None = None,
    name: str = "",
    email: str = "",
    organisation: str = "",
    on: dt.date | None = None,
) -> tuple[Sending, str]:
    """Record a form sent to one person and, by email, send its one-time link.

    Returns the sending and its token (for the letter to print: the token itself is never
    stored). A parent form sent about a case takes the case off the "evaluations due" list.
    A failed email is recorded, not raised: the sending exists and can be retried.
    """
    on = on or timezone.localdate()
    version = _sendable_version(form, on)
    if channel == Channel.EMAIL and not email:
        raise ValidationError({"email": "Enter the email address to send the link to."})
    if case is not None and case.service_id != form.service_id:
        raise ValidationError("The case belongs to another service.")
    service = Service.objects.get(pk=form.service_id)
    with transaction.atomic():
        sending = Sending(
            service=service,
            version=version,
            case=case,
            event=event,
            recipient_kind=recipient_kind,
            recipient_name=name,
            recipient_email=email,
            recipient_organisation=organisation,
            channel=channel,
            sent_on=on,
            sent_by=by,
            expires_on=on + dt.timedelta(days=service.evaluation_link_days),
        )
        token = _new_link(sending)
        if channel == Channel.EMAIL:
            # Counted as failed until the mail server takes it: if anything stops us between
            # here and there, the sending is listed to retry rather than silently lost.
            sending.email_status = EmailStatus.FAILED
            sending.email_error = "Not sent yet."
        sending.save()
        if case is not None and form.kind == FormKind.PARENT:
            record_evaluation_sent(case=case, on=on)
    if channel == Channel.EMAIL:
        # Outside the transaction: no row stays locked while a mail server answers.
        _email(sending, token, link_for)
        sending.save(update_fields=["email_status", "email_error", "email_attempts"])
    return sending, token


def retry_email(*, sending: Sending, link_for: LinkBuilder) -> Sending:
    """Send a failed email again, with a new link (the first one never arrived)."""
    with transaction.atomic():
        sending = Sending.objects.select_for_update().select_related("service").get(pk=sending.pk)
        if sending.channel != Channel.EMAIL:
            raise ValidationError("This form was not sent by email.")
        if sending.email_status != EmailStatus.FAILED:
            raise ValidationError("This email did not fail: there is nothing to retry.")
        if is_answered(sending):
            raise ValidationError("This form has been answered.")
        token = _new_link(sending)
        # Sent under the row lock, unlike a first send: two people pressing "Retry" at once
        # must not email the parent twice (the mail server's timeout bounds the wait).
        _email(sending, token, link_for)
        sending.save()
    return sending


def reissue_letter(*, sending: Sending) -> str:
    """A new link for reprinting a letter; the earlier printed link stops working."""
    with transaction.atomic():
        sending = Sending.objects.select_for_update().get(pk=sending.pk)
        if sending.channel == Channel.EMAIL:
            raise ValidationError("This form was sent by email.")
        if is_answered(sending):
            raise ValidationError("This form has been answered.")
        token = _new_link(sending)
        sending.save()
    return token


def check_hand_outs(
    *, event: Event, form: EvaluationForm, count: int, on: dt.date | None = None
) -> FormVersion:
    """The rules of a batch of hand-outs, checked without writing: the version they print.

    The page checks them before the background worker is asked to print, so a refusal is
    shown at once; the worker's print (hand_out_forms) checks them again.
    """
    if not 1 <= count <= 500:
        raise ValidationError({"count": "Enter how many forms were handed out, 1 to 500."})
    if event.service_id != form.service_id:
        raise ValidationError({"form": "This form belongs to another service."})
    return _sendable_version(form, on or event.on)


def hand_out_forms(
    *, event: Event, form: EvaluationForm, count: int, by: User, on: dt.date | None = None
) -> list[tuple[Sending, str]]:
    """Record `count` paper forms handed out at an event, each with its own reference and
    one-time link, so that the event's return rate is exact."""
    version = check_hand_outs(event=event, form=form, count=count, on=on)
    on = on or event.on
    expires_on = on + dt.timedelta(days=event.service.evaluation_link_days)
    printed = []
    for _ in range(count):
        sending = Sending(
            service_id=event.service_id,
            version=version,
            event=event,
            recipient_kind=RecipientKind.ATTENDEE,
            channel=Channel.HANDED_OUT,
            sent_on=on,
            sent_by=by,
            expires_on=expires_on,
        )
        printed.append((sending, _new_link(sending)))
    with transaction.atomic():
        # One insert for the lot (with their history rows), not one per form. The history
        # names who printed them: in the background worker there is no request to say so.
        bulk_create_with_history([sending for sending, _token in printed], Sending, default_user=by)
    return printed


def print_hand_outs(*, render: Callable[[list[tuple[Sending, str]]], bytes], **batch) -> bytes:
    """Hand out forms at an event (hand_out_forms, given `batch`) and print them.

    `render` makes the printed forms (the PDF) from the new sendings and their tokens, and
    runs inside the transaction that records them: the sendings are kept only together
    with a finished document. A failed print, or a worker stopped while 500 forms are
    laid out, rolls them back and leaves no half-made batch (tokens are never stored, so
    forms that were never printed could never be answered anyway). The background worker
    calls it inside the transaction that stores the file (evaluations/documents.py), so a
    batch is also never made twice for one document.
    """
    with transaction.atomic():
        return render(hand_out_forms(**batch))


def record_response(
    *,
    sending: Sending,
    answers: Mapping[int, Iterable[str]],
    source: ResponseSource,
    entered_by: User | None = None,
    received_on: dt.date | None = None,
) -> Response:
    """Record the one response a sending may have.

    `answers` maps question ids to the answers given (several for a several-choice
    question; an empty or missing entry is a question left unanswered). Online answers
    must come before the link expires; a paper form returned late still counts for its
    sending (docs/domain.md, "Evaluations": "responses received later still count for their
    sending").
    """
    today = timezone.localdate()
    received_on = received_on or today
    refuse_future(received_on, "received_on")
    with transaction.atomic():
        sending = Sending.objects.select_for_update().get(pk=sending.pk)
        if is_answered(sending):
            raise ValidationError("This form has already been answered.")
        # Answered is refused above: a link that is not open has expired.
        if (
            source == ResponseSource.ONLINE
            and not open_links(Sending.objects.filter(pk=sending.pk), today).exists()
        ):
            raise ValidationError("This link has expired.")
        if received_on < sending.sent_on:
            raise ValidationError({"received_on": "A form cannot come back before it was sent."})
        questions = list(sending.version.questions.all())
        rows, errors = [], {}
        for question in questions:
            given = [value.strip() for value in answers.get(question.pk, ()) if value.strip()]
            allowed = question.answers()
            if not given:
                if question.required:
                    errors[f"q{question.pk}"] = "Please answer this question."
                continue
            if allowed and any(value not in allowed for value in given):
                errors[f"q{question.pk}"] = "Choose one of the answers offered."
                continue
            if question.kind != QuestionKind.MULTIPLE and len(given) > 1:
                errors[f"q{question.pk}"] = "Choose one answer only."
                continue
            if NOT_APPLICABLE in given and len(given) > 1:
                errors[f"q{question.pk}"] = "“Not applicable” cannot go with another answer."
                continue
            rows += [(question, value) for value in dict.fromkeys(given)]
        if errors:
            raise ValidationError(errors)
        response = Response.objects.create(
            service_id=sending.service_id,
            sending=sending,
            version_id=sending.version_id,
            sent_on=sending.sent_on,
            received_on=received_on,
            source=source,
            entered_by=entered_by,
        )
        Answer.objects.bulk_create(
            Answer(service_id=sending.service_id, response=response, question=q, value=value)
            for q, value in rows
        )
    return response


def set_comment_publishable(*, answer: Answer, publishable: bool, by: User) -> Answer:
    """Clear a comment for the published reports, or withdraw it, recording who did."""
    if answer.question.kind != QuestionKind.TEXT:
        raise ValidationError("Only written comments are published.")
    answer.publishable = publishable
    answer.publishable_set_by = by
    answer.publishable_set_at = timezone.now()
    answer.save(update_fields=["publishable", "publishable_set_by", "publishable_set_at"])
    return answer


def record_event(*, service: Service, by: User, **fields) -> Event:
    """An event the service ran or attended, with its attendance."""
    return Event.objects.create(service=service, recorded_by=by, **fields)
