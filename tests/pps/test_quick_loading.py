"""pps.loading.QuickLoadModel makes the record Django's from_db makes (issue 11): for every
model of the product, read whole and with fields deferred, and from a real query; and it
steps aside for a pre_init or post_init receiver."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init, pre_init

from casework.models import Case, Contact
from pps.backup import product_apps
from pps.loading import QuickLoadModel
from tests import factories

MODELS = [
    model
    for label in product_apps()
    for model in apps.get_app_config(label).get_models()
    if issubclass(model, QuickLoadModel)
]


def _made_by_django(model, db, names, values):
    return models.Model.from_db.__func__(model, db, names, values)


def _same_record(ours, theirs):
    assert type(ours) is type(theirs)
    assert {k: v for k, v in vars(ours).items() if k != "_state"} == {
        k: v for k, v in vars(theirs).items() if k != "_state"
    }
    assert (ours._state.adding, ours._state.db) == (theirs._state.adding, theirs._state.db)
    assert ours._state.fields_cache == theirs._state.fields_cache == {}
    assert ours.get_deferred_fields() == theirs.get_deferred_fields()


def test_every_record_the_product_reads_is_made_quickly():
    # The product's own models, all but the history tables simple_history makes.
    ours = [
        model
        for label in product_apps()
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]
    assert len(ours) > 40
    assert [model for model in ours if model not in MODELS] == []


def test_nothing_listens_to_the_making_of_records():
    # Each receiver would be paid for every record read, and turns QuickLoadModel off.
    assert pre_init.receivers == [] and post_init.receivers == []


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_a_row_becomes_the_record_django_makes(model):
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    # from_db sets what it is given, unconverted: a distinct value for each column.
    values = [f"value of {name}" for name in names]
    for db in ("default", "other"):
        ours = model.from_db(db, names, values)
        assert ours.get_deferred_fields() == set()
        _same_record(ours, _made_by_django(model, db, names, values))
        for name in names:
            assert getattr(ours, name) == f"value of {name}"
    # Every other column deferred, then every column but the key.
    for kept in (names[::2], [model._meta.pk.attname]):
        values = [f"value of {name}" for name in kept]
        ours = model.from_db("default", kept, values)
        assert ours.get_deferred_fields() == set(names) - set(kept)
        _same_record(ours, _made_by_django(model, "default", kept, values))


@pytest.mark.django_db
def test_records_read_by_queries_are_whole_and_save_as_django_would(team):
    case = factories.open_case(team.service, team.officer, opened_on=dt.date(2026, 3, 2))
    factories.log_contact(case, team.officer, on=dt.date(2026, 3, 3))
    read = Case.objects.select_related("parent", "child", "officer").get(pk=case.pk)
    assert (read.parent, read.child, read.officer) == (case.parent, case.child, team.officer)
    assert read.parent.last_name == case.parent.last_name
    assert not read._state.adding and read._state.db == "default"
    contact = Contact.objects.only("case", "minutes").get(case=case)
    assert contact.get_deferred_fields() >= {"note", "at"}
    assert contact.note == Contact.objects.get(pk=contact.pk).note  # read when asked for
    version = read.version
    read.reference = "CHANGED-1"
    read.save()
    again = Case.objects.get(pk=case.pk)
    assert (again.reference, again.version) == ("CHANGED-1", version + 1)


def test_a_receiver_of_the_signals_is_told_of_every_record():
    told = []

    def receiver(sender, **kwargs):
        told.append(sender)

    for signal in (pre_init, post_init):
        signal.connect(receiver, sender=Case)
        try:
            Case.from_db("default", ["id"], [1])
            Contact.from_db("default", ["id"], [1])
        finally:
            signal.disconnect(receiver, sender=Case)
    assert told == [Case, Case]
