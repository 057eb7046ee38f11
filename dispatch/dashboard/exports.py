"""CSV and XLSX of the requests of a period, with personal data only for those allowed."""

from __future__ import annotations

from typing import Any

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.dashboard.kpis import Filters, Period, requests_for
from dispatch.models import Category, Channel, Outcome, Status
from teams.models import Commune

MAX_ROWS = 200_000


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def requests_dataset(
    *, commune: Commune, period: Period, filters: Filters, personal: bool
) -> tablib.Dataset:
    """One row per request received in the period (times in Asia/Ho_Chi_Minh).

    With `personal` False there is no resident name, phone, description or address.
    """
    columns = [
        ("code", _("Mã")),
        ("created_at", _("Tiếp nhận lúc")),
        ("channel", _("Kênh")),
        ("category", _("Loại hỗ trợ")),
        ("village__name", _("Thôn, bon")),
        ("current_team__name", _("Tổ")),
        ("priority", _("Ưu tiên")),
        ("status", _("Trạng thái")),
        ("accepted_at", _("Nhận lúc")),
        ("started_at", _("Bắt đầu hỗ trợ lúc")),
        ("resolved_at", _("Giải quyết lúc")),
        ("due_at", _("Hạn")),
        ("on_time", _("Đúng hạn")),
        ("outcome", _("Kết quả")),
        ("rating", _("Đánh giá")),
    ]
    if personal:
        columns += [
            ("resident_name", _("Người cần hỗ trợ")),
            ("resident_phone", _("Số điện thoại")),
            ("location_text", _("Địa chỉ")),
            ("description", _("Mô tả")),
        ]
    labels = {
        "channel": dict(Channel.choices),
        "category": dict(Category.choices),
        "status": dict(Status.choices),
        "outcome": dict(Outcome.choices),
    }
    dataset = tablib.Dataset(headers=[str(label) for _field, label in columns])
    dataset.title = str(_("Yêu cầu"))
    rows = (
        requests_for(commune=commune, period=period, filters=filters)
        .order_by("created_at")
        .values_list(*[name for name, _label in columns])[:MAX_ROWS]
    )
    yes, no = _("có"), _("không")
    for row in rows.iterator(chunk_size=2000):
        out = []
        for (name, _label), value in zip(columns, row, strict=True):
            if name.endswith("_at"):
                value = _local(value)
            elif name in labels:
                value = str(labels[name].get(value, value or ""))
            elif name == "on_time":
                value = "" if value is None else str(yes if value else no)
            elif value is None:
                value = ""
            out.append(value)
        dataset.append(out)
    return dataset
