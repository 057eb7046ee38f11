"""The scam blocks other pages include in one line: the dashboard's figures by pattern,
village and week, and the board's "send a warning?" suggestions (dispatch/scams/)."""

from __future__ import annotations

from typing import Any

from django import template

from dispatch import permissions
from dispatch.scams import selectors
from teams.models import Commune

register = template.Library()


@register.inclusion_tag("dispatch/scams/_dashboard_block.html", takes_context=True)
def scam_figures(context: template.Context, commune: Commune) -> dict[str, Any]:
    """`{% scam_figures commune %}`: the last eight weeks' scam reports of `commune`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "figures": selectors.scam_figures(commune=commune),
        "suggestions": selectors.warning_suggestions(commune=commune),
        "may_warn": user is not None and permissions.may_send_warnings(user=user),
    }


@register.inclusion_tag("dispatch/scams/_suggestions.html", takes_context=True)
def scam_suggestions(context: template.Context, commune_id: int) -> dict[str, Any]:
    """`{% scam_suggestions commune_id %}`: patterns seen often enough in a village
    this week that the secretary should warn it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    commune = Commune.objects.filter(pk=commune_id).first()
    return {
        "suggestions": selectors.warning_suggestions(commune=commune)
        if commune
        else [],
        "may_warn": user is not None and permissions.may_send_warnings(user=user),
    }
