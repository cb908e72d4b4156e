"""Two-factor sign-in: password, then a code, for every signed-in user, through HTTP.

These tests use a plain django.test.Client: the suite's `client` fixture enters the second
factor on force_login (tests/factories.py), which is exactly what is under test here.
"""

import re
from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import segno
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pps.models import AccessLog, User
from pps.roles import Role
from tests import factories
from tests.test_access_matrix import RULES, build_world

pytestmark = pytest.mark.django_db

VERIFY = reverse("two-factor-verify")
SET_UP = reverse("two-factor-setup")

# Pages open before the code is entered: signing in and out, the two-factor pages
# themselves, and public pages that need no account at all.
OPEN_BEFORE_THE_CODE = {
    "login",
    "logout",
    "two-factor-verify",
    "two-factor-setup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "evaluations:answer",
    "evaluations:answered",
}


def _sign_in_with_password(client, user, password=factories.PASSWORD, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": password}, **extra)


def _code_for(user) -> str:
    return factories.current_code(TOTPDevice.objects.get(user=user, confirmed=True))


def test_every_page_sends_an_unverified_session_to_the_code_page(team):
    world = build_world(team)
    # The check does not depend on the role (pps.middleware.SecondFactorMiddleware); the
    # coordinator reaches the most pages, so a page that slipped through would show.
    user = team.coordinator
    factories.authenticator(user)
    client = Client()
    client.force_login(user)
    wrong = []
    for name, rule in sorted(RULES.items()):
        if name in OPEN_BEFORE_THE_CODE:
            continue
        url = reverse(name, kwargs=rule.args(world) if rule.args else rule.kwargs)
        for method in (client.get, client.post):
            response = method(url)
            want = f"{VERIFY}?{urlencode({'next': url})}"
            if response.status_code != 302 or response["Location"] != want:
                wrong.append(f"{method.__name__.upper()} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_a_refused_post_before_the_code_changes_nothing(team):
    case = factories.open_case(team.service, team.officer)
    factories.authenticator(team.officer)
    client = Client()
    client.force_login(team.officer)
    response = client.post(
        reverse("casework:case-close", args=[case.pk]),
        {"on": timezone.localdate().isoformat(), "reason": "resolved", "outcome": "resolved"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    case.refresh_from_db()
    assert case.is_open


def test_a_user_without_a_second_factor_is_sent_to_set_one_up(team):
    client = Client()
    client.force_login(team.volunteer)
    returns = reverse("volunteers:my-returns")
    response = client.get(returns)
    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?{urlencode({'next': returns})}"
    # The code page also sends them to set up, as there is no device to ask.
    assert client.get(VERIFY)["Location"].startswith(SET_UP)


def test_superusers_need_the_second_factor_for_the_admin(db):
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    factories.authenticator(admin)
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": _code_for(admin), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_signing_in_takes_the_password_then_the_code(team):
    factories.authenticator(team.officer)
    client = Client()
    signed_in = _sign_in_with_password(client, team.officer)
    assert signed_in.status_code == 302
    my_work = reverse("casework:my-work")
    assert client.get(my_work)["Location"] == f"{VERIFY}?{urlencode({'next': my_work})}"

    page = client.get(VERIFY, {"next": my_work})
    assert page.status_code == 200
    assert '<html lang="en-GB">' in page.content.decode()
    assert 'autocomplete="one-time-code"' in page.content.decode()

    wrong = client.post(VERIFY, {"code": "000000", "next": my_work})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert client.get(my_work).status_code == 302
    # Each wrong code makes the next try wait longer (1 s, 2 s, 4 s, ...).
    device = TOTPDevice.objects.get(user=team.officer)
    too_soon = client.post(VERIFY, {"code": _code_for(team.officer), "next": my_work})
    assert "wait a few seconds" in too_soon.content.decode()
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(minutes=1)
    device.save()

    # Codes are often read out in two halves; spaces do not matter.
    code = _code_for(team.officer)
    right = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}", "next": my_work})
    assert right.status_code == 302
    assert right["Location"] == my_work
    assert client.get(my_work).status_code == 200


def test_the_code_page_never_sends_a_user_to_another_site(team):
    factories.authenticator(team.officer)
    client = Client()
    _sign_in_with_password(client, team.officer)
    right = client.post(
        VERIFY, {"code": _code_for(team.officer), "next": "https://evil.example/phish"}
    )
    assert right["Location"] == reverse("home")


def test_a_code_works_once(team):
    factories.authenticator(team.officer)
    code = _code_for(team.officer)
    first = Client()
    _sign_in_with_password(first, team.officer)
    assert first.post(VERIFY, {"code": code})["Location"] == reverse("home")
    second = Client()
    _sign_in_with_password(second, team.officer)
    replayed = second.post(VERIFY, {"code": code})
    assert replayed.status_code == 200
    assert "That code is not right" in replayed.content.decode()


def test_setting_up_shows_a_qr_code_and_the_key_then_ten_backup_codes_once(team):
    client = Client()
    _sign_in_with_password(client, team.support)
    my_work = reverse("casework:my-work")
    assert client.get(my_work)["Location"].startswith(SET_UP)

    page = client.get(SET_UP, {"next": my_work})
    html = page.content.decode()
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=team.support, confirmed=False)
    # The QR code is an image of the device's otpauth:// address, nothing marked safe.
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)
    assert f'src="{escape(qr)}"' in html
    secret = b32encode(device.bin_key).decode()
    shown = re.search(r'<code class="fs-5" id="secret-key">([^<]+)</code>', html).group(1)
    assert shown.replace(" ", "") == secret
    # Reloading the page keeps the same secret (the app may already hold it).
    again = client.get(SET_UP).content.decode()
    assert re.search(r'id="secret-key">([^<]+)<', again).group(1) == shown

    wrong = client.post(SET_UP, {"code": "123456", "next": my_work})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=team.support, confirmed=True).exists()
    too_soon = client.post(SET_UP, {"code": factories.current_code(device), "next": my_work})
    assert "wait a few seconds" in too_soon.content.decode()
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(minutes=1)
    device.save()

    done = client.post(SET_UP, {"code": factories.current_code(device), "next": my_work})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10 == len(set(codes))
    stored = StaticToken.objects.filter(device__user=team.support)
    assert sorted(stored.values_list("token", flat=True)) == sorted(codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # The session has entered its code; the set-up page is closed now (shown only once).
    assert client.get(my_work).status_code == 200
    assert client.get(SET_UP)["Location"].startswith(reverse("home"))


def test_a_backup_code_signs_in_once(team):
    factories.authenticator(team.coordinator)
    backup = StaticDevice.objects.create(user=team.coordinator, name="Backup codes")
    backup.token_set.create(token="abcd2345")
    backup.token_set.create(token="wxyz6789")
    client = Client()
    _sign_in_with_password(client, team.coordinator)
    # Typed in capitals, as people copy them off paper.
    assert client.post(VERIFY, {"code": "ABCD2345"})["Location"] == reverse("home")
    assert list(backup.token_set.values_list("token", flat=True)) == ["wxyz6789"]

    client.post(reverse("logout"))
    _sign_in_with_password(client, team.coordinator)
    spent = client.post(VERIFY, {"code": "abcd2345"})
    assert spent.status_code == 200
    assert "That code is not right" in spent.content.decode()


def test_every_request_reads_again_the_device_its_session_entered_a_code_with(team, other_team):
    """pps.middleware.SecondFactorDeviceMiddleware, with its query compiled once per
    process: a backup code's device counts as an authenticator does; another user's device,
    or one no longer confirmed, counts for nothing and the session forgets it."""
    factories.authenticator(team.officer)
    backup = StaticDevice.objects.create(user=team.officer, name="Backup codes")
    backup.token_set.create(token="abcd2345")
    client = Client()
    _sign_in_with_password(client, team.officer)
    client.post(VERIFY, {"code": "abcd2345"})
    my_work = reverse("casework:my-work")
    assert client.session[DEVICE_ID_SESSION_KEY] == backup.persistent_id
    assert client.get(my_work).status_code == 200

    for device in (
        factories.authenticator(other_team.officer),
        TOTPDevice.objects.create(user=team.officer, name="Not confirmed", confirmed=False),
    ):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        assert client.get(my_work)["Location"].startswith(VERIFY)
        assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_page_reads_the_signed_in_user_itself_with_the_device_entered(team):
    """pps.middleware.IdleTimeoutMiddleware hands on the user behind Django's and
    django-otp's lazy proxies, with what django-otp sets on it; signed out, the anonymous
    user, and a user signed in without a code still sent to enter one."""
    device = factories.authenticator(team.officer)
    client = Client()
    my_work = reverse("casework:my-work")
    page = client.get(my_work)
    assert type(page.wsgi_request.user) is AnonymousUser
    _sign_in_with_password(client, team.officer)
    assert client.get(my_work)["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": _code_for(team.officer)})
    page = client.get(my_work)
    assert page.status_code == 200
    user = page.wsgi_request.user
    assert type(user) is User and user.pk == team.officer.pk
    assert user.otp_device == device and user.is_verified()


