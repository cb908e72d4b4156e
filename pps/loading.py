"""Records read from the database made without Django's general-purpose constructor (issue 11).

Django makes each record a query returns with `Model.from_db`, which calls the model's
`__init__` with every column as an argument: it sends `pre_init` and `post_init`, then sets
each field through `setattr`. A case list page makes about 120 records (25 cases, their
parents and children, the filter's staff and code lists), the case page about as many.
Counted (bench/instructions.py), making them directly took the case list from 49.5 to 44.5
million machine instructions a request, the case page from 35.4 to 30.8.

`QuickLoadModel.from_db` (Django's documented hook for customising model loading) makes the
same record directly: a new instance, its `_state` marked as loaded from `db`, and the columns
read put into its `__dict__` as Django's `setattr` would have put them.

It is the same record only while three things hold, so it checks them and otherwise hands the
row to Django's own `from_db`:

- nobody listens to `pre_init` or `post_init` (the product connects no receiver to them; a
  third-party app that did would be honoured);
- the model keeps Django's `__init__`;
- every column read lands in an attribute whose descriptor stores the value as it is:
  Django's plain `DeferredAttribute`, `ForeignKeyDeferredAttribute` (which on a new
  instance, with nothing cached, only stores the key) and `FileDescriptor` (which stores
  the name and wraps it on reading). Any other descriptor (an image's, which reads the
  file's dimensions, say) takes Django's path.

tests/pps/test_quick_loading.py compares the records made both ways for every model of the
product, whole and with deferred fields.
"""

from django.db import models
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Descriptors that store a value set on a new instance in its __dict__ unchanged.
_STORING = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor)

# Per model: whether its records can be made directly (decided once, on its first read).
_direct: dict[type, bool] = {}


def _stores_plainly(model) -> bool:
    if model.__init__ is not models.Model.__init__:
        return False
    for field in model._meta.concrete_fields:
        descriptor = next(
            (vars(klass)[field.attname] for klass in model.__mro__ if field.attname in vars(klass)),
            None,
        )
        if type(descriptor) not in _STORING:
            return False
    return True


class QuickLoadModel(models.Model):
    """A model whose records, as queries return them, are made without `__init__`."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        direct = _direct.get(cls)
        if direct is None:
            direct = _direct[cls] = _stores_plainly(cls)
        if not direct or pre_init.receivers or post_init.receivers:
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        state = ModelState()
        state.adding = False
        state.db = db
        attributes = new.__dict__
        attributes["_state"] = state
        # The names are the columns read, in the order of their values (a query with
        # deferred fields reads fewer: those are left unset, to be read when asked for).
        attributes.update(zip(field_names, values, strict=True))
        return new
