"""Sign-in throttling: django-axes counting failures per account, per address and per pair.

django-axes locks when any lockout combination reaches one shared failure limit. Each
combination here has its own limit (see the comment on AXES_LOCKOUT_PARAMETERS in
pps/settings.py), so the count reported to axes is the one closest to its own limit,
shifted onto axes' scale: locked exactly when some combination reaches its own limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _limits() -> list[int]:
    # In the order of settings.AXES_LOCKOUT_PARAMETERS: pair, account, address.
    return [
        settings.AXES_FAILURE_LIMIT,
        settings.PPS_ACCOUNT_FAILURE_LIMIT,
        settings.PPS_ADDRESS_FAILURE_LIMIT,
    ]


class SignInThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        attempts_per_combination = self.get_user_attempts(request, credentials)
        shared_limit = settings.AXES_FAILURE_LIMIT
        closest = 0
        for attempts, limit in zip(attempts_per_combination, _limits(), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            closest = max(closest, failures - limit + shared_limit)
        return closest