def test_a_coordinator_resets_a_colleagues_second_factor(team):
    factories.authenticator(team.officer)
    StaticDevice.objects.create(user=team.officer, name="Backup codes")
    officer = factories.VerifiedClient()
    officer.force_login(team.officer)
    my_work = reverse("casework:my-work")
    assert officer.get(my_work).status_code == 200

    coordinator = factories.VerifiedClient()
    coordinator.force_login(team.coordinator)
    accounts = coordinator.get(reverse("staff-accounts"))
    assert accounts.status_code == 200
    reset_url = reverse("reset-second-factor", args=[team.officer.pk])
    assert reset_url in accounts.content.decode()

    response = coordinator.post(reset_url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=team.officer).exists()
    assert not StaticDevice.objects.filter(user=team.officer).exists()
    assert TOTPDevice.objects.filter(pk=factories.authenticator(team.coordinator).pk).exists()
    logged = AccessLog.objects.get(action=AccessLog.Action.RESET_SECOND_FACTOR)
    assert (logged.user, logged.service, logged.object_type, logged.object_id) == (
        team.coordinator,
        team.service,
        "user",
        team.officer.pk,
    )
    assert (
        "second factor has been reset"
        in coordinator.get(reverse("staff-accounts")).content.decode()
    )
    # The officer's open session entered its code with the deleted device: set up again.
    assert officer.get(my_work)["Location"].startswith(SET_UP)


