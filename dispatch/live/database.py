"""The consumers' database thread, and the one connection it keeps.

Every consumer's database work runs in one thread per Daphne process (Channels'
`database_sync_to_async`, thread-sensitive), one call after another. With
`CONN_MAX_AGE = 0` (the SQLite default: Django advises against persistent connections
for ASGI *requests*, which each get a thread of their own) that thread would open and
close a database connection for every call: opening one, with its PRAGMAs, costs more
than the queries a socket's connect makes. This thread is one long-lived thread, so it
keeps its connection for `KEEP_SECONDS` — as it already does with PostgreSQL, where
`CONN_MAX_AGE` is 60 — and still drops it at once when it is broken or left inside a
transaction (Django's `close_old_connections`, before and after every call).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import SyncToAsync
from django.db import close_old_connections, connections

KEEP_SECONDS = 60


def keep_connections() -> None:
    """Let this thread's fresh connections live `KEEP_SECONDS` (an older one still
    closes when its time is up, and a new one opens on the next query)."""
    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        if (
            connection.connection is not None
            and connection.close_at is not None
            and connection.close_at <= now
            and not connection.settings_dict.get("CONN_MAX_AGE")
        ):
            connection.close_at = now + KEEP_SECONDS


class OnDatabaseThread(SyncToAsync):
    """Channels' `database_sync_to_async`, except that the thread keeps its connection
    between calls."""

    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        close_old_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            keep_connections()
            close_old_connections()


def on_database_thread(function: Callable[..., Any]) -> Callable[..., Any]:
    return OnDatabaseThread(function)
