"""The help-request lifecycle (docs/ARCHITECTURE.md, "A request's life"): one service per transition.

Each service runs in one transaction, writes one RequestEvent and pushes it after
commit. Offer-related services live in `dispatch.help_requests.offers` and are re-exported here so
callers have one module to import.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from dispatch.errors import InvalidRating, InvalidTransition, NotAssignee, NotYourTeam
from dispatch.help_requests import codes, events, rules
from dispatch.help_requests.locating import Location, find_location
from dispatch.help_requests.offers import (  # noqa: F401 - re-exported service contract
    accept_offer,
    alert_secretaries,
    decline_offer,
    escalate_request,
    expire_offer,
    lock_request,
    open_offer,
    route_request,
    sweep_offers,
    withdraw_open_offer,
)
from dispatch.masking.text import mask_sensitive
from dispatch.models import (
    OPEN_STATUSES,
    ActorKind,
    Category,
    Channel,
    EventKind,
    HelpRequest,
    LocationSource,
    Outcome,
    Status,
)
from dispatch.sms import resident_notices
from teams import registry
from teams.households import household_id_for_phone
from teams.models import Commune, Household, SupportTeam, Village, Volunteer
from teams.phones import try_normalize_phone
from teams.text import nfc

CODE_ATTEMPTS = 8


def create_request(
    *,
    commune: Commune,
    channel: str,
    category: str,
    description: str = "",
    resident_name: str = "",
    resident_phone: str = "",
    village: Village | None = None,
    lat: float | None = None,
    lng: float | None = None,
    location_text: str = "",
    flags: Iterable[str] | None = None,
    consent: bool = False,
    actor_user: Any = None,
    language: str = "vi",
    callback_requested: bool = False,
    landmark: str = "",
    preferred_time: str = "",
    needs_triage: bool = False,
    place: Location | None = None,
    household: Household | None = None,
) -> HelpRequest:
    """Store a new request with a fresh unique code; one `created` event.

    With `place` (worked out before, see `submit_request`) the request is stored
    already located, and its `created` and `located` events are deferred so that they
    are written together with the next one (`events.record(defer=True)`).

    Unknown categories become "other"; a phone that cannot be parsed is kept as typed
    (digits only) so nothing is lost. Retries the code on the (rare) collision. The
    request links to the register's household when given, or when exactly one
    household of the commune has the resident's phone.
    """
    if category not in Category.values:
        category = Category.OTHER
    if channel not in Channel.values:
        channel = Channel.WEB
    phone = (
        try_normalize_phone(resident_phone)
        or "".join(c for c in (resident_phone or "") if c.isdigit() or c == "+")[:20]
    )
    fields = rules.flag_values(flags)
    now = timezone.now()
    if village is not None and village.commune_id != commune.pk:
        village = None
    if household is not None and household.commune_id != commune.pk:
        household = None
    household_id = household.pk if household is not None else None
    if household is None and phone:
        household_id = household_id_for_phone(commune_id=commune.pk, phone=phone)
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                values: dict[str, Any] = dict(
                    code=codes.new_code(commune.code),
                    commune=commune,
                    channel=channel,
                    language=(language or "vi")[:8],
                    resident_name=nfc(resident_name)[:160],
                    resident_phone=phone,
                    village=village,
                    lat=lat,
                    lng=lng,
                    location_text=mask_sensitive(nfc(location_text))[:300],
                    landmark=mask_sensitive(nfc(landmark)).strip()[:200],
                    preferred_time=nfc(preferred_time).strip()[:80],
                    category=category,
                    description=mask_sensitive(nfc(description)),
                    priority=rules.priority_for(category=category, fields=fields),
                    due_at=rules.due_at(category=category, created_at=now),
                    consent_at=now if consent else None,
                    callback_requested=callback_requested,
                    needs_triage=needs_triage,
                    household_id=household_id,
                    **fields,
                )
                if place is not None:
                    values.update(_located_fields(place, values["language"]))
                    values["needs_triage"] = place.needs_triage or needs_triage
                request = HelpRequest.objects.create(**values)
                events.record(
                    request=request,
                    kind=EventKind.CREATED,
                    actor_kind=ActorKind.STAFF if actor_user else ActorKind.RESIDENT,
                    actor_user=actor_user,
                    data={
                        "channel": channel,
                        "category": category,
                        "priority": request.priority,
                        "callback_requested": callback_requested,
                    },
                    defer=place is not None,
                )
                if place is not None:
                    _record_located(request, place, defer=True)
                return request
        except IntegrityError:
            # Two requests drew the same code (34 bits: very rare); draw again.
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def locate_request(
    *, request: HelpRequest, village_number: int | None = None
) -> HelpRequest:
    """Work out where the resident is (order in `dispatch.help_requests.locating`); one `located` event.

    Ambiguous text records the close candidates and flags the request for triage
    instead of guessing. Locks the request row.
    """
    with transaction.atomic():
        request = lock_request(request)
        place = find_location(
            villages=registry.villages(request.commune),
            commune=request.commune,
            lat=request.lat,
            lng=request.lng,
            village=request.village,
            text=" ".join(filter(None, [request.location_text, request.description])),
            village_number=village_number,
            phone=request.resident_phone,
            request_id=request.pk,
        )
        for field, value in _located_fields(place, request.language).items():
            setattr(request, field, value)
        # A request already flagged (its category could not be told) stays flagged.
        request.needs_triage = place.needs_triage or request.needs_triage
        request.save()
        _record_located(request, place)
    return request


def _located_fields(place: Location, language: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "village": place.village,
        "lat": place.lat,
        "lng": place.lng,
        "location_source": place.source,
        "location_candidates": place.candidates,
    }
    if (language or "vi") == "vi" and place.village is not None:
        # A resident of a M'Nông or K'Ho village most likely speaks it first.
        fields["language"] = place.village.language or "vi"
    return fields


def _record_located(request: HelpRequest, place: Location, defer: bool = False) -> None:
    events.record(
        request=request,
        kind=EventKind.LOCATED,
        data={
            "source": place.source,
            "village_id": place.village.pk if place.village else None,
            "village": place.village.name if place.village else None,
            "candidates": place.candidates,
            "needs_triage": request.needs_triage,
        },
        defer=defer,
    )


def submit_request(
    *,
    commune: Commune,
    channel: str,
    category: str,
    description: str = "",
    resident_name: str = "",
    resident_phone: str = "",
    village: Village | None = None,
    lat: float | None = None,
    lng: float | None = None,
    location_text: str = "",
    village_number: int | None = None,
    flags: Iterable[str] | None = None,
    consent: bool = False,
    actor_user: Any = None,
    language: str = "vi",
    callback_requested: bool = False,
    landmark: str = "",
    preferred_time: str = "",
    needs_triage: bool = False,
    household: Household | None = None,
) -> HelpRequest:
    """Create, locate and route a request: three transactions, three events.

    The request is stored first, so a failure in locating or routing loses nothing:
    the periodic sweep routes requests left behind.

    Called inside a transaction (an inbound SMS holds its row's lock), nobody else can
    see the new row before the caller commits, so the work is done in fewer round
    trips: located before it is stored, never re-read under a lock, and its three
    events written in one INSERT.
    """
    fields: dict[str, Any] = {
        "commune": commune,
        "channel": channel,
        "category": category,
        "description": description,
        "resident_name": resident_name,
        "resident_phone": resident_phone,
        "village": village,
        "lat": lat,
        "lng": lng,
        "location_text": location_text,
        "flags": flags,
        "consent": consent,
        "actor_user": actor_user,
        "language": language,
        "callback_requested": callback_requested,
        "landmark": landmark,
        "preferred_time": preferred_time,
        "needs_triage": needs_triage,
        "household": household,
    }
    if transaction.get_connection().in_atomic_block:
        return _submit_in_transaction(village_number=village_number, **fields)
    request = create_request(**fields)
    request = locate_request(request=request, village_number=village_number)
    return route_request(request=request)


def _submit_in_transaction(
    *, commune: Commune, village_number: int | None, **fields: Any
) -> HelpRequest:
    village = fields["village"]
    if village is not None and village.commune_id != commune.pk:
        village = fields["village"] = None
    place = find_location(
        commune=commune,
        lat=fields["lat"],
        lng=fields["lng"],
        village=village,
        text=" ".join(
            mask_sensitive(nfc(fields[name]))
            for name in ("location_text", "description")
        ).strip(),
        village_number=village_number,
        phone=try_normalize_phone(fields["resident_phone"]) or "",
        villages=registry.villages(commune),
    )
    request = create_request(commune=commune, place=place, **fields)
    request = route_request(request=request, fresh=True)
    events.flush(request)
    return request


def start_request(*, request: HelpRequest, volunteer: Volunteer) -> HelpRequest:
    """The assignee starts helping (on the phone or on the way); one `started` event."""
    with transaction.atomic():
        request = lock_request(request)
        if request.assigned_volunteer_id != volunteer.pk:
            raise NotAssignee()
        if request.status != Status.ACCEPTED:
            raise InvalidTransition()
        request.status = Status.IN_PROGRESS
        request.started_at = timezone.now()
        request.save()
        events.record(
            request=request,
            kind=EventKind.STARTED,
            team=request.current_team,
            **events.actor(volunteer=volunteer),
        )
    return request


def resolve_request(
    *,
    request: HelpRequest,
    outcome: str,
    volunteer: Volunteer | None = None,
    user: Any = None,
    note: str = "",
) -> HelpRequest:
    """Record the outcome; `on_time` = resolved before the due time. One event.

    The assignee resolves an accepted or in-progress request; staff may resolve any open
    one (the open offer, if any, is withdrawn).
    """
    if outcome not in Outcome.values:
        raise InvalidTransition()
    with transaction.atomic():
        request = lock_request(request)
        if volunteer is not None:
            if request.assigned_volunteer_id != volunteer.pk:
                raise NotAssignee()
            allowed: tuple[Status, ...] = (Status.ACCEPTED, Status.IN_PROGRESS)
        else:
            allowed = OPEN_STATUSES
        if request.status not in allowed:
            raise InvalidTransition()
        withdraw_open_offer(request)
        now = timezone.now()
        request.status = Status.RESOLVED
        request.outcome = outcome
        request.resolved_at = now
        request.on_time = request.due_at is None or now <= request.due_at
        request.save()
        events.record(
            request=request,
            kind=EventKind.RESOLVED,
            team=request.current_team,
            data={
                "outcome": outcome,
                "on_time": request.on_time,
                "note": mask_sensitive(nfc(note))[:2000],
            },
            **events.actor(volunteer=volunteer, user=user),
        )
        resident_notices.tell_resident_resolved(request=request)
    return request


def close_request(
    *, request: HelpRequest, user: Any = None, now: Any = None
) -> HelpRequest:
    """Close a resolved request (staff, or the system after the feedback window)."""
    with transaction.atomic():
        request = lock_request(request)
        if request.status != Status.RESOLVED:
            raise InvalidTransition()
        request.status = Status.CLOSED
        request.closed_at = now or timezone.now()
        request.save()
        events.record(request=request, kind=EventKind.CLOSED, **events.actor(user=user))
    return request


def close_resolved(*, now: Any = None) -> int:
    """Close requests resolved more than DISPATCH_AUTO_CLOSE_DAYS ago; returns how many.

    Run by a daily schedule so that retention (PRIVACY_RETENTION_DAYS after closing)
    reaches every finished request. Each goes through `close_request` (one event
    each); a request reopened or closed meanwhile is skipped. Safe to run twice.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DISPATCH_AUTO_CLOSE_DAYS)
    due = HelpRequest.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff)
    closed = 0
    for request in due.order_by("pk")[:500]:
        try:
            close_request(request=request, now=now)
        except InvalidTransition:
            continue
        closed += 1
    return closed


