"""Signature checks for provider webhooks; a bad or missing signature stores nothing.

Twilio signs the URL it called, which a proxy changes, so the URL is rebuilt from
PUBLIC_BASE_URL (Twilio signs the full public URL it called). SMSGate signs the raw body plus
the X-Timestamp header with HMAC-SHA256 (SMSGate's webhook signing).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator, get_signature_algorithm

from dispatch.sms.gateways import zalo

logger = logging.getLogger(__name__)
View = Callable[..., HttpResponse]
TIMESTAMP = re.compile(r"[0-9]{1,12}")
TIMESTAMP_MS = re.compile(r"[0-9]{1,15}")


def twilio_signature_valid(request: HttpRequest) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False  # fail closed: an unconfigured token never accepts anything
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    try:
        if (request.content_type or "").startswith("application/json"):
            params: object = request.body.decode("utf-8", "replace")
        else:
            params = request.POST
        algorithm = get_signature_algorithm(
            request.headers.get("X-Twilio-Webhooks-Signature-Settings")
        )
        return RequestValidator(token).validate(
            url, params, signature, algorithm=algorithm
        )
    except Exception:  # noqa: BLE001 - any body the validator cannot read is unsigned
        # A JSON body without bodySHA256, a malformed multipart body, odd headers:
        # fail closed (403), never a server error.
        logger.info("Twilio webhook body the validator cannot read refused")
        return False


def smsgate_signature_valid(request: HttpRequest) -> bool:
    key = settings.SMSGATE_SIGNING_KEY
    signature = request.headers.get("X-Signature", "").strip().lower()
    timestamp = request.headers.get("X-Timestamp", "").strip()
    # ASCII digits only, and a plausible length: "²³" or "١٧٠٠…" pass str.isdigit(),
    # and int() refuses 5,000 digits (Python's int-string limit) with a ValueError.
    if not key or not signature or not TIMESTAMP.fullmatch(timestamp):
        return False
    if abs(time.time() - int(timestamp)) > settings.SMSGATE_TIMESTAMP_WINDOW:
        return False  # a replay, or a phone whose clock is far off
    expected = hmac.new(
        key.encode(), request.body + timestamp.encode(), hashlib.sha256
    ).hexdigest()
    # Bytes: compare_digest refuses str with non-ASCII characters (a TypeError).
    return hmac.compare_digest(signature.encode(), expected.encode())


def zalo_signature_valid(request: HttpRequest) -> bool:
    """`X-ZEvent-Signature: mac=<sha256 hex of app_id + raw body + timestamp + OA
    secret key>` (a plain hash, not an HMAC; `timestamp` is the body's field), checked
    with the keys of the OA the event names. No replay window: Zalo resends the same
    signed event for hours, and the event id dedupes it."""
    supplied = request.headers.get("X-ZEvent-Signature", "").strip()
    if supplied.lower().startswith("mac="):
        supplied = supplied[4:].strip()
    if not supplied:
        return False
    try:
        payload = json.loads(request.body)
    except ValueError:
        return False
    if not isinstance(payload, dict):
        return False
    app_id = str(payload.get("app_id") or "")
    timestamp = str(payload.get("timestamp") or "")
    if not app_id or not TIMESTAMP_MS.fullmatch(timestamp):
        return False
    for account in zalo.accounts_for_event(payload):
        if account.app_id != app_id or not account.oa_secret_key:
            continue
        expected = hashlib.sha256(
            app_id.encode()
            + request.body
            + timestamp.encode()
            + account.oa_secret_key.encode()
        ).hexdigest()
        if hmac.compare_digest(supplied.lower().encode(), expected.encode()):
            return True
    return False


def _signed(
    check: Callable[[HttpRequest], bool], provider: str
) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @csrf_exempt
        @require_POST
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not check(request):
                logger.warning("%s webhook with a bad signature refused", provider)
                return HttpResponseForbidden("invalid signature")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


twilio_signed = _signed(twilio_signature_valid, "Twilio")
smsgate_signed = _signed(smsgate_signature_valid, "SMSGate")
zalo_signed = _signed(zalo_signature_valid, "Zalo")
