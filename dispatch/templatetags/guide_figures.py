"""The dashboard's "which guides help" block, rendered from the guides' selectors so the
dashboard view itself needs no change."""

from __future__ import annotations

from typing import Any

from django import template

from dispatch.guides.selectors import guide_figures

register = template.Library()


@register.inclusion_tag("dashboard/_guides.html")
def guide_figures_block(commune: Any) -> dict[str, Any]:
    rows = guide_figures(commune_id=getattr(commune, "pk", None))
    return {"rows": rows, "commune": commune}
