"""Optimistic locking: two people editing one record cannot silently overwrite each other.

A versioned model carries a `version` number. An edit form sends back the version it was
opened at; saving compares it with the stored one under a row lock and refuses with
EditConflict when someone else saved in between. The view then shows both: the other
person's saved values and the user's own, still in the form.

Two models count their edits under another name, because their `version` means something
else (an external review's framework version, a form version's number): they call
`locked_at` with `counter="revision"` and raise the counter with `bump`. The one mechanism
serves every edit form. (A review's bands are compared band by band instead: record_bands
in quality/actions.py refuses when any band the form showed has changed.)
"""

from django.db import models, transaction

from pps.loading import QuickLoadModel


class VersionedModel(QuickLoadModel):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every save of an existing record, by a form or by an action, makes a new version,
        # so an edit form opened before it can no longer overwrite it unseen.
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
        super().save(*args, **kwargs)


class EditConflict(Exception):
    def __init__(self, current):
        super().__init__("The record was saved by someone else since it was opened.")
        self.current = current


def locked_at(rows, pk, *, expected: int, counter: str = "version"):
    """The row `pk` of `rows` (a model or a queryset), locked until the transaction ends, if
    its edit counter is still `expected`; else EditConflict with the row as it is now. Call
    it inside a transaction."""
    queryset = rows._base_manager.all() if isinstance(rows, type) else rows
    current = queryset.select_for_update(of=("self",)).get(pk=pk)
    if getattr(current, counter) != expected:
        raise EditConflict(current)
    return current


def bump(instance, counter: str = "version") -> None:
    """Count one more edit of a row saved under `locked_at` (a VersionedModel's save does it
    by itself)."""
    setattr(instance, counter, getattr(instance, counter) + 1)


def save_versioned(instance: VersionedModel, *, expected_version: int) -> None:
    """Save `instance` if nobody saved it since `expected_version`; else raise EditConflict."""
    with transaction.atomic():
        current = locked_at(type(instance), instance.pk, expected=expected_version)
        instance.version = current.version
        instance.save()
