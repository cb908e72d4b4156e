"""Changing one's own password, and resetting a forgotten one by email, through HTTP."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-new-passphrase-42"


def _password_signs_in(user, password) -> bool:
    response = Client().post(reverse("login"), {"username": user.username, "password": password})
    return response.status_code == 302


def test_the_header_links_to_changing_the_password(client, team):
    client.force_login(team.volunteer)
    page = client.get(reverse("casework:my-allocated-cases")).content.decode()
    assert f'href="{reverse("password_change")}"' in page


def test_a_user_changes_their_own_password(client, team):
    client.force_login(team.officer)
    url = reverse("password_change")
    page = client.get(url)
    assert page.status_code == 200
    assert '<html lang="en-GB">' in page.content.decode()

    wrong_old = client.post(
        url,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong_old.status_code == 200
    assert list(wrong_old.context["form"].errors) == ["old_password"]

    too_short = client.post(
        url,
        {"old_password": factories.PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert too_short.status_code == 200
    assert "new_password2" in too_short.context["form"].errors
    assert _password_signs_in(team.officer, factories.PASSWORD)

    done = client.post(
        url,
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_change_done")
    # The session that changed it stays signed in (and verified); the old password is gone.
    assert client.get(done["Location"]).status_code == 200
    assert client.get(reverse("casework:my-work")).status_code == 200
    assert not _password_signs_in(team.officer, factories.PASSWORD)
    assert _password_signs_in(team.officer, NEW_PASSWORD)


def test_the_reset_page_says_the_same_whether_or_not_the_address_exists(team):
    team.officer.email = "officer@northshire.example"
    team.officer.save()
    client = Client()
    known = client.post(reverse("password_reset"), {"email": "officer@northshire.example"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@northshire.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer@northshire.example"]
    assert mail.outbox[0].subject == "Set a new password for PPS casework"


def test_a_forgotten_password_is_reset_through_the_emailed_link(team):
    team.officer.email = "officer@northshire.example"
    team.officer.save()
    client = Client()
    client.post(reverse("password_reset"), {"email": "officer@northshire.example"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    assert "Set a new password" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    assert _password_signs_in(team.officer, NEW_PASSWORD)
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "This link does not work" in again.content.decode()
