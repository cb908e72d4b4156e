"""Two people pressing the same button at the same moment (double submits).

Each request runs in its own thread with its own test Client and its own database
connection, and both are released together by a barrier, so they really overlap.
Only PostgreSQL shows what production does: SQLite serialises writers and ignores
select_for_update, so these tests skip there, saying why.
"""

import threading

import pytest
from django.db import connection, connections

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
