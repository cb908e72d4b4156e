"""Enquiries: log one in seconds, record the first response, convert it into a case."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import CreateView

from casework import actions, queries
from casework.filters import EnquiryFilter
from casework.forms import EnquiryForm
from casework.tables import EnquiryTable
from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.roles import STAFF
from pps.views import ActionFormMixin, TableListView, VersionedUpdateView


class EnquiryListView(TableListView):
    roles = STAFF
    table_class = EnquiryTable
    filterset_class = EnquiryFilter
    title = "Enquiries"
    add_url = reverse_lazy("casework:enquiry-create")
    add_label = "Log an enquiry"
    export_name = "enquiries"
    audit_object_type = "enquiry-list"

    def get_queryset(self):
        return queries.enquiry_list(self.request.user)


class EnquiryCreateView(ActionFormMixin, RoleRequiredMixin, CreateView):
    roles = STAFF
    form_class = EnquiryForm
    template_name = "casework/enquiry_form.html"

    def act(self, form):
        enquiry = actions.record_enquiry(
            service=self.request.user.service, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Enquiry logged.")
        if "convert" in self.request.POST:
            return redirect(reverse("casework:case-start") + f"?enquiry={enquiry.pk}")
        return redirect("casework:enquiry-detail", pk=enquiry.pk)


class EnquiryDetailView(PersonalDataMixin, VersionedUpdateView):
    """An enquiry's page is its form: record the first response, correct the details."""

    roles = STAFF
    form_class = EnquiryForm
    template_name = "casework/enquiry_form.html"
    audit_object_type = "enquiry"
    success_message = "Enquiry saved."

    def get_queryset(self):
        return queries.enquiries_with_case(self.request.user, "taken_by")

    def get_success_url(self):
        if "convert" in self.request.POST and not self.object.case_id:
            return reverse("casework:case-start") + f"?enquiry={self.object.pk}"
        return reverse("casework:enquiry-detail", args=[self.object.pk])
