"""What every email the product sends shares (evaluation links, letters and emails from a
case)."""


def subject_line(text: str) -> str:
    """A subject line from typed text: runs of spaces and line breaks become one space.

    A form title or a template's subject may hold a CR or LF (pasted text); in a header that
    would start a new header, so Django refuses the whole message (BadHeaderError).
    """
    return " ".join(text.split())
