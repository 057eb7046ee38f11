"""WebSocket routes (docs/ARCHITECTURE.md, "Live messages").

The deployed stack (config/asgi.py) puts the session in the scope for every route;
the board also needs the signed-in user resolved (staff, any kind); a volunteer socket
finds its volunteer (and user) from the session in one query of its own, so it skips
the middleware's separate user lookup.
"""

from channels.auth import AuthMiddleware
from django.urls import path

from dispatch.live.consumers import BoardConsumer, VolunteerConsumer

websocket_urlpatterns = [
    path("ws/board/", BoardConsumer.as_asgi()),
    path("ws/volunteer/", VolunteerConsumer.as_asgi()),
]

# The same routes as deployed: behind SessionMiddlewareStack (config/asgi.py).
deployed_urlpatterns = [
    path("ws/board/", AuthMiddleware(BoardConsumer.as_asgi())),
    path("ws/volunteer/", VolunteerConsumer.as_asgi()),
]
