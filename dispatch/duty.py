"""The append-only duty log the dashboard reads ("hours of the week with nobody on duty")."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dispatch.models import DutyChange
from teams.models import Volunteer


def log_duty_change(
    *, volunteer: Volunteer, on_duty: bool, user: Any = None
) -> DutyChange:
    """Append one row; call it inside the transaction that changed the flag.

    Called by `dispatch.live.set_on_duty` (the on-duty toggle) only when the flag really
    changed. No lock of its own, no push.
    """
    return DutyChange.objects.create(
        volunteer_id=volunteer.pk,
        team_id=volunteer.team_id,
        on_duty=on_duty,
        at=timezone.now(),
        actor_user=user if getattr(user, "is_authenticated", False) else None,
    )
