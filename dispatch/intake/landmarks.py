"""A landmark in a resident's SMS ("nhà gần trường tiểu học"), to help find the house.

Read on the folded text (no diacritics, any case) and returned as the resident wrote
it. Only a place word after a "near / beside / opposite" word counts, so "sau khi" or
"gần đây" never become a landmark.
"""

from __future__ import annotations

from teams.text import fold

# "near", "beside", "opposite", "behind", "in front of", "at the end of" (folded).
_MARKERS = (
    ("ben", "canh"),
    ("doi", "dien"),
    ("phia", "sau"),
    ("phia", "truoc"),
    ("gan",),
    ("canh",),
    ("sat",),
    ("sau",),
    ("truoc",),
    ("cuoi",),
    ("dau",),
)
# Places people give as landmarks in a commune (folded).
_PLACES = {
    "truong", "cho", "nha", "cau", "chua", "uy", "ubnd", "tram", "duong", "tiem",
    "quan", "cay", "suoi", "hoi", "nghia", "dinh", "buu", "cong", "nga", "ngo",
    "hem", "xuong", "ngan", "san", "nha tho", "trung", "dai", "ho", "kenh", "thac",
}  # fmt: skip
# Words that end the landmark and start the rest of the message.
_STOP = {"can", "giup", "toi", "minh", "nho", "xin", "de", "va", "voi", "la", "co"}
MAX_WORDS = 7


def extract_landmark(text: str) -> str:
    """The first landmark phrase in `text`, as written, or ""."""
    words = (text or "").split()
    folded = [fold(w) for w in words]
    for i in range(len(words)):
        for marker in _MARKERS:
            n = len(marker)
            if tuple(folded[i : i + n]) != marker or i + n >= len(words):
                continue
            if folded[i + n].split(" ")[0] not in _PLACES:
                continue
            end = i + n
            while end < len(words) and end - i < MAX_WORDS:
                if end > i + n and folded[end] in _STOP:
                    break
                end += 1
                if words[end - 1].endswith((",", ".", ";", "!", "?")):
                    break
            return " ".join(words[i:end]).strip(",.;!? ")
    return ""
