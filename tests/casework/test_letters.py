"""Letters and emails from a case, from templates a coordinator writes (docs/letters.md):
placeholders, merging, preview, sending an email, producing a letter, the copy kept, who
may do what, edit conflicts on templates and escaping, through real requests."""

import io
import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from access_requests.actions import record_request
from access_requests.bundle import gather
from casework import letters
from casework.actions import close_case, send_correspondence
from casework.enums import ContactMethod, LetterKind
from casework.models import Contact, Correspondence, LetterTemplate
from pps.models import AccessLog
from retention.actions import erase_family
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _template(service, kind=LetterKind.LETTER, **fields):
    fields.setdefault("name", "Appointment confirmation")
    fields.setdefault("subject", "Your appointment about [child first name]")
    fields.setdefault(
        "body",
        "Dear [parent name],\n\nThis confirms our meeting about [child name] "
        "(case [case reference]).\n\n[officer name], [service name], [service phone]. [today]",
    )
    return LetterTemplate.objects.create(service=service, kind=kind, **fields)


def _case(team, **parent_fields):
    parent = factories.ParentFactory(
        service=team.service,
        first_name=parent_fields.pop("first_name", "Amina"),
        last_name=parent_fields.pop("last_name", "Shah"),
        email=parent_fields.pop("email", "amina@example.org"),
        address=parent_fields.pop("address", "1 High Street\nNorthtown"),
        postcode="NT1 2AB",
    )
    child = factories.ChildFactory(service=team.service, first_name="Zara", last_name="Shah")
    return factories.open_case(
        team.service,
        team.officer,
        opened_on=timezone.localdate() - timedelta(days=10),
        parent=parent,
        child=child,
    )


def _write_url(case, template):
    return reverse("casework:case-letter-write", args=[case.pk, template.pk])


def _letter_data(**changes):
    return {
        "subject": "Your appointment",
        "body": "Dear Amina Shah,\n\nSee you on Tuesday.",
        "minutes": "10",
    } | changes


# Placeholders ------------------------------------------------------------------------


def test_unknown_placeholders_are_found_each_once():
    text = "Dear [parent name], [Child  First Name] [foo] and [foo] and [request.user]"
    assert letters.unknown_placeholders(text) == ["[foo]", "[request.user]"]


def test_merge_replaces_known_placeholders_in_one_pass():
    values = {"parent name": "[today]", "today": "24 November 2026"}
    assert letters.merge("[Parent Name] on [today], [other]", values) == (
        "[today] on 24 November 2026, [other]"
    )


def test_merge_values_of_a_case(team):
    team.service.phone = "01234 567890"
    team.service.save()
    team.officer.first_name, team.officer.last_name = "Owen", "Officer"
    team.officer.save()
    case = _case(team)
    values = letters.merge_values(case, date(2026, 11, 24))
    assert values == {
        "parent name": "Amina Shah",
        "parent first name": "Amina",
        "child name": "Zara Shah",
        "child first name": "Zara",
        "case reference": case.reference,
        "officer name": "Owen Officer",
        "service name": "Northshire PPS",
        "service phone": "01234 567890",
        "today": "24 November 2026",
    }


