"""Form pieces every app shares: scoped model choices, UK date inputs, the version field."""

import datetime as dt
import re

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from pps import uploads
from pps.access import service_staff
from pps.days import start_of
from pps.models import Service
from pps.prepared import Prepared

# ASCII digits only: str.isdigit() is true for "²" (which int() refuses) and isdecimal() for
# "٣"; nine of them at most, so the number fits every integer column.
PLAIN_NUMBER = re.compile(r"[0-9]{1,9}")


def plain_number(text) -> int | None:
    """A record id or number typed into a query string or hidden field, else None."""
    text = str(text or "")
    return int(text) if PLAIN_NUMBER.fullmatch(text) else None


class _HintedInput:
    """A text input with a hint above it saying how to type its value, read with the field
    (aria-describedby) before its help text or error."""

    hint: str

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        hint_id = f"{attrs.get('id') or self.attrs.get('id') or 'id_' + name}_format"
        described = " ".join(filter(None, [hint_id, attrs.get("aria-describedby")]))
        attrs["aria-describedby"] = described
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="form-text mt-0 mb-1" id="{}">{}</div>{}', hint_id, self.hint, field
        )


# A date is no word to autocorrect. The classes given below (date-input, datetime-input) let
# the access matrix's form filler (tests/test_access_matrix.py) and the stylesheet tell a
# date from other text.
_TYPED = {"autocomplete": "off", "spellcheck": "false"}


class DateInput(_HintedInput, forms.DateInput):
    """A date typed and shown the UK way, 24/11/2026, whatever the browser's language.

    A native date input (type="date") draws its date in the browser's own format, which no
    page can change: an American English Chromium shows 11/24/2026 even under
    <html lang="en-GB"> (issue 15). A text input shows what the page gives it; the field
    takes every format of DATE_INPUT_FORMATS (pps/formats/en_GB): 24/11/2026, 24/11/26,
    24 November 2026, 24 Nov 2026 and 2026-11-24.
    """

    input_type = "text"
    hint = "Day/month/year, for example 24/11/2026"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "date-input", **_TYPED} | (attrs or {}), format="%d/%m/%Y")


class DateTimeInput(_HintedInput, forms.DateTimeInput):
    """A date and a 24-hour time, 24/11/2026 14:30, for the reason DateInput gives (a
    native datetime-local input shows 11/24/2026, 02:30 PM in American English); ISO
    (2026-11-24T14:30) is still taken (DATETIME_INPUT_FORMATS)."""

    input_type = "text"
    hint = "Day/month/year and 24-hour time, for example 24/11/2026 14:30"

    def __init__(self, attrs=None):
        attrs = {"class": "datetime-input", **_TYPED} | (attrs or {})
        super().__init__(attrs=attrs, format="%d/%m/%Y %H:%M")


def _scoped_formfield(db_field, **kwargs):
    # At import no service scope is active, so relation choices must start empty.
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", SafeModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose relation choices come from the request's service.

    Choices are filled when the form is built, inside the request's scope. Retired code-list
    values (active=False) are offered only where the record already has them. Every
    ModelForm's Meta inherits ScopedModelForm.Meta.
    """

    class Meta:
        formfield_callback = staticmethod(_scoped_formfield)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, SafeModelChoiceField | SafeModelMultipleChoiceField):
                continue
            model = self._meta.model._meta.get_field(name).related_model
            if model is service_staff().model:
                field.queryset = service_staff().filter(is_active=True)
                continue
            queryset = model._default_manager.all()
            if any(f.name == "active" for f in model._meta.fields):
                keep = self._current_pks(name)
                queryset = queryset.filter(Q(active=True) | Q(pk__in=keep))
            field.queryset = queryset

    def _current_pks(self, name) -> list:
        if not self.instance.pk:
            return []
        value = getattr(self.instance, name)
        if hasattr(value, "all"):
            return [item.pk for item in value.all()]
        return [value.pk] if value is not None else []


class VersionedForm(ScopedModelForm):
    """A ModelForm that carries the version of the record it was opened at (pps.versioning)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new record has no one else's save to clash with.
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = self.instance.version


def apply_action_errors(form, error) -> None:
    """Put an action's ValidationError beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


class ServiceSettingsForm(VersionedForm):
    class Meta(VersionedForm.Meta):
        model = Service
        fields = [
            "academic_year_start_month",
            "response_standard_days",
            "evaluation_link_days",
            "satisfaction_target",
            "reference_prefix",
            "postal_address",
            "phone",
            "idle_timeout_minutes",
            "network_member",
        ]
        labels = {
            "academic_year_start_month": "Month the academic year starts (1 to 12)",
            "response_standard_days": "Working days within which every enquiry is answered",
            "idle_timeout_minutes": "Minutes without activity before staff are signed out",
        }
        help_texts = {"idle_timeout_minutes": "From 5 to 480; 30 unless you change it."}


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_code(self):
        # People copy codes with spaces ("123 456") or type backup codes in capitals.
        return "".join(self.cleaned_data["code"].split()).lower()


def _attributes(attrs) -> str:
    """What django/forms/widgets/attrs.html prints: True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class Select(forms.Select):
    """A select drawn in Python, with the markup of Django's select.html and
    select_option.html (whitespace aside): a list page's filter form has some fifty
    options, and the template engine drew each through its own include. Named as Django's
    is, because crispy-forms gives a widget its class name as a CSS class."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            drawn = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((f"{o['value']}", _attributes(o["attrs"]), o["label"]) for o in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, drawn)
                if group_name
                else drawn
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


class _OptionsReadOnce(django_filters.fields.ModelChoiceIterator):
    """A filter's options from its queryset, read as a plain query.

    Django's ModelChoiceIterator reads them through `QuerySet.iterator()`, which on
    PostgreSQL takes a server-side cursor: DECLARE, FETCH and CLOSE, three round trips for
    a dozen names, and the case list has three such selects (issue 11). A filter's options
    are a service's short code list or staff, so the memory iterator() saves is nothing.
    The same choices in the same order: the empty one, django-filter's null one when it is
    configured, then each record. The records are read once per form however often the
    choices are iterated (the crispy field store's key reads them before the select is
    drawn: pps/crispy.py)."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for record in _options_of(field, self.queryset):
            yield self.choice(record)


