"""WebSocket routes (docs/ARCHITECTURE.md, "Live messages")."""

from django.urls import path

from dispatch.live.consumers import BoardConsumer, VolunteerConsumer

websocket_urlpatterns = [
    path("ws/board/", BoardConsumer.as_asgi()),
    path("ws/volunteer/", VolunteerConsumer.as_asgi()),
]
