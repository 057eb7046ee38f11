"""The resident's needs in plain words and icons, for every card and offer SMS.

The ticks residents (or operators) choose become words a volunteer reads at a glance
("cao tuổi", "cần đến tận nhà") with an icon; the SMS carries the words only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dispatch.models import HelpRequest

# Stable key (HelpRequest.need_keys) → plain words and an icon.
NEEDS = {
    "elderly": (_("cao tuổi"), "👵"),
    "disability": (_("khuyết tật"), "♿"),
    "pregnant": (_("mang thai"), "🤰"),
    "ethnic_minority": (_("đồng bào dân tộc thiểu số"), "🗣"),
    "no_smartphone": (_("không có điện thoại thông minh"), "📵"),
    "home_visit": (_("cần đến tận nhà"), "🏠"),
}


def need_labels() -> dict[str, dict[str, str]]:
    """Every key's words and icon, for pages that receive keys in live pushes."""
    return {
        key: {"label": str(label), "icon": icon} for key, (label, icon) in NEEDS.items()
    }


def needs_of(request: HelpRequest) -> list[dict[str, Any]]:
    """The request's ticks as `{"key", "label", "icon"}`, in a fixed order."""
    return [
        {"key": key, "label": str(NEEDS[key][0]), "icon": NEEDS[key][1]}
        for key in request.need_keys
    ]


def needs_words(request: HelpRequest) -> str:
    """The ticks as words for an SMS ("cao tuổi, cần đến tận nhà"), or ""."""
    return ", ".join(need["label"] for need in needs_of(request))
