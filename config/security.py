"""Answers for the security edges that belong to no app (django-axes lock-out)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dispatch.masking.logs import redact_phone

logger = logging.getLogger(__name__)


def login_locked_out(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """Too many failed logins for this username from this address: a friendly 429."""
    logger.warning(
        "login locked out for %s from %s",
        redact_phone(str((credentials or {}).get("username", "?"))),
        request.META.get("REMOTE_ADDR", "?"),
    )
    return render(request, "registration/locked_out.html", status=429)
