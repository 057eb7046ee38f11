"""django-q2 tasks: thin wrappers that take ids, refetch and call one service.

Every function here is named by a `dispatch.background.Job`; code elsewhere enqueues by
`Job`, never by a dotted string. The periodic ones are declared in `SCHEDULES` below,
with the function objects themselves, and installed by `manage.py setup_schedules`.
The check at the bottom makes a `Job` without its function fail at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dispatch import background
from dispatch.background import TASKS_MODULE, Job
from dispatch.backups import database as backups
from dispatch.figures import refresh
from dispatch.help_requests import duty, followup, lifecycle, offer_notices, offers
from dispatch.intake import retries
from dispatch.live import queued_actions
from dispatch.privacy import recordings, retention
from dispatch.push import broadcast
from dispatch.scams import services as scam_services
from dispatch.sms import delivery, outbox, reminders
from teams.models import Commune

NOTICE_MAX_LENGTH = 280


def send_outbound(message_id: str) -> str:
    """Send one queued SMS; safe to run twice (a sent message is not sent again)."""
    return delivery.send_outbound(message_id=message_id)


def process_inbound(inbound_id: int) -> str:
    """Do one stored row's work (an SMS, a call step); safe to run twice. A failure
    is written on the row and retried by `retry_inbound` (never dropped in silence).
    A reply is sent here, after the commit, not by a task of its own."""
    with (
        outbox.sent_here() as replies,
        background.done_here(Job.TEXT_OFFER_TO_OFFLINE) as offers,
    ):
        result = retries.run_inbound(inbound_id=inbound_id)
    # The offer's texts to offline volunteers are queued here (their sending is a hot
    # task each), then the resident's reply is sent by this worker.
    background.run_held(offers, _queue_offer_texts)
    delivery.send_held(replies)
    return result


def _queue_offer_texts(job: Job, args: tuple[Any, ...]) -> None:
    offer_notices.text_offline_volunteers(offer_id=args[0])


def close_resolved() -> int:
    """Close requests resolved more than DISPATCH_AUTO_CLOSE_DAYS ago (daily)."""
    return lifecycle.close_resolved()


def retry_inbound() -> dict[str, int]:
    """Queue again inbound SMS and call steps left unprocessed; mark those out of
    tries (minutely)."""
    return retries.retry_unprocessed()


def reclaim_stuck_sms() -> int:
    """Queue again SMS a dead worker left "sending" past their lease (minutely)."""
    return delivery.reclaim_stuck_sending()


def sweep_outbox() -> int:
    """Queue again new SMS whose send task was lost (a Redis restart) (minutely)."""
    return delivery.sweep_outbox()


def finish_call(inbound_id: int) -> str:
    """Keep what an unfinished call gathered as a request; safe to run twice. A
    failure is written on the row and retried by `retry_inbound`."""
    return retries.run_inbound(inbound_id=inbound_id)


def apply_duty_rosters() -> int:
    """Roster slots start and end on time; heads-up SMS to those still holding work."""
    return duty.apply_rosters()


def sweep_offers() -> int:
    """Expire overdue offers and move their requests on; safe to run twice at once."""
    return offers.sweep_offers()


def text_offer_to_offline(offer_id: int) -> int:
    """SMS an open offer to its team's on-duty volunteers who are not connected:
    one task per offer, which sends every one of those SMS itself."""
    with outbox.sent_here() as texts:
        count = offer_notices.text_offline_volunteers(offer_id=offer_id)
    delivery.send_held(texts)
    return count


def tell_offer_taken(offer_id: int) -> int:
    """Tell the volunteers who were texted an offer that someone took it (once)."""
    with outbox.sent_here() as texts:
        count = offer_notices.tell_texted_it_is_taken(offer_id=offer_id)
    delivery.send_held(texts)
    return count


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
    return recordings.delete_at_provider(inbound_id=inbound_id, attempt=attempt)


def send_workshop_reminders() -> int:
    """Hourly: the day-before SMS for tomorrow's workshops (daytime hours only)."""
    return reminders.send_workshop_reminders()


