"""The authentication backend: Django's own, loading the signed-in user with their service.

Every signed-in request reads the user (AuthenticationMiddleware), and almost every one
then reads the user's service: the idle time (pps.middleware.IdleTimeoutMiddleware), the
page header, the service's settings in the views. Loading both in one query saves a
round trip per request (docs/operations.md, "What a request costs").
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from pps.prepared import Prepared


def _signed_in_user(_reader, pk):
    return get_user_model()._default_manager.select_related("service").filter(pk=pk)


# Built and compiled once per process (pps/prepared.py): every request reads it.
_SIGNED_IN_USER = Prepared(_signed_in_user, markers=("pk",), scoped=False)


class ModelBackendWithService(ModelBackend):
    def get_user(self, user_id):
        found = _SIGNED_IN_USER.rows(None, pk=user_id)
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None
