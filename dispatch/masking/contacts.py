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


def _mask_part(match: re.Match[str]) -> str:
    part = match.group(0)
    if _URL.fullmatch(part) and not part.replace(".", "").isdigit():
        host = urlsplit(part if "//" in part else f"//{part}").hostname or part
        return f"{host}/…"
    if sum(c.isdigit() for c in part) >= 5:
        return _mask_digits(part)
    return part


def mask_contact(value: str) -> str:
    """A display form of `value`: every number and link in it masked, words kept."""
    return re.sub(r"[^\s,;]+", _mask_part, value.strip())
