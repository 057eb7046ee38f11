"""Offers: routing a request to a team, accepting, declining, expiring, escalating.

Races are settled by conditional UPDATEs (`… WHERE state = 'open'`) whose row count says
who won: on PostgreSQL the second writer waits on the row lock and then sees the new
state; on SQLite every transaction is IMMEDIATE, so writers queue. `select_for_update`
on the request row keeps two routers from opening two offers (and the partial unique
constraint on open offers is the last guard).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dispatch import permissions
from dispatch.errors import (
    AtCapacity,
    AtWeeklyCap,
    BadAction,
    InvalidTransition,
    NotAllowed,
    NotCertified,
    NotYourTeam,
    OfferAlreadyTaken,
    OfferExpired,
)
from dispatch.help_requests import audience, events, rules, selectors
from dispatch.masking.text import mask_sensitive
from dispatch.models import (
    ActorKind,
    EventKind,
    HelpRequest,
    Offer,
    OfferDecline,
    OutboundMessage,
    Status,
)
from dispatch.push import broadcast
from dispatch.sms import resident_notices
from dispatch.sms.outbox import queue_sms
from teams.models import StaffMember, SupportTeam, Volunteer
from teams.text import nfc

logger = logging.getLogger(__name__)

SWEEP_BATCH = 200
# A request left `received` this long (a crash between create and route) is routed
# by the sweep.
STRANDED_AFTER_SECONDS = 60


def lock_request(request: HelpRequest | int) -> HelpRequest:
    """Re-read the request under a row lock (PostgreSQL); call inside atomic()."""
    pk = request if isinstance(request, int) else request.pk
    return (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("commune", "village", "current_team")
        .get(pk=pk)
    )


def open_offer(
    *, request: HelpRequest, team: SupportTeam, distance_km: float | None = None
) -> Offer:
    """Create the request's next offer (caller holds the request lock, one event)."""
    now = timezone.now()
    request.round += 1
    offer = Offer.objects.create(
        request=request,
        team=team,
        round=request.round,
        expires_at=now + rules.offer_timeout(request.priority),
        distance_km=distance_km,
    )
    offer.request = request
    request.current_team = team
    request.routed_at = request.routed_at or now
    return offer


def withdraw_open_offer(request: HelpRequest) -> Offer | None:
    """Close the open offer, if any, as withdrawn (inside the caller's transaction)."""
    offer = Offer.objects.filter(request=request, state=Offer.State.OPEN).first()
    if offer is None:
        return None
    Offer.objects.filter(pk=offer.pk, state=Offer.State.OPEN).update(
        state=Offer.State.WITHDRAWN, answered_at=timezone.now()
    )
    transaction.on_commit(lambda: broadcast.offer_withdrawn(offer))
    return offer


def _ranking_reason(request: HelpRequest, best: selectors.Candidate) -> str:
    parts = [
        gettext("Gần nhất: %(km).1f km đến điểm trực của %(team)s")
        % {"km": best.distance_km, "team": best.team.name}
    ]
    if best.serves_village:
        parts.append(gettext("tổ phụ trách thôn của người dân"))
    if best.load:
        parts.append(gettext("đang có %(n)s việc") % {"n": best.load})
    parts.append(
        gettext("%(n)s người đang trực còn nhận được việc")
        % {"n": best.free_volunteers}
    )
    if rules.request_needs_certificate(request):
        parts.append(gettext("chỉ tính người có chứng nhận"))
    return "; ".join(parts) + "."


ESCALATION_REASONS = {
    "location_unknown": _(
        "Chưa rõ người dân ở thôn nào: chuyển chuyên viên xã phân loại."
    ),
    "rounds_used": _("Đã mời đủ số tổ thôn mà chưa ai nhận."),
    "no_team_available": _("Không tổ thôn nào đang có người trực còn nhận được việc."),
    "no_certified": _(
        "Không có tình nguyện viên có chứng nhận đang trực cho loại việc này."
    ),
    "manual": _("Cán bộ xã chuyển lên chuyên viên."),
}


def _escalate(
    request: HelpRequest, *, reason: str, note: str = "", user: Any = None
) -> Offer | None:
    """Move the request to the commune specialists (caller holds the lock)."""
    now = timezone.now()
    specialists = (
        SupportTeam.objects.filter(
            commune_id=request.commune_id,
            kind=SupportTeam.Kind.SPECIALISTS,
            active=True,
        )
        .order_by("pk")
        .first()
    )
    request.status = Status.ESCALATED
    request.escalated_at = request.escalated_at or now
    offer = None
    if specialists is not None:
        offer = open_offer(request=request, team=specialists)
    request.save()
    events.record(
        request=request,
        kind=EventKind.ESCALATED,
        **events.actor(user=user),
        team=specialists,
        data={
            "reason_code": reason,
            "reason": str(ESCALATION_REASONS.get(reason, reason)),
            "note": note,
            "offer_id": offer.pk if offer else None,
            "round": request.round,
        },
        offer=offer,
        offer_change="opened" if offer else None,
    )
    return offer


