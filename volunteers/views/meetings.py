"""Meetings with volunteers."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import CreateView, ListView

from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.roles import COORDINATORS
from volunteers.access import (
    meetings_visible_to,
)
from volunteers.forms import (
    MeetingForm,
)


class MeetingListView(RoleRequiredMixin, PersonalDataMixin, ListView):
    roles = COORDINATORS
    # Each meeting names the volunteers who came.
    audit_object_type = "volunteer-meetings"
    template_name = "volunteers/meeting_list.html"
    context_object_name = "meetings"

    def get_queryset(self):
        return meetings_visible_to(self.request.user).prefetch_related("attended_by")


class MeetingCreateView(RoleRequiredMixin, PersonalDataMixin, CreateView):
    roles = COORDINATORS
    # The form lists the volunteers by name to tick who came.
    audit_object_type = "volunteer-meetings"

    def audit_object_id(self):
        return None

    form_class = MeetingForm
    template_name = "volunteers/form.html"

    def form_valid(self, form):
        form.instance.service = self.request.user.service
        form.save()
        messages.success(self.request, "Meeting recorded.")
        return redirect("volunteers:meeting-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Record a meeting", **kwargs)
