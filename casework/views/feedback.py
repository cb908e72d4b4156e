"""Complaints, compliments and suggestions (Charter Mark 4.3.4 and 4.3.5)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import CreateView

from casework import actions
from casework.access import feedback_visible_to
from casework.filters import FeedbackFilter
from casework.forms import FeedbackForm
from casework.tables import FeedbackTable
from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.roles import STAFF
from pps.views import ClearingMixin, TableListView, VersionedUpdateView


class FeedbackListView(TableListView):
    roles = STAFF
    table_class = FeedbackTable
    filterset_class = FeedbackFilter
    title = "Complaints, compliments and suggestions"
    add_url = reverse_lazy("casework:feedback-create")
    add_label = "Record one"
    export_name = "complaints-compliments-suggestions"
    audit_object_type = "feedback-list"

    def get_queryset(self):
        return feedback_visible_to(self.request.user)


class FeedbackCreateView(ClearingMixin, RoleRequiredMixin, CreateView):
    roles = STAFF
    form_class = FeedbackForm
    template_name = "casework/feedback_form.html"

    def form_valid(self, form):
        actions.record_feedback(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, "Recorded.")
        return redirect("casework:feedback-list")


class FeedbackEditView(ClearingMixin, PersonalDataMixin, VersionedUpdateView):
    roles = STAFF
    form_class = FeedbackForm
    template_name = "casework/feedback_form.html"
    audit_object_type = "feedback"

    def get_queryset(self):
        return feedback_visible_to(self.request.user)

    def get_success_url(self):
        return reverse("casework:feedback-list")
