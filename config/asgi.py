"""ASGI entry point: HTTP goes to Django, WebSockets to dispatch's consumers.

WebSockets pass the allowed-origin check and session authentication before any consumer
sees them.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from dispatch.live.routes import deployed_urlpatterns  # noqa: E402


def websocket_application() -> AllowedHostsOriginValidator:
    """Origin check (ALLOWED_HOSTS), then the session, then the routes (the board's
    resolves the user; a volunteer socket reads its volunteer from the session)."""
    return AllowedHostsOriginValidator(
        SessionMiddlewareStack(URLRouter(deployed_urlpatterns))
    )


application = ProtocolTypeRouter(
    {"http": django_asgi_app, "websocket": websocket_application()}
)
