"""Writes of the retention app: legal holds, anonymisation (due or on request) and the
trimming of logs (docs/data-lifecycle.md, "Retention, legal holds and anonymisation")."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import Case as SqlCase
from django.db.models import F, Q, QuerySet, Value, When
from django.utils import timezone

from casework.models import Case, Child, Contact, Enquiry, Parent
from evaluations.enums import QuestionKind
from evaluations.models import Answer, Sending
from pps.models import AccessLog, GeneratedDocument, User
from reports.periods import start_year_of
from retention.models import Anonymisation, AnonymisedFamily, LegalHold, RetentionSetting
from retention.queries import families_due, retention_setting_for

# What replaces a personal value that may not be empty (a name): a word, not a blank, so
# that pages listing the record still show something to click.
PLACEHOLDER = "Anonymised"


# Legal holds ---------------------------------------------------------------------------


def place_legal_hold(*, parent: Parent, by: User, reason: str) -> LegalHold:
    """Stop a family from being anonymised until the hold is released. Refused for a
    family already anonymised (nothing is left to keep) or already held."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the family's records must be kept."})
    with transaction.atomic():
        # The parent's row lock orders a hold against an anonymisation of the same family.
        parent = Parent.objects.select_for_update().get(pk=parent.pk)
        if AnonymisedFamily.objects.filter(parent=parent).exists():
            raise ValidationError("This family's records were already anonymised.")
        try:
            with transaction.atomic():
                return LegalHold.objects.create(
                    service_id=parent.service_id, parent=parent, reason=reason, placed_by=by
                )
        except IntegrityError:
            raise ValidationError("This family is already on legal hold.") from None


def release_legal_hold(*, hold: LegalHold, by: User, reason: str) -> LegalHold:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"release_reason": "Say why the hold is no longer needed."})
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise ValidationError("This hold was already released.")
        hold.released_at = timezone.now()
        hold.released_by = by
        hold.release_reason = reason
        hold.save()
        return hold


# Anonymisation -------------------------------------------------------------------------


def _replacement(field: models.Field):
    """What a personal field becomes, by its kind: the one rule for every model.

    - A coded value (a field with choices, such as ethnicity) is kept: reports count it
      (docs/reporting.md) and, once names, contact details and free text are gone, a code
      says nothing about who the person was.
    - A date (a child's date of birth) becomes the first day of its school year, 1
      September: the annual report's age groups count school years, so they stay exact,
      while the day itself is gone.
    - Text becomes empty, or `PLACEHOLDER` where the field may not be empty.
    Returns None for a field that is kept.
    """
    if field.choices:
        return None
    if isinstance(field, models.DateField):
        return lambda day: dt.date(start_year_of(day, 9), 9, 1)
    if isinstance(field, models.CharField | models.TextField):
        return Value("" if field.blank else PLACEHOLDER)
    raise TypeError(f"No anonymisation rule for {field.model.__name__}.{field.name}")


def _blank(queryset: QuerySet, model) -> int:
    """Replace every personal field `model` declares (PERSONAL_FIELDS) on the rows of
    `queryset` (the model's own rows or its history rows), in bulk: one UPDATE, and one
    read of the distinct dates when a date is among them."""
    target = queryset.model
    values = {}
    for name in model.PERSONAL_FIELDS:
        rule = _replacement(model._meta.get_field(name))
        if rule is None:
            continue
        if callable(rule):
            days = {d for d in queryset.values_list(name, flat=True).distinct() if d is not None}
            if days:
                values[name] = SqlCase(
                    *[When(**{name: day}, then=Value(rule(day))) for day in days],
                    default=F(name),
                    output_field=target._meta.get_field(name),
                )
        else:
            values[name] = rule
    if not values:
        return queryset.count()
    return queryset.update(**values)


@dataclass(frozen=True)
class _Family:
    """The rows of a set of families, per model: (model, live rows, history rows)."""

    parts: tuple[tuple[type[models.Model], QuerySet, QuerySet | None], ...]
    case_ids: QuerySet


def _families(parent_ids: list[int]) -> _Family:
    """Every row that holds the families' personal data, live and in history.

    History rows are found by the same relations as live ones (a history row keeps its
    foreign keys), so the copies of rows deleted since (a contact removed) are found too.
    A child is the family's only when none of its cases belongs to another parent still
    known (a child's second parent, served separately, keeps the child's record until
    that parent's family is anonymised too).
    """
    # Every case the parents ever had, deleted ones too, from the case history.
    case_ids = Case.history.filter(parent_id__in=parent_ids).values("id")
    others = Case.objects.exclude(parent_id__in=parent_ids).exclude(
        parent_id__in=AnonymisedFamily.objects.values("parent_id")
    )
    child_ids = list(
        Case.objects.filter(parent_id__in=parent_ids)
        .exclude(child__cases__in=others)
        .values_list("child_id", flat=True)
        .distinct()
    )
    enquiry_ids = Enquiry.history.filter(case_id__in=case_ids).values("id")
    sending_ids = Sending.history.filter(case_id__in=case_ids).values("id")

    def rows(model, ids, key="id"):
        """The model's live rows and history rows whose `key` is among `ids`."""
        where = {f"{key}__in": ids}
        return model, model.objects.filter(**where), model.history.filter(**where)

    parts = (
        rows(Parent, parent_ids),
        rows(Child, child_ids),
        rows(Case, case_ids),
        rows(Contact, case_ids, key="case_id"),
        rows(Enquiry, enquiry_ids),
        rows(Sending, sending_ids),
        # Only free-text answers are the parent's words; a chosen answer is the form's own
        # words, counted by the evaluation results, and stays.
        (
            Answer,
            Answer.objects.filter(
                response__sending_id__in=sending_ids, question__kind=QuestionKind.TEXT
            ),
            None,
        ),
        (LegalHold, LegalHold.objects.filter(parent_id__in=parent_ids), None),
    )
    listed = {model for model, _, _ in parts}
    others = tuple(_hanging_from({Parent: parent_ids, Case: case_ids}, listed))
    return _Family(parts=parts + others, case_ids=case_ids)


