"""django-q2 tasks: thin wrappers that take ids, refetch and call one service."""

from __future__ import annotations

from dispatch import delivery


def send_outbound(message_id: str) -> str:
    """Send one queued SMS; safe to run twice (a sent message is not sent again)."""
    return delivery.send_outbound(message_id=message_id)


def process_inbound(inbound_id: int) -> str:
    """Understand one stored inbound SMS and reply; safe to run twice."""
    from dispatch import intake

    return intake.process_inbound(inbound_id=inbound_id)
