"""One-time links to evaluation forms (docs/domain.md, "Evaluation forms": "sent by email as a
one-time link").

A token is 16 characters from an alphabet without look-alikes (0/o, 1/l/i), about 79 bits:
short enough to type from a paper letter as four groups of four, far too many to guess,
and the answer page is rate-limited besides. Only its SHA-256 hash is stored.
"""

import hashlib
import secrets

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 16


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a person typed from a letter, without spaces, dashes or capitals."""
    return "".join(ch for ch in typed.lower() if ch.isalnum())


def token_hash(token: str) -> str:
    return hashlib.sha256(normalise(token).encode()).hexdigest()


def looks_like_a_token(token: str) -> bool:
    token = normalise(token)
    return len(token) == LENGTH and all(ch in ALPHABET for ch in token)


def grouped(token: str) -> str:
    """The token as printed: abcd-efgh-jkmn-pqrs."""
    return "-".join(token[i : i + 4] for i in range(0, LENGTH, 4))
