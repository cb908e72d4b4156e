"""Meetings with volunteers."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import CreateView, ListView

from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.roles import COORDINATORS
from pps.views import ActionFormMixin
from volunteers import actions
from volunteers.forms import MeetingForm
from volunteers.queries import meetings_listed_for


class MeetingListView(RoleRequiredMixin, PersonalDataMixin, ListView):
    roles = COORDINATORS
    # Each meeting names the volunteers who came.
    audit_object_type = "volunteer-meetings"
    template_name = "volunteers/meeting_list.html"
    context_object_name = "meetings"

    def get_queryset(self):
        return meetings_listed_for(self.request.user)


class MeetingCreateView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, CreateView):
    roles = COORDINATORS
    # The form lists the volunteers by name to tick who came.
    audit_object_type = "volunteer-meetings"

    def audit_object_id(self):
        return None

    form_class = MeetingForm
    template_name = "volunteers/form.html"

    def act(self, form):
        actions.record_meeting(form=form, by=self.request.user)
        messages.success(self.request, "Meeting recorded.")
        return redirect("volunteers:meeting-list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Record a meeting", **kwargs)
