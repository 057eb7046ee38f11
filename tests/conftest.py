"""Fixtures for the whole suite: the real Redis channel layer on an embedded Valkey.

Tests talk to the same kind of channel layer the running system uses, so a push that
works here works across processes. Unit tests that want the in-memory layer override
CHANNEL_LAYERS with the `settings` fixture.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from dispatch.management import stack


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """REDIS_URL when it is set; otherwise a private Valkey on a temporary unix socket."""
    from_env = os.environ.get("REDIS_URL")
    if from_env:
        yield from_env
        return
    folder = Path(tempfile.mkdtemp(prefix="caunoi-valkey-"))
    socket_path = folder / "valkey.sock"
    valkey = stack.valkey_child(socket_path)
    stack.start_valkey(valkey)
    try:
        yield f"unix://{socket_path}"
    finally:
        valkey.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def real_channel_layer(redis_url: str) -> Iterator[None]:
    """Point CHANNEL_LAYERS at the session's Redis for every test."""
    layers = {
        "default": {
            "BACKEND": "dispatch.push.layer.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": "caunoi-test"},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        yield


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the SQLite test database's WAL files, which Django leaves behind."""
    from django.conf import settings

    if not settings.configured:
        return
    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name and not Path(name).exists():
        for suffix in ("-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)


@pytest.fixture(scope="session", autouse=True)
def no_sessions_left_at_the_end(django_db_setup, django_db_blocker) -> Iterator[None]:
    """End other PostgreSQL sessions on the test database before it is dropped.

    Code run through `database_sync_to_async` and the live server keeps a connection
    in a worker thread that the test cannot reach to close; without this, dropping
    the database warns that it "is being accessed by other users".
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def vietnamese_to_begin_with() -> Iterator[None]:
    """Each test starts in Vietnamese, whatever language an earlier request switched
    this thread to (the locale middleware leaves the last request's language active)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
