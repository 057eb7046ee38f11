"""Keeping personal data out of logs: phones and free text are masked before logging."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d")
# 12-digit citizen ids, 6-digit OTP-like codes and long bank numbers in free text.
_SENSITIVE_NUMBER = re.compile(r"\d[\d .-]{4,}\d")


def redact_phone(phone: str) -> str:
    """`+84912345678` → `+8491*****78`: enough to tell numbers apart, not to call."""
    phone = phone or ""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:5] + _DIGITS.sub("*", phone[5:-2]) + phone[-2:]


def redact_text(text: str, *, keep: int = 0) -> str:
    """Free text for a log line: numbers masked, at most `keep` characters (0 = none)."""
    if not keep:
        return f"<{len(text or '')} chars>"
    return _SENSITIVE_NUMBER.sub("***", (text or "")[:keep])
