"""ASGI entry point: HTTP goes to Django, WebSockets to dispatch's consumers.

WebSockets pass the allowed-origin check and session authentication before any consumer
sees them.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from dispatch.live.routes import websocket_urlpatterns  # noqa: E402


def websocket_application() -> AllowedHostsOriginValidator:
    """Origin check (ALLOWED_HOSTS), then the session's user, then the routes."""
    return AllowedHostsOriginValidator(
        AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
    )


application = ProtocolTypeRouter(
    {"http": django_asgi_app, "websocket": websocket_application()}
)
