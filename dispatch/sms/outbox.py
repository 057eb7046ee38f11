"""Outbound SMS: persisted first, sent later by a background task, never twice."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from dispatch.background import Job, enqueue_on_commit
from dispatch.models import HelpRequest, OutboundMessage
from dispatch.sms.text import sms_body, sms_size
from teams.models import Commune, Volunteer


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
    Side effects: one OutboundMessage row; one django-q2 task after commit.
    """
    if commune is None and request is not None:
        commune = request.commune
    unaccented_mode = commune.sms_unaccented if commune is not None else True
    body = sms_body(text, unaccented_mode=unaccented_mode)
    size = sms_size(body)
    if dedupe_key:
        existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
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
    enqueue_on_commit(Job.SEND_OUTBOUND, str(message.pk))
    return message
