"""Printed forms: a letter to a parent or professional, or forms handed out at an event.

Each printed form carries its sending's reference (for keying in the paper answers), a
short link and a QR code of it (for answering online instead).
"""

import segno
from django.urls import reverse
from django.utils import timezone

from evaluations import links
from evaluations.models import Sending
from pps.pdf import render_pdf


def link_builder(request):
    """The absolute address of a one-time link, on the host the request came to."""

    def link_for(service, token: str) -> str:
        return request.build_absolute_uri(
            reverse("evaluations:answer", args=[service.pk, links.grouped(token)])
        )

    return link_for


def _printed(sending: Sending, token: str, link_for) -> dict:
    url = link_for(sending.service, token)
    return {
        "sending": sending,
        "link": url,
        "qr": segno.make(url, error="m").svg_inline(scale=3, dark="#000"),
    }


def letters_pdf(printed: list[tuple[Sending, str]], link_for, *, with_letter: bool) -> bytes:
    """One PDF: for each sending, a covering letter (when `with_letter`) and the form."""
    first = printed[0][0]
    return render_pdf(
        "evaluations/pdf/forms.html",
        {
            "service": first.service,
            "form": first.version.form,
            "forms": [_printed(sending, token, link_for) for sending, token in printed],
            # Every sending of one batch has the same version: its questions are read once.
            "questions": list(first.version.questions.all()),
            "with_letter": with_letter,
            "today": timezone.localdate(),
        },
    )
