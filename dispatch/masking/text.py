"""Masking what residents write before it is stored: citizen ID numbers, one-time
codes, passwords, bank and card numbers in free text and in provider payloads.

What we never store cannot leak. Shared by intake (messages as they arrive) and the
request services (notes, descriptions); imports nothing from dispatch.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# --- Masking ------------------------------------------------------------------------------
# The patterns run on a length-preserving fold of the text (one character in, one out:
# lower case, no diacritics, đ→d), so "Mã OTP", "ma otp" and "MÃ OTP" are one keyword
# and the spans found apply unchanged to the original text.
_GROUPED_DIGITS = r"\d(?:[ .-]?\d){%d,%d}"
# 12-digit citizen identity numbers (CCCD), also written in groups: 0790 9200 1234.
_CITIZEN_ID = re.compile(r"(?<![\w-])" + _GROUPED_DIGITS % (11, 11) + r"(?![\w-])")
# Card numbers and any other run of 13-19 digits.
_LONG_NUMBER = re.compile(r"(?<![\w-])" + _GROUPED_DIGITS % (12, 18) + r"(?![\w-])")
_BANK_WORDS = (
    r"stk|so tk|so tai khoan|tai khoan|tk|account|acc|so the|the atm|the|"
    r"ngan hang|nh|vietcombank|vcb|agribank|bidv|vietinbank|techcombank|mb|momo"
)
# A bank account (6-19 digits) written after a bank word: "STK 0011 0023 4567".
_BANK_ACCOUNT = re.compile(
    r"\b(?:" + _BANK_WORDS + r")\b[^\d\n]{0,24}?(" + _GROUPED_DIGITS % (5, 18) + r")"
    r"(?![\w-])"
)
_OTP_WORDS = (
    r"otp|ma xac nhan|ma xac thuc|ma kich hoat|ma dang nhap|ma bao mat|ma|code|pin"
)
# A one-time code (4-8 digits) after a code word, or before "la ma …/la otp".
_OTP_AFTER = re.compile(
    r"\b(?:" + _OTP_WORDS + r")\b[^\w\n]{0,3}(?:(?:la|:)\s*)?(\d{4,8})(?![\w-])"
)
_OTP_BEFORE = re.compile(r"(?<![\w-])(\d{4,8})\s*(?:la|:)?\s*(?:ma|otp)\b")
# Passwords read out or typed: "mật khẩu: abc123" → the word after the keyword.
_PASSWORD = re.compile(r"\b(?:mat khau|mk|password|pass|pw)\b\s*(?:la|:)?\s*(\S{3,64})")
_MASK = "*"


def _fold_same_length(text: str) -> str:
    """Lower case without diacritics, đ→d, one character for one character."""
    out = []
    for char in text:
        if char in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", char)[0].lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def _keep_last_four(value: str) -> str:
    digits = sum(c.isdigit() for c in value)
    seen = 0
    out = []
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen > digits - 4 else _MASK)
        else:
            out.append(c)
    return "".join(out)


def mask_sensitive(text: str) -> str:
    """`text` with ID, card and bank numbers (all but the last 4 digits), one-time codes
    and passwords replaced by `*`. Idempotent; the length of the text is unchanged."""
    if not text:
        return text or ""
    folded = _fold_same_length(text)
    spans: list[tuple[int, int, bool]] = []  # (start, end, keep last four)
    for pattern, group, keep in (
        (_CITIZEN_ID, 0, True),
        (_LONG_NUMBER, 0, True),
        (_BANK_ACCOUNT, 1, True),
        (_OTP_AFTER, 1, False),
        (_OTP_BEFORE, 1, False),
        (_PASSWORD, 1, False),
    ):
        for match in pattern.finditer(folded):
            spans.append((match.start(group), match.end(group), keep))
    if not spans:
        return text
    chars = list(text)
    for start, end, keep in spans:
        piece = text[start:end]
        masked = _keep_last_four(piece) if keep else re.sub(r"[^\s]", _MASK, piece)
        chars[start:end] = list(masked)
    return "".join(chars)


# Provider payload keys holding what a person wrote or said (Twilio, SMSGate).
PAYLOAD_TEXT_KEYS = ("Body", "message", "TranscriptionText", "SpeechResult", "text")


def mask_payload(payload: Any) -> Any:
    """A copy of a provider payload with its free-text fields masked (nested too), and
    without NUL characters anywhere (PostgreSQL's jsonb refuses them: a 500 before)."""
    if isinstance(payload, dict):
        return {
            _no_nul(key): mask_sensitive(_no_nul(value))
            if key in PAYLOAD_TEXT_KEYS and isinstance(value, str)
            else mask_payload(value)
            for key, value in payload.items()
        }
    if isinstance(payload, list):
        return [mask_payload(item) for item in payload]
    return _no_nul(payload)


def _no_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value
