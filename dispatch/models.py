"""Help requests, the offers made to teams, the event log and every message in or out."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.models import Commune, Household, SupportTeam, Village, Volunteer


class Channel(models.TextChoices):
    SMS = "sms", _("tin nhắn SMS")
    VOICE = "voice", _("cuộc gọi")
    WEB = "web", _("biểu mẫu web")
    OPERATOR = "operator", _("tổng đài viên nhập")
    ZALO = "zalo", _("Zalo")
    OUTREACH = "outreach", _("đi thăm hộ gia đình")


class Category(models.TextChoices):
    VNEID = "vneid", _("Kích hoạt VNeID mức 2")
    PORTAL = "portal", _("Tài khoản Cổng dịch vụ công")
    DOSSIER = "dossier", _("Nộp hồ sơ trực tuyến")
    EPAYMENT = "epayment", _("Thanh toán điện tử")
    SCAM = "scam", _("Nghi lừa đảo")
    OTHER = "other", _("Việc khác")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("bình thường")
    PRIORITY = 1, _("ưu tiên")
    URGENT = 2, _("khẩn cấp")


class Status(models.TextChoices):
    RECEIVED = "received", _("đã tiếp nhận")
    ROUTED = "routed", _("đang chờ tổ nhận")
    ACCEPTED = "accepted", _("đã có người nhận")
    IN_PROGRESS = "in_progress", _("đang hỗ trợ")
    ESCALATED = "escalated", _("chuyển chuyên viên xã")
    RESOLVED = "resolved", _("đã giải quyết")
    CLOSED = "closed", _("đã đóng")
    CANCELLED = "cancelled", _("đã hủy")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.ROUTED,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.ESCALATED,
)


class LocationSource(models.TextChoices):
    GPS = "gps", _("vị trí GPS")
    SELECTED = "selected", _("thôn được chọn")
    TEXT = "text", _("tên thôn trong tin nhắn")
    MENU = "menu", _("số thôn trên tổng đài")
    HISTORY = "history", _("thôn của lần trước")
    UNKNOWN = "unknown", _("chưa rõ")


class Outcome(models.TextChoices):
    SOLVED_REMOTE = "solved_remote", _("giải quyết từ xa")
    SOLVED_VISIT = "solved_visit", _("giải quyết khi đến nhà")
    REFERRED_CENTRE = "referred_centre", _("chuyển Trung tâm phục vụ hành chính công")
    REFERRED_POLICE = "referred_police", _("chuyển Công an xã")
    UNSOLVED = "unsolved", _("chưa giải quyết được")


# The resident's ticks, in the order cards show them: HelpRequest field → stable key.
NEED_FIELDS = (
    ("is_elderly", "elderly"),
    ("has_disability", "disability"),
    ("is_pregnant", "pregnant"),
    ("ethnic_minority", "ethnic_minority"),
    ("no_smartphone", "no_smartphone"),
    ("home_visit", "home_visit"),
)


# Failed call-back tries after which the board flags the request.
CALLBACK_FLAG_AFTER = 3


class CallbackOutcome(models.TextChoices):
    """What came of the operator's call back to a resident who asked for one."""

    RESOLVED = "resolved", _("đã gọi được, đã giải quyết xong")
    CONTINUES = "continues", _("đã gọi được, yêu cầu tiếp tục")
    NO_ANSWER = "no_answer", _("không nghe máy, sẽ gọi lại")
    WRONG_NUMBER = "wrong_number", _("sai số")


