"""Voice messages recorded by the hotline live at Twilio, not here: erasing them there.

Anonymising a request (retention) or erasing a phone (data-subject request) blanks what
we hold at once, but the audio stays at the provider until we ask Twilio to delete it
(Law 91/2025/QH15: erasure covers what processors hold for us). So each recording's row
is reduced to its RecordingSid and marked "recording:deleting"; after commit a task per
recording deletes it through Twilio's REST API, retried with the SMS backoff. Only once
Twilio confirmed (204, or 404: already gone) is the SID blanked too, and the request's
timeline says "voice recording deleted at the provider". Rows still marked deleting are
tried again by the daily retention run (Twilio unreachable for hours, not configured yet).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dispatch.background import Job, enqueue_on_commit, schedule_retry
from dispatch.help_requests import events
from dispatch.models import EventKind, InboundMessage
from dispatch.sms import delivery
from dispatch.sms.gateways.base import GatewayError
from dispatch.sms.gateways.twilio import delete_recording

logger = logging.getLogger(__name__)

RECORDING = "recording"  # a recording status callback (dispatch.webhooks.messaging)
DELETING = "recording:deleting"
DELETED = "recording:deleted"


def twilio_configured() -> bool:
    """Recordings exist only where the hotline runs on Twilio, whatever the SMS backend
    (in Vietnam SMS often leave through SMSGate while calls come in through Twilio)."""
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN)


def hold_for_deletion(messages: QuerySet[InboundMessage]) -> list[int]:
    """Reduce the recordings among `messages` to their SID, marked for deletion.

    A recording shows up in its status callback and in the call's last step (Twilio
    posts the SID to the `<Record>` action too): one row per SID is kept, preferring the
    callback; the caller blanks the others as usual, skipping `event=DELETING`.
    Call inside the anonymising transaction. Returns the ids of the rows held.
    """
    held: dict[str, int] = {}
    rows = messages.filter(payload__has_key="RecordingSid").exclude(event=DELETED)
    for pk, event, payload in rows.order_by("pk").values_list("pk", "event", "payload"):
        sid = str(payload.get("RecordingSid") or "")
        if sid and (sid not in held or event in (RECORDING, DELETING)):
            held[sid] = pk
    for sid, pk in held.items():
        InboundMessage.objects.filter(pk=pk).update(
            event=DELETING, from_number="", body="", payload={"RecordingSid": sid}
        )
    return list(held.values())


def unlinked_messages_of(*, phone: str) -> QuerySet[InboundMessage]:
    """`phone`'s call steps and recording callbacks that never joined a request (the
    callback carries no caller number: it is found by the call's SID)."""
    steps = InboundMessage.objects.filter(
        provider=InboundMessage.Provider.TWILIO_VOICE, from_number=phone
    ).values_list("payload", flat=True)
    calls = {step.get("CallSid") for step in steps} - {None, ""}
    return InboundMessage.objects.filter(request__isnull=True).filter(
        Q(from_number=phone) | Q(event=RECORDING, payload__CallSid__in=sorted(calls))
    )


def queue_deletions(ids: list[int] | None = None) -> int:
    """After commit, one deletion task per recording in `ids` (all still held if None).

    With Twilio not configured nothing is called and the SIDs stay held: one log line,
    and the daily retention run tries again once it is. Returns how many were queued.
    """
    pending = InboundMessage.objects.filter(event=DELETING)
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    pks = list(pending.values_list("pk", flat=True))
    if not pks:
        return 0
    if not twilio_configured():
        logger.warning(
            "%s voice recordings kept at the provider: Twilio is not configured",
            len(pks),
        )
        return 0
    for pk in pks:
        enqueue_on_commit(Job.DELETE_RECORDING, pk, 1)
    return len(pks)


def delete_at_provider(*, inbound_id: int, attempt: int = 1) -> str:
    """Delete one held recording at Twilio; returns "deleted", "retry", "failed" or
    "nothing to do". Safe to run twice: a recording already gone (404) is deleted.

    The provider call runs outside any lock; the row is locked only to record the
    outcome, so two runs at once both succeed and the timeline says it once.
    """
    row = InboundMessage.objects.filter(pk=inbound_id, event=DELETING).first()
    sid = str(row.payload.get("RecordingSid") or "") if row else ""
    if not sid or not twilio_configured():
        return "nothing to do"
    try:
        delete_recording(sid)
    except GatewayError as exc:
        return _record_failure(inbound_id, attempt, exc)
    with transaction.atomic():
        row = (
            InboundMessage.objects.select_for_update()
            .filter(pk=inbound_id, event=DELETING)
            .first()
        )
        if row is None:
            return "deleted"
        # The provider id held the SID too ("RE…:completed"); it must stay unique.
        row.event, row.payload = DELETED, {}
        row.provider_id = f"{DELETED}:{row.pk}"
        row.processed_at = timezone.now()
        row.save(update_fields=["event", "payload", "provider_id", "processed_at"])
        if row.request is not None:
            events.record(
                request=row.request,
                kind=EventKind.RECORDING_DELETED,
                data={"provider": "twilio"},
            )
    logger.info("voice recording of message %s deleted at Twilio", inbound_id)
    return "deleted"


def _record_failure(inbound_id: int, attempt: int, exc: GatewayError) -> str:
    final = not exc.transient or attempt >= delivery.max_attempts()
    logger.warning(
        "deleting voice recording of message %s at Twilio, attempt %s failed (%s): %s",
        inbound_id,
        attempt,
        "kept for the daily retry" if final else "will retry",
        exc,
    )
    if final:
        return "failed"

    schedule_retry(
        Job.DELETE_RECORDING,
        inbound_id,
        attempt + 1,
        name=f"recording-delete-{inbound_id}-{attempt}",
        at=timezone.now() + timedelta(seconds=delivery.backoff_seconds(attempt)),
    )
    return "retry"