def _options_of(field, queryset) -> list:
    """A filter's records, read once per form: through the filter's prepared query
    (ListFilterSet) when it has one, else its queryset."""
    records = getattr(field, "options_read", None)
    if records is None:
        prepared = getattr(field, "options_prepared", None)
        records = prepared[0].rows(prepared[1]) if prepared else list(queryset)
        field.options_read = records
    return records


def filter_options(form, name: str) -> list:
    """The records a list filter's model select offers, as its options read them: once
    per form, however many ask."""
    field = form.fields[name]
    return _options_of(field, field.queryset)


class _Reader:
    """What a filter's queryset function is given to build its prepared query: a request
    with nothing but the (made-up) user in it."""

    def __init__(self, user):
        self.user = user


_prepared_options: dict = {}


def _options_query(options) -> Prepared:
    """The prepared query (pps/prepared.py) of a filter's queryset function
    (`queryset=function(request)`), one per function."""
    prepared = _prepared_options.get(options)
    if prepared is None:
        prepared = _prepared_options.setdefault(
            options, Prepared(lambda user: options(_Reader(user)))
        )
    return prepared


class ListFilterSet(django_filters.FilterSet):
    """The filter form of a list page (pps.views.TableListView): its selects are drawn
    in Python (Select above), without a template per option, and a model select's options
    are read in one plain query (_OptionsReadOnce), built and compiled once per process
    when the filter's queryset is a function (pps/prepared.py)."""

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            if type(field.widget) is forms.Select:
                plain = Select(attrs=field.widget.attrs)
                plain.choices = field.widget.choices
                if isinstance(field, django_filters.fields.ModelChoiceField):
                    field.iterator = _OptionsReadOnce
                    options = getattr(self.filters.get(name), "queryset", None)
                    if callable(options) and self.request is not None:
                        field.options_prepared = (_options_query(options), self.request.user)
                    # A new iterator of the field's queryset, of the class just set.
                    plain.choices = field.choices
                plain.is_required = field.widget.is_required
                field.widget = plain
        return form


class ClearingFormMixin:
    """A record whose words readers beyond the staff see once a coordinator has cleared
    them: the steering group, or a published summary (docs/domain.md, "Users and roles").
    Only a coordinator's form (`may_clear`, pps.views.ClearingMixin) has the clearing box
    `cleared_flag`; anyone else who changes the words in `cleared_text` un-clears them."""

    cleared_flag: str
    cleared_text: tuple[str, ...]

    def __init__(self, *args, may_clear: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_clear = may_clear
        if not may_clear:
            del self.fields[self.cleared_flag]

    def save(self, commit=True):
        if not self.may_clear and any(name in self.changed_data for name in self.cleared_text):
            setattr(self.instance, self.cleared_flag, False)
        return super().save(commit)


def date_range(field_name: str, from_label: str, to_label: str, *, timestamp: bool = False):
    """A list's two date filters, "from" and "to", both days included. On a timestamp
    (`timestamp=True`) the days are London's and each filter is a range on the timestamp
    itself (pps.days.start_of), so its index serves it."""
    if not timestamp:
        return tuple(
            django_filters.DateFilter(
                field_name=field_name, lookup_expr=lookup, label=label, widget=DateInput()
            )
            for lookup, label in (("gte", from_label), ("lte", to_label))
        )

    def on_or_after(queryset, name, day):
        return queryset.filter(**{f"{field_name}__gte": start_of(day)})

    def up_to(queryset, name, day):
        return queryset.filter(**{f"{field_name}__lt": start_of(day + dt.timedelta(days=1))})

    return tuple(
        django_filters.DateFilter(method=method, label=label, widget=DateInput())
        for method, label in ((on_or_after, from_label), (up_to, to_label))
    )


class DocumentForm(forms.Form):
    """A titled document to upload: every upload of a document (a standard's evidence, a
    case's or parent's document) takes it, so the type and size rules of pps/uploads.py
    are checked once, with the message beside the file field."""

    title = forms.CharField(max_length=200)
    file = forms.FileField(
        label="Document",
        # The name is shortened by uploads.safe_name, keeping its extension.
        max_length=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here, not on the class: the limit is a setting, read when the form is made.
        self.fields[
            "file"
        ].help_text = f"{uploads.ALLOWED_DESCRIPTION}; up to {filesizeformat(uploads.max_size())}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.validate_document(upload)
        return upload
