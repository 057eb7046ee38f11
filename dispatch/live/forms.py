"""Forms of the volunteer's phone sign-in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
