"""The category of a resident's free text, from a small model trained on the corpus.

Residents describe the same trouble in endless words ("điện lực dọa cắt điện", "cháu
nhập viện cần tiền mổ"), so the category is guessed by a multinomial logistic
regression over words, word pairs, character 3–4-grams of the folded text and hits of
a small domain lexicon. `manage.py train_sms_classifier` fits it from
tests/fixtures/sms_corpus.tsv and writes dispatch/intake/sms_categories.json, which ships with
the code: pure Python, no numpy on the server, loads offline in a few milliseconds.
bench/understanding.py compares it with the keyword rules on a held-out split (the
model won: 95 % against 48 %); below `CONFIDENCE_THRESHOLD` the request is not guessed
but sent to triage. Commands, codes and village numbers stay exact rules elsewhere.

Belongs in dispatch/intake/classifier.py once intake.py is split (layout.md); kept flat
meanwhile because a dispatch/intake/ package would shadow dispatch/intake.py.
"""

from __future__ import annotations

import csv
import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

from teams.text import fold

MODEL_PATH = Path(__file__).resolve().parent / "sms_categories.json"


class Model(TypedDict):
    """The shipped model, as JSON: class names, one bias and one weight row per feature."""

    classes: list[str]
    bias: list[float]
    weights: dict[str, list[float]]


# Below this posterior the request goes to triage ("cần phân loại") instead of a guess.
# Chosen on the training split only (bench/understanding.py --threshold-scan).
CONFIDENCE_THRESHOLD = 0.5
MIN_COUNT = 2
EPOCHS = 12
L2 = 1e-4


@dataclass(frozen=True)
class Guess:
    category: str
    confidence: float

    @property
    def sure(self) -> bool:
        return self.confidence >= CONFIDENCE_THRESHOLD


# What each kind of trouble is called, from the procedures and scam warnings residents
# hear (../shared/reference): folded phrases. They are features of the model, not
# rules: a text that says "giả danh công an" *and* "VNeID" is weighed, not matched.
LEXICON: dict[str, tuple[str, ...]] = {
    "scam": (
        "lua", "lua dao", "bi lua", "gia danh", "mao danh", "tu xung", "xung la",
        "xung", "gia mao", "so la", "nguoi la", "link la", "web la", "app la",
        "duong link", "bam link", "vao link", "gui link", "qua link", "theo link",
        "file apk", "apk", "doc ma", "doi ma", "doi otp", "ma otp", "ma xac thuc",
        "doa", "de doa", "khung bo", "bat giam", "cat dien", "trung thuong",
        "trung giai", "qua tang", "tri an", "nop phi", "phi nhan", "phi van chuyen",
        "mat tien", "mat het", "lo het", "bi tru", "tru sach", "chiem", "chiem doat",
        "hack", "nhiem vu", "hoa hong", "khong rut", "ko rut", "dau tu",
        "lai cao", "tien ao", "coin", "usdt", "san giao dich", "forex", "campuchia",
        "app vay", "vay app", "vay online", "khoan vay", "giai ngan", "rua tien",
        "ma tuy", "trieu tap", "toa an", "vien kiem sat", "khoi to", "hau toa",
        "phat nguoi", "cuong che", "bao lanh", "tai nan", "cap cuu", "nhap vien",
        "mo gap", "buu kien", "buu pham", "hai quan", "shipper", "khong dat",
        "ko ai dat", "thu ho", "ban trai", "ban gai", "nguoi yeu", "hen ho",
        "tren mang", "qua mang", "goi video", "video call", "cuoc goi", "goi dien",
        "goi bao", "goi noi", "ca goi", "cong an goi", "dien luc", "evn",
        "hoan thue", "hoan tien", "cuc thue", "can bo thue", "quay mat",
        "tro nang", "dieu khien", "chia se man hinh", "quet ho", "quet giup",
        "nho quet", "hui", "om tien", "bo tron", "bien mat", "mat lien lac",
        "chan so", "tai khoan an toan", "tk an toan", "phong toa", "dong bang",
        "nghi", "canh bao", "tu dung", "dang nhap la", "bi chiem", "muon tien",
        "vay tien", "nguoi ta", "ai do", "ho noi", "ho bao", "ho doi", "ho goi",
        "bi goi", "tin nhan bao", "se bi khoa", "khoa tai khoan", "24h",
        "so tai khoan", "so tk", "nhap so", "cap nhat thong tin", "cap nhat du lieu",
        "gui tien", "chuyen truoc", "tien coc", "so the",
    ),
    "vneid": (
        "vneid", "vn eid", "vnid", "vnied", "nveid", "dinh danh", "muc 2",
        "muc hai", "muc 1", "passcode", "kich hoat", "tich hop", "can cuoc dien tu",
        "ma qr ca nhan", "nfc", "khuon mat", "dinh danh dien tu", "app dinh danh",
        "tai khoan dinh danh", "luu tru",
    ),
    "portal": (
        "dich vu cong", "dichvucong", "dvc", "dvcqg", "cong dvc", "cong dich vu",
        "cong quoc gia", "cong dv", "gov vn", "tai khoan cong", "trang dich vu",
        "web dich vu", "dang nhap", "ten dang nhap", "dang xuat", "dang ky tai khoan",
        "tra cuu", "lien ket",
    ),
    "dossier": (
        "ho so", "giay to", "thu tuc", "khai sinh", "khai tu", "ket hon", "tam tru",
        "tam vang", "thuong tru", "ho khau", "so do", "dat dai", "thua ke",
        "uy quyen", "chung thuc", "ly lich tu phap", "tro cap", "xac nhan",
        "giay chung nhan", "cap lai", "cap doi", "doi the", "lam lai", "can cuoc",
        "cccd", "the can cuoc", "giay phep", "ho ngheo", "mai tang", "trich luc",
        "cai chinh", "con nuoi", "ho kinh doanh", "tach thua", "bien dong",
        "bo sung", "nop ho so", "quyen su dung dat", "luong huu", "dong dau",
        "giay xac nhan", "hen tra",
    ),
    "epayment": (
        "thanh toan", "chuyen khoan", "chuyen tien", "vi dien tu", "momo",
        "zalopay", "vnpay", "viettel money", "ngan hang", "app ngan hang",
        "agribank", "vietcombank", "bidv", "vietinbank", "the atm", "atm", "ma pin",
        "han muc", "sao ke", "nop tien", "dong tien", "tien dien", "tien nuoc",
        "hoa don", "hoc phi", "nop thue", "thue", "etax", "nop phat", "le phi",
        "qr", "ma qr", "vssid", "bhyt", "nap tien", "cuoc", "sinh trac hoc",
        "tai khoan ngan hang", "mo tai khoan", "vien phi", "phi bao hiem",
    ),
    "other": (
        "zalo", "wifi", "youtube", "video", "chup man hinh", "bo nho", "co chu",
        "lich hop", "hop", "tiem chung", "vacxin", "thu y", "duong", "sat lo",
        "mat dien", "loa", "may in", "cam on", "tinh nguyen vien", "lop hoc",
        "tap huan", "hoa giai", "bat nat", "ok", "alo", "chao", "hoi", "mat song",
        "smartphone", "may tinh", "gui anh", "chu nhat", "lam viec may gio",
    ),
}  # fmt: skip
_LEXICON_RE = {
    category: re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
    for category, words in LEXICON.items()
}


