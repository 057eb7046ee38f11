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
from dispatch.intake.classifier import categorize
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
    WARNINGS_ON = "warnings_on"
    WARNINGS_OFF = "warnings_off"


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
    confidence: float = 1.0  # the category model's posterior for `category`
    needs_triage: bool = False  # the model was unsure: staff choose the category
    hint: Kind | None = None  # the command this request starts like, if any

    @property
    def is_volunteer_command(self) -> bool:
        return self.kind in VOLUNTEER_KINDS


# Command words, folded, longest first so "tu choi" wins over a shorter prefix.
_COMMANDS: list[tuple[str, Kind]] = [
    # A resident's opt-in to the commune's scam warnings, and its withdrawal.
    ("dang ky canh bao", Kind.WARNINGS_ON),
    ("nhan canh bao", Kind.WARNINGS_ON),
    ("huy canh bao", Kind.WARNINGS_OFF),
    ("dung canh bao", Kind.WARNINGS_OFF),
    ("trang thai", Kind.STATUS),
    ("tinh trang", Kind.STATUS),
    ("tu choi", Kind.DECLINE),
    ("huong dan", Kind.HELP),
    ("tro giup", Kind.HELP),
    ("tt", Kind.STATUS),
    ("huy", Kind.CANCEL),
    ("giup", Kind.HELP),
    ("help", Kind.HELP),
    ("hd", Kind.HELP),
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
# Whole-word patterns on folded text. Folding merges già/giả/gia, so the phrases in
# FLAG_NEGATIVES are blanked out first: "người giả danh" is not an old person, "gia
# đình" is a family, "liệt kê" is a list (checked on tests/fixtures/sms_corpus.tsv).
FLAG_NEGATIVES = re.compile(
    r"\bgia (?:danh|mao|dinh|tao|lap|ca|dien|nuoc|tien|vang|re|tri)\b"
    r"|\bgia lam\b(?! roi)|\bliet ke\b|\bmu (?:bao hiem|coi)\b"
)
_NO = r"(?:khong|ko|k|hong|chua)"
FLAG_PATTERNS: dict[str, tuple[str, ...]] = {
    "elderly": (
        r"\b(?:nguoi|cu|ong|ba|me|bo|cha|ong ba) gia\b",
        r"\bgia (?:yeu|roi|lam roi|ca roi)\b",
        r"\b(?:tuoi cao|cao tuoi|lon tuoi|tuoi gia)\b",
        r"\b(?:ong|ba) (?:noi|ngoai)\b",
        r"\b(?:cu ong|cu ba|ong cu|ba cu)\b",
        r"\b(?:[6-9][0-9]|1[01][0-9]) tuoi\b",
        r"\b(?:luong huu|huu tri)\b",
    ),
    "disability": (
        r"\b(?:khuyet tat|tan tat|khiem thi|khiem thinh|cam diec|xe lan|bai liet)\b",
        r"\b(?:bi liet|liet giuong|liet nua nguoi|liet (?:2|hai) chan)\b",
        r"\b(?:bi mu|mu mat|mu loa)\b",
    ),
    "pregnant": (r"\b(?:mang thai|co bau|bau bi|dang bau|bung bau)\b",),
    "ethnic_minority": (
        r"\b(?:dan toc|dong bao)\b",
        r"\btieng (?:mnong|kho|ede|jrai|dan toc)\b",
        rf"\b{_NO} (?:biet|ranh|thao) tieng (?:kinh|viet)\b",
    ),
    "no_smartphone": (
        r"\b(?:cuc gach|cui bap|bam phim)\b",
        rf"\b{_NO} co (?:dien thoai|dt|may) thong minh\b",
        rf"\b{_NO} co smartphone\b",
    ),
    "home_visit": (
        r"\bnho\b(?: \w+){0,4} (?:den|toi|xuong|qua|ve) (?:tan )?nha\b",
        rf"\b{_NO} (?:the )?di (?:lai )?(?:duoc|dc)\b",
        r"\b(?:bi liet|liet giuong|liet (?:2|hai) chan|nam mot cho)\b",
    ),
}
_FLAG_RULES = [
    (flag, re.compile("|".join(patterns))) for flag, patterns in FLAG_PATTERNS.items()
]

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
    folded = FLAG_NEGATIVES.sub(" ", fold(text))
    return frozenset(flag for flag, rule in _FLAG_RULES if rule.search(folded))


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
    tokens = [t for t in tokens if t.strip(".!?#")]
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


# Commands whose whole message is the command word and at most a code: anything more
# ("Hủy giúp tôi cái đăng ký…", "Nhận được tin nhắn lạ…") is a resident's sentence.
_CODE_ONLY = frozenset(
    {
        Kind.STATUS,
        Kind.CANCEL,
        Kind.ACCEPT,
        Kind.CERTIFICATE,
        Kind.WARNINGS_ON,
        Kind.WARNINGS_OFF,
    }
)
# GIUP/HD/HELP may name one topic ("GIUP VNEID"); "giúp tôi" is a plea, not a topic.
HELP_TOPICS = frozenset(
    {
        "vneid", "dinhdanh", "dvc", "cong", "hoso", "thutuc", "tien", "thanhtoan",
        "momo", "nganhang", "bank", "qr", "otp", "lua", "luadao", "scam", "tt",
        "huy", "ma", "code", "danhgia", "sms", "vi", "vietnamese", "english", "en",
    }
)  # fmt: skip


def parse_sms(body: str) -> ParsedSms:
    """Classify an inbound SMS. Never raises: anything unknown is a new request.

    A command is recognised only when the *whole* message matches its grammar
    (DESIGN.md §7). A text that merely starts like one is a request, and
    `ParsedSms.hint` names the command so the reply can mention it.
    """
    text = unicodedata.normalize("NFC", body or "").strip()
    folded = fold(text)
    kind, rest = _split_command(folded)
    if kind is None:
        match = _RATING.match(folded)
        if match:
            return ParsedSms(Kind.RATING, rating=int(match.group(1)), text=text)
        return new_request(text)
    if kind == Kind.HELP:
        topic = rest.replace(" ", "")
        if not rest or (" " not in rest and topic in HELP_TOPICS):
            return ParsedSms(Kind.HELP, text=text)
        return new_request(text, hint=Kind.HELP)
    command_words = len(_command_word(folded).split())
    code, rest = _code_and_rest(_strip_punctuation(text), command_words)
    if kind == Kind.CERTIFICATE and not code and rest and " " not in rest:
        # Certificate codes have their own shape (`G54JNM8PGCHW`): any single token.
        code, rest = normalize_code(rest), ""
    if rest and kind in _CODE_ONLY:
        return new_request(text, hint=kind)
    if kind == Kind.DONE and rest and not code and _looks_like_request(rest):
        # "xong roi ma vneid van chua kich hoat": a sentence, not a report of work done.
        return new_request(text, hint=kind)
    if kind == Kind.CERTIFICATE:
        return ParsedSms(Kind.CERTIFICATE, code=code, text=text)
    if kind in (Kind.WARNINGS_ON, Kind.WARNINGS_OFF):
        if code:  # "NHAN CANH BAO DA-7K3Q9": not the opt-in's grammar
            return new_request(text, hint=kind)
        return ParsedSms(kind, text=text)
    return ParsedSms(kind, code=code, reason=rest[:300], text=text)


def new_request(text: str, *, hint: Kind | None = None) -> ParsedSms:
    """Free text: a request (or a follow-up to an open one) with its category guess."""
    guess = categorize(text)
    return ParsedSms(
        Kind.NEW_REQUEST,
        text=text,
        category=guess.category if guess.sure else "other",
        confidence=guess.confidence,
        needs_triage=not guess.sure,
        flags=guess_flags(text),
        hint=hint,
    )


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
    return new_request(parsed.text, hint=parsed.kind)
