"""The username django-axes counts a sign-in attempt under."""

from django.http import HttpRequest

# django-axes stores the username in a 255-character column; a longer one typed into the
# sign-in form made the failed attempt's insert fail: a server error instead of "wrong
# username or password". Cut, two over-long names still count as different attempts only
# in their first 255 characters, which no real username reaches (ours are at most 150).
AXES_USERNAME_LENGTH = 255


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username typed into the sign-in form, cut to what django-axes can store (None
    when there is none, as django-axes's own lookup gives)."""
    source = credentials if credentials else request.POST
    username = source.get("username")
    return None if username is None else str(username)[:AXES_USERNAME_LENGTH]
