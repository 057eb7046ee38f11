"""Delivering outbound SMS through the configured gateway, with retries."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from dispatch.gateways.base import GatewayError, get_gateway
from dispatch.models import OutboundMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def send_outbound(*, message_id: str) -> str:
    """Send one message if it is still queued; returns its status afterwards.

    Locks the row while claiming it so two workers never send the same SMS.
    """
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        )
        if message is None:
            return "missing"
        if message.status != OutboundMessage.Status.QUEUED:
            return message.status
        message.status = OutboundMessage.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    gateway = get_gateway()
    try:
        result = gateway.send(
            message_id=str(message.pk), to=message.to_number, body=message.body
        )
    except GatewayError as exc:
        final = not exc.transient or message.attempts >= MAX_ATTEMPTS
        message.status = (
            OutboundMessage.Status.FAILED if final else OutboundMessage.Status.QUEUED
        )
        message.last_error = str(exc)[:300]
        message.failed_at = timezone.now() if final else None
        message.backend = gateway.name
        message.save(update_fields=["status", "last_error", "failed_at", "backend"])
        logger.warning(
            "SMS %s attempt %s failed: %s", message.pk, message.attempts, exc
        )
        return message.status
    message.backend = gateway.name
    message.provider_id = result.provider_id
    message.status = result.status
    message.sent_at = timezone.now()
    if result.status == OutboundMessage.Status.DELIVERED:
        message.delivered_at = message.sent_at
    message.save(
        update_fields=["backend", "provider_id", "status", "sent_at", "delivered_at"]
    )
    return message.status
