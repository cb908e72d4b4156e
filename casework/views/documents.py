"""Documents on cases and parents: added from the case page or the parent's page (errors
shown there, beside the field), and read through one download view that checks access
and records each download (docs/domain.md, "Documents on cases and parents")."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import View

from casework import actions
from casework.access import DOCUMENT_UPLOADERS, documents_visible_to
from casework.views.cases import CaseDetailView, _case_for_page
from casework.views.people import ParentDetailView
from pps import uploads
from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.forms import DocumentForm, apply_action_errors
from pps.models import AccessLog
from pps.roles import CASEWORK


class CaseDocumentAddView(CaseDetailView):
    """Add a document to a case from its page; a GET shows the page at the form."""

    roles = DOCUMENT_UPLOADERS

    def get(self, request, *args, **kwargs):
        self.case = _case_for_page(request, kwargs["pk"])
        return self.render_to_response(self.get_context_data(focus_document=True))

    def post(self, request, *args, **kwargs):
        self.case = _case_for_page(request, kwargs["pk"])
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                actions.add_document(
                    parent=self.case.parent, case=self.case, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_action_errors(form, error)
            else:
                messages.success(request, "Document added.")
                return redirect("casework:case-detail", pk=self.case.pk)
        self.document_form = form
        return self.render_to_response(self.get_context_data(focus_document=True), status=400)


class ParentDocumentAddView(ParentDetailView):
    """Add a document to a parent (on none of their cases) from the parent's page."""

    roles = DOCUMENT_UPLOADERS

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(focus_document=True))

    def post(self, request, *args, **kwargs):
        self.object = parent = self.get_object()
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                actions.add_document(parent=parent, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_action_errors(form, error)
            else:
                messages.success(request, "Document added.")
                return redirect("casework:parent-detail", pk=parent.pk)
        context = self.get_context_data(document_form=form, focus_document=True)
        return self.render_to_response(context, status=400)


class DocumentDownloadView(RoleRequiredMixin, PersonalDataMixin, View):
    """The only way a case's or parent's document leaves the server: to whoever may see
    it (casework.access.documents_visible_to, else 404), as an attachment under its own
    name made safe, each download recorded in the access log."""

    roles = CASEWORK
    audit_object_type = "case-document"
    audit_action = AccessLog.Action.EXPORT

    def get(self, request, pk):
        document = self.object = get_object_or_404(documents_visible_to(request.user), pk=pk)
        return uploads.attachment(document.file, document.original_name)