# What routing changes on the request (`open_offer` sets the round, team and time).
ROUTED_FIELDS = ["status", "round", "current_team", "routed_at", "updated_at"]


def route_request(*, request: HelpRequest, fresh: bool = False) -> HelpRequest:
    """Offer the request to the best team not yet tried, or escalate to the specialists.

    Idempotent: does nothing if the request already has an open offer or is no longer
    waiting to be routed. Locks the request row. Side effects: one Offer, one `routed`
    (or `escalated`) event, a push after commit; may alert the secretaries afterwards.

    `fresh`: the caller created `request` in its still open transaction, so no other
    process can see it yet: it is not re-read under a lock, and has no offers.
    """
    try:
        # A fresh row is the caller's alone: no savepoint, no other router to lose to.
        with transaction.atomic(savepoint=not fresh):
            new = fresh and request.round == 0
            if not fresh:
                request = lock_request(request)
            if request.status not in (Status.RECEIVED, Status.ROUTED):
                return request
            if (
                not new
                and Offer.objects.filter(
                    request=request, state=Offer.State.OPEN
                ).exists()
            ):
                return request
            candidates = []
            if request.round < settings.DISPATCH_MAX_ROUNDS:
                tried = (
                    set()
                    if new
                    else set(request.offers.values_list("team_id", flat=True))
                )
                candidates = selectors.routing_candidates(
                    request=request, exclude_team_ids=tried
                )
            if selectors.request_point(request) is None:
                offer = _escalate(request, reason="location_unknown")
            elif request.round >= settings.DISPATCH_MAX_ROUNDS:
                offer = _escalate(request, reason="rounds_used")
            elif not candidates:
                needs_cert = rules.request_needs_certificate(request)
                reason = "no_certified" if needs_cert else "no_team_available"
                offer = _escalate(request, reason=reason)
            else:
                best = candidates[0]
                offer = open_offer(
                    request=request, team=best.team, distance_km=best.distance_km
                )
                request.status = Status.ROUTED
                request.save(update_fields=ROUTED_FIELDS)
                events.record(
                    request=request,
                    kind=EventKind.ROUTED,
                    team=best.team,
                    data={
                        "offer_id": offer.pk,
                        "round": offer.round,
                        "distance_km": round(best.distance_km, 2),
                        "ranking": [c.as_data() for c in candidates[:3]],
                        "reason": _ranking_reason(request, best),
                        "expires_at": offer.expires_at.isoformat(),
                    },
                    offer=offer,
                    offer_change="opened",
                )
    except IntegrityError:
        # Another router opened the offer first (unique open offer per request).
        return HelpRequest.objects.get(pk=request.pk)
    if request.status == Status.ESCALATED and offer is None:
        alert_secretaries(request=request)
    return request


def escalate_request(
    *, request: HelpRequest, reason: str, user: Any = None
) -> HelpRequest:
    """Staff (or the system) send an open request to the commune specialists now.

    Withdraws the open offer. Locks the request row. One `escalated` event.
    """
    with transaction.atomic():
        request = lock_request(request)
        if request.status not in (Status.RECEIVED, Status.ROUTED):
            raise InvalidTransition()
        withdraw_open_offer(request)
        offer = _escalate(request, reason="manual", note=reason, user=user)
    if offer is None:
        alert_secretaries(request=request)
    return request


def _closed_offer_error(offer: Offer) -> Exception:
    if offer.state == Offer.State.EXPIRED:
        return OfferExpired()
    return OfferAlreadyTaken()


