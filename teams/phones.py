"""Vietnamese phone numbers → E.164.

Accepts 0xx, 84xx, +84xx, 0084xx, spaces, dots, dashes and brackets, and maps the
11-digit mobile numbers retired in the 2018 renumbering (0162… → 032…), which older
residents still keep in paper notebooks.
"""

from __future__ import annotations

import re

import phonenumbers

# Old 11-digit mobile prefixes and their 2018 replacements (the last 7 digits are kept).
OLD_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
_NON_DIGIT = re.compile(r"\D")


class InvalidPhoneNumber(ValueError):
    """The text is not a usable Vietnamese (or international) phone number."""


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of `raw` or raise InvalidPhoneNumber."""
    text = (raw or "").strip()
    digits = _NON_DIGIT.sub("", text)
    if not digits:
        raise InvalidPhoneNumber(raw)
    if digits.startswith("0084"):
        digits = digits[2:]
    foreign = text.startswith("+") and not digits.startswith("84")
    # +84 1xx xxx xxxx: an old 11-digit mobile written internationally.
    if digits.startswith("84") and len(digits) == 12 and digits[2] == "1":
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits[:4] in OLD_MOBILE_PREFIXES:
        digits = OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if foreign:
        candidate = "+" + digits  # a foreign number, e.g. a Twilio test number
    elif digits.startswith("84") and len(digits) >= 11:
        candidate = "+" + digits
    else:
        candidate = digits
    try:
        number = phonenumbers.parse(candidate, "VN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw) from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(raw: str) -> str | None:
    """E.164 or None, for inputs where a bad number is not an error (e.g. sender ids)."""
    try:
        return normalize_phone(raw)
    except InvalidPhoneNumber:
        return None


def national_format(e164: str) -> str:
    """`+84912345678` → `0912 345 678`, the way residents read numbers."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