def _hanging_from(owners: dict, listed: set) -> Iterator[tuple]:
    """The rows of any other model that hangs from the families' parents or cases and
    declares personal fields (a case event's closing summary, a subject access request):
    found by its foreign key, so a model added later, or one of an app above this one
    (which retention may not import: decision 0021), needs no entry here."""
    for model in apps.get_models():
        if model in listed or not getattr(model, "PERSONAL_FIELDS", None):
            continue
        # One set of rows per model, however many of its keys lead to the family (a case's
        # document names its case and its parent).
        where = Q()
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in owners:
                where |= Q(**{f"{field.attname}__in": owners[field.related_model]})
        if where:
            history = getattr(model, "history", None)
            yield (
                model,
                model._default_manager.filter(where),
                history.filter(where) if history is not None else None,
            )


def _family_documents(parent_ids: list[int], case_ids: QuerySet) -> QuerySet:
    """Generated documents made for one of these families: by convention a builder names
    the family in its parameters as "parent" or "case" (pps/documents.py)."""
    cases = list(case_ids.values_list("id", flat=True).distinct())
    return GeneratedDocument.objects.filter(
        Q(parameters__parent__in=parent_ids) | Q(parameters__case__in=cases)
    )


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _holds_files(model) -> bool:
    """Whether a model's personal data includes a stored file: such a record (a document
    kept on a case, the copy of a letter) cannot be anonymised field by field, so it is
    deleted, file, row and history."""
    personal = set(getattr(model, "PERSONAL_FIELDS", ()))
    return any(f.name in personal for f in _file_fields(model))


def _delete_documents(documents: QuerySet, history: QuerySet | None = None) -> int:
    """Delete the documents' files (through the storage API, once the transaction has
    committed, so a rollback never loses a file whose row stays) and their rows and
    history rows (a document's title may name the family). `history`, when given, are
    more history rows to delete (found by the family's keys: those of documents deleted
    since), the files they name too."""
    model = documents.model
    fields = [f.attname for f in _file_fields(model)]
    past = getattr(model, "history", None)
    ids = list(documents.values_list("pk", flat=True))
    names = {name for values in documents.values_list(*fields) for name in values if name}
    if history is not None:
        names |= {name for values in history.values_list(*fields) for name in values if name}
    model._default_manager.filter(pk__in=ids).delete()
    # After the rows: deleting them wrote one more history row each, with the title.
    if past is not None:
        past.filter(id__in=ids).delete()
    if history is not None:
        history.delete()
    for name in sorted(names):
        transaction.on_commit(lambda name=name: default_storage.delete(name))
    return len(ids)


def anonymise_families(
    *,
    service,
    parent_ids: Iterable[int],
    by: User | None,
    trigger: Anonymisation.Trigger,
    reason: str = "",
    today: dt.date | None = None,
) -> Anonymisation | None:
    """Anonymise these families of `service`, in one transaction: every personal field
    each model declares (PERSONAL_FIELDS, read here and nowhere listed again) is replaced
    (`_replacement`) on the live rows and on their history rows; the families' generated
    documents are deleted with their files; an Anonymisation row records what was done.

    Nothing is deleted that a report counts: cases, contacts, case events, enquiries,
    sendings and answers stay, with their dates, codes, minutes and flags, so the figures
    of past years are unchanged.

    For `trigger` DUE only the families still due on `today` are done (a hold placed, or
    a case re-opened, since the list was read keeps a family out); a family asked for on
    REQUEST may be anonymised early but not while on hold, with an open case, or twice.
    Returns None when no family is left to do.

    The history tables are written directly here, on purpose: the house rule that audited
    models change only through actions (so that each change lands in their history)
    cannot hold for erasure, whose very point is to remove personal values from that
    history. A new history row for the blanking would only add rows to purge.
    """
    today = today or timezone.localdate()
    requested = sorted(set(parent_ids))
    with transaction.atomic():
        # Lock the parents: a hold placed at the same moment waits, then sees the result.
        locked = list(
            Parent.objects.select_for_update().filter(pk__in=requested).values_list("pk", flat=True)
        )
        if trigger == Anonymisation.Trigger.DUE:
            setting = retention_setting_for(service)
            ids = list(
                families_due(setting, today).filter(pk__in=locked).values_list("pk", flat=True)
            )
        else:
            _check_erasable(locked)
            ids = locked
        if not ids:
            return None
        family = _families(ids)
        counts = {}
        for model, live, history in family.parts:
            if _holds_files(model):
                counts[model._meta.label] = {"deleted": _delete_documents(live, history)}
                continue
            done = {"rows": _blank(live, model)}
            if history is not None:
                done["history"] = _blank(history, model)
            counts[model._meta.label] = done
        counts[GeneratedDocument._meta.label] = {
            "deleted": _delete_documents(_family_documents(ids, family.case_ids))
        }
        record = Anonymisation.objects.create(
            service=service,
            by=by,
            trigger=trigger,
            reason=reason,
            families=len(ids),
            counts=counts,
        )
        AnonymisedFamily.objects.bulk_create(
            AnonymisedFamily(service=service, parent_id=pk, anonymisation=record) for pk in ids
        )
        return record


