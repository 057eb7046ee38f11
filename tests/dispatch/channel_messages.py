"""Listening on the channel layer the way a socket would: join a group, read its pushes."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from dispatch.push import broadcast


def listen(group: str) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def drain(channel: str) -> list[dict]:
    """Every message waiting on `channel` (works on the in-memory and Redis layers)."""
    layer = get_channel_layer()

    async def receive_all() -> list[dict]:
        messages = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), 0.2)
            except TimeoutError:
                return messages
            assert message["type"] == broadcast.LIVE_EVENT
            messages.append(message["message"])

    return async_to_sync(receive_all)()
