"""Domain errors of dispatch: each has a stable `code` and a Vietnamese message.

The edges (views, SMS commands, WebSocket consumers) turn them into HTTP, SMS or WS text;
services only raise them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DispatchError(Exception):
    """A request or offer cannot do what was asked; `code` is for machines."""

    code = "dispatch_error"
    default_message = _("Không thực hiện được yêu cầu.")

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class OfferAlreadyTaken(DispatchError):
    code = "already_taken"
    default_message = _("Việc này đã có người khác nhận hoặc đã được chuyển đi.")


class OfferExpired(DispatchError):
    code = "offer_expired"
    default_message = _("Lời mời đã hết hạn và được chuyển cho tổ khác.")


class NotYourTeam(DispatchError):
    code = "not_your_team"
    default_message = _("Lời mời này không gửi cho tổ của bạn.")


class NotCertified(DispatchError):
    code = "not_certified"
    default_message = _("Việc này cần chứng nhận mà bạn chưa có hoặc đã hết hạn.")


class AtCapacity(DispatchError):
    code = "at_capacity"
    default_message = _("Bạn đang nhận đủ số việc cùng lúc; hãy hoàn thành bớt trước.")


class AtWeeklyCap(DispatchError):
    code = "at_weekly_cap"
    default_message = _(
        "Bạn đã nhận đủ số việc tổ đặt cho tuần này; để các bạn khác trong tổ nhận nhé."
    )


class NotAssignee(DispatchError):
    code = "not_assignee"
    default_message = _("Bạn không phải người nhận việc này.")


class InvalidTransition(DispatchError):
    code = "invalid_transition"
    default_message = _("Yêu cầu đang ở trạng thái không cho phép thao tác này.")


class InvalidRating(DispatchError):
    code = "invalid_rating"
    default_message = _("Điểm đánh giá phải từ 1 đến 5.")


class NotFound(DispatchError):
    code = "not_found"
    default_message = _("Không tìm thấy việc này.")


class NotAllowed(DispatchError):
    code = "not_allowed"
    default_message = _("Bạn không có quyền làm việc này.")


class BadAction(DispatchError):
    """A live screen sent something the server does not understand (bad id, action)."""

    code = "bad_action"
    default_message = _("Thao tác không hợp lệ.")


class WrongProof(DispatchError):
    """The resident's proof (last digits of their phone) does not match the request."""

    code = "wrong_proof"
    default_message = _(
        "4 số cuối chưa khớp với số điện thoại đã gửi yêu cầu. Bác xem lại nhé."
    )
