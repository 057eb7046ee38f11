"""Calls to the hotline: what the keypad chose, the recorded message, consent, and
the request a call becomes (also when the caller hangs up half-way).

The TwiML the caller hears is built in `dispatch.webhooks.twiml`; this module decides
what a call means and keeps it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from dispatch.background import Job, enqueue_on_commit
from dispatch.errors import DispatchError
from dispatch.help_requests.lifecycle import (
    add_resident_message,
    rate_request,
    submit_request,
)
from dispatch.help_requests.resident_actions import reopen_request
from dispatch.help_requests.selectors import (
    open_request_for_phone,
)
from dispatch.intake.store import CALL_PROVIDERS, commune_for_number, store_inbound
from dispatch.masking.text import mask_sensitive
from dispatch.models import (
    Category,
    Channel,
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    Status,
)
from dispatch.privacy import consent
from dispatch.sms import resident_notices
from teams.models import Commune
from teams.phones import try_normalize_phone

logger = logging.getLogger(__name__)

# The voice menu's first keys (the prompts in dispatch/webhooks/twiml.py read them).
MENU_CATEGORIES = {"1": "vneid", "2": "portal", "3": "epayment", "4": "scam"}

# What a call step asked for (make the request, a call back, link a recording), kept
# in its stored payload before the work runs: a failed step is run again from it by
# the inbound sweep (`dispatch.intake.retries`), and a call to a number no commune
# has waits with it in the triage queue until the administrator places it.
STEP_KEY = "_step"


def keep_step(*, inbound: InboundMessage, **intent: Any) -> None:
    """Write what this call step asks for on its row (replaces an earlier one)."""
    payload = {**inbound.payload, STEP_KEY: intent}
    InboundMessage.objects.filter(pk=inbound.pk).update(payload=payload)
    inbound.payload = payload


def run_call_step(*, inbound: InboundMessage) -> HelpRequest | None:
    """Do the step kept on the row now, while the caller waits.

    A failure does not reach the caller (who hears that the call is kept): it is
    written on the row, and the sweep tries again with backoff, then shows it.
    """
    try:
        return do_call_step(inbound=inbound)
    except Exception as exc:  # noqa: BLE001 - the caller hears a kept call, not an error
        record_failure(inbound_id=inbound.pk, exc=exc)
        return None


def record_failure(*, inbound_id: int, exc: BaseException) -> None:
    error = mask_sensitive(f"{type(exc).__name__}: {exc}")[:300]
    InboundMessage.objects.filter(pk=inbound_id).update(last_error=error)
    logger.exception("inbound %s could not be processed", inbound_id)


def do_call_step(*, inbound: InboundMessage) -> HelpRequest | None:
    """Run the step kept on a stored call row; safe to run twice (one request a call).

    None while the call's number belongs to no commune (triage), and for a recording
    whose call has no request yet (the call links it when it makes one).
    """
    if inbound.event == "call-ended":
        return finish_call(inbound_id=inbound.pk)
    intent = inbound.payload.get(STEP_KEY) or {}
    action = intent.get("do")
    if action == "call":
        return submit_call(
            inbound=inbound,
            category=str(intent.get("category") or "other"),
            village_number=intent.get("village_number"),
            consent=str(intent.get("consent") or ""),
            language=str(intent.get("language") or "vi"),
        )
    if action == "callback":
        return request_callback(
            inbound=inbound,
            village_number=intent.get("village_number"),
            phone=str(intent.get("phone") or ""),
        )
    if action == "recording" or inbound.event == "recording":
        attach_recording(inbound=inbound)
        _mark_processed(inbound)
        return None
    _mark_processed(inbound)
    return None


def receive_recording(*, inbound: InboundMessage) -> None:
    """A recording callback, linked now; a failure is kept for the sweep."""
    try:
        attach_recording(inbound=inbound)
    except Exception as exc:  # noqa: BLE001 - Twilio is answered 200 whatever happens
        keep_step(inbound=inbound, do="recording")
        record_failure(inbound_id=inbound.pk, exc=exc)


def attach_recording(*, inbound: InboundMessage) -> None:
    """A finished voice-message recording: link it to the call's request, if any yet.

    The recording callback can arrive before or after the call's last step; whichever
    comes second links the two (see `twiml` flow `voice_done`).
    """
    data = inbound.payload
    if data.get("RecordingStatus") != "completed":
        return
    request = request_for_call(data.get("CallSid", ""))
    if request is not None:
        link_recording(request=request, inbound=inbound)


def link_recording(*, request: HelpRequest, inbound: InboundMessage) -> None:
    """Add the recording's address to the request as a resident message, once."""

    with transaction.atomic():
        locked = InboundMessage.objects.select_for_update().get(pk=inbound.pk)
        if locked.request_id:
            return
        locked.request = request
        locked.processed_at = timezone.now()
        locked.save(update_fields=["request", "processed_at"])
        url = locked.payload.get("RecordingUrl", "")
        seconds = locked.payload.get("RecordingDuration", "")
        add_resident_message(
            request=request,
            text=translation.gettext("Lời nhắn thoại (%(seconds)s giây): %(url)s")
            % {"seconds": seconds, "url": url},
        )


