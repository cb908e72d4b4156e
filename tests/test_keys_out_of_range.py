"""A record's key typed into a URL past what a column can hold (20 digits): every page that
takes a key answers as for a key that does not exist (404, or the refusal or redirect its
rules give), never a server error (pps/prepared.py: such a key goes through the ORM, which
finds nothing, instead of the compiled SQL that PostgreSQL would refuse)."""

import pytest
from django.urls import converters, reverse

from pps.roles import Role
from tests.test_access_matrix import url_patterns

pytestmark = pytest.mark.django_db

HUGE = 10**20


def _pages_of_keys():
    """(name, kwargs) of every named pattern, the admin's aside, whose parameters are all
    integers."""
    found = []
    for name, pattern in url_patterns():
        kinds = getattr(pattern.pattern, "converters", {})
        if not name or name.startswith("admin:") or not kinds:
            continue
        if all(isinstance(kind, converters.IntConverter) for kind in kinds.values()):
            found.append((name, dict.fromkeys(kinds, HUGE)))
    return found


def test_a_key_past_bigint_is_a_missing_record_on_every_page(client, team):
    pages = _pages_of_keys()
    assert len(pages) > 40
    answers = {}
    for role in (Role.COORDINATOR, Role.CASE_OFFICER, Role.VOLUNTEER, Role.STEERING):
        client.force_login(team.by_role(role))
        for name, kwargs in pages:
            status = client.get(reverse(name, kwargs=kwargs)).status_code
            answers[role, name] = status
    assert {key: status for key, status in answers.items() if status >= 500} == {}
    assert answers[Role.COORDINATOR, "casework:case-detail"] == 404
