"""Sign-in throttling through HTTP: per account and address, per account, per address.

Limits (pps/settings.py): 10 failures for one account from one address, 30 for one account
from anywhere, 30 from one address against any accounts, each for an hour.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def _sign_in(user_or_name, password, address):
    username = getattr(user_or_name, "username", user_or_name)
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _refused(response) -> bool:
    return response.status_code == 429 and "Too many failed sign-ins" in response.content.decode()


def test_guessing_from_one_address_locks_that_address_for_that_account_only(team):
    for attempt in range(9):
        assert _sign_in(team.officer, f"guess {attempt}", "198.51.100.7").status_code == 200
    # The tenth failure is answered with the lockout page, as is everything after it.
    assert _refused(_sign_in(team.officer, "guess 9", "198.51.100.7"))
    assert _refused(_sign_in(team.officer, factories.PASSWORD, "198.51.100.7"))
    # One attacker alone cannot lock the officer out: from the office it still works,
    assert _sign_in(team.officer, factories.PASSWORD, "203.0.113.10").status_code == 302
    # and the attacker's address may still be used by a colleague (a shared connection).
    assert _sign_in(team.support, factories.PASSWORD, "198.51.100.7").status_code == 302


def test_guessing_one_account_from_many_addresses_locks_the_account(team):
    for attempt in range(29):
        address = f"198.51.100.{attempt + 1}"
        assert _sign_in(team.officer, f"guess {attempt}", address).status_code == 200
    # Below the account's limit the right password still works from a new address...
    assert _sign_in(team.coordinator, factories.PASSWORD, "203.0.113.10").status_code == 302
    assert _refused(_sign_in(team.officer, "guess 29", "198.51.100.30"))
    # ...at the limit the account is locked from every address, even with the password.
    for address in ("198.51.100.31", "203.0.113.10"):
        assert _refused(_sign_in(team.officer, factories.PASSWORD, address))
    # Other accounts are not affected.
    assert _sign_in(team.coordinator, factories.PASSWORD, "203.0.113.10").status_code == 302


def test_one_address_trying_many_accounts_is_locked(team):
    for attempt in range(29):
        response = _sign_in(f"someone{attempt}", "password1", "198.51.100.99")
        assert response.status_code == 200
    assert _refused(_sign_in("someone29", "password1", "198.51.100.99"))
    assert _refused(_sign_in(team.officer, factories.PASSWORD, "198.51.100.99"))
    assert _refused(_sign_in("someone-else", "password1", "198.51.100.99"))
    # The same accounts from another address are fine.
    assert _sign_in(team.officer, factories.PASSWORD, "203.0.113.10").status_code == 302


def test_the_lockout_page_has_the_language_and_says_what_to_do(team, settings):
    settings.AXES_FAILURE_LIMIT = 1
    _sign_in(team.officer, "guess", "198.51.100.7")
    response = _sign_in(team.officer, "guess", "198.51.100.7")
    assert _refused(response)
    html = response.content.decode()
    assert '<html lang="en-GB">' in html
    assert "Ask your coordinator" in html


def test_behind_a_proxy_the_forwarded_address_is_counted_not_the_proxys(team, settings):
    settings.PPS_TRUSTED_PROXIES = 1

    def via_proxy(user, password, forwarded):
        return Client().post(
            LOGIN,
            {"username": user.username, "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for attempt in range(10):
        via_proxy(team.officer, f"guess {attempt}", "198.51.100.7")
    assert _refused(via_proxy(team.officer, factories.PASSWORD, "198.51.100.7"))
    # A colleague behind the same proxy is not locked out with the attacker,
    assert via_proxy(team.officer, factories.PASSWORD, "203.0.113.10").status_code == 302
    # and a forged left-hand entry does not move the attacker to a fresh address.
    forged = via_proxy(team.officer, factories.PASSWORD, "203.0.113.99, 198.51.100.7")
    assert _refused(forged)


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(team):
    for attempt in range(10):
        Client().post(
            LOGIN,
            {"username": team.officer.username, "password": f"guess {attempt}"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}",
        )
    assert _refused(_sign_in(team.officer, factories.PASSWORD, "198.51.100.7"))
