"""Finding where a resident is: GPS → village chosen or named in text → voice-menu
number → the same phone's last village → unknown (docs/ARCHITECTURE.md, "A request's life").

Village names are matched on folded text (no case, no diacritics, đ→d). Numbers in names
are matched exactly and never fuzzily: "thon 5" must never become Thôn 1 or Thôn 15
(RapidFuzz scores "thon 1" vs "thon 5" at 83). When two villages score within a few
points of each other the matcher does not guess; it returns both for an operator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from geopy.distance import geodesic
from rapidfuzz import fuzz

from dispatch.models import HelpRequest, LocationSource
from teams.models import Commune, Village
from teams.text import fold

# One typo in a 10-letter name passes (90); "nap tien" is not "Nam Tiến" (87.5).
FUZZY_CUTOFF = 88.0
# Two candidates closer than this are ambiguous: ask, don't guess.
AMBIGUITY_MARGIN = 5.0
# A GPS point further than this from every village centroid is not given a village.
GPS_VILLAGE_RADIUS_KM = 5.0
MIN_FUZZY_KEY = 8

# Spelling variants of the words in village names, folded: buôn/bôn → bon, đắk/đăk/dac → dak.
_PREFIX_VARIANTS = [
    (re.compile(r"\bbuon\b"), "bon"),
    (re.compile(r"\b(?:dac|dack|dak)\b"), "dak"),
    # "th5", "t.5", "T1", "thon5": how people shorten thôn before a number.
    (re.compile(r"\b(?:thon|thn|hton|th|t)\s*(?=\d{1,2}\b)"), "thon "),
    (re.compile(r"\b(xom|to)(?=\d{1,2}\b)"), r"\1 "),
    (re.compile(r"\btdp\b"), "to dan pho"),
    # M'Nông/K'Ho names typed with a space for the apostrophe: "N Drung" → "ndrung".
    (re.compile(r"\b([nm]) (?=[a-z]{2})"), r"\1"),
]
# A bon's name without the word bon/buôn is still its name ("bu roah", "ja rah").
_KIND_WORD = re.compile(r"^(?:bon|thon) (?=\S)")
# Words that introduce a village number. "bon" is not one: it is the M'Nông word for
# village *and* the number four, so only the words below may be followed by a number.
# Nor is "doi": đội (an old name for a hamlet) folds like đòi/đợi/đổi ("đòi 15 triệu").
_NUMBER_PREFIX = r"\b(?P<prefix>to dan pho|thon|xom|to|ap|khu)"
_UNITS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
_NUMBER_WORD = r"(?:mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi|muoi|linh|le)"
_NUMBERED = re.compile(
    _NUMBER_PREFIX
    + r"\s*(?:so\s*)?(?P<number>\d{1,3}\b|"
    + _NUMBER_WORD
    + r"(?:\s+"
    + _NUMBER_WORD
    + r"){0,2}\b)"
)
_PREFIX_GROUP = {"to dan pho": "to", "to": "to", "thon": "thon", "xom": "thon"}


class VillageGuess(TypedDict):
    """A village the text may name, kept on the request for triage."""

    village_id: int
    name: str
    score: float


@dataclass
class Location:
    village: Village | None = None
    lat: float | None = None
    lng: float | None = None
    source: str = LocationSource.UNKNOWN
    candidates: list[VillageGuess] = field(default_factory=list)
    needs_triage: bool = False


def normalise(text: str) -> str:
    key = fold(text)
    for pattern, replacement in _PREFIX_VARIANTS:
        key = pattern.sub(replacement, key)
    return key.strip()


def spelled_number(words: str) -> int | None:
    """`muoi lam` → 15, `hai muoi mot` → 21, `nam` → 5; None if it is not a number."""
    parts = words.split()
    if parts and parts[0].isdigit():
        return int(parts[0])
    total = 0
    if parts and parts[0] == "muoi":
        total, parts = 10, parts[1:]
    elif len(parts) >= 2 and parts[0] in _UNITS and parts[1] == "muoi":
        total, parts = _UNITS[parts[0]] * 10, parts[2:]
    if parts and parts[0] in ("linh", "le"):
        parts = parts[1:]
    if parts:
        if parts[0] not in _UNITS:
            return total or None
        total += _UNITS[parts[0]]
    return total or None


def numbers_in(text: str, *, digits_only: bool = False) -> list[tuple[str, int]]:
    """Every (prefix group, number) mentioned, e.g. "thon 5" → [("thon", 5)].

    Registry names use digits only: "Thôn Nam Tiến" is a name, not Thôn 5.
    """
    found = []
    for match in _NUMBERED.finditer(text):
        if digits_only and not match.group("number").isdigit():
            continue
        if match.group("number").split()[0] == "tu":  # "xóm từ sáng", not xóm tư
            continue
        number = spelled_number(match.group("number"))
        if number is not None:
            group = _PREFIX_GROUP.get(match.group("prefix"), match.group("prefix"))
            found.append((group, number))
    return found


@dataclass
class VillageIndex:
    """Match keys of one commune's villages, built once per look-up (or cached)."""

    villages: list[Village]
    numbered: dict[tuple[str, int], set[int]]
    named: list[tuple[str, int]]
    # Landmarks match only as whole phrases, never fuzzily: "trường" is everywhere.
    landmarks: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def build(cls, villages: Iterable[Village]) -> VillageIndex:
        village_list = list(villages)
        numbered: dict[tuple[str, int], set[int]] = {}
        named: list[tuple[str, int]] = []
        landmarks: list[tuple[str, int]] = []
        for index, village in enumerate(village_list):
            keys: set[str] = set()
            for name in [village.name, *village.aliases]:
                key = normalise(name)
                mentions = numbers_in(key, digits_only=True)
                if mentions:
                    for mention in mentions:
                        numbered.setdefault(mention, set()).add(index)
                    continue
                bare = _KIND_WORD.sub("", key)
                keys |= {k for k in (key, bare) if len(k) >= 3}
            keys_by_length = sorted(keys, key=lambda k: -len(k))
            named += [(key, index) for key in keys_by_length]
            for place in getattr(village, "landmarks", None) or ():
                key = normalise(place)
                if len(key) >= 5:
                    landmarks.append((key, index))
        named.sort(key=lambda item: -len(item[0]))
        return cls(village_list, numbered, named, landmarks)

    def match(self, text: str) -> list[tuple[Village, float]]:
        """Villages the text names, best first, one score per village (0–100)."""
        key = normalise(text)
        if not key:
            return []
        padded = f" {key} "
        scores: dict[int, float] = {}
        # Whole names first, cut out of the text, so the "nam" in "thon nam tien" is
        # not read as the number five afterwards.
        rest = padded
        for name_key, index in self.named:
            if f" {name_key} " in rest:
                scores[index] = 100.0
                rest = rest.replace(f" {name_key} ", "  ")
        for place_key, index in self.landmarks:
            if f" {place_key} " in rest:
                scores.setdefault(index, 99.0)
                rest = rest.replace(f" {place_key} ", "  ")
        for group, number in numbers_in(rest):
            hits = self.numbered.get((group, number))
            if not hits:  # "to 5" written for "Thôn 5": accept any prefix if unique
                hits = {
                    i
                    for (_, n), ids in self.numbered.items()
                    if n == number
                    for i in ids
                }
                hits = hits if len(hits) == 1 else set()
            for index in hits:
                scores[index] = 100.0
        for name_key, index in self.named:
            if index in scores or len(name_key) < MIN_FUZZY_KEY:
                continue
            # partial_ratio slides the *shorter* string; a text shorter than the name
            # ("thon nam") must not count as found inside it ("thon nam tien").
            if len(name_key) <= len(key):
                score = fuzz.partial_ratio(name_key, key)
            else:
                score = fuzz.ratio(name_key, key)
            if score >= FUZZY_CUTOFF:
                scores[index] = score
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        return [(self.villages[i], s) for i, s in ranked]


