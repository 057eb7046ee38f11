"""SMS fallback: volunteers on duty without a live connection hear about offers by SMS.

Runs in a background task right after the offer's transaction commits, so the webhook
that created the request answers at once. Both services are safe to run twice: every SMS
has a dedupe key (one offer text per volunteer and offer, one "taken" text likewise).
"""

from __future__ import annotations

from django.utils.translation import gettext

from dispatch.help_requests import audience, needs, selectors
from dispatch.models import Offer, OutboundMessage
from dispatch.push import presence
from dispatch.sms.outbox import queue_to_volunteer
from teams import rosters
from teams import selectors as team_selectors
from teams.models import Volunteer
from teams.prepared import Prepared


def _reachable_by_offer(offer: Offer) -> list[Volunteer]:
    """On-duty members of the offer's team who may take it (certificate gate), minus
    those who declined it or reached the team's weekly cap, in notification order.

    Fairness: the order rotates by one member with each offer the team gets, so the
    same person's phone is not always the first to ring.
    """
    members = list(
        audience.eligible_members(offer)
        .filter(on_duty=True)
        .exclude(phone="")
        .exclude(offer_declines__offer=offer)
        .exclude(pk__in=selectors.volunteers_at_weekly_cap(team=offer.team))
        .order_by("pk")
    )
    if not members:
        return []
    turn = Offer.objects.filter(team_id=offer.team_id, pk__lt=offer.pk).count()
    first = turn % len(members)
    return members[first:] + members[:first]


def offer_text(offer: Offer) -> str:
    """The offer by SMS, with the resident's needs (ticks, preferred time, distance)."""
    request = offer.request
    text = gettext("Cầu Nối: việc mới %(code)s - %(category)s, %(village)s.") % {
        "code": request.code,
        "category": request.get_category_display(),
        "village": request.village.name if request.village else gettext("chưa rõ"),
    }
    words = needs.needs_words(request)
    if words:
        text += " " + gettext("Người dân: %(needs)s.") % {"needs": words}
    if request.preferred_time:
        text += " " + gettext("Tiện lúc: %(time)s.") % {"time": request.preferred_time}
    if offer.distance_km is not None:
        text += " " + gettext("Cách %(km).1f km.") % {"km": offer.distance_km}
    return (
        text
        + " "
        + gettext("Nhắn NHAN %(code)s để nhận, TU CHOI %(code)s để từ chối.")
        % {"code": request.code}
    )


_OPEN_OFFER_TEAM = Prepared(
    lambda offer_id: (
        Offer.objects.filter(pk=offer_id, state=Offer.State.OPEN)
        .order_by()
        .values_list("team_id")
    )
)


def text_offline_volunteers(*, offer_id: int) -> int:
    """Text the offer to its team's on-duty volunteers who have no live connection.

    Does nothing once the offer is no longer open (someone took it on the app first).
    Side effects: one queued SMS (purpose "offer") per offline volunteer; returns how
    many were queued. No locks: a duplicate run hits the dedupe keys.
    """
    # Presence first: with the whole team on the app (the usual case) there is no
    # one to text, and neither the offer nor who may take it is read at all.
    team = _OPEN_OFFER_TEAM.rows(offer_id=offer_id)
    if not team:
        return 0
    on_duty = team_selectors.on_duty_ids_with_phone(team[0][0])
    offline = set(on_duty) - presence.online_ids(on_duty)
    if not offline:
        return 0
    offer = (
        Offer.objects.select_related("team", "request__village", "request__commune")
        .filter(pk=offer_id, state=Offer.State.OPEN)
        .first()
    )
    if offer is None:
        return 0
    if rosters.in_quiet_hours(offer.request.commune):
        # Quiet hours: no offer SMS wakes anyone; the live push has gone regardless.
        return 0
    volunteers = [v for v in _reachable_by_offer(offer) if v.pk in offline]
    text = offer_text(offer)
    queued = 0
    for volunteer in volunteers:
        # Zalo first for volunteers who linked it (free within Zalo's window).
        queue_to_volunteer(
            volunteer=volunteer,
            text=text,
            purpose=OutboundMessage.Purpose.OFFER,
            request=offer.request,
            dedupe_key=f"offer:{offer.pk}:{volunteer.pk}",
        )
        queued += 1
    return queued


def tell_texted_it_is_taken(*, offer_id: int) -> int:
    """Once an offer is accepted, tell everyone who got its SMS (except the taker), once.

    Side effects: one queued SMS (purpose "taken") per texted volunteer.
    """
    offer = (
        Offer.objects.select_related("request__commune")
        .filter(pk=offer_id, state=Offer.State.ACCEPTED)
        .first()
    )
    if offer is None:
        return 0
    texted = OutboundMessage.objects.filter(
        dedupe_key__startswith=f"offer:{offer.pk}:",
        purpose=OutboundMessage.Purpose.OFFER,
        volunteer__isnull=False,
    ).select_related("volunteer")
    if offer.answered_by_id is not None:
        texted = texted.exclude(volunteer_id=offer.answered_by_id)
    text = gettext("Cầu Nối: việc %(code)s đã có người nhận, bạn không cần nhận.") % {
        "code": offer.request.code
    }
    told = 0
    for message in texted:
        if message.volunteer is None:  # excluded by the query; narrows the type
            continue
        queue_to_volunteer(
            volunteer=message.volunteer,
            text=text,
            purpose=OutboundMessage.Purpose.TAKEN,
            request=offer.request,
            dedupe_key=f"taken:{offer.pk}:{message.volunteer_id}",
        )
        told += 1
    return told
