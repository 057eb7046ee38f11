"""Who may see and take an offer: the whole team, or only its certified members.

Training decides who is certified; this module applies it to offers so that every
channel (the live push, the snapshot on connect, the replay after a reconnect and the
SMS fallback) shows a certificate-gated offer only to volunteers who may take it.
The commune specialists take anything, so the gate applies to village teams only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from dispatch.help_requests import rules
from dispatch.models import HelpRequest, Offer
from teams.models import SupportTeam, Volunteer
from training import selectors as training_selectors


def is_gated(*, request: HelpRequest, team: SupportTeam) -> bool:
    """Only certified members of `team` may see or take `request`."""
    return team.kind == SupportTeam.Kind.VILLAGE and rules.request_needs_certificate(
        request
    )


def eligible_members(offer: Offer) -> QuerySet[Volunteer]:
    """Active members of the offer's team who may take it."""
    volunteers = Volunteer.objects.filter(team_id=offer.team_id, active=True)
    request = offer.request
    if is_gated(request=request, team=offer.team):
        certified = training_selectors.certified_volunteers(category=request.category)
        volunteers = volunteers.filter(pk__in=certified.values("pk"))
    return volunteers


def restricted_to(offer: Offer) -> list[int] | None:
    """None when the whole team may see the offer, else the ids of those who may."""
    if not is_gated(request=offer.request, team=offer.team):
        return None
    return list(eligible_members(offer).values_list("pk", flat=True))


def may_see(*, volunteer: Volunteer, request: HelpRequest, team: SupportTeam) -> bool:
    """Whether an offer of `request` to `team` may reach this volunteer's screen."""
    if request.assigned_volunteer_id == volunteer.pk:
        return True
    if not is_gated(request=request, team=team):
        return True
    return (
        training_selectors.certified_volunteers(category=request.category)
        .filter(pk=volunteer.pk)
        .exists()
    )
