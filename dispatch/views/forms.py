"""Forms for asking help on the web: the public form and the operators' call form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.models import Category
from teams.models import Commune, Village
from teams.phones import InvalidPhoneNumber, normalize_phone

# Plain words for each category, as a grandchild would explain it.
CATEGORY_HELP = {
    Category.VNEID: _("Cài, kích hoạt VNeID mức 2, quên mật khẩu, lỗi đăng nhập."),
    Category.PORTAL: _("Tạo hoặc đăng nhập tài khoản Cổng dịch vụ công."),
    Category.DOSSIER: _("Nộp hồ sơ trên mạng: khai sinh, cư trú, đất đai, bảo hiểm…"),
    Category.EPAYMENT: _("Chuyển tiền, trả tiền điện nước, học phí, ví điện tử."),
    Category.SCAM: _("Có người gọi, nhắn tin lạ đòi tiền hay đòi mã OTP. Khẩn cấp."),
    Category.OTHER: _("Việc khác, hoặc không biết chọn mục nào."),
}

FLAG_CHOICES = [
    ("elderly", _("Người cao tuổi")),
    ("disability", _("Người khuyết tật")),
    ("pregnant", _("Phụ nữ mang thai")),
    ("ethnic_minority", _("Hộ đồng bào dân tộc thiểu số")),
    ("no_smartphone", _("Không có điện thoại thông minh")),
    ("home_visit", _("Cần người đến tận nhà")),
]


class CategoryRadio(forms.RadioSelect):
    option_template_name = "dispatch/widgets/category_option.html"

    def create_option(
        self, name, value, label, selected, index, subindex=None, attrs=None
    ):
        option = super().create_option(
            name, value, label, selected, index, subindex, attrs
        )
        option["help"] = CATEGORY_HELP.get(value, "")
        return option


class PhoneField(forms.CharField):
    def clean(self, value: str) -> str:
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalize_phone(value)
        except InvalidPhoneNumber as exc:
            raise forms.ValidationError(
                _("Số điện thoại chưa đúng. Ví dụ: 0912 345 678."), code="phone"
            ) from exc


class RequestFields(forms.Form):
    village = forms.ModelChoiceField(
        label=_("Thôn, bon của bạn"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("— Chọn thôn, bon —"),
        help_text=_("Không biết thì để trống, tổ sẽ hỏi lại."),
    )
    category = forms.ChoiceField(
        label=_("Bạn cần giúp việc gì?"),
        choices=Category.choices,
        widget=CategoryRadio,
        error_messages={"required": _("Hãy chọn một việc cần giúp.")},
    )
    resident_phone = PhoneField(
        label=_("Số điện thoại để tổ gọi lại"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "tel",
                "autocomplete": "tel",
                "placeholder": "0912 345 678",
            }
        ),
        error_messages={"required": _("Hãy nhập số điện thoại để tổ gọi lại.")},
    )
    resident_name = forms.CharField(
        label=_("Họ tên (không bắt buộc)"),
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    description = forms.CharField(
        label=_("Mô tả ngắn (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Đừng ghi mật khẩu, mã OTP hay số tài khoản ngân hàng."),
    )
    flags = forms.MultipleChoiceField(
        label=_("Người cần giúp là (chọn nếu có)"),
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    landmark = forms.CharField(
        label=_("Địa chỉ hoặc mốc dễ tìm nhà (không bắt buộc)"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: gần trường tiểu học, nhà thứ ba sau cầu."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    preferred_time = forms.CharField(
        label=_("Giờ nào tiện để tổ gọi hoặc đến (không bắt buộc)"),
        max_length=80,
        required=False,
        help_text=_("Ví dụ: sau 17 giờ, sáng thứ Bảy."),
    )

    def __init__(self, *args, commune: Commune, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.fields["village"].queryset = Village.objects.filter(commune=commune)


class HelpForm(RequestFields):
    """The public form residents (or their relatives) fill in."""

    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để tổ hỗ trợ của xã lưu số điện thoại và thông tin trên"
            " để liên hệ giúp tôi."
        ),
        error_messages={"required": _("Cần bạn đồng ý thì tổ mới liên hệ được.")},
    )
    lat = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-90, max_value=90
    )
    lng = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=-180, max_value=180
    )
    # Hidden from people by CSS; bots fill every field they find.
    # Out of the tab order and hidden from screen readers, so no person fills it in.
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Không gửi được biểu mẫu."), code="honeypot")
        return ""


class OperatorForm(RequestFields):
    """What an operator types while a resident is on the phone."""

    consent = forms.BooleanField(
        label=_("Người gọi đồng ý để xã lưu thông tin và liên hệ lại."), required=False
    )
    location_text = forms.CharField(
        label=_("Người gọi tả nơi ở (nếu không rõ thôn)"),
        max_length=300,
        required=False,
    )


class PhoneLookupForm(forms.Form):
    phone = PhoneField(label=_("Số điện thoại người gọi"), max_length=20)
