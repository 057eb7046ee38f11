"""WebSocket consumers: authenticate, join the right groups, forward pushes. No rules here."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from dispatch import access, broadcast

# Application close code (4000-4999) meaning "not allowed", like HTTP 403.
CLOSE_FORBIDDEN = 4403


class BoardConsumer(AsyncJsonWebsocketConsumer):
    """The live board of one commune, for its operators and secretaries."""

    group: str | None = None

    async def connect(self) -> None:
        commune_id = await database_sync_to_async(access.board_commune_id)(
            user=self.scope["user"], requested=self._requested_commune()
        )
        if commune_id is None:
            # Accept first so the browser sees our close code instead of a bare 403.
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = broadcast.board_group(commune_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def live_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

    def _requested_commune(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        value = (query.get("commune") or [""])[0]
        return int(value) if value.isdigit() else None
