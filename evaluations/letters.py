"""Printed forms: a letter to a parent or professional, or forms handed out at an event.

Each printed form carries its sending's reference (for keying in the paper answers), a
short link and a QR code of it (for answering online instead).
"""

import segno
from django.urls import get_script_prefix, reverse
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


def site_root(request) -> str:
    """Where the site is, as the request reached it (scheme, host and the path it is
    mounted at), for links made later by the background worker (site_link_builder)."""
    return request.build_absolute_uri(get_script_prefix())


def site_link_builder(root: str):
    """The absolute address of a one-time link under a root from `site_root`.

    The worker has no request: the root brings the host and the mount path, so the link's
    path goes beneath it without whatever prefix this process reverses with.
    """

    def link_for(service, token: str) -> str:
        path = reverse("evaluations:answer", args=[service.pk, links.grouped(token)])
        return root.rstrip("/") + path.removeprefix(get_script_prefix().rstrip("/"))

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
