"""SMS and status webhooks (Twilio, SMSGate): verify, store, answer; work comes later."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse

from dispatch.intake import store as intake_store
from dispatch.intake import voice as voice_intake
from dispatch.models import InboundMessage
from dispatch.sms import delivery
from dispatch.webhooks import twiml
from dispatch.webhooks.signatures import smsgate_signed, twilio_signed

Provider = InboundMessage.Provider
ENDED_CALL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
SMSGATE_STATUS_EVENTS = ("sms:sent", "sms:delivered", "sms:failed", "sms:cancelled")


def _form(request: HttpRequest) -> dict[str, str]:
    return {key: request.POST.get(key, "") for key in request.POST}


def _body_hash(request: HttpRequest) -> str:
    """A stable id for an event without one (the form was parsed; the body is gone)."""
    if request.content_type == "application/json":
        raw = request.body
    else:
        raw = repr(sorted(request.POST.lists())).encode()
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:40]


@twilio_signed
def twilio_sms(request: HttpRequest) -> HttpResponse:
    data = _form(request)
    intake_store.receive_sms(
        provider=Provider.TWILIO_SMS,
        provider_id=data.get("MessageSid") or data.get("SmsSid") or _body_hash(request),
        from_number=data.get("From", ""),
        to_number=data.get("To", ""),
        body=data.get("Body", ""),
        payload=data,
    )
    # The reply leaves through the outbound queue (retried, counted), never inline.
    return twiml.messaging_ack()


@twilio_signed
def twilio_status(request: HttpRequest) -> HttpResponse:
    data = _form(request)
    if data.get("RecordingSid"):
        inbound, created = intake_store.store_inbound(
            provider=Provider.TWILIO_STATUS,
            provider_id=f"{data['RecordingSid']}:{data.get('RecordingStatus', '')}",
            event="recording",
            payload=data,
        )
        if created:
            voice_intake.receive_recording(inbound=inbound)
        return twiml.messaging_ack()
    if data.get("CallSid") and data.get("CallStatus") in ENDED_CALL_STATUSES:
        voice_intake.receive_call_end(payload=data)
        return twiml.messaging_ack()
    sid = data.get("MessageSid") or data.get("SmsSid") or ""
    status = data.get("MessageStatus") or data.get("SmsStatus") or ""
    _, created = intake_store.store_inbound(
        provider=Provider.TWILIO_STATUS,
        provider_id=f"{sid}:{status}" if sid else _body_hash(request),
        event=f"status:{status}"[:40],
        payload=data,
    )
    if created and sid:
        delivery.apply_provider_status(
            provider_id=sid, status=status, error=data.get("ErrorCode", "")
        )
    return twiml.messaging_ack()  # always 200, unknown ids included


@smsgate_signed
def smsgate(request: HttpRequest) -> HttpResponse:
    try:
        # Lone surrogates ("\ud800" escapes) replaced before anything reads it.
        envelope = intake_store.clean_payload(json.loads(request.body))
        event = str(envelope.get("event", ""))
        payload = envelope.get("payload") or {}
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, AttributeError):
        return JsonResponse({"error": "invalid JSON envelope"}, status=400)
    envelope_id = str(envelope.get("id") or _body_hash(request))
    sender = str(payload.get("sender") or payload.get("phoneNumber") or "")
    if event == "sms:received":
        if not intake_store.is_smsgate_duplicate(payload):
            intake_store.receive_sms(
                provider=Provider.SMSGATE,
                provider_id=envelope_id,
                from_number=sender,
                to_number=str(payload.get("recipient") or ""),
                body=str(payload.get("message") or ""),
                payload=envelope,
                event=event,
            )
        return JsonResponse({"ok": True})
    _, created = intake_store.store_inbound(
        provider=Provider.SMSGATE,
        provider_id=envelope_id,
        event=event,
        payload=envelope,
    )
    if created and event in SMSGATE_STATUS_EVENTS:
        delivery.apply_provider_status(
            provider_id=str(payload.get("messageId") or ""),
            message_id=str(payload.get("messageId") or ""),
            status=event,
            error=str(payload.get("reason") or ""),
        )
    return JsonResponse({"ok": True})
