"""Documents on cases and parents: added from the case page or the parent's page (errors
shown there, beside the field), and read through one download view that checks access
and records each download (docs/domain.md, "Documents on cases and parents")."""

from django.contrib import messages
from django.shortcuts import redirect

from casework import actions
from casework.access import DOCUMENT_UPLOADERS, documents_visible_to
from casework.views.cases import CaseDetailView
from casework.views.people import ParentDetailView
from pps.forms import DocumentForm
from pps.roles import CASEWORK
from pps.views import ActionFormMixin, UploadDownloadView


class CaseDocumentAddView(ActionFormMixin, CaseDetailView):
    """Add a document to a case from its page; a GET shows the page at the form."""

    roles = DOCUMENT_UPLOADERS

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(focus_document=True))

    def post(self, request, *args, **kwargs):
        form = DocumentForm(request.POST, request.FILES)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def act(self, form):
        actions.add_document(
            parent=self.case.parent, case=self.case, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Document added.")
        return redirect("casework:case-detail", pk=self.case.pk)

    def form_invalid(self, form):
        self.document_form = form
        return self.render_to_response(self.get_context_data(focus_document=True), status=400)


class ParentDocumentAddView(ActionFormMixin, ParentDetailView):
    """Add a document to a parent (on none of their cases) from the parent's page."""

    roles = DOCUMENT_UPLOADERS

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(focus_document=True))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = DocumentForm(request.POST, request.FILES)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def act(self, form):
        actions.add_document(parent=self.object, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, "Document added.")
        return redirect("casework:parent-detail", pk=self.object.pk)

    def form_invalid(self, form):
        context = self.get_context_data(document_form=form, focus_document=True)
        return self.render_to_response(context, status=400)


class DocumentDownloadView(UploadDownloadView):
    """A case's or parent's document, to whoever may see it."""

    roles = CASEWORK
    audit_object_type = "case-document"
    visible_to = staticmethod(documents_visible_to)
