"""Production refuses to start with settings that would leak or lose data (pps/checks.py).

Settings are read once per process, so each case runs `manage.py` in a fresh process with
the environment a server would have.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def good_production_env(**changes) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PPS_", "CACHE_", "EMAIL_"))
    }
    env.update(
        PPS_PRODUCTION="true",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="pps.example.org",
        CACHE_URL="redis://127.0.0.1:6379/1",
        EMAIL_URL="smtp+tls://pps:secret@smtp.example.org:587",
        PPS_DEMO_MODE="false",
    )
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args, **changes) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own manage.py, arguments from this file)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=good_production_env(**changes),
        capture_output=True,
        text=True,
        timeout=120,
    )


def check(**changes) -> subprocess.CompletedProcess:
    return manage("check", "--deploy", "--fail-level", "ERROR", **changes)


def test_a_good_production_environment_passes_check_deploy_with_no_errors():
    result = check()
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr
    assert "pps.E" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"EMAIL_URL": None}, "pps.E001"),
        (
            {
                "EMAIL_URL": None,
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            },
            "pps.E001",
        ),
        (
            {
                "EMAIL_URL": None,
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            },
            "pps.E001",
        ),
        ({"PPS_DEMO_MODE": "true"}, "pps.E002"),
        ({"DJANGO_SECRET_KEY": None}, "pps.E003"),
        ({"DJANGO_SECRET_KEY": "insecure-key-for-local-trial-only"}, "pps.E003"),
        ({"DJANGO_SECRET_KEY": "short-but-random-9f8e7d"}, "pps.E003"),
        ({"CACHE_URL": None}, "pps.E004"),
        ({"CACHE_URL": "locmemcache://"}, "pps.E004"),
        ({"CACHE_URL": "dummycache://"}, "pps.E004"),
        ({"DJANGO_DEBUG": "true"}, "pps.E005"),
    ],
    ids=[
        "no-mail-server",
        "console-email",
        "locmem-email",
        "demo-mode",
        "no-secret-key",
        "trial-secret-key",
        "short-secret-key",
        "default-cache",
        "locmem-cache",
        "dummy-cache",
        "debug",
    ],
)
def test_an_unsafe_production_setting_is_an_error_that_stops_the_start(changes, error):
    result = check(**changes)
    assert result.returncode != 0
    assert error in result.stderr
    # An error, not a warning: plain `check` (run by migrate and runserver) stops too.
    plain = manage("check", **changes)
    assert plain.returncode != 0
    assert error in plain.stderr


def test_the_checks_say_nothing_outside_production():
    result = manage(
        "check",
        PPS_PRODUCTION="false",
        DJANGO_SECRET_KEY=None,
        CACHE_URL=None,
        EMAIL_URL=None,
        PPS_DEMO_MODE="true",
    )
    assert result.returncode == 0, result.stderr
    assert "pps.E" not in result.stderr


def test_load_demo_refuses_to_run_in_production():
    result = manage("load_demo", "--years", "0")
    assert result.returncode != 0
    assert "never loaded in production" in result.stderr


def _setting(expression: str, **changes) -> str:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print({expression})",
        **changes,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_x_forwarded_proto_is_trusted_only_behind_a_declared_proxy():
    assert _setting("settings.SECURE_PROXY_SSL_HEADER") == "None"
    assert (
        _setting("settings.SECURE_PROXY_SSL_HEADER", PPS_BEHIND_PROXY="true")
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_production_keeps_checked_database_connections_and_a_redis_cache():
    database = "settings.DATABASES['default']"
    assert _setting(f"{database}['CONN_MAX_AGE'], {database}['CONN_HEALTH_CHECKS']") == "60 True"
    assert (
        _setting("settings.CACHES['default']['BACKEND']")
        == "django.core.cache.backends.redis.RedisCache"
    )
    assert (
        _setting(
            f"{database}['CONN_MAX_AGE'], {database}['CONN_HEALTH_CHECKS']", PPS_PRODUCTION="false"
        )
        == "0 False"
    )
