"""Vietnamese phone numbers → E.164.

Accepts 0xx, 84xx, +84xx, 0084xx, spaces, dots, dashes and brackets, and maps the
11-digit mobile numbers retired in the 2018 renumbering (0162… → 032…), which older
residents still keep in paper notebooks.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import phonenumbers

logger = logging.getLogger(__name__)

# Old 11-digit mobile prefixes and their 2018 replacements (the last 7 digits are kept).
OLD_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
# First digit of a Vietnamese national number: 3/5/7/8/9 mobile, 2 landline (area code),
# 1 service numbers (1800 toll-free, 1900 premium).
_MOBILE_FIRST_DIGITS = frozenset("35789")
_NON_DIGIT = re.compile(r"\D")


class InvalidPhoneNumber(ValueError):
    """The text is not a usable Vietnamese (or international) phone number."""


def _ascii_digits(text: str) -> str:
    # Full-width or Arabic-Indic digits come from some phone keyboards and pasted text.
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of `raw` or raise InvalidPhoneNumber.

    Vietnamese numbers must be a mobile (03/05/07/08/09 + 8 digits), an allocated
    landline (02xx) or a 1800/1900 service number; 11-digit numbers with a retired
    prefix are mapped to their 2018 replacement. A number written with a leading `+`
    and a country code other than 84 is kept as an international number.
    """
    text = _ascii_digits((raw or "").strip())
    digits = _NON_DIGIT.sub("", text)
    if not digits:
        raise InvalidPhoneNumber(raw)
    if digits.startswith("0084"):
        digits = digits[2:]
    first_digit = re.search(r"\d", text)
    plus_first = "+" in text[: first_digit.start()] if first_digit else False
    foreign = plus_first and not digits.startswith("84")
    # +84 1xx xxx xxxx: an old 11-digit mobile written internationally.
    if digits.startswith("84") and len(digits) == 12 and digits[2] == "1":
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits[:4] in OLD_MOBILE_PREFIXES:
        digits = OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if foreign or (digits.startswith("84") and len(digits) >= 11):
        candidate = "+" + digits
    else:
        candidate = digits
    try:
        number = phonenumbers.parse(candidate, "VN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw) from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhoneNumber(raw)
    if number.country_code == 84 and not _is_usable_vietnamese(number):
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _is_usable_vietnamese(number: phonenumbers.PhoneNumber) -> bool:
    national = phonenumbers.national_significant_number(number)
    if national[0] in _MOBILE_FIRST_DIGITS:
        if len(national) != 9:
            return False
        # phonenumbers only knows allocated blocks; a brand-new block is still a
        # real number, so accept it and leave a trace (numbers migrated in 2018 still reach their owner).
        if not phonenumbers.is_valid_number(number):
            logger.info(
                "Accepting a mobile number outside known blocks: %s…", national[:3]
            )
        return True
    # Landlines and 1800/1900 numbers: only allocated area codes and service ranges.
    return phonenumbers.is_valid_number(number)


@lru_cache(maxsize=4096)
def try_normalize_phone(raw: str) -> str | None:
    """E.164 or None, for inputs where a bad number is not an error (e.g. sender ids).

    Remembered per process (a pure function of the text): an inbound SMS asks for its
    sender's number four times, and phonenumbers' parse is the costly part."""
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
