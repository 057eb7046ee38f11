"""SMS encoding facts: which alphabet a text needs and how many segments it costs.

One Vietnamese diacritic outside GSM-7 turns a 160-character SMS into a 70-character
UCS-2 one, so every outbound SMS records its encoding and segment count.
"""

from __future__ import annotations

from dataclasses import dataclass

from teams.text import nfc, unaccented

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsSize:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int


def sms_size(text: str) -> SmsSize:
    """Encoding, code units and billed segments of `text` as a phone would send it."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        units = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        segments = 1 if units <= 160 else -(-units // 153)
        return SmsSize("GSM-7", units, segments)
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
    segments = 1 if units <= 70 else -(-units // 67)
    return SmsSize("UCS-2", units, segments)


def sms_body(text: str, *, unaccented_mode: bool) -> str:
    """The text to send: NFC always; without diacritics in the commune's unaccented mode."""
    text = nfc(text)
    return unaccented(text) if unaccented_mode else text
