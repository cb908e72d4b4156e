import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django_otp import user_has_device
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from pps.access import service_scope
from pps.prepared import Prepared
from pps.sign_in import (
    ACTIVITY_RESOLUTION_SECONDS,
    LAST_ACTIVITY_KEY,
    idle_timeout_minutes,
    needs_second_factor,
)


class Middleware:
    """What every middleware here shares: it is made with the next step of the request, and
    passes the request on unless it says otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class ServiceScopeMiddleware(Middleware):
    """Open the signed-in user's service scope around the whole request.

    The Django admin is for superusers only and works across services, so it alone runs
    with scopes disabled.
    """

    def __call__(self, request):
        user = request.user
        if request.path.startswith("/admin/") and user.is_authenticated and user.is_superuser:
            with scopes_disabled():
                return self.get_response(request)
        service_id = user.service_id if user.is_authenticated else None
        with service_scope(service_id):
            return self.get_response(request)


class NoStoreMiddleware(Middleware):
    """Pages for a signed-in user may hold personal data: no browser or proxy may keep them."""

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class IdleTimeoutMiddleware(Middleware):
    """Sign out a user whose previous request is longer ago than their service's idle time.

    This is on top of the absolute limit (SESSION_COOKIE_AGE): an unattended, signed-in
    screen in a shared office closes itself. The time of the latest request is kept in
    the session (LAST_ACTIVITY_KEY, seconds since the epoch), rewritten at most once a
    minute so that a page view does not cost a session write: a user may be signed out up
    to a minute before the idle time, never after it.
    """

    def __call__(self, request):
        # Every request asks who is signed in here, so the user is read now; what follows
        # (the views, templates, access rules) then reads the user itself rather than
        # through Django's lazy proxy and django-otp's proxy of that proxy, two method
        # calls around each attribute read (a few hundred a page).
        user = request.user = _unwrapped(request.user)
        if user.is_authenticated:
            now = int(time.time())
            minutes = idle_timeout_minutes(user)
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > minutes * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity, "
                    "to keep the records safe. Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def _unwrapped(user):
    """The object behind lazy proxies of the request's user, read if it was not yet."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _device(model):
    return Prepared(lambda _reader, pk: model.objects.filter(pk=pk), markers=("pk",), scoped=False)


# The devices a second factor is entered with, read on every signed-in request: built and
# compiled once per process (pps/prepared.py), by the label a session keeps the device under.
_SIGNED_IN_DEVICE = {
    model._meta.label_lower: _device(model) for model in (TOTPDevice, StaticDevice)
}


class SecondFactorDeviceMiddleware(OTPMiddleware):
    """django-otp's middleware (the device this session entered a code with becomes
    `request.user.otp_device`), reading the device with a query compiled once per process
    instead of building the same query on each request. django-otp's own checks stand:
    the device must belong to the user and be confirmed, or the session forgets it."""

    def _device_from_persistent_id(self, persistent_id: str):
        label, _, key = self._normalize_persistent_id(persistent_id).rpartition("/")
        prepared = _SIGNED_IN_DEVICE.get(label)
        if prepared is None or not key.isascii() or not key.isdecimal():
            return super()._device_from_persistent_id(persistent_id)
        found = prepared.rows(None, pk=int(key))
        return found[0] if found else None


class SecondFactorMiddleware(Middleware):
    """Every signed-in user enters a second factor before any page opens (docs/architecture.md).

    Runs after SecondFactorDeviceMiddleware (django-otp's, which tells whether this session
    entered a code) and LoginRequiredMiddleware (which has already sent anyone not signed
    in to sign in).
    A signed-in user who has not entered a code is sent to enter one, or to set one up if
    they have none; only signing out, the two-factor pages and public pages stay open.
    Demo accounts are let through only while DEMO_MODE is on.
    """

    OPEN_URL_NAMES = frozenset({"logout", "two-factor-verify", "two-factor-setup"})

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN_URL_NAMES:
            return None
        if not needs_second_factor(request.user):
            return None
        target = "two-factor-verify" if user_has_device(request.user) else "two-factor-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class PermissionsPolicyMiddleware(Middleware):
    """Turn off browser features the product never uses (camera, microphone, location,
    payment, USB...) on every response, so an injected script could not ask for them."""

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
