"""Rules of signing in that are not Django's own: the second factor and the idle timeout.

Every signed-in user enters a second factor (an authenticator app's code, or one of ten
one-time backup codes) before any page opens; demo accounts are exempt only while the
installation runs in demo mode. See docs/architecture.md, "Signing in".
"""

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pps.demo_accounts import DEMO_ACCOUNTS
from pps.models import Service

# Seconds since the epoch of the user's latest request, kept in their session.
LAST_ACTIVITY_KEY = "pps_last_activity"
ACTIVITY_RESOLUTION_SECONDS = 60
BACKUP_CODE_COUNT = 10


def needs_second_factor(user) -> bool:
    """True for a signed-in user whose session has not yet entered a second factor."""
    if not user.is_authenticated:
        return False
    # is_verified is put on the user by django-otp's OTPMiddleware; without it, not verified.
    if getattr(user, "is_verified", lambda: False)():
        return False
    demo_usernames = {username for username, _role in DEMO_ACCOUNTS}
    return not (settings.DEMO_MODE and user.get_username() in demo_usernames)


def idle_timeout_minutes(user) -> int:
    """The user's service's idle time; the default for users without a service (superusers)."""
    if user.service_id is None:
        return Service._meta.get_field("idle_timeout_minutes").default
    return user.service.idle_timeout_minutes


def unconfirmed_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_authenticator(*, device: TOTPDevice) -> list[str]:
    """Confirm a checked authenticator and issue a fresh set of backup codes, returned once.

    Any earlier devices of the user (a half-finished set-up, old backup codes) go.
    """
    user = device.user
    for old in devices_for_user(user, confirmed=None):
        if old.persistent_id != device.persistent_id:
            old.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


@transaction.atomic
def reset_second_factor(*, user) -> int:
    """Delete every device of `user`: their next sign-in starts the set-up again.

    Sessions that entered a code with a deleted device are no longer verified
    (django-otp's middleware finds no device), so they are asked to set up at once.
    """
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)
