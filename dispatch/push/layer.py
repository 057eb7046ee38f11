"""The channel layer: channels_redis's, plus joining many groups in one round trip.

A volunteer socket joins two groups on every connect, and each Daphne process renews
every socket's groups on its heartbeat. `group_add` is two Redis commands, one after
the other, per group; `group_add_many` sends the same commands (ZADD with the time,
EXPIRE with the group expiry) for any number of (group, channel) pairs in one
pipeline per Redis shard. `group_add_many_blocking` does the same from a worker thread
(the consumers' database thread, which otherwise would hand the join to the event
loop and wait for it). Settings name this class as the layer's BACKEND.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable
from typing import Any

import redis
from channels_redis.core import RedisChannelLayer as ChannelsRedisLayer


class RedisChannelLayer(ChannelsRedisLayer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._blocking: dict[int, redis.Redis | None] = {}
        self._blocking_lock = threading.Lock()

    async def group_add_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        """`group_add` for every (group, channel) pair, in one round trip per shard."""
        now = time.time()
        for index, members in self._by_shard(pairs).items():
            pipe = self.connection(index).pipeline(transaction=False)
            self._add(pipe, members, now)
            await pipe.execute()

    def group_add_many_blocking(self, pairs: Iterable[tuple[str, str]]) -> bool:
        """The same from a thread without an event loop; False (nothing done) when a
        shard is not a plain Redis address (sentinels: use `group_add_many`)."""
        shards = self._by_shard(pairs)
        clients = {index: self._blocking_client(index) for index in shards}
        if any(client is None for client in clients.values()):
            return False
        now = time.time()
        for index, members in shards.items():
            pipe = clients[index].pipeline(transaction=False)  # type: ignore[union-attr]
            self._add(pipe, members, now)
            pipe.execute()
        return True

    def _by_shard(
        self, pairs: Iterable[tuple[str, str]]
    ) -> dict[int, list[tuple[bytes, str]]]:
        by_shard: dict[int, list[tuple[bytes, str]]] = {}
        for group, channel in pairs:
            assert self.require_valid_group_name(group), "Group name not valid"
            assert self.require_valid_channel_name(channel), "Channel name not valid"
            by_shard.setdefault(self.consistent_hash(group), []).append(
                (self._group_key(group), channel)
            )
        return by_shard

    def _add(self, pipe: Any, members: list[tuple[bytes, str]], now: float) -> None:
        for key, channel in members:
            pipe.zadd(key, {channel: now})
            pipe.expire(key, self.group_expiry)

    def _blocking_client(self, index: int) -> redis.Redis | None:
        with self._blocking_lock:
            if index not in self._blocking:
                host = {"socket_timeout": 2, "socket_connect_timeout": 2}
                host.update(self.hosts[index])
                address = host.pop("address", None)
                self._blocking[index] = (
                    redis.Redis.from_url(address, **host)
                    if isinstance(address, str)
                    else None
                )
            return self._blocking[index]


async def join(layer: Any, pairs: Iterable[tuple[str, str]]) -> None:
    """Add each channel to its group: in one go where the layer can, else one by one
    at once (the in-memory layer of the tests)."""
    pairs = list(pairs)
    if not pairs:
        return
    many = getattr(layer, "group_add_many", None)
    if many is not None:
        await many(pairs)
        return
    await asyncio.gather(*(layer.group_add(group, ch) for group, ch in pairs))


def join_blocking(layer: Any, pairs: Iterable[tuple[str, str]]) -> bool:
    """`join` from a worker thread, if the layer can do it there (False: it did not)."""
    many = getattr(layer, "group_add_many_blocking", None)
    return bool(many is not None and many(list(pairs)))
