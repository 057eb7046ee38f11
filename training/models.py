"""Training: topics, workshops, practice checklists, the scam quiz and certificates."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Commune, Village, Volunteer

# Unambiguous characters (no 0/O, 1/I/L) because people read codes aloud and type them
# into an SMS: 12 of 31 symbols ≈ 59 bits, far beyond guessing through a rate-limited page.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_certificate_code() -> str:
    """A fresh random certificate code (not guaranteed unique: the table enforces it)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """Upper case without spaces or dashes, as printed codes are grouped `ABCD-EFGH-JKMN`."""
    return "".join(c for c in (raw or "").upper() if c.isalnum())


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """`moment` plus calendar months, clamping the day (31 Jan + 1 month → 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class Topic(models.Model):
    """A skill the commune certifies, and the request categories it qualifies for."""

    key = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên chủ đề"), max_length=160)
    description = models.TextField(_("mô tả"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("hiệu lực chứng nhận (tháng)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    categories = models.JSONField(
        _("loại yêu cầu được nhận"),
        default=list,
        blank=True,
        help_text=_("Mã loại yêu cầu mà chứng nhận này cho phép nhận, ví dụ scam."),
    )
    requires_quiz = models.BooleanField(_("cần đạt bài kiểm tra"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chủ đề tập huấn")
        verbose_name_plural = _("chủ đề tập huấn")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Workshop(models.Model):
    """A hands-on session: stored in UTC, entered and shown in the commune's local time."""

    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="workshops", verbose_name=_("xã")
    )
    title = models.CharField(_("tên buổi tập huấn"), max_length=200)
    topics = models.ManyToManyField(
        Topic, related_name="workshops", verbose_name=_("chủ đề")
    )
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    village = models.ForeignKey(
        Village,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("tại thôn, bon"),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops_trained",
        verbose_name=_("giảng viên"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("số chỗ"), default=30, validators=[MinValueValidator(1)]
    )
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("buổi tập huấn")
        verbose_name_plural = _("buổi tập huấn")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="workshop_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=False) | ~Q(address=""),
                name="workshop_has_place",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.title} ({local:%d/%m/%Y %H:%M})"

    @property
    def place(self) -> str:
        if self.village_id and self.address:
            return f"{self.address}, {self.village}"
        return self.address or str(self.village or "")


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("đã ghi danh")
        WAITLISTED = "waitlisted", _("danh sách chờ")
        CANCELLED = "cancelled", _("đã huỷ")

    class Method(models.TextChoices):
        QR = "qr", _("quét mã QR")
        TRAINER = "trainer", _("giảng viên điểm danh")

    workshop = models.ForeignKey(
        Workshop, models.CASCADE, related_name="enrolments", verbose_name=_("buổi")
    )
    volunteer = models.ForeignKey(
        Volunteer,
        models.CASCADE,
        related_name="enrolments",
        verbose_name=_("tình nguyện viên"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.ENROLLED
    )
    # Order of arrival: the waitlisted row with the lowest position moves up first.
    position = models.PositiveIntegerField(_("thứ tự đăng ký"), default=0)
    enrolled_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("có mặt lúc"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người điểm danh"),
    )
    check_in_method = models.CharField(
        _("cách điểm danh"), max_length=8, choices=Method.choices, blank=True
    )

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        ordering = ["workshop", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "volunteer"], name="enrolment_once_per_workshop"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["enrolled", "waitlisted", "cancelled"]),
                name="enrolment_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status", "position"])]

    def __str__(self) -> str:
        return f"{self.volunteer.full_name} — {self.workshop.title}"


class PracticeStep(models.Model):
    """One step of a topic's hands-on checklist, simulating the real procedure."""

    topic = models.ForeignKey(
        Topic, models.CASCADE, related_name="steps", verbose_name=_("chủ đề")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("bước"), max_length=200)
    instructions = models.TextField(_("hướng dẫn"), blank=True)

    class Meta:
        verbose_name = _("bước thực hành")
        verbose_name_plural = _("bước thực hành")
        ordering = ["topic", "order"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "order"], name="step_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class StepCompletion(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, models.CASCADE, related_name="step_completions"
    )
    step = models.ForeignKey(PracticeStep, models.CASCADE, related_name="completions")
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("bước đã làm")
        verbose_name_plural = _("bước đã làm")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "step"], name="step_completed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.step}"