def features(text: str) -> dict[str, float]:
    """Words, word pairs, 3–4 character n-grams and lexicon hits of the folded text."""
    folded = fold(text)
    words = folded.split()
    found = {f"w:{w}" for w in words}
    found |= {f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False)}
    for word in words:
        padded = f" {word} "
        for n in (3, 4):
            found |= {f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)}
    scale = 1 / math.sqrt(len(found) or 1)
    out = dict.fromkeys(found, scale)
    for category, rule in _LEXICON_RE.items():
        hits = rule.findall(folded)
        if hits:
            out[f"k:{category}"] = min(len(hits), 4) / 2
            for hit in hits:
                out[f"p:{hit}"] = 0.5
    return out


def train(
    samples: Iterable[tuple[str, str]],
    *,
    epochs: int = EPOCHS,
    l2: float = L2,
    seed: int = 7,
) -> Model:
    """A multinomial logistic regression (JSON-ready) from (text, category) pairs,
    fitted by SGD with a fixed seed: the same corpus always gives the same model."""
    data = [(features(text), category) for text, category in samples]
    counts = Counter(f for feats, _ in data for f in feats)
    vocab = {f for f, n in counts.items() if n >= MIN_COUNT or f.startswith("k:")}
    classes = sorted({category for _, category in data})
    index = {c: i for i, c in enumerate(classes)}
    weights: dict[str, list[float]] = {f: [0.0] * len(classes) for f in vocab}
    bias = [0.0] * len(classes)
    order = list(range(len(data)))
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = 0.5 / (1 + epoch * 0.2)
        for i in order:
            feats, category = data[i]
            known = [(f, v) for f, v in feats.items() if f in vocab]
            probs = _softmax(_scores(weights, bias, known))
            target = index[category]
            for k in range(len(classes)):
                grad = probs[k] - (k == target)
                bias[k] -= rate * grad
                for f, v in known:
                    row = weights[f]
                    row[k] -= rate * (grad * v + l2 * row[k])
    kept = {
        f: [round(w, 3) for w in row]
        for f, row in weights.items()
        if max(abs(w) for w in row) >= 0.005
    }
    return {"classes": classes, "bias": [round(b, 4) for b in bias], "weights": kept}


def _scores(
    weights: dict[str, list[float]],
    bias: list[float],
    known: list[tuple[str, float]],
) -> list[float]:
    scores = list(bias)
    for f, v in known:
        row = weights.get(f)
        if row is not None:
            for k, w in enumerate(row):
                scores[k] += w * v
    return scores


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    total = sum(exp)
    return [e / total for e in exp]


def predict(model: Model, text: str) -> Guess:
    probs = _softmax(
        _scores(model["weights"], model["bias"], list(features(text).items()))
    )
    best = max(range(len(probs)), key=probs.__getitem__)
    return Guess(model["classes"][best], probs[best])


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    model: Model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return model


def classify(text: str) -> Guess:
    """The shipped model's guess for `text` (category value of `Category`)."""
    if not fold(text):
        return Guess("other", 0.0)
    return predict(shipped_model(), text)


def read_corpus(path: Path) -> list[dict[str, str]]:
    """Rows of the labelled SMS corpus (TSV with a header: text, category, village,
    flags, command, group)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def write_model(model: Model, path: Path = MODEL_PATH) -> int:
    data = json.dumps(model, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    path.write_text(data + "\n", encoding="utf-8")
    return len(data)


def categorize(text: str, *, model: Model | None = None) -> Guess:
    """The category of a request's text: the model's guess (see bench/understanding.py
    for why the model and not the keyword rules). `model` defaults to the shipped one."""
    if not fold(text):
        return Guess("other", 0.0)
    return predict(model if model is not None else shipped_model(), text)
