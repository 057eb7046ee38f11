"""The commune registry: communes, villages, support teams, volunteers and staff."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.phones import InvalidPhoneNumber, normalize_phone
from teams.text import fold, nfc

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


# Language codes stored in Volunteer.languages, with their names for people.
LANGUAGE_NAMES = {
    "vi": _("tiếng Việt"),
    "mnong": _("tiếng M'Nông"),
    "koho": _("tiếng K'Ho"),
    "ma": _("tiếng Mạ"),
    "ede": _("tiếng Ê Đê"),
    "tay": _("tiếng Tày"),
    "nung": _("tiếng Nùng"),
    "hmong": _("tiếng H'Mông"),
    "en": _("tiếng Anh"),
}


def make_search_key(*texts: str) -> str:
    """Folded text stored beside a row so the admin finds it typed without diacritics."""
    return " | ".join(fold(t) for t in texts if fold(t))


def _clean_phone(value: str, field: str) -> str:
    if not value:
        return value
    try:
        return normalize_phone(value)
    except InvalidPhoneNumber:
        raise ValidationError(
            {field: _("Số điện thoại không hợp lệ: %(value)s") % {"value": value}}
        ) from None


class Commune(models.Model):
    name = models.CharField(_("tên xã"), max_length=120)
    code = models.CharField(
        _("mã ngắn"),
        max_length=4,
        unique=True,
        help_text=_("Dùng làm tiền tố mã theo dõi, ví dụ DA trong DA-7K3Q9."),
    )
    province = models.CharField(_("tỉnh"), max_length=120, blank=True)
    lat = models.FloatField(_("vĩ độ tâm"), validators=LATITUDE)
    lng = models.FloatField(_("kinh độ tâm"), validators=LONGITUDE)
    time_zone = models.CharField(
        _("múi giờ"), max_length=64, default="Asia/Ho_Chi_Minh"
    )
    hotline_numbers = models.JSONField(
        _("số đường dây nóng"),
        default=list,
        blank=True,
        help_text=_("Số gọi/nhắn đến (E.164) giúp nhận ra xã của cuộc gọi, tin nhắn."),
    )
    operator_phone = models.CharField(_("số trực tổng đài"), max_length=20, blank=True)
    sms_unaccented = models.BooleanField(
        _("tin nhắn không dấu"),
        default=True,
        help_text=_("Gửi SMS không dấu để vừa một tin 160 ký tự (GSM-7)."),
    )
    certification_required = models.JSONField(
        _("loại yêu cầu cần chứng nhận"),
        default=list,
        blank=True,
        help_text=_("Mã loại yêu cầu chỉ giao cho tình nguyện viên có chứng nhận."),
    )
    # No offer SMS between these times (live pushes still go); e.g. 21:30 → 06:00.
    quiet_from = models.TimeField(_("giờ yên lặng từ"), null=True, blank=True)
    quiet_until = models.TimeField(_("giờ yên lặng đến"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("dữ liệu mẫu"),
        default=False,
        help_text=_("Xã mẫu để thử và tập huấn, không phải dữ liệu thật."),
    )
    # Replaced whenever the commune's villages, teams or volunteers change: the key of
    # every process's cached copy of those facts (teams/registry.py).
    registry_stamp = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("xã")
        verbose_name_plural = _("xã")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = nfc(self.name)
        self.code = self.code.strip().upper()
        if self.operator_phone:
            self.operator_phone = normalize_phone(self.operator_phone)
        self.hotline_numbers = [normalize_phone(str(n)) for n in self.hotline_numbers]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.operator_phone = _clean_phone(self.operator_phone, "operator_phone")
        numbers = []
        for raw in self.hotline_numbers or []:
            numbers.append(_clean_phone(str(raw), "hotline_numbers"))
        self.hotline_numbers = numbers


class Village(models.Model):
    class Kind(models.TextChoices):
        THON = "thon", _("thôn")
        BON = "bon", _("bon")
        BUON = "buon", _("buôn")
        TO_DAN_PHO = "to_dan_pho", _("tổ dân phố")

    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="villages", verbose_name=_("xã")
    )
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    aliases = models.JSONField(
        _("tên gọi khác"),
        default=list,
        blank=True,
        help_text=_("Tên cũ, cách viết không dấu, tên theo tiếng dân tộc."),
    )
    landmarks = models.JSONField(
        _("địa điểm dễ nhận ra"),
        default=list,
        blank=True,
        help_text=_(
            "Trường học, chợ, nhà thờ, chùa… mà người dân nhắc tới khi nói mình ở đâu,"
            ' ví dụ "gần chợ Đức An" → "chợ Đức An".'
        ),
    )
    number = models.PositiveSmallIntegerField(
        _("số trên tổng đài"),
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Số hai chữ số người gọi bấm để chọn thôn."),
    )
    lat = models.FloatField(_("vĩ độ tâm"), validators=LATITUDE)
    lng = models.FloatField(_("kinh độ tâm"), validators=LONGITUDE)
    households = models.PositiveIntegerField(_("số hộ"), default=0)
    population = models.PositiveIntegerField(_("số dân"), default=0)
    slug = models.SlugField(_("đường dẫn"), max_length=80)
    # The language most residents speak first (a code of LANGUAGE_NAMES): requests from
    # the village carry it, so a speaker can be sent.
    language = models.CharField(_("ngôn ngữ chính"), max_length=8, default="vi")
    search_key = models.TextField(_("khoá tìm kiếm"), blank=True, editable=False)

    class Meta:
        verbose_name = _("thôn, bon")
        verbose_name_plural = _("thôn, bon")
        ordering = ["commune", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "number"], name="village_unique_number"
            ),
            models.UniqueConstraint(
                fields=["commune", "slug"], name="village_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = nfc(self.name)
        self.aliases = [nfc(a) for a in self.aliases if nfc(a)]
        self.landmarks = [nfc(a) for a in self.landmarks if nfc(a)]
        if not self.slug:
            self.slug = fold(self.name).replace(" ", "-")
        self.search_key = make_search_key(self.name, *self.aliases)
        super().save(*args, **kwargs)

    @property
    def folded_names(self) -> list[str]:
        """The name and every alias, folded for matching."""
        return [fold(self.name), *(fold(a) for a in self.aliases)]


class SupportTeam(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("tổ thôn/bon")
        SPECIALISTS = "specialists", _("tổ chuyên viên của xã")

    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="teams", verbose_name=_("xã")
    )
    name = models.CharField(_("tên tổ"), max_length=160)
    kind = models.CharField(
        _("loại tổ"), max_length=16, choices=Kind.choices, default=Kind.VILLAGE
    )
    base_lat = models.FloatField(_("vĩ độ điểm trực"), validators=LATITUDE)
    base_lng = models.FloatField(_("kinh độ điểm trực"), validators=LONGITUDE)
    villages = models.ManyToManyField(
        Village, related_name="teams", blank=True, verbose_name=_("phục vụ thôn")
    )
    phone = models.CharField(_("số điện thoại của tổ"), max_length=20, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    weekly_cap = models.PositiveSmallIntegerField(
        _("số việc tối đa mỗi người mỗi tuần"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không giới hạn."),
    )

    class Meta:
        verbose_name = _("tổ hỗ trợ")
        verbose_name_plural = _("tổ hỗ trợ")
        ordering = ["commune", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = nfc(self.name)
        if self.phone:
            self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.phone = _clean_phone(self.phone, "phone")


class Volunteer(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("thành viên")
        LEADER = "leader", _("tổ trưởng")

    class Affiliation(models.TextChoices):
        PARTY_CELL = "party_cell", _("bí thư chi bộ")
        VILLAGE_OFFICIAL = "village_official", _("cán bộ thôn")
        TEACHER = "teacher", _("giáo viên")
        YOUTH_UNION = "youth_union", _("đoàn viên thanh niên")
        WOMEN_UNION = "women_union", _("hội phụ nữ")
        TRADE_UNION = "trade_union", _("công đoàn")
        POLICE = "police", _("công an")
        MILITIA = "militia", _("dân quân")
        VETERANS = "veterans", _("hội cựu chiến binh")
        FARMERS = "farmers", _("hội nông dân")
        CIVIL_SERVANT = "civil_servant", _("công chức xã")
        OTHER = "other", _("khác")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="volunteer",
        verbose_name=_("tài khoản"),
    )
    team = models.ForeignKey(
        SupportTeam, models.PROTECT, related_name="volunteers", verbose_name=_("tổ")
    )
    full_name = models.CharField(_("họ và tên"), max_length=160)
    phone = models.CharField(_("số điện thoại"), max_length=20, unique=True)
    role = models.CharField(
        _("vai trò"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    affiliation = models.CharField(
        _("đơn vị"),
        max_length=24,
        choices=Affiliation.choices,
        default=Affiliation.OTHER,
    )
    languages = models.JSONField(
        _("ngôn ngữ"), default=list, blank=True, help_text=_("Ví dụ: vi, mnong, koho.")
    )
    skills = models.JSONField(_("kỹ năng"), default=list, blank=True)
    on_duty = models.BooleanField(_("đang trực"), default=False)
    # Set by "NGHI <days>": off duty until then, whatever the rosters say.
    away_until = models.DateTimeField(_("nghỉ trực đến"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("số việc cùng lúc"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    active = models.BooleanField(_("còn hoạt động"), default=True)
    search_key = models.TextField(_("khoá tìm kiếm"), blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tình nguyện viên")
        verbose_name_plural = _("tình nguyện viên")
        ordering = ["team", "full_name"]
        indexes = [models.Index(fields=["team", "on_duty", "active"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.team})"

    def save(self, *args, **kwargs) -> None:
        # Every way in (admin, import, demo, services) stores the same E.164 form, so
        # the unique constraint really means "one volunteer per phone".
        self.full_name = nfc(self.full_name)
        self.phone = normalize_phone(self.phone)
        self.search_key = make_search_key(self.full_name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.phone = _clean_phone(self.phone, "phone")

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER


class StaffMember(models.Model):
    """Commune staff who work from the office: operators take calls, secretaries oversee."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("tổng đài viên")
        SECRETARY = "secretary", _("thư ký xã")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="staff_member",
        verbose_name=_("tài khoản"),
    )
    commune = models.ForeignKey(
        Commune, models.CASCADE, related_name="staff", verbose_name=_("xã")
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("cán bộ xã")
        verbose_name_plural = _("cán bộ xã")

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.username
        return f"{name} ({self.get_role_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.phone:
            self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.phone = _clean_phone(self.phone, "phone")


class DutySlot(models.Model):
    """A weekly roster slot of a team: its members are on duty from `starts` to `ends`.

    `started_on` / `ended_on` remember the last day the slot was applied, so the
    minute-by-minute roster task acts once per slot and day (`teams.rosters`).
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ nhật")

    team = models.ForeignKey(
        SupportTeam, models.CASCADE, related_name="slots", verbose_name=_("tổ")
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    starts = models.TimeField(_("từ"))
    ends = models.TimeField(_("đến"))
    members = models.ManyToManyField(
        Volunteer, related_name="slots", blank=True, verbose_name=_("người trực")
    )
    started_on = models.DateField(null=True, blank=True, editable=False)
    ended_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ca trực")
        verbose_name_plural = _("ca trực")
        ordering = ["team", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts__lt=models.F("ends")),
                name="duty_slot_starts_before_it_ends",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Household(models.Model):
    """One household of a village's register: who to visit, where, and how to reach them.

    Personal data like a resident's (dispatch.privacy.subject exports and erases it by
    phone); `code` is short so a volunteer can text it (`TH <code> <digit>`).
    """

    commune = models.ForeignKey(
        Commune,
        models.CASCADE,
        related_name="households_register",
        verbose_name=_("xã"),
    )
    village = models.ForeignKey(
        Village,
        models.CASCADE,
        related_name="household_register",
        verbose_name=_("thôn, bon"),
    )
    code = models.CharField(
        _("mã hộ"),
        max_length=16,
        help_text=_("Mã ngắn để nhắn tin, ví dụ 3-12 (thôn số 3, hộ số 12)."),
    )
    head_name = models.CharField(_("chủ hộ"), max_length=160, blank=True)
    address = models.CharField(_("địa chỉ hoặc mốc dễ tìm"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    phone_alt = models.CharField(_("số điện thoại khác"), max_length=20, blank=True)
    members = models.PositiveSmallIntegerField(
        _("số nhân khẩu"), default=1, validators=[MaxValueValidator(60)]
    )
    has_elderly = models.BooleanField(_("có người trên 60 tuổi"), default=False)
    elderly_alone = models.BooleanField(
        _("người cao tuổi sống một mình"), default=False
    )
    has_disability = models.BooleanField(_("có người khuyết tật"), default=False)
    ethnic_minority = models.BooleanField(
        _("hộ đồng bào dân tộc thiểu số"), default=False
    )
    no_smartphone = models.BooleanField(
        _("không có điện thoại thông minh"), default=False
    )
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True, validators=LATITUDE)
    lng = models.FloatField(_("kinh độ"), null=True, blank=True, validators=LONGITUDE)
    consent_at = models.DateTimeField(
        _("đồng ý được liên hệ lúc"), null=True, blank=True
    )
    added_by = models.ForeignKey(
        Volunteer,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="households_added",
        verbose_name=_("người thêm"),
    )
    erased_at = models.DateTimeField(_("đã xoá dữ liệu lúc"), null=True, blank=True)
    search_key = models.TextField(_("khoá tìm kiếm"), blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    FLAGS = (
        "has_elderly",
        "elderly_alone",
        "has_disability",
        "ethnic_minority",
        "no_smartphone",
    )

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["village", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="household_unique_code"
            )
        ]
        indexes = [models.Index(fields=["commune", "phone"])]

    def __str__(self) -> str:
        return f"{self.code} {self.head_name}".strip()

    def save(self, *args, **kwargs) -> None:
        self.head_name = nfc(self.head_name)
        self.address = nfc(self.address)
        self.code = self.code.strip().upper()
        for name in ("phone", "phone_alt"):
            value = getattr(self, name)
            if value:
                setattr(self, name, normalize_phone(value))
        self.search_key = make_search_key(self.code, self.head_name, self.address)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.phone = _clean_phone(self.phone, "phone")
        self.phone_alt = _clean_phone(self.phone_alt, "phone_alt")
        if (
            self.village_id
            and self.commune_id
            and self.village.commune_id != self.commune_id
        ):
            raise ValidationError({"village": _("Thôn không thuộc xã này.")})

    @classmethod
    def flag_label(cls, name: str) -> str:
        """The words for one of FLAGS ("có người trên 60 tuổi")."""
        return str(getattr(cls._meta.get_field(name), "verbose_name", name))

    @property
    def flag_labels(self) -> list[str]:
        return [self.flag_label(name) for name in self.FLAGS if getattr(self, name)]
