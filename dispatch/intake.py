"""Inbound messages from every provider: stored first, once; understood later.

A webhook calls `receive_sms` (store, then schedule `process_inbound` after commit) and
answers at once. The task reads the SMS with `sms_commands.parse_sms` and calls the same
lifecycle services as the web and volunteer apps; its reply is queued with a dedupe key
derived from the inbound row, so a provider retry or a task re-run never replies twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django_q.tasks import async_task

from dispatch import privacy, ratelimit, sms_replies, volunteer_sms
from dispatch.errors import DispatchError
from dispatch.lifecycle import (
    add_resident_message,
    cancel_request,
    rate_request,
    submit_request,
)
from dispatch.models import (
    ActorKind,
    Channel,
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    OutboundMessage,
    Status,
)
from dispatch.outbound import queue_sms
from dispatch.redaction import redact_phone, redact_text
from dispatch.selectors import (
    eta_minutes,
    open_request_for_phone,
    queue_position,
    request_by_code,
)
from dispatch.sms_commands import (
    Kind,
    ParsedSms,
    as_new_request,
    parse_sms,
)
from dispatch.twiml import MENU_CATEGORIES
from teams.models import Commune, Volunteer
from teams.phones import try_normalize_phone
from teams.text import nfc

logger = logging.getLogger(__name__)
SMS_PROVIDERS = (InboundMessage.Provider.TWILIO_SMS, InboundMessage.Provider.SMSGATE)
# Rows whose provider id starts with the CallSid: call steps and the call-ended report.
CALL_PROVIDERS = (
    InboundMessage.Provider.TWILIO_VOICE,
    InboundMessage.Provider.TWILIO_STATUS,
)


def clean_text(value: object, *, limit: int = 5000) -> str:
    """NFC text without NUL characters (PostgreSQL refuses them), cut to `limit`."""
    return nfc(str(value or "")).replace("\x00", "")[:limit]


def store_inbound(
    *,
    provider: str,
    provider_id: str,
    payload: dict,
    event: str = "",
    from_number: str = "",
    to_number: str = "",
    body: str = "",
) -> tuple[InboundMessage, bool]:
    """Persist one provider event before anything else; (row, created).

    The unique (provider, provider_id) constraint turns a provider retry into
    `created=False` instead of a second row. Runs in its own savepoint.
    """
    provider_id = clean_text(provider_id, limit=128)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                provider=provider,
                provider_id=provider_id,
                event=clean_text(event, limit=40),
                from_number=clean_text(from_number, limit=40),
                to_number=clean_text(to_number, limit=40),
                # Masked before it is written: an SMS or transcript may hold an ID
                # number or a one-time code (DESIGN.md §9); the raw payload too.
                body=privacy.mask_sensitive(clean_text(body)),
                payload=privacy.mask_payload(payload),
            )
    except IntegrityError:
        existing = InboundMessage.objects.get(
            provider=provider, provider_id=provider_id
        )
        return existing, False
    logger.info(
        "inbound %s %s from %s: %s",
        provider,
        inbound.pk,
        redact_phone(inbound.from_number),
        redact_text(inbound.body),
    )
    return inbound, True


def receive_sms(
    *,
    provider: str,
    provider_id: str,
    from_number: str,
    to_number: str,
    body: str,
    payload: dict,
    event: str = "sms",
) -> tuple[InboundMessage, bool]:
    """Store an inbound SMS and, if new, process it in a task after commit."""
    inbound, created = store_inbound(
        provider=provider,
        provider_id=provider_id,
        event=event,
        from_number=from_number,
        to_number=to_number,
        body=body,
        payload=payload,
    )
    if created:
        transaction.on_commit(
            lambda: async_task("dispatch.tasks.process_inbound", inbound.pk)
        )
    return inbound, created


def commune_for_number(to_number: str) -> Commune | None:
    """The commune whose hotline received the message; the only one if there is one."""
    number = try_normalize_phone(to_number) or to_number
    communes = list(Commune.objects.all()[:50])
    for commune in communes:
        if number and number in (commune.hotline_numbers or []):
            return commune
    real = [c for c in communes if not c.is_sample] or communes
    return real[0] if real else None


def process_inbound(*, inbound_id: int) -> str:
    """Understand one stored SMS and reply; safe to run twice.

    Locks the inbound row for the whole handling, so a second run waits and then sees
    `processed_at` set. Side effects: whatever the lifecycle service does, and one
    reply SMS (dedupe key `reply:<inbound id>`).
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        inbound = (
            InboundMessage.objects.select_for_update().filter(pk=inbound_id).first()
        )
        if inbound is None or inbound.processed_at is not None:
            return "done"
        if inbound.provider not in SMS_PROVIDERS:
            return "ignored"
        phone = try_normalize_phone(inbound.from_number) or ""
        commune = commune_for_number(inbound.to_number)
        reply, dedupe_key = "", f"reply:{inbound.pk}"
        if phone and commune is not None and _flooding(inbound, phone=phone):
            # Stored (nothing is lost) but not acted on; one polite reply per hour.
            reply = sms_replies.too_many()
            dedupe_key = f"sms-limit:{phone}:{timezone.now():%Y%m%d%H}"
        elif phone and commune is not None:
            reply = _handle_sms(inbound=inbound, phone=phone, commune=commune)
        inbound.processed_at = timezone.now()
        inbound.save(update_fields=["processed_at", "request"])
        if reply and phone:
            queue_sms(
                to=phone,
                text=reply,
                purpose=OutboundMessage.Purpose.REPLY,
                commune=commune,
                request=inbound.request,
                dedupe_key=dedupe_key,
            )
    return "done"


