"""The SQLite demo: two people writing at the same moment wait for each other instead of
failing with "database is locked" (pps/settings.py, the SQLite OPTIONS).

Each run starts a fresh Python with DATABASE_URL pointing at a temporary SQLite file, so the
settings under test are the ones the demo really uses, not the test database's.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Two threads each open a transaction, read, wait for the other to have read too, then
# write: the pattern of two sign-ins (read the user, then write the session and the access
# log). With SQLite's default deferred transactions the second writer cannot upgrade its
# read lock and fails at once with "database is locked", whatever the timeout.
TWO_WRITERS = """
import threading
import django
from django.db import connection, transaction

django.setup()
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE sign_in (id INTEGER PRIMARY KEY, who TEXT)")
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
connection.close()

barrier = threading.Barrier(2, timeout=2)
errors = []

def sign_in(who):
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sign_in")
                try:
                    barrier.wait()
                except threading.BrokenBarrierError:
                    # With IMMEDIATE the second thread waits for the first's write lock
                    # before it can read: that wait is the fix, not a failure.
                    pass
                cursor.execute("INSERT INTO sign_in (who) VALUES (%s)", [who])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=sign_in, args=(name,)) for name in ("amina", "ben")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM sign_in")
    print("rows", cursor.fetchone()[0])
print("errors", errors)
"""


def test_two_writers_at_once_on_sqlite_both_succeed(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "pps.settings",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", TWO_WRITERS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["journal wal", "rows 2", "errors []"]