def test_a_template_with_an_unknown_placeholder_is_refused_beside_the_field(client, team):
    client.force_login(team.coordinator)
    response = client.post(
        reverse("casework:letter-template-list"),
        {
            "name": "Welcome",
            "kind": LetterKind.LETTER,
            "subject": "",
            "body": "Dear [parent name], {{ settings.SECRET_KEY }} [parents name]",
            "active": "on",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["body"] == [
        "[parents name] is not a placeholder. The placeholders are: "
        + letters.allowed_placeholders()
        + "."
    ]
    assert not LetterTemplate.objects.exists()


def test_an_email_template_needs_a_subject(client, team):
    client.force_login(team.coordinator)
    response = client.post(
        reverse("casework:letter-template-list"),
        {"name": "Call", "kind": LetterKind.EMAIL, "subject": "", "body": "Hello", "active": "on"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["subject"] == ["An email needs a subject."]


def test_a_coordinator_adds_and_edits_a_template(client, team):
    client.force_login(team.coordinator)
    response = client.post(
        reverse("casework:letter-template-list"),
        {
            "name": "Following our call",
            "kind": LetterKind.EMAIL,
            "subject": "Following our call about [child first name]",
            "body": "Dear [parent first name],",
            "active": "on",
        },
    )
    assert response.status_code == 302
    template = LetterTemplate.objects.get()
    assert (template.service, template.kind) == (team.service, LetterKind.EMAIL)
    url = reverse("casework:letter-template-edit", args=[template.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "name": "Following our call",
            "kind": LetterKind.EMAIL,
            "subject": "After our call",
            "body": "Dear [parent first name], thank you.",
            "active": "on",
            "version": template.version,
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.subject, template.version) == ("After our call", 2)


def test_a_stale_template_edit_is_refused(client, team):
    template = _template(team.service)
    opened_at = template.version
    template.body = "Someone else's text"
    template.save()
    client.force_login(team.coordinator)
    response = client.post(
        reverse("casework:letter-template-edit", args=[template.pk]),
        {
            "name": "Mine",
            "kind": LetterKind.LETTER,
            "subject": "",
            "body": "My text",
            "active": "on",
            "version": opened_at,
        },
    )
    assert response.status_code == 200
    assert "Someone else saved this record after you opened it." in response.content.decode()
    template.refresh_from_db()
    assert (template.name, template.body) == ("Appointment confirmation", "Someone else's text")


@pytest.mark.parametrize("user", ["officer", "support", "volunteer", "steering"])
def test_template_pages_are_for_coordinators_only(client, team, user):
    template = _template(team.service)
    client.force_login(getattr(team, user))
    assert client.get(reverse("casework:letter-template-list")).status_code == 403
    edit = reverse("casework:letter-template-edit", args=[template.pk])
    assert client.get(edit).status_code == 403


def test_another_services_template_is_not_found(client, team, other_team):
    template = _template(other_team.service)
    client.force_login(team.coordinator)
    edit = reverse("casework:letter-template-edit", args=[template.pk])
    assert client.get(edit).status_code == 404
    case = _case(team)
    client.force_login(team.officer)
    assert client.get(_write_url(case, template)).status_code == 404


# Writing from a case -------------------------------------------------------------------


def test_the_form_is_prefilled_with_the_merged_text(client, team):
    case = _case(team)
    template = _template(team.service)
    client.force_login(team.officer)
    start = client.get(reverse("casework:case-letter-start", args=[case.pk]))
    assert _write_url(case, template) in start.content.decode()
    response = client.get(_write_url(case, template))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["subject"] == "Your appointment about Zara"
    assert form.initial["body"].startswith(
        f"Dear Amina Shah,\n\nThis confirms our meeting about Zara Shah (case {case.reference})."
    )


def test_a_preview_makes_no_contact_and_no_copy(client, team):
    case = _case(team)
    template = _template(team.service, kind=LetterKind.EMAIL)
    client.force_login(team.officer)
    response = client.post(_write_url(case, template), _letter_data(preview="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: exactly what will be sent" in html
    assert "amina@example.org" in html
    assert 'name="send"' in html
    pdf = client.post(
        _write_url(case, _template(team.service, name="Letter")), _letter_data(pdf="1")
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert "See you on Tuesday." in _pdf_text(pdf.content)
    assert not Contact.objects.filter(case=case, method__in=["letter", "email_out"]).exists()
    assert not Correspondence.objects.exists()
    assert mail.outbox == []


def test_sending_an_email_sends_one_message_and_logs_one_contact(client, team):
    case = _case(team)
    template = _template(team.service, kind=LetterKind.EMAIL)
    client.force_login(team.officer)
    contacts_before = Contact.objects.filter(case=case).count()
    response = client.post(
        _write_url(case, template),
        _letter_data(send="1", subject="Following\r\nour call", minutes="7"),
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["amina@example.org"], "Following our call")
    assert message.body == "Dear Amina Shah,\n\nSee you on Tuesday."
    assert message.content_subtype == "plain"
    assert Contact.objects.filter(case=case).count() == contacts_before + 1
    copy = Correspondence.objects.get()
    assert (copy.kind, copy.recipient_email, copy.template) == (
        LetterKind.EMAIL,
        "amina@example.org",
        template,
    )
    assert (copy.contact.method, copy.contact.minutes, copy.contact.by) == (
        ContactMethod.EMAIL_OUT,
        7,
        team.officer,
    )
    assert not copy.file
    case.refresh_from_db()
    assert case.last_contact_on == timezone.localdate()
    page = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    link = reverse("casework:correspondence", args=[copy.pk])
    assert f'<p class="mb-0 small"><a href="{link}">The email as sent</a></p>' in page
    kept = client.get(reverse("casework:correspondence", args=[copy.pk]))
    assert "See you on Tuesday." in kept.content.decode()


def test_an_email_is_refused_when_the_parent_has_no_email(client, team):
    case = _case(team, email="")
    template = _template(team.service, kind=LetterKind.EMAIL)
    client.force_login(team.officer)
    page = client.get(_write_url(case, template)).content.decode()
    assert "has no email address" in page
    response = client.post(_write_url(case, template), _letter_data(send="1"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The parent has no email address: add one to the parent's record, or send a letter instead."
    ]
    assert mail.outbox == []
    assert not Correspondence.objects.exists()


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_producing_a_letter_stores_its_pdf_and_logs_a_contact(client, team):
    team.service.postal_address = "Town Hall\nNorthtown"
    team.service.save()
    case = _case(team)
    template = _template(team.service)
    client.force_login(team.officer)
    response = client.post(_write_url(case, template), _letter_data(send="1"))
    assert response.status_code == 302
    copy = Correspondence.objects.get()
    assert copy.contact.method == ContactMethod.LETTER
    assert copy.recipient_address == "1 High Street\nNorthtown\nNT1 2AB"
    with default_storage.open(copy.file.name, "rb") as stored:
        text = _pdf_text(stored.read())
    assert "Amina Shah" in text
    assert "Town Hall" in text
    assert timezone.localdate().strftime("%-d %B %Y") in text
    assert mail.outbox == []
    logged = AccessLog.objects.filter(object_type="case", object_id=case.pk).count()
    download = client.get(reverse("casework:correspondence-pdf", args=[copy.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(object_type="case", object_id=case.pk).count() == logged + 1


def test_a_closed_case_takes_no_letter(client, team):
    case = _case(team)
    close_case(
        case=case,
        by=team.officer,
        on=timezone.localdate(),
        reason="resolved",
        outcome="resolved",
        summary="Done.",
    )
    template = _template(team.service)
    client.force_login(team.officer)
    response = client.post(_write_url(case, template), _letter_data(send="1"))
    assert response.status_code == 400
    assert not Correspondence.objects.exists()


def test_another_services_officer_gets_404(client, team, other_team):
    case = _case(team)
    template = _template(team.service)
    client.force_login(other_team.officer)
    assert client.get(reverse("casework:case-letter-start", args=[case.pk])).status_code == 404
    client.force_login(team.officer)
    client.post(_write_url(case, template), _letter_data(send="1"))
    copy = Correspondence.objects.get()
    client.force_login(other_team.officer)
    assert client.get(_write_url(case, template)).status_code == 404
    assert client.post(_write_url(case, template), _letter_data(send="1")).status_code == 404
    assert client.get(reverse("casework:correspondence", args=[copy.pk])).status_code == 404
    assert client.get(reverse("casework:correspondence-pdf", args=[copy.pk])).status_code == 404
    assert Correspondence.objects.count() == 1


# Escaping --------------------------------------------------------------------------------


def test_markup_in_names_and_templates_is_printed_as_text(client, team):
    case = _case(team, first_name="<b>Amina</b>", last_name="O'Shah & co")
    template = _template(
        team.service,
        body="<script>alert(1)</script> Dear [parent name], {% debug %} {{ request }}",
        subject="<i>Re</i> [parent first name]",
    )
    client.force_login(team.officer)
    page = client.get(_write_url(case, template)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<b>Amina</b>" not in page
    assert "&lt;b&gt;Amina&lt;/b&gt;" in page
    merged = page.split('name="body"')[1]
    assert "{% debug %} {{ request }}" in merged
    form = client.get(_write_url(case, template)).context["form"]
    data = _letter_data(subject=form.initial["subject"], body=form.initial["body"])
    preview = client.post(_write_url(case, template), data | {"preview": "1"}).content.decode()
    assert "<script>" not in preview and "<b>Amina</b>" not in preview
    pdf = client.post(_write_url(case, template), data | {"pdf": "1"})
    text = _pdf_text(pdf.content)
    assert "<script>alert(1)</script> Dear <b>Amina</b> O'Shah & co" in text
    client.post(_write_url(case, template), data | {"send": "1"})
    copy = Correspondence.objects.get()
    kept = client.get(reverse("casework:correspondence", args=[copy.pk])).content.decode()
    assert "<script>" not in kept and "<b>Amina</b>" not in kept
    timeline = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
    assert "<i>Re</i>" not in timeline


def test_an_email_with_markup_goes_as_plain_text(client, team):
    case = _case(team, first_name="<b>Amina</b>")
    template = _template(team.service, kind=LetterKind.EMAIL)
    client.force_login(team.officer)
    client.post(
        _write_url(case, template),
        _letter_data(send="1", subject="<i>Hi</i>", body="Dear <b>Amina</b> & co"),
    )
    (message,) = mail.outbox
    assert message.content_subtype == "plain"
    assert (message.subject, message.body) == ("<i>Hi</i>", "Dear <b>Amina</b> & co")


def test_the_case_page_costs_no_more_queries_with_letters(
    client, team, django_assert_max_num_queries
):
    case = _case(team)
    template = _template(team.service)
    client.force_login(team.officer)
    for _ in range(3):
        client.post(_write_url(case, template), _letter_data(send="1"))
    assert Correspondence.objects.count() == 3
    with django_assert_max_num_queries(10):
        response = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert response.content.decode().count("The letter as sent") == 3


def test_the_demo_templates_use_only_known_placeholders(team):
    from demo.letters import generate_letters

    assert generate_letters(service=team.service) == {"letter_templates": 2}
    kinds = {}
    for template in LetterTemplate.objects.filter(service=team.service):
        assert letters.unknown_placeholders(template.subject + template.body) == []
        kinds[template.name] = template.kind
    assert kinds == {
        "Appointment confirmation": LetterKind.LETTER,
        "Following our call": LetterKind.EMAIL,
    }
    team.service.refresh_from_db()
    assert team.service.phone == "01632 960123"


def test_the_subject_access_bundle_holds_the_letters_sent(team):
    case = _case(team)
    send_correspondence(
        case=case,
        by=team.officer,
        kind=LetterKind.LETTER,
        subject="Your appointment",
        body="See you on Tuesday.",
        minutes=10,
    )
    request = record_request(
        parent=case.parent,
        received_on=timezone.localdate(),
        requester="The parent",
        by=team.coordinator,
    )
    data = gather(request).as_json()
    (kept,) = data["cases"][0]["correspondence"]
    assert (kept["kind"], kept["recipient"], kept["body"]) == (
        "Letter",
        "Amina Shah",
        "See you on Tuesday.",
    )


def test_erasing_the_family_deletes_the_copies_and_the_letters_pdf(
    team, django_capture_on_commit_callbacks
):
    case = _case(team)
    copy = send_correspondence(
        case=case,
        by=team.officer,
        kind=LetterKind.LETTER,
        subject="Your appointment",
        body="See you on Tuesday.",
        minutes=10,
    )
    stored = copy.file.name
    assert default_storage.exists(stored)
    close_case(
        case=case,
        by=team.officer,
        on=timezone.localdate(),
        reason="resolved",
        outcome="resolved",
        summary="Done.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        erase_family(parent=case.parent, by=team.coordinator, reason="Asked to be forgotten")
    # A record whose personal data includes a file goes whole (retention/actions.py): the
    # copy and its PDF; the contact it was logged as stays, to be counted.
    assert not Correspondence.objects.filter(pk=copy.pk).exists()
    assert not default_storage.exists(stored)
    assert Contact.objects.filter(pk=copy.contact_id).exists()


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"amina@example.org": (550, b"No such user")})


def test_a_refused_email_records_nothing_and_says_so(client, team, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    case = _case(team)
    template = _template(team.service, kind=LetterKind.EMAIL)
    client.force_login(team.officer)
    contacts = Contact.objects.filter(case=case).count()
    response = client.post(_write_url(case, template), _letter_data(send="1"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "The email could not be sent (SMTPRecipientsRefused); nothing was recorded. "
        "Try again later."
    ]
    assert Contact.objects.filter(case=case).count() == contacts
    assert not Correspondence.objects.exists()


def test_the_letter_pages_cost_the_same_queries_however_many_templates_and_letters(
    client, team, django_assert_max_num_queries
):
    case = _case(team)
    template = _template(team.service)
    client.force_login(team.coordinator)
    copy = send_correspondence(
        case=case,
        by=team.officer,
        kind=LetterKind.LETTER,
        subject="Hello",
        body="Dear parent,",
        minutes=5,
        template=template,
    )
    for n in range(12):
        _template(team.service, name=f"Template {n}")
    pages = [
        reverse("casework:letter-template-list"),
        reverse("casework:letter-template-edit", args=[template.pk]),
        reverse("casework:case-letter-start", args=[case.pk]),
        _write_url(case, template),
        reverse("casework:correspondence", args=[copy.pk]),
    ]
    for url in pages:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
