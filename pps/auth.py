"""The authentication backend: Django's own, loading the signed-in user with their service.

Every signed-in request reads the user (AuthenticationMiddleware), and almost every one
then reads the user's service: the idle time (pps.middleware.IdleTimeoutMiddleware), the
page header, the service's settings in the views. Loading both in one query saves a
round trip per request (docs/operations.md, "What a request costs").
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ModelBackendWithService(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("service").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
