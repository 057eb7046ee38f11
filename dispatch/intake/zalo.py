"""Zalo OA events: stored first, once; understood later with the SMS grammar.

The webhook (`dispatch.webhooks.zalo`) checks the signature and calls `receive_event`:
the event is a row (unique on Zalo's `message.msg_id`, or on the event itself for
events without one), so Zalo's retries (30 s, 5 min, …) never make a second request or
reply. `process_event` runs in a task: text goes through the same parser and services
as an SMS (`dispatch.intake.parsing`, `volunteer_commands`); a location locates the
resident's request by point; images and voice notes join their open request; `follow`
gets a greeting; `user_received_message` / `user_seen_message` move our messages'
delivery status. Replies go back on Zalo through the outbound queue.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from dispatch.background import Job, enqueue_on_commit
from dispatch.errors import DispatchError
from dispatch.help_requests import followup
from dispatch.help_requests.lifecycle import (
    add_resident_message,
    cancel_request,
    locate_request,
    rate_request,
    submit_request,
)
from dispatch.help_requests.offers import lock_request
from dispatch.help_requests.selectors import (
    eta_minutes,
    last_resolved_for_zalo,
    open_request_for_zalo,
    queue_position,
    request_by_code,
)
from dispatch.intake import volunteer_commands
from dispatch.intake.landmarks import extract_landmark
from dispatch.intake.parsing import Kind, ParsedSms, as_new_request, parse_sms
from dispatch.intake.store import clean_text, store_inbound
from dispatch.models import (
    ActorKind,
    Channel,
    HelpRequest,
    InboundMessage,
    OutboundMessage,
    Status,
    ZaloAccount,
    ZaloContact,
)
from dispatch.sms import delivery, zalo_replies
from dispatch.sms import replies as sms_replies
from dispatch.sms.gateways import zalo as zalo_api
from dispatch.sms.gateways.base import GatewayError
from dispatch.sms.outbox import queue_zalo
from dispatch.sms.zalo_links import link_volunteer
from teams.phones import national_format, try_normalize_phone
from teams.text import fold

logger = logging.getLogger(__name__)

MESSAGE_EVENTS = (
    "user_send_text",
    "user_send_location",
    "user_send_image",
    "user_send_audio",
    "user_send_file",
    "user_send_sticker",
    "user_send_gif",
    "user_send_video",
    "user_send_link",
)
STATUS_EVENTS = {"user_received_message": "delivered", "user_seen_message": "read"}
# A volunteer linking their Zalo: "LK 123456" (any case, spaces optional).
LINK_COMMAND = re.compile(r"^\s*lk\s*([0-9]{6})\s*$")
# How long an open request collects the resident's later messages and attachments.
OPEN_REQUEST_WINDOW = timedelta(days=30)
# A message that is only a phone number (digits, spaces, dots, dashes, a plus).
PHONE_ONLY = re.compile(r"^[+0-9 .\-()]{9,20}$")


def oa_id_of(payload: dict[str, Any]) -> str:
    """The OA an event is for: `recipient` of what users send, `sender` of our
    messages' delivery reports, `oa_id` of follow/unfollow."""
    event = str(payload.get("event_name", ""))
    if payload.get("oa_id"):
        return str(payload["oa_id"])
    side = "sender" if event in STATUS_EVENTS else "recipient"
    return str((payload.get(side) or {}).get("id") or "")


def user_id_of(payload: dict[str, Any]) -> str:
    event = str(payload.get("event_name", ""))
    if event in ("follow", "unfollow"):
        return str((payload.get("follower") or {}).get("id") or "")
    side = "recipient" if event in STATUS_EVENTS else "sender"
    return str((payload.get(side) or {}).get("id") or "")


def event_id_of(payload: dict[str, Any], raw: bytes) -> str:
    """Zalo's message id; for events without one, the event itself (a retry of the
    same event has the same body)."""
    event = str(payload.get("event_name", ""))
    message = payload.get("message") or {}
    msg_id = str(message.get("msg_id") or "") if isinstance(message, dict) else ""
    if msg_id and event not in STATUS_EVENTS:
        return msg_id
    digest = hashlib.sha256(raw).hexdigest()[:40]
    return f"{event}:{digest}"[:128]