def accept_offer(*, offer: Offer, volunteer: Volunteer) -> HelpRequest:
    """A volunteer takes the offered request; exactly one of many simultaneous callers wins.

    Locks the volunteer row (capacity) and claims the offer with a conditional UPDATE
    on `state='open' AND expires_at > now`, so an accept and an expiry never both win.
    Raises NotYourTeam, OfferAlreadyTaken, OfferExpired, NotCertified, AtCapacity.
    Side effects: the request becomes `accepted`; one `accepted` event; push after commit.
    """
    now = timezone.now()
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        offer = Offer.objects.select_related("team", "request__commune").get(
            pk=offer.pk
        )
        if volunteer.team_id != offer.team_id or not volunteer.active:
            raise NotYourTeam()
        if offer.state != Offer.State.OPEN:
            raise _closed_offer_error(offer)
        if offer.expires_at <= now:
            raise OfferExpired()
        request = offer.request
        if (
            offer.team.kind == SupportTeam.Kind.VILLAGE
            and rules.request_needs_certificate(request)
            and not selectors.volunteer_is_certified(
                volunteer=volunteer, category=request.category
            )
        ):
            raise NotCertified()
        if selectors.open_assignment_count(volunteer) >= volunteer.capacity:
            raise AtCapacity()
        cap = offer.team.weekly_cap
        if cap and selectors.accepted_this_week(volunteer) >= cap:
            raise AtWeeklyCap()
        # Lock order everywhere: request row, then offer rows (no deadlocks).
        request = lock_request(request)
        won = Offer.objects.filter(
            pk=offer.pk, state=Offer.State.OPEN, expires_at__gt=now
        ).update(state=Offer.State.ACCEPTED, answered_at=now, answered_by=volunteer)
        if not won:
            offer.refresh_from_db()
            raise _closed_offer_error(offer)
        if request.status not in (Status.ROUTED, Status.ESCALATED):
            raise InvalidTransition()  # rolls the claim back
        request.status = Status.ACCEPTED
        request.accepted_at = now
        request.assigned_volunteer = volunteer
        request.current_team_id = offer.team_id
        request.save()
        offer.refresh_from_db()
        offer.request = request
        _record_answer(
            request=request,
            offer=offer,
            volunteer=volunteer,
            kind=EventKind.ACCEPTED,
            change="closed",
            volunteer_id=volunteer.pk,
            wait_seconds=int((now - offer.offered_at).total_seconds()),
        )
        resident_notices.tell_resident_accepted(request=request, volunteer=volunteer)
    return request


def decline_offer(
    *,
    offer: Offer,
    volunteer: Volunteer,
    reason: str = "",
    for_team: bool = False,
) -> HelpRequest:
    """A member says no to their team's offer: it leaves their screen, not the team's.

    The offer stays open for the others until it times out or every member on duty who
    may take it has declined; then (or at once when a leader declines `for_team`, with a
    reason) it closes as declined and the request moves on to the next team. Locks the
    request row; the close is a conditional UPDATE on the open offer (races with accept
    and expiry). One event: `member_declined` (pushed to the decliner's own screens and
    the board), or `offer_declined` naming everyone who declined, then routing.
    Raises NotYourTeam, NotAllowed (a member declining for the team), OfferAlreadyTaken,
    OfferExpired.
    """
    now = timezone.now()
    # Free text a volunteer wrote: masked like every other (SECURITY.md T3).
    reason = mask_sensitive(nfc(reason or "")).strip()[:300]
    with transaction.atomic():
        offer = Offer.objects.select_related("team").get(pk=offer.pk)
        if volunteer.team_id != offer.team_id:
            raise NotYourTeam()
        if for_team and not permissions.may_decline_for_team(
            volunteer=volunteer, offer=offer
        ):
            raise NotAllowed()
        if for_team and not reason:
            raise BadAction(gettext("Tổ trưởng từ chối cho cả tổ cần ghi lý do."))
        request = lock_request(offer.request_id)
        offer.refresh_from_db()
        if offer.state != Offer.State.OPEN:
            raise _closed_offer_error(offer)
        if offer.expires_at <= now:
            raise OfferExpired()
        offer.request = request
        OfferDecline.objects.get_or_create(
            offer=offer, volunteer=volunteer, defaults={"reason": reason}
        )
        decliners = list(
            offer.declines.select_related("volunteer").order_by("at", "pk")
        )
        if not for_team and _someone_on_duty_left(offer, decliners):
            _record_answer(
                request=request,
                offer=offer,
                volunteer=volunteer,
                kind=EventKind.MEMBER_DECLINED,
                change="hidden",
                volunteer_id=volunteer.pk,
                name=volunteer.full_name,
                reason=reason,
            )
            return request
        won = Offer.objects.filter(pk=offer.pk, state=Offer.State.OPEN).update(
            state=Offer.State.DECLINED,
            answered_at=now,
            answered_by=volunteer,
            reason=reason,
        )
        if not won:
            offer.refresh_from_db()
            raise _closed_offer_error(offer)
        offer.refresh_from_db()
        offer.request = request
        _record_answer(
            request=request,
            offer=offer,
            volunteer=volunteer,
            kind=EventKind.OFFER_DECLINED,
            change="closed",
            reason=reason,
            for_team=for_team,
            declined_by=[
                {
                    "volunteer_id": d.volunteer_id,
                    "name": d.volunteer.full_name,
                    "reason": d.reason,
                }
                for d in decliners
            ],
        )
    return _after_offer_closed(offer)


