"""Content-Security-Policy and Permissions-Policy on every response, and no inline script or
style in any page, so that the policy can forbid them (docs/architecture.md)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from evaluations import links
from tests import factories
from tests.test_access_matrix import RULES, build_world

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
FEATURES_OFF = ["camera", "microphone", "geolocation", "payment", "usb"]


def directives(header: str) -> dict[str, set[str]]:
    policy = {}
    for part in header.split(";"):
        name, *sources = part.split()
        policy[name] = set(sources)
    return policy


def assert_secure_headers(headers, where):
    assert "Content-Security-Policy" in headers, where
    policy = directives(headers["Content-Security-Policy"])
    for name, sources in EXPECTED_CSP.items():
        assert policy.get(name) == sources, f"{where}: {name} is {policy.get(name)}"
    for name, sources in policy.items():
        assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "*"}, f"{where}: {name}"
    features = headers.get("Permissions-Policy", "")
    for feature in FEATURES_OFF:
        assert f"{feature}=()" in features, f"{where}: {feature} not turned off"


def test_every_kind_of_response_carries_the_policies(client, team):
    world = build_world(team)
    _sending, token = factories.send_form(team.service, team.officer, case=world.case)
    anonymous = {
        "sign-in page": reverse("login"),
        "public evaluation link": reverse(
            "evaluations:answer", args=[team.service.pk, links.grouped(token)]
        ),
        "unusable evaluation link (404)": reverse(
            "evaluations:answer", args=[team.service.pk, "abcd-efgh-jkmn-pqrs"]
        ),
        "redirect to sign in": reverse("casework:my-work"),
    }
    for where, url in anonymous.items():
        assert_secure_headers(client.get(url).headers, where)

    client.force_login(team.coordinator)
    signed_in = {
        "signed-in page": reverse("casework:case-detail", args=[world.case.pk]),
        "CSV export": reverse("casework:feedback-export"),
        "unknown address (404)": "/no-such-page/",
        "refused page (403)": reverse("volunteers:my-returns"),
    }
    for where, url in signed_in.items():
        response = client.get(url)
        assert response.status_code in (200, 403, 404), where
        assert_secure_headers(response.headers, where)


# Run in a fresh interpreter: settings are read once, from the environment, at start-up.
PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Production's static storage needs collectstatic first; the headers do not depend on it.
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client()
seen = {}
with override_settings(STORAGES=storages):
    for where, url in [("sign-in page", "/accounts/login/"), ("unknown address", "/nowhere/")]:
        response = client.get(url, secure=True)
        seen[where] = {"status": response.status_code, "headers": dict(response.headers)}
print(json.dumps(seen))
"""


def test_the_production_settings_send_the_policies(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pps.settings",
        "PPS_PRODUCTION": "true",
        "PPS_DEMO_MODE": "false",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and probe, no outside input
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    for where, response in seen.items():
        assert response["status"] in (200, 302, 404), (where, response["status"])
        assert_secure_headers(response["headers"], f"production {where}")


# What the policy refuses: <style> blocks, style="" attributes, scripts written into the page
# and on...= event handler attributes.
INLINE = re.compile(
    r"<style[\s>]|<[a-z][^>]*\sstyle\s*=|<script(?![^>]*\ssrc=)[^>]*>|<[a-z][^>]*\son[a-z]+\s*=",
    re.IGNORECASE,
)


def test_no_page_has_inline_script_or_style(client, team):
    """Every named page, as the coordinator and the volunteer see it (between them they see
    every page a browser shows)."""
    world = build_world(team)
    _sending, token = factories.send_form(team.service, team.officer, case=world.case)
    urls = [
        (name, reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs))
        for name, rule in sorted(RULES.items())
    ]
    public = reverse("evaluations:answer", args=[team.service.pk, links.grouped(token)])
    found = []
    for who, user in [
        ("anonymous", None),
        ("coordinator", team.coordinator),
        ("volunteer", team.volunteer),
    ]:
        client.logout()
        if user:
            client.force_login(user)
        for name, url in [*urls, ("public evaluation link", public)]:
            response = client.get(url)
            if "html" not in response.get("Content-Type", "") or response.streaming:
                continue
            for match in INLINE.finditer(response.content.decode()):
                found.append(f"{who} {name}: {match.group(0)[:80]}")
    assert not found, "inline script or style:\n" + "\n".join(found)
