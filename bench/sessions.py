"""Signed-in sessions for the benchmarks, made the way a real sign-in leaves them.

A person signs in with a password and then a code from their authenticator app
(docs/architecture.md, "Signing in"). Typing a code is no part of what a benchmark measures,
so these sessions are written directly: the session store gets what `django.contrib.auth.login`
and django-otp's `login` put there (the user, the authentication backend, the password hash,
the confirmed device that entered a code) and the idle-timeout stamp. Each request then
pays what a real one does: the session read, the user, the device check, the idle stamp.
No demo-mode exemption is needed, so this works on any database the benchmark owns.
"""

import time
from importlib import import_module

# Django is imported inside the functions: run as a script (below), this module sets
# Django up first.


def confirmed_device(user):
    """The user's confirmed authenticator, made when there is none (as set-up leaves it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app")


def signed_in_cookie(user) -> str:
    """A new session in which `user` has signed in and entered a code: its cookie value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY

    from pps.sign_in import LAST_ACTIVITY_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    store[LAST_ACTIVITY_KEY] = int(time.time())
    store.create()
    return store.session_key


def prepare(service_id: int | None, users: int, cases: int) -> dict:
    """Signed-in sessions for `users` staff of a service (the one with most cases when none
    is named) and `cases` of its case ids, for the load test (bench/load.py --mode pages).

    Staff are the service's active case officers, coordinators and admin support, in id
    order, each getting as many sessions as needed; the case ids are spread evenly over the
    service's cases, so open and closed, old and new are all asked for.
    """
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from casework.models import Case
    from pps.models import Service, User
    from pps.roles import STAFF

    with scopes_disabled():
        if service_id is None:
            largest = (
                Case.objects.values("service").annotate(n=Count("id")).order_by("-n", "service")
            ).first()
            if largest is None:
                raise SystemExit("No service has a case: load the data first.")
            service_id = largest["service"]
        service = Service.objects.get(pk=service_id)
        staff = list(
            User.objects.filter(service=service, role__in=STAFF, is_active=True).order_by("id")
        )
        if not staff:
            raise SystemExit(f"{service} has no active staff to sign in.")
        ids = list(Case.objects.filter(service=service).order_by("id").values_list("id", flat=True))
        step = max(1, len(ids) // max(1, cases))
        return {
            "service": str(service),
            "service_id": service.pk,
            "cases_in_service": len(ids),
            "users": sorted({staff[n % len(staff)].username for n in range(users)}),
            "cookies": [signed_in_cookie(staff[n % len(staff)]) for n in range(users)],
            "case_ids": ids[::step][:cases],
        }


if __name__ == "__main__":
    import argparse
    import json
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(description="Signed-in sessions for bench/load.py")
    parser.add_argument("--service", type=int)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--cases", type=int, default=200)
    options = parser.parse_args()
    print(json.dumps(prepare(options.service, options.users, options.cases)))
