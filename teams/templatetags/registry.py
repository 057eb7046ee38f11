"""Template helpers of the registry: the sample-data notice shown on every page."""

from __future__ import annotations

from django import template

from teams.models import Commune

register = template.Library()


@register.simple_tag
def sample_communes() -> list[str]:
    """Names of communes holding sample data (empty when every commune is real)."""
    return list(Commune.objects.filter(is_sample=True).values_list("name", flat=True))
