"""What a resident does to their own request from the tracking page, SMS or the phone:
cancel it (proving it is theirs). Saying the help is not finished is
`lifecycle.reopen_request` (one rule for the resident and the office).

Each service is one transaction and one event, pushed after commit.
"""

from __future__ import annotations

from dispatch.errors import WrongProof
from dispatch.help_requests.lifecycle import cancel_request
from dispatch.models import ActorKind, HelpRequest

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
