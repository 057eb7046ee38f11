"""The append-only duty log the dashboard reads, and the live pushes of duty changes.

Duty flags are the registry's (`teams.services.set_on_duty`, `save_volunteer`); the
registry announces each change with `teams.signals.duty_changed` and this module,
connected in `DispatchConfig.ready`, logs it and tells the live screens.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dispatch.help_requests.selectors import ASSIGNED_STATUSES
from dispatch.models import DutyChange, HelpRequest, OutboundMessage
from dispatch.push import broadcast
from dispatch.sms.outbox import queue_sms
from teams import rosters
from teams import selectors as team_selectors
from teams.models import Volunteer
from teams.signals import DutyFlip


def record_duty_changes(
    sender: Any,
    *,
    flips: list[DutyFlip],
    team_ids: frozenset[int],
    user: Any = None,
    **kwargs: Any,
) -> None:
    """Receiver of `duty_changed`: one DutyChange row per real flip, pushes after commit.

    Runs inside the registry's transaction, so the log and the flag commit together.
    """
    at = timezone.now()
    actor = user if getattr(user, "is_authenticated", False) else None
    DutyChange.objects.bulk_create(
        DutyChange(
            volunteer_id=flip.volunteer_id,
            team_id=flip.team_id,
            on_duty=flip.on_duty,
            at=at,
            actor_user=actor,
        )
        for flip in flips
    )
    flips = list(flips)
    transaction.on_commit(lambda: push_duty_changes(flips=flips, team_ids=team_ids))


def push_duty_changes(*, flips: Iterable[DutyFlip], team_ids: Iterable[int]) -> None:
    """Each volunteer's tabs and phones show their new flag; each commune's board and
    dashboard map show the teams' counts, read now that the change is committed."""
    for flip in flips:
        broadcast.duty_changed(volunteer_id=flip.volunteer_id, on_duty=flip.on_duty)
    for count in team_selectors.duty_counts(team_ids=team_ids):
        broadcast.team_duty(
            commune_id=count.commune_id,
            team_id=count.team_id,
            on_duty=count.on_duty,
            members=count.members,
        )


def apply_rosters(*, now: datetime | None = None) -> int:
    """Apply the teams' duty rosters now; a heads-up SMS to whoever's slot ended while
    they still hold an open assignment. Returns how many duty flags changed.

    Safe to run twice: the roster applies each slot edge once a day and the heads-up
    has a dedupe key per volunteer, slot and day.
    """
    changes = rosters.apply_rosters(now=now)
    for volunteer_id, slot in changes.ended:
        held = list(
            HelpRequest.objects.filter(
                assigned_volunteer_id=volunteer_id, status__in=ASSIGNED_STATUSES
            ).order_by("-accepted_at")
        )
        volunteer = Volunteer.objects.filter(pk=volunteer_id).first()
        if not held or volunteer is None or not volunteer.phone:
            continue
        queue_sms(
            to=volunteer.phone,
            text=gettext(
                "Cầu Nối: ca trực của bạn hết lúc %(end)s, bạn đã nghỉ trực. Bạn vẫn"
                " giữ việc %(codes)s: xong nhắn XONG <mã> <số>, cần người khác thì"
                " báo tổ trưởng."
            )
            % {
                "end": slot.ends.strftime("%H:%M"),
                "codes": ", ".join(r.code for r in held[:3]),
            },
            purpose=OutboundMessage.Purpose.OTHER,
            volunteer=volunteer,
            dedupe_key=f"shift-end:{volunteer_id}:{slot.pk}:{slot.ended_on}",
        )
    return len(changes.started) + len(changes.ended)
