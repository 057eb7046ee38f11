"""The channel layer joins many groups in one round trip, from a coroutine or a thread,
and a push to each group then reaches the channel (real Valkey)."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync

from dispatch.push import layer as live_layer


def valkey_layer(redis_url: str) -> live_layer.RedisChannelLayer:
    return live_layer.RedisChannelLayer(hosts=[redis_url], prefix="caunoi-layer-test")


def pushes_reach(layer, channel: str, groups: list[str]) -> list[str]:
    async def send_and_read() -> list[str]:
        for group in groups:
            await layer.group_send(group, {"type": "live.event", "text": group})
        heard = []
        for _ in groups:
            message = await asyncio.wait_for(layer.receive(channel), 5)
            heard.append(message["text"])
        await layer.flush()
        return heard

    return async_to_sync(send_and_read)()


def test_joining_many_groups_at_once_from_the_event_loop(redis_url):
    layer = valkey_layer(redis_url)
    channel = async_to_sync(layer.new_channel)()
    groups = ["team.901", "volunteer.902"]

    async def join() -> None:
        await live_layer.join(layer, [(g, channel) for g in groups])

    async_to_sync(join)()

    assert sorted(pushes_reach(layer, channel, groups)) == groups


def test_joining_from_the_database_thread_needs_no_event_loop(redis_url):
    layer = valkey_layer(redis_url)
    channel = async_to_sync(layer.new_channel)()
    groups = ["team.903", "volunteer.904"]

    assert live_layer.join_blocking(layer, [(g, channel) for g in groups])
    assert sorted(pushes_reach(layer, channel, groups)) == groups


def test_a_layer_without_many_at_once_is_joined_one_group_at_a_time():
    from channels.layers import InMemoryChannelLayer

    layer = InMemoryChannelLayer()
    channel = async_to_sync(layer.new_channel)()

    assert not live_layer.join_blocking(layer, [("team.1", channel)])
    async_to_sync(live_layer.join)(layer, [("team.1", channel)])
    assert channel in layer.groups["team.1"]
