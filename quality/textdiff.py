"""Word-level differences between two updates of a plan entry (what Norfolk printed in
brown by hand: seed norfolk-business-plan-update-2010).

Inserted words are wrapped in <ins>, removed words in <del>, each with a visually hidden
"added:"/"removed:" so that a screen reader, a monochrome printer and a reader who does not
see colour all get the change.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A word with the spaces after it (and any spaces the text starts with): changed words next
# to each other are marked as one run, not word by word around unchanged spaces.
_TOKENS = re.compile(r"^\s+|\S+\s*")


def _mark(tag: str, words: list[str]) -> str:
    text = escape("".join(words))
    if not text.strip():
        return text
    said = "added" if tag == "ins" else "removed"
    return f'<{tag}><span class="visually-hidden">{said}: </span>{text}</{tag}>'


def word_diff(old: str, new: str) -> SafeString:
    """`new` with what changed since `old` marked up; plain escaped text when nothing did."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(after[b1:b2])))
            continue
        if op in ("delete", "replace"):
            parts.append(_mark("del", before[a1:a2]))
        if op in ("insert", "replace"):
            parts.append(_mark("ins", after[b1:b2]))
    # Safe: every piece above went through escape().
    return mark_safe("".join(parts))
