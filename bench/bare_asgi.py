"""The real ASGI app plus two baselines, for the benches that compare against them.

- /ws/bare/ (bench/sockets.py): a WebSocket consumer that accepts and sends a one-line
  hello: no session, no query, no group. A volunteer socket's connect is measured
  against it, in the same Daphne.
- POST /bench/push (bench/dispatch_latency.py): a Django view, through the same
  middleware as the SMS webhook, that pushes one message to a volunteer's group with
  the app's own `broadcast.send`: "a view's group_send → client", the bare round trip
  an SMS's path to a volunteer's screen is measured against.
- POST /bench/ok (bench/intake.py): a Django view that reads the body and answers, the
  same middleware as the webhook: the bare view the webhook's intake rate is held to.
"""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.asgi import application as real_application


class BareConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.send(text_data='{"type": "hello", "event_id": 0}')


@csrf_exempt
def push_view(request: HttpRequest) -> HttpResponse:
    from dispatch.push import broadcast

    data = json.loads(request.body)
    broadcast.send(
        broadcast.volunteer_group(int(data["volunteer_id"])),
        {"type": "bench.viewping", "event_id": None, "seq": int(data["seq"])},
    )
    return HttpResponse("ok")


@csrf_exempt
def ok_view(request: HttpRequest) -> HttpResponse:
    """The bare view: reads the posted body and answers, nothing else."""
    return HttpResponse("ok" if request.body else "")


urlpatterns = [path("bench/push", push_view), path("bench/ok", ok_view)]


class BenchHandler(ASGIHandler):
    """Django with this module's URLs (the real app keeps config.urls)."""

    async def get_response_async(self, request: HttpRequest) -> HttpResponse:
        request.urlconf = __name__
        return await super().get_response_async(request)


bare = BareConsumer.as_asgi()
bench_views = BenchHandler()


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] == "websocket" and scope["path"] == "/ws/bare/":
        return await bare(scope, receive, send)
    if scope["type"] == "http" and scope["path"] in ("/bench/push", "/bench/ok"):
        return await bench_views(scope, receive, send)
    return await real_application(scope, receive, send)
