"""Delivering outbound SMS through the configured gateway, with retries and status.

Sending: a task claims a queued message under a row lock, calls the gateway, and on a
transient error schedules one more try at now + backoff (django-q2 `Schedule` ONCE);
after the last try the message is marked failed and shows up in the admin.

Status: provider callbacks arrive late, twice and out of order, so a status only ever
moves forward (a late "sent" never overwrites "delivered").

Login codes: the stored body keeps the code only while a try is still to come; once
the SMS is handed over or failed for good it reads "… là ●●●●●●, …", and a retry
whose code has meanwhile expired is not sent at all.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dispatch.background import Job, enqueue, enqueue_on_commit, schedule_retry
from dispatch.masking.logs import redact_phone
from dispatch.models import InboundMessage, OutboundMessage
from dispatch.push import broadcast
from dispatch.sms import login_codes
from dispatch.sms.gateways import zalo
from dispatch.sms.gateways.base import GatewayError, SmsGateway, get_gateway
from teams.prepared import PreparedInstances

logger = logging.getLogger(__name__)
Status = OutboundMessage.Status
Purpose = OutboundMessage.Purpose

# Forward order of statuses; "failed" is final unless the handset later proves delivery.
STATUS_RANK: dict[str, int] = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.FAILED: 3,
    Status.DELIVERED: 4,
}

# Provider words → our status (Twilio MessageStatus, SMSGate events and states).
PROVIDER_STATUS = {
    "queued": Status.SENDING,
    "accepted": Status.SENDING,
    "scheduled": Status.SENDING,
    "sending": Status.SENDING,
    "pending": Status.SENDING,
    "processed": Status.SENDING,
    "sent": Status.SENT,
    "partially_delivered": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "failed": Status.FAILED,
    "undelivered": Status.FAILED,
    "canceled": Status.FAILED,
    "cancelled": Status.FAILED,
    "sms:sent": Status.SENT,
    "sms:delivered": Status.DELIVERED,
    "sms:failed": Status.FAILED,
    "sms:cancelled": Status.FAILED,
}


def max_attempts() -> int:
    return settings.SMS_MAX_ATTEMPTS


def backoff_seconds(attempt: int) -> int:
    """Wait before try `attempt + 1`: base × 2^(attempt-1), capped at one hour."""
    base: int = settings.SMS_RETRY_BASE_SECONDS
    doubling: int = 2 ** max(attempt - 1, 0)
    return min(base * doubling, 3600)


# What a send changes on the row (`_advance` sets one of the three times).
SENT_FIELDS = [
    "backend",
    "provider_id",
    "sent_at",
    "delivered_at",
    "failed_at",
    "last_error",
    "status",
    "body",
]


def send_outbound(*, message_id: str, claimed: bool = False) -> str:
    """Send one message if it is still queued; returns its status afterwards.

    Locks the row while claiming it so two workers never send the same SMS; safe to run
    twice. On a transient gateway error schedules a retry with backoff; after
    SMS_MAX_ATTEMPTS tries (or a final error) marks the message failed.
    `claimed`: this worker wrote it already claimed (`outbox.sent_here`).
    """
    message = _claimed(message_id) if claimed else _claim(message_id)
    if isinstance(message, str):
        return message
    if message.purpose == Purpose.LOGIN_CODE and not login_codes.code_is_live(
        phone=message.to_number, body=message.body
    ):
        return _give_up_dead_code(message)
    gateway = gateway_for(message)
    try:
        result = gateway.send(
            message_id=str(message.pk), to=message.to_number, body=message.body
        )
    except GatewayError as exc:
        return _record_failure(message, gateway.name, exc)
    with transaction.atomic():
        message = _locked(message.pk)
        message.backend = gateway.name
        message.provider_id = result.provider_id
        message.sent_at = message.sent_at or timezone.now()
        message.last_error = ""
        _advance(message, result.status)
        if message.purpose == Purpose.LOGIN_CODE:
            message.body = login_codes.blank_code(message.body)
        message.save(update_fields=SENT_FIELDS)
    if message.backend == "twilio":
        # Only Twilio's status callbacks can beat its send call back (stored early).
        _replay_early_reports(result.provider_id)
    logger.info(
        "SMS %s to %s handed to %s as %s",
        message.pk,
        redact_phone(message.to_number),
        gateway.name,
        result.provider_id,
    )
    return message.status


def _claim(message_id: str) -> OutboundMessage | str:
    """The queued message, marked "sending" under a row lock; or its status."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        )
        if message is None:
            return "missing"
        if message.status != Status.QUEUED:
            return message.status
        message.status = Status.SENDING
        message.attempts += 1
        message.sending_since = timezone.now()
        message.save(update_fields=["status", "attempts", "sending_since"])
    return message


