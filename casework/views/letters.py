"""Letters and emails from a case, from templates a coordinator writes (docs/letters.md).

Coordinators keep the templates under Settings. From a case, staff choose a template, edit
the merged text, see a preview (the email as it will go, or the letter's PDF), then send or
produce it: casework.actions.send_correspondence logs the contact and keeps the copy.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from casework import actions, letters, queries
from casework.access import correspondence_visible_to, get_case_for
from casework.enums import LetterKind
from casework.forms import LetterForm, LetterTemplateForm
from casework.views.cases import CasePageMixin
from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin, record_access
from pps.models import AccessLog
from pps.pdf import pdf_response
from pps.roles import CASEWORK, COORDINATORS, STAFF
from pps.views import ActionFormMixin, VersionedUpdateView

# What the letter pages read with the case: the merge fields' people and the letterhead.
LETTER_CASE_RELATED = ("parent", "child", "officer", "service")


class LetterTemplateListView(RoleRequiredMixin, TemplateView):
    """The service's templates, with a form to add one."""

    roles = COORDINATORS
    template_name = "casework/letter_templates.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", LetterTemplateForm())
        return super().get_context_data(
            templates=queries.letter_templates_for(self.request.user),
            placeholders=letters.allowed_placeholders(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = LetterTemplateForm(request.POST)
        if form.is_valid():
            template = actions.add_letter_template(by=request.user, **form.cleaned_data)
            messages.success(request, f"Added the template “{template.name}”.")
            return redirect("casework:letter-template-list")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LetterTemplateEditView(VersionedUpdateView):
    roles = COORDINATORS
    form_class = LetterTemplateForm
    success_message = "Template saved."

    def get_queryset(self):
        return queries.letter_templates_for(self.request.user)

    def get_title(self) -> str:
        return f"Edit the template “{self.object}”"

    def get_success_url(self):
        return reverse("casework:letter-template-list")


class CaseLetterStartView(CasePageMixin, TemplateView):
    """Choose the template of a letter or email from a case."""

    roles = STAFF
    template_name = "casework/letter_start.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            templates=queries.letter_templates_for(self.request.user, active=True),
            **kwargs,
        )


class CaseLetterWriteView(ActionFormMixin, CasePageMixin, TemplateView):
    """The merged text to edit; then a preview of exactly what goes out; then sending it.

    The buttons of the one form say which: "preview" draws the page with the preview,
    "pdf" answers with the letter's PDF as it would be produced, "send" sends or produces
    it. Only "send" writes anything but the access log.
    """

    roles = STAFF
    template_name = "casework/letter_write.html"

    @cached_property
    def case(self):
        return get_case_for(self.request, self.kwargs["pk"], related=LETTER_CASE_RELATED)

    @cached_property
    def template(self):
        return get_object_or_404(
            queries.letter_templates_for(self.request.user, active=True), pk=self.kwargs["template"]
        )

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            values = letters.merge_values(self.case, timezone.localdate())
            kwargs["form"] = LetterForm(
                initial={
                    "subject": letters.merge(self.template.subject, values),
                    "body": letters.merge(self.template.body, values),
                }
            )
        parent = self.case.parent
        return super().get_context_data(
            case=self.case,
            letter_template=self.template,
            is_email=self.template.kind == LetterKind.EMAIL,
            recipient_email=parent.email,
            recipient_address=letters.recipient_address(parent),
            today=timezone.localdate(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = LetterForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        if "pdf" in request.POST and self.template.kind == LetterKind.LETTER:
            # The preview's PDF holds the letter's personal data: its answer is a file, so
            # the view records the read itself (pps.audit.shows_personal_data).
            content = letters.letter_pdf(
                self.case, subject=data["subject"], body=data["body"], on=timezone.localdate()
            )
            record_access(
                request, action=AccessLog.Action.EXPORT, object_type="case", object_id=self.case.pk
            )
            return pdf_response(content, f"{self.case.reference}-letter-preview.pdf")
        if "send" in request.POST:
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, preview=True))

    def act(self, form):
        actions.send_correspondence(
            case=self.case,
            by=self.request.user,
            kind=self.template.kind,
            template=self.template,
            **form.cleaned_data,
        )
        done = "Email sent" if self.template.kind == LetterKind.EMAIL else "Letter produced"
        messages.success(self.request, f"{done} and logged as a contact.")
        return redirect("casework:case-detail", pk=self.case.pk)

    def form_invalid(self, form):
        """A refused sending: the preview again, with the reason."""
        return self.render_to_response(self.get_context_data(form=form, preview=True), status=400)


class CorrespondenceDetailView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    """The copy kept of a letter or email: its text as sent, to whom, and by whom."""

    roles = CASEWORK
    template_name = "casework/correspondence.html"
    audit_object_type = "case"

    @cached_property
    def copy(self):
        return get_object_or_404(
            queries.correspondence_with_case(self.request.user), pk=self.kwargs["pk"]
        )

    def audit_object_id(self):
        return self.copy.case_id

    def get_context_data(self, **kwargs):
        return super().get_context_data(copy=self.copy, case=self.copy.case, **kwargs)


class CorrespondenceFileView(RoleRequiredMixin, PersonalDataMixin, View):
    """A produced letter's PDF, read through the storage API; each download is recorded."""

    roles = CASEWORK
    audit_object_type = "case"
    audit_action = AccessLog.Action.EXPORT

    def audit_object_id(self):
        return self.copy.case_id

    def get(self, request, pk):
        self.copy = get_object_or_404(correspondence_visible_to(request.user), pk=pk)
        if not self.copy.file:
            raise Http404("This was an email: it has no PDF.")
        return FileResponse(
            self.copy.file.open("rb"),
            as_attachment=True,
            filename=f"letter-{self.copy.pk}.pdf",
            content_type="application/pdf",
        )
