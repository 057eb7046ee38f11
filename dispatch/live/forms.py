"""Forms of the volunteer's phone sign-in, the leader's roster page and field visits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.models import Category, VisitOutcome
from teams.models import DutySlot, Household
from teams.phones import InvalidPhoneNumber, normalize_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại của bạn"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "autofocus": True}
        ),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 số trong tin nhắn"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class SlotForm(forms.Form):
    """A weekly duty slot, added by the team leader from their phone."""

    weekday = forms.TypedChoiceField(
        label=_("Thứ"), choices=DutySlot.Weekday.choices, coerce=int
    )
    starts = forms.TimeField(
        label=_("Từ giờ"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=_("Đến giờ"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Người trực"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, team_members: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(v.pk, v.full_name) for v in team_members]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["starts"] >= data["ends"]:
            raise forms.ValidationError(_("Giờ kết thúc phải sau giờ bắt đầu."))
        return data


# --- Outreach campaigns (the volunteer's household visits) -----------------------------


class VisitForm(forms.Form):
    """One visit in a few taps; `client_id` is made when the page is drawn (or by the
    phone's script), so a visit sent twice is stored once."""

    household = forms.IntegerField(widget=forms.HiddenInput)
    client_id = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{8,64}$", widget=forms.HiddenInput
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả"), widget=forms.RadioSelect, choices=()
    )
    done_items = forms.MultipleChoiceField(
        label=_("Đã làm được"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    note = forms.CharField(
        label=_("Ghi chú (không bắt buộc)"), required=False, max_length=500
    )
    visited_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, checklist: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = VisitOutcome.choices
        self.fields["done_items"].choices = [(c, c) for c in checklist]


class HouseholdForm(forms.Form):
    """A household met in the field, added to the register."""

    village = forms.ModelChoiceField(
        label=_("Thôn, bon"), queryset=None, empty_label=None
    )
    head_name = forms.CharField(label=_("Chủ hộ"), max_length=160)
    address = forms.CharField(
        label=_("Địa chỉ hoặc mốc dễ tìm"), max_length=200, required=False
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    members = forms.IntegerField(
        label=_("Số nhân khẩu"), min_value=1, max_value=60, initial=1
    )
    flags = forms.MultipleChoiceField(
        label=_("Hộ có"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    consent = forms.BooleanField(
        label=_("Chủ hộ đồng ý để tổ lưu thông tin và liên hệ lại"), required=False
    )

    def __init__(self, *args, villages, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["flags"].choices = [
            (name, Household.flag_label(name)) for name in Household.FLAGS
        ]

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            return normalize_phone(raw)
        except InvalidPhoneNumber:
            raise forms.ValidationError(
                _("Số điện thoại không hợp lệ: %(value)s"), params={"value": raw}
            ) from None


class VisitRequestForm(forms.Form):
    """A visit turned into a help request: what the household needs."""

    category = forms.ChoiceField(label=_("Cần hỗ trợ việc gì"), choices=())
    description = forms.CharField(
        label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices
