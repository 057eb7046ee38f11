"""`GET /healthz`: is this process able to reach the database and the channel layer?

Load balancers and monitoring poll it. The channel check is a real round trip through the
channel layer (Redis), because a process that cannot reach Redis serves pages but pushes
nothing live.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
CHANNEL_TIMEOUT_SECONDS = 3.0


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("health check: database unreachable", exc_info=True)
        return "error"
    return "ok"


async def _channel_layer_status() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "error"
    token = secrets.token_hex(8)
    try:
        async with asyncio.timeout(CHANNEL_TIMEOUT_SECONDS):
            channel = await layer.new_channel("healthz.")
            await layer.send(channel, {"type": "health.ping", "token": token})
            message = await layer.receive(channel)
    except Exception:
        logger.warning("health check: channel layer unreachable", exc_info=True)
        return "error"
    return "ok" if message.get("token") == token else "error"


@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": await sync_to_async(_database_status)(),
        "channel_layer": await _channel_layer_status(),
    }
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error", **checks}
    return JsonResponse(body, status=200 if healthy else 503)