def reopen_request(
    *,
    request: HelpRequest,
    actor: events.Actor,
    reason: str = "",
    via: str = "web",
) -> HelpRequest:
    """ "Not done yet": the one reopen rule, for the office and for the resident.

    A resolved or closed request may be reopened within DISPATCH_REOPEN_DAYS of being
    resolved (later, or in any other state: InvalidTransition). It goes back to the
    volunteer who helped (`accepted` again, its due time unchanged: late stays late);
    with nobody assigned it is routed again to a nearby team (the specialists if no
    team is left). The outcome and the follow-up questions start afresh.

    `actor` is who asked, as `events.actor(...)` builds it (`events.RESIDENT` for the
    resident); `via` the edge (web, sms, voice, office). Locks the request row; one
    `reopened` event, then a `routed` (or `escalated`) one when it is routed again.
    """
    with transaction.atomic():
        request = lock_request(request)
        if request.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidTransition()
        window = timedelta(days=settings.DISPATCH_REOPEN_DAYS)
        if request.resolved_at is None or timezone.now() - request.resolved_at > window:
            raise InvalidTransition()
        request.status = (
            Status.ACCEPTED if request.assigned_volunteer_id else Status.RECEIVED
        )
        request.outcome = ""
        request.resolved_at = request.closed_at = None
        request.on_time = None
        request.followup_flagged = False
        request.followup_attempts = 0
        request.followup_asked_at = None
        request.save()
        events.record(
            request=request,
            kind=EventKind.REOPENED,
            team=request.current_team,
            data={"via": via, "reason": mask_sensitive(nfc(reason))[:300]},
            **actor,
        )
    if request.status == Status.RECEIVED:
        request = route_request(request=request)
    return request


