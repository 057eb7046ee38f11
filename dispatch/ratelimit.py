"""Per-client rate limits on public look-ups, counted in Django's cache."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or "unknown"


def allow(*, scope: str, client: str, limit: int, window: int) -> bool:
    """Count one hit for `client` in the current window; False once over `limit`."""
    key = f"ratelimit:{scope}:{client}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return True
    return hits <= limit
