"""WebSocket routes (DESIGN.md §7)."""

from django.urls import path

from dispatch.consumers import BoardConsumer

websocket_urlpatterns = [
    path("ws/board/", BoardConsumer.as_asgi()),
]