def cancel_request(
    *, request: HelpRequest, actor_kind: str, user: Any = None, reason: str = ""
) -> HelpRequest:
    """The resident or staff cancel an open request; the open offer is withdrawn."""
    with transaction.atomic():
        request = lock_request(request)
        if request.status not in OPEN_STATUSES:
            raise InvalidTransition()
        withdraw_open_offer(request)
        request.status = Status.CANCELLED
        request.cancelled_at = timezone.now()
        request.save()
        events.record(
            request=request,
            kind=EventKind.CANCELLED,
            actor_kind=actor_kind
            if actor_kind in ActorKind.values
            else ActorKind.STAFF,
            actor_user=user,
            team=request.current_team,
            data={"reason": mask_sensitive(nfc(reason))[:300]},
        )
    return request


def reassign_request(
    *,
    request: HelpRequest,
    user: Any,
    team: SupportTeam | None = None,
    volunteer: Volunteer | None = None,
) -> HelpRequest:
    """Secretary override: give the request to a volunteer directly, or offer it to a team.

    Withdraws the open offer. With a volunteer the request is accepted on their behalf;
    with a team a new offer opens (capacity and duty are the secretary's call).
    Locks the request row; one `reassigned` event.
    """
    if team is None and volunteer is None:
        raise InvalidTransition()
    with transaction.atomic():
        request = lock_request(request)
        if request.status not in OPEN_STATUSES:
            raise InvalidTransition()
        if team is not None and team.commune_id != request.commune_id:
            raise NotYourTeam()
        if volunteer is not None and volunteer.team.commune_id != request.commune_id:
            raise NotYourTeam()
        withdraw_open_offer(request)
        offer = None
        now = timezone.now()
        request.alerted_at = None
        if volunteer is not None:
            request.status = Status.ACCEPTED
            request.current_team_id = volunteer.team_id
            request.assigned_volunteer = volunteer
            request.accepted_at = now
        elif team is not None:
            offer = open_offer(request=request, team=team)
            request.assigned_volunteer = None
            request.status = (
                Status.ESCALATED
                if team.kind == SupportTeam.Kind.SPECIALISTS
                else Status.ROUTED
            )
        request.save()
        events.record(
            request=request,
            kind=EventKind.REASSIGNED,
            actor_kind=ActorKind.STAFF,
            actor_user=user,
            team=request.current_team,
            data={
                "team_id": request.current_team_id,
                "volunteer_id": volunteer.pk if volunteer else None,
                "offer_id": offer.pk if offer else None,
            },
            offer=offer,
            offer_change="opened" if offer else None,
        )
        if volunteer is not None:
            resident_notices.tell_resident_accepted(
                request=request, volunteer=volunteer
            )
    return request


