"""pps.choices.choice_label gives what get_FOO_display gives (issue 11), for every choice of
every choice field of the product's models, a value that is no choice, and nothing."""

import pytest
from django.apps import apps
from django.template import engines

from pps.backup import product_apps
from pps.choices import choice_label


def _choice_fields():
    for label in product_apps():
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


FIELDS = list(_choice_fields())


def test_the_product_has_choice_fields_to_compare():
    assert len(FIELDS) > 20


@pytest.mark.parametrize(
    ("model", "field"), FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in FIELDS]
)
def test_each_value_is_labelled_as_django_labels_it(model, field):
    values = [value for value, _label in field.flatchoices] + ["not a choice", None, 12345]
    for value in values:
        record = model(**{field.attname: value})
        theirs = getattr(record, f"get_{field.name}_display")()
        ours = choice_label(record, field.name)
        assert ours == theirs and type(ours) is type(theirs), (field, value)


def test_the_label_filter_prints_what_get_foo_display_prints_escaped_as_it():
    template = engines["django"].from_string(
        '{% load pps %}{{ case|label:"status" }}|{{ case.get_status_display }}|'
        '{{ case|label:"closure_reason"|lower }}|{{ case.get_closure_reason_display|lower }}|'
        '{{ nobody|label:"status" }}|{{ nobody.get_status_display }}'
    )
    Case = apps.get_model("casework", "Case")
    for status, _label in Case._meta.get_field("status").flatchoices:
        shown = template.render({"case": Case(status=status), "nobody": None})
        ours_status, theirs_status, ours_reason, theirs_reason, ours_none, theirs_none = (
            shown.split("|")
        )
        assert (ours_status, ours_reason, ours_none) == (theirs_status, theirs_reason, theirs_none)
        assert ours_status and ours_none == ""
    # A value that is no choice is printed as it is, escaped as any value.
    case = Case(status="<b>")
    assert template.render({"case": case}).split("|")[:2] == ["&lt;b&gt;", "&lt;b&gt;"]
    # Nothing in the context at all: nothing printed either way.
    assert template.render({}) == "|" * 5
