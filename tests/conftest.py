"""Shared fixtures: two services, and a user in every role in each (CONVENTIONS.md)."""

from dataclasses import dataclass

import pytest
from django_scopes import scopes_disabled

from pps.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def _no_scope_in_test_code():
    """Test code reads across services freely; requests still run in their user's scope."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests make a dozen users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Team:
    service: object
    officer: object
    coordinator: object
    support: object
    volunteer: object
    steering: object
    volunteer_record: object
    # Network analysts compare services and belong to none (pps.models.User).
    analyst: object

    def by_role(self, role):
        return {
            Role.CASE_OFFICER: self.officer,
            Role.COORDINATOR: self.coordinator,
            Role.ADMIN_SUPPORT: self.support,
            Role.VOLUNTEER: self.volunteer,
            Role.STEERING: self.steering,
            Role.NETWORK_ANALYST: self.analyst,
        }[role]


def make_team(name):
    service = factories.make_service(name=name)

    def user(role, username):
        return factories.UserFactory(service=service, role=role, username=username)

    slug = name.split()[0].lower()
    volunteer_user = user(Role.VOLUNTEER, f"{slug}-volunteer")
    return Team(
        service=service,
        officer=user(Role.CASE_OFFICER, f"{slug}-officer"),
        coordinator=user(Role.COORDINATOR, f"{slug}-coordinator"),
        support=user(Role.ADMIN_SUPPORT, f"{slug}-support"),
        volunteer=volunteer_user,
        steering=user(Role.STEERING, f"{slug}-steering"),
        volunteer_record=factories.make_volunteer(service, user=volunteer_user),
        analyst=factories.UserFactory(
            service=None, role=Role.NETWORK_ANALYST, username=f"{slug}-analyst"
        ),
    )


@pytest.fixture
def team(db):
    return make_team("Northshire PPS")


@pytest.fixture
def other_team(db):
    return make_team("Southshire PPS")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache; every test starts with none counted.
    from django.core.cache import cache

    cache.clear()
    yield
