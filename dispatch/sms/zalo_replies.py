"""Texts for residents and volunteers on Zalo: translatable, with diacritics.

Zalo carries Unicode at no cost per character, so these are the full sentences the SMS
replies shorten to fit one segment (`dispatch.sms.replies` keeps the shared ones).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from dispatch.sms.replies import track_link


def greeting() -> str:
    """The answer to `follow`: what to send."""
    return _(
        "Chào bạn, đây là Cầu Nối của xã: tổ hỗ trợ cộng đồng giúp bà con làm thủ tục "
        "trực tuyến (VNeID, dịch vụ công, thanh toán, nhận biết lừa đảo). Hãy nhắn việc "
        "cần giúp và tên thôn, ví dụ: «Cần giúp kích hoạt VNeID, thôn 5». Bạn có thể "
        "gửi vị trí để tổ gần nhất đến nhà. TT <mã>: xem trạng thái. HUY <mã>: hủy."
    )


def received(*, code: str, team: str, position: int | None, triage: bool) -> str:
    """The acknowledgement on Zalo: code, who calls back, the tracking link, how to cancel."""
    if triage:
        who = _("Tổng đài xã sẽ liên hệ với bạn.")
    elif team:
        who = _("%(team)s sẽ liên hệ với bạn.") % {"team": team}
    else:
        who = _("Chúng tôi sẽ liên hệ lại với bạn.")
    text = _("Cầu Nối đã nhận yêu cầu %(code)s.") % {"code": code} + " " + who
    if position:
        text += " " + _("Số thứ tự: %(position)s.") % {"position": position}
    text += " " + _("Theo dõi: %(link)s") % {"link": track_link(code)}
    text += " " + _("Muốn hủy, nhắn: HUY %(code)s") % {"code": code}
    return text


def ask_phone() -> str:
    return _(
        "Xin gửi số điện thoại của bạn (ví dụ 0912 345 678) để tổ gọi lại khi cần. "
        "Không có cũng được: tổ sẽ nhắn cho bạn qua Zalo."
    )


def phone_linked(*, phone: str, code: str) -> str:
    if code:
        return _(
            "Cảm ơn bạn. Đã ghi số %(phone)s vào yêu cầu %(code)s, tổ sẽ gọi số này."
        ) % {"phone": phone, "code": code}
    return _("Cảm ơn bạn. Đã ghi số %(phone)s.") % {"phone": phone}


def located(*, code: str) -> str:
    return _(
        "Đã nhận vị trí của bạn cho yêu cầu %(code)s. Tổ gần nhất sẽ biết đường đến."
    ) % {"code": code}


def located_ask_what() -> str:
    return _(
        "Đã nhận vị trí của bạn. Bạn cần giúp việc gì? Hãy nhắn vài chữ, ví dụ "
        "«kích hoạt VNeID» hoặc «nộp hồ sơ trực tuyến»."
    )


def attachment_added(*, code: str) -> str:
    return _("Đã thêm tệp bạn gửi vào yêu cầu %(code)s. Xem: %(link)s") % {
        "code": code,
        "link": track_link(code),
    }


def attachment_without_request() -> str:
    return _(
        "Đã nhận tệp bạn gửi. Hãy nhắn thêm bạn cần giúp việc gì và ở thôn nào "
        "để chúng tôi chuyển cho tổ gần nhất."
    )


def volunteer_linked(*, name: str) -> str:
    return _(
        "Đã liên kết Zalo với tài khoản tình nguyện viên %(name)s. Việc mới sẽ đến "
        "đây; nhắn NHAN <mã>, TU CHOI <mã>, XONG <mã> <kết quả>, TRUC, NGHI như SMS."
    ) % {"name": name}


def link_code_wrong() -> str:
    return _(
        "Mã liên kết không đúng hoặc đã hết hạn. Mở trang tình nguyện viên (/v/) để "
        "lấy mã mới."
    )


def unsupported() -> str:
    return _(
        "Cầu Nối chưa đọc được loại tin này. Xin nhắn bằng chữ việc cần giúp, hoặc "
        "gửi vị trí, ảnh."
    )
