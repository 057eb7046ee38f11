"""Resident tracking (public): the page, its JSON, the short link, and what a resident
does there — cancel (with the last 4 digits of their phone), rate, say "not done yet"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from dispatch.errors import DispatchError
from dispatch.guides import selectors as guide_selectors
from dispatch.help_requests import events, lifecycle, resident_actions, selectors
from dispatch.intake import limits
from dispatch.views.zalo_follow import zalo_follow

# Big faces for the 1–5 rating: a face and a word, so no one has to read a scale.
RATING_FACES = [
    (1, "😞", gettext_noop("Tệ")),
    (2, "🙁", gettext_noop("Chưa tốt")),
    (3, "😐", gettext_noop("Tạm được")),
    (4, "🙂", gettext_noop("Tốt")),
    (5, "😄", gettext_noop("Rất tốt")),
]


def _throttled(request: HttpRequest) -> bool:
    return not limits.allow(
        scope="track",
        client=limits.client_key(request),
        limit=settings.DISPATCH_TRACK_RATE_LIMIT,
        window=settings.DISPATCH_TRACK_RATE_WINDOW,
    )


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """The form where a resident types a code; sends them to its tracking page.

    Any case, spaces, with or without the `DA-` prefix: the look-up cleans it."""
    # Only the characters a code can hold: "/" or "?" typed in the box would not fit
    # the tracking URL (a 500 before this line, found by the property tests).
    code = "".join(c for c in request.GET.get("code", "") if c.isalnum() or c == "-")
    if code:
        found = selectors.request_by_code(code)
        return redirect(
            "dispatch:track", code=found.code if found else code.upper()[:20]
        )
    return render(request, "dispatch/track_lookup.html")


@require_GET
def track_short(request: HttpRequest, code: str) -> HttpResponse:
    """`/t/<code>`: the short link in SMS (fewer characters, one segment)."""
    return redirect("dispatch:track", code=code.upper()[:20])


@require_GET
def track_page(request: HttpRequest, code: str) -> HttpResponse:
    if _throttled(request):
        return render(request, "dispatch/track_throttled.html", status=429)
    help_request = selectors.request_by_code(code)
    if help_request is None:
        context = {"code": code[:20]}
        return render(request, "dispatch/track_not_found.html", context, status=404)
    context = {
        "track": selectors.public_tracking(help_request),
        "faces": [(n, face, gettext(label)) for n, face, label in RATING_FACES],
        "poll_seconds": settings.DISPATCH_TRACK_POLL_SECONDS,
        # "Trong lúc chờ, bác có thể chuẩn bị…": the guides for the request's category.
        "guides": guide_selectors.guides_for_category(help_request.category)
        if help_request.is_open
        else [],
        "zalo": zalo_follow(help_request.commune),
    }
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


def _act(request: HttpRequest, code: str, action, done: str) -> HttpResponse:
    """Run one resident action on the request `code` names; the outcome as a message."""
    help_request = selectors.request_by_code(code)
    if help_request is None or _throttled(request):
        return redirect("dispatch:track", code=code.upper()[:20])
    try:
        action(help_request)
    except DispatchError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("dispatch:track", code=help_request.code)


@require_POST
def track_cancel(request: HttpRequest, code: str) -> HttpResponse:
    digits = request.POST.get("last_digits", "")
    return _act(
        request,
        code,
        lambda r: resident_actions.cancel_by_resident(request=r, last_digits=digits),
        gettext("Đã hủy yêu cầu. Cảm ơn bác."),
    )


@require_POST
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    rating = request.POST.get("rating", "")
    return _act(
        request,
        code,
        lambda r: lifecycle.rate_request(request=r, rating=rating),
        gettext("Cảm ơn bác đã đánh giá."),
    )


@require_POST
def track_reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        lambda r: lifecycle.reopen_request(request=r, actor=events.RESIDENT, via="web"),
        gettext("Đã báo lại cho tổ. Tổ sẽ gọi bác."),
    )
