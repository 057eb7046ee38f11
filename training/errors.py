"""Domain errors of the training app; the edges turn them into Vietnamese text."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class TrainingError(Exception):
    """A refused training action, with a stable `code` and a user-facing message."""

    code = "training_error"
    message = _("Không thực hiện được thao tác.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message


class WorkshopNotOpen(TrainingError):
    code = "workshop_not_open"
    message = _("Chỉ điểm danh được trong thời gian diễn ra buổi tập huấn.")


class StaleCheckinCode(TrainingError):
    code = "stale_checkin_code"
    message = _("Mã QR đã cũ hoặc không đúng. Hãy quét lại mã đang hiện trên màn hình.")


class NotEnrolled(TrainingError):
    code = "not_enrolled"
    message = _("Bạn chưa có tên trong danh sách của buổi này. Hãy báo giảng viên.")


class EnrolmentClosed(TrainingError):
    code = "enrolment_closed"
    message = _("Buổi tập huấn đã kết thúc, không ghi danh được nữa.")


class InactiveVolunteer(TrainingError):
    code = "inactive_volunteer"
    message = _("Tình nguyện viên này không còn hoạt động.")


class QuizLimitReached(TrainingError):
    code = "quiz_limit_reached"
    message = _(
        "Bạn đã làm hết số lượt kiểm tra trong hôm nay. Hãy quay lại vào ngày mai."
    )


class QuizUnavailable(TrainingError):
    code = "quiz_unavailable"
    message = _("Ngân hàng câu hỏi chưa đủ để tạo bài kiểm tra.")


class QuizAlreadySubmitted(TrainingError):
    code = "quiz_already_submitted"
    message = _("Bài này đã nộp rồi.")


class AlreadyRevoked(TrainingError):
    code = "already_revoked"
    message = _("Chứng nhận này đã bị thu hồi.")


class QuizNoAttempt(TrainingError):
    code = "quiz_no_attempt"
    message = _("Bạn chưa bắt đầu bài kiểm tra nào.")


class QuizBadAnswer(TrainingError):
    code = "quiz_bad_answer"
    message = _("Câu này không có phương án đó.")
