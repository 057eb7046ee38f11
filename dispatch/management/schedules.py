"""Installing the periodic work declared in `dispatch.tasks.SCHEDULES`.

Rows are keyed by the declared name; their task path is built from the function object.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from dispatch.tasks import SCHEDULES, Declared


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