# Every SMS the hot path sends reads its row twice (whole, as the ORM gives it):
# compiled once per process (teams/prepared.py).
_ROW = PreparedInstances(
    OutboundMessage,
    lambda message_id: OutboundMessage.objects.filter(pk=message_id),
)
_LOCKED_ROW = PreparedInstances(
    OutboundMessage,
    lambda message_id: OutboundMessage.objects.select_for_update().filter(
        pk=message_id
    ),
)


def _locked(message_id: uuid.UUID) -> OutboundMessage:
    """The row again, locked (PostgreSQL) while the send's outcome is written."""
    found = _LOCKED_ROW.instances(message_id=message_id)
    if not found:
        raise OutboundMessage.DoesNotExist(message_id)
    return found[0]


def _claimed(message_id: str) -> OutboundMessage | str:
    """A message this worker queued already claimed; a rolled-back one is missing."""
    found = _ROW.instances(message_id=uuid.UUID(str(message_id)))
    if not found:
        return "missing"
    message = found[0]
    if message.status != Status.SENDING or message.sent_at is not None:
        return message.status
    return message


def gateway_for(message: OutboundMessage) -> SmsGateway:
    """Zalo messages leave through the OA; SMS through the configured SMS gateway."""
    if message.transport == OutboundMessage.Transport.ZALO:
        return zalo.ZaloGateway(message)
    return get_gateway()


def send_held(message_ids: list[str]) -> list[str]:
    """Send, in this worker, the SMS a task queued inside `outbox.sent_here()`.

    One that fails unexpectedly does not stop the others; its row is left for the
    sweeps (still queued: `sweep_outbox`; claimed: `reclaim_stuck_sending`)."""
    statuses = []
    for message_id in message_ids:
        try:
            statuses.append(send_outbound(message_id=message_id, claimed=True))
        except Exception:  # noqa: BLE001 - the row is the truth; a sweep retries it
            logger.exception("SMS %s could not be sent by its task", message_id)
            statuses.append("error")
    return statuses


def _replay_early_reports(provider_id: str) -> None:
    """Status callbacks that beat the send call back (we did not know the id yet)."""
    early = InboundMessage.objects.filter(
        provider=InboundMessage.Provider.TWILIO_STATUS,
        provider_id__startswith=f"{provider_id}:",
    )
    for report in early:
        apply_provider_status(
            provider_id=provider_id,
            status=report.payload.get("MessageStatus", ""),
            error=report.payload.get("ErrorCode", ""),
        )


def _record_failure(message: OutboundMessage, backend: str, exc: GatewayError) -> str:
    final = not exc.transient or message.attempts >= max_attempts()
    message.status = Status.FAILED if final else Status.QUEUED
    message.last_error = str(exc)[:300]
    message.failed_at = timezone.now() if final else None
    message.backend = backend
    if final and message.purpose == Purpose.LOGIN_CODE:
        message.body = login_codes.blank_code(message.body)
    message.save(update_fields=["status", "last_error", "failed_at", "backend", "body"])
    logger.warning(
        "SMS %s to %s attempt %s failed (%s): %s",
        message.pk,
        redact_phone(message.to_number),
        message.attempts,
        "final" if final else "will retry",
        exc,
    )
    if final:
        announce_failure(message)
    else:
        _schedule_retry(message)
    return message.status


def _give_up_dead_code(message: OutboundMessage) -> str:
    """A login code that expired or was replaced while its SMS waited for a retry: it
    could sign nobody in, so it is not sent (the volunteer asks for a new one)."""
    message.status = Status.FAILED
    message.failed_at = timezone.now()
    message.last_error = "login code expired or replaced before it could be sent"
    message.body = login_codes.blank_code(message.body)
    message.save(update_fields=["status", "failed_at", "last_error", "body"])
    return message.status


def announce_failure(message: OutboundMessage) -> None:
    """Tell the commune's live board, after commit, that an SMS about a request failed."""
    request = message.request
    if request is None:
        return
    transaction.on_commit(
        lambda: broadcast.sms_failed(
            commune_id=request.commune_id,
            request_id=request.pk,
            code=request.code,
            purpose=message.purpose,
        )
    )


