"""The Zalo OA webhook: verify, store, answer 200 at once; the work comes later."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse

from dispatch.intake import store as intake_store
from dispatch.intake import zalo as zalo_intake
from dispatch.webhooks.signatures import zalo_signed


@zalo_signed
def zalo(request: HttpRequest) -> HttpResponse:
    # Zalo waits about 2 s and then resends: store, schedule, answer.
    payload = intake_store.clean_payload(json.loads(request.body))
    zalo_intake.receive_event(payload=payload, raw=request.body)
    return JsonResponse({"error": 0, "message": "ok"})
