"""GET /healthz tells a load balancer whether this process can do its job."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_reports_ok_when_the_database_and_the_channel_layer_answer(
    client: Client,
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
    }


def test_it_reports_503_when_redis_cannot_be_reached(
    client: Client, settings, tmp_path
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"unix://{tmp_path}/nobody-listens.sock"]},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "channel_layer": "error",
    }


def test_it_reports_503_when_the_database_cannot_be_reached(
    client: Client, monkeypatch
) -> None:
    def refuse(self: BaseDatabaseWrapper) -> None:
        raise OperationalError("connection refused")

    # The database server's side of the wire; our own code runs unchanged.
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"
