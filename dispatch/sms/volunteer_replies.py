"""Replies to volunteers' SMS commands: one GSM-7 segment each, for basic phones.

Templates are written (and translated) with diacritics; `gsm` strips them and fits the
text into 160 characters, so a reply never costs more than one SMS and every basic
phone shows it. Quiz questions are the one exception: a question and its choices need
more room, so they go as GSM-7 text of as many segments as they need.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.sms.text import GSM7_BASIC
from teams.text import unaccented

SEGMENT = 160
LETTERS = "ABCD"


def gsm(text: str) -> str:
    """`text` without diacritics, cut to one 160-character GSM-7 segment."""
    plain = " ".join(unaccented(text).split())
    return "".join(c if c in GSM7_BASIC else "?" for c in plain)[:SEGMENT]


def usage() -> str:
    """The help reply: exactly the commands a volunteer's phone may send."""
    return gsm(
        _(
            "Lệnh: TRUC, NGHI (số ngày), DS, NHAN <mã>, TU CHOI <mã> (lý do),"
            " XONG <mã> <số>, GHI <mã> <nội dung>, HOC LUA DAO, GUI <mã> <từ khoá>,"
            " TH <mã hộ> <số>"
        )
    )


def on_duty() -> str:
    return gsm(_("Bạn đang trực: lời mời mới sẽ nhắn về máy này. Nhắn NGHI để nghỉ."))


def off_duty(*, until: dt.datetime | None) -> str:
    if until is None:
        return gsm(_("Bạn đã nghỉ trực. Nhắn TRUC để trực lại."))
    return gsm(
        _("Bạn nghỉ trực đến hết %(date)s. Nhắn TRUC để trực lại sớm hơn.")
        % {"date": timezone.localtime(until).strftime("%d/%m")}
    )


def work_list(items: list[str]) -> str:
    """DS: the volunteer's open offers and assignments, newest first, as many as fit."""
    if not items:
        return gsm(_("Bạn không có lời mời hay việc nào đang mở."))
    head = _("Việc của bạn:")
    shown: list[str] = []
    for item in items:
        left = len(items) - len(shown) - 1
        more = " " + _("+%(n)s việc nữa") % {"n": left} if left else ""
        candidate = " ".join([head, "; ".join([*shown, item])]) + more
        if len(unaccented(candidate)) > SEGMENT:
            break
        shown.append(item)
    left = len(items) - len(shown)
    more = " " + _("+%(n)s việc nữa") % {"n": left} if left else ""
    return gsm(" ".join([head, "; ".join(shown)]) + more)


def offer_item(*, code: str, village: str) -> str:
    return _("%(code)s mời nhận (%(village)s)") % {"code": code, "village": village}


def assignment_item(*, code: str, status: str, village: str) -> str:
    return _("%(code)s %(status)s (%(village)s)") % {
        "code": code,
        "status": status,
        "village": village,
    }


def outcome_menu(*, code: str) -> str:
    """Bare XONG: the digits of the outcomes (and which job it would close)."""
    text = _(
        "Nhắn XONG <mã> <số>: 1 giải quyết từ xa, 2 đến nhà xong, 3 chuyển Trung tâm"
        " HCC, 4 chuyển Công an xã, 5 chưa giải quyết được."
    )
    if code:
        text += " " + _("Việc: %(code)s") % {"code": code}
    return gsm(text)


def done(*, code: str, outcome: str) -> str:
    return gsm(
        _("Đã ghi %(code)s: %(outcome)s. Cảm ơn bạn!")
        % {"code": code, "outcome": outcome}
    )


def guide_sent(*, code: str, keyword: str) -> str:
    return gsm(
        _("Đã nhắn hướng dẫn %(keyword)s cho người dân của %(code)s.")
        % {"keyword": keyword.upper(), "code": code}
    )


def guide_unknown(*, keywords: list[str]) -> str:
    return gsm(
        _("Không có hướng dẫn này. Nhắn GUI <mã> và một từ: %(list)s")
        % {"list": " ".join(k.upper() for k in keywords)}
    )


