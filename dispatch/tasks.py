"""django-q2 tasks: thin wrappers that take ids, refetch and call one service."""

from __future__ import annotations

from dispatch import broadcast, delivery, offer_sms, offers
from teams.models import Commune

NOTICE_MAX_LENGTH = 280


def send_outbound(message_id: str) -> str:
    """Send one queued SMS; safe to run twice (a sent message is not sent again)."""
    return delivery.send_outbound(message_id=message_id)


def process_inbound(inbound_id: int) -> str:
    """Understand one stored inbound SMS and reply; safe to run twice."""
    from dispatch import intake

    return intake.process_inbound(inbound_id=inbound_id)


def finish_call(inbound_id: int) -> str:
    """Keep what an unfinished call gathered as a request; safe to run twice."""
    from dispatch import intake

    request = intake.finish_call(inbound_id=inbound_id)
    return request.code if request else "nothing to keep"


def sweep_offers() -> int:
    """Expire overdue offers and move their requests on; safe to run twice at once."""
    return offers.sweep_offers()


def text_offer_to_offline(offer_id: int) -> int:
    """SMS an open offer to its team's on-duty volunteers who are not connected."""
    return offer_sms.text_offline_volunteers(offer_id=offer_id)


def tell_offer_taken(offer_id: int) -> int:
    """Tell the volunteers who were texted an offer that someone took it (once)."""
    return offer_sms.tell_texted_it_is_taken(offer_id=offer_id)


def push_board_notice(commune_id: int, text: str) -> None:
    """Show a notice ("Họp giao ban lúc 14:00") on the commune's live boards.

    A notice is a live push only, nothing is stored: a board that is closed misses it.
    An unknown commune fails loudly, so the task shows as failed in the admin.
    """
    commune = Commune.objects.get(pk=commune_id)
    text = " ".join(text.split())[:NOTICE_MAX_LENGTH]
    if text:
        broadcast.board_notice(commune_id=commune.pk, text=text)


def delete_recording(inbound_id: int, attempt: int = 1) -> str:
    """Delete one held voice recording at Twilio; safe to run twice (404 = gone)."""
    from dispatch import recordings

    return recordings.delete_at_provider(inbound_id=inbound_id, attempt=attempt)


def anonymise_expired() -> int:
    """Daily: anonymise requests closed longer ago than the retention period."""
    from dispatch import privacy

    return privacy.anonymise_expired()


def refresh_tallies() -> int:
    """Every minute: rewrite the day tallies of the days whose requests changed."""
    from dispatch import rollup

    return rollup.refresh_all()


def backup_database() -> str:
    """Nightly: one backup of the database, keeping the newest BACKUP_KEEP."""
    from dispatch.management import backups

    made = backups.backup_database()
    return str(made) if made else "nothing to back up"
