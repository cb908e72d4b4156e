"""Documents of the evaluations app that the background worker builds (pps/documents.py)."""

from evaluations import actions
from evaluations.access import events_visible_to, forms_visible_to
from evaluations.enums import FormKind
from evaluations.letters import letters_pdf, site_link_builder
from pps.documents import Built, check_asker
from pps.models import GeneratedDocument
from pps.roles import STAFF

EVENT_HAND_OUTS = "event-hand-outs"
# Who may print hand-outs (evaluations.views.events.HandOutView): checked again when the
# worker prints, since the asker's role may have changed while the document waited.
HAND_OUT_PRINTERS = STAFF


def build_event_hand_outs(document: GeneratedDocument) -> Built:
    """Record a batch of forms handed out at an event and print them, for the asker.

    Registered as a builder that writes: the worker runs it inside the transaction that
    stores the PDF, so the sendings exist only with a finished document, and only once
    however often the task runs (pps.documents._run). The event and the form are looked
    up again through the asker's visibility.
    """
    check_asker(document, HAND_OUT_PRINTERS)
    user = document.requested_by
    parameters = document.parameters
    event = events_visible_to(user).select_related("service").get(pk=parameters["event"])
    # Not only the forms in use: one retired since is refused by print_hand_outs, saying so.
    form = forms_visible_to(user).get(pk=parameters["form"], kind=FormKind.EVENT)
    link_for = site_link_builder(parameters["site"])
    content = actions.print_hand_outs(
        event=event,
        form=form,
        count=parameters["count"],
        by=user,
        render=lambda printed: letters_pdf(printed, link_for, with_letter=False),
    )
    return Built(f"event-forms-{event.on:%Y-%m-%d}.pdf", content)
