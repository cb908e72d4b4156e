"""crispy-forms fields drawn once per process for each distinct field (issue 11).

crispy-forms draws a field through its Bootstrap 5 field template: some forty template
nodes, two includes and the widget's own template, about half a millisecond a field here.
A list page's filter form has six to eight fields and is the same for everyone who opens the
list without filtering; the case page's contact form is the same for every case but for the
minute in its time field. `crispy_field` (the `{{ field|crispy_field }}` filter of the
`pps` template library) draws a field as crispy's `as_crispy_field` does and keeps the
result, keyed on everything the drawing reads: the form's class and settings, the field's
name, label, help text, flags, value, errors and choices, the widget's class and every
attribute, the template pack and the active language and time zone. A field that differs
in any of them is drawn afresh. What it cannot key exactly is drawn every time, never
guessed at:

- a form with a crispy `FormHelper` (its attributes come from the helper's layout);
- any value in those inputs other than text, numbers, dates, times, decimals, UUIDs,
  widgets, and lists, tuples and dicts of them: a model instance, say;
- a model select whose options would be read again to draw them (a ModelChoiceIterator
  that is not pps.forms._OptionsReadOnce: the key would cost a query of its own);
- a field showing a value from the request or a record (a search for a surname, a note
  sent back with an error, a record's date on its edit form): the store keeps choices,
  tick boxes, empty fields and the initial values the forms' own code sets, never what
  someone typed. Use the filter for forms whose labels, help and options are the
  product's own words, code lists or staff names, not a family's details.

Drawing a field through crispy's template also adds crispy's CSS class to the widget's
attributes; a field drawn from the store does not. Templates draw each field once, so the
page is the same either way.

The store holds at most STORE_SIZE fields per process, the least recently used dropped
first; gunicorn's threads share it under a lock.
"""

import datetime as dt
import decimal
import threading
import uuid
from collections import OrderedDict

import django_filters.fields
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.signals import setting_changed
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone, translation
from django.utils.choices import BlankChoiceIterator
from django.utils.functional import Promise

from pps.forms import _OptionsReadOnce

STORE_SIZE = 512

_store: OrderedDict = OrderedDict()
_lock = threading.Lock()


class _NoKey(Exception):
    """Something the drawing reads that cannot be keyed exactly."""


_AS_THEY_ARE = (type(None), bool, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta)


# Types keyed as they are, exactly these (not their subclasses): what a select's options
# and a widget's attributes mostly hold, looked up before the checks below, which give
# these the same key.
_EXACTLY = frozenset((*_AS_THEY_ARE, uuid.UUID))


def _plain(value):
    """`value` as a hashable key that two values share only if they draw the same."""
    kind = type(value)
    if kind is str:
        return value
    if kind in _EXACTLY:
        return (kind, value)
    if kind is tuple or kind is list:
        return (kind, tuple(_plain(item) for item in value))
    if hasattr(value, "__html__"):
        # Safe text (SafeString, a lazy safe translation) is printed as it is: keyed apart
        # from the same words as plain text, which are escaped.
        return ("html", str(value.__html__()))
    if isinstance(value, str):
        return value
    if isinstance(value, Promise):
        return ("lazy", str(value))
    if isinstance(value, dt.datetime):
        # Equal instants in different zones are equal datetimes but print differently.
        return (dt.datetime, value.isoformat())
    if isinstance(value, (*_AS_THEY_ARE, uuid.UUID)):
        # With the type: True, 1 and 1.0 are equal keys otherwise.
        return (type(value), value)
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_plain(item) for item in value))
    if isinstance(value, dict):
        return (dict, tuple(sorted((str(k), _plain(v)) for k, v in value.items())))
    if isinstance(value, ModelChoiceIteratorValue):
        return ("option", _plain(value.value))
    if isinstance(value, forms.Widget):
        return _widget(value)
    raise _NoKey(type(value))


