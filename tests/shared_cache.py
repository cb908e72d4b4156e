"""The Redis database a test may use as the production cache (127.0.0.1:6379).

Each pytest-xdist worker gets its own Redis database (15, 14, ...): clearing a cache empties
a whole database, so two workers sharing one would clear each other's counts mid-test.
"""

import os


def redis_url() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"redis://127.0.0.1:6379/{15 - int(worker.removeprefix('gw'))}"
