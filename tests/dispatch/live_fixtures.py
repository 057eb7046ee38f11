"""Shared pieces of the live-screen tests: sockets as a signed-in user, presence in Redis.

Imported by the test modules that need them (fixtures are re-exported by name).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from dispatch.live.routes import websocket_urlpatterns
from dispatch.push import presence
from teams.models import SupportTeam, Volunteer
from tests.personas import KHAI

DRAIN_TIMEOUT = (
    0.5  # how long silence means "nothing more is coming", not a speed claim
)


@pytest.fixture
def presence_redis(settings, redis_url):
    """Presence lives in the session's real Valkey, wiped before each test."""
    settings.REDIS_URL = redis_url
    presence._clients.clear()
    client = presence._client()
    for key in client.scan_iter(match="*:presence:*"):
        client.delete(key)
    yield client
    presence._clients.clear()


async def open_socket(user, path: str = "/ws/volunteer/") -> WebsocketCommunicator:
    """A WebSocket as `user`, already connected (the session middleware's result)."""
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    socket.scope["user"] = user
    connected, _ = await socket.connect()
    assert connected
    return socket


async def drain(socket: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Every message the server has sent so far, in order."""
    messages = []
    while not await socket.receive_nothing(timeout=DRAIN_TIMEOUT):
        messages.append(await socket.receive_json_from())
    return messages


async def receive_until(
    socket: WebsocketCommunicator, message_type: str, timeout: float = 10
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Read until a message of `message_type`; returns it and everything read."""
    seen = []
    while True:
        message = await socket.receive_json_from(timeout=timeout)
        seen.append(message)
        if message["type"] == message_type:
            return message, seen


async def act(socket, **content) -> dict[str, Any]:
    """Send one action and return its answer (`result` or `error`)."""
    await socket.send_json_to(content)
    while True:
        message = await socket.receive_json_from(timeout=10)
        if message["type"] in ("result", "error"):
            return message


def as_text(messages: list[dict[str, Any]]) -> str:
    return json.dumps(messages, ensure_ascii=False)


def user_of(volunteer: Volunteer):
    return volunteer.user


@database_sync_to_async
def second_member(team: SupportTeam, *, leader: bool = False) -> Volunteer:
    """Hoàng Văn Khải, a second on-duty member (or the leader) of a team."""
    volunteer = KHAI.join(team)
    if leader:
        volunteer.role = Volunteer.Role.LEADER
        volunteer.save()
    return volunteer
