"""Masking a scammer's phone, account or link for display.

The full value is evidence for the commune police (the printable referral) and is
searchable by staff; everywhere else — lists, the dashboard, the volunteer's screen
after saving — it shows just enough to recognise it: a phone's first three and last
three digits, an account's last four, a link's site without its path.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_URL = re.compile(r"(?:https?://)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(/\S*)?", re.IGNORECASE)


def contact_key(value: str) -> str:
    """Digits and lower-case ASCII letters only: "0912.345.678" and "0912 345 678" are
    one key, and a search for part of a number finds it."""
    return re.sub(r"[^0-9a-z]", "", value.lower())


def _mask_digits(run: str) -> str:
    digits = [c for c in run if c.isdigit()]
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 3 if len(digits) >= 9 else 0
    shown = digits[:keep_head] + ["*"] * (len(digits) - keep_head - 3) + digits[-3:]
    return "".join(shown)


# A number as people write it: "0866 111 222", "0912.345.678", "+84 912-345-678".
_NUMBER = re.compile(r"\+?\d(?:[ .\-]?\d){4,}")


def _mask_link(match: re.Match[str]) -> str:
    part = match.group(0)
    if not _URL.fullmatch(part) or part.replace(".", "").isdigit():
        return part
    host = urlsplit(part if "//" in part else f"//{part}").hostname or part
    return f"{host}/…"


def mask_contact(value: str) -> str:
    """A display form of `value`: every number (however it is grouped) and every link
    masked, the words around them kept."""
    text = re.sub(r"[^\s,;]+", _mask_link, value.strip())
    return _NUMBER.sub(lambda m: _mask_digits(m.group(0)), text)
