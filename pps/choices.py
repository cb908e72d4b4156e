"""A choice field's label, as `Model.get_FOO_display()` gives it, from a table made once per
field (issue 11).

Django's `get_FOO_display` builds a dictionary of every choice of the field, each made
hashable, on every call: the case page asked it for each of its 50 contacts' methods, a
twentieth of the page. `choice_label(record, "method")` gives the same label (a value that
is no choice is given back as it is) from the field's table, made on first use; in a
template, `{{ record|label:"method" }}` (the `pps` library) prints it. A field whose choices
are a function (Django calls it each time) is looked up afresh every time.
tests/pps/test_choices.py compares the two on every choice of every model.
"""

from functools import cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(model, name: str):
    field = model._meta.get_field(name)
    if not isinstance(field.choices, (list, tuple)):
        return field.attname, None
    return field.attname, dict(make_hashable(field.flatchoices))


def choice_label(record, name: str):
    """What `record.get_<name>_display()` gives."""
    attname, labels = _labels(type(record), name)
    if labels is None:
        return getattr(record, f"get_{name}_display")()
    value = getattr(record, attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)
