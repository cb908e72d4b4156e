"""Shared fixtures: two services, and a user in every role in each (docs/testing.md)."""

import datetime as dt
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scopes_disabled

from pps.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def _no_scope_in_test_code():
    """Test code reads across services freely; requests still run in their user's scope."""
    with scopes_disabled():
        yield


@pytest.fixture
def client():
    """pytest-django's client, but force_login also enters the second factor (factories.py)."""
    return factories.VerifiedClient()


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


# The clock option (docs/testing.md, "Running the suite at a date"): `--today=2027-03-31`
# or PPS_TEST_TODAY=2027-03-31 runs the whole session as if it were that day, from 12:00
# London time with the clock ticking on, so that period edges (31 March, 1 April, 31 August,
# 1 September) are tried before a real calendar reaches them.
_travel = None


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        default=os.environ.get("PPS_TEST_TODAY") or None,
        help="run the session as if today were this date (YYYY-MM-DD), from 12:00 London time",
    )


def pytest_configure(config):
    global _travel
    value = config.getoption("--today", default=None)
    if not value:
        return
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        message = f"--today / PPS_TEST_TODAY: {value!r} is not a YYYY-MM-DD date"
        raise pytest.UsageError(message) from None
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo("Europe/London"))
    # Started here, not in a fixture, so that collection (parametrize lists built from
    # today's date) already sees the chosen day.
    _travel = time_machine.travel(noon, tick=True)
    _travel.start()


def pytest_unconfigure(config):
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def pytest_report_header(config):
    if _travel is not None:
        return f"clock: {dt.datetime.now(ZoneInfo('Europe/London')):%A %d %B %Y %H:%M} London"
    return None
