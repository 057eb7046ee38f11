"""Resident tracking (public) and the operators'/secretaries' request pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dispatch.help_requests import selectors
from dispatch.intake import limits


def _throttled(request: HttpRequest) -> bool:
    return not limits.allow(
        scope="track",
        client=limits.client_key(request),
        limit=settings.DISPATCH_TRACK_RATE_LIMIT,
        window=settings.DISPATCH_TRACK_RATE_WINDOW,
    )


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """The form where a resident types a code; sends them to its tracking page."""
    # Only the characters a code can hold: "/" or "?" typed in the box would not fit
    # the tracking URL (a 500 before this line, found by the property tests).
    code = "".join(c for c in request.GET.get("code", "") if c.isalnum() or c == "-")
    if code:
        return redirect("dispatch:track", code=code.upper()[:20])
    return render(request, "dispatch/track_lookup.html")


@require_GET
def track_page(request: HttpRequest, code: str) -> HttpResponse:
    if _throttled(request):
        return render(request, "dispatch/track_throttled.html", status=429)
    help_request = selectors.request_by_code(code)
    if help_request is None:
        context = {"code": code[:20]}
        return render(request, "dispatch/track_not_found.html", context, status=404)
    context = {"track": selectors.public_tracking(help_request)}
    return render(request, "dispatch/track.html", context)


@require_GET
def track_api(request: HttpRequest, code: str) -> JsonResponse:
    if _throttled(request):
        message = gettext("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
        return JsonResponse({"error": "rate_limited", "message": message}, status=429)
    help_request = selectors.request_by_code(code)
    if help_request is None:
        message = gettext("Không tìm thấy yêu cầu với mã này. Bác kiểm tra lại mã nhé.")
        return JsonResponse({"error": "not_found", "message": message}, status=404)
    data = selectors.public_tracking(help_request)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
