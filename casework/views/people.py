"""Parents and children: the list of parents, a parent's page, and edits of both."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.views.generic import DetailView

from casework import queries
from casework.access import DOCUMENT_UPLOADERS, children_visible_to, parents_visible_to
from casework.enums import CaseStatus
from casework.filters import ParentFilter
from casework.forms import ChildForm, ParentForm
from casework.models import Case
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
        # Each parent's cases counted by a subquery rather than by grouping the joined
        # tables: PostgreSQL then counts for the page's 25 parents only, after sorting.
        cases = Case.objects.filter(parent=OuterRef("pk")).order_by().values("parent")

        def counted(cases):
            return Coalesce(Subquery(cases.annotate(n=Count("pk")).values("n")), 0)

        return (
            parents_visible_to(self.request.user)
            .select_related("locality")
            .annotate(
                open_cases=counted(cases.filter(status=CaseStatus.OPEN)),
                all_cases=counted(cases),
            )
            # The id breaks ties between namesakes, for stable pages.
            .order_by("last_name", "first_name", "id")
        )


class ParentDetailView(RoleRequiredMixin, PersonalDataMixin, DetailView):
    roles = STAFF
    template_name = "casework/parent_detail.html"
    audit_object_type = "parent"
    context_object_name = "parent"

    def get_queryset(self):
        return parents_visible_to(self.request.user).select_related("locality")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            cases=self.object.cases.select_related("child", "officer"),
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
        case = self.object.cases.order_by("-opened_on").first()
        if case is None:
            return reverse("casework:case-list")
        return reverse("casework:case-detail", args=[case.pk])
