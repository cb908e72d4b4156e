"""Subject access requests: the list, recording one for a parent, its page, producing its
bundle and completing it. Coordinators only (access_requests.access)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from access_requests import actions
from access_requests.access import get_request_for
from access_requests.forms import BundleForm, CompleteForm, RequestForm
from access_requests.queries import completed_requests, open_requests
from casework.access import parents_visible_to
from pps.access import RoleRequiredMixin
from pps.audit import PersonalDataMixin
from pps.documents import recover_stale_builds
from pps.roles import COORDINATORS
from pps.views import ActionFormMixin

AUDIT_TYPE = "subject-access-request"
# Completed requests shown under the open ones: the latest few, for reference.
COMPLETED_SHOWN = 25


class RequestListView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    roles = COORDINATORS
    template_name = "access_requests/request_list.html"
    audit_object_type = "subject-access-requests"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Subject access requests",
            today=timezone.localdate(),
            open_requests=open_requests(self.request.user),
            completed=completed_requests(self.request.user, COMPLETED_SHOWN),
            **kwargs,
        )


class RequestCreateView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    roles = COORDINATORS
    template_name = "access_requests/request_form.html"
    form_class = RequestForm
    audit_object_type = "parent"

    @cached_property
    def parent(self):
        return get_object_or_404(parents_visible_to(self.request.user), pk=self.kwargs["parent"])

    def audit_object_id(self):
        return self.parent.pk

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            parent=self.parent, title="Record a subject access request", **kwargs
        )

    def act(self, form):
        request = actions.record_request(
            parent=self.parent,
            received_on=form.cleaned_data["received_on"],
            requester=form.cleaned_data["requester"],
            by=self.request.user,
        )
        messages.success(self.request, f"Request recorded: due on {request.due_on:%-d %B %Y}.")
        return redirect("access_requests:request-detail", pk=request.pk)


class RequestDetailView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    roles = COORDINATORS
    template_name = "access_requests/request_detail.html"
    audit_object_type = AUDIT_TYPE

    def get_context_data(self, **kwargs):
        recover_stale_builds()
        self.object = get_request_for(self.request, self.kwargs["pk"])
        return super().get_context_data(
            sar=self.object,
            title=f"Subject access request: {self.object.parent}",
            today=timezone.localdate(),
            **kwargs,
        )


class RequestActionView(ActionFormMixin, RoleRequiredMixin, PersonalDataMixin, FormView):
    """A small form on its own page that runs one action on a request."""

    abstract = True
    roles = COORDINATORS
    template_name = "access_requests/request_action.html"
    audit_object_type = AUDIT_TYPE
    title: str
    button: str

    @cached_property
    def sar(self):
        return get_request_for(self.request, self.kwargs["pk"])

    def audit_object_id(self):
        return self.sar.pk

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sar=self.sar, title=self.title, button=self.button, **kwargs
        )


class ProduceBundleView(RequestActionView):
    form_class = BundleForm
    title = "Produce the bundle"
    button = "Produce the bundle"

    def get_initial(self):
        return {"redacted_names": self.sar.redacted_names}

    def act(self, form):
        document = actions.produce_bundle(
            request=self.sar,
            redacted_names=form.cleaned_data["redacted_names"],
            by=self.request.user,
        )
        messages.success(self.request, "The bundle is being made.")
        return redirect(reverse("document-status", args=[document.pk]))


class CompleteRequestView(RequestActionView):
    form_class = CompleteForm
    title = "Mark the request completed"
    button = "Mark completed"

    def act(self, form):
        actions.complete_request(request=self.sar, on=form.cleaned_data["on"], by=self.request.user)
        messages.success(self.request, "Request marked completed.")
        return redirect("access_requests:request-detail", pk=self.sar.pk)
