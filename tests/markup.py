"""Asking a page's HTML what a person reads on it.

Faker's en_GB names include apostrophes (O'Brien), which the templates escape (&#x27;), so a
test that looks for the raw name in the HTML fails on some runs, and one that checks a name is
absent passes whether or not it leaked. These two compare the escaped text as well.
"""

from html import escape


def shows(html: str, text: str) -> bool:
    """`text` appears on the page as the templates write it."""
    return escape(text) in html


def hides(html: str, text: str) -> bool:
    """`text` appears on the page neither escaped nor raw."""
    return text not in html and escape(text) not in html