def _record_answer(
    *,
    request: HelpRequest,
    offer: Offer,
    volunteer: Volunteer,
    kind: str,
    change: events.OfferChange,
    **data: Any,
) -> None:
    """The one event of a volunteer's answer to an offer (accept or decline)."""
    events.record(
        request=request,
        kind=kind,
        actor_kind=ActorKind.VOLUNTEER,
        actor_user=volunteer.user,
        team=offer.team,
        data={"offer_id": offer.pk, "round": offer.round, **data},
        offer=offer,
        offer_change=change,
    )


def _someone_on_duty_left(offer: Offer, decliners: list[OfferDecline]) -> bool:
    """Whether a member on duty who may take the offer has not declined it yet."""
    declined = {d.volunteer_id for d in decliners}
    on_duty = audience.eligible_members(offer).filter(on_duty=True)
    return on_duty.exclude(pk__in=declined).exists()


def expire_offer(*, offer: Offer) -> bool:
    """Expire an overdue open offer and move the request on; False if nothing to do.

    Conditional UPDATE `WHERE state='open' AND expires_at <= now`: of two sweeps (or a
    sweep and an accept) only one changes the row. One `offer_expired` event, then the
    next routing step or the secretaries' alert.
    """
    now = timezone.now()
    with transaction.atomic():
        request = lock_request(offer.request_id)
        won = Offer.objects.filter(
            pk=offer.pk, state=Offer.State.OPEN, expires_at__lte=now
        ).update(state=Offer.State.EXPIRED, answered_at=now)
        if not won:
            return False
        offer = Offer.objects.select_related("team").get(pk=offer.pk)
        offer.request = request
        events.record(
            request=request,
            kind=EventKind.OFFER_EXPIRED,
            team=offer.team,
            data={"offer_id": offer.pk, "round": offer.round},
            offer=offer,
            offer_change="closed",
        )
    _after_offer_closed(offer)
    return True


def _after_offer_closed(offer: Offer) -> HelpRequest:
    if offer.team.kind == SupportTeam.Kind.SPECIALISTS:
        return alert_secretaries(request=offer.request)
    return route_request(request=offer.request)


def alert_secretaries(*, request: HelpRequest) -> HelpRequest:
    """Nobody took the request, not even the specialists: tell the commune secretaries.

    Once per escalation (conditional UPDATE on `alerted_at IS NULL`). One `alerted`
    event and one queued SMS per secretary with a phone.
    """
    now = timezone.now()
    with transaction.atomic():
        won = HelpRequest.objects.filter(
            pk=request.pk, alerted_at__isnull=True, status=Status.ESCALATED
        ).update(alerted_at=now)
        if not won:
            return HelpRequest.objects.get(pk=request.pk)
        request = lock_request(request)
        secretaries = list(
            StaffMember.objects.filter(
                commune_id=request.commune_id, role=StaffMember.Role.SECRETARY
            ).exclude(phone="")
        )
        event = events.record(
            request=request,
            kind=EventKind.ALERTED,
            data={"staff_ids": [s.pk for s in secretaries]},
        )
        text = gettext(
            "Cầu Nối: yêu cầu %(code)s (%(category)s, %(village)s) chưa có ai nhận, "
            "cần thư ký xã phân công."
        ) % {
            "code": request.code,
            "category": request.get_category_display(),
            "village": request.village.name
            if request.village
            else gettext("chưa rõ thôn"),
        }
        for staff in secretaries:
            queue_sms(
                to=staff.phone,
                text=text,
                purpose=OutboundMessage.Purpose.ALERT,
                request=request,
                dedupe_key=f"alert:{event.pk}:{staff.pk}",
            )
    return request


def sweep_offers() -> int:
    """Expire overdue offers and repair requests a crash left half-way; returns expiries.

    Safe to run twice at once: every step is a conditional update or takes the request
    lock, so the second run finds nothing left to do.
    """
    now = timezone.now()
    expired = 0
    overdue = Offer.objects.filter(
        state=Offer.State.OPEN, expires_at__lte=now
    ).order_by("expires_at", "pk")[:SWEEP_BATCH]
    for offer in list(overdue):
        try:
            if expire_offer(offer=offer):
                expired += 1
        except Exception:  # one bad request must not stop the whole sweep
            logger.exception("expiring offer %s failed", offer.pk)
    stranded = HelpRequest.objects.filter(
        status__in=(Status.ROUTED, Status.RECEIVED),
        created_at__lte=now - timedelta(seconds=STRANDED_AFTER_SECONDS),
    ).exclude(offers__state=Offer.State.OPEN)
    for request in list(stranded[:SWEEP_BATCH]):
        route_request(request=request)
    unalerted = HelpRequest.objects.filter(
        status=Status.ESCALATED, alerted_at__isnull=True
    ).exclude(offers__state=Offer.State.OPEN)
    for request in list(unalerted[:SWEEP_BATCH]):
        alert_secretaries(request=request)
    return expired
