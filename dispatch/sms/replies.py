"""SMS reply texts: translatable templates, fitted to one segment where possible.

Templates are written with diacritics; `queue_sms` strips them in a commune's
unaccented mode, where every reply must fit one 160-character GSM-7 segment.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dispatch.sms.text import sms_body, sms_size


def fit(variants: list[str], *, unaccented_mode: bool) -> str:
    """The first (richest) variant that fits one segment, else the shortest one."""
    for text in variants:
        if sms_size(sms_body(text, unaccented_mode=unaccented_mode)).segments == 1:
            return text
    return min(variants, key=len)


def received(
    *,
    code: str,
    team: str,
    position: int | None,
    triage: bool,
    unaccented_mode: bool,
    hint: str = "",
) -> str:
    """The code and who will call; `hint` names the command a text started like
    ("Hủy giúp tôi…" is a request, but the resident may have meant HUY)."""
    if triage:
        who = _("Tổng đài sẽ gọi lại cho bạn")
    elif team:
        who = _("%(team)s sẽ gọi lại cho bạn") % {"team": team[:40]}
    else:
        who = _("Chúng tôi sẽ gọi lại cho bạn")
    full = _("Cầu Nối đã nhận yêu cầu %(code)s. %(who)s.") % {"code": code, "who": who}
    place = (
        " " + _("Số thứ tự: %(position)s.") % {"position": position} if position else ""
    )
    track = " " + _("Xem: TT %(code)s") % {"code": code}
    mention = _command_mention(hint, code=code)
    return fit(
        [
            full + place + track + "." + mention if mention else full + place + track,
            full + track + "." + mention if mention else full + track,
            full + mention,
            full + place + track,
            full + place,
            full,
            _("Đã nhận yêu cầu %(code)s.") % {"code": code},
        ],
        unaccented_mode=unaccented_mode,
    )


def _command_mention(hint: str, *, code: str) -> str:
    if hint == "help":
        return " " + _("Hướng dẫn: nhắn GIUP.")
    if hint == "cancel":
        return " " + _("Hủy: nhắn HUY %(code)s") % {"code": code}
    return ""


def added_to_request(*, code: str) -> str:
    return _("Đã thêm tin nhắn vào yêu cầu %(code)s. Xem: TT %(code)s") % {"code": code}


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
        " HUY <mã>: hủy. Xong việc, nhắn 1-5 để chấm điểm."
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


def resident_accepted(*, code: str, volunteer: str, team: str) -> str:
    return _(
        "Cầu Nối: %(volunteer)s (%(team)s) đã nhận yêu cầu %(code)s và sẽ gọi bạn sớm."
    ) % {
        "code": code,
        "volunteer": volunteer,
        "team": team[:40],
    }


def resident_resolved(*, code: str) -> str:
    return _(
        "Cầu Nối: yêu cầu %(code)s đã xong. Nhắn 1-5 để chấm điểm (5 là rất tốt)."
    ) % {"code": code}
