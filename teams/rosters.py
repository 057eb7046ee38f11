"""Duty rosters: weekly slots put their members on duty and take them off again.

`apply_rosters` runs every minute (a dispatch task). At a slot's start its members go on
duty (unless away with "NGHI <days>" or inactive); at its end they go off duty unless
another slot of theirs is running. Members may still switch themselves off during a
slot, or on outside one: the roster only acts at the two edges. Each edge is applied
once per slot and day (`DutySlot.started_on` / `ended_on`, conditional updates), so a
repeated or overlapping run changes nothing.

Times are the commune's wall clock (`Commune.time_zone`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from teams.models import Commune, DutySlot, Volunteer
from teams.services import set_on_duty


@dataclass
class RosterChanges:
    started: list[int] = field(default_factory=list)  # volunteer ids put on duty
    ended: list[tuple[int, DutySlot]] = field(default_factory=list)  # put off duty


def local_now(commune: Commune, now: dt.datetime) -> dt.datetime:
    return now.astimezone(ZoneInfo(commune.time_zone or "Asia/Ho_Chi_Minh"))


def in_quiet_hours(commune: Commune, *, at: dt.datetime | None = None) -> bool:
    """Whether `at` falls in the commune's quiet hours (which may span midnight)."""
    start, end = commune.quiet_from, commune.quiet_until
    if start is None or end is None or start == end:
        return False
    clock = local_now(commune, at or timezone.now()).time()
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def _running(slot: DutySlot, local: dt.datetime) -> bool:
    return slot.weekday == local.weekday() and slot.starts <= local.time() < slot.ends


def apply_rosters(*, now: dt.datetime | None = None) -> RosterChanges:
    """Start and end today's slots whose edge has passed; returns who changed.

    Side effects: duty flips through `set_on_duty` (logged and pushed by dispatch).
    """
    now = now or timezone.now()
    changes = RosterChanges()
    slots = DutySlot.objects.filter(team__active=True).select_related("team__commune")
    for slot in slots:
        local = local_now(slot.team.commune, now)
        today = local.date()
        if slot.weekday != today.weekday():
            continue
        if _running(slot, local) and slot.started_on != today:
            changes.started += _start(slot, today=today, now=now)
        elif local.time() >= slot.ends and slot.ended_on != today:
            changes.ended += [
                (pk, slot) for pk in _end(slot, today=today, local=local, now=now)
            ]
    return changes


def _start(slot: DutySlot, *, today: dt.date, now: dt.datetime) -> list[int]:
    with transaction.atomic():
        won = (
            DutySlot.objects.filter(pk=slot.pk)
            .exclude(started_on=today)
            .update(started_on=today)
        )
        if not won:
            return []
        members = slot.members.filter(active=True).exclude(away_until__gt=now)
        return set_on_duty(volunteers=members, on_duty=True)


def _end(
    slot: DutySlot, *, today: dt.date, local: dt.datetime, now: dt.datetime
) -> list[int]:
    with transaction.atomic():
        won = (
            DutySlot.objects.filter(pk=slot.pk)
            .exclude(ended_on=today)
            .update(ended_on=today)
        )
        # A slot added after its end today never started: nothing to end.
        if not won or slot.started_on != today:
            return []
        still_on = [
            other.pk
            for other in DutySlot.objects.filter(
                members__in=slot.members.all(), weekday=today.weekday()
            ).exclude(pk=slot.pk)
            if _running(other, local)
        ]
        members = slot.members.filter(on_duty=True).exclude(Q(slots__pk__in=still_on))
        return set_on_duty(volunteers=members.distinct(), on_duty=False)


def roster_gaps(
    *, team_ids: list[int], start: dt.date, days: int = 7
) -> list[tuple[dt.date, int]]:
    """(day, hour) pairs in the next `days` when none of these teams has a slot member.

    Hours 07–21 only: the hours residents ask for help. For a leader's week ahead.
    """
    slots = list(
        DutySlot.objects.filter(team_id__in=team_ids).prefetch_related("members")
    )
    gaps = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        for hour in range(7, 21):
            covered = any(
                s.weekday == day.weekday()
                and s.starts <= dt.time(hour) < s.ends
                and any(v.active for v in s.members.all())
                for s in slots
            )
            if not covered:
                gaps.append((day, hour))
    return gaps


def add_slot(
    *,
    team_id: int,
    weekday: int,
    starts: dt.time,
    ends: dt.time,
    member_ids: list[int],
) -> DutySlot:
    """A leader adds a weekly slot with members of their own team (others are ignored)."""
    with transaction.atomic():
        slot = DutySlot.objects.create(
            team_id=team_id, weekday=weekday, starts=starts, ends=ends
        )
        slot.members.set(
            Volunteer.objects.filter(team_id=team_id, pk__in=member_ids, active=True)
        )
    return slot


def remove_slot(*, team_id: int, slot_id: int) -> bool:
    """Delete one of the team's slots; False if it is not the team's."""
    deleted, _rows = DutySlot.objects.filter(team_id=team_id, pk=slot_id).delete()
    return bool(deleted)
