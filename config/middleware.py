"""Project-wide middleware."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switcher.

    The browser's Accept-Language is ignored on purpose: many cheap phones in the
    communes ship with an English system language, yet their owners read Vietnamese.
    The choice made with /i18n/setlang/ (the language cookie) is kept.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class TrustedProxyMiddleware:
    """The one place the client's address is decided: `request.META["REMOTE_ADDR"]`.

    Rate limits (`dispatch.intake.limits.client_key`), django-axes (`client_address`, its
    AXES_CLIENT_IP_CALLABLE) and the personal-data access log all read REMOTE_ADDR, so
    they agree. X-Forwarded-For is written by whoever sends the request; only the
    entries added by our own proxies can be believed. With TRUSTED_PROXY_COUNT = N the
    client is the Nth entry from the right (nginx with `X-Forwarded-For $remote_addr`
    and N = 1: the only entry). With 0 (the default, Daphne facing the world) the header
    is ignored. A missing, short or malformed header keeps the socket's address.
    First in MIDDLEWARE, so everything after it sees the decided address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META["REMOTE_ADDR"] = forwarded_client(
            remote_addr=request.META.get("REMOTE_ADDR", ""),
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
            proxies=settings.TRUSTED_PROXY_COUNT,
        )
        return self.get_response(request)


def forwarded_client(*, remote_addr: str, forwarded_for: str, proxies: int) -> str:
    """The client address, counting `proxies` trusted hops from the right."""
    if proxies <= 0:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote_addr
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def client_address(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the address TrustedProxyMiddleware set."""
    return request.META.get("REMOTE_ADDR") or None