class Question(models.Model):
    topic = models.ForeignKey(
        Topic, models.CASCADE, related_name="questions", verbose_name=_("chủ đề")
    )
    # Stable key of a seeded question so re-seeding never duplicates or overwrites it.
    key = models.SlugField(_("mã"), max_length=40, unique=True, null=True, blank=True)
    text = models.TextField(_("câu hỏi"))
    explanation = models.TextField(
        _("giải thích"), help_text=_("Hiện cho người làm bài sau khi nộp.")
    )
    pattern = models.CharField(_("kiểu lừa đảo"), max_length=80, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["topic", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="choices", verbose_name=_("câu hỏi")
    )
    text = models.CharField(_("phương án"), max_length=300)
    is_correct = models.BooleanField(_("là đáp án đúng"), default=False)

    class Meta:
        verbose_name = _("phương án")
        verbose_name_plural = _("phương án")
        ordering = ["question", "id"]

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    """One sitting: the drawn questions and the shuffled choice order are frozen here."""

    volunteer = models.ForeignKey(
        Volunteer, models.CASCADE, related_name="quiz_attempts"
    )
    topic = models.ForeignKey(Topic, models.PROTECT, related_name="quiz_attempts")
    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    question_ids = models.JSONField(default=list)
    # {"<question id>": [choice ids in the order shown]}
    choice_order = models.JSONField(default=dict)
    # {"<question id>": chosen choice id or null}
    answers = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("số câu đúng"), null=True, blank=True)
    passed = models.BooleanField(_("đạt"), default=False)

    class Meta:
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("lượt làm bài")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["volunteer", "started_at"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.score is None or not self.question_ids:
            return 0
        return round(100 * self.score / len(self.question_ids))


class Certificate(models.Model):
    volunteer = models.ForeignKey(
        Volunteer,
        models.CASCADE,
        related_name="certificates",
        verbose_name=_("tình nguyện viên"),
    )
    topic = models.ForeignKey(
        Topic, models.PROTECT, related_name="certificates", verbose_name=_("chủ đề")
    )
    code = models.CharField(
        _("mã chứng nhận"), max_length=16, unique=True, default=new_certificate_code
    )
    issued_at = models.DateTimeField(_("cấp lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="certificate_expires_after_issue",
            )
        ]
        indexes = [models.Index(fields=["topic", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.topic} — {self.volunteer.full_name} ({self.code})"

    @property
    def grouped_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def status_at(self, at: dt.datetime) -> str:
        """ "revoked", "expired" or "valid" at `at` (an expired one stops at once)."""
        if self.revoked_at is not None and self.revoked_at <= at:
            return "revoked"
        if at >= self.expires_at:
            return "expired"
        return "valid"


# --- Scam patterns (issue 20): the quiz's patterns, as dispatch records them -----------


class ScamPattern(models.Model):
    """One kind of scam the quiz teaches (`Question.pattern` holds its `name`), with
    the advice a village warning gives. Dispatch records reports against it."""

    key = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=80, unique=True)
    what_to_do = models.CharField(
        _("nên làm"),
        max_length=80,
        help_text=_("Ngắn, vừa một tin SMS cảnh báo cùng phần “không được”."),
    )
    never_do = models.CharField(_("không bao giờ"), max_length=80)
    # Groups of tests/fixtures/sms_corpus.tsv ("scam-<group>-NN") that show this
    # pattern in residents' own words: the classifier is tested on them.
    corpus_groups = models.JSONField(_("nhóm trong bộ tin nhắn mẫu"), default=list)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("kiểu lừa đảo")
        verbose_name_plural = _("kiểu lừa đảo")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ScamSighting(models.Model):
    """A pattern was reported in a commune (written by dispatch through
    `training.services.note_scam_sighting`): the quiz draws what is happening now."""

    pattern = models.ForeignKey(
        ScamPattern, models.CASCADE, related_name="sightings", verbose_name=_("kiểu")
    )
    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="+", verbose_name=_("xã")
    )
    village = models.ForeignKey(
        Village,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn"),
    )
    seen_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lần gặp kiểu lừa đảo")
        verbose_name_plural = _("lần gặp kiểu lừa đảo")
        ordering = ["-seen_at"]
        indexes = [models.Index(fields=["commune", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.pattern_id}@{self.commune_id}"