def _flooding(inbound: InboundMessage, *, phone: str) -> bool:
    """Residents' SMS are limited per phone per hour; volunteers' commands are not."""
    if not ratelimit.sms_over_hourly_limit(inbound=inbound):
        return False
    return not Volunteer.objects.filter(phone=phone, active=True).exists()


def _handle_sms(*, inbound: InboundMessage, phone: str, commune: Commune) -> str:
    parsed = parse_sms(inbound.body)
    volunteer = None
    if parsed.is_volunteer_command:
        volunteer = Volunteer.objects.filter(phone=phone, active=True).first()
        if volunteer is None:
            parsed = as_new_request(parsed)
    try:
        with transaction.atomic():
            return _dispatch(
                parsed,
                inbound=inbound,
                phone=phone,
                commune=commune,
                volunteer=volunteer,
            )
    except DispatchError as exc:
        return sms_replies.refused(reason=str(getattr(exc, "message", exc)))


def _dispatch(
    parsed: ParsedSms,
    *,
    inbound: InboundMessage,
    phone: str,
    commune: Commune,
    volunteer: Volunteer | None,
) -> str:
    if parsed.kind == Kind.HELP:
        return sms_replies.usage()
    if parsed.kind == Kind.STATUS:
        return _status(parsed, phone=phone)
    if parsed.kind == Kind.CANCEL:
        return _cancel(parsed, phone=phone)
    if parsed.kind == Kind.RATING:
        reply = _rate(parsed, phone=phone)
        if reply:
            return reply
        parsed = as_new_request(parsed)
    if parsed.kind == Kind.CERTIFICATE:
        return volunteer_sms.certificate_reply(parsed.code)
    if volunteer is not None and parsed.is_volunteer_command:
        return volunteer_sms.handle(parsed, volunteer=volunteer)
    return _new_or_followup(parsed, inbound=inbound, phone=phone, commune=commune)


def find_request(code: str) -> HelpRequest | None:
    return request_by_code(code)


def _own_request(parsed: ParsedSms, *, phone: str) -> HelpRequest | None:
    if parsed.code:
        return find_request(parsed.code)
    return open_request_for_phone(phone=phone, within=timedelta(days=30))


def _status(parsed: ParsedSms, *, phone: str) -> str:
    request = _own_request(parsed, phone=phone)
    if request is None:
        return sms_replies.not_found(code=parsed.code)
    return sms_replies.status(
        code=request.code,
        status_label=str(request.get_status_display()),
        position=queue_position(request) if request.is_open else None,
        eta=eta_minutes(request) if request.is_open else None,
    )


def _cancel(parsed: ParsedSms, *, phone: str) -> str:
    request = _own_request(parsed, phone=phone)
    # Only the phone that asked may cancel; anyone else learns nothing about the code.
    if request is None or request.resident_phone != phone:
        return sms_replies.not_found(code=parsed.code)
    cancel_request(request=request, actor_kind=ActorKind.RESIDENT, reason="SMS HUY")
    return sms_replies.cancelled(code=request.code)


