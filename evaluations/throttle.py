"""Rate limit on the public evaluation links: guessing tokens gets nowhere, and a parent
with a good link is never turned away.

Every request to the answer page that names no usable link counts against the client's
address; past LIMIT in WINDOW seconds the address gets "429 Too many requests" for links
that cannot be used, until the window ends. A usable link is looked up first (one indexed
query on its hash) and always answered: many parents share one address (a school, a library,
a mobile network's gateway), and one person's mistyped letters must not lock the others out
of theirs. A guesser gains nothing from this: a right guess is the thing the limit exists to
make impossible, and wrong guesses past the limit all get the same 429.

Counts live in the default cache, which production requires to be shared between server
processes (Redis, CACHE_URL=redis://...; see pps/checks.py).
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