def receive_event(
    *, payload: dict[str, Any], raw: bytes
) -> tuple[InboundMessage, bool]:
    """Store one signed Zalo event and, if new, process it in a task after commit."""
    message = payload.get("message") if isinstance(payload.get("message"), dict) else {}
    account = zalo_api.account_for_oa(oa_id_of(payload))
    inbound, created = store_inbound(
        # The OA's commune: its board and admin see the row, the retry sweep takes it.
        commune=account.commune if account is not None else None,
        provider=InboundMessage.Provider.ZALO,
        provider_id=event_id_of(payload, raw),
        event=str(payload.get("event_name", "")),
        body=str((message or {}).get("text") or ""),
        payload=payload,
    )
    if created:
        enqueue_on_commit(Job.PROCESS_INBOUND, inbound.pk)
    return inbound, created


def process_event(*, inbound_id: int) -> str:
    """Understand one stored Zalo event and answer on Zalo; safe to run twice.

    Locks the inbound row for the whole handling (a second run waits, then sees
    `processed_at`). Side effects: the lifecycle services' own; at most one reply
    (dedupe key `zalo-reply:<inbound id>`).
    """
    _learn_the_name(inbound_id)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        inbound = (
            InboundMessage.objects.select_for_update().filter(pk=inbound_id).first()
        )
        if inbound is None or inbound.processed_at is not None:
            return "done"
        payload = inbound.payload
        event = inbound.event
        account = zalo_api.account_for_oa(oa_id_of(payload))
        user_id = user_id_of(payload)
        reply = ""
        contact = None
        if account is not None and user_id:
            if event in STATUS_EVENTS:
                _apply_status(payload, status=STATUS_EVENTS[event])
            else:
                contact = _contact(account, user_id)
                reply = _handle(event, inbound=inbound, contact=contact)
        inbound.processed_at = timezone.now()
        inbound.save(update_fields=["processed_at", "request"])
        if reply and contact is not None:
            queue_zalo(
                contact=contact,
                text=reply,
                purpose=OutboundMessage.Purpose.REPLY,
                request=inbound.request,
                dedupe_key=f"zalo-reply:{inbound.pk}",
            )
    return "done"


def _contact(account: ZaloAccount, user_id: str) -> ZaloContact:
    contact, _ = ZaloContact.objects.get_or_create(
        account=account, user_id=user_id[:40]
    )
    return contact


def _learn_the_name(inbound_id: int) -> None:
    """A new Zalo user's display name (`user/detail`), asked before the row lock is
    taken: no database lock is held during a call to Zalo (which may also refresh the
    token). The name is a nicety: without it the request goes on."""
    inbound = InboundMessage.objects.filter(pk=inbound_id, processed_at=None).first()
    if inbound is None or inbound.event in STATUS_EVENTS:
        return
    account = zalo_api.account_for_oa(oa_id_of(inbound.payload))
    user_id = user_id_of(inbound.payload)[:40]
    if account is None or not user_id:
        return
    if ZaloContact.objects.filter(account=account, user_id=user_id).exists():
        return
    try:
        name = zalo_api.user_detail(account=account, user_id=user_id).display_name
    except GatewayError as exc:
        logger.info("Zalo user detail unavailable: %s", exc)
        return
    ZaloContact.objects.get_or_create(
        account=account,
        user_id=user_id,
        defaults={"display_name": clean_text(name, limit=160)},
    )


def _handle(event: str, *, inbound: InboundMessage, contact: ZaloContact) -> str:
    payload = inbound.payload
    if event == "follow":
        ZaloContact.objects.filter(pk=contact.pk).update(following=True)
        return zalo_replies.greeting()
    if event == "unfollow":
        ZaloContact.objects.filter(pk=contact.pk).update(following=False)
        return ""
    if event not in MESSAGE_EVENTS:
        return ""
    _open_window(contact, payload)
    if event == "user_send_text":
        return _text(inbound=inbound, contact=contact)
    if event == "user_send_location":
        return _location(inbound=inbound, contact=contact)
    if event in ("user_send_image", "user_send_audio", "user_send_file"):
        return _attachment(inbound=inbound, contact=contact, event=event)
    return zalo_replies.unsupported()


def _open_window(contact: ZaloContact, payload: dict[str, Any]) -> None:
    """The user wrote: Zalo's free-reply window restarts (48 h, a fresh count)."""
    message = payload.get("message") or {}
    contact.last_user_message_at = timezone.now()
    contact.last_user_msg_id = str(message.get("msg_id") or "")[:64]
    contact.replies_in_window = 0
    contact.following = True
    contact.save(
        update_fields=[
            "last_user_message_at",
            "last_user_msg_id",
            "replies_in_window",
            "following",
        ]
    )


# --- Text: the SMS grammar ---------------------------------------------------------------


