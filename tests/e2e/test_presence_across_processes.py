"""Presence is shared by every Daphne process: a volunteer with a tab on each of two
servers stays online until the last tab closes (kept in Redis, never in memory)."""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from websockets.sync.client import connect

from dispatch.management import stack
from dispatch.push import presence
from tests import personas
from tests.e2e.conftest import _database_url

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

PATIENCE = 60  # seconds; a bound for a loaded machine, not a speed claim


@pytest.fixture
def second_daphne(live_stack: str, redis_url: str):
    port = stack.free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
    }
    daphne = stack.Child(
        name="daphne-2",
        argv=[sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
              "config.asgi:application"],
        env=env,
        cwd=Path(settings.BASE_DIR),
    )  # fmt: skip
    daphne.start()
    try:
        stack.wait_until(
            lambda: stack.port_accepts("127.0.0.1", port),
            child=daphne,
            timeout=PATIENCE,
            what="a second Daphne",
        )
        yield f"http://127.0.0.1:{port}"
    finally:
        daphne.stop(timeout=15)


@pytest.fixture
def presence_of_the_servers(settings, redis_url: str):
    """Read presence as the servers write it (their Redis, their key prefix)."""
    settings.REDIS_URL = redis_url
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": "caunoi"},
        }
    }
    presence._clients.clear()
    yield
    presence._clients.clear()


def tab(tabs: ExitStack, base: str, cookie: str):
    socket = tabs.enter_context(
        connect(
            base.replace("http://", "ws://") + "/ws/volunteer/",
            origin=base,
            additional_headers={"Cookie": cookie},
            open_timeout=30,
        )
    )
    assert json.loads(socket.recv(timeout=PATIENCE))["type"] == "hello"
    return socket


def connections(volunteer_id: int) -> int:
    return presence._client().zcard(presence._key(volunteer_id))


def wait_for_connections(volunteer_id: int, count: int) -> None:
    deadline = time.monotonic() + PATIENCE
    while connections(volunteer_id) != count:
        assert time.monotonic() < deadline, "presence never reached the expected count"
        time.sleep(0.05)


def test_a_volunteer_with_tabs_on_two_servers_is_online_until_the_last_closes(
    live_stack: str, second_daphne: str, presence_of_the_servers
) -> None:
    commune = personas.duc_an_commune()
    team = personas.team(
        commune, personas.THON_1.team_name, base=(personas.THON_1.lat, personas.WEST)
    )
    an = personas.AN.join(team, on_duty=False)
    user = an.user
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    with ExitStack() as tabs:
        phone = tab(tabs, live_stack, cookie)
        laptop = tab(tabs, second_daphne, cookie)
        wait_for_connections(an.pk, 2)
        assert presence.is_online(an.pk)

        phone.close()
        wait_for_connections(an.pk, 1)
        assert presence.is_online(an.pk)

        laptop.close()
        wait_for_connections(an.pk, 0)
        assert not presence.is_online(an.pk)
