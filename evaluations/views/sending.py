"""Sending forms to parents and professionals, retrying failed emails, keying in paper."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from casework.access import get_case_for
from casework.queries import evaluations_due_count, evaluations_due_page
from casework.rules import evaluation_due_on
from evaluations import actions, queries
from evaluations.access import get_sending_for
from evaluations.enums import Channel, EmailStatus, FormKind, RecipientKind, ResponseSource
from evaluations.filters import SendingFilter
from evaluations.forms import (
    PaperEntryForm,
    ReferenceForm,
    SendAnyForm,
    SendToParentForm,
    SendToProfessionalForm,
)
from evaluations.letters import letters_pdf, link_builder
from evaluations.tables import SendingTable
from pps.access import RoleRequiredMixin, may_open
from pps.audit import PersonalDataMixin, record_access
from pps.forms import plain_number
from pps.models import AccessLog
from pps.pdf import pdf_response
from pps.roles import STAFF
from pps.views import ActionFormMixin, TableListView


def _form_of_kind(kind):
    form = queries.forms_in_use(kind).order_by("id").first()
    if form is None:
        raise ValidationError(
            "There is no form of this kind in use: publish one in Settings, Evaluation forms."
        )
    return form


def _log_printed(request, sending):
    # A printed letter holds the recipient's name: it is an export of personal data.
    record_access(
        request,
        action=AccessLog.Action.EXPORT,
        object_type="evaluation-letter",
        object_id=sending.pk,
    )


class SendingMixin(ActionFormMixin):
    """Send one form as the form on the page says: a letter comes back as its PDF to print;
    an email goes back to `back` saying whether it went."""

    def send_and_answer(self, form, *, back, form_to_send, **recipient):
        link_for = link_builder(self.request)
        sending, token = actions.send_form(
            form=form_to_send,
            by=self.request.user,
            channel=form.cleaned_data["channel"],
            link_for=link_for,
            email=form.cleaned_data.get("email") or "",
            **recipient,
        )
        if sending.channel == Channel.LETTER:
            _log_printed(self.request, sending)
            pdf = letters_pdf([(sending, token)], link_for, with_letter=True)
            return pdf_response(pdf, f"evaluation-{sending.reference}.pdf")
        if sending.email_status == EmailStatus.FAILED:
            messages.error(
                self.request,
                f"The email to {sending.recipient_email} could not be sent "
                f"({sending.email_error}). It is listed under “Emails that failed” to retry.",
            )
        else:
            messages.success(self.request, f"Sent to {sending.recipient_email}.")
        return redirect(back)


class DueView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    """Cases whose parent evaluation is due, emails to retry and paper still to come back."""

    roles = STAFF
    template_name = "evaluations/due.html"
    audit_object_type = "evaluations-due"
    # Every officer's cases due in a large service run to a thousand or more: a page at a
    # time, the longest due first, so the page costs the same whatever the backlog.
    due_per_page = 50

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        everyone = self.request.GET.get("who") == "all"
        number = plain_number(self.request.GET.get("page", "")) or 1
        # A count of its own (the partial index case_evaluation_due answers it): a window
        # count would join every case due to its parent and child before taking the page.
        total = evaluations_due_count(user, today, officer_only=not everyone)
        start = (number - 1) * self.due_per_page
        if start and start >= total:
            raise Http404
        due = evaluations_due_page(
            user, today, start, start + self.due_per_page, officer_only=not everyone
        )
        for case in due:
            case.evaluation_due = evaluation_due_on(case.last_contact_on)
        return super().get_context_data(
            due=due,
            due_total=total,
            due_first=start + 1,
            due_last=start + len(due),
            due_previous=number - 1 if number > 1 else None,
            due_next=number + 1 if start + len(due) < total else None,
            everyone=everyone,
            failed=queries.failed_emails_for(user),
            awaiting_paper=queries.awaiting_paper_count(user, today),
            **kwargs,
        )


class SendToCaseMixin(SendingMixin, RoleRequiredMixin, PersonalDataMixin):
    abstract = True
    roles = STAFF
    template_name = "evaluations/send.html"
    audit_object_type = "case"

    def dispatch(self, request, *args, **kwargs):
        # The role first: a role that may not open the page learns nothing of the case.
        if not may_open(request.user, self.roles):
            raise PermissionDenied
        self.case = get_case_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def audit_object_id(self):
        return self.case.pk

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, title=self.title, **kwargs)

    def send(self, form, *, kind, recipient_kind, name, organisation=""):
        return self.send_and_answer(
            form,
            back=self.case.get_absolute_url(),
            form_to_send=_form_of_kind(kind),
            recipient_kind=recipient_kind,
            case=self.case,
            name=name,
            organisation=organisation,
        )


class SendToParentView(SendToCaseMixin, FormView):
    form_class = SendToParentForm
    title = "Send the parent evaluation"

    def get_initial(self):
        parent = self.case.parent
        return {"email": parent.email, "channel": Channel.EMAIL if parent.email else "letter"}

    def act(self, form):
        return self.send(
            form,
            kind=FormKind.PARENT,
            recipient_kind=RecipientKind.PARENT,
            name=str(self.case.parent),
        )


class SendToProfessionalView(SendToCaseMixin, FormView):
    form_class = SendToProfessionalForm
    title = "Send the professional evaluation"

    def act(self, form):
        return self.send(
            form,
            kind=FormKind.PROFESSIONAL,
            recipient_kind=RecipientKind.PROFESSIONAL,
            name=form.cleaned_data["name"],
            organisation=form.cleaned_data["organisation"],
        )


class SendAnyFormView(SendingMixin, RoleRequiredMixin, FormView):
    """Send any form in use to one person: the schools' survey to a SENCo, the volunteer
    questionnaire to a volunteer, a parent form to a parent who came without a case."""

    roles = STAFF
    form_class = SendAnyForm
    template_name = "evaluations/send_any.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "forms_queryset": queries.forms_in_use().order_by("kind", "title", "id"),
        }

    def get_initial(self):
        return {"channel": Channel.EMAIL}

    def act(self, form):
        data = form.cleaned_data
        return self.send_and_answer(
            form,
            back=reverse("evaluations:due"),
            form_to_send=data["form"],
            recipient_kind=data["recipient_kind"],
            name=data["name"],
            organisation=data["organisation"],
        )


class RetryEmailView(RoleRequiredMixin, View):
    roles = STAFF

    def post(self, request, pk):
        sending = get_sending_for(request, pk)
        try:
            sending = actions.retry_email(sending=sending, link_for=link_builder(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if sending.email_status == EmailStatus.SENT:
                messages.success(request, f"{sending.reference} sent this time.")
            else:
                messages.error(request, f"{sending.reference} failed again: {sending.email_error}")
        return redirect("evaluations:due")


class ReprintView(RoleRequiredMixin, View):
    """Print a letter again: it gets a new link, and the first letter's link stops working."""

    roles = STAFF

    def post(self, request, pk):
        sending = get_sending_for(request, pk)
        try:
            token = actions.reissue_letter(sending=sending)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("evaluations:sending-list")
        _log_printed(request, sending)
        pdf = letters_pdf(
            [(sending, token)], link_builder(request), with_letter=sending.case_id is not None
        )
        return pdf_response(pdf, f"evaluation-{sending.reference}.pdf")


