"""No inbound is dropped in silence: failed processing is retried, then shown.

Every stored row that carries work runs through `run_inbound` (the task
`process_inbound`): an SMS, and a call step that kept its work (`voice.STEP_KEY`: make
the request, a call back, link a recording) or the call-ended report. An error is
written on the row (`last_error`) instead of vanishing in the worker's log. A sweep
every minute (`retry_unprocessed`) queues again every such row still not processed
HOT_SWEEP_AFTER_SECONDS (60) after it arrived — its task may have been lost with a Redis
restart or a killed worker, or it failed — waiting twice as long after each try; after
INBOUND_MAX_ATTEMPTS tries the row is marked "không xử lý được" (`gave_up_at`): the
commune's live board is told at once and lists it after a reload, and the admin lists
it with its error, to the secretary of the commune whose hotline received it, until
she asks for another try (`retry_by_hand`).

A row whose hotline number no commune has (`commune` empty, two or more communes) is
not retried: it waits in the administrator's triage queue (`dispatch.intake.triage`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch import permissions
from dispatch.background import Job, enqueue_on_commit
from dispatch.intake import sms as sms_intake
from dispatch.intake import voice as voice_intake
from dispatch.intake import zalo as zalo_intake
from dispatch.intake.store import CALL_PROVIDERS, SMS_PROVIDERS
from dispatch.models import InboundMessage
from dispatch.push import broadcast

logger = logging.getLogger(__name__)


def first_wait() -> timedelta:
    """How long a new SMS may wait for its task before the sweep queues it again."""
    return timedelta(seconds=settings.HOT_SWEEP_AFTER_SECONDS)


def with_work() -> Q:
    """Stored rows that carry work: every SMS and Zalo event; of a call, the steps that kept theirs
    and the call-ended report (an unfinished call becomes a request)."""
    call_work = Q(payload__has_key=voice_intake.STEP_KEY) | Q(event="call-ended")
    return (
        Q(provider__in=SMS_PROVIDERS)
        | Q(provider=InboundMessage.Provider.ZALO)
        | (Q(provider__in=CALL_PROVIDERS) & call_work)
    )


def process_stored(*, inbound_id: int) -> str:
    """Do the work of one stored row, SMS or call step; safe to run twice."""
    # Two columns first: an SMS is read again, whole and locked, by its own handler.
    found = (
        InboundMessage.objects.filter(pk=inbound_id)
        .values_list("provider", "processed_at")
        .first()
    )
    if found is None or found[1] is not None:
        return "done"
    provider = found[0]
    if provider in SMS_PROVIDERS:
        return sms_intake.process_inbound(inbound_id=inbound_id)
    if provider == InboundMessage.Provider.ZALO:
        # Zalo events share the pick-up, retries and sweep; only understanding differs.
        return zalo_intake.process_event(inbound_id=inbound_id)
    row = InboundMessage.objects.filter(pk=inbound_id).first()
    if row is None:
        return "done"
    request = voice_intake.do_call_step(inbound=row)
    return request.code if request is not None else "done"


def run_inbound(
    *, inbound_id: int, process: Callable[..., str] = process_stored
) -> str:
    """Process one inbound row; an error is recorded on it (and retried by the sweep)."""
    try:
        return process(inbound_id=inbound_id)
    except Exception as exc:  # noqa: BLE001 - every failure must leave a trace on the row
        voice_intake.record_failure(inbound_id=inbound_id, exc=exc)
        return "failed"


def _due(now: Any) -> Q:
    """Rows whose next try is due: HOT_SWEEP_AFTER_SECONDS after arrival (a lost task
    only delays), then doubling waits."""
    due = Q(last_tried_at__isnull=True, received_at__lt=now - first_wait())
    for attempts in range(1, settings.INBOUND_MAX_ATTEMPTS + 1):
        wait = first_wait() * 2 ** (attempts - 1)
        due |= Q(attempts=attempts, last_tried_at__lt=now - wait)
    return due


def retry_unprocessed(*, now: Any = None) -> dict[str, int]:
    """Queue again the SMS rows left unprocessed; give up on those out of tries."""
    now = now or timezone.now()
    waiting = InboundMessage.objects.filter(
        with_work(),
        processed_at__isnull=True,
        gave_up_at__isnull=True,
        # A number no commune has: waiting for triage, not for another try.
        commune__isnull=False,
    )
    retried = gave_up = 0
    for pk in list(waiting.filter(_due(now)).values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            row = (
                InboundMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, processed_at__isnull=True, gave_up_at__isnull=True)
                .first()
            )
            if row is None:
                continue  # processed meanwhile, or being processed right now
            if row.attempts >= settings.INBOUND_MAX_ATTEMPTS:
                row.gave_up_at = now
                row.save(update_fields=["gave_up_at"])
                _tell_the_board(row)
                gave_up += 1
                continue
            row.attempts += 1
            row.last_tried_at = now
            row.save(update_fields=["attempts", "last_tried_at"])
            enqueue_on_commit(Job.PROCESS_INBOUND, row.pk)
            retried += 1
    return {"retried": retried, "gave_up": gave_up}


def _tell_the_board(row: InboundMessage) -> None:
    if row.commune_id is None:
        return
    if row.provider in CALL_PROVIDERS:
        text = _(
            "Một cuộc gọi đến lúc %(at)s không xử lý được. Thư ký xem và thử lại trong "
            "trang quản trị (Tin nhắn đến)."
        )
    else:
        text = _(
            "Một tin nhắn đến lúc %(at)s không xử lý được. Thư ký xem và thử lại trong "
            "trang quản trị (Tin nhắn đến)."
        )
    text %= {"at": timezone.localtime(row.received_at).strftime("%H:%M %d/%m")}
    commune_id = row.commune_id
    transaction.on_commit(
        lambda: broadcast.board_notice(commune_id=commune_id, text=text)
    )
    logger.warning("inbound %s given up after %s tries", row.pk, row.attempts)


def retry_by_hand(*, rows: Any) -> int:
    """A secretary's "try again": the rows start over with a full set of tries."""
    count = 0
    for row in rows:
        if row.processed_at is not None or not _has_work(row):
            continue
        with transaction.atomic():
            InboundMessage.objects.filter(pk=row.pk).update(
                gave_up_at=None, attempts=0, last_tried_at=None
            )
            enqueue_on_commit(Job.PROCESS_INBOUND, row.pk)
        count += 1
    return count


def given_up(*, commune_id: int) -> QuerySet[InboundMessage]:
    """The commune's rows marked "không xử lý được", newest first (the board lists
    them until they are processed)."""
    return (
        InboundMessage.objects.filter(
            permissions.inbound_messages_of(commune_id=commune_id),
            gave_up_at__isnull=False,
            processed_at__isnull=True,
        )
        .only("pk", "provider", "event", "received_at", "last_error", "gave_up_at")
        .order_by("-gave_up_at")
    )


def _has_work(row: InboundMessage) -> bool:
    return InboundMessage.objects.filter(with_work(), pk=row.pk).exists()
