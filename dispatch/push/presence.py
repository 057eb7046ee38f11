"""Is a volunteer connected right now? Kept in Redis, shared by every Daphne process.

Each open socket (tab, phone) is one member of a sorted set per volunteer, scored with
the time its lease runs out. The consumer renews the lease on a heartbeat; a socket that
closes removes itself, and a process that dies simply stops renewing, so its sockets fall
out after `PRESENCE_TTL_SECONDS`. Nothing lives in process memory.

Redis being down must never stop an offer: then everyone counts as offline, and the SMS
fallback texts them (a duplicate SMS is better than a missed neighbour).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

PRESENCE_TTL_SECONDS = 60
HEARTBEAT_SECONDS = 20
BATCH = 500
_clients: dict[str, redis.Redis] = {}


def _client() -> redis.Redis:
    url = settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        # A connection pool, not state: safe to share between threads of one process.
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        _clients[url] = client
    return client


def _key(volunteer_id: int) -> str:
    prefix = (
        settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "caunoi")
    )
    return f"{prefix}:presence:volunteer:{volunteer_id}"


def mark_online(*, volunteer_id: int, connection: str) -> None:
    """Open or renew the lease of one connection (a tab or phone) of a volunteer."""
    mark_many_online({connection: volunteer_id})


def mark_many_online(connections: dict[str, int]) -> None:
    """Open or renew the leases of many connections (connection → volunteer id) in
    one round trip per `BATCH` (a Daphne process renews all of its sockets at once)."""
    now = time.time()
    items = list(connections.items())
    try:
        client = _client()
        for start in range(0, len(items), BATCH):
            pipe = client.pipeline(transaction=False)
            for connection, volunteer_id in items[start : start + BATCH]:
                key = _key(volunteer_id)
                pipe.zadd(key, {connection: now + PRESENCE_TTL_SECONDS})
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.expire(key, PRESENCE_TTL_SECONDS * 2)
            pipe.execute()
    except redis.RedisError:
        logger.warning(
            "presence: cannot mark %s volunteer connection(s) online", len(items)
        )


def mark_offline(*, volunteer_id: int, connection: str) -> None:
    """Drop one connection; the volunteer stays online while another tab is open."""
    try:
        _client().zrem(_key(volunteer_id), connection)
    except redis.RedisError:
        logger.warning("presence: cannot mark volunteer %s offline", volunteer_id)


def online_ids(volunteer_ids: Iterable[int]) -> set[int]:
    """The volunteers among `volunteer_ids` with at least one live connection."""
    ids = list(volunteer_ids)
    if not ids:
        return set()
    now = time.time()
    try:
        pipe = _client().pipeline()
        for volunteer_id in ids:
            pipe.zcount(_key(volunteer_id), f"({now}", "+inf")
        counts = pipe.execute()
    except redis.RedisError:
        logger.warning("presence: Redis unavailable, treating everyone as offline")
        return set()
    return {volunteer_id for volunteer_id, n in zip(ids, counts, strict=True) if n}


def is_online(volunteer_id: int) -> bool:
    return volunteer_id in online_ids([volunteer_id])


def open_connections() -> int | None:
    """Live volunteer sockets across every Daphne (for /metrics); None if Redis is down."""
    now = time.time()
    try:
        client = _client()
        keys = list(client.scan_iter(match=_key(0)[: -len("0")] + "*", count=500))
        if not keys:
            return 0
        pipe = client.pipeline()
        for key in keys:
            pipe.zcount(key, f"({now}", "+inf")
        return sum(pipe.execute())
    except redis.RedisError:
        logger.warning("presence: Redis unavailable, open sockets unknown")
        return None