class SendingListView(TableListView):
    roles = STAFF
    table_class = SendingTable
    filterset_class = SendingFilter
    title = "Evaluation forms sent"
    export_name = "evaluations-sent"
    audit_object_type = "evaluation-sendings"

    def get_queryset(self):
        return queries.sendings_listed(self.request.user)


class PaperEntryView(RoleRequiredMixin, FormView):
    """Admin support keys in returned paper forms one after another, by reference."""

    roles = STAFF
    form_class = ReferenceForm
    template_name = "evaluations/paper_entry.html"

    def form_valid(self, form):
        number = form.cleaned_data["reference"]
        sending = queries.sending_with_answered(self.request.user, number)
        if sending is None:
            form.add_error("reference", "No form was sent with this reference.")
            return self.form_invalid(form)
        if sending.answered:
            form.add_error("reference", f"{sending.reference} has already been answered.")
            return self.form_invalid(form)
        return redirect("evaluations:paper-response", pk=sending.pk)


class PaperResponseView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    roles = STAFF
    template_name = "evaluations/paper_response.html"
    # The page names the person the form was sent to.
    audit_object_type = "evaluation-sending"

    def audit_object_id(self):
        return self.sending.pk

    def dispatch(self, request, *args, **kwargs):
        if not may_open(request.user, self.roles):
            raise PermissionDenied
        self.sending = get_sending_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return PaperEntryForm(
            **self.get_form_kwargs(), questions=self.sending.version.questions.all()
        )

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        answered = queries.is_answered(self.sending)
        # The date is filled in with today: the keyboard starts at the first question.
        return super().get_context_data(
            sending=self.sending, answered=answered, focus_first=True, **kwargs
        )

    def act(self, form):
        actions.record_response(
            sending=self.sending,
            answers=form.answers(),
            source=ResponseSource.PAPER,
            entered_by=self.request.user,
            received_on=form.cleaned_data["received_on"],
        )
        messages.success(self.request, f"{self.sending.reference} saved. Next form:")
        return redirect("evaluations:paper-entry")