def _reads_freely(choices) -> bool:
    """Whether iterating the options runs no query nor any other code of its own: a list;
    Django's and django-filter's wrappers of one, which add the empty choice; and
    _OptionsReadOnce, which reads its field's records once per form (pps.forms), so
    drawing the select afterwards reads them from memory, not the database."""
    if isinstance(choices, (list, tuple, _OptionsReadOnce)):
        return True
    if isinstance(choices, (BlankChoiceIterator, django_filters.fields.ChoiceIterator)):
        return _reads_freely(choices.choices)
    # A ModelChoiceIterator would read its options again (a query) to draw them; a
    # CallableChoiceIterator calls its function each time.
    return False


def _choices(choices):
    if not _reads_freely(choices):
        raise _NoKey(type(choices))
    # Not list(): that asks a model iterator its length first, a COUNT query.
    return _plain([choice for choice in choices])


# Django keeps a choice widget's options in `_choices` (`choices` before Django 5.0).
_OPTIONS = ("_choices", "choices")


def _widget(widget):
    attributes = vars(widget)
    options = [attributes[name] for name in _OPTIONS if name in attributes]
    return (
        type(widget),
        _plain({name: value for name, value in attributes.items() if name not in _OPTIONS}),
        tuple(_choices(choices) for choices in options),
    )


def _holds_data(bound_field) -> bool:
    """Whether the field shows a value from the request or a record: anything but a
    choice, a tick box, nothing, or the initial value the form's own code gives it (the
    form's `initial`, filled from a record by a model form, is data)."""
    value = bound_field.value()
    if value in (None, "", [], ()) or isinstance(value, bool):
        return False
    if isinstance(bound_field.field, forms.ChoiceField):
        return False
    return bound_field.form.is_bound or bound_field.name in bound_field.form.initial


def _key(bound_field, template_pack, label_class, field_class):
    form, field = bound_field.form, bound_field.field
    if getattr(form, "helper", None) is not None or _holds_data(bound_field):
        return None
    try:
        return (
            # By name: django-filter makes its form's class afresh for every list drawn.
            # What a form's class could change in the drawing is keyed below.
            type(form).__module__,
            type(form).__qualname__,
            type(bound_field),
            type(field),
            _plain(
                (
                    template_pack,
                    label_class,
                    field_class,
                    translation.get_language(),
                    timezone.get_current_timezone_name(),
                    form.prefix,
                    form.auto_id,
                    form.label_suffix,
                    getattr(form, "error_css_class", None),
                    getattr(form, "required_css_class", None),
                    form.use_required_attribute,
                    form.is_bound,
                    bound_field.name,
                    bound_field.label,
                    bound_field.help_text,
                    field.required,
                    field.disabled,
                    field.show_hidden_initial,
                    field.localize,
                    field.label_suffix,
                    bound_field.initial,
                    bound_field.value(),
                    list(bound_field.errors),
                )
            ),
            _widget(field.widget),
        )
    except _NoKey:
        return None


def crispy_field(bound_field, template_pack=TEMPLATE_PACK, label_class="", field_class=""):
    """What `{{ field|as_crispy_field }}` draws, from the store when the same field was
    drawn before (module docstring)."""
    key = _key(bound_field, template_pack, label_class, field_class)
    if key is None:
        return as_crispy_field(bound_field, template_pack, label_class, field_class)
    with _lock:
        drawn = _store.get(key)
        if drawn is not None:
            _store.move_to_end(key)
            return drawn
    drawn = as_crispy_field(bound_field, template_pack, label_class, field_class)
    with _lock:
        _store[key] = drawn
        if len(_store) > STORE_SIZE:
            _store.popitem(last=False)
    return drawn


def forget(**_signal):
    """Empty the store: when a setting changes (templates, template pack, formats), as
    tests change them."""
    with _lock:
        _store.clear()


setting_changed.connect(forget)
