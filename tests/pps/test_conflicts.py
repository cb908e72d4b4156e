"""No lost update on any edit form (pps.versioning, docs/decisions/0002).

For every edit form of the product: open it as a person would (GET, the version it was
opened at is in the page), save it once, then post the same page again, which now carries
a stale version and a changed text. The second save is refused with the conflict message
and changes nothing.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from casework.models import Feedback
from pps.models import Locality
from tests import factories
from tests.quality import factories as quality

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this record after you opened it"


class _Forms(HTMLParser):
    """The fields of every <form> of a page, as a browser would submit them unchanged."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attrs.get("action") or "", "fields": [], "texts": [], "radios": {}}
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind == "radio":
                # A choice nobody has made yet: the person picks the first one.
                form["radios"].setdefault(name, attrs.get("value", ""))
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            form["fields"].append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
            # A date is typed in a text box too (pps.forms.DateInput): not free text.
            is_date = {"date-input", "datetime-input"} & set(attrs.get("class", "").split())
            if kind == "text" and "readonly" not in attrs and not is_date:
                form["texts"].append(name)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            form["fields"].append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.forms[-1]["fields"].append((name, text.removeprefix("\n")))
            self.forms[-1]["texts"].append(name)
            self._textarea = None


def _form_posting_to(html: str, url: str) -> dict:
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        chosen = {name for name, _ in form["fields"]}
        form["fields"] += [(n, v) for n, v in form["radios"].items() if n not in chosen]
        if form["action"] in ("", url) and any(
            name.endswith("version") for name, _ in form["fields"]
        ):
            return form
    raise AssertionError(f"No versioned form posting to {url}")


def _data(fields) -> dict:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


@dataclass
class EditForm:
    url_name: str
    role: str
    make: object  # team -> the record
    page: str | None = None  # the page that shows the form, when not the form's own URL
    change: tuple[str, str] | None = None  # the stale save's change, when there is no text


def _feedback(team):
    return Feedback.objects.create(
        service=team.service,
        kind="compliment",
        received_on=timezone.localdate(),
        channel="phone",
        about="service",
        summary="Thank you",
    )


def _course(team):
    from volunteers.models import TrainingCourse

    return TrainingCourse.objects.create(service=team.service, title="Initial IPS course")


def _code_list_value(model):
    def make(team):
        return model.objects.filter(service=team.service).order_by("id").first()

    return make


CODE_LISTS = {
    "localities": Locality,
    "referral-routes": apps.get_model("casework", "ReferralRoute"),
    "reasons": apps.get_model("casework", "ContactReason"),
    "need-areas": apps.get_model("casework", "NeedArea"),
    "school-types": apps.get_model("casework", "SchoolType"),
}

EDIT_FORMS = {
    "case": EditForm(
        "casework:case-edit", "officer", lambda t: factories.open_case(t.service, t.officer)
    ),
    "parent": EditForm(
        "casework:parent-edit", "officer", lambda t: factories.ParentFactory(service=t.service)
    ),
    "child": EditForm(
        "casework:child-edit", "officer", lambda t: factories.ChildFactory(service=t.service)
    ),
    "enquiry": EditForm(
        "casework:enquiry-detail",
        "officer",
        lambda t: factories.record_enquiry(t.service, t.officer),
    ),
    "feedback": EditForm("casework:feedback-edit", "officer", _feedback),
    "volunteer": EditForm("volunteers:volunteer-edit", "coordinator", lambda t: t.volunteer_record),
    "course": EditForm(
        "volunteers:course-edit", "coordinator", _course, page="volunteers:course-detail"
    ),
    "event": EditForm(
        "evaluations:event-edit", "officer", lambda t: factories.make_event(t.service, t.officer)
    ),
    "rating": EditForm(
        "quality:rating-edit",
        "coordinator",
        lambda t: quality.make_assessment(t).ratings.order_by("id").first(),
    ),
    "plan entry": EditForm(
        "quality:plan-entry-edit",
        "coordinator",
        lambda t: quality.make_plan(t).entries.order_by("id").first(),
    ),
    "action item": EditForm("quality:action-edit", "coordinator", quality.make_action_item),
    "steering seat": EditForm(
        "quality:seat-edit", "coordinator", quality.make_seat, change=("left_on", "2025-07-31")
    ),
}


def _stale_save_is_refused(client, team, *, role, record, post_url, page_url, change=None):
    client.force_login(getattr(team, role))
    opened = client.get(page_url)
    assert opened.status_code == 200
    form = _form_posting_to(opened.content.decode(), post_url)
    version = record.version

    saved = client.post(post_url, _data(form["fields"]))
    assert saved.status_code == 302, saved.content.decode().split("<main", 1)[-1][:4000]
    record.refresh_from_db()
    assert record.version == version + 1

    # The same page, still open: its version is now stale, and it changes a text.
    stale = _data(form["fields"])
    if change is None:
        text_field = next(name for name in form["texts"] if "version" not in name)
        change = (text_field, stale.get(text_field, [""])[0] + " (changed meanwhile)")
    stale[change[0]] = [change[1]]
    refused = client.post(post_url, stale)
    assert refused.status_code in (200, 409)
    assert CONFLICT in refused.content.decode()
    record.refresh_from_db()
    assert record.version == version + 1
    assert "(changed meanwhile)" not in str(record.__dict__)


@pytest.mark.parametrize("name", EDIT_FORMS)
def test_an_edit_form_refuses_a_stale_save_and_changes_nothing(client, team, name):
    edit = EDIT_FORMS[name]
    record = edit.make(team)
    post_url = reverse(edit.url_name, args=[record.pk])
    page_url = reverse(edit.page, args=[record.pk]) if edit.page else post_url
    _stale_save_is_refused(
        client,
        team,
        role=edit.role,
        record=record,
        post_url=post_url,
        page_url=page_url,
        change=edit.change,
    )


def test_service_settings_refuse_a_stale_save(client, team):
    url = reverse("service-settings")
    client.force_login(team.coordinator)
    _stale_save_is_refused_numbers(client, team.service, url)


def _stale_save_is_refused_numbers(client, record, url):
    # The settings form has numbers only: the stale save changes one of them.
    opened = client.get(url)
    form = _form_posting_to(opened.content.decode(), url)
    version = record.version
    assert client.post(url, _data(form["fields"])).status_code == 302
    stale = _data(form["fields"])
    stale["response_standard_days"] = ["7"]
    refused = client.post(url, stale)
    assert CONFLICT in refused.content.decode()
    record.refresh_from_db()
    assert record.version == version + 1
    assert record.response_standard_days != 7


@pytest.mark.parametrize("kind", CODE_LISTS)
def test_a_code_list_value_refuses_a_stale_save(client, team, kind):
    record = _code_list_value(CODE_LISTS[kind])(team)
    url = reverse("casework:codelist-item", args=[kind, record.pk])
    _stale_save_is_refused(
        client, team, role="coordinator", record=record, post_url=url, page_url=url
    )
