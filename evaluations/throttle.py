"""Rate limit on the public evaluation links: guessing tokens gets nowhere.

Every request to the answer page that names no usable link counts against the client's
address; past LIMIT in WINDOW seconds the address gets "429 Too many requests" for every
link, even a good one, until the window ends. Counts live in the cache (settings.CACHES).
"""

from django.core.cache import cache

LIMIT = 10
WINDOW = 15 * 60


def _key(request) -> str:
    # REMOTE_ADDR, not X-Forwarded-For: a client can write any forwarded address it likes.
    return f"evaluation-link-failures:{request.META.get('REMOTE_ADDR', '')}"


def is_blocked(request) -> bool:
    return cache.get(_key(request), 0) >= LIMIT


def count_failure(request) -> None:
    key = _key(request)
    if cache.add(key, 1, WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: start a new window.
        cache.add(key, 1, WINDOW)
