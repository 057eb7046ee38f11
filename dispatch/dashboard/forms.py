"""The period and filter form shared by the dashboard pages, exports and the API."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.dashboard.kpis import DEFAULT_DAYS, Filters, Period
from dispatch.models import Category, Channel
from teams.models import Commune, SupportTeam, Village

MAX_DAYS = 3 * 366


class KpiFilterForm(forms.Form):
    date_from = forms.DateField(label=_("Từ ngày"), required=False)
    date_to = forms.DateField(label=_("Đến ngày"), required=False)
    team = forms.ModelChoiceField(
        label=_("Tổ"),
        queryset=SupportTeam.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    village = forms.ModelChoiceField(
        label=_("Thôn, bon"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    category = forms.ChoiceField(
        label=_("Loại hỗ trợ"),
        choices=[("", _("Tất cả"))] + Category.choices,
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Tất cả"))] + Channel.choices, required=False
    )

    def __init__(self, *args, commune: Commune, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = SupportTeam.objects.filter(
            commune=commune
        ).order_by("kind", "name")
        self.fields["village"].queryset = Village.objects.filter(
            commune=commune
        ).order_by("number", "name")
        for field in ("date_from", "date_to"):
            self.fields[field].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.localdate()
        last = data.get("date_to") or today
        first = data.get("date_from") or last - dt.timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        if (last - first).days > MAX_DAYS:
            raise forms.ValidationError(_("Chỉ xem được tối đa 3 năm một lần."))
        data["period"] = Period.from_dates(first, last)
        data["filters"] = Filters(
            team_id=data["team"].pk if data.get("team") else None,
            village_id=data["village"].pk if data.get("village") else None,
            category=data.get("category") or "",
            channel=data.get("channel") or "",
        )
        return data