class HelpRequest(models.Model):
    code = models.CharField(_("mã theo dõi"), max_length=12, unique=True)
    commune = models.ForeignKey(
        Commune, models.PROTECT, related_name="requests", verbose_name=_("xã")
    )
    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    resident_name = models.CharField(
        _("tên người cần hỗ trợ"), max_length=160, blank=True
    )
    resident_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    village = models.ForeignKey(
        Village,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("thôn, bon"),
    )
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lng = models.FloatField(_("kinh độ"), null=True, blank=True)
    location_source = models.CharField(
        _("cách xác định vị trí"),
        max_length=16,
        choices=LocationSource.choices,
        default=LocationSource.UNKNOWN,
    )
    location_text = models.CharField(
        _("địa chỉ người dân tả"), max_length=300, blank=True
    )
    location_candidates = models.JSONField(
        _("các thôn có thể"), default=list, blank=True
    )
    needs_triage = models.BooleanField(_("cần tổng đài phân loại"), default=False)
    category = models.CharField(
        _("loại hỗ trợ"),
        max_length=16,
        choices=Category.choices,
        default=Category.OTHER,
    )
    description = models.TextField(_("mô tả"), blank=True)
    is_elderly = models.BooleanField(_("người cao tuổi"), default=False)
    has_disability = models.BooleanField(_("người khuyết tật"), default=False)
    is_pregnant = models.BooleanField(_("phụ nữ mang thai"), default=False)
    ethnic_minority = models.BooleanField(
        _("hộ đồng bào dân tộc thiểu số"), default=False
    )
    no_smartphone = models.BooleanField(
        _("không có điện thoại thông minh"), default=False
    )
    home_visit = models.BooleanField(_("cần đến tận nhà"), default=False)
    landmark = models.CharField(
        _("địa chỉ hoặc mốc dễ tìm"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: gần trường tiểu học, nhà thứ ba sau cầu."),
    )
    preferred_time = models.CharField(
        _("thời gian thuận tiện"), max_length=80, blank=True
    )
    visit_at = models.DateTimeField(_("hẹn đến nhà lúc"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("mức ưu tiên"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    current_team = models.ForeignKey(
        SupportTeam,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("tổ đang phụ trách"),
    )
    assigned_volunteer = models.ForeignKey(
        Volunteer,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("người nhận"),
    )
    round = models.PositiveSmallIntegerField(_("vòng mời"), default=0)
    consent_at = models.DateTimeField(
        _("đồng ý lưu thông tin lúc"), null=True, blank=True
    )
    created_at = models.DateTimeField(
        _("tiếp nhận lúc"), auto_now_add=True, db_index=True
    )
    routed_at = models.DateTimeField(_("mời tổ lần đầu lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu hỗ trợ lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("chuyển xã lúc"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("báo thư ký lúc"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn hoàn thành"), null=True, blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=24, choices=Outcome.choices, blank=True
    )
    rating = models.PositiveSmallIntegerField(
        _("đánh giá"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    # The operator must call this resident back (the voice line found nobody free).
    callback_requested = models.BooleanField(_("cần gọi lại"), default=False)
    # The operator's call-back list (dispatch/help_requests/callbacks.py): failed tries
    # (no answer, wrong number), the last outcome, and when the resident was reached
    # (or the number found wrong): then it leaves the list.
    callback_attempts = models.PositiveSmallIntegerField(
        _("số lần gọi lại không được"), default=0
    )
    callback_outcome = models.CharField(
        _("kết quả gọi lại"), max_length=20, blank=True, choices=CallbackOutcome.choices
    )
    callback_done_at = models.DateTimeField(
        _("đã gọi lại xong lúc"), null=True, blank=True
    )
    # Closing the loop after "resolved": how many times we asked "is it done?", when
    # last, and whether the team must call because nobody answered.
    followup_attempts = models.PositiveSmallIntegerField(_("số lần hỏi lại"), default=0)
    followup_asked_at = models.DateTimeField(_("hỏi lại lúc"), null=True, blank=True)
    followup_flagged = models.BooleanField(_("cần tổ gọi hỏi lại"), default=False)
    # A request asked on the commune's Zalo OA: its notices go back there (the Zalo user
    # id is not a phone number; `resident_phone` is filled once the resident gives one).
    zalo_contact = models.ForeignKey(
        "ZaloContact",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("liên hệ Zalo"),
    )
    # The register's household this request is about (its phone matched, or a visit
    # turned into the request): who has been reached, for the equity view.
    household = models.ForeignKey(
        Household,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("hộ gia đình"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("yêu cầu hỗ trợ")
        verbose_name_plural = _("yêu cầu hỗ trợ")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["commune", "status", "created_at"]),
            models.Index(fields=["current_team", "status", "priority"]),
            models.Index(fields=["resident_phone", "created_at"]),
            # The dashboard reads a commune's requests by arrival time.
            models.Index(
                fields=["commune", "created_at"], name="request_commune_created"
            ),
            # "Did this phone ask in the 30 days before?" (repeat requests), covered.
            models.Index(
                fields=["commune", "resident_phone", "created_at"],
                name="request_commune_phone_time",
            ),
            # A volunteer's open assignments (the load table), without their history.
            models.Index(
                fields=["assigned_volunteer", "status"], name="request_volunteer_status"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="request_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__gte=1, rating__lte=5),
                name="request_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def callback_failed(self) -> bool:
        """The operator could not call back: CALLBACK_FLAG_AFTER failed tries, or a
        wrong number (the board flags it)."""
        return self.callback_requested and (
            self.callback_attempts >= CALLBACK_FLAG_AFTER
            or self.callback_outcome == CallbackOutcome.WRONG_NUMBER
        )

    @property
    def need_keys(self) -> list[str]:
        """The resident's ticks as stable keys (see NEED_FIELDS)."""
        return [key for field, key in NEED_FIELDS if getattr(self, field)]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Offer(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("đang mời")
        ACCEPTED = "accepted", _("đã nhận")
        DECLINED = "declined", _("từ chối")
        EXPIRED = "expired", _("hết hạn")
        WITHDRAWN = "withdrawn", _("đã rút")

    request = models.ForeignKey(
        HelpRequest, models.CASCADE, related_name="offers", verbose_name=_("yêu cầu")
    )
    team = models.ForeignKey(
        SupportTeam, models.PROTECT, related_name="offers", verbose_name=_("tổ")
    )
    round = models.PositiveSmallIntegerField(_("vòng"))
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=State.choices, default=State.OPEN
    )
    offered_at = models.DateTimeField(_("mời lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        Volunteer,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_offers",
        verbose_name=_("người trả lời"),
    )
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    distance_km = models.FloatField(_("khoảng cách (km)"), null=True, blank=True)

    class Meta:
        verbose_name = _("lời mời")
        verbose_name_plural = _("lời mời")
        ordering = ["request", "round"]
        constraints = [
            # At most one open offer per request: the database, not the code, enforces it.
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(state="open"),
                name="offer_one_open_per_request",
            ),
            models.UniqueConstraint(
                fields=["request", "round"], name="offer_unique_round"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "expires_at"]),
            # A volunteer's accepts since a moment (weekly cap, the load table).
            models.Index(
                fields=["answered_by", "state", "answered_at"],
                name="offer_answerer_state_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.code} → {self.team} (#{self.round})"


class OfferDecline(models.Model):
    """One member said no to their team's open offer: it leaves *their* screen only.

    The offer stays open for the rest of the team until it times out or everyone on
    duty has declined (`dispatch.help_requests.offers.decline_offer`).
    """

    offer = models.ForeignKey(
        Offer, models.CASCADE, related_name="declines", verbose_name=_("lời mời")
    )
    volunteer = models.ForeignKey(
        Volunteer,
        models.CASCADE,
        related_name="offer_declines",
        verbose_name=_("tình nguyện viên"),
    )
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt từ chối")
        verbose_name_plural = _("lượt từ chối")
        ordering = ["offer", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "volunteer"], name="offer_decline_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}✗{self.volunteer_id}"


class VolunteerAction(models.Model):
    """An action a volunteer's phone sent with its own id, and what it answered.

    A phone that lost its connection re-sends queued actions on reconnect; the same id
    gets the stored answer instead of running twice.
    """

    volunteer = models.ForeignKey(
        Volunteer, models.CASCADE, related_name="+", verbose_name=_("tình nguyện viên")
    )
    action_id = models.CharField(_("mã thao tác"), max_length=64)
    action = models.CharField(_("thao tác"), max_length=16)
    answer = models.JSONField(_("kết quả"), default=dict)
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("thao tác của tình nguyện viên")
        verbose_name_plural = _("thao tác của tình nguyện viên")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "action_id"], name="volunteer_action_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}:{self.action_id}"


class ActorKind(models.TextChoices):
    SYSTEM = "system", _("hệ thống")
    RESIDENT = "resident", _("người dân")
    VOLUNTEER = "volunteer", _("tình nguyện viên")
    STAFF = "staff", _("cán bộ")


class EventKind(models.TextChoices):
    CREATED = "created", _("đã tiếp nhận yêu cầu")
    LOCATED = "located", _("đã xác định vị trí")
    ROUTED = "routed", _("đã mời tổ hỗ trợ")
    OFFER_DECLINED = "offer_declined", _("tổ từ chối, chuyển tổ khác")
    OFFER_EXPIRED = "offer_expired", _("tổ chưa nhận kịp, chuyển tổ khác")
    MEMBER_DECLINED = "member_declined", _("một thành viên từ chối")
    ACCEPTED = "accepted", _("đã có người nhận")
    STARTED = "started", _("đang hỗ trợ")
    RESOLVED = "resolved", _("đã giải quyết")
    CLOSED = "closed", _("đã đóng")
    CANCELLED = "cancelled", _("đã hủy")
    ESCALATED = "escalated", _("chuyển chuyên viên xã")
    ALERTED = "alerted", _("đã báo thư ký xã")
    REASSIGNED = "reassigned", _("cán bộ xã giao lại")
    NOTE = "note", _("ghi chú")
    VISIT_SCHEDULED = "visit_scheduled", _("đã hẹn đến nhà")
    RESIDENT_MESSAGE = "resident_message", _("người dân nhắn thêm")
    RATED = "rated", _("người dân đánh giá")
    RECORDING_DELETED = "recording_deleted", _("đã xoá ghi âm lưu tại nhà cung cấp")
    # Request management by the commune office (dispatch/help_requests/management.py).
    EDITED = "edited", _("cán bộ xã sửa thông tin")
    MERGED = "merged", _("gộp yêu cầu trùng")
    REOPENED = "reopened", _("mở lại yêu cầu")
    # Closing the loop with the resident (dispatch/help_requests/followup.py).
    FOLLOWUP_ASKED = "followup_asked", _("đã hỏi lại người dân việc đã xong chưa")
    FOLLOWUP_FLAGGED = "followup_flagged", _("người dân chưa trả lời, cần tổ gọi hỏi")
    # The operator called a resident back (dispatch/help_requests/callbacks.py).
    CALLED_BACK = "called_back", _("tổng đài viên gọi lại")
    SCAM_RECORDED = "scam_recorded", _("ghi nhận vụ nghi lừa đảo")
    POLICE_REFERRED = "police_referred", _("đã chuyển công an xã")
    GUIDE_SENT = "guide_sent", _("đã gửi hướng dẫn cho người dân")


class CancelReason(models.TextChoices):
    """Why the office cancels a request (kept in the `cancelled` event)."""

    SPAM = "spam", _("tin rác")
    DUPLICATE = "duplicate", _("trùng với yêu cầu khác")
    WITHDREW = "withdrew", _("người dân rút yêu cầu")
    RESOLVED_ELSEWHERE = "resolved_elsewhere", _("đã được giải quyết nơi khác")


# Kinds a resident sees on the tracking page; notes and alerts stay internal.
PUBLIC_EVENT_KINDS = (
    EventKind.CREATED,
    EventKind.ROUTED,
    EventKind.OFFER_DECLINED,
    EventKind.OFFER_EXPIRED,
    EventKind.ACCEPTED,
    EventKind.STARTED,
    EventKind.RESOLVED,
    EventKind.CLOSED,
    EventKind.CANCELLED,
    EventKind.ESCALATED,
    EventKind.REASSIGNED,
    EventKind.RATED,
    EventKind.REOPENED,
    EventKind.VISIT_SCHEDULED,
    EventKind.POLICE_REFERRED,
    EventKind.GUIDE_SENT,
)


class RequestEvent(models.Model):
    """Append-only log of everything that happened to a request.

    Its id only grows, so clients use it as the cursor to resume a live stream.
    """

    request = models.ForeignKey(
        HelpRequest, models.CASCADE, related_name="events", verbose_name=_("yêu cầu")
    )
    kind = models.CharField(_("sự kiện"), max_length=32, choices=EventKind.choices)
    actor_kind = models.CharField(
        _("người thực hiện"), max_length=16, choices=ActorKind.choices
    )
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tài khoản"),
    )
    team = models.ForeignKey(
        SupportTeam,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ liên quan"),
    )
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["id"]
        indexes = [models.Index(fields=["request", "id"])]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.kind}"


class InboundMessage(models.Model):
    """A message or call step as the provider sent it, stored before anything else."""

    class Provider(models.TextChoices):
        TWILIO_SMS = "twilio_sms", _("Twilio SMS")
        TWILIO_VOICE = "twilio_voice", _("Twilio thoại")
        TWILIO_STATUS = "twilio_status", _("Twilio trạng thái")
        SMSGATE = "smsgate", _("SMSGate (điện thoại Android)")
        ZALO = "zalo", _("Zalo OA")

    provider = models.CharField(
        _("nhà cung cấp"), max_length=16, choices=Provider.choices
    )
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=128)
    event = models.CharField(_("loại"), max_length=40, blank=True)
    from_number = models.CharField(_("từ số"), max_length=40, blank=True)
    to_number = models.CharField(_("đến số"), max_length=40, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    payload = models.JSONField(_("dữ liệu gốc"), default=dict)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    processed_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    # Retries of a row whose processing failed (dispatch.intake.retries): how many the
    # sweep made, when the last one started, the last error, and when it gave up
    # ("không xử lý được": shown on the board and in the admin until retried by hand).
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_tried_at = models.DateTimeField(_("thử lần cuối lúc"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=300, blank=True)
    gave_up_at = models.DateTimeField(_("không xử lý được từ"), null=True, blank=True)
    # The commune whose hotline number received it (set when stored; the only commune
    # when there is one). Empty for a number no commune has configured: the message
    # waits in the administrator's triage queue ("chờ phân xã") and is never guessed.
    commune = models.ForeignKey(
        Commune,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("xã nhận"),
    )
    request = models.ForeignKey(
        HelpRequest,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("yêu cầu"),
    )

    class Meta:
        verbose_name = _("tin đến")
        verbose_name_plural = _("tin đến")
        ordering = ["-received_at"]
        constraints = [
            # Provider retries hit this constraint instead of creating a second request.
            models.UniqueConstraint(
                fields=["provider", "provider_id"], name="inbound_unique_provider_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_id}"


class OutboundMessage(models.Model):
    """A message we send (SMS or Zalo), persisted first and delivered by a background
    task: one queue, so retries, idempotency and failures on the board are shared."""

    class Transport(models.TextChoices):
        SMS = "sms", _("SMS")
        ZALO = "zalo", _("Zalo")

    class Status(models.TextChoices):
        QUEUED = "queued", _("chờ gửi")
        SENDING = "sending", _("đang gửi")
        SENT = "sent", _("đã gửi")
        DELIVERED = "delivered", _("đã đến máy")
        FAILED = "failed", _("gửi thất bại")

    class Purpose(models.TextChoices):
        REPLY = "reply", _("trả lời người dân")
        UPDATE = "update", _("cập nhật cho người dân")
        OFFER = "offer", _("mời tình nguyện viên")
        TAKEN = "taken", _("báo việc đã có người nhận")
        ALERT = "alert", _("cảnh báo thư ký")
        LOGIN_CODE = "login_code", _("mã đăng nhập")
        REMINDER = "reminder", _("nhắc lịch tập huấn")
        CERTIFICATE = "certificate", _("chứng nhận")
        NOTICE = "notice", _("thông báo cho tình nguyện viên")
        REFERRAL = "referral", _("chuyển công an xã")
        WARNING = "warning", _("cảnh báo lừa đảo")
        GUIDE = "guide", _("hướng dẫn thủ tục")
        OTHER = "other", _("khác")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    commune = models.ForeignKey(
        Commune, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_number = models.CharField(_("đến số"), max_length=20)
    body = models.TextField(_("nội dung"))
    purpose = models.CharField(
        _("mục đích"), max_length=16, choices=Purpose.choices, default=Purpose.OTHER
    )
    transport = models.CharField(
        _("kênh"), max_length=8, choices=Transport.choices, default=Transport.SMS
    )
    # Zalo only: who (OA-scoped user id) and which of their messages this answers
    # (Zalo counts a message carrying the user's message_id as a free reply).
    zalo_contact = models.ForeignKey(
        "ZaloContact",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("liên hệ Zalo"),
    )
    reply_to = models.CharField(_("trả lời tin"), max_length=64, blank=True)
    # Zalo outside the consultation window: an approved ZNS template sent by phone.
    zns_template = models.CharField(_("mẫu ZNS"), max_length=40, blank=True)
    request = models.ForeignKey(
        HelpRequest,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
        verbose_name=_("yêu cầu"),
    )
    volunteer = models.ForeignKey(
        Volunteer, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The same logical message (e.g. "reply to inbound X") can only be queued once.
    dedupe_key = models.CharField(max_length=160, null=True, blank=True, unique=True)
    backend = models.CharField(_("kênh gửi"), max_length=16, blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=128, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    encoding = models.CharField(_("bảng mã"), max_length=8, blank=True)
    segments = models.PositiveSmallIntegerField(_("số tin"), default=1)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=300, blank=True)
    # When a worker claimed the row for sending: a row still "sending", not yet handed
    # to the provider, after SMS_SENDING_LEASE_SECONDS belongs to a dead worker.
    sending_since = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến máy lúc"), null=True, blank=True)
    failed_at = models.DateTimeField(_("thất bại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin gửi đi")
        verbose_name_plural = _("tin gửi đi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["provider_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.to_number}: {self.body[:30]}"


# --- Personal data (dispatch/privacy.py owns every write) -------------------------------


class AccessPurpose(models.TextChoices):
    REQUEST_DETAIL = "request_detail", _("xem chi tiết yêu cầu")
    ASSIGNMENT = "assignment", _("tình nguyện viên xem việc được giao")
    EXPORT = "export", _("xuất dữ liệu")
    API_DETAIL = "api_detail", _("API chi tiết yêu cầu")
    SUBJECT_EXPORT = "subject_export", _("xuất dữ liệu theo yêu cầu chủ thể")
    SUBJECT_ERASE = "subject_erase", _("xoá dữ liệu theo yêu cầu chủ thể")
    CALLBACK = "callback", _("tổng đài viên gọi lại người dân")


class PersonalDataAccess(models.Model):
    """Who saw a resident's contact details, when, and why (append-only).

    Kept when the request is anonymised: the log is how a breach is investigated.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tài khoản"),
    )
    purpose = models.CharField(
        _("mục đích"), max_length=24, choices=AccessPurpose.choices
    )
    request = models.ForeignKey(
        HelpRequest,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("yêu cầu"),
    )
    subject_phone = models.CharField(_("số của người dân"), max_length=20, blank=True)
    records = models.PositiveIntegerField(_("số bản ghi"), default=1)
    path = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký xem dữ liệu cá nhân")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_phone", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.purpose}:{self.at:%Y-%m-%d %H:%M}"


class ConsentRecord(models.Model):
    """One explicit answer to one purpose (silence is not consent: Law 91/2025 art. 9)."""

    class Purpose(models.TextChoices):
        DISPATCH = "dispatch", _("lưu thông tin để hỗ trợ")
        RECORDING = "recording", _("ghi âm lời nhắn")
        POLICE_REFERRAL = "police_referral", _("chuyển thông tin cho công an xã")
        SCAM_WARNINGS = "scam_warnings", _("nhận tin cảnh báo lừa đảo")

    class Method(models.TextChoices):
        FORM = "form", _("ô đồng ý trên biểu mẫu")
        OPERATOR = "operator", _("tổng đài viên ghi nhận")
        KEYPRESS = "keypress", _("bấm phím trên tổng đài")
        VOLUNTEER = "volunteer", _("người hỗ trợ hỏi trực tiếp")
        SMS = "sms", _("nhắn tin từ khoá")

    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    request = models.ForeignKey(
        HelpRequest,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("yêu cầu"),
    )
    purpose = models.CharField(_("mục đích"), max_length=16, choices=Purpose.choices)
    method = models.CharField(_("cách ghi nhận"), max_length=16, choices=Method.choices)
    given = models.BooleanField(_("đồng ý"))
    # The proof: a CallSid and the digit pressed, or the form's client address.
    evidence = models.CharField(_("bằng chứng"), max_length=200, blank=True)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ghi nhận đồng ý")
        verbose_name_plural = _("ghi nhận đồng ý")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.given}"


class LoginCode(models.Model):
    """A one-time 6-digit code texted to a volunteer's phone to sign in.

    Only a keyed hash of the code is stored. A code lives five minutes and allows five
    tries; asking for a new one retires the older ones.
    """

    phone = models.CharField(_("số điện thoại"), max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập"), default=0)
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã đăng nhập")
        verbose_name_plural = _("mã đăng nhập")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.created_at:%Y-%m-%d %H:%M}"


class LoginLock(models.Model):
    """Code sign-in locked for a phone after too many wrong codes in a day.

    Unlike the per-address limits, it holds whatever address the guesses come from. It
    stays until a leader of the volunteer's team or a secretary of the commune lifts it
    (`dispatch.live.phone_login.unlock_login`); at most one open lock per phone.
    """

    phone = models.CharField(_("số điện thoại"), max_length=20, db_index=True)
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("tình nguyện viên"),
        on_delete=models.CASCADE,
        related_name="login_locks",
    )
    locked_at = models.DateTimeField(_("khoá lúc"), auto_now_add=True)
    wrong_codes = models.PositiveSmallIntegerField(_("số mã sai"), default=0)
    unlocked_at = models.DateTimeField(_("mở khoá lúc"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở khoá"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("khoá đăng nhập bằng mã")
        verbose_name_plural = _("khoá đăng nhập bằng mã")
        ordering = ["-locked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(unlocked_at__isnull=True),
                name="one_open_login_lock_per_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.locked_at:%Y-%m-%d %H:%M}"


class DutyChange(models.Model):
    """Append-only log of volunteers going on and off duty (for "hours with nobody on duty").

    Written by `dispatch.help_requests.duty.record_duty_changes` in the same transaction as the flag
    itself, whoever changed it (the volunteer's toggle, the admin, an import).
    """

    volunteer = models.ForeignKey(
        Volunteer,
        models.CASCADE,
        related_name="duty_changes",
        verbose_name=_("tình nguyện viên"),
    )
    team = models.ForeignKey(
        SupportTeam, models.CASCADE, related_name="+", verbose_name=_("tổ")
    )
    on_duty = models.BooleanField(_("đang trực"))
    at = models.DateTimeField(_("lúc"), db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người đổi"),
    )

    class Meta:
        verbose_name = _("thay đổi ca trực")
        verbose_name_plural = _("thay đổi ca trực")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["volunteer", "at"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id}:{self.on_duty}@{self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A staff member's key for the JSON API. Only a SHA-256 hash of the key is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("tài khoản"),
    )
    name = models.CharField(_("dùng cho"), max_length=80, blank=True)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khoá API")
        verbose_name_plural = _("khoá API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class TallyFigures(models.Model):
    """What the KPIs need about the requests of one slice over a stretch of days.

    A slice is the whole commune (grouping "") or one value of one, two or three
    dimensions ("team", "team+category", …; see `dispatch.figures.tally.GROUPINGS`).
    Dimensions outside the grouping are empty. Rows are derived data: only
    `dispatch.figures.refresh` writes them, from the requests.
    """

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="+")
    grouping = models.CharField(max_length=40, blank=True)
    # No foreign-key constraints: a tally must never stop a team or village being edited.
    # No index of their own either: rows are read by commune, grouping and date (the
    # Meta index); an index on team alone tempted SQLite to read a team's every row of
    # every day and grouping to sum a few days of one.
    team = models.ForeignKey(
        SupportTeam,
        models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    village = models.ForeignKey(
        Village,
        models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    category = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    received = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    escalations = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    declines = models.PositiveIntegerField(default=0)
    expiries = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    accept_seconds = models.FloatField(default=0.0)
    # {"accept": {"440": 3, …}, "contact": {…}, "resolve": {…}}: seconds to two
    # significant figures → number of requests.
    times = models.JSONField(default=dict)

    class Meta:
        abstract = True


class DayTally(TallyFigures):
    """The figures of one slice for the requests received on one local day.

    `dispatch.figures.refresh` rewrites a day's rows whenever something about that
    day changed.
    """

    day = models.DateField(_("ngày"))

    class Meta:
        verbose_name = _("số liệu theo ngày")
        verbose_name_plural = _("số liệu theo ngày")
        # The slice's columns after the day: a filtered read walks the day range in
        # the index alone and fetches only the rows of its slice.
        indexes = [
            models.Index(
                fields=[
                    "commune",
                    "grouping",
                    "day",
                    "team",
                    "village",
                    "category",
                    "channel",
                ],
                name="daytally_slice_by_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day} {self.grouping or 'all'}"


class MonthTally(TallyFigures):
    """The figures of one slice for a calendar month: the sum of its day rows.

    `month` is the month's first day. Written in the same transaction as the day rows
    it sums (`dispatch.figures.refresh`), so a long period reads one row per whole
    month and slice instead of one per day.
    """

    month = models.DateField(_("tháng"))

    class Meta:
        verbose_name = _("số liệu theo tháng")
        verbose_name_plural = _("số liệu theo tháng")
        indexes = [
            models.Index(
                fields=[
                    "commune",
                    "grouping",
                    "month",
                    "team",
                    "village",
                    "category",
                    "channel",
                ],
                name="monthtally_slice_by_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%Y-%m} {self.grouping or 'all'}"


class TallyState(models.Model):
    """How far a commune's day tallies are up to date: every event up to `event_id`."""

    commune = models.OneToOneField(Commune, models.CASCADE, related_name="+")
    event_id = models.BigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    # The rebuild in progress, if any: a newer rebuild takes over and the older stops.
    # It goes a month at a time from `rebuild_next`, so any process can carry it on.
    rebuild = models.UUIDField(null=True, blank=True)
    rebuild_started_at = models.DateTimeField(null=True, blank=True)
    rebuild_next = models.DateField(null=True, blank=True)
    rebuild_event_id = models.BigIntegerField(default=0)
    rebuild_marks_upto = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.commune_id} ≤ event {self.event_id}"


class StaleDay(models.Model):
    """A day whose requests changed without an event (retention, erasure, bulk history).

    Never unique: each writer adds its own row, and a refresh deletes only the rows it
    read, so a change that lands during a refresh is not forgotten.
    """

    commune = models.ForeignKey(Commune, models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day}"


# --- Notices to volunteers (dispatch/help_requests/team_notices.py) -------------------


class VolunteerNotice(models.Model):
    """A short notice from the office or a team leader to teams or everyone on duty."""

    commune = models.ForeignKey(
        "teams.Commune", models.CASCADE, related_name="volunteer_notices"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    text = models.CharField(_("nội dung"), max_length=300)
    everyone_on_duty = models.BooleanField(_("mọi người đang trực"), default=False)
    teams = models.ManyToManyField(
        "teams.SupportTeam", blank=True, related_name="+", verbose_name=_("tổ")
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("thông báo cho tình nguyện viên")
        verbose_name_plural = _("thông báo cho tình nguyện viên")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class NoticeDelivery(models.Model):
    """Who got a notice, and how: live on `/v/`, or by SMS because they were offline."""

    class Channel(models.TextChoices):
        LIVE = "live", _("trên ứng dụng")
        SMS = "sms", _("tin nhắn SMS")

    notice = models.ForeignKey(
        VolunteerNotice, models.CASCADE, related_name="deliveries"
    )
    volunteer = models.ForeignKey(
        "teams.Volunteer", models.CASCADE, related_name="notice_deliveries"
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    message = models.ForeignKey(
        OutboundMessage, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("người nhận thông báo")
        verbose_name_plural = _("người nhận thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "volunteer"], name="notice_once_per_volunteer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.volunteer_id} ({self.channel})"


class VoicePrompt(models.Model):
    """A commune's recording of one IVR prompt in a minority language (M'Nông, K'Ho…).

    The voice line plays it (`<Play>`) to callers who chose that language; prompts not
    recorded yet are read in Vietnamese (`<Say>`).
    """

    commune = models.ForeignKey(
        "teams.Commune",
        models.CASCADE,
        related_name="voice_prompts",
        verbose_name=_("xã"),
    )
    language = models.CharField(_("ngôn ngữ"), max_length=8)
    key = models.CharField(_("lời nhắc"), max_length=40)
    audio = models.FileField(_("tệp ghi âm"), upload_to="voice_prompts/")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )

    class Meta:
        verbose_name = _("lời nhắc tổng đài đã ghi âm")
        verbose_name_plural = _("lời nhắc tổng đài đã ghi âm")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "language", "key"], name="voice_prompt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.key}"


# --- Scam response (issue 20; dispatch/scams/) -------------------------------------------


class ScamSettings(models.Model):
    """A commune's scam-response settings: its police contact and warning rules."""

    commune = models.OneToOneField(
        Commune, models.CASCADE, related_name="scam_settings", verbose_name=_("xã")
    )
    police_name = models.CharField(
        _("công an xã (tên đơn vị, người liên hệ)"), max_length=160, blank=True
    )
    police_phone = models.CharField(
        _("số điện thoại công an xã nhận tin chuyển"), max_length=20, blank=True
    )
    police_address = models.CharField(_("địa chỉ trụ sở"), max_length=200, blank=True)
    leaders_may_warn = models.BooleanField(
        _("tổ trưởng được gửi cảnh báo thôn"), default=False
    )
    warnings_per_day = models.PositiveSmallIntegerField(
        _("số cảnh báo tối đa mỗi ngày"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    suggest_after = models.PositiveSmallIntegerField(
        _("gợi ý cảnh báo khi một thôn có từng này tin trong tuần"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
    )

    class Meta:
        verbose_name = _("cài đặt phòng chống lừa đảo")
        verbose_name_plural = _("cài đặt phòng chống lừa đảo")

    def __str__(self) -> str:
        return str(self.commune)


class ScamOutcome(models.TextChoices):
    ATTEMPT = "attempt", _("chưa mất tiền (kịp dừng)")
    LOST = "lost", _("đã mất tiền")
    RECOVERED_PART = "recovered_part", _("lấy lại được một phần")
    RECOVERED = "recovered", _("đã lấy lại được")
    UNKNOWN = "unknown", _("chưa rõ")


class ScamReport(models.Model):
    """What the team learnt about a suspected scam behind one request."""

    request = models.OneToOneField(
        HelpRequest, models.CASCADE, related_name="scam", verbose_name=_("yêu cầu")
    )
    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="+", verbose_name=_("xã")
    )
    # The village counted in "reports by village" (the request's, when recorded).
    village = models.ForeignKey(
        Village,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn"),
    )
    pattern = models.ForeignKey(
        "training.ScamPattern",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kiểu lừa đảo"),
    )
    amount_lost = models.PositiveBigIntegerField(
        _("số tiền mất (đồng)"), null=True, blank=True
    )
    lost_on = models.DateField(_("mất tiền ngày"), null=True, blank=True)
    # As the resident gave it: evidence for the police, shown masked elsewhere.
    scammer_contact = models.CharField(
        _("số điện thoại, tài khoản hoặc đường link của kẻ gian"),
        max_length=300,
        blank=True,
    )
    # Digits and lower-case letters only, so staff find "0912.345.678" by "0912345678".
    scammer_key = models.CharField(max_length=300, blank=True, db_index=True)
    outcome = models.CharField(
        _("kết quả"),
        max_length=16,
        choices=ScamOutcome.choices,
        default=ScamOutcome.UNKNOWN,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi"),
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("vụ nghi lừa đảo")
        verbose_name_plural = _("vụ nghi lừa đảo")
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["commune", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=ScamOutcome.values),
                name="scam_outcome_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.pattern_id}"

    @property
    def masked_contact(self) -> str:
        """The scammer's details as lists and dashboards show them."""
        from dispatch.masking.contacts import mask_contact

        return mask_contact(self.scammer_contact)


class PoliceReferral(models.Model):
    """One referral of a scam report to the commune police, with its consent."""

    report = models.ForeignKey(
        ScamReport, models.CASCADE, related_name="referrals", verbose_name=_("vụ việc")
    )
    police_name = models.CharField(_("gửi cho"), max_length=160, blank=True)
    police_phone = models.CharField(_("số nhận"), max_length=20, blank=True)
    consent = models.ForeignKey(
        ConsentRecord, models.PROTECT, related_name="+", verbose_name=_("đồng ý")
    )
    summary = models.TextField(_("tóm tắt"))
    message = models.ForeignKey(
        OutboundMessage, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người chuyển"),
    )
    created_at = models.DateTimeField(_("chuyển lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chuyển công an xã")
        verbose_name_plural = _("chuyển công an xã")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report_id}@{self.created_at:%Y-%m-%d}"


class WarningSubscription(models.Model):
    """A resident who asked to receive scam warnings for their commune (by SMS)."""

    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="+", verbose_name=_("xã")
    )
    phone = models.CharField(_("số điện thoại"), max_length=20)
    village = models.ForeignKey(
        Village,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn"),
    )
    active = models.BooleanField(_("đang nhận"), default=True)
    consent = models.ForeignKey(
        ConsentRecord, models.PROTECT, related_name="+", verbose_name=_("đồng ý")
    )
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    stopped_at = models.DateTimeField(_("dừng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("người dân nhận cảnh báo")
        verbose_name_plural = _("người dân nhận cảnh báo")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "phone"], name="warning_subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id}:{self.active}"


class ScamWarning(models.Model):
    """A village warning: pattern, what to do, what never to do, and who got it."""

    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="+", verbose_name=_("xã")
    )
    pattern = models.ForeignKey(
        "training.ScamPattern",
        models.PROTECT,
        related_name="+",
        verbose_name=_("kiểu lừa đảo"),
    )
    villages = models.ManyToManyField(Village, related_name="+", verbose_name=_("thôn"))
    what_to_do = models.CharField(_("nên làm"), max_length=80)
    never_do = models.CharField(_("không bao giờ"), max_length=80)
    text = models.CharField(_("nội dung gửi"), max_length=320)
    to_residents = models.BooleanField(_("gửi cả người dân đã đăng ký"), default=False)
    reports = models.ManyToManyField(
        ScamReport, blank=True, related_name="warnings", verbose_name=_("từ các vụ")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True, db_index=True)
    # SMS held back by quiet hours go out from this time (the live push does not wait).
    sms_from = models.DateTimeField(_("gửi SMS từ"))

    class Meta:
        verbose_name = _("cảnh báo lừa đảo")
        verbose_name_plural = _("cảnh báo lừa đảo")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class WarningDelivery(models.Model):
    """One person a warning reached or will reach: a volunteer live or by SMS, or a
    resident who opted in (SMS)."""

    class Channel(models.TextChoices):
        LIVE = "live", _("trên ứng dụng")
        SMS = "sms", _("tin nhắn SMS")

    warning = models.ForeignKey(ScamWarning, models.CASCADE, related_name="deliveries")
    volunteer = models.ForeignKey(
        Volunteer, models.CASCADE, null=True, blank=True, related_name="+"
    )
    subscription = models.ForeignKey(
        WarningSubscription, models.CASCADE, null=True, blank=True, related_name="+"
    )
    phone = models.CharField(_("số điện thoại"), max_length=20)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    message = models.ForeignKey(
        OutboundMessage, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người nhận cảnh báo")
        verbose_name_plural = _("người nhận cảnh báo")
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "phone"], name="warning_once_per_phone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.warning_id} → {self.channel}"


# --- Procedure guides (issue 20 items 1–5; dispatch/guides/ owns every write) ------------


class Guide(models.Model):
    """One procedure guide: what to do, what to bring, where, and what goes wrong.

    Vietnamese first, English second. Guides are national content (the same procedure
    in every commune), so they belong to no commune. `keyword` is what residents text
    after `HD`; `sms_vi` is the 3–5 key steps sent by SMS (always without diacritics,
    so it fits GSM-7). Every change is kept as a `GuideVersion`.
    """

    slug = models.SlugField(_("địa chỉ trang"), max_length=60, unique=True)
    keyword = models.SlugField(_("từ khoá SMS (HD …)"), max_length=24, unique=True)
    aliases = models.CharField(
        _("từ khoá khác (cách nhau bằng dấu cách)"), max_length=200, blank=True
    )
    category = models.CharField(
        _("nhóm"), max_length=16, choices=Category.choices, default=Category.OTHER
    )
    title_vi = models.CharField(_("tên hướng dẫn"), max_length=120)
    title_en = models.CharField(_("tên hướng dẫn (tiếng Anh)"), max_length=120)
    audience_vi = models.CharField(_("dành cho ai"), max_length=300)
    audience_en = models.CharField(_("dành cho ai (tiếng Anh)"), max_length=300)
    # [{"vi": "...", "en": "...", "picture": "guides/…png" | ""}, …]
    steps = models.JSONField(_("các bước"), default=list)
    papers_vi = models.TextField(_("giấy tờ cần mang"), blank=True)
    papers_en = models.TextField(_("giấy tờ cần mang (tiếng Anh)"), blank=True)
    fees_vi = models.CharField(_("lệ phí"), max_length=200, blank=True)
    fees_en = models.CharField(_("lệ phí (tiếng Anh)"), max_length=200, blank=True)
    online_url = models.URLField(_("làm trực tuyến tại"), blank=True)
    office_vi = models.CharField(_("làm trực tiếp tại"), max_length=300, blank=True)
    office_en = models.CharField(
        _("làm trực tiếp tại (tiếng Anh)"), max_length=300, blank=True
    )
    office_hours_vi = models.CharField(_("giờ làm việc"), max_length=120, blank=True)
    office_hours_en = models.CharField(
        _("giờ làm việc (tiếng Anh)"), max_length=120, blank=True
    )
    duration_vi = models.CharField(_("mất bao lâu"), max_length=160, blank=True)
    duration_en = models.CharField(
        _("mất bao lâu (tiếng Anh)"), max_length=160, blank=True
    )
    mistakes_vi = models.TextField(_("lỗi hay gặp"), blank=True)
    mistakes_en = models.TextField(_("lỗi hay gặp (tiếng Anh)"), blank=True)
    home_visit = models.BooleanField(
        _("tình nguyện viên có thể đến nhà giúp"), default=False
    )
    sms_vi = models.CharField(_("tin nhắn SMS (các bước chính)"), max_length=300)
    sms_en = models.CharField(_("tin nhắn SMS (tiếng Anh)"), max_length=300)
    # Position in the voice line's "bấm 8" list (1 = first); empty: not read there.
    voice_rank = models.PositiveSmallIntegerField(
        _("thứ tự trên tổng đài (bấm 8)"), null=True, blank=True
    )
    published = models.BooleanField(_("đang hiển thị"), default=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    view_count = models.PositiveIntegerField(_("lượt xem"), default=0)
    helped_yes = models.PositiveIntegerField(_("bấm “có giúp ích”"), default=0)
    helped_no = models.PositiveIntegerField(_("bấm “chưa giúp được”"), default=0)

    class Meta:
        verbose_name = _("hướng dẫn thủ tục")
        verbose_name_plural = _("hướng dẫn thủ tục")
        ordering = ["category", "title_vi"]
        constraints = [
            models.UniqueConstraint(
                fields=["voice_rank"],
                condition=models.Q(voice_rank__isnull=False),
                name="guide_unique_voice_rank",
            )
        ]

    def __str__(self) -> str:
        return self.title_vi


class GuideVersion(models.Model):
    """One saved change of a guide: who, when, and what (field → [before, after])."""

    guide = models.ForeignKey(
        Guide, models.CASCADE, related_name="versions", verbose_name=_("hướng dẫn")
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    edited_at = models.DateTimeField(_("sửa lúc"), auto_now_add=True)
    changes = models.JSONField(_("thay đổi"), default=dict)

    class Meta:
        verbose_name = _("phiên bản hướng dẫn")
        verbose_name_plural = _("phiên bản hướng dẫn")
        ordering = ["guide", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "number"], name="guide_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guide_id} v{self.number}"


class GuideSend(models.Model):
    """A guide sent to someone: by SMS on request (HD), by a volunteer, or by voice."""

    class Via(models.TextChoices):
        SMS_KEYWORD = "sms_keyword", _("người dân nhắn HD")
        VOLUNTEER = "volunteer", _("tình nguyện viên gửi")
        VOICE = "voice", _("nghe trên tổng đài")

    guide = models.ForeignKey(
        Guide, models.CASCADE, related_name="sends", verbose_name=_("hướng dẫn")
    )
    via = models.CharField(_("cách gửi"), max_length=16, choices=Via.choices)
    request = models.ForeignKey(
        HelpRequest,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="guide_sends",
        verbose_name=_("yêu cầu"),
    )
    volunteer = models.ForeignKey(
        Volunteer, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lượt gửi hướng dẫn")
        verbose_name_plural = _("lượt gửi hướng dẫn")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.guide_id} ({self.via})"


# --- Zalo Official Account (dispatch/sms/gateways/zalo.py owns every call to Zalo) -----


class ZaloAccount(models.Model):
    """One commune's Zalo Official Account: its keys and the current token pair.

    Zalo's refresh token is single-use and rotates with every refresh, so the pair lives
    here (never only in memory) and is replaced under a row lock (`zalo.refresh_tokens`).
    With ZALO_* settings and no row, the row is created from the settings on first use.
    """

    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="zalo_accounts", verbose_name=_("xã")
    )
    oa_id = models.CharField(_("mã OA"), max_length=40, unique=True)
    name = models.CharField(_("tên OA"), max_length=120, blank=True)
    app_id = models.CharField(_("mã ứng dụng (App ID)"), max_length=40)
    app_secret = models.CharField(_("khóa bí mật ứng dụng"), max_length=120)
    oa_secret_key = models.CharField(_("khóa bí mật OA"), max_length=120)
    access_token = models.TextField(_("access token"), blank=True)
    refresh_token = models.TextField(_("refresh token"), blank=True)
    access_expires_at = models.DateTimeField(
        _("access token hết hạn lúc"), null=True, blank=True
    )
    refresh_expires_at = models.DateTimeField(
        _("refresh token hết hạn lúc"), null=True, blank=True
    )
    refreshed_at = models.DateTimeField(_("làm mới lúc"), null=True, blank=True)
    refresh_failed_at = models.DateTimeField(
        _("làm mới thất bại lúc"), null=True, blank=True
    )
    refresh_error = models.CharField(_("lỗi làm mới"), max_length=300, blank=True)
    refresh_count = models.PositiveIntegerField(_("số lần làm mới"), default=0)
    # Single-flight refresh: the worker that set this lease (a conditional UPDATE, so
    # exactly one wins on SQLite and PostgreSQL alike) refreshes; the others wait.
    refresh_lease_until = models.DateTimeField(null=True, blank=True)
    zns_templates = models.JSONField(
        _("mẫu ZNS"),
        default=dict,
        blank=True,
        help_text=_(
            "Mã mẫu ZNS đã duyệt theo loại thông báo, ví dụ "
            '{"accepted": "123456", "resolved": "123457"}. Để trống: ngoài 48 giờ '
            "thì gửi SMS nếu có số điện thoại."
        ),
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản Zalo OA")
        verbose_name_plural = _("tài khoản Zalo OA")

    def __str__(self) -> str:
        return self.name or self.oa_id

    @property
    def follow_url(self) -> str:
        return f"https://zalo.me/{self.oa_id}"


class ZaloContact(models.Model):
    """A Zalo user who wrote to one OA: a resident, or a volunteer who linked their
    account. The OA-scoped user id is not a phone number; a phone is linked once given.
    """

    account = models.ForeignKey(
        ZaloAccount, models.CASCADE, related_name="contacts", verbose_name=_("OA")
    )
    user_id = models.CharField(_("mã người dùng Zalo"), max_length=40)
    display_name = models.CharField(_("tên Zalo"), max_length=160, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    volunteer = models.OneToOneField(
        Volunteer,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="zalo_contact",
        verbose_name=_("tình nguyện viên"),
    )
    following = models.BooleanField(_("đang quan tâm OA"), default=True)
    # Zalo's consultation window: replies are free for 48 h after the user's last
    # message, at most ZALO_WINDOW_REPLIES of them (the counter restarts when they write).
    last_user_message_at = models.DateTimeField(
        _("tin gần nhất của người dùng lúc"), null=True, blank=True
    )
    last_user_msg_id = models.CharField(max_length=64, blank=True)
    replies_in_window = models.PositiveSmallIntegerField(
        _("số tin trả lời trong cửa sổ"), default=0
    )
    # We asked for a call-back number and wait for it.
    awaiting_phone = models.BooleanField(_("đang chờ số điện thoại"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("liên hệ Zalo")
        verbose_name_plural = _("liên hệ Zalo")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user_id"], name="zalo_contact_unique_user"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.user_id


class ZaloLinkCode(models.Model):
    """The 6-digit code a volunteer sends to the OA as `LK <code>` to link their Zalo."""

    volunteer = models.OneToOneField(
        Volunteer, models.CASCADE, related_name="zalo_link_code"
    )
    code = models.CharField(max_length=6, unique=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mã liên kết Zalo")
        verbose_name_plural = _("mã liên kết Zalo")

    def __str__(self) -> str:
        return f"{self.volunteer_id}: ●●●●●●"


# === Outreach campaigns (issue 21; services in dispatch/outreach/) ======================


class Organisation(models.TextChoices):
    """Who takes a campaign's household targets (CONTEXT.md: the mass organisations)."""

    YOUTH_UNION = "youth_union", _("Đoàn thanh niên")
    WOMEN_UNION = "women_union", _("Hội Phụ nữ")
    FARMERS = "farmers", _("Hội Nông dân")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    TEAMS = "teams", _("Tổ công nghệ số cộng đồng")


class VisitOutcome(models.TextChoices):
    DONE = "done", _("đã đến — xong")
    FOLLOW_UP = "follow_up", _("đã đến — cần quay lại")
    NOT_HOME = "not_home", _("không có nhà (thử lại)")
    REFUSED = "refused", _("từ chối")


class Campaign(models.Model):
    """A commune's drive to visit households for one goal, with targets."""

    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="campaigns", verbose_name=_("xã")
    )
    title = models.CharField(_("tên chiến dịch"), max_length=160)
    goal = models.TextField(
        _("mục tiêu"),
        help_text=_(
            "Bằng lời thường, ví dụ: Mọi hộ có người trên 60 tuổi được kích hoạt "
            "VNeID mức 2."
        ),
    )
    category = models.CharField(
        _("loại hỗ trợ"),
        max_length=16,
        choices=Category.choices,
        default=Category.OTHER,
    )
    checklist = models.JSONField(
        _("việc cần làm khi đến nhà"), default=list, blank=True
    )
    # The procedure guide volunteers follow (and may send) at the door.
    guide = models.ForeignKey(
        "Guide",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("hướng dẫn thủ tục dùng khi đến nhà"),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    villages = models.ManyToManyField(
        Village, related_name="campaigns", verbose_name=_("các thôn, bon")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chiến dịch")
        verbose_name_plural = _("chiến dịch")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="campaign_starts_before_it_ends",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CampaignTarget(models.Model):
    """How many households a village, or an organisation, is to reach ("done")."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="targets", verbose_name=_("chiến dịch")
    )
    village = models.ForeignKey(
        Village, models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.CharField(
        _("tổ chức"), max_length=16, choices=Organisation.choices, blank=True
    )
    households = models.PositiveIntegerField(_("số hộ chỉ tiêu"))

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(village__isnull=False, organisation="")
                    | models.Q(village__isnull=True) & ~models.Q(organisation="")
                ),
                name="campaign_target_village_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["campaign", "village"],
                condition=models.Q(village__isnull=False),
                name="campaign_target_one_per_village",
            ),
            models.UniqueConstraint(
                fields=["campaign", "organisation"],
                condition=models.Q(village__isnull=True),
                name="campaign_target_one_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village or self.get_organisation_display()}: {self.households}"


class CampaignHousehold(models.Model):
    """A household on a campaign's list: who is to visit it and where it stands.

    `state` follows the household's latest visit (by the time it happened, so a visit
    sent late from an offline phone does not overwrite a newer one).
    """

    class State(models.TextChoices):
        TO_VISIT = "to_visit", _("cần đến")
        DONE = "done", _("đã đến — xong")
        FOLLOW_UP = "follow_up", _("đã đến — cần quay lại")
        NOT_HOME = "not_home", _("không có nhà (thử lại)")
        REFUSED = "refused", _("từ chối")

    campaign = models.ForeignKey(
        Campaign,
        models.CASCADE,
        related_name="households",
        verbose_name=_("chiến dịch"),
    )
    household = models.ForeignKey(
        Household,
        models.CASCADE,
        related_name="campaign_entries",
        verbose_name=_("hộ gia đình"),
    )
    organisation = models.CharField(
        _("tổ chức phụ trách"),
        max_length=16,
        choices=Organisation.choices,
        blank=True,
    )
    team = models.ForeignKey(
        SupportTeam,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tổ phụ trách"),
    )
    state = models.CharField(
        _("tình trạng"), max_length=16, choices=State.choices, default=State.TO_VISIT
    )
    last_visit_at = models.DateTimeField(_("lần đến gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("hộ trong chiến dịch")
        verbose_name_plural = _("hộ trong chiến dịch")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="campaign_household_once"
            )
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return f"{self.household.code} ({self.get_state_display()})"


class Visit(models.Model):
    """One visit to a household, from the app (maybe queued offline) or by SMS.

    `client_id` is made by the phone before it sends, so a visit re-sent after a lost
    answer is stored once.
    """

    class Source(models.TextChoices):
        APP = "app", _("ứng dụng")
        SMS = "sms", _("tin nhắn")

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="visits", verbose_name=_("chiến dịch")
    )
    household = models.ForeignKey(
        Household, models.CASCADE, related_name="visits", verbose_name=_("hộ gia đình")
    )
    volunteer = models.ForeignKey(
        Volunteer,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("người đến"),
    )
    client_id = models.CharField(_("mã của điện thoại"), max_length=64)
    outcome = models.CharField(
        _("kết quả"), max_length=16, choices=VisitOutcome.choices
    )
    done_items = models.JSONField(_("việc đã làm"), default=list, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    visited_at = models.DateTimeField(_("đến lúc"), db_index=True)
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    source = models.CharField(
        _("ghi qua"), max_length=8, choices=Source.choices, default=Source.APP
    )
    request = models.OneToOneField(
        HelpRequest,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("yêu cầu tạo từ lần đến"),
    )

    class Meta:
        verbose_name = _("lần đến nhà")
        verbose_name_plural = _("lần đến nhà")
        ordering = ["-visited_at"]
        constraints = [
            models.UniqueConstraint(fields=["client_id"], name="visit_client_id_once")
        ]

    def __str__(self) -> str:
        return f"{self.household.code} {self.visited_at:%d/%m %H:%M}"
