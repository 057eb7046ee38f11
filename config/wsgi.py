"""WSGI entry point: HTTP only (pages, webhooks, the API), for a split deployment.

`make run` and the default deployment serve everything from Daphne (config/asgi.py).
Under load, sync views run better in a WSGI server's worker processes; then
`gunicorn config.wsgi` serves HTTP and Daphne only the WebSockets, behind the same nginx
(README, "Web and sockets apart"). Pushes still cross through the Redis channel layer.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()