def add_note(
    *,
    request: HelpRequest,
    text: str,
    volunteer: Volunteer | None = None,
    user: Any = None,
) -> HelpRequest:
    """An internal note by the team or staff (never shown to the resident)."""
    if volunteer is not None and volunteer.team_id != request.current_team_id:
        if request.assigned_volunteer_id != volunteer.pk:
            raise NotYourTeam()
    with transaction.atomic():
        request = lock_request(request)
        events.record(
            request=request,
            kind=EventKind.NOTE,
            data={"text": mask_sensitive(nfc(text))[:2000]},
            **events.actor(volunteer=volunteer, user=user),
        )
    return request


def add_resident_message(*, request: HelpRequest, text: str) -> HelpRequest:
    """More words from the resident (a second SMS): appended to the description."""
    clean = mask_sensitive(nfc(text))[:2000]
    with transaction.atomic():
        request = lock_request(request)
        request.description = (
            f"{request.description}\n{clean}" if request.description else clean
        )
        request.save(update_fields=["description", "updated_at"])
        events.record(
            request=request,
            kind=EventKind.RESIDENT_MESSAGE,
            actor_kind=ActorKind.RESIDENT,
            data={"text": clean},
        )
    return request


def rate_request(*, request: HelpRequest, rating: int) -> HelpRequest:
    """The resident's 1–5 rating after the help; one `rated` event."""
    try:
        rating = int(rating)
    except (TypeError, ValueError) as exc:
        raise InvalidRating() from exc
    if not 1 <= rating <= 5:
        raise InvalidRating()
    with transaction.atomic():
        request = lock_request(request)
        if request.status not in (Status.RESOLVED, Status.CLOSED):
            raise InvalidTransition()
        request.rating = rating
        request.save(update_fields=["rating", "updated_at"])
        events.record(
            request=request,
            kind=EventKind.RATED,
            actor_kind=ActorKind.RESIDENT,
            data={"rating": rating},
        )
    return request


__all__ = [
    "LocationSource",
    "accept_offer",
    "add_note",
    "add_resident_message",
    "alert_secretaries",
    "cancel_request",
    "close_request",
    "create_request",
    "decline_offer",
    "escalate_request",
    "expire_offer",
    "locate_request",
    "rate_request",
    "reassign_request",
    "reopen_request",
    "resolve_request",
    "route_request",
    "start_request",
    "submit_request",
    "sweep_offers",
]
