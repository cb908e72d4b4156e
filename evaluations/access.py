"""Which evaluation records each role may see: one function per record type.

Sendings name the person a form went to, and answers may hold personal comments, so both
are for paid staff only; forms and events hold no personal data.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from evaluations.models import Answer, EvaluationForm, Event, Sending
from pps.access import rows_for_roles
from pps.roles import STAFF, Role


def forms_visible_to(user) -> QuerySet[EvaluationForm]:
    return rows_for_roles(user, STAFF, EvaluationForm)


def get_form_for(request, pk) -> EvaluationForm:
    return get_object_or_404(forms_visible_to(request.user), pk=pk)


def sendings_visible_to(user) -> QuerySet[Sending]:
    return rows_for_roles(user, STAFF, Sending)


def get_sending_for(request, pk) -> Sending:
    return get_object_or_404(
        sendings_visible_to(request.user).select_related("version__form", "case", "event"),
        pk=pk,
    )


def answers_visible_to(user) -> QuerySet[Answer]:
    return rows_for_roles(user, STAFF, Answer)


def events_visible_to(user) -> QuerySet[Event]:
    """Staff and the steering group see events; what steering reads of one (counts, and
    text only once a coordinator cleared it, never the speaker) is decided by its pages:
    evaluations/tables.py SteeringEventTable and the event page (decision 0006)."""
    return rows_for_roles(user, STAFF | {Role.STEERING}, Event)


def get_event_for(request, pk) -> Event:
    return get_object_or_404(events_visible_to(request.user), pk=pk)
