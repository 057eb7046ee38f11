"""No inbound SMS is dropped in silence: failed processing is retried, then shown.

`process_inbound` (the task) runs the SMS handling through `run_inbound`: an error is
written on the row (`last_error`) instead of vanishing in the worker's log. A sweep
every minute (`retry_unprocessed`) queues again every SMS row that is still not
processed a minute after it arrived, waiting twice as long after each try; after
INBOUND_MAX_ATTEMPTS tries the row is marked "không xử lý được" (`gave_up_at`), the
commune's live board is told, and the admin lists it with its error until a secretary
asks for another try (`retry_by_hand`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.background import Job, enqueue_on_commit
from dispatch.intake.store import MESSAGE_PROVIDERS, commune_for_number
from dispatch.masking.text import mask_sensitive
from dispatch.models import InboundMessage
from dispatch.push import broadcast

logger = logging.getLogger(__name__)

FIRST_WAIT = timedelta(minutes=1)


def run_inbound(*, inbound_id: int, process: Callable[..., str]) -> str:
    """Process one inbound row; an error is recorded on it (and retried by the sweep)."""
    try:
        return process(inbound_id=inbound_id)
    except Exception as exc:  # noqa: BLE001 - every failure must leave a trace on the row
        error = mask_sensitive(f"{type(exc).__name__}: {exc}")[:300]
        InboundMessage.objects.filter(pk=inbound_id).update(last_error=error)
        logger.exception("inbound %s could not be processed", inbound_id)
        return "failed"


def _due(now: Any) -> Q:
    """Rows whose next try is due: a minute after arrival, then doubling waits."""
    due = Q(last_tried_at__isnull=True, received_at__lt=now - FIRST_WAIT)
    for attempts in range(1, settings.INBOUND_MAX_ATTEMPTS + 1):
        wait = FIRST_WAIT * 2 ** (attempts - 1)
        due |= Q(attempts=attempts, last_tried_at__lt=now - wait)
    return due


def retry_unprocessed(*, now: Any = None) -> dict[str, int]:
    """Queue again the SMS rows left unprocessed; give up on those out of tries."""
    now = now or timezone.now()
    waiting = InboundMessage.objects.filter(
        provider__in=MESSAGE_PROVIDERS,
        processed_at__isnull=True,
        gave_up_at__isnull=True,
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
    commune = commune_for_number(row.to_number)
    if commune is None:
        return
    text = _(
        "Một tin nhắn đến lúc %(at)s không xử lý được. Thư ký xem và thử lại trong "
        "trang quản trị (Tin nhắn đến)."
    ) % {"at": timezone.localtime(row.received_at).strftime("%H:%M %d/%m")}
    commune_id = commune.pk
    transaction.on_commit(
        lambda: broadcast.board_notice(commune_id=commune_id, text=text)
    )
    logger.warning("inbound %s given up after %s tries", row.pk, row.attempts)


def retry_by_hand(*, rows: Any) -> int:
    """A secretary's "try again": the rows start over with a full set of tries."""
    count = 0
    for row in rows:
        if row.processed_at is not None or row.provider not in MESSAGE_PROVIDERS:
            continue
        with transaction.atomic():
            InboundMessage.objects.filter(pk=row.pk).update(
                gave_up_at=None, attempts=0, last_tried_at=None
            )
            enqueue_on_commit(Job.PROCESS_INBOUND, row.pk)
        count += 1
    return count
