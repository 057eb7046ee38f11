"""SMS reply texts: translatable templates, fitted to one segment where possible.

Templates are written with diacritics; `queue_sms` strips them in a commune's
unaccented mode, where every reply must fit one 160-character GSM-7 segment.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dispatch.sms.text import sms_body, sms_size


def fit(variants: list[str], *, unaccented_mode: bool) -> str:
    """The first (richest) variant that fits one segment, else the shortest one."""
    for text in variants:
        if sms_size(sms_body(text, unaccented_mode=unaccented_mode)).segments == 1:
            return text
    return min(variants, key=len)


def track_link(code: str) -> str:
    """The short tracking link: `https://caunoi.example.vn/t/DA-7K3Q9XY`."""
    return f"{settings.PUBLIC_BASE_URL}/t/{code}"


RATING_QUESTION = gettext_lazy("Đánh giá: trả lời số 1 (tệ) đến 5 (tốt).")


def received(
    *,
    code: str,
    team: str,
    position: int | None,
    triage: bool,
    unaccented_mode: bool,
    hint: str = "",
) -> str:
    """The acknowledgement: code, who calls back, the short link and how to cancel —
    the richest variant that fits one segment. `hint` names the command a text
    started like ("Giúp tôi…" is a request, but the resident may have meant GIUP)."""
    if triage:
        who = _("Tổng đài sẽ gọi lại cho bạn")
    elif team:
        who = _("%(team)s sẽ gọi bạn") % {"team": team[:40]}
    else:
        who = _("Chúng tôi sẽ gọi lại cho bạn")
    full = _("Cầu Nối đã nhận yêu cầu %(code)s. %(who)s.") % {"code": code, "who": who}
    place = (
        " " + _("Số thứ tự: %(position)s.") % {"position": position} if position else ""
    )
    track = " " + _("Xem: %(link)s") % {"link": track_link(code)}
    cancel = " " + _("Hủy: nhắn HUY %(code)s") % {"code": code}
    # HUY is in every acknowledgement already; only a GIUP hint adds words.
    mention = _command_mention(hint, code=code)
    return fit(
        [
            full + mention + place + track + cancel,
            full + mention + track + cancel,
            full + mention + cancel,
            full + place + track + cancel,
            full + track + cancel,
            full + place + track,
            full + track,
            full + cancel,
            full,
            _("Đã nhận yêu cầu %(code)s.") % {"code": code},
        ],
        unaccented_mode=unaccented_mode,
    )


def _command_mention(hint: str, *, code: str) -> str:
    """Words for a text that started like a command (HUY is always in the reply)."""
    if hint == "help":
        return " " + _("Hướng dẫn: nhắn GIUP.")
    return ""


def added_to_request(*, code: str) -> str:
    return _("Đã thêm tin nhắn vào yêu cầu %(code)s. Xem: %(link)s") % {
        "code": code,
        "link": track_link(code),
    }


def status(
    *, code: str, status_label: str, position: int | None, eta: int | None
) -> str:
    text = _("Yêu cầu %(code)s: %(status)s.") % {"code": code, "status": status_label}
    if position:
        text += " " + _("Số thứ tự: %(position)s.") % {"position": position}
    if eta:
        text += " " + _("Dự kiến: %(minutes)s phút.") % {"minutes": eta}
    return text


def not_found(*, code: str) -> str:
    if not code:
        return _("Bạn chưa có yêu cầu nào đang mở. Nhắn GIUP để xem hướng dẫn.")
    return _("Không tìm thấy yêu cầu %(code)s. Vui lòng kiểm tra lại mã.") % {
        "code": code
    }


def cancelled(*, code: str) -> str:
    return _("Đã hủy yêu cầu %(code)s. Cảm ơn bạn.") % {"code": code}


def rated(*, code: str, rating: int) -> str:
    return _("Cảm ơn bạn đã chấm %(rating)s sao cho yêu cầu %(code)s.") % {
        "rating": rating,
        "code": code,
    }


def usage() -> str:
    return _(
        "Cầu Nối: nhắn việc cần giúp và tên thôn. TT <mã>: xem trạng thái."
        " HUY <mã>: hủy. Xong việc: trả lời số 1 (tệ) đến 5 (tốt)."
    )


def volunteer_accepted(*, code: str, phone: str, village: str) -> str:
    return _(
        "Bạn đã nhận %(code)s. Gọi người dân: %(phone)s. %(village)s. Xong nhắn XONG %(code)s"
    ) % {
        "code": code,
        "phone": phone or "-",
        "village": village or "-",
    }


def volunteer_declined(*, code: str) -> str:
    return _("Đã ghi nhận bạn từ chối %(code)s.") % {"code": code}


def volunteer_done(*, code: str) -> str:
    return _("Đã ghi nhận hoàn thành %(code)s. Cảm ơn bạn!") % {"code": code}


def no_offer() -> str:
    return _("Tổ của bạn không có lời mời nào đang chờ.")


def no_assignment() -> str:
    return _("Bạn không có việc nào đang làm.")


def too_many() -> str:
    return _(
        "Cầu Nối đã nhận nhiều tin từ số này trong một giờ. Tổ hỗ trợ sẽ liên hệ,"
        " xin chờ. Việc gấp xin gọi tổng đài."
    )


def held_for_triage() -> str:
    """The SMS reached a hotline number no commune has: it waits for the office."""
    return _(
        "Cầu Nối đã nhận tin của bạn. Chúng tôi đang chuyển đến xã của bạn và sẽ"
        " nhắn mã theo dõi sau."
    )


def refused(*, reason: str) -> str:
    return _("Không thực hiện được: %(reason)s") % {"reason": reason}


def certificate(
    *, code: str, state: str, holder: str, topic: str, expires: datetime | None
) -> str:
    return _(
        "Chứng nhận %(code)s (%(holder)s, %(topic)s): %(state)s, hạn %(date)s."
    ) % {
        "code": code,
        "state": state,
        "holder": holder,
        "topic": topic,
        "date": formats.date_format(timezone.localtime(expires), "d/m/Y")
        if expires
        else "-",
    }


def certificate_unavailable(*, code: str) -> str:
    return _("Chưa tra cứu được chứng nhận %(code)s. Vui lòng gọi tổng đài xã.") % {
        "code": code or "-"
    }


def certificate_unknown(*, code: str) -> str:
    return _(
        "Không có chứng nhận mã %(code)s. Hãy báo công an xã nếu có người mạo danh."
    ) % {"code": code}


def resident_accepted(*, code: str, volunteer: str, team: str, phone: str = "") -> str:
    if phone:
        return _(
            "Cầu Nối: %(volunteer)s (%(team)s) đã nhận yêu cầu %(code)s,"
            " sẽ gọi bạn từ số %(phone)s."
        ) % {"code": code, "volunteer": volunteer, "team": team[:40], "phone": phone}
    return _(
        "Cầu Nối: %(volunteer)s (%(team)s) đã nhận yêu cầu %(code)s và sẽ gọi bạn sớm."
    ) % {
        "code": code,
        "volunteer": volunteer,
        "team": team[:40],
    }


def resident_resolved(*, code: str) -> str:
    return (
        _("Cầu Nối: yêu cầu %(code)s đã xong.") % {"code": code}
        + " "
        + str(RATING_QUESTION)
    )


def followup_question(*, code: str) -> str:
    """Closing the loop, N days after "resolved" (the answer is one digit)."""
    return _("Cầu Nối: việc %(code)s đã xong chưa? Trả lời 1 nếu xong, 2 nếu chưa.") % {
        "code": code
    }


def followup_done(*, code: str, ask_rating: bool) -> str:
    text = _("Cảm ơn bạn. Yêu cầu %(code)s đã đóng.") % {"code": code}
    return text + " " + str(RATING_QUESTION) if ask_rating else text


def followup_reopened(*, code: str, team: str) -> str:
    return _("Cầu Nối: đã báo %(team)s, sẽ có người gọi bạn về việc %(code)s.") % {
        "team": team[:40] or _("tổ hỗ trợ"),
        "code": code,
    }
