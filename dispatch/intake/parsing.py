"""Understanding an inbound SMS: one pure parser shared by every SMS provider.

Residents and volunteers type with or without diacritics, in any case, with stray
spaces and punctuation. Everything is matched on the folded text (`teams.text.fold`);
only a few words whose unaccented form is ambiguous (cổng / công / cộng) are matched
on the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from dispatch.help_requests.codes import LENGTH as CODE_LENGTH
from teams.text import fold


class Kind(StrEnum):
    NEW_REQUEST = "new_request"
    STATUS = "status"
    CANCEL = "cancel"
    RATING = "rating"
    HELP = "help"
    ACCEPT = "accept"
    DECLINE = "decline"
    DONE = "done"
    CERTIFICATE = "certificate"


# Commands only a registered volunteer's phone may use.
VOLUNTEER_KINDS = frozenset({Kind.ACCEPT, Kind.DECLINE, Kind.DONE})


@dataclass(frozen=True)
class ParsedSms:
    kind: Kind
    code: str = ""  # a tracking or certificate code as typed, upper case, no spaces
    rating: int | None = None
    reason: str = ""
    text: str = ""  # the message as written (NFC, trimmed)
    category: str = "other"
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_volunteer_command(self) -> bool:
        return self.kind in VOLUNTEER_KINDS


# Command words, folded, longest first so "tu choi" wins over a shorter prefix.
_COMMANDS: list[tuple[str, Kind]] = [
    ("trang thai", Kind.STATUS),
    ("tinh trang", Kind.STATUS),
    ("tu choi", Kind.DECLINE),
    ("huong dan", Kind.HELP),
    ("tt", Kind.STATUS),
    ("huy", Kind.CANCEL),
    ("giup", Kind.HELP),
    ("help", Kind.HELP),
    ("nhan", Kind.ACCEPT),
    ("xong", Kind.DONE),
    ("xm", Kind.CERTIFICATE),
]

# Category keywords, folded; scams first because they are urgent.
CATEGORY_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    (
        "scam",
        (
            "lua dao",
            "lua dao",
            "bi lua",
            "nghi lua",
            "cong an goi",
            "ca goi",
            "gia danh",
            "gia mao",
            "ma otp",
            "otp",
            "mat tien",
            "chiem doat",
            "link la",
            "duong link",
            "cuoc goi la",
            "so la goi",
        ),
    ),
    (
        "vneid",
        (
            "vneid",
            "vn eid",
            "vnid",
            "dinh danh",
            "muc 2",
            "muc hai",
            "can cuoc",
            "cccd",
            "dinh danh dien tu",
        ),
    ),
    (
        "portal",
        (
            "dich vu cong",
            "dvc",
            "dvcqg",
            "cong dich vu",
            "cong dv",
            "cong quoc gia",
            "tai khoan cong",
        ),
    ),
    (
        "dossier",
        (
            "ho so",
            "nop ho so",
            "giay to",
            "thu tuc",
            "khai sinh",
            "khai tu",
            "ket hon",
            "tam tru",
            "thuong tru",
            "so do",
            "dat dai",
        ),
    ),
    (
        "epayment",
        (
            "chuyen tien",
            "chuyen khoan",
            "thanh toan",
            "vi dien tu",
            "momo",
            "zalopay",
            "vnpay",
            "viettel money",
            "ngan hang",
            "nop tien",
            "dong tien",
            "tien dien",
            "tien nuoc",
            "hoa don",
            "qr",
        ),
    ),
]
# Words whose folded form collides with common words (công an, cộng): written form only.
_WRITTEN_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [("portal", ("cổng",))]

# Hints that the resident is vulnerable; they raise priority and suggest a home visit.
FLAG_KEYWORDS: dict[str, tuple[str, ...]] = {
    "elderly": ("nguoi gia", "cu gia", "ong ba", "tuoi cao", "lon tuoi", "gia yeu"),
    "disability": ("khuyet tat", "tan tat", "liet", "khiem thi", "mu"),
    "pregnant": ("mang thai", "co bau", "bau bi"),
    "no_smartphone": (
        "khong co dien thoai thong minh",
        "khong co smartphone",
        "dien thoai cuc gach",
        "may cuc gach",
    ),
    "home_visit": ("den nha", "toi nha", "tan nha", "khong di duoc"),
}

_DASHED_CODE = re.compile(r"^[A-Z]{1,4}-[0-9A-Z]{5,10}$")
_UNDASHED_CODE = re.compile(r"^[A-Z]{1,4}[0-9A-Z]{5,10}$")


def _is_code(token: str) -> bool:
    """A tracking/certificate code: `DA-KMNPQRS` (any letters once dashed), or
    undashed with a digit (`DA7K3Q9WX`) so words like `DANGLAMVIEC` stay words."""
    if _DASHED_CODE.match(token) or re.match(r"^[A-Z]{1,4}(-[0-9A-Z]{2,6}){2}$", token):
        return True
    return bool(_UNDASHED_CODE.match(token)) and any(ch.isdigit() for ch in token)


_RATING = re.compile(r"^(?:(?:dg|danh gia|cham)\s+)?([1-5])(?:\s*(?:sao|diem|\*))?$")


def _contains(haystack: str, needle: str) -> bool:
    return f" {needle} " in f" {haystack} "


def guess_category(text: str) -> str:
    """The request category suggested by keywords in `text`, or "other"."""
    folded = fold(text)
    for category, words in CATEGORY_KEYWORDS:
        if any(_contains(folded, w) for w in words):
            return category
    written = unicodedata.normalize("NFC", text or "").lower()
    for category, words in _WRITTEN_KEYWORDS:
        if any(w in written for w in words):
            return category
    return "other"


def guess_flags(text: str) -> frozenset[str]:
    """Vulnerability hints found in `text` (flag names of `submit_request(flags=)`)."""
    folded = fold(text)
    return frozenset(
        flag
        for flag, words in FLAG_KEYWORDS.items()
        if any(_contains(folded, w) for w in words)
    )


def normalize_code(raw: str) -> str:
    """A code as typed → upper case without spaces (`da 7k3q9` → `DA7K3Q9`)."""
    return re.sub(r"[\s.]+", "", (raw or "").upper())


def _split_command(folded: str) -> tuple[Kind | None, str]:
    for word, kind in _COMMANDS:
        if folded == word or folded.startswith(word + " "):
            return kind, folded[len(word) :].strip()
    return None, folded


def _code_and_rest(original: str, words_in_command: int) -> tuple[str, str]:
    """The code (if any) right after the command word(s), and the remaining text."""
    tokens = re.split(r"[\s,;:]+", original.strip())[words_in_command:]
    tokens = [t for t in tokens if t]
    if not tokens:
        return "", ""
    first = tokens[0].upper().strip(".!?#")
    # "DA 7K3Q9": the prefix typed apart from the rest.
    if len(tokens) >= 2 and first.isalpha() and len(first) <= 4:
        joined = first + "-" + tokens[1].upper().strip(".!?#")
        tail = tokens[1].upper().strip(".!?#")
        if len(tail) == CODE_LENGTH and _is_code(joined) and not _is_word(tokens[1]):
            return joined, " ".join(tokens[2:])
    if _is_code(first):
        return first, " ".join(tokens[1:])
    return "", " ".join(tokens)


def parse_sms(body: str) -> ParsedSms:
    """Classify an inbound SMS. Never raises: anything unknown is a new request."""
    text = unicodedata.normalize("NFC", body or "").strip()
    folded = fold(text)
    kind, _rest = _split_command(folded)
    if kind is None:
        match = _RATING.match(folded)
        if match:
            return ParsedSms(Kind.RATING, rating=int(match.group(1)), text=text)
        return ParsedSms(
            Kind.NEW_REQUEST,
            text=text,
            category=guess_category(text),
            flags=guess_flags(text),
        )
    if kind == Kind.HELP:
        return ParsedSms(Kind.HELP, text=text)
    command_words = 2 if kind == Kind.DECLINE or " " in _command_word(folded) else 1
    code, rest = _code_and_rest(_strip_punctuation(text), command_words)
    if kind == Kind.CERTIFICATE:
        code = code or normalize_code(rest.split(" ")[0] if rest else "")
        return ParsedSms(Kind.CERTIFICATE, code=code, text=text)
    if kind == Kind.STATUS and not code and rest and _looks_like_request(rest):
        # "tinh trang ho so cua toi…" is a sentence, not a command.
        return ParsedSms(
            Kind.NEW_REQUEST,
            text=text,
            category=guess_category(text),
            flags=guess_flags(text),
        )
    return ParsedSms(kind, code=code, reason=rest[:300], text=text)


def _is_word(token: str) -> bool:
    """Typed apart, a code's tail has a digit; a plain word of letters is just a word."""
    return token.isalpha()


def _command_word(folded: str) -> str:
    for word, _kind in _COMMANDS:
        if folded == word or folded.startswith(word + " "):
            return word
    return ""


def _strip_punctuation(text: str) -> str:
    return re.sub(r"^[^\w]+", "", text)


def _looks_like_request(rest: str) -> bool:
    return len(rest.split()) >= 3


def as_new_request(parsed: ParsedSms) -> ParsedSms:
    """The same SMS read as free text (a command word from a phone not allowed it)."""
    return ParsedSms(
        Kind.NEW_REQUEST,
        text=parsed.text,
        category=guess_category(parsed.text),
        flags=guess_flags(parsed.text),
    )