def _text(*, inbound: InboundMessage, contact: ZaloContact) -> str:
    text = inbound.body
    link = LINK_COMMAND.match(fold(text))
    if link:
        volunteer = link_volunteer(contact=contact, code=link.group(1))
        if volunteer is None:
            return zalo_replies.link_code_wrong()
        return zalo_replies.volunteer_linked(name=volunteer.full_name)
    if contact.volunteer is not None and contact.volunteer.active:
        command = volunteer_commands.command_for(text)
        if command is not None:
            return volunteer_commands.run(command, volunteer=contact.volunteer)
    if PHONE_ONLY.match(text.strip()):
        phone = try_normalize_phone(text)
        if phone:
            return _link_phone(contact=contact, phone=phone, inbound=inbound)
    parsed = parse_sms(text)
    if parsed.is_volunteer_command:
        parsed = as_new_request(parsed)
    try:
        with transaction.atomic():
            return _dispatch(parsed, inbound=inbound, contact=contact)
    except DispatchError as exc:
        return sms_replies.refused(reason=str(getattr(exc, "message", exc)))


def _dispatch(
    parsed: ParsedSms, *, inbound: InboundMessage, contact: ZaloContact
) -> str:
    if parsed.kind == Kind.HELP:
        return zalo_replies.greeting()
    if parsed.kind == Kind.STATUS:
        request = _own_request(parsed, contact=contact)
        if request is None:
            return sms_replies.not_found(code=parsed.code)
        return sms_replies.status(
            code=request.code,
            status_label=str(request.get_status_display()),
            position=queue_position(request) if request.is_open else None,
            eta=eta_minutes(request) if request.is_open else None,
        )
    if parsed.kind == Kind.CANCEL:
        request = _own_request(parsed, contact=contact)
        # Only the Zalo user who asked may cancel; anyone else learns nothing.
        if request is None or request.zalo_contact_id != contact.pk:
            return sms_replies.not_found(code=parsed.code)
        cancel_request(
            request=request, actor_kind=ActorKind.RESIDENT, reason="Zalo HUY"
        )
        return sms_replies.cancelled(code=request.code)
    if parsed.kind == Kind.RATING:
        reply = _rating(parsed, contact=contact)
        if reply:
            return reply
        parsed = as_new_request(parsed)
    if parsed.kind == Kind.CERTIFICATE:
        return volunteer_commands.certificate_reply(parsed.code)
    return _new_or_more(parsed, inbound=inbound, contact=contact)


def _own_request(parsed: ParsedSms, *, contact: ZaloContact) -> HelpRequest | None:
    if parsed.code:
        return request_by_code(parsed.code)
    return open_request_for_zalo(contact=contact, within=OPEN_REQUEST_WINDOW)


def _rating(parsed: ParsedSms, *, contact: ZaloContact) -> str:
    request = last_resolved_for_zalo(contact=contact, within=timedelta(days=30))
    if request is None or parsed.rating is None:
        return ""
    if (
        parsed.rating in (1, 2)
        and request.followup_attempts
        and request.status == Status.RESOLVED
    ):
        return followup.answer(request=request, done=parsed.rating == 1)
    if request.rating is not None:
        return ""
    rate_request(request=request, rating=parsed.rating)
    return sms_replies.rated(code=request.code, rating=parsed.rating)


def _new_or_more(
    parsed: ParsedSms, *, inbound: InboundMessage, contact: ZaloContact
) -> str:
    window = timedelta(minutes=settings.SMS_FOLLOWUP_MINUTES)
    request = open_request_for_zalo(contact=contact, within=window)
    if request is not None:
        add_resident_message(request=request, text=parsed.text)
        inbound.request = request
        return sms_replies.added_to_request(code=request.code)
    request = submit_request(
        commune=contact.account.commune,
        channel=Channel.ZALO,
        category=parsed.category,
        description=parsed.text,
        resident_name=contact.display_name,
        resident_phone=contact.phone,
        location_text=parsed.text,
        flags=sorted(parsed.flags),
        landmark=extract_landmark(parsed.text),
        needs_triage=parsed.needs_triage,
    )
    _belongs_to(request, contact)
    inbound.request = request
    return _acknowledgement(request, contact=contact, triage=parsed.needs_triage)


def _belongs_to(request: HelpRequest, contact: ZaloContact) -> None:
    HelpRequest.objects.filter(pk=request.pk).update(zalo_contact=contact)
    request.zalo_contact = contact


