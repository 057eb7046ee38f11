"""Actions a volunteer's phone queued while offline run once, however often they arrive.

The phone gives each tap an id (`action_id`) and re-sends queued taps on reconnect; a
repeat gets the stored answer, so a lost acknowledgement never accepts, declines or
reports twice.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction

from dispatch.models import VolunteerAction

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def valid_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def answer_for(*, volunteer_id: int, action_id: str) -> dict[str, Any] | None:
    """The answer already given to this volunteer's action, if it ran before."""
    found = VolunteerAction.objects.filter(
        volunteer_id=volunteer_id, action_id=action_id
    ).first()
    return found.answer if found is not None else None


def remember(
    *, volunteer_id: int, action_id: str, action: str, answer: dict[str, Any]
) -> dict[str, Any]:
    """Store the answer; if a twin got there first, its answer wins (and is returned)."""
    try:
        with transaction.atomic():
            VolunteerAction.objects.create(
                volunteer_id=volunteer_id,
                action_id=action_id,
                action=action,
                answer=answer,
            )
    except IntegrityError:
        return answer_for(volunteer_id=volunteer_id, action_id=action_id) or answer
    return answer
