"""Merge fields of letter templates: a fixed vocabulary of placeholders in square brackets.

A coordinator types a template's text; it is never handed to the Django template engine,
which would run whatever tags and variable lookups it held (template injection: a
template reading `{{ request.user... }}` or settings). Instead each placeholder such as
[parent name] is looked up in PLACEHOLDERS and replaced by the case's value as plain
text. The text that comes out is escaped where it is printed: by the letter's PDF
template (autoescaped) and not at all in an email, which is plain text (docs/letters.md).
"""

import datetime as dt
import re
from collections.abc import Callable

from pps.days import day_shown
from pps.pdf import render_pdf

# A placeholder: square brackets around a few words, on one line.
_PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,60})\]")

# Each placeholder and how it is read from a case (`today` is the day the letter is written).
PLACEHOLDERS: dict[str, Callable] = {
    "parent name": lambda case, today: str(case.parent),
    "parent first name": lambda case, today: case.parent.first_name,
    "child name": lambda case, today: str(case.child),
    "child first name": lambda case, today: case.child.first_name,
    "case reference": lambda case, today: case.reference,
    "officer name": lambda case, today: str(case.officer) if case.officer else "",
    "service name": lambda case, today: case.service.name,
    "service phone": lambda case, today: case.service.phone,
    "today": lambda case, today: day_shown(today),
}


def _key(name: str) -> str:
    # [Parent  Name] and [parent name] are the same placeholder.
    return " ".join(name.lower().split())


def allowed_placeholders() -> str:
    """The placeholders as a coordinator types them, for messages and help text."""
    return ", ".join(f"[{name}]" for name in PLACEHOLDERS)


def unknown_placeholders(text: str) -> list[str]:
    """The bracketed words in `text` that are not placeholders, in order, each once."""
    unknown = []
    for match in _PLACEHOLDER.finditer(text):
        if _key(match.group(1)) not in PLACEHOLDERS and match.group(0) not in unknown:
            unknown.append(match.group(0))
    return unknown


def merge_values(case, today: dt.date) -> dict[str, str]:
    """What each placeholder stands for on this case (its parent, child, officer and
    service read with it: casework.access.get_case_for with `related`)."""
    return {name: str(read(case, today)) for name, read in PLACEHOLDERS.items()}


def merge(text: str, values: dict[str, str]) -> str:
    """`text` with each known placeholder replaced by its value, in one pass: a value that
    itself looks like a placeholder (a parent called "[today]") is left as it is."""

    def replace(match):
        key = _key(match.group(1))
        return values[key] if key in values else match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def recipient_address(parent) -> str:
    """The parent's postal address as printed on a letter: the address, then the postcode."""
    return "\n".join(part for part in (parent.address.strip(), parent.postcode.strip()) if part)


def letter_pdf(case, *, subject: str, body: str, on) -> bytes:
    """A letter to the case's parent on its service's letterhead
    (templates/casework/pdf/letter.html): one layout for the preview and for the copy kept."""
    return render_pdf(
        "casework/pdf/letter.html",
        {
            "service": case.service,
            "recipient": str(case.parent),
            "address": recipient_address(case.parent),
            "subject": subject,
            "body": body,
            "on": on,
        },
    )
