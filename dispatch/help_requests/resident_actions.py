"""What a resident does to their own request from the tracking page, SMS or the phone:
cancel it (proving it is theirs), and say the help is not finished (reopen).

Each service is one transaction and one event, pushed after commit.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dispatch.errors import InvalidTransition, WrongProof
from dispatch.help_requests import events
from dispatch.help_requests.lifecycle import cancel_request
from dispatch.help_requests.offers import lock_request
from dispatch.models import ActorKind, EventKind, HelpRequest, Status

PROOF_DIGITS = 4


def phone_ends_with(*, request: HelpRequest, digits: str) -> bool:
    """True when `digits` are the last 4 digits of the phone that asked."""
    digits = "".join(d for d in digits or "" if d.isdigit())
    phone = "".join(d for d in request.resident_phone if d.isdigit())
    return (
        len(digits) == PROOF_DIGITS
        and len(phone) >= PROOF_DIGITS
        and (phone.endswith(digits))
    )


def cancel_by_resident(*, request: HelpRequest, last_digits: str) -> HelpRequest:
    """Cancel an open request for the resident who proves the phone is theirs.

    Raises WrongProof (nothing changes) or InvalidTransition (no longer open).
    """
    if not phone_ends_with(request=request, digits=last_digits):
        raise WrongProof()
    return cancel_request(
        request=request, actor_kind=ActorKind.RESIDENT, reason="resident_tracking_page"
    )


def reopen_request(
    *, request: HelpRequest, actor_kind: str = ActorKind.RESIDENT, via: str = "web"
) -> HelpRequest:
    """ "Not done yet": a resolved request goes back to the volunteer who helped.

    It becomes `accepted` again with no outcome, so it is open on their screen and the
    board, its due time unchanged (late stays late); without an assignee it is
    escalated to the commune specialists' queue for the secretary to hand out. Locks
    the request; one `reopened` event.
    """
    with transaction.atomic():
        request = lock_request(request)
        if request.status != Status.RESOLVED:
            raise InvalidTransition()
        request.status = (
            Status.ACCEPTED if request.assigned_volunteer_id else Status.ESCALATED
        )
        request.outcome = ""
        request.resolved_at = None
        request.on_time = None
        request.followup_flagged = False
        if request.status == Status.ESCALATED:
            request.escalated_at = timezone.now()
        request.save()
        events.record(
            request=request,
            kind=EventKind.REOPENED,
            actor_kind=actor_kind,
            team=request.current_team,
            data={"via": via},
        )
    return request
