import django_filters

from evaluations.enums import Channel, EventKind, RecipientKind
from evaluations.models import EvaluationForm, Event, Sending
from evaluations.queries import with_answered
from pps.forms import ListFilterSet, date_range

# Declared filters only: generating them from Meta.fields reads the default manager at
# import time, which the service scope forbids.


def _forms(request):
    return EvaluationForm.objects.all()


class SendingFilter(ListFilterSet):
    form = django_filters.ModelChoiceFilter(
        field_name="version__form", queryset=_forms, label="Form"
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    recipient_kind = django_filters.ChoiceFilter(choices=RecipientKind.choices, label="Sent to")
    answered = django_filters.BooleanFilter(method="filter_answered", label="Answered")
    case = django_filters.CharFilter(
        field_name="case__reference", lookup_expr="iexact", label="Case reference"
    )
    sent_from, sent_to = date_range("sent_on", "Sent from", "Sent up to")

    class Meta:
        model = Sending
        fields = []

    def filter_answered(self, queryset, name, value):
        return with_answered(queryset).filter(answered=value)


class SteeringEventFilter(ListFilterSet):
    """The steering group filters by kind and date: a search of titles would tell them
    what an event not cleared for them is called."""

    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label="Kind")
    held_from, held_to = date_range("on", "From", "Up to")

    class Meta:
        model = Event
        fields = []


class EventFilter(SteeringEventFilter):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")
