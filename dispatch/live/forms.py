"""Forms of the volunteer's phone sign-in and the leader's roster page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teams.models import DutySlot


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
