"""Public tracking codes: commune prefix + 7 characters residents can read aloud.

The alphabet leaves out 0/O, 1/I/L, which are confused on the phone and on paper.
31 symbols × 7 positions = 34.7 bits from `secrets`, so codes cannot be guessed to
read someone else's request.
"""

from __future__ import annotations

import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 7
BITS = LENGTH * math.log2(len(ALPHABET))


def new_code(prefix: str) -> str:
    """A fresh random code such as `DA-7K3Q9WX`; uniqueness is checked by the caller."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{prefix.upper()}-{body}"


def clean_code(raw: str) -> str:
    """What a resident typed (any case, spaces, no dash) → the stored form."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum() or ch == "-")
    if "-" not in text and len(text) > LENGTH:
        text = f"{text[:-LENGTH]}-{text[-LENGTH:]}"
    return text[:12]
