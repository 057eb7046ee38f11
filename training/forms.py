from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from teams.models import Commune, SupportTeam, Volunteer


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
