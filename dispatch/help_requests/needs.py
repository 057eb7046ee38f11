"""The resident's needs in plain words and icons, for every card and offer SMS.

The ticks residents (or operators) choose become words a volunteer reads at a glance
("cao tuổi", "cần đến tận nhà") with an icon; the SMS carries the words only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dispatch.models import HelpRequest

# (field on HelpRequest, stable key, plain words, icon)
NEEDS = (
    ("is_elderly", "elderly", _("cao tuổi"), "👵"),
    ("has_disability", "disability", _("khuyết tật"), "♿"),
    ("is_pregnant", "pregnant", _("mang thai"), "🤰"),
    ("ethnic_minority", "ethnic_minority", _("đồng bào dân tộc thiểu số"), "🗣"),
    ("no_smartphone", "no_smartphone", _("không có điện thoại thông minh"), "📵"),
    ("home_visit", "home_visit", _("cần đến tận nhà"), "🏠"),
)


def needs_of(request: HelpRequest) -> list[dict[str, Any]]:
    """The request's ticks as `{"key", "label", "icon"}`, in a fixed order."""
    return [
        {"key": key, "label": str(label), "icon": icon}
        for field, key, label, icon in NEEDS
        if getattr(request, field, False)
    ]


def needs_words(request: HelpRequest) -> str:
    """The ticks as words for an SMS ("cao tuổi, cần đến tận nhà"), or ""."""
    return ", ".join(need["label"] for need in needs_of(request))
