"""Actions a volunteer's phone queued while offline run once, however often they arrive.

The phone gives each tap an id (`action_id`) and re-sends queued taps on reconnect; a
repeat gets the stored answer, so a lost acknowledgement never accepts, declines or
reports twice.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

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


def _without_personal_data(answer: dict[str, Any]) -> dict[str, Any]:
    """What is kept of an answer: an accepted assignment by its id and code only.

    The full card (the resident's name, phone, place) must not outlive the request in a
    side table that erasure and retention do not read; a repeated tap gets the short
    answer, and the card comes with the screen's next snapshot.
    """
    card = answer.get("assignment")
    if not isinstance(card, dict):
        return answer
    return {
        **answer,
        "assignment": {"request_id": card.get("request_id"), "code": card.get("code")},
    }


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
                answer=_without_personal_data(answer),
            )
    except IntegrityError:
        return answer_for(volunteer_id=volunteer_id, action_id=action_id) or answer
    return answer


def forget_older_than(*, days: int = 7) -> int:
    """Queued taps are re-sent within minutes; their answers are not kept for long."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = VolunteerAction.objects.filter(at__lt=cutoff).delete()
    return deleted
