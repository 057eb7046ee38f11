"""SMS commands from registered volunteers' phones: NHAN, TU CHOI, XONG, and XM.

They call exactly the services the volunteer app calls; without a code they act on the
volunteer's latest open offer or assignment. Domain errors become a short SMS at the
caller (`intake._handle_sms`).
"""

from __future__ import annotations

from dispatch.help_requests.lifecycle import (
    accept_offer,
    decline_offer,
    resolve_request,
)
from dispatch.help_requests.selectors import (
    latest_assignment_for_volunteer,
    latest_open_offer_for_volunteer,
    request_by_code,
)
from dispatch.intake.parsing import Kind, ParsedSms
from dispatch.models import Offer, Outcome
from dispatch.sms import replies as sms_replies
from teams.models import Volunteer
from teams.phones import national_format
from training.selectors import certificate_status


def handle(parsed: ParsedSms, *, volunteer: Volunteer) -> str:
    if parsed.kind == Kind.ACCEPT:
        return _accept(parsed, volunteer=volunteer)
    if parsed.kind == Kind.DECLINE:
        return _decline(parsed, volunteer=volunteer)
    return _done(parsed, volunteer=volunteer)


def _offer(parsed: ParsedSms, *, volunteer: Volunteer) -> Offer | None:
    if not parsed.code:
        return latest_open_offer_for_volunteer(volunteer)
    request = request_by_code(parsed.code)
    if request is None:
        return None
    # The newest offer of that request, whatever its state: accept_offer decides
    # whether it is still open, expired or not for this team, and says so.
    return request.offers.order_by("-round").first()


def _accept(parsed: ParsedSms, *, volunteer: Volunteer) -> str:
    offer = _offer(parsed, volunteer=volunteer)
    if offer is None:
        return sms_replies.no_offer()
    request = accept_offer(offer=offer, volunteer=volunteer)
    return sms_replies.volunteer_accepted(
        code=request.code,
        phone=national_format(request.resident_phone) if request.resident_phone else "",
        village=request.village.name if request.village else "",
    )


def _decline(parsed: ParsedSms, *, volunteer: Volunteer) -> str:
    offer = _offer(parsed, volunteer=volunteer)
    if offer is None:
        return sms_replies.no_offer()
    decline_offer(offer=offer, volunteer=volunteer, reason=parsed.reason)
    return sms_replies.volunteer_declined(code=offer.request.code)


def _done(parsed: ParsedSms, *, volunteer: Volunteer) -> str:
    if parsed.code:
        request = request_by_code(parsed.code)
    else:
        request = latest_assignment_for_volunteer(volunteer)
    if request is None:
        return sms_replies.no_assignment()
    request = resolve_request(
        request=request,
        outcome=Outcome.SOLVED_REMOTE,
        volunteer=volunteer,
        note=parsed.reason,
    )
    return sms_replies.volunteer_done(code=request.code)


def certificate_reply(code: str) -> str:
    """XM <code>: whether a volunteer's certificate is valid, from training's selector."""
    if not code:
        return sms_replies.certificate_unavailable(code=code)
    found = certificate_status(code)
    if found is None:
        return sms_replies.certificate_unknown(code=code)
    return sms_replies.certificate(
        code=found.code,
        state=found.status_label,
        holder=found.holder_initials,
        topic=found.topic,
        expires=found.expires_at,
    )
