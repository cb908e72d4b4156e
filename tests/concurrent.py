"""Two people pressing the same button at the same moment (double submits).

Each request runs in its own thread with its own test Client and its own database
connection, and both are released together by a barrier, so they really overlap.
Only PostgreSQL shows what production does: SQLite serialises writers and ignores
select_for_update, so these tests skip there, saying why.
"""

import threading

import pytest
from django.db import connection, connections
from django_scopes import scopes_disabled

from tests.factories import VerifiedClient, authenticator

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="CONCURRENCY NOT TESTED: double submits are only meaningful on PostgreSQL "
    "(SQLite serialises writers and ignores row locks); run with DATABASE_URL=postgres://...",
)


def post_at_once(user, url: str, data: dict, *, times: int = 2) -> list[int]:
    """POST `data` to `url` as `user` from `times` threads at once; their status codes."""
    # Signed in as a person is, with a second factor: the device exists before the threads.
    authenticator(user)
    barrier = threading.Barrier(times, timeout=30)
    statuses: list[int | str] = [None] * times

    def submit(index):
        try:
            client = VerifiedClient(raise_request_exception=False)
            client.force_login(user)
            barrier.wait()
            statuses[index] = client.post(url, data).status_code
        except Exception as error:
            statuses[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def overlap(first, second, *, hold_at, wait: float = 1.5) -> list:
    """Run `first()` and, while it is inside its transaction, `second()`; their outcomes.

    Each runs in its own thread with its own database connection. `first` is held at the
    first of the `hold_at` signals ((signal, sender) pairs, say (pre_save, Case): a point
    after its lock and its checks, before its write) until `second` reaches one of them
    too (or ends), or `wait` seconds pass. With the row lock in place `second` is blocked in the
    database, so `first` waits out `wait` and commits before `second` reads; without the
    lock `second` reads the same uncommitted state and both write: the race the lock
    prevents happens every time, not once in a thousand runs.

    An outcome is the callable's return value or the exception it raised.
    """
    first_holding, second_arrived = threading.Event(), threading.Event()
    roles: dict[int, str] = {}
    outcomes: list = [None, None]

    def hook(**kwargs):
        role = roles.get(threading.get_ident())
        if role == "first" and not first_holding.is_set():
            first_holding.set()
            second_arrived.wait(wait)
        elif role == "second":
            second_arrived.set()

    def run(index, role, action):
        roles[threading.get_ident()] = role
        try:
            with scopes_disabled():
                outcomes[index] = action()
        except Exception as error:
            outcomes[index] = error
        finally:
            first_holding.set()  # never leave the main thread waiting for a hold that failed
            if role == "second":
                second_arrived.set()  # a second that never saves has arrived when it ends
            connections.close_all()

    for signal, sender in hold_at:
        signal.connect(hook, sender=sender, weak=False, dispatch_uid=f"overlap-{id(hook)}")
    try:
        one = threading.Thread(target=run, args=(0, "first", first))
        two = threading.Thread(target=run, args=(1, "second", second))
        one.start()
        assert first_holding.wait(30), "the first action never reached its hold point"
        two.start()
        one.join(60)
        two.join(60)
    finally:
        for signal, sender in hold_at:
            signal.disconnect(hook, sender=sender, dispatch_uid=f"overlap-{id(hook)}")
    return outcomes
