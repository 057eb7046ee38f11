"""Vietnamese text normalisation: store NFC, match folded.

Residents type with or without diacritics, in any case, with composed or decomposed
characters. Storage keeps the text as written (NFC); matching compares folded keys.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", text or "").strip()


def fold(text: str) -> str:
    """Fold for matching: lower case, diacritics removed, đ→d, punctuation → one space.

    `đ` has no Unicode decomposition, so it is mapped explicitly; apostrophes in names
    such as N'Drung / N’Drung become a space so every spelling folds the same way.
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _NON_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def unaccented(text: str) -> str:
    """Vietnamese text without diacritics, for one-segment GSM-7 SMS (đ→d, ư→u…)."""
    return unidecode(nfc(text))
