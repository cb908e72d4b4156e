"""HTML written in Python a row at a time, escaped exactly as Django escapes it (issue 11).

The pages that draw their long lists in Python (pps/tables.py's rows, the case timeline,
My work's tables) call `format_html` a few hundred times a request. Django's version passes
every argument through `conditional_escape`, whose `escape` is wrapped by `keep_lazy`: a
generator over the arguments looking for lazy text, on every call. Counted on the case page,
that wrapper alone was a twentieth of the request. These functions give the same strings
(tests/pps/test_escaping.py compares them with Django's on every kind of value), with the
common cases first: plain text is escaped with `html.escape`, as Django's `escape` does; text
already safe is kept; anything else goes through Django's own functions.

Every argument is escaped unless it is already safe HTML (it has `__html__`): what someone
typed is never marked safe here, only the format strings, which are the product's own.
"""

import html

from django.template.base import render_value_in_context
from django.utils.functional import Promise
from django.utils.safestring import SafeString


def _escaped(value) -> str:
    # conditional_escape's cases, the commonest first.
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return value
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_format(format_string: str, *args) -> SafeString:
    """What `django.utils.html.format_html(format_string, *args)` gives."""
    return SafeString(format_string.format(*[_escaped(value) for value in args]))


def html_join(separator: str, format_string: str, rows) -> SafeString:
    """What `django.utils.html.format_html_join(separator, format_string, rows)` gives, for
    rows of positional arguments."""
    return SafeString(
        _escaped(separator).join(
            format_string.format(*[_escaped(value) for value in row]) for row in rows
        )
    )


def shown(value, context) -> str:
    """What `{{ value }}` prints in a template rendered with `context`
    (django.template.base.render_value_in_context): text is never localised, so it is only
    escaped (or kept, if safe); anything else goes the template engine's way."""
    kind = type(value)
    if kind is str:
        return SafeString(html.escape(value)) if context.autoescape else value
    if kind is SafeString:
        return value
    return render_value_in_context(value, context)
