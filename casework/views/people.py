"""Parents and children: the list of parents, a parent's page, and edits of both."""

from django.urls import reverse
from django.views.generic import DetailView

from casework import queries
from casework.access import DOCUMENT_UPLOADERS, children_visible_to, parents_visible_to
from casework.filters import ParentFilter
from casework.forms import ChildForm, ParentForm
from casework.tables import ParentTable
from pps.access import RoleRequiredMixin, may_open
from pps.audit import PersonalDataMixin
from pps.forms import DocumentForm
from pps.roles import STAFF
from pps.views import TableListView, VersionedUpdateView


class ParentListView(TableListView):
    roles = STAFF
    table_class = ParentTable
    filterset_class = ParentFilter
    title = "Parents and carers"
    export_name = "parents"
    audit_object_type = "parent-list"

    def get_queryset(self):
        return queries.parent_list(self.request.user)


class ParentDetailView(RoleRequiredMixin, PersonalDataMixin, DetailView):
    roles = STAFF
    template_name = "casework/parent_detail.html"
    audit_object_type = "parent"
    context_object_name = "parent"

    def get_queryset(self):
        return queries.parents_with_locality(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            cases=queries.parent_cases(self.object),
            documents=queries.parent_documents(user, self.object),
            may_add_documents=may_open(user, DOCUMENT_UPLOADERS),
            document_form=kwargs.pop("document_form", None) or DocumentForm(),
            **kwargs,
        )


class ParentEditView(PersonalDataMixin, VersionedUpdateView):
    roles = STAFF
    form_class = ParentForm
    audit_object_type = "parent"

    def get_queryset(self):
        return parents_visible_to(self.request.user)

    def get_success_url(self):
        return reverse("casework:parent-detail", args=[self.object.pk])


class ChildEditView(PersonalDataMixin, VersionedUpdateView):
    roles = STAFF
    form_class = ChildForm
    audit_object_type = "child"

    def get_queryset(self):
        return children_visible_to(self.request.user)

    def get_success_url(self):
        case = queries.latest_case_of(self.object)
        if case is None:
            return reverse("casework:case-list")
        return reverse("casework:case-detail", args=[case.pk])
