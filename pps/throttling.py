"""Sign-in throttling: django-axes counting failures per account, per address and per pair.

django-axes locks when any lockout combination reaches one shared failure limit. Each
combination here has its own limit (see the comment on AXES_LOCKOUT_PARAMETERS in
pps/settings.py), so the count reported to axes is the one closest to its own limit,
shifted onto axes' scale: locked exactly when some combination reaches its own limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class SignInThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        attempts_per_combination = self.get_user_attempts(request, credentials)
        shared_limit = settings.AXES_FAILURE_LIMIT
        # In the order of settings.AXES_LOCKOUT_PARAMETERS: pair, account, address.
        limits = (
            shared_limit,
            settings.PPS_ACCOUNT_FAILURE_LIMIT,
            settings.PPS_ADDRESS_FAILURE_LIMIT,
        )
        closest = 0
        for attempts, limit in zip(attempts_per_combination, limits, strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            closest = max(closest, failures - limit + shared_limit)
        return closest


def client_address(request) -> str | None:
    """The address sign-in failures are counted against.

    Behind a reverse proxy every request comes from the proxy's address, which would make
    the per-address limit lock the whole office at once. PPS_TRUSTED_PROXIES says how many
    proxies in front of the server append to X-Forwarded-For; the client is the entry that
    many from the right (entries further left are typed by the client and can be forged).
    """
    proxies = settings.PPS_TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


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
