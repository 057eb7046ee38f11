"""Going on and off duty, with an append-only log the dashboard reads."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dispatch.models import DutyChange
from teams.models import Volunteer


def set_on_duty(*, volunteer: Volunteer, on_duty: bool, user: Any = None) -> Volunteer:
    """Set `volunteer`'s on-duty flag and log the change (no row when nothing changes).

    Locks the volunteer row so two toggles at once log in the order they applied.
    Side effects: one DutyChange row. No push: the board reads counts on its next load.
    """
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.on_duty != on_duty:
            Volunteer.objects.filter(pk=locked.pk).update(
                on_duty=on_duty, updated_at=timezone.now()
            )
            DutyChange.objects.create(
                volunteer=locked,
                team_id=locked.team_id,
                on_duty=on_duty,
                at=timezone.now(),
                actor_user=user if getattr(user, "is_authenticated", False) else None,
            )
    volunteer.on_duty = on_duty
    return volunteer
