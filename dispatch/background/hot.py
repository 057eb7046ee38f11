"""The hot queue: inbound SMS to understand and outbound SMS to send, picked up at once.

django-q2's ORM broker polls the database every `Q_CLUSTER["poll"]` seconds (0.2 s), and
every task is a row inserted, polled, locked and deleted. The hot jobs instead go through
a Redis list that a second cluster (`HOT_CLUSTER`, `manage.py qcluster` with
`Q_CLUSTER_NAME=caunoi-hot`) waits on with BLPOP: a task is taken within a millisecond
or two of the commit that queued it.

The database stays the only truth. The row (the inbound or the outbound SMS) is
committed before its task is queued; a Redis list is only a wake-up call. A lost call (a
Redis restart, a worker killed mid-task, Redis down when the task was queued) only
delays the work until the minutely sweeps find the row (`dispatch.intake.retries`,
`dispatch.sms.delivery.sweep_outbox`). While Redis is down, `enqueue` falls back to
the ORM broker, so nothing even waits for the sweep. Scheduled work stays on the ORM
broker and the default cluster, which needs no Redis at all.
"""

from __future__ import annotations

import redis
from django.conf import settings
from django_q.brokers.redis_broker import Redis

# The alternative cluster's name, and so its Redis list `django_q:<name>:q`.
HOT_CLUSTER = "caunoi-hot"


class HotBroker(Redis):
    """django-q2's Redis broker on the project's REDIS_URL (the embedded Valkey by
    default), whatever the default cluster's broker is."""

    def __init__(self, list_key: str | None = None) -> None:
        super().__init__(list_key=HOT_CLUSTER)

    @staticmethod
    def get_connection(list_key: str | None = None) -> redis.Redis:
        # BLPOP waits 1 s, so reads may take longer than that; connecting may not.
        return redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=1,
            socket_timeout=5,
            health_check_interval=30,
        )
