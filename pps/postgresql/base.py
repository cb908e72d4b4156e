"""A persistent connection is checked before reuse only when it has been idle a while.

With `CONN_HEALTH_CHECKS`, Django sends `SELECT 1` before the first query of every request
that reuses a connection: a round trip and a cursor a page (bench/README.md measured the
load test with and without it). A connection that served the previous request worked for
that request's queries (after a database error Django checks it as the request ends, and
drops it if broken). If that request ended less than `PPS_DATABASE_HEALTH_CHECK_AFTER`
seconds ago (1 by default; 0 checks every time, as Django does), the check is skipped.

What is given up: a connection broken in that second (the database restarted, a
connection killed) fails the one request that uses it next, with a server error, instead
of being replaced before it. Django then finds it unusable at the end of that request and
drops it, as it does without health checks. docs/decisions/0025-health-check-once-a-second.md.
"""

import time

from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    # monotonic time at which a request that used this connection ended; None until one has
    _proven_at = None

    def connect(self):
        self._proven_at = None
        super().connect()

    def close_if_unusable_or_obsolete(self):
        # Called as each request starts and ends. `health_check_done` is true here when
        # the request checked or opened the connection before its first query, so the
        # connection served it. After a database error Django checks the connection below
        # and closes it if it is broken (connect() then forgets this time).
        if self.connection is not None and self.health_check_done:
            self._proven_at = time.monotonic()
        super().close_if_unusable_or_obsolete()

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._proven_at is not None
            and time.monotonic() - self._proven_at < settings.PPS_DATABASE_HEALTH_CHECK_AFTER
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
