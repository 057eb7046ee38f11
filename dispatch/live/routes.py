"""WebSocket routes (DESIGN.md §7)."""

from django.urls import path

from dispatch.live.consumers import BoardConsumer, VolunteerConsumer

websocket_urlpatterns = [
    path("ws/board/", BoardConsumer.as_asgi()),
    path("ws/volunteer/", VolunteerConsumer.as_asgi()),
]