def village_from_text(
    villages: Iterable[Village] | VillageIndex, text: str
) -> tuple[Village | None, list[VillageGuess]]:
    """The village named in `text`, or None plus the close candidates when unsure."""
    index = (
        villages if isinstance(villages, VillageIndex) else VillageIndex.build(villages)
    )
    ranked = index.match(text)
    if not ranked:
        return None, []
    if len(ranked) >= 2 and ranked[0][1] - ranked[1][1] < AMBIGUITY_MARGIN:
        close = [(v, s) for v, s in ranked if ranked[0][1] - s < AMBIGUITY_MARGIN]
        return None, [
            {"village_id": v.pk, "name": v.name, "score": round(s, 1)} for v, s in close
        ]
    return ranked[0][0], []


def nearest_village(
    villages: Iterable[Village], lat: float, lng: float
) -> tuple[Village | None, float | None]:
    best: tuple[Village | None, float | None] = (None, None)
    for village in villages:
        km = geodesic((lat, lng), (village.lat, village.lng)).km
        if best[1] is None or km < best[1]:
            best = (village, km)
    return best


def valid_point(lat: float | None, lng: float | None) -> bool:
    try:
        return (
            lat is not None
            and lng is not None
            and -90 <= float(lat) <= 90
            and (-180 <= float(lng) <= 180)
        )
    except (TypeError, ValueError):
        return False


def previous_village(
    *, commune: Commune, phone: str, exclude_id: int | None
) -> Village | None:
    if not phone:
        return None
    earlier = HelpRequest.objects.filter(
        commune=commune, resident_phone=phone, village__isnull=False
    )
    if exclude_id is not None:
        earlier = earlier.exclude(pk=exclude_id)
    last = earlier.select_related("village").order_by("-created_at").first()
    return last.village if last else None


def find_location(
    *,
    commune: Commune,
    lat: float | None = None,
    lng: float | None = None,
    village: Village | None = None,
    text: str = "",
    village_number: int | None = None,
    phone: str = "",
    request_id: int | None = None,
    villages: list[Village] | None = None,
) -> Location:
    """Work out the resident's place in the order of this module's docstring (read-only)."""
    if villages is None:
        villages = list(Village.objects.filter(commune=commune))
    if lat is not None and lng is not None and valid_point(lat, lng):
        lat, lng = float(lat), float(lng)
        if village is None:
            near, km = nearest_village(villages, lat, lng)
            village = near if km is not None and km <= GPS_VILLAGE_RADIUS_KM else None
        return Location(village=village, lat=lat, lng=lng, source=LocationSource.GPS)
    if village is not None:
        return Location(village=village, source=LocationSource.SELECTED)
    candidates: list[VillageGuess] = []
    if text.strip():
        found, candidates = village_from_text(villages, text)
        if found is not None:
            return Location(village=found, source=LocationSource.TEXT)
    if village_number is not None:
        by_number = {v.number: v for v in villages}
        try:
            found = by_number.get(int(village_number))
        except (TypeError, ValueError):
            found = None
        if found is not None:
            return Location(village=found, source=LocationSource.MENU)
    found = previous_village(commune=commune, phone=phone, exclude_id=request_id)
    if found is not None and (
        not candidates or found.pk in {c["village_id"] for c in candidates}
    ):
        return Location(village=found, source=LocationSource.HISTORY)
    return Location(candidates=candidates, needs_triage=True)
