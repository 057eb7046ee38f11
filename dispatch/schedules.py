"""Periodic work, declared in code and installed by `manage.py setup_schedules`.

django-q2's finest interval is one minute (seconds need croniter, which we do not
ship), so the 30-second offer sweep is two one-minute schedules half a minute apart.
The sweep is idempotent, so an overlap or a missed beat changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule


@dataclass(frozen=True)
class Declared:
    name: str
    func: str
    minutes: int
    offset_seconds: int = 0
    # First run at this local hour (then every `minutes`): night work stays at night.
    at_hour: int | None = None


SCHEDULES: tuple[Declared, ...] = (
    Declared("dispatch.sweep_offers.a", "dispatch.tasks.sweep_offers", 1, 0),
    Declared("dispatch.sweep_offers.b", "dispatch.tasks.sweep_offers", 1, 30),
    # Hourly, because the reminders themselves keep to daytime hours (07:00–21:00).
    Declared(
        "dispatch.training.workshop_reminders",
        "dispatch.reminders.send_workshop_reminders",
        60,
    ),
    Declared(
        "dispatch.training.expiry_reminders",
        "dispatch.reminders.send_expiry_reminders",
        60,
    ),
    # The dashboard's day tallies (figures stay current without it, only slower).
    Declared("dispatch.refresh_tallies", "dispatch.tasks.refresh_tallies", 1, 15),
    # Personal data retention (PRIVACY_RETENTION_DAYS), once a day.
    Declared("dispatch.anonymise_expired", "dispatch.tasks.anonymise_expired", 1440),
    # Nightly backup at 02:00 (BACKUP_DIR, BACKUP_KEEP, BACKUP_COPY_DIR; README).
    Declared(
        "dispatch.backup_database", "dispatch.tasks.backup_database", 1440, at_hour=2
    ),
)


def _first_run(item: Declared, now: datetime) -> datetime:
    if item.at_hour is None:
        return now + timedelta(seconds=item.offset_seconds)
    local = timezone.localtime(now)
    first = local.replace(hour=item.at_hour, minute=0, second=0, microsecond=0)
    return first if first > local else first + timedelta(days=1)


def install_schedules() -> tuple[int, int]:
    """Create or update every declared schedule; returns (created, updated).

    Running it again changes nothing but the settings of existing rows (their next
    run is kept), so it is safe in every deploy.
    """
    created = updated = 0
    now = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with transaction.atomic():
        for item in SCHEDULES:
            schedule, was_created = Schedule.objects.get_or_create(
                name=item.name,
                defaults={
                    "func": item.func,
                    "schedule_type": Schedule.MINUTES,
                    "minutes": item.minutes,
                    "repeats": -1,
                    "next_run": _first_run(item, now),
                },
            )
            if was_created:
                created += 1
                continue
            changed = (
                schedule.func != item.func
                or schedule.schedule_type != Schedule.MINUTES
                or schedule.minutes != item.minutes
                or schedule.repeats != -1
            )
            if changed:
                schedule.func = item.func
                schedule.schedule_type = Schedule.MINUTES
                schedule.minutes = item.minutes
                schedule.repeats = -1
                schedule.save()
                updated += 1
    return created, updated
