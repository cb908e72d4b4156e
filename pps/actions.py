"""Writes of the core that pages call: a versioned form's save and a second-factor check."""

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from pps.versioning import save_versioned


def save_versioned_form(form) -> None:
    """Save a valid VersionedForm unless someone saved its record since it was opened
    (EditConflict, nothing saved)."""
    with transaction.atomic():
        obj = form.save(commit=False)
        save_versioned(obj, expected_version=form.cleaned_data["version"])
        form.save_m2m()


def verify_second_factor(*, user, code: str):
    """The device of `user` that accepts `code`, else None, and whether a device refused to
    check it yet (a wrong code makes the next wait).

    Each device is asked on its own (django-otp's advice) so that its throttling, which
    slows down guessing after each wrong code, applies; a backup code that matches is
    deleted by its device, so it works once. A 6-digit code is the app's, anything else a
    backup code: only that kind of device is asked, so a mistyped backup code does not make
    the app's code wait, nor the other way round.
    """
    from_app = len(code) == 6 and code.isascii() and code.isdigit()
    waiting = False
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, TOTPDevice) != from_app:
                continue
            if not device.verify_is_allowed()[0]:
                waiting = True
            elif device.verify_token(code):
                return device, waiting
    return None, waiting
