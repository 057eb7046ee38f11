"""Scale-out: two Daphne nodes and two task clusters sharing one PostgreSQL and one
Redis. An SMS posted to node A reaches a volunteer connected to node B; the accept on B
shows on the board connected to node A. Any node serves any user (DESIGN.md §2)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.sync.client import ClientConnection, connect

from dispatch.management import stack
from dispatch.models import HelpRequest, Offer, RequestEvent, Status
from tests import personas
from tests.e2e.conftest import ASYNC_UNSAFE, _database_url, _healthy, post_smsgate_sms

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]
WAIT = 60  # seconds: a generous bound for a loaded 2-core machine, not a speed claim
HOTLINE = "+84368000123"


@pytest.fixture(autouse=True)
def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("scale-out needs PostgreSQL: run the second leg (tests.legs)")


@pytest.fixture
def two_nodes(redis_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Node A and node B: each one Daphne and one qcluster, same database and Redis."""
    env = {
        **{k: v for k, v in os.environ.items() if k != ASYNC_UNSAFE},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "SMS_BACKEND": "console",
        "PYTHONUNBUFFERED": "1",
    }
    children: list[stack.Child] = []
    urls = []
    try:
        for node in ("a", "b"):
            port = stack.free_port()
            for child in stack.app_children(
                host="127.0.0.1", port=port, env=env, base_dir=Path(settings.BASE_DIR)
            ):
                child.name = f"{child.name}-{node}"
                child.output = tmp_path / f"{child.name}.log"
                child.start()
                children.append(child)
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            stack.wait_until(
                lambda url=url: _healthy(f"{url}/healthz"),
                child=children[0],
                timeout=120,
                what=f"{url}/healthz",
            )
        yield urls[0], urls[1]
    finally:
        for child in reversed(children):
            child.stop(timeout=30)


@pytest.fixture
def duc_an() -> dict:
    commune = personas.duc_an_commune(hotline_numbers=[HOTLINE])
    thon_5 = personas.village(commune, personas.THON_5)
    binh = personas.BINH.join(personas.team(commune, personas.THON_5.team_name, thon_5))
    secretary = personas.secretary_of(commune).user
    return {"commune": commune, "binh": binh, "secretary": secretary}


def socket(base: str, path: str, user) -> ClientConnection:
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return connect(
        base.replace("http://", "ws://") + path,
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


def post_sms(base: str, text: str) -> int:
    return post_smsgate_sms(base, text, sender="0987654321", hotline=HOTLINE)


def test_an_sms_to_node_a_reaches_node_b_and_the_accept_shows_on_node_a(
    two_nodes, duc_an
):
    node_a, node_b = two_nodes
    with (
        socket(node_b, "/ws/volunteer/", duc_an["binh"].user) as phone,
        socket(node_a, "/ws/board/", duc_an["secretary"]) as board,
    ):
        assert wait_for(phone, lambda m: m["type"] == "hello")
        assert wait_for(board, lambda m: m["type"] == "hello")

        assert post_sms(node_a, "Cần giúp kích hoạt VNeID ở thôn 5") == 200
        offer = wait_for(phone, lambda m: m["type"] == "offer.opened")
        assert offer["village"] == "Thôn 5"

        phone.send(json.dumps({"action": "accept", "offer_id": offer["offer_id"]}))
        result = wait_for(phone, lambda m: m["type"] in ("result", "error"))
        assert result["type"] == "result", result

        seen = wait_for(
            board,
            lambda m: (
                m.get("request_id") == offer["request_id"]
                and m.get("status") == Status.ACCEPTED
            ),
        )
        assert seen["code"] == offer["code"]

    request = HelpRequest.objects.get()
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer == duc_an["binh"]
    assert Offer.objects.filter(request=request).count() == 1
    kinds = list(
        RequestEvent.objects.filter(request=request).values_list("kind", flat=True)
    )
    assert kinds.count("created") == 1 and kinds.count("accepted") == 1