def send_expiry_reminders() -> int:
    """Hourly: one SMS per certificate expiring within 30 days (daytime hours only)."""
    return reminders.send_expiry_reminders()


def anonymise_expired() -> int:
    """Daily: anonymise requests closed longer ago than the retention period, and
    forget the answers to volunteers' queued taps (kept a week to dedupe re-sends)."""
    queued_actions.forget_older_than(days=7)
    return retention.anonymise_expired()


def sweep_followups() -> int:
    """Hourly: ask residents "is it done?" after resolution, again, then flag or close."""
    return followup.sweep()


def refresh_tallies() -> int:
    """Every minute: rewrite the day tallies of the days whose requests changed."""
    return refresh.refresh_all()


def backup_database() -> str:
    """Nightly: one backup of the database, keeping the newest BACKUP_KEEP."""
    made = backups.backup_database()
    return str(made) if made else "nothing to back up"


def send_held_warnings() -> str:
    """Scam-warning SMS held back by quiet hours go out when the hours end."""
    return f"{scam_services.send_held_warnings()} warning SMS queued"


# --- Periodic work --------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """One periodic schedule: a stable row name, the task, its interval and offset."""

    name: str
    task: Callable[..., Any]
    minutes: int
    offset_seconds: int = 0
    # First run at this local hour (then every `minutes`): night work stays at night.
    at_hour: int | None = None

    @property
    def func(self) -> str:
        return f"{self.task.__module__}.{self.task.__qualname__}"


# django-q2's finest interval is one minute (seconds need croniter, which we do not
# ship), so the 30-second offer sweep is two one-minute schedules half a minute apart.
# The sweep is idempotent, so an overlap or a missed beat changes nothing.
SCHEDULES: tuple[Declared, ...] = (
    Declared("dispatch.sweep_offers.a", sweep_offers, 1, 0),
    Declared("dispatch.sweep_offers.b", sweep_offers, 1, 30),
    # Duty rosters: slots start and end within a minute of their time.
    Declared("dispatch.apply_duty_rosters", apply_duty_rosters, 1, 5),
    # Hourly, because the reminders themselves keep to daytime hours (07:00–21:00).
    Declared("dispatch.training.workshop_reminders", send_workshop_reminders, 60),
    Declared("dispatch.training.expiry_reminders", send_expiry_reminders, 60),
    # The dashboard's day tallies (figures stay current without it, only slower).
    Declared("dispatch.refresh_tallies", refresh_tallies, 1, 15),
    # Closing the loop after resolution (DISPATCH_FOLLOWUP_DAYS), daytime hours only.
    Declared("dispatch.sweep_followups", sweep_followups, 60, 45),
    # Nothing lost in silence: failed inbound SMS retried, stuck outbound reclaimed.
    Declared("dispatch.retry_inbound", retry_inbound, 1, 20),
    Declared("dispatch.reclaim_stuck_sms", reclaim_stuck_sms, 1, 40),
    # The hot queue is a wake-up call only: rows whose call was lost are found here.
    Declared("dispatch.sweep_outbox", sweep_outbox, 1, 50),
    # Personal data retention (PRIVACY_RETENTION_DAYS), once a day.
    Declared("dispatch.anonymise_expired", anonymise_expired, 1440),
    # Resolved requests close after DISPATCH_AUTO_CLOSE_DAYS, so retention reaches them.
    Declared("dispatch.close_resolved", close_resolved, 1440, 600),
    # Nightly backup at 02:00 (BACKUP_DIR, BACKUP_KEEP, BACKUP_COPY_DIR; README).
    Declared("dispatch.backup_database", backup_database, 1440, at_hour=2),
    # Scam warnings held by a commune's quiet hours leave within minutes of their end.
    Declared("dispatch.send_held_warnings", send_held_warnings, 5, 50),
)


def _check_jobs() -> None:
    """Every Job names a function of this module (fails at import, not in a worker)."""
    assert __name__ == TASKS_MODULE, __name__
    missing = [job.value for job in Job if not callable(globals().get(job.value))]
    if missing:
        raise ImportError(f"dispatch.background.Job without a task: {missing}")


_check_jobs()
