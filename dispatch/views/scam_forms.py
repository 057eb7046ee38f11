"""Forms of the scam pages (dispatch/views/scams.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dispatch.models import ScamOutcome, ScamSettings
from teams.models import Village
from training.models import ScamPattern
from training.selectors import active_scam_patterns


class ScamReportForm(forms.Form):
    pattern = forms.ModelChoiceField(
        label=_("Kiểu lừa đảo"),
        queryset=ScamPattern.objects.none(),
        required=False,
        empty_label=_("Chưa rõ"),
        help_text=_("Các kiểu trong bài kiểm tra nhận diện lừa đảo."),
    )
    amount_lost = forms.IntegerField(
        label=_("Số tiền đã mất (đồng)"),
        min_value=0,
        max_value=10**13,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Để trống nếu chưa mất tiền hoặc chưa rõ."),
    )
    lost_on = forms.DateField(
        label=_("Mất tiền ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    scammer_contact = forms.CharField(
        label=_("Số điện thoại, số tài khoản hoặc đường link của kẻ gian"),
        max_length=300,
        required=False,
        help_text=_("Ghi đúng như người dân đưa. Chỉ hiện đầy đủ cho công an xã."),
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả đến nay"),
        choices=ScamOutcome.choices,
        initial=ScamOutcome.UNKNOWN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pattern"].queryset = active_scam_patterns()  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "Người dân đồng ý cho chuyển tên, số điện thoại và nội dung vụ việc "
            "cho công an xã"
        ),
        required=True,
        error_messages={
            "required": _("Hãy hỏi và đánh dấu khi người dân đã đồng ý."),
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm số điện thoại, tài khoản, đường link hoặc mã yêu cầu"),
        max_length=120,
        required=False,
    )


class WarningForm(forms.Form):
    pattern = forms.ModelChoiceField(
        label=_("Kiểu lừa đảo"), queryset=ScamPattern.objects.none()
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Thôn được cảnh báo"),
        queryset=Village.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    what_to_do = forms.CharField(
        label=_("Nên làm"),
        max_length=80,
        required=False,
        help_text=_("Để trống để dùng lời khuyên có sẵn của kiểu lừa đảo này."),
    )
    never_do = forms.CharField(
        label=_("Không bao giờ làm"),
        max_length=80,
        required=False,
        help_text=_("Để trống để dùng lời khuyên có sẵn của kiểu lừa đảo này."),
    )
    to_residents = forms.BooleanField(
        label=_("Gửi cả người dân đã đăng ký nhận cảnh báo"), required=False
    )

    def __init__(self, *args: Any, villages: QuerySet[Village], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pattern"].queryset = active_scam_patterns()  # type: ignore[attr-defined]
        self.fields["villages"].queryset = villages.order_by("name")  # type: ignore[attr-defined]


class ScamSettingsForm(forms.ModelForm):
    class Meta:
        model = ScamSettings
        fields = [
            "police_name",
            "police_phone",
            "police_address",
            "leaders_may_warn",
            "warnings_per_day",
            "suggest_after",
        ]