def _rate(parsed: ParsedSms, *, phone: str) -> str:
    request = (
        HelpRequest.objects.filter(
            resident_phone=phone,
            status__in=[Status.RESOLVED, Status.CLOSED],
            rating__isnull=True,
            resolved_at__gte=timezone.now() - timedelta(days=30),
        )
        .order_by("-resolved_at")
        .first()
    )
    if request is None or parsed.rating is None:
        return ""
    rate_request(request=request, rating=parsed.rating)
    return sms_replies.rated(code=request.code, rating=parsed.rating)


def _new_or_followup(
    parsed: ParsedSms, *, inbound: InboundMessage, phone: str, commune: Commune
) -> str:
    window = timedelta(minutes=settings.SMS_FOLLOWUP_MINUTES)
    request = open_request_for_phone(phone=phone, within=window)
    if request is not None:
        add_resident_message(request=request, text=parsed.text)
        inbound.request = request
        return sms_replies.added_to_request(code=request.code)
    request = submit_request(
        commune=commune,
        channel=Channel.SMS,
        category=parsed.category,
        description=parsed.text,
        resident_phone=phone,
        location_text=parsed.text,
        flags=sorted(parsed.flags),
        # The category model was unsure: staff see "cần phân loại" and call back.
        needs_triage=parsed.needs_triage,
    )
    inbound.request = request
    team = request.current_team.name if request.current_team_id else ""
    return sms_replies.received(
        code=request.code,
        team=team,
        position=queue_position(request) if request.is_open else None,
        triage=parsed.needs_triage or (parsed.category == "other" and not team),
        unaccented_mode=commune.sms_unaccented,
        hint=parsed.hint.value if parsed.hint else "",
    )


def is_smsgate_duplicate(payload: dict) -> bool:
    """SMSGate may emit one SMS twice under two envelope ids (content-provider fallback
    plus broadcast); the same (messageId, sender, receivedAt) means the same SMS."""
    keys = {
        "payload__payload__messageId": payload.get("messageId"),
        "payload__payload__receivedAt": payload.get("receivedAt"),
    }
    if not all(isinstance(v, str) and v for v in keys.values()):
        return False
    sender = str(payload.get("sender") or payload.get("phoneNumber") or "")
    return InboundMessage.objects.filter(
        provider=InboundMessage.Provider.SMSGATE,
        event="sms:received",
        from_number=clean_text(sender, limit=40),
        **keys,
    ).exists()


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


def receive_call_end(*, payload: dict) -> None:
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
        transaction.on_commit(
            lambda: async_task("dispatch.tasks.finish_call", inbound.pk)
        )


def finish_call(*, inbound_id: int) -> HelpRequest | None:
    """A caller hung up before the end: keep what the keypad gathered as a request.

    Nothing happens when the call already made a request, never reached the menu,
    or was put through to the operator (who types it in the operator form).
    """
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    call_sid = inbound.payload.get("CallSid", "") if inbound else ""
    if not call_sid or request_for_call(call_sid) is not None:
        return None
    steps = list(
        InboundMessage.objects.filter(
            provider=InboundMessage.Provider.TWILIO_VOICE,
            provider_id__startswith=f"{call_sid}:",
        ).order_by("received_at", "pk")
    )
    pressed = {step.event: step.body.strip() for step in steps}
    if "voice:menu" not in pressed or pressed.get("voice:category") == "0":
        return None
    village = pressed.get("voice:village", "")
    return submit_call(
        inbound=inbound,
        category=MENU_CATEGORIES.get(pressed.get("voice:category", ""), "other"),
        village_number=int(village) if village.isdecimal() and int(village) else None,
    )


