"""The operator's call-back list: residents who asked to be called back (the voice
line found nobody free) and what came of each call.

`record_callback` is the one write: one transaction, one `called_back` event (with
the outcome and the attempt), pushed after commit so every board sees it; "reached and
resolved" also resolves the request (its own `resolved` event, same transaction).
After CALLBACK_FLAG_AFTER failed tries (or a wrong number) the request is flagged
on the board (`HelpRequest.callback_failed`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dispatch.errors import InvalidTransition
from dispatch.help_requests import events
from dispatch.help_requests.lifecycle import resolve_request
from dispatch.help_requests.offers import lock_request
from dispatch.masking.text import mask_sensitive
from dispatch.models import (
    OPEN_STATUSES,
    CallbackOutcome,
    EventKind,
    HelpRequest,
    Outcome,
)
from teams.text import nfc

FAILED = (CallbackOutcome.NO_ANSWER, CallbackOutcome.WRONG_NUMBER)


def record_callback(
    *, request: HelpRequest, user: Any, outcome: str, note: str = ""
) -> HelpRequest:
    """Record one call back. "No answer" keeps it on the list (one more failed try);
    a wrong number counts as failed and takes it off; reached takes it off, and
    "reached and resolved" resolves the request remotely.

    Raises InvalidTransition when the request no longer waits for a call back.
    """
    if outcome not in CallbackOutcome.values:
        raise InvalidTransition()
    with transaction.atomic():
        request = lock_request(request)
        if (
            not request.callback_requested
            or request.callback_done_at is not None
            or request.status not in OPEN_STATUSES
        ):
            raise InvalidTransition()
        if outcome in FAILED:
            request.callback_attempts += 1
        if outcome != CallbackOutcome.NO_ANSWER:
            request.callback_done_at = timezone.now()
        request.callback_outcome = outcome
        request.save()
        events.record(
            request=request,
            kind=EventKind.CALLED_BACK,
            team=request.current_team,
            data={
                "outcome": outcome,
                "reason": str(CallbackOutcome(outcome).label),
                "failed_attempts": request.callback_attempts,
                "note": mask_sensitive(nfc(note))[:300],
            },
            **events.actor(user=user),
        )
        if outcome == CallbackOutcome.RESOLVED:
            request = resolve_request(
                request=request,
                outcome=Outcome.SOLVED_REMOTE,
                user=user,
                note=note,
            )
    return request
