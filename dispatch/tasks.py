"""django-q2 tasks: thin wrappers that take ids, refetch and call one service."""

from __future__ import annotations

from dispatch import delivery, offers


def send_outbound(message_id: str) -> str:
    """Send one queued SMS; safe to run twice (a sent message is not sent again)."""
    return delivery.send_outbound(message_id=message_id)


def sweep_offers() -> int:
    """Expire overdue offers and move their requests on; safe to run twice at once."""
    return offers.sweep_offers()