def _acknowledgement(
    request: HelpRequest, *, contact: ZaloContact, triage: bool
) -> str:
    request.refresh_from_db()
    text = zalo_replies.received(
        code=request.code,
        team=request.current_team.name if request.current_team else "",
        position=queue_position(request) if request.is_open else None,
        triage=triage or (request.category == "other" and not request.current_team_id),
    )
    if not contact.phone:
        # The first reply asks for a call-back number; a number sent later is linked.
        ZaloContact.objects.filter(pk=contact.pk).update(awaiting_phone=True)
        text += "\n" + zalo_replies.ask_phone()
    return text


def _link_phone(*, contact: ZaloContact, phone: str, inbound: InboundMessage) -> str:
    """A call-back number: kept on the contact and written on the open request."""
    contact.phone = phone
    contact.awaiting_phone = False
    contact.save(update_fields=["phone", "awaiting_phone"])
    request = open_request_for_zalo(contact=contact, within=OPEN_REQUEST_WINDOW)
    code = ""
    if request is not None:
        with transaction.atomic():
            locked = lock_request(request)
            if not locked.resident_phone:
                locked.resident_phone = phone
                locked.save(update_fields=["resident_phone", "updated_at"])
        inbound.request = request
        code = request.code
    return zalo_replies.phone_linked(phone=national_format(phone), code=code)


# --- Location and attachments ----------------------------------------------------------


def _first_attachment(payload: dict[str, Any]) -> dict[str, Any]:
    attachments = (payload.get("message") or {}).get("attachments") or []
    first = attachments[0] if attachments and isinstance(attachments, list) else {}
    return first if isinstance(first, dict) else {}


def _point(payload: dict[str, Any]) -> tuple[float, float] | None:
    coordinates: dict[str, Any] = (_first_attachment(payload).get("payload") or {}).get(
        "coordinates"
    ) or {}
    try:
        lat = float(str(coordinates.get("latitude")))
        lng = float(str(coordinates.get("longitude")))
    except (TypeError, ValueError):
        return None
    # "nan" parses as a float and compares false everywhere: refused here too.
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def _location(*, inbound: InboundMessage, contact: ZaloContact) -> str:
    point = _point(inbound.payload)
    if point is None:
        return zalo_replies.unsupported()
    request = open_request_for_zalo(contact=contact, within=OPEN_REQUEST_WINDOW)
    if request is not None:
        with transaction.atomic():
            locked = lock_request(request)
            locked.lat, locked.lng = point
            locked.save(update_fields=["lat", "lng", "updated_at"])
        locate_request(request=locked)
        inbound.request = request
        return zalo_replies.located(code=request.code)
    # No request yet: one located by the point, routed to the nearest team; the text
    # of the next message joins it.
    request = submit_request(
        commune=contact.account.commune,
        channel=Channel.ZALO,
        category="other",
        description=clean_text(inbound.body, limit=500),
        resident_name=contact.display_name,
        resident_phone=contact.phone,
        lat=point[0],
        lng=point[1],
        needs_triage=True,
    )
    _belongs_to(request, contact)
    inbound.request = request
    return (
        _acknowledgement(request, contact=contact, triage=False)
        + "\n"
        + zalo_replies.located_ask_what()
    )


def _attachment(*, inbound: InboundMessage, contact: ZaloContact, event: str) -> str:
    """An image or voice note joins the open request as a link the volunteer opens."""
    url = str(
        (_first_attachment(inbound.payload).get("payload") or {}).get("url") or ""
    )
    request = open_request_for_zalo(contact=contact, within=OPEN_REQUEST_WINDOW)
    if request is None or not url.startswith("https://"):
        return zalo_replies.attachment_without_request()
    label = {
        "user_send_image": translation.gettext("Ảnh gửi qua Zalo"),
        "user_send_audio": translation.gettext("Tin nhắn thoại qua Zalo"),
    }.get(event, translation.gettext("Tệp gửi qua Zalo"))
    caption = clean_text(inbound.body, limit=300)
    text = f"[{label}] {url}" + (f" {caption}" if caption else "")
    add_resident_message(request=request, text=text)
    inbound.request = request
    return zalo_replies.attachment_added(code=request.code)


# --- Delivery reports ------------------------------------------------------------------


def _apply_status(payload: dict[str, Any], *, status: str) -> None:
    message = payload.get("message") or {}
    ids = message.get("msg_ids") or [message.get("msg_id")]
    for msg_id in ids if isinstance(ids, list) else []:
        if msg_id:
            delivery.apply_provider_status(provider_id=str(msg_id), status=status)
