"""Markup typed into any text field comes back escaped on every page, for every role.

The fields are read from the models (every CharField and TextField of the product's apps
without fixed choices), so a new field is covered without touching this test. Every field
gets its own numbered payload, so a failure names the field that leaked and the page it
leaked on. The URLs, and the records their parameters point at, come from the access matrix
(tests/test_access_matrix.py): a URL added there is crawled here too.

HTML must never carry the payload raw. Exports (CSV, JSON, PDF, XLSX) are not HTML: there
the payload must come back as the characters people typed (no &lt; entities), with a
non-HTML content type and `X-Content-Type-Options: nosniff`, so no browser renders it.
"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Feedback, Parent
from evaluations import links
from pps.backup import product_apps
from pps.models import Locality
from tests import factories
from tests.evaluations import records
from tests.test_access_matrix import RULES, SIGNED_IN, build_world
from volunteers import actions as volunteer_actions
from volunteers.models import VolunteerMeeting

pytestmark = pytest.mark.django_db


# Text fields nobody types into, or that the product reads as a key: a payload there would
# test nothing (nobody can put one there) or break the lookup rather than the escaping.
NOT_TYPED = {
    ("pps", "user", "password"),
    ("pps", "accesslog", "path"),
    ("pps", "accesslog", "object_type"),
    ("evaluations", "sending", "token_hash"),
    ("evaluations", "question", "key"),
    ("quality", "framework", "shipped_key"),
    ("quality", "frameworkversion", "fingerprint"),
    ("quality", "evidencefigure", "key"),
    # Evaluation tallies kept by month: JSON the product writes from the records
    # (evaluations.kept), never typed; the comments in them are answers' words, typed and
    # tested as such.
    ("evaluations", "tallymonth", "counts"),
    ("evaluations", "tallymonth", "comments"),
    # The layout of an import is chosen from the product's list (transfers/layouts.py).
    ("transfers", "importrun", "layout"),
    ("transfers", "importedrow", "layout"),
}

# A payload that breaks out of an attribute and opens a script; fields too short for it get
# a short tag. Each carries the field's number; in a field that must be unique the row's id
# follows it, so that every row's value stays unique.
PAYLOADS = ['"><script>alert({n})</script>', '"<xss{n}>', "<x{n}>"]
RAW = re.compile(r"<script>alert\((\d+)\)|<xss(\d+)>|<x(\d+)>")
ESCAPED = re.compile(r"&lt;script&gt;alert\((\d+)\)|&lt;xss(\d+)&gt;|&lt;x(\d+)&gt;")
ROW_ID_ROOM = 8


def number_in(match):
    return int(next(group for group in match if group))


def is_unique(model, field):
    together = [set(names) for names in model._meta.unique_together]
    together += [
        set(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
    ]
    return field.unique or any(field.name in names for names in together)


def typed_text_fields():
    """(model, field) for every free-text field of the product's models, history included."""
    found = []
    for label in product_apps():
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField) or field.choices:
                    continue
                name = field.name
                if name == "history_change_reason":
                    continue
                key = (model._meta.app_label, model._meta.model_name.removeprefix("historical"))
                if (*key, name) in NOT_TYPED:
                    continue
                found.append((model, field))
    return found


def payload_for(n, model, field):
    """The longest payload that fits, and whether the row's id must follow it."""
    suffix = is_unique(model, field)
    for template in PAYLOADS:
        text = template.format(n=n)
        room = len(text) + (ROW_ID_ROOM if suffix else 0)
        if field.max_length is None or room <= field.max_length:
            return text, suffix
    return None, suffix


def fill_with_markup(fields):
    """Put each field's payload into every row; returns {number: "app.Model.field"}."""
    names = {}
    for n, (model, field) in enumerate(fields, start=1):
        text, suffix = payload_for(n, model, field)
        assert text is not None, f"{model._meta.label}.{field.name} is too short for a tag"
        names[n] = f"{model._meta.label}.{field.name}"
        value = Concat(Value(text), Cast("pk", models.CharField())) if suffix else Value(text)
        model._base_manager.update(**{field.attname: value})
    return names


