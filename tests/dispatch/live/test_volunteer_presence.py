"""Who is online: one heartbeat per process keeps every volunteer socket's lease and
groups, pings renew at once, and a Redis that forgot everything is put right."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from dispatch.live import heartbeat
from dispatch.push import broadcast, presence
from tests.dispatch.live_fixtures import (
    open_socket,
    presence_redis,  # noqa: F401 - fixture
    receive_until,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("presence_redis"),
]

online = database_sync_to_async(presence.is_online)


async def eventually_online(volunteer_id: int) -> bool:
    for _ in range(100):
        if await online(volunteer_id):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_ping_is_answered_and_keeps_the_volunteer_online(duc_an):
    socket = await open_socket(duc_an.an.user)
    await socket.receive_json_from(timeout=10)
    assert await eventually_online(duc_an.an.pk)
    presence_key = presence._key(duc_an.an.pk)
    await database_sync_to_async(presence._client().delete)(presence_key)

    await socket.send_json_to({"action": "ping"})
    pong = await socket.receive_json_from(timeout=10)

    assert pong == {"type": "pong", "event_id": None}
    assert await eventually_online(duc_an.an.pk)
    await socket.disconnect()
    assert not await online(duc_an.an.pk)


async def test_the_heartbeat_renews_leases_and_groups_redis_forgot(duc_an, monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", heartbeat.SLOTS * 0.05)
    socket = await open_socket(duc_an.an.user)
    await socket.receive_json_from(timeout=10)
    assert await eventually_online(duc_an.an.pk)
    # Redis restarts empty: no lease, no group membership.
    await database_sync_to_async(presence._client().delete)(presence._key(duc_an.an.pk))
    layer = get_channel_layer()
    for group in (
        broadcast.team_group(duc_an.team_thon_1.pk),
        broadcast.volunteer_group(duc_an.an.pk),
    ):
        for channel in list(layer.groups.get(group, {})):
            await layer.group_discard(group, channel)
    assert not await online(duc_an.an.pk)

    await asyncio.sleep(heartbeat.SLOTS * 0.05 * 2)
    await get_channel_layer().group_send(
        broadcast.team_group(duc_an.team_thon_1.pk),
        {
            "type": broadcast.LIVE_EVENT,
            "message": {"type": "board.notice", "event_id": None, "text": "thử"},
        },
    )
    notice, _ = await receive_until(socket, "board.notice", timeout=5)

    assert await online(duc_an.an.pk)
    assert notice["text"] == "thử"
    await socket.disconnect()


async def test_one_heartbeat_serves_every_socket_of_the_process(duc_an):
    from tests.dispatch.live_fixtures import second_member

    khai = await second_member(duc_an.team_thon_1)
    sockets = [await open_socket(duc_an.an.user), await open_socket(khai.user)]
    for socket in sockets:
        await socket.receive_json_from(timeout=10)

    beat = heartbeat.heartbeat()
    assert len(beat) == 2
    assert sum(1 for t in asyncio.all_tasks() if t is beat.beat) == 1
    for socket in sockets:
        await socket.disconnect()
    assert len(beat) == 0
