"""Small helpers of the request page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# What an `edited` event changed, in words.
CHANGE_LABELS = {
    "category": _("loại việc"),
    "priority": _("mức ưu tiên"),
    "village": _("thôn"),
    "description": _("mô tả"),
    "is_elderly": _("người cao tuổi"),
    "has_disability": _("người khuyết tật"),
    "is_pregnant": _("phụ nữ mang thai"),
    "ethnic_minority": _("đồng bào dân tộc thiểu số"),
    "no_smartphone": _("không có điện thoại thông minh"),
    "home_visit": _("cần đến tận nhà"),
}


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key)


@register.filter
def change_label(field: str) -> Any:
    return CHANGE_LABELS.get(field, field)
