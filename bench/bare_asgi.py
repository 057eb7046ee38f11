"""The real ASGI app plus one bare WebSocket consumer at /ws/bare/ (for bench/sockets.py).

The bare consumer accepts and sends a one-line hello: no session, no query, no group.
It is the baseline a volunteer socket's connect is measured against, in the same Daphne.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer

from config.asgi import application as real_application


class BareConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data='{"type": "hello", "event_id": 0}')


bare = BareConsumer.as_asgi()


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] == "websocket" and scope["path"] == "/ws/bare/":
        return await bare(scope, receive, send)
    return await real_application(scope, receive, send)
