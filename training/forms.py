from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teams.models import Commune, SupportTeam, Village, Volunteer
from training.models import Topic


class EnrolForm(forms.Form):
    """Enrol one volunteer or a whole team (exactly one of the two)."""

    volunteer = forms.ModelChoiceField(
        queryset=Volunteer.objects.none(), required=False, label=_("Tình nguyện viên")
    )
    team = forms.ModelChoiceField(
        queryset=SupportTeam.objects.none(), required=False, label=_("Cả tổ")
    )

    def __init__(self, *args, commune: Commune, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = Volunteer.objects.filter(
            team__commune=commune, active=True
        ).select_related("team")
        self.fields["team"].queryset = commune.teams.filter(active=True)

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("volunteer")) == bool(data.get("team")):
            raise forms.ValidationError(_("Chọn một tình nguyện viên hoặc một tổ."))
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"), max_length=300, widget=forms.TextInput()
    )


class WorkshopForm(forms.Form):
    """A workshop as staff enter it: a local date and local start/end times."""

    title = forms.CharField(label=_("Tên buổi tập huấn"), max_length=200)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        label=_("Chủ đề"),
    )
    day = forms.DateField(
        label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.TimeField(
        label=_("Bắt đầu"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("Kết thúc"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    village = forms.ModelChoiceField(
        queryset=Village.objects.none(), required=False, label=_("Tại thôn, bon")
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    trainer = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("Giảng viên")
    )
    capacity = forms.IntegerField(
        label=_("Số chỗ"), min_value=1, max_value=500, initial=30
    )

    def __init__(self, *args, commune: Commune, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = commune.villages.all()
        users = get_user_model().objects.filter(
            Q(staff_member__commune=commune) | Q(volunteer__team__commune=commune)
        )
        self.fields["trainer"].queryset = users.distinct().order_by("username")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Giờ kết thúc phải sau giờ bắt đầu."))
        if not data.get("village") and not (data.get("address") or "").strip():
            raise forms.ValidationError(_("Hãy chọn thôn, bon hoặc ghi địa chỉ."))
        return data
