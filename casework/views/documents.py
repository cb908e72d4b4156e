"""Documents on cases and parents: added from the case page or the parent's page (errors
shown there, beside the field), and read through one download view that checks access
and records each download (docs/domain.md, "Documents on cases and parents")."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property

from casework import actions
from casework.access import DOCUMENT_UPLOADERS, documents_visible_to
from casework.views.cases import CaseDetailView, PageFormMixin
from casework.views.people import ParentDetailView
from pps.forms import DocumentForm
from pps.roles import CASEWORK
from pps.views import UploadDownloadView


class CaseDocumentAddView(PageFormMixin, CaseDetailView):
    """Add a document to a case from its page; a GET shows the page at the form."""

    roles = DOCUMENT_UPLOADERS
    part = "document"

    def posted_form(self):
        return DocumentForm(self.request.POST, self.request.FILES)

    def act(self, form):
        actions.add_document(
            parent=self.case.parent, case=self.case, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Document added.")
        return redirect("casework:case-detail", pk=self.case.pk)


class ParentDocumentAddView(PageFormMixin, ParentDetailView):
    """Add a document to a parent (on none of their cases) from the parent's page."""

    roles = DOCUMENT_UPLOADERS
    part = "document"

    @cached_property
    def object(self):
        # Looked up on first use, after the role check.
        return self.get_object()

    def posted_form(self):
        return DocumentForm(self.request.POST, self.request.FILES)

    def act(self, form):
        actions.add_document(parent=self.object, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, "Document added.")
        return redirect("casework:parent-detail", pk=self.object.pk)


class DocumentDownloadView(UploadDownloadView):
    """A case's or parent's document, to whoever may see it."""

    roles = CASEWORK
    audit_object_type = "case-document"
    visible_to = staticmethod(documents_visible_to)