def add_records_every_page_shows(team, world):
    """Records the access matrix's world lacks, so that their text fields have rows too."""
    today = timezone.localdate()
    Parent.objects.filter(pk=world.case.parent_id).update(interpreter_needed=True)
    Case.objects.filter(pk=world.case.pk).update(
        locality=Locality.objects.filter(service=team.service).first()
    )
    # A document on the case (its page and timeline) and one on the parent alone.
    factories.add_document(team.officer, case=world.case)
    factories.add_document(team.officer, parent=world.case.parent, name="consent.txt")
    volunteer = team.volunteer_record
    volunteer_actions.record_supervision(
        volunteer=volunteer, on=today, by=team.coordinator, kind="supervision", topic="Topic"
    )
    volunteer_actions.submit_monthly_return(
        volunteer=volunteer,
        month=today.replace(day=1) - timedelta(days=1),
        by=team.volunteer,
        phone_hours=Decimal(2),
    )
    VolunteerMeeting.objects.create(service=team.service, kind="support_meeting", on=today)
    form = records.form_of(team.service, "parent")
    records.answer(
        records.send(form, team.officer, today),
        team.officer,
        today,
        publish=True,
        helpfulness="Good",
        impartial="Yes",
        comments="Very helpful",
    )
    factories.make_event(team.service, team.officer, speaker="A speaker", venue="Hall")
    _sending, token = factories.send_form(team.service, team.officer, case=world.case)
    return reverse("evaluations:answer", args=[team.service.pk, links.grouped(token)])


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_typed_markup_is_escaped_on_every_page(client, team, other_team):
    world = build_world(team)
    build_world(other_team)
    answer_url = add_records_every_page_shows(team, world)
    # Each rule's records are made once, before the markup goes in, so that they carry it.
    urls = [
        (name, reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs))
        for name, rule in sorted(RULES.items())
    ]
    urls.append(("evaluations:answer (a usable link)", answer_url))
    names = fill_with_markup(typed_text_fields())

    leaks, failures, shown = [], [], set()
    for role in [None, *SIGNED_IN]:
        if role is None:
            client.logout()
        else:
            client.force_login(team.by_role(role))
        who = role.label if role else "anonymous"
        for name, url in urls:
            try:
                response = client.get(url)
            except Exception as error:  # any server error is a finding to list
                failures.append(f"{who} {name}: {type(error).__name__}: {error}")
                continue
            body = body_of(response).decode("utf-8", errors="replace")
            content_type = response.get("Content-Type", "")
            shown.update(number_in(match) for match in ESCAPED.findall(body))
            raw = {number_in(match) for match in RAW.findall(body)}
            if not raw:
                continue
            if "html" in content_type:
                leaks.extend(f"{who} {name}: {names.get(n, n)} unescaped" for n in sorted(raw))
            elif response.get("X-Content-Type-Options") != "nosniff":
                leaks.append(f"{who} {name}: {content_type} without nosniff")

    assert not failures, "server errors:\n" + "\n".join(failures)
    assert not leaks, "markup printed unescaped:\n" + "\n".join(leaks)
    # The crawl reached the values it was meant to: the allocate page's two, every code
    # list's names, the questions parents see on the public page, and the other apps' text.
    seen = {names[n] for n in shown if n in names}
    assert {
        "casework.Parent.first_language",
        "pps.Locality.name",
        "pps.Service.name",
        "casework.ReferralRoute.name",
        "casework.ContactReason.name",
        "casework.NeedArea.name",
        "casework.SchoolType.name",
        "casework.Parent.postcode",
        "evaluations.Question.text",
        "evaluations.Answer.value",
        "evaluations.Event.speaker",
        "volunteers.TrainingCourse.title",
        "quality.Standard.text",
        "quality.ExternalReview.assessor",
    } <= seen


def test_exports_show_what_was_typed_not_html_entities(client, team):
    """Spreadsheet exports are not HTML: a quote or a < comes out as itself."""
    world = build_world(team)
    names = fill_with_markup(typed_text_fields())
    client.force_login(team.coordinator)
    # Exports a GET answers; the whole-service export is asked for by a POST and built by
    # the worker (tests/transfers/test_round_trip.py reads its files).
    exports = [name for name in RULES if name.endswith("export") and RULES[name].on_get != 405]
    assert "casework:feedback-export" in exports
    with_entities = []
    for name in exports:
        rule = RULES[name]
        url = reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)
        response = client.get(url)
        assert response.status_code == 200, name
        body = body_of(response).decode("utf-8", errors="replace")
        for match in ESCAPED.findall(body):
            with_entities.append(f"{name}: {names.get(number_in(match))}")
        assert "&quot;" not in body and "&#x27;" not in body and "&amp;" not in body, name
    assert not with_entities, "exports with HTML entities:\n" + "\n".join(with_entities)


def test_the_feedback_export_shows_quotes_as_typed(client, team):
    summary = "She said \"thank you\" & <smiled> at the O'Briens' meeting"
    Feedback.objects.create(
        service=team.service,
        kind="compliment",
        received_on=timezone.localdate(),
        channel="phone",
        about="service",
        summary=summary,
    )
    client.force_login(team.officer)
    response = client.get(reverse("casework:feedback-export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("Summary")
    assert [row[column] for row in rows[1:]] == [summary]


def test_the_allocate_help_text_is_escaped_where_it_is_built(team):
    """The page is also guarded by templates/bootstrap5/layout/help_text.html; the help text
    itself must be safe without that override (crispy-bootstrap5 prints it with |safe)."""
    from casework.forms import AllocateForm

    case = factories.open_case(team.service, team.officer)
    locality = Locality.objects.filter(service=team.service).first()
    Locality.objects.filter(pk=locality.pk).update(name="<b>North</b>")
    Parent.objects.filter(pk=case.parent_id).update(
        interpreter_needed=True, first_language='Polish"><script>alert(1)</script>'
    )
    Case.objects.filter(pk=case.pk).update(locality=locality)
    case.refresh_from_db()
    case.parent.refresh_from_db()
    help_text = AllocateForm(case=case).fields["volunteer"].help_text
    assert help_text == (
        "Active IPS who cover &lt;b&gt;North&lt;/b&gt; and speak "
        "Polish&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;."
    )
