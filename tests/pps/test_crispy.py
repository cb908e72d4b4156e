"""pps.crispy draws a field as crispy-forms' as_crispy_field does, once per process for
each distinct field: the same markup, a new drawing whenever anything drawn differs, and
never a typed value kept."""

import datetime as dt

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.db import connection
from django.http import QueryDict
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from casework.filters import CaseFilter
from casework.forms import ContactForm
from casework.models import Case
from pps import crispy
from pps.models import Locality
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_store():
    crispy.forget()
    yield
    crispy.forget()


@pytest.fixture
def drawings(monkeypatch):
    """How many fields crispy-forms itself drew."""
    drawn = []

    def counted(*args):
        drawn.append(args[0].name)
        return as_crispy_field(*args)

    monkeypatch.setattr(crispy, "as_crispy_field", counted)
    return drawn


def _case_filter(query=""):
    # A new form for every drawing: crispy-forms adds its CSS class to a widget it draws.
    return CaseFilter(QueryDict(query), queryset=Case.objects.all()).form


QUERIES = ["", "status=open", "status=closed&locality={locality}", "locality=999999&status=x"]


def test_a_filter_form_is_drawn_as_crispy_draws_it_and_then_from_the_store(drawings):
    service = factories.make_service()
    factories.UserFactory(service=service, first_name="Ana", last_name="Oyelaran")
    locality = Locality.objects.filter(service=service).first().pk
    for query in [q.format(locality=locality) for q in QUERIES]:
        for name in _case_filter(query).fields:
            expected = as_crispy_field(_case_filter(query)[name])
            first = crispy.crispy_field(_case_filter(query)[name])
            drawn = len(drawings)
            again = crispy.crispy_field(_case_filter(query)[name])
            assert first == expected, (query, name)
            assert again == expected, (query, name)
            assert len(drawings) == drawn, (query, name)
    # Each distinct field drawn once: the first query's seven, then only the fields whose
    # value differs (status three times, the locality twice).
    assert len(drawings) == 7 + 1 + 2 + 2, drawings
    # The bad choices were shown with their errors, drawn like crispy's.
    with_errors = _case_filter("locality=999999&status=x")
    assert with_errors.errors
    assert crispy.crispy_field(with_errors["locality"]) == as_crispy_field(
        _case_filter("locality=999999&status=x")["locality"]
    )


def test_a_renamed_option_is_drawn_afresh(drawings):
    service = factories.make_service(localities=("Northfield",))
    crispy.crispy_field(_case_filter()["locality"])
    Locality.objects.filter(service=service).update(name="Northgate")
    drawn = crispy.crispy_field(_case_filter()["locality"])
    assert "Northgate" in drawn and "Northfield" not in drawn
    assert drawings == ["locality", "locality"]


def test_the_options_are_read_once_whether_drawn_or_from_the_store():
    factories.make_service()
    counts = []
    for _ in range(2):
        form = _case_filter()
        with CaptureQueriesContext(connection) as queries:
            crispy.crispy_field(form["officer"])
        counts.append(len(queries))
    assert counts == [1, 1]


def test_typed_words_are_drawn_every_time_and_never_kept(drawings):
    factories.make_service()
    for _ in range(2):
        drawn = crispy.crispy_field(_case_filter("q=Featherstonehaugh")["q"])
        assert 'value="Featherstonehaugh"' in drawn
    assert drawings == ["q", "q"]
    service = factories.make_service()
    officer = factories.UserFactory(service=service)
    case = factories.open_case(service, officer)
    contact = factories.log_contact(case, officer, note="Mum rang about the school visit")
    for form in (
        ContactForm(instance=contact),
        ContactForm({"note": "Mum rang about the school visit", "minutes": "x"}),
    ):
        crispy.crispy_field(form["note"])
    assert drawings[-2:] == ["note", "note"]
    kept = " ".join(crispy._store.values())
    assert "Featherstonehaugh" not in kept and "school visit" not in kept


