"""Abuse limits: per-client counters in Django's cache, and the inbound-SMS limit.

Every refusal is logged (scope and a redacted client key), so a flood shows up in the
logs without the logs becoming a list of residents' numbers. In production the cache
is Redis (config/settings/production.py), so every Daphne node counts together.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from dispatch.masking.logs import redact_phone
from dispatch.models import InboundMessage

logger = logging.getLogger(__name__)


def client_key(request: HttpRequest) -> str:
    # REMOTE_ADDR only: config.middleware.TrustedProxyMiddleware has already put the
    # client there (from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT allows).
    return request.META.get("REMOTE_ADDR") or "unknown"


def _cache_key(scope: str, client: str) -> str:
    # Hashed: cache keys must be short ASCII, and a phone number is personal data.
    digest = hashlib.sha256(client.encode("utf-8", "replace")).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def allow(*, scope: str, client: str, limit: int, window: int) -> bool:
    """Count one hit for `client` in the current window; False once over `limit`."""
    key = _cache_key(scope, client)
    if cache.add(key, 1, timeout=window):
        return True
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return True
    if hits > limit:
        logger.warning(
            "rate limit %s: %s refused (%s hits, limit %s per %ss)",
            scope,
            redact_phone(client) if client.startswith("+") else client,
            hits,
            limit,
            window,
        )
        return False
    return True


def earlier_in_the_hour() -> Coalesce:
    """How many SMS the same sender sent in the hour before this one, as an annotation
    of an InboundMessage query (so the task reads it with the row: no extra query)."""
    earlier = (
        InboundMessage.objects.filter(
            provider=OuterRef("provider"),
            from_number=OuterRef("from_number"),
            received_at__gt=OuterRef("received_at") - timedelta(hours=1),
            pk__lt=OuterRef("pk"),
        )
        .order_by()
        .values("from_number")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(earlier), 0)


def sms_over_hourly_limit(*, inbound: InboundMessage) -> bool:
    """True when this SMS's sender sent more than SMS_INTAKE_LIMIT_PER_HOUR messages
    in the hour before it. Counted in the database (the stored messages), so every
    worker process agrees and a retried task gives the same answer. A row read with
    `earlier_in_the_hour()` as `earlier_in_hour` is not counted again."""
    if not inbound.from_number:
        return False
    earlier = getattr(inbound, "earlier_in_hour", None)
    if earlier is None:
        since = inbound.received_at - timedelta(hours=1)
        earlier = InboundMessage.objects.filter(
            provider=inbound.provider,
            from_number=inbound.from_number,
            received_at__gt=since,
            pk__lt=inbound.pk,
        ).count()
    if earlier < settings.SMS_INTAKE_LIMIT_PER_HOUR:
        return False
    logger.warning(
        "rate limit sms-inbound: %s refused (%s SMS in the last hour at %s)",
        redact_phone(inbound.from_number),
        earlier + 1,
        timezone.localtime(inbound.received_at).isoformat(),
    )
    return True
