from django.conf import settings
from django_scopes import scopes_disabled

from pps.access import service_scope


class ServiceScopeMiddleware:
    """Open the signed-in user's service scope around the whole request.

    The Django admin is for superusers only and works across services, so it alone runs
    with scopes disabled.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if request.path.startswith("/admin/") and user.is_authenticated and user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        service_id = user.service_id if user.is_authenticated else None
        with service_scope(service_id):
            return self.get_response(request)


class NoStoreMiddleware:
    """Pages for a signed-in user may hold personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class PermissionsPolicyMiddleware:
    """Turn off browser features the product never uses (camera, microphone, location,
    payment, USB...) on every response, so an injected script could not ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