def test_the_contact_forms_fields_are_kept_until_the_minute_changes(drawings, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 15, 5, tzinfo=dt.UTC), tick=False)
    for _ in range(2):
        for name in ContactForm.Meta.fields:
            assert crispy.crispy_field(ContactForm()[name]) == as_crispy_field(ContactForm()[name])
    assert drawings == list(ContactForm.Meta.fields)
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 16, 5, tzinfo=dt.UTC), tick=False)
    drawn = crispy.crispy_field(ContactForm()["at"])
    assert "10:16" in drawn and "10:15" not in drawn
    assert drawings[-1] == "at"


def test_a_model_select_reading_through_a_cursor_is_drawn_every_time(drawings):
    factories.make_service()

    class PlaceForm(forms.Form):
        place = forms.ModelChoiceField(queryset=Locality.objects.all())

    for _ in range(2):
        with CaptureQueriesContext(connection) as ours:
            drawn = crispy.crispy_field(PlaceForm()["place"])
        with CaptureQueriesContext(connection) as theirs:
            expected = as_crispy_field(PlaceForm()["place"])
        assert drawn == expected
        assert len(ours) == len(theirs)
    assert drawings == ["place", "place"]


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (mark_safe("<b>Bold</b>"), "<b>Bold</b>"),
        ("<b>Bold</b>", gettext_lazy("<b>Bold</b>")),
    ],
)
def test_safe_and_plain_help_text_are_kept_apart(first, second):
    drawn = []
    for help_text in (first, second, first):
        form = NoteForm()
        form.fields["note"].help_text = help_text
        expected_form = NoteForm()
        expected_form.fields["note"].help_text = help_text
        drawn.append(crispy.crispy_field(form["note"]))
        assert drawn[-1] == as_crispy_field(expected_form["note"])
    assert drawn[0] == drawn[2]
    assert ("<b>Bold</b>" in drawn[0]) == hasattr(first, "__html__")
    assert ("&lt;b&gt;Bold" in drawn[1]) == (not hasattr(second, "__html__"))


def test_any_change_to_the_field_draws_it_afresh(drawings):
    changes = [
        lambda f: None,
        lambda f: setattr(f.fields["note"], "label", "Notes"),
        lambda f: setattr(f.fields["note"], "required", True),
        lambda f: setattr(f.fields["note"], "disabled", True),
        lambda f: f.fields["note"].widget.attrs.update({"rows": 3}),
        lambda f: setattr(f.fields["note"], "widget", forms.Textarea()),
        lambda f: setattr(f, "prefix", "other"),
    ]
    for change in changes:
        for _ in range(2):
            form, expected = NoteForm(), NoteForm()
            change(form)
            change(expected)
            assert crispy.crispy_field(form["note"]) == as_crispy_field(expected["note"])
    assert drawings == ["note"] * len(changes)


def test_the_template_filter_is_the_stores():
    drawn = engines["django"].from_string("{% load pps %}{{ form.note|crispy_field }}")
    assert drawn.render({"form": NoteForm()}) == str(as_crispy_field(NoteForm()["note"]))
    assert len(crispy._store) == 1


def test_values_that_draw_differently_never_share_a_key():
    """The store's key (pps.crispy._plain) tells apart what prints differently, whichever
    way it takes: the plain types by their exact type first, anything else after."""

    london = dt.datetime(2026, 6, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    values = [
        "1",
        mark_safe("1"),
        gettext_lazy("1"),
        1,
        True,
        1.0,
        None,
        dt.date(2026, 6, 1),
        london,
        london.astimezone(dt.UTC),
        [1],
        (1,),
        ["1"],
        ((1, True),),
    ]
    keys = [crispy._plain(value) for value in values]
    assert len(set(keys)) == len(values)
    # And the same value, made afresh, keys the same.
    assert crispy._plain([("a", 2), None]) == crispy._plain([("a", 2), None])
    with pytest.raises(crispy._NoKey):
        crispy._plain([object()])
