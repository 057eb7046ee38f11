"""Public tracking codes: commune prefix + 7 characters residents can say and key.

The alphabet keeps only letters of the Vietnamese alphabet that text-to-speech reads
clearly (no F, J, W, Z) and leaves out 0/O and 1/I/L, which are confused on the phone
and on paper. 27 symbols × 7 positions = 33.3 bits from `secrets`, so codes cannot be
guessed to read someone else's request. Codes issued with the older alphabet (which
had F, J, W, Z) stay valid: look-ups match the stored code, whatever its letters.

Every code also has a keypad alias, the digits of its characters on a phone keypad
(`DA-7K3Q9XY` → `7537799`), so a caller can key it on the voice line.
"""

from __future__ import annotations

import math
import secrets

ALPHABET = "23456789ABCDEGHKMNPQRSTUVXY"
LENGTH = 7
BITS = LENGTH * math.log2(len(ALPHABET))

# ITU E.161 keypad letters.
KEYPAD = {
    letter: digit
    for digit, letters in {
        "2": "ABC",
        "3": "DEF",
        "4": "GHI",
        "5": "JKL",
        "6": "MNO",
        "7": "PQRS",
        "8": "TUV",
        "9": "WXYZ",
    }.items()
    for letter in letters
}

# How a Vietnamese speaker names each character, for the voice line (TTS reads a bare
# "K" or "Q" badly; "ca", "quy" are what a resident would write down).
LETTER_NAMES = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "E": "e",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "J": "gi",
    "K": "ca",
    "M": "em mờ",
    "N": "en nờ",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét xì",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê kép",
    "X": "ích xì",
    "Y": "i dài",
    "Z": "dét",
    "2": "hai",
    "3": "ba",
    "4": "bốn",
    "5": "năm",
    "6": "sáu",
    "7": "bảy",
    "8": "tám",
    "9": "chín",
    "0": "không",
    "1": "một",
    "O": "o",
    "I": "i",
    "L": "e lờ",
}


def new_code(prefix: str) -> str:
    """A fresh random code such as `DA-7K3Q9XY`; uniqueness is checked by the caller."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{prefix.upper()}-{body}"


def clean_code(raw: str) -> str:
    """What a resident typed (any case, spaces, no dash) → the stored form.

    A bare 7-character body (no prefix) stays bare; `selectors.request_by_code`
    looks it up under every commune prefix.
    """
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum() or ch == "-")
    if "-" not in text and len(text) > LENGTH:
        text = f"{text[:-LENGTH]}-{text[-LENGTH:]}"
    return text[:12]


def keypad_alias(code: str) -> str:
    """The digits a caller keys for `code`'s body: `DA-7K3Q9XY` → `7537799`."""
    body = code.rsplit("-", 1)[-1].upper()
    return "".join(KEYPAD.get(ch, ch) for ch in body if ch.isalnum())


def spoken_code(code: str) -> str:
    """`DA-7K3Q9XY` → `dê, a, bảy, ca, ba, quy, chín, ích xì, i dài`."""
    return ", ".join(LETTER_NAMES.get(ch, ch) for ch in code.upper() if ch.isalnum())