def submit_call(
    *,
    inbound: InboundMessage,
    category: str,
    village_number: int | None,
    consent: str = "",
) -> HelpRequest | None:
    """Turn what a call gathered into one request (a retried step reuses it).

    Side effects: the request (via `submit_request`), the code by SMS to the caller
    (dedupe key `voice-code:<CallSid>`), and any voice message already recorded.
    """

    call_sid = inbound.payload.get("CallSid", "")
    with transaction.atomic():
        InboundMessage.objects.select_for_update().filter(pk=inbound.pk).first()
        request = request_for_call(call_sid)
        commune = commune_for_number(inbound.to_number)
        if request is None and commune is not None:
            request = submit_request(
                commune=commune,
                channel=Channel.VOICE,
                category=category,
                resident_phone=try_normalize_phone(inbound.from_number) or "",
                village_number=village_number,
                consent=consent in ("1", "2"),
            )
            _record_call_consent(request=request, call_sid=call_sid, digit=consent)
        if request is None:
            return None
        inbound.request = request
        inbound.processed_at = timezone.now()
        inbound.save(update_fields=["request", "processed_at"])
        if request.resident_phone:
            with translation.override(settings.LANGUAGE_CODE):
                text = sms_replies.received(
                    code=request.code,
                    team=request.current_team.name if request.current_team_id else "",
                    position=None,
                    triage=False,
                    unaccented_mode=request.commune.sms_unaccented,
                )
            queue_sms(
                to=request.resident_phone,
                text=text,
                purpose=OutboundMessage.Purpose.REPLY,
                request=request,
                dedupe_key=f"voice-code:{call_sid}",
            )
    for recording in InboundMessage.objects.filter(
        provider=InboundMessage.Provider.TWILIO_STATUS,
        event="recording",
        payload__CallSid=call_sid,
        request__isnull=True,
    ):
        if recording.payload.get("RecordingStatus") == "completed":
            link_recording(request=request, inbound=recording)
    return request


def _record_call_consent(*, request: HelpRequest, call_sid: str, digit: str) -> None:
    """Keypress 1: storing and recording; 2: storing only; nothing pressed: nothing."""
    if digit not in ("1", "2"):
        return
    evidence = f"{call_sid} digit {digit}"
    Purpose, Method = ConsentRecord.Purpose, ConsentRecord.Method
    privacy.record_consent(
        purpose=Purpose.DISPATCH,
        method=Method.KEYPRESS,
        given=True,
        request=request,
        evidence=evidence,
    )
    privacy.record_consent(
        purpose=Purpose.RECORDING,
        method=Method.KEYPRESS,
        given=digit == "1",
        request=request,
        evidence=evidence,
    )


def submit_form_request(
    *, commune: Commune, data: dict, channel: str, user: object = None
) -> HelpRequest:
    """A request from the public form or an operator; the code also goes by SMS.

    Side effects: the request (create → locate → route) and one SMS with the code
    (dedupe key `form-code:<request id>`).
    """
    request = submit_request(
        commune=commune,
        channel=channel,
        category=data["category"],
        description=data.get("description", ""),
        resident_name=data.get("resident_name", ""),
        resident_phone=data.get("resident_phone", ""),
        village=data.get("village"),
        lat=data.get("lat"),
        lng=data.get("lng"),
        location_text=data.get("location_text", ""),
        flags=data.get("flags") or [],
        consent=bool(data.get("consent")),
        actor_user=user,
    )
    if data.get("consent"):
        privacy.record_consent(
            purpose=ConsentRecord.Purpose.DISPATCH,
            method=ConsentRecord.Method.OPERATOR
            if channel == Channel.OPERATOR
            else ConsentRecord.Method.FORM,
            given=True,
            request=request,
            evidence=str(getattr(user, "username", "") or channel)[:200],
        )
    if request.resident_phone:
        with translation.override(settings.LANGUAGE_CODE):
            text = sms_replies.received(
                code=request.code,
                team=request.current_team.name if request.current_team_id else "",
                position=None,
                triage=False,
                unaccented_mode=commune.sms_unaccented,
            )
        queue_sms(
            to=request.resident_phone,
            text=text,
            purpose=OutboundMessage.Purpose.REPLY,
            request=request,
            dedupe_key=f"form-code:{request.pk}",
        )
    return request


def history_for_phone(*, phone: str, commune: Commune) -> list[HelpRequest]:
    """A caller's earlier requests in the commune, newest first (operators only)."""
    if not phone:
        return []
    return list(
        HelpRequest.objects.filter(commune=commune, resident_phone=phone)
        .select_related("village", "current_team")
        .order_by("-created_at")[:10]
    )
