"""Vietnamese text normalisation: store NFC, match folded.

Residents type with or without diacritics, in any case, with composed or decomposed
characters. Storage keeps the text as written (NFC); matching compares folded keys.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

# Apostrophes inside M'Nông names are dropped, not spaced: "N'Drung", "N’Drung" and the
# common unaccented "Ndrung" are one name, and "M'Nông" folds to the code "mnong".
_APOSTROPHES = re.compile(r"['’‘ʼ`´ʻ′]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# đ/Đ have no Unicode decomposition; Ð/ð (eth) appear in text typed with old VNI/TCVN
# fonts and converted, and mean the same letter.
_D_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", text or "").strip()


def fold(text: str) -> str:
    """Fold for matching: lower case, diacritics removed, đ→d, punctuation → one space.

    The result holds only `a-z`, `0-9` and single spaces, so composed (NFC) and
    decomposed (NFD) input, any case and any apostrophe give the same key.
    """
    text = unicodedata.normalize("NFKD", text or "").translate(_D_LETTERS)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _APOSTROPHES.sub("", text)
    return _NON_ALNUM.sub(" ", text).strip()


def unaccented(text: str) -> str:
    """Vietnamese text without diacritics, for one-segment GSM-7 SMS (đ→d, ư→u…)."""
    return unidecode(nfc(text))