def test_a_coordinator_cannot_reset_another_services_user(team, other_team):
    device = factories.authenticator(other_team.officer)
    coordinator = factories.VerifiedClient()
    coordinator.force_login(team.coordinator)
    response = coordinator.post(reverse("reset-second-factor", args=[other_team.officer.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.RESET_SECOND_FACTOR).exists()
    page = coordinator.get(reverse("staff-accounts")).content.decode()
    assert other_team.officer.username not in page


@pytest.mark.parametrize("role", [Role.CASE_OFFICER, Role.ADMIN_SUPPORT, Role.STEERING])
def test_only_coordinators_reset_a_second_factor(team, role):
    device = factories.authenticator(team.officer)
    client = factories.VerifiedClient()
    client.force_login(team.by_role(role))
    response = client.post(reverse("reset-second-factor", args=[team.officer.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_demo_accounts_skip_the_second_factor_only_in_demo_mode(team, settings):
    demo_officer = factories.UserFactory(
        username="officer", service=team.service, role=Role.CASE_OFFICER
    )
    my_work = reverse("casework:my-work")
    settings.DEMO_MODE = True
    client = Client()
    _sign_in_with_password(client, demo_officer)
    assert client.get(my_work).status_code == 200
    # The same account on an installation not in demo mode must set up a second factor.
    settings.DEMO_MODE = False
    assert client.get(my_work)["Location"].startswith(SET_UP)
    # Demo mode exempts only the demo accounts' names.
    settings.DEMO_MODE = True
    other = Client()
    _sign_in_with_password(other, team.officer)
    assert other.get(my_work)["Location"].startswith(SET_UP)