def open_request_for_caller(*, inbound: InboundMessage) -> HelpRequest | None:
    """The caller's open request, so the hotline can tell its status first."""

    phone = try_normalize_phone(inbound.from_number)
    if not phone:
        return None
    return open_request_for_phone(phone=phone, within=timedelta(days=30))


def rateable_request_for_caller(*, inbound: InboundMessage) -> HelpRequest | None:
    """The caller's latest resolved request without a rating (last 30 days)."""
    phone = try_normalize_phone(inbound.from_number)
    if not phone:
        return None
    return (
        HelpRequest.objects.filter(
            resident_phone=phone,
            status__in=(Status.RESOLVED, Status.CLOSED),
            rating__isnull=True,
            resolved_at__gte=timezone.now() - timedelta(days=30),
        )
        .order_by("-resolved_at")
        .first()
    )


def rate_or_reopen_by_keypad(*, request: HelpRequest, digit: str) -> str:
    """1–5 rates the help; 0 says "not done yet" (reopens it). Returns what happened:
    "rated", "reopened" or "" (nothing: another key, or no longer possible)."""
    try:
        if digit in {"1", "2", "3", "4", "5"}:
            rate_request(request=request, rating=int(digit))
            return "rated"
        if digit == "0":
            reopen_request(request=request, via="voice")
            return "reopened"
    except DispatchError:
        return ""
    return ""


def request_for_call(call_sid: str) -> HelpRequest | None:
    if not call_sid:
        return None
    return (
        HelpRequest.objects.filter(
            inbound_messages__provider__in=CALL_PROVIDERS,
            inbound_messages__provider_id__startswith=f"{call_sid}:",
        )
        .distinct()
        .first()
    )


def receive_call_end(*, payload: dict[str, Any]) -> None:
    """Store Twilio's "call ended" callback; a task then keeps an unfinished call."""
    inbound, created = store_inbound(
        provider=InboundMessage.Provider.TWILIO_STATUS,
        provider_id=f"{payload['CallSid']}:call:{payload.get('CallStatus', '')}",
        event="call-ended",
        from_number=payload.get("From", ""),
        to_number=payload.get("To", ""),
        payload=payload,
    )
    if created:
        enqueue_on_commit(Job.FINISH_CALL, inbound.pk)


def finish_call(*, inbound_id: int) -> HelpRequest | None:
    """A caller hung up before the end: keep what the keypad gathered as a request.

    Nothing happens when the call already made a request, never reached the menu,
    or was put through to the operator (who types it in the operator form).
    """
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    if inbound is None or inbound.processed_at is not None:
        return None
    call_sid = inbound.payload.get("CallSid", "")
    if not call_sid or request_for_call(call_sid) is not None:
        _mark_processed(inbound)
        return None
    steps = list(
        InboundMessage.objects.filter(
            provider=InboundMessage.Provider.TWILIO_VOICE,
            provider_id__startswith=f"{call_sid}:",
        ).order_by("received_at", "pk")
    )
    pressed = {step.event: step.body.strip() for step in steps}
    kept = any(STEP_KEY in step.payload for step in steps)
    # A step that kept its work (failed, or waiting for triage) carries the call.
    if kept or "voice:menu" not in pressed or pressed.get("voice:category") == "0":
        _mark_processed(inbound)
        return None
    village = pressed.get("voice:village", "")
    return submit_call(
        inbound=inbound,
        category=MENU_CATEGORIES.get(pressed.get("voice:category", ""), "other"),
        village_number=int(village) if village.isdecimal() and int(village) else None,
    )


