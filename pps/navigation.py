"""The way back after a form: a page of this site the form named, or a default."""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request: HttpRequest, back: str, default: str) -> HttpResponseRedirect:
    """Redirect to `back` when it is a path on this site, else to `default`.

    `back` comes from the form, so anyone can type it: an address elsewhere would be an open
    redirect, text without a slash is taken by `redirect()` for a view name (a server error),
    and a control character cannot go into the Location header (another). Only a printable
    path starting with one slash is followed.
    """
    if not (
        back.startswith("/")
        and back.isprintable()
        and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        back = default
    return HttpResponseRedirect(back)