def _schedule_retry(message: OutboundMessage) -> None:

    schedule_retry(
        Job.SEND_OUTBOUND,
        str(message.pk),
        name=f"sms-retry-{message.pk}-{message.attempts}",
        at=timezone.now() + timedelta(seconds=backoff_seconds(message.attempts)),
    )


def reclaim_stuck_sending(*, now: Any = None) -> int:
    """Put back in the queue the SMS a dead worker left "sending"; returns how many.

    A row is stuck when a worker claimed it (`sending_since`) more than
    SMS_SENDING_LEASE_SECONDS ago — longer than a task may run — and it was never
    handed to the provider (no `provider_id`). It is queued and sent again; SMSGate
    refuses a second message with our id (409), so a send the dead worker did make is
    not repeated. After SMS_MAX_ATTEMPTS claims it fails, and the board is told as for
    any final failure. Safe to run twice (rows are locked and re-checked).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.SMS_SENDING_LEASE_SECONDS)
    stuck = OutboundMessage.objects.filter(
        status=Status.SENDING, provider_id="", sending_since__lt=cutoff
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(stuck[:200]):
        with transaction.atomic():
            message = (
                OutboundMessage.objects.select_for_update()
                .filter(pk=pk, status=Status.SENDING, provider_id="")
                .first()
            )
            if message is None:
                continue
            count += 1
            error = GatewayError("worker stopped while sending", transient=True)
            _record_failure(message, message.backend or "unknown", error)
    return count


def sweep_outbox(*, now: Any = None) -> int:
    """Queue again the SMS whose first send task never ran; returns how many.

    The row is the truth and the task only a wake-up call: one queued on the hot queue
    is lost when Redis restarts or a hot worker is killed before taking it. A message
    still "queued" without a single try HOT_SWEEP_AFTER_SECONDS after it was stored is
    queued again (later tries have their own stored schedule, see `_schedule_retry`).
    Sending locks and re-checks the row, so a message queued twice is sent once.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.HOT_SWEEP_AFTER_SECONDS)
    waiting = list(
        OutboundMessage.objects.filter(
            status=Status.QUEUED, attempts=0, created_at__lt=cutoff
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in waiting:
        enqueue(Job.SEND_OUTBOUND, str(pk))
    if waiting:
        logger.warning("outbox sweep: %s SMS queued again", len(waiting))
    return len(waiting)


def _advance(message: OutboundMessage, status: str) -> bool:
    """Move `message` forward to `status` (never back); True when it changed."""
    if STATUS_RANK.get(status, -1) <= STATUS_RANK.get(message.status, -1):
        return False
    now = timezone.now()
    message.status = status
    if status == Status.DELIVERED:
        message.delivered_at = message.delivered_at or now
    elif status == Status.FAILED:
        message.failed_at = message.failed_at or now
    elif status == Status.SENT:
        message.sent_at = message.sent_at or now
    return True


def apply_provider_status(
    *, provider_id: str, status: str, error: str = "", message_id: str = ""
) -> OutboundMessage | None:
    """Record a provider's status report for one of our messages, idempotently.

    Finds the message by our id (SMSGate echoes it) or the provider's id (Twilio's
    MessageSid); unknown ids are ignored. Locks the row; moves the status only forward.
    """
    ours = PROVIDER_STATUS.get((status or "").strip().lower())
    if ours is None:
        return None
    with transaction.atomic():
        query = OutboundMessage.objects.select_for_update()
        message = None
        if message_id and (pk := _as_uuid(message_id)) is not None:
            message = query.filter(pk=pk).first()
        if message is None and provider_id:
            message = query.filter(provider_id=provider_id).first()
        if message is None:
            return None
        if _advance(message, ours):
            if ours == Status.FAILED and error:
                message.last_error = error[:300]
            message.save()
            if ours == Status.FAILED:
                announce_failure(message)
    return message


def _as_uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None


def requeue(*, message: OutboundMessage) -> bool:
    """Staff send a failed message again (a new series of tries); True if requeued."""

    with transaction.atomic():
        # A failed login code is dead and blanked: the volunteer asks for a new one.
        updated = (
            OutboundMessage.objects.filter(pk=message.pk, status=Status.FAILED)
            .exclude(purpose=Purpose.LOGIN_CODE)
            .update(status=Status.QUEUED, attempts=0, failed_at=None)
        )
        if updated:
            enqueue_on_commit(Job.SEND_OUTBOUND, str(message.pk))
    return bool(updated)
