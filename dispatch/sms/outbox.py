"""Outbound messages (SMS and Zalo): persisted first, sent later by a background task,
never twice. One queue for both transports, so retries, idempotency and the failures
the board shows are the same whichever way a message leaves.

Inside `sent_here()` (a task that queues messages as part of its work: the reply to an
inbound SMS or Zalo event, the offer texts to offline volunteers) no task is queued per
message: the task sends them itself once its transaction has committed
(`dispatch.sms.delivery.send_held`). The row is stored either way, so one the task
could not send is found by the outbox sweep.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from dispatch.background import Job, enqueue_on_commit
from dispatch.models import HelpRequest, OutboundMessage, ZaloAccount, ZaloContact
from dispatch.push import broadcast
from dispatch.sms.text import sms_body, sms_size
from teams.models import Commune, Volunteer
from teams.text import nfc

_held: ContextVar[list[str] | None] = ContextVar("outbox_held", default=None)


@contextmanager
def sent_here() -> Iterator[list[str]]:
    """Collect the ids of SMS queued inside, instead of queueing a task for each."""
    held: list[str] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def queue_sms(
    *,
    to: str,
    text: str,
    purpose: str = OutboundMessage.Purpose.OTHER,
    commune: Commune | None = None,
    request: HelpRequest | None = None,
    volunteer: Volunteer | None = None,
    dedupe_key: str | None = None,
) -> OutboundMessage:
    """Store an SMS and schedule its sending after the surrounding transaction commits.

    With a `dedupe_key`, queueing the same logical message again returns the first one
    and sends nothing more (provider retries, double sweeps).
    Side effects: one OutboundMessage row; one django-q2 task after commit (none
    inside `sent_here()`).
    """
    if commune is None and request is not None:
        commune = request.commune
    unaccented_mode = commune.sms_unaccented if commune is not None else True
    body = sms_body(text, unaccented_mode=unaccented_mode)
    size = sms_size(body)
    # The unique dedupe_key answers "queued before?" in the INSERT itself (no SELECT
    # first): most keys are new (a reply to a new SMS), and a repeat fails the insert.
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                to_number=to,
                body=body,
                purpose=purpose,
                commune=commune,
                request=request,
                volunteer=volunteer,
                dedupe_key=dedupe_key,
                encoding=size.encoding,
                segments=size.segments,
                **_claimed_here(),
            )
    except IntegrityError:
        # Another process queued the same dedupe_key between our check and insert.
        return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    _send_later(message)
    return message


def _claimed_here() -> dict[str, Any]:
    """A message queued inside `sent_here()` is written already claimed by this worker
    ("sending", first try): `delivery.send_held` then sends it without a second write.
    Should the worker die first, `reclaim_stuck_sending` queues it again after the
    lease, as for any claimed message."""
    if _held.get() is None:
        return {}
    return {
        "status": OutboundMessage.Status.SENDING,
        "attempts": 1,
        "sending_since": timezone.now(),
    }


def _send_later(message: OutboundMessage) -> None:
    held = _held.get()
    if held is None:
        enqueue_on_commit(Job.SEND_OUTBOUND, str(message.pk))
    else:
        # Sent after the task's transaction ended; a rolled-back one is "missing" then.
        held.append(str(message.pk))


def in_zalo_window(contact: ZaloContact, *, now: Any = None) -> bool:
    """May the OA still answer this user for free: within ZALO_WINDOW_HOURS of their
    last message and under ZALO_WINDOW_REPLIES replies since (Zalo's consultation
    window; later messages are "proactive": quota-limited and paid)."""
    now = now or timezone.now()
    if not contact.following or contact.last_user_message_at is None:
        return False
    if contact.last_user_message_at < now - timedelta(hours=settings.ZALO_WINDOW_HOURS):
        return False
    return contact.replies_in_window < settings.ZALO_WINDOW_REPLIES


def queue_zalo(
    *,
    contact: ZaloContact,
    text: str,
    purpose: str = OutboundMessage.Purpose.OTHER,
    request: HelpRequest | None = None,
    volunteer: Volunteer | None = None,
    dedupe_key: str | None = None,
    zns_template: str = "",
    phone: str = "",
) -> OutboundMessage:
    """Store a Zalo message to `contact` and send it after commit, through the same
    queue, retries and failure reporting as SMS. A consultation message answers the
    user's last message (`reply_to`) and counts against the window's replies; with
    `zns_template` it is a ZNS template message to `phone` instead.
    """
    if dedupe_key:
        existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                transport=OutboundMessage.Transport.ZALO,
                zalo_contact=contact,
                to_number=phone if zns_template else "",
                reply_to="" if zns_template else contact.last_user_msg_id,
                zns_template=zns_template,
                # Zalo carries Unicode at no extra cost: the text keeps its diacritics.
                body=nfc(text),
                purpose=purpose,
                commune=request.commune if request is not None else None,
                request=request,
                volunteer=volunteer,
                dedupe_key=dedupe_key,
                encoding="zalo",
                segments=1,
                **_claimed_here(),
            )
    except IntegrityError:
        return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    if not zns_template:
        ZaloContact.objects.filter(pk=contact.pk).update(
            replies_in_window=F("replies_in_window") + 1
        )
        contact.replies_in_window += 1
    _send_later(message)
    return message


def queue_to_resident(
    *,
    request: HelpRequest,
    text: str,
    purpose: str,
    dedupe_key: str,
    notice: str = "",
) -> OutboundMessage | None:
    """A notice to the resident who asked, by the channel they reach us on.

    Zalo residents: a Zalo reply within the consultation window; outside it a ZNS
    template when the OA has one for this `notice` kind and a phone is known; else an
    SMS when a phone is known; else a message marked failed ("could not notify"),
    which the live board shows like any failed SMS. Everyone else: an SMS.
    """
    contact = request.zalo_contact
    if contact is None or not contact.account.active:
        if not request.resident_phone:
            return None
        return queue_sms(
            to=request.resident_phone,
            text=text,
            purpose=purpose,
            request=request,
            dedupe_key=dedupe_key,
        )
    if in_zalo_window(contact):
        return queue_zalo(
            contact=contact,
            text=text,
            purpose=purpose,
            request=request,
            dedupe_key=dedupe_key,
        )
    phone = request.resident_phone or contact.phone
    template = zns_template_for(contact.account, notice)
    if template and phone:
        return queue_zalo(
            contact=contact,
            text=text,
            purpose=purpose,
            request=request,
            dedupe_key=dedupe_key,
            zns_template=template,
            phone=phone,
        )
    if phone:
        return queue_sms(
            to=phone, text=text, purpose=purpose, request=request, dedupe_key=dedupe_key
        )
    return _could_not_notify(
        contact=contact, request=request, text=text, purpose=purpose, key=dedupe_key
    )


def zns_template_for(account: ZaloAccount, notice: str) -> str:
    """The approved ZNS template for a notice kind: the OA's own, else the settings'."""
    if not notice:
        return ""
    own = (account.zns_templates or {}).get(notice)
    if own:
        return str(own)
    return str(getattr(settings, f"ZALO_ZNS_TEMPLATE_{notice.upper()}", "") or "")


def _could_not_notify(
    *,
    contact: ZaloContact,
    request: HelpRequest,
    text: str,
    purpose: str,
    key: str,
) -> OutboundMessage:
    existing = OutboundMessage.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing
    message = OutboundMessage.objects.create(
        transport=OutboundMessage.Transport.ZALO,
        zalo_contact=contact,
        body=nfc(text),
        purpose=purpose,
        commune=request.commune,
        request=request,
        dedupe_key=key,
        status=OutboundMessage.Status.FAILED,
        failed_at=timezone.now(),
        last_error=gettext(
            "Không báo được: ngoài 48 giờ của Zalo và người dân chưa cho số điện thoại."
        ),
        encoding="zalo",
    )
    code, commune_id, request_id = request.code, request.commune_id, request.pk
    transaction.on_commit(
        lambda: broadcast.sms_failed(
            commune_id=commune_id, request_id=request_id, code=code, purpose=purpose
        )
    )
    return message


def queue_to_volunteer(
    *,
    volunteer: Volunteer,
    text: str,
    purpose: str,
    dedupe_key: str,
    request: HelpRequest | None = None,
) -> OutboundMessage | None:
    """A message to a volunteer: on Zalo when they linked it and Zalo's free window is
    open (cheaper than an SMS), else by SMS to their phone."""
    contact = ZaloContact.objects.filter(
        volunteer=volunteer, account__active=True
    ).first()
    if contact is not None and in_zalo_window(contact):
        return queue_zalo(
            contact=contact,
            text=text,
            purpose=purpose,
            request=request,
            volunteer=volunteer,
            dedupe_key=dedupe_key,
        )
    if not volunteer.phone:
        return None
    return queue_sms(
        to=volunteer.phone,
        text=text,
        purpose=purpose,
        request=request,
        volunteer=volunteer,
        dedupe_key=dedupe_key,
    )
