"""Outbound SMS: persisted first, sent later by a background task, never twice.

Inside `sent_here()` (a task that queues SMS as part of its work: the reply to an
inbound SMS, the offer texts to offline volunteers) no task is queued per SMS: the task
sends them itself once its transaction has committed (`dispatch.sms.delivery.send_held`).
The row is stored either way, so one the task could not send is found by the outbox
sweep.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction

from dispatch.background import Job, enqueue_on_commit
from dispatch.models import HelpRequest, OutboundMessage
from dispatch.sms.text import sms_body, sms_size
from teams.models import Commune, Volunteer

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
            )
    except IntegrityError:
        # Another process queued the same dedupe_key between our check and insert.
        return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    held = _held.get()
    if held is None:
        enqueue_on_commit(Job.SEND_OUTBOUND, str(message.pk))
    else:
        # Sent after the task's transaction ended; a rolled-back one is "missing" then.
        held.append(str(message.pk))
    return message