def visit_menu() -> str:
    """A malformed TH: the outcome digits of a household visit."""
    return gsm(
        _(
            "Nhắn TH <mã hộ> <số>: 1 đã đến - xong, 2 cần quay lại, 3 không có nhà,"
            " 4 từ chối. Ví dụ: TH 3-12 1"
        )
    )


def visit_recorded(*, code: str, outcome: str, campaign: str) -> str:
    return gsm(
        _("Đã ghi hộ %(code)s: %(outcome)s (%(campaign)s). Cảm ơn bạn!")
        % {"code": code, "outcome": outcome, "campaign": campaign}
    )


def noted(*, code: str) -> str:
    return gsm(_("Đã ghi chú vào %(code)s.") % {"code": code})


def accepted(*, code: str, phone: str, village: str) -> str:
    return gsm(
        _("Bạn đã nhận %(code)s. Gọi người dân: %(phone)s. %(village)s.")
        % {"code": code, "phone": phone or "-", "village": village or "-"}
        + " "
        + _("Xong nhắn XONG %(code)s <số>") % {"code": code}
    )


def declined(*, code: str, moved_on: bool) -> str:
    if moved_on:
        return gsm(
            _(
                "Đã ghi nhận bạn từ chối %(code)s; cả tổ đã từ chối nên việc chuyển tổ khác."
            )
            % {"code": code}
        )
    return gsm(
        _("Đã ghi nhận bạn từ chối %(code)s; người khác trong tổ vẫn nhận được.")
        % {"code": code}
    )


def no_offer() -> str:
    return gsm(_("Tổ của bạn không có lời mời nào đang chờ."))


def no_assignment() -> str:
    return gsm(_("Bạn không có việc nào đang làm."))


def not_found(*, code: str) -> str:
    return gsm(_("Không tìm thấy việc %(code)s. Nhắn DS để xem mã.") % {"code": code})


def refused(*, reason: str) -> str:
    return gsm(_("Không thực hiện được: %(reason)s") % {"reason": reason})


def quiz_question(
    *, number: int, total: int, text: str, choices: list[tuple[int, str]]
) -> str:
    """One quiz question and its lettered choices (GSM-7; may take several segments)."""
    lines = [
        _("Câu %(n)s/%(total)s: %(text)s") % {"n": number, "total": total, "text": text}
    ]
    lines += [f"{LETTERS[pos]}) {choice}" for pos, choice in choices]
    letters = "/".join(LETTERS[pos] for pos, _choice in choices)
    lines.append(_("Trả lời %(letters)s.") % {"letters": letters})
    plain = " ".join(" ".join(unaccented(line).split()) for line in lines)
    return "".join(c if c in GSM7_BASIC else "?" for c in plain)


def quiz_passed(
    *, score: int, total: int, certificate: str, expires: dt.datetime | None
) -> str:
    if certificate and expires is not None:
        return gsm(
            _("Bạn đạt %(score)s/%(total)s. Chứng nhận lừa đảo %(code)s, hạn %(date)s.")
            % {
                "score": score,
                "total": total,
                "code": certificate,
                "date": timezone.localtime(expires).strftime("%d/%m/%Y"),
            }
        )
    return gsm(
        _(
            "Bạn đạt %(score)s/%(total)s. Chứng nhận được cấp khi bạn đủ buổi tập huấn"
            " và bài thực hành."
        )
        % {"score": score, "total": total}
    )


def quiz_failed(*, score: int, total: int, left: int) -> str:
    return gsm(
        _(
            "Chưa đạt: %(score)s/%(total)s (cần %(pass)s%%). Còn %(left)s lượt hôm nay;"
            " nhắn HOC LUA DAO để làm lại."
        )
        % {
            "score": score,
            "total": total,
            "pass": settings.TRAINING_QUIZ_PASS_PERCENT,
            "left": left,
        }
    )


def quiz_not_started() -> str:
    return gsm(_("Bạn chưa làm bài nào. Nhắn HOC LUA DAO để bắt đầu."))
