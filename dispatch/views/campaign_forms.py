"""Forms of the secretary's campaign pages: a new campaign with its targets, and the
assignment of households to organisations and teams."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dispatch.models import Category, Guide, Organisation
from teams.models import Commune, Household, SupportTeam, Village


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Tên chiến dịch"), max_length=160)
    goal = forms.CharField(
        label=_("Mục tiêu (bằng lời thường)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: Mọi hộ có người trên 60 tuổi được kích hoạt VNeID mức 2."),
    )
    category = forms.ChoiceField(label=_("Loại hỗ trợ"), choices=Category.choices)
    checklist = forms.CharField(
        label=_("Việc cần làm khi đến nhà (mỗi dòng một việc)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    guide = forms.ModelChoiceField(
        label=_("Hướng dẫn thủ tục dùng khi đến nhà"),
        queryset=Guide.objects.filter(published=True).order_by("title_vi"),
        required=False,
        empty_label=_("(không dùng hướng dẫn)"),
        help_text=_(
            "Tình nguyện viên thấy đường dẫn tới hướng dẫn trong danh sách hộ."
        ),
    )
    starts_on = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Các thôn, bon"),
        queryset=Village.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, commune: Commune, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commune = commune
        villages = Village.objects.filter(commune=commune).order_by("number")
        self.fields["villages"].queryset = villages
        self.village_fields = []
        for village in villages:
            name = f"village_{village.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Chỉ tiêu số hộ — %(village)s") % {"village": village.name},
                min_value=0,
                required=False,
                help_text=_("Để trống: mọi hộ trong sổ của thôn."),
            )
            self.village_fields.append(name)
        self.organisation_fields = []
        for value, label in Organisation.choices:
            name = f"org_{value}"
            self.fields[name] = forms.IntegerField(
                label=_("Chỉ tiêu số hộ — %(organisation)s") % {"organisation": label},
                min_value=0,
                required=False,
            )
            self.organisation_fields.append(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def village_targets(self) -> dict[int, int]:
        return {
            int(name.split("_", 1)[1]): self.cleaned_data[name]
            for name in self.village_fields
            if self.cleaned_data.get(name) is not None
        }

    def organisation_targets(self) -> dict[str, int]:
        return {
            name.split("_", 1)[1]: self.cleaned_data[name]
            for name in self.organisation_fields
            if self.cleaned_data.get(name)
        }

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["checklist"].splitlines()]


class AssignForm(forms.Form):
    """Give households (all, or those with any of the flags) to an organisation/team."""

    organisation = forms.ChoiceField(
        label=_("Giao cho tổ chức"),
        choices=[("", _("— không —")), *Organisation.choices],
        required=False,
    )
    team = forms.ModelChoiceField(
        label=_("Giao cho tổ"),
        queryset=SupportTeam.objects.none(),
        required=False,
        empty_label=_("— không —"),
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Chỉ các thôn (để trống: mọi thôn của chiến dịch)"),
        queryset=Village.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    flags = forms.MultipleChoiceField(
        label=_("Chỉ các hộ có (để trống: mọi hộ)"),
        choices=[(name, Household.flag_label(name)) for name in Household.FLAGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, campaign: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = SupportTeam.objects.filter(
            commune_id=campaign.commune_id, active=True
        )
        self.fields["villages"].queryset = campaign.villages.order_by("number")
