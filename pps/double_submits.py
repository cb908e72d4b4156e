"""No duplicate from a double submit (docs/decisions/0005-no-lost-updates-no-duplicates.md).

Where a record may exist only once (one enrolment of a trainee on a course, one monthly
return a month, one open allocation of a volunteer to a case), a unique constraint in the
database is the rule and a check before the insert gives the ordinary message. Two requests
at the same moment both pass the check; the constraint then refuses the second insert, and
this turns that refusal into the same message beside the field instead of a server error.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet


def create_once(model: type[Model], *, already: QuerySet, refusal, **fields) -> Model:
    """Create one `model` row from `fields` unless `already` finds one; else refuse."""
    if already.exists():
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        if already.exists():
            raise ValidationError(refusal) from None
        raise
