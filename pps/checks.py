"""Production refuses to start with a setting that would leak or lose data.

Django's own `check --deploy` only warns; these are errors, so `manage.py migrate` (the
release step), `manage.py check --deploy` and the gunicorn start (pps/gunicorn.conf.py) all
stop. They run on every check, not only with --deploy, and say nothing unless
PPS_PRODUCTION is on. See docs/decisions/0009-production-run.md.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

# Backends that print, keep in memory or write mail to disk: evaluation links, password
# resets and anything else sent would never reach the person, or would sit in a log.
UNSENT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
# Caches each server process keeps to itself: rate limits would count per process, so a
# guesser gets LIMIT tries per worker and a sign-in lockout would depend on which worker
# answers.
UNSHARED_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
INSECURE_SECRET_KEYS = {"insecure-key-for-local-trial-only"}
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def _secret_key() -> str:
    try:
        return settings.SECRET_KEY or ""
    except ImproperlyConfigured:
        # Django refuses to read an empty SECRET_KEY at all.
        return ""


@register()
def production_settings(app_configs, **kwargs):
    if not getattr(settings, "PRODUCTION", False):
        return []
    key = _secret_key()
    # (whether the setting is wrong, what is wrong, how to put it right, the check's id)
    problems = [
        (
            settings.EMAIL_BACKEND in UNSENT_EMAIL_BACKENDS,
            f"The email backend {settings.EMAIL_BACKEND} does not send mail.",
            "Set EMAIL_URL to the mail server, e.g. smtp+tls://user:pass@host:587.",
            "pps.E001",
        ),
        (
            getattr(settings, "DEMO_MODE", False),
            "Demo mode lists the demo accounts and their password on the sign-in page.",
            "Set PPS_DEMO_MODE=false in production.",
            "pps.E002",
        ),
        (
            key in INSECURE_SECRET_KEYS
            or key.startswith("django-insecure")
            or len(key) < SECRET_KEY_MIN_LENGTH
            or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS,
            "DJANGO_SECRET_KEY is missing, the trial default or too short.",
            f"Set DJANGO_SECRET_KEY to at least {SECRET_KEY_MIN_LENGTH} random characters, "
            "e.g. from python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
            "pps.E003",
        ),
        *(
            (
                cache.get("BACKEND") in UNSHARED_CACHE_BACKENDS,
                f"The cache '{alias}' ({cache.get('BACKEND')}) is not shared between server "
                "processes: rate limits would count in each process separately.",
                "Set CACHE_URL to Redis, e.g. redis://127.0.0.1:6379/1.",
                "pps.E004",
            )
            for alias, cache in settings.CACHES.items()
        ),
        (
            settings.DEBUG,
            "DEBUG is on: error pages would show settings and personal data.",
            "Leave DJANGO_DEBUG unset (or false) in production.",
            "pps.E005",
        ),
    ]
    return [Error(message, hint=hint, id=code) for wrong, message, hint, code in problems if wrong]