def _mark_processed(inbound: InboundMessage) -> None:
    InboundMessage.objects.filter(pk=inbound.pk, processed_at__isnull=True).update(
        processed_at=timezone.now()
    )


def submit_call(
    *,
    inbound: InboundMessage,
    category: str,
    village_number: int | None,
    consent: str = "",
    language: str = "vi",
) -> HelpRequest | None:
    """Turn what a call gathered into one request (a retried step reuses it).

    Side effects: the request (via `submit_request`), the code by SMS to the caller
    (dedupe key `voice-code:<CallSid>`), and any voice message already recorded.
    """

    call_sid = inbound.payload.get("CallSid", "")
    with transaction.atomic():
        InboundMessage.objects.select_for_update().filter(pk=inbound.pk).first()
        request = request_for_call(call_sid)
        commune = _commune_of(inbound)
        if request is None and commune is not None:
            request = submit_request(
                commune=commune,
                channel=Channel.VOICE,
                category=category,
                resident_phone=try_normalize_phone(inbound.from_number) or "",
                village_number=village_number,
                consent=consent in ("1", "2"),
                language=language,
            )
            _record_call_consent(request=request, call_sid=call_sid, digit=consent)
        if request is None:
            return None
        _attach_and_text_code(inbound=inbound, request=request, call_sid=call_sid)
    for recording in InboundMessage.objects.filter(
        provider=InboundMessage.Provider.TWILIO_STATUS,
        event="recording",
        payload__CallSid=call_sid,
        request__isnull=True,
    ):
        if recording.payload.get("RecordingStatus") == "completed":
            link_recording(request=request, inbound=recording)
    return request


def _commune_of(inbound: InboundMessage) -> Commune | None:
    """The row's commune, or the hotline's if it was configured since (then kept)."""
    fresh = InboundMessage.objects.filter(pk=inbound.pk).select_related("commune")
    row = fresh.first()
    if row is not None and row.commune is not None:
        return row.commune
    commune = commune_for_number(inbound.to_number)
    if commune is not None:
        InboundMessage.objects.filter(pk=inbound.pk).update(commune=commune)
    return commune


def _attach_and_text_code(
    *, inbound: InboundMessage, request: HelpRequest, call_sid: str
) -> None:
    """Link the call step to its request and text the code to the caller, once."""
    inbound.request = request
    inbound.processed_at = timezone.now()
    inbound.save(update_fields=["request", "processed_at"])
    resident_notices.text_the_code(request=request, dedupe_key=f"voice-code:{call_sid}")


def _record_call_consent(*, request: HelpRequest, call_sid: str, digit: str) -> None:
    """Keypress 1: storing and recording; 2: storing only; nothing pressed: nothing."""
    if digit not in ("1", "2"):
        return
    evidence = f"{call_sid} digit {digit}"
    Purpose, Method = ConsentRecord.Purpose, ConsentRecord.Method
    consent.record_consent(
        purpose=Purpose.DISPATCH,
        method=Method.KEYPRESS,
        given=True,
        request=request,
        evidence=evidence,
    )
    consent.record_consent(
        purpose=Purpose.RECORDING,
        method=Method.KEYPRESS,
        given=digit == "1",
        request=request,
        evidence=evidence,
    )


def request_callback(
    *, inbound: InboundMessage, village_number: int | None, phone: str
) -> HelpRequest | None:
    """The operator did not answer: a "call back" request for the operator queue.

    The caller keyed their village and confirmed (or keyed) the number to call; the
    keypress is their consent. One request per call (a retried step reuses it); the
    code is texted to that number like any voice request.
    """
    call_sid = inbound.payload.get("CallSid", "")
    with transaction.atomic():
        InboundMessage.objects.select_for_update().filter(pk=inbound.pk).first()
        request = request_for_call(call_sid)
        commune = _commune_of(inbound)
        if request is None and commune is not None:
            request = submit_request(
                commune=commune,
                channel=Channel.VOICE,
                category=Category.OTHER,
                description=gettext("Gọi tổng đài viên không được, xin gọi lại."),
                resident_phone=phone,
                village_number=village_number,
                consent=True,
                callback_requested=True,
            )
            _record_call_consent(request=request, call_sid=call_sid, digit="2")
        if request is None:
            return None
        _attach_and_text_code(inbound=inbound, request=request, call_sid=call_sid)
    return request
