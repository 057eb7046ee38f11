"""Forms of the registry: the volunteer form (admin) and the spreadsheet upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from teams.models import LANGUAGE_NAMES, Commune, Volunteer
from teams.phones import InvalidPhoneNumber, normalize_phone
from teams.services import ensure_volunteer_user
from teams.spreadsheets import SUPPORTED_SUFFIXES

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class VolunteerForm(forms.ModelForm):
    """Admin form: the phone is normalised, and a login is created when missing."""

    languages = forms.MultipleChoiceField(
        label=_("ngôn ngữ"),
        choices=list(LANGUAGE_NAMES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Volunteer
        fields = [
            "team",
            "full_name",
            "phone",
            "role",
            "affiliation",
            "languages",
            "on_duty",
            "capacity",
            "active",
        ]

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        try:
            return normalize_phone(raw)
        except InvalidPhoneNumber:
            raise forms.ValidationError(
                _("Số điện thoại không hợp lệ: %(value)s"), params={"value": raw}
            ) from None

    def save(self, commit: bool = True) -> Volunteer:
        volunteer = super().save(commit=False)
        if not volunteer.user_id:
            volunteer.user = ensure_volunteer_user(
                phone=volunteer.phone, full_name=volunteer.full_name
            )
        if commit:
            volunteer.save()
        return volunteer


class VolunteerImportForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=_("Xã"), queryset=Commune.objects.all(), empty_label=None
    )
    file = forms.FileField(
        label=_("Tệp danh sách (.csv hoặc .xlsx)"),
        help_text=_(
            "Các cột: họ tên, số điện thoại, tổ, vai trò, đơn vị, ngôn ngữ, đang trực, "
            "sức chứa. Tiêu đề có dấu, không dấu hay tiếng Anh đều được."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(SUPPORTED_SUFFIXES):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
        return upload


class HouseholdImportForm(VolunteerImportForm):
    """The household register's upload: the same checks, its own columns."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Tệp sổ hộ (.csv hoặc .xlsx)")
        self.fields["file"].help_text = _(
            "Các cột: thôn, chủ hộ, mã hộ, địa chỉ, số điện thoại, số nhân khẩu, "
            "người trên 60, cao tuổi sống một mình, khuyết tật, dân tộc thiểu số, "
            "không có điện thoại thông minh, đồng ý liên hệ, vĩ độ, kinh độ. "
            "Tiêu đề có dấu, không dấu hay tiếng Anh đều được."
        )
