"""The address of a record's page, reversed once per process rather than once per row.

A page that lists many records links each to its page, and `reverse()` (or `{% url %}`)
costs about 20 microseconds a call on the 2-core server, much of it asking for the active
language: My work made over a hundred such calls for a busy officer (issue 11).
`record_url("casework:case-detail", pk)`, or `record_urls` for a list's rows, reverses the
route once with a marker in place of the key, keeps the text on either side, and puts each
record's key between them: the same address as `reverse(viewname, args=[pk])`. It is for
routes whose one argument is an integer key (`<int:pk>`); anything else (a string, a bool,
a negative number) goes to `reverse()` itself.

What is kept depends on the route, the URLconf, the script prefix (a server mounted under a
path) and the language, which are all part of the key; it is forgotten whenever a setting
changes (tests that swap URLconfs).
"""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

# A key no record reaches (the largest PostgreSQL integer), printed where the key goes.
_MARKER = 2147483647


def record_url(viewname: str, pk) -> str:
    """`reverse(viewname, args=[pk])` for an integer key, from the route's kept halves."""
    return record_urls(viewname)(pk)


def record_urls(viewname: str) -> Callable[[object], str]:
    """record_url for the rows of a list: the route's halves looked up once for them all
    (the look-up itself, of the prefix, URLconf and language, costs a few microseconds)."""
    halves = _halves(
        viewname,
        get_script_prefix(),
        get_urlconf(settings.ROOT_URLCONF),
        translation.get_language(),
    )
    if halves is None:
        return lambda pk: reverse(viewname, args=[pk])
    before, after = halves

    def url(pk) -> str:
        # A key `<int:pk>` takes: digits alone (not a bool, not below zero).
        if type(pk) is not int or pk < 0:
            return reverse(viewname, args=[pk])
        return f"{before}{pk}{after}"

    return url


@lru_cache(maxsize=256)
def _halves(viewname, prefix, urlconf, language) -> tuple[str, str] | None:
    parts = reverse(viewname, args=[_MARKER]).split(str(_MARKER))
    # The marker's digits anywhere else in the address (a prefix that holds them): no halves.
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _forget(**kwargs):
    _halves.cache_clear()


setting_changed.connect(_forget)