def _check_erasable(parent_ids: list[int]) -> None:
    if not parent_ids:
        raise ValidationError("There is no such family.")
    if AnonymisedFamily.objects.filter(parent_id__in=parent_ids).exists():
        raise ValidationError("This family's records were already anonymised.")
    if LegalHold.objects.filter(parent_id__in=parent_ids, released_at__isnull=True).exists():
        raise ValidationError("This family is on legal hold: release the hold first.")
    if Case.objects.open().filter(parent_id__in=parent_ids).exists():
        raise ValidationError("This family has an open case: close it first.")


def erase_family(*, parent: Parent, by: User, reason: str) -> Anonymisation:
    """Erasure on request (UK GDPR article 17): anonymise one family now, through the same
    code as the monthly anonymisation. The reason is kept in the record, which must hold
    no personal data: the form says so."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the family's records are erased now."})
    return anonymise_families(
        service=parent.service,
        parent_ids=[parent.pk],
        by=by,
        trigger=Anonymisation.Trigger.REQUEST,
        reason=reason,
    )


def anonymise_due(
    *, service, by: User | None, today: dt.date | None = None
) -> Anonymisation | None:
    """Anonymise every family of `service` due on `today` (the service's scope open)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        setting = retention_setting_for(service)
        ids = list(families_due(setting, today).values_list("pk", flat=True))
        return anonymise_families(
            service=service, parent_ids=ids, by=by, trigger=Anonymisation.Trigger.DUE, today=today
        )


def retention_setting_to_edit(*, service_id: int) -> RetentionSetting:
    """The service's retention setting, saved with the defaults the first time a coordinator
    opens it, so that its edits are versioned like every other setting."""
    return RetentionSetting.objects.get_or_create(service_id=service_id)[0]


# Logs ------------------------------------------------------------------------------------


def log_cut_offs(now: dt.datetime) -> dict[str, dt.datetime]:
    """Before when each log's rows are removed (settings PPS_ACCESS_LOG_RETENTION_DAYS,
    PPS_SIGN_IN_LOG_RETENTION_DAYS and PPS_PERSONAL_DOCUMENT_RETENTION_DAYS, .env.example)."""
    return {
        "access": now - dt.timedelta(days=settings.PPS_ACCESS_LOG_RETENTION_DAYS),
        "sign_in": now - dt.timedelta(days=settings.PPS_SIGN_IN_LOG_RETENTION_DAYS),
        "documents": now - dt.timedelta(days=settings.PPS_PERSONAL_DOCUMENT_RETENTION_DAYS),
    }


DOCUMENTS = "generated documents with personal data"


def logs_to_trim(now: dt.datetime) -> dict[str, QuerySet]:
    """The rows older than their log's period: the access log of the service in scope, and
    the installation's sign-in records (django-axes: attempts, failures and sign-ins)."""
    cut = log_cut_offs(now)
    return {
        "access log": AccessLog.objects.filter(at__lt=cut["access"]),
        "sign-in attempts": AccessAttempt.objects.filter(attempt_time__lt=cut["sign_in"]),
        "failed sign-ins": AccessFailureLog.objects.filter(attempt_time__lt=cut["sign_in"]),
        "sign-ins": SignInLog.objects.filter(attempt_time__lt=cut["sign_in"]),
        # Exports of lists, subject access bundles, whole-service exports: copies of
        # personal data made for one download, not records to keep.
        DOCUMENTS: GeneratedDocument.objects.filter(
            holds_personal_data=True, requested_at__lt=cut["documents"]
        ),
    }


def trim_logs(*, now: dt.datetime) -> dict[str, int]:
    """Delete what `logs_to_trim` finds, in one transaction, in bulk (documents with their
    files and history rows); returns the counts."""
    with transaction.atomic():
        return {
            name: _delete_documents(rows) if name == DOCUMENTS else rows.delete()[0]
            for name, rows in logs_to_trim(now).items()
        }
