"""Optimistic locking: two people editing one record cannot silently overwrite each other.

A versioned model carries a `version` number. An edit form sends back the version it was
opened at; saving compares it with the stored one under a row lock and refuses with
EditConflict when someone else saved in between. The view then shows both: the other
person's saved values and the user's own, still in the form.
"""

from django.db import models, transaction


class VersionedModel(models.Model):
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


def save_versioned(instance: VersionedModel, *, expected_version: int) -> None:
    """Save `instance` if nobody saved it since `expected_version`; else raise EditConflict."""
    model = type(instance)
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        instance.version = current.version
        instance.save()
