"""pps.choices.choice_label gives what get_FOO_display gives (issue 11), for every choice of
every choice field of the product's models, a value that is no choice, and nothing."""

import pytest
from django.apps import apps

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
