"""Events the service runs or attends, with attendance and their evaluations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.views import View
from django.views.generic import CreateView, DetailView

from evaluations import actions, queries
from evaluations.access import events_visible_to, get_event_for
from evaluations.documents import EVENT_HAND_OUTS, HAND_OUT_PRINTERS
from evaluations.enums import FormKind
from evaluations.filters import EventFilter, SteeringEventFilter
from evaluations.forms import EventForm, HandOutForm
from evaluations.letters import site_root
from evaluations.results import form_results
from evaluations.tables import EventTable, SteeringEventTable
from pps.access import RoleRequiredMixin
from pps.disclosure import sees_exact_figures
from pps.documents import request_document, to_status_page
from pps.roles import STAFF, Role
from pps.views import ClearingMixin, TableListView, VersionedUpdateView

# Events name no one but their speaker: the steering group reads their counts, and their
# text once a coordinator has cleared it (evaluations/tables.py SteeringEventTable).
READERS = STAFF | {Role.STEERING}


def _event_forms():
    return queries.forms_in_use(FormKind.EVENT).order_by("id")


class EventListView(TableListView):
    roles = READERS
    table_class = EventTable
    filterset_class = EventFilter
    title = "Events"
    add_url = reverse_lazy("evaluations:event-create")
    add_label = "Record an event"
    export_name = "events"
    audit_object_type = "event-list"

    def audit_applies(self) -> bool:
        # Events are counted, never named (evaluations/models/event.py): the list holds no
        # one's personal data, so its reads are not logged and its footer gives no warning.
        return False

    def get_queryset(self):
        return events_visible_to(self.request.user)

    def get_table_class(self):
        # Small counts of people at an event are suppressed for whoever may not see exact figures.
        return EventTable if sees_exact_figures(self.request.user) else SteeringEventTable

    def get_filterset_class(self):
        return EventFilter if self.request.user.role in STAFF else SteeringEventFilter

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.role not in STAFF:
            context["add_url"] = None
        return context


class EventCreateView(ClearingMixin, RoleRequiredMixin, CreateView):
    roles = STAFF
    form_class = EventForm
    template_name = "evaluations/event_form.html"

    def form_valid(self, form):
        event = actions.record_event(
            service=self.request.user.service, by=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Event recorded.")
        return redirect(event)


class EventDetailView(RoleRequiredMixin, DetailView):
    roles = READERS
    template_name = "evaluations/event_detail.html"

    def get_object(self, queryset=None):
        return get_event_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            results=form_results(self.object.sendings.all()),
            hand_out=HandOutForm(forms_queryset=_event_forms()) if user.role in STAFF else None,
            # The speaker's name is for staff only, and so is text no coordinator has cleared
            # (decision 0006). The counts are shown by reports/templatetags/figures.py.
            names_hidden=user.role not in STAFF,
            show_text=user.role in STAFF or self.object.cleared_for_steering,
            **kwargs,
        )


class EventEditView(ClearingMixin, VersionedUpdateView):
    roles = STAFF
    form_class = EventForm
    template_name = "evaluations/event_form.html"

    def get_queryset(self):
        return events_visible_to(self.request.user)

    def get_success_url(self):
        return reverse("evaluations:event-detail", args=[self.object.pk])


class HandOutView(RoleRequiredMixin, View):
    """Print numbered paper forms to hand out at an event, each with its own link.

    The background worker records and prints them (evaluations/documents.py); the page
    checks the batch first, so a refusal is shown at once, and sends the person who asked
    to the document's status page. The one-time links make the file personal data.
    """

    roles = HAND_OUT_PRINTERS

    def post(self, request, pk):
        event = get_event_for(request, pk)
        form = HandOutForm(request.POST, forms_queryset=_event_forms())
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(event)
        chosen, count = form.cleaned_data["form"], form.cleaned_data["count"]
        try:
            actions.check_hand_outs(event=event, form=chosen, count=count)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(event)
        document = request_document(
            service=request.user.service,
            kind=EVENT_HAND_OUTS,
            parameters={
                "event": event.pk,
                "form": chosen.pk,
                "count": count,
                "site": site_root(request),
            },
            title=f"{count} forms to hand out: {event.title}, {date_format(event.on)}",
            holds_personal_data=True,
            by=request.user,
        )
        return to_status_page(request, document, "The forms are being printed as one PDF")
