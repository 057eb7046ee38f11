"""Web and sockets apart: HTTP (pages, webhooks) under gunicorn's WSGI workers, the
WebSockets under Daphne, the task clusters beside them — one database, one Redis. An SMS
posted to gunicorn rings the volunteer whose phone is connected to Daphne; the volunteer's
accept on the socket shows on the tracking page that gunicorn serves (README, "Web and
sockets apart")."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from websockets.sync.client import ClientConnection, connect

from dispatch.management import stack
from dispatch.models import HelpRequest, Status
from tests import personas
from tests.e2e.conftest import ASYNC_UNSAFE, _database_url, _healthy, post_smsgate_sms

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]
WAIT = 60  # seconds: a generous bound for a loaded 2-core machine, not a speed claim
HOTLINE = "+84368000123"


@pytest.fixture
def split_stack(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(gunicorn's URL, Daphne's URL): HTTP on one server, sockets on the other."""
    env = {
        **{k: v for k, v in os.environ.items() if k != ASYNC_UNSAFE},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "SMS_BACKEND": "console",
        "TASK_HOT_QUEUE": "on",
        "PYTHONUNBUFFERED": "1",
    }
    base_dir = Path(settings.BASE_DIR)
    web_port, socket_port = stack.free_port(), stack.free_port()
    children = [
        stack.gunicorn_child(
            host="127.0.0.1", port=web_port, env=env, base_dir=base_dir
        ),
        *stack.app_children(
            host="127.0.0.1",
            port=socket_port,
            env=env,
            base_dir=base_dir,
            hot_cluster=True,
        ),
    ]
    urls = (f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{socket_port}")
    try:
        for child in children:
            child.output = tmp_path / f"{child.name}.log"
            child.start()
        for url, child in zip(urls, children[:2], strict=True):
            stack.wait_until(
                lambda url=url: _healthy(f"{url}/healthz"),
                child=child,
                timeout=120,
                what=f"{url}/healthz",
            )
        yield urls
    finally:
        for child in reversed(children):
            child.stop(timeout=30)


def volunteer_socket(base: str, user) -> ClientConnection:
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return connect(
        base.replace("http://", "ws://") + "/ws/volunteer/",
        origin=base,
        additional_headers={"Cookie": cookie},
        open_timeout=WAIT,
    )


def wait_for(ws: ClientConnection, match) -> dict:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if match(message):
            return message
    raise AssertionError("message not received")


def test_an_sms_posted_to_gunicorn_rings_the_volunteer_on_daphne(split_stack):
    web, sockets = split_stack
    commune = personas.duc_an_commune(hotline_numbers=[HOTLINE])
    thon_5 = personas.village(commune, personas.THON_5)
    binh = personas.BINH.join(personas.team(commune, personas.THON_5.team_name, thon_5))

    with volunteer_socket(sockets, binh.user) as phone:
        assert wait_for(phone, lambda m: m["type"] == "hello")["volunteer"]["id"] == (
            binh.pk
        )
        status = post_smsgate_sms(
            web,
            "Cần giúp kích hoạt VNeID ở thôn 5",
            sender="0987654321",
            hotline=HOTLINE,
        )
        assert status == 200
        offer = wait_for(phone, lambda m: m["type"] == "offer.opened")
        assert offer["village"] == "Thôn 5"
        phone.send(json.dumps({"action": "accept", "offer_id": offer["offer_id"]}))
        assert wait_for(phone, lambda m: m["type"] in ("result", "error"))["type"] == (
            "result"
        )

    request = HelpRequest.objects.get()
    assert request.status == Status.ACCEPTED
    # The resident's tracking page, from gunicorn, says a volunteer took it.
    url = f"{web}/track/{request.code}"
    with urllib.request.urlopen(url, timeout=WAIT) as page:  # noqa: S310
        assert request.code in page.read().decode()
