"""One heartbeat per Daphne process for all of its volunteer sockets.

Presence (dispatch/push/presence.py) is a lease per socket in Redis, renewed every
`presence.HEARTBEAT_SECONDS`; each renewal also joins the socket's groups again (a Redis
that restarted empty has forgotten them). Instead of a timer task per socket — memory
for every idle phone, and a thread hop per socket per beat — one loop per process
renews them in slices: every second, the sockets of one of `SLOTS` slots — their
leases in one Redis pipeline, their groups in another — so that the work spreads over
the beat and each lease is renewed every `HEARTBEAT_SECONDS`.

A socket that opens, or a client's ping, is written at once but in a batch: whatever
arrives while one write is in flight goes together in the next (a reconnect storm of
500 phones is a handful of Redis round trips, and none waits in the database thread).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any, Protocol

from asgiref.sync import sync_to_async

from dispatch.push import layer, presence

logger = logging.getLogger(__name__)

SLOTS = 20
# Sockets whose groups are joined again in one Redis round trip.
REJOINS_AT_ONCE = 500


class Watched(Protocol):
    channel_name: str
    channel_layer: Any
    volunteer_id: int
    groups_joined: list[str]


def off_the_database_thread(function: Any) -> Any:
    """Redis-only work runs in a worker thread of its own, not in the one thread every
    consumer's database work queues for."""
    return sync_to_async(function, thread_sensitive=False)


class Heartbeat:
    """The sockets of one event loop (one Daphne process), in `SLOTS` slices."""

    def __init__(self) -> None:
        self.slots: list[weakref.WeakValueDictionary[str, Watched]] = [
            weakref.WeakValueDictionary() for _ in range(SLOTS)
        ]
        self.next_slot = 0
        # Leases to write (connection → volunteer id), and the batch being written.
        self.due: dict[str, int] = {}
        self.writing: dict[str, int] = {}
        self.batch_written = asyncio.Event()
        self.writer: asyncio.Task | None = None
        self.beat: asyncio.Task | None = None

    def __len__(self) -> int:
        return sum(len(slot) for slot in self.slots)

    def watch(self, socket: Watched) -> None:
        """A socket opened: mark it online now (batched) and renew it every beat."""
        self.slots[self.next_slot][socket.channel_name] = socket
        self.next_slot = (self.next_slot + 1) % SLOTS
        self.touch(socket)
        if self.beat is None or self.beat.done():
            self.beat = asyncio.ensure_future(self._beat())

    def forget(self, socket: Watched) -> None:
        for slot in self.slots:
            slot.pop(socket.channel_name, None)

    def touch(self, socket: Watched) -> None:
        """Renew one socket's lease soon (it opened, or its client pinged)."""
        self.due[socket.channel_name] = socket.volunteer_id
        self._flush()

    def _flush(self) -> None:
        if self.writer is None or self.writer.done():
            self.writer = asyncio.ensure_future(self._write())

    async def settled(self, socket: Watched) -> None:
        """Wait until no write of this socket's lease is in flight (a closing socket
        drops its lease after that, so a late renewal cannot bring it back)."""
        self.due.pop(socket.channel_name, None)
        while socket.channel_name in self.writing:
            await self.batch_written.wait()

    async def _write(self) -> None:
        while self.due:
            self.writing, self.due = self.due, {}
            self.batch_written.clear()
            try:
                await off_the_database_thread(presence.mark_many_online)(self.writing)
            finally:
                self.writing = {}
                self.batch_written.set()

    async def _beat(self) -> None:
        tick = presence.HEARTBEAT_SECONDS / SLOTS
        slot = 0
        while len(self):
            await asyncio.sleep(tick)
            sockets = list(self.slots[slot].values())
            slot = (slot + 1) % SLOTS
            if not sockets:
                continue
            try:
                for socket in sockets:
                    self.due[socket.channel_name] = socket.volunteer_id
                self._flush()
                for start in range(0, len(sockets), REJOINS_AT_ONCE):
                    await layer.join(
                        sockets[0].channel_layer,
                        (
                            (group, socket.channel_name)
                            for socket in sockets[start : start + REJOINS_AT_ONCE]
                            for group in socket.groups_joined
                        ),
                    )
            except Exception:  # noqa: BLE001 - Redis down: the next beat tries again
                # (presence logs its own failures; Redis restarted empty is why the
                # groups are joined again at all)
                logger.debug("heartbeat: renewing groups failed", exc_info=True)


# One heartbeat per event loop (Daphne has one; each test has its own).
_heartbeats: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Heartbeat] = (
    weakref.WeakKeyDictionary()
)


def heartbeat() -> Heartbeat:
    loop = asyncio.get_running_loop()
    found = _heartbeats.get(loop)
    if found is None:
        found = _heartbeats[loop] = Heartbeat()
    return found


async def stop(socket: Watched) -> None:
    """A socket closes: no more renewals, and none still in flight; then its lease
    can be dropped."""
    beat = heartbeat()
    beat.forget(socket)
    await beat.settled(socket)
