"""What the live screens may see and do: the volunteer app (/v/) and the board (/board/).

Read side (`*_state`, `*_events_after`, `assignment_card`) decides visibility in one
place; `access_*` functions fetch an object *with* the permission check, raising the
same domain errors the services raise. The WebSocket consumers call only these and the
lifecycle services.

Privacy (SECURITY.md): before accepting, a volunteer sees category, village and
distance; the resident's name, phone, exact point and description only reach the
assignee and their team leader.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language, gettext

from dispatch import permissions
from dispatch.guides import selectors as guide_selectors
from dispatch.help_requests import audience
from dispatch.help_requests.needs import need_labels, needs_of
from dispatch.help_requests.selectors import (
    ASSIGNED_STATUSES,
    open_offers_for_volunteer,
    volunteer_load,
)
from dispatch.models import (
    AccessPurpose,
    Category,
    EventKind,
    Guide,
    HelpRequest,
    Offer,
    Outcome,
    Priority,
    RequestEvent,
    Status,
)
from dispatch.privacy import consent
from dispatch.push import broadcast
from dispatch.push.broadcast import iso_utc
from teams import rosters
from teams import services as team_services
from teams.models import Volunteer
from teams.phones import national_format
from teams.prepared import Prepared

REPLAY_LIMIT = 500
LABELS_SECONDS = 60
# Language → (good until, labels); see `labels`.
_labels: dict[str, tuple[float, dict[str, dict[str, Any]]]] = {}


def labels() -> dict[str, dict[str, Any]]:
    """Translated names the pages show for the codes in live messages.

    Every socket's hello carries them, so they are kept per language for
    `LABELS_SECONDS`; a guide saved or deleted in this process drops them at once
    (another process shows a renamed or new guide's title that much later).
    """
    language = get_language() or ""
    kept = _labels.get(language)
    now = time.monotonic()
    if kept is not None and kept[0] > now:
        return kept[1]
    fresh = _fresh_labels()
    _labels[language] = (now + LABELS_SECONDS, fresh)
    return fresh


def forget_labels(**_: Any) -> None:
    _labels.clear()


post_save.connect(forget_labels, sender=Guide, dispatch_uid="live-labels-saved")
post_delete.connect(forget_labels, sender=Guide, dispatch_uid="live-labels-deleted")


def _fresh_labels() -> dict[str, dict[str, Any]]:
    return {
        "category": {k: str(v) for k, v in Category.choices},
        "status": {k: str(v) for k, v in Status.choices},
        "outcome": {k: str(v) for k, v in Outcome.choices},
        "priority": {str(k): str(v) for k, v in Priority.choices},
        "needs": need_labels(),
        "guides": guide_selectors.guide_titles(),
    }


def latest_event_id() -> int:
    return (
        RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )


# --- The volunteer app ---------------------------------------------------------------


def offer_card(offer: Offer) -> dict[str, Any]:
    """An open offer as its team sees it: nothing that identifies the resident."""
    request = offer.request
    return {
        "offer_id": offer.pk,
        "request_id": request.pk,
        "code": request.code,
        "category": request.category,
        "priority": request.priority,
        "village": request.village.name if request.village_id else None,
        "distance_km": offer.distance_km,
        "home_visit": request.home_visit,
        "needs": needs_of(request),
        "preferred_time": request.preferred_time,
        "created_at": iso_utc(request.created_at),
        "offered_at": iso_utc(offer.offered_at),
        "expires_at": iso_utc(offer.expires_at),
    }


def assignment_card(
    request: HelpRequest, *, viewer: Volunteer | None = None
) -> dict[str, Any]:
    """Everything the assignee needs to help: who, where, what, and the team's notes.

    With a `viewer`, the look at the resident's contact details is logged (privacy).
    """
    if viewer is not None:
        consent.log_access(
            user=viewer.user, purpose=AccessPurpose.ASSIGNMENT, request=request
        )
    point = (request.lat, request.lng) if request.lat is not None else None
    if point is None and request.village_id:
        point = (request.village.lat, request.village.lng)
    notes = [
        {
            "text": e.data.get("text", ""),
            "at": iso_utc(e.created_at),
            "by": (e.actor_user.get_full_name() or e.actor_user.username)
            if e.actor_user_id
            else "",
        }
        for e in request.events.filter(kind=EventKind.NOTE)
        .select_related("actor_user")
        .order_by("pk")
    ]
    card: dict[str, Any] = {
        **broadcast.request_fields(request),
        "resident_name": request.resident_name,
        "resident_phone": request.resident_phone,
        "resident_phone_display": national_format(request.resident_phone)
        if request.resident_phone
        else "",
        # A resident on Zalo: the team answers there (the call button shows once a
        # phone is linked).
        "contact_via": gettext("liên hệ qua Zalo") if request.zalo_contact_id else "",
        "description": request.description,
        "location_text": request.location_text,
        # Words and icons here (pushes carry only the keys).
        "needs": needs_of(request),
        "landmark": request.landmark,
        "preferred_time": request.preferred_time,
        "visit_at": iso_utc(request.visit_at),
        "distance_km": request.offers.filter(state=Offer.State.ACCEPTED)
        .values_list("distance_km", flat=True)
        .first(),
        "accepted_at": iso_utc(request.accepted_at),
        "notes": notes,
        # One tap sends the first of these; the others are in the list.
        "guides_suggested": [
            g.slug for g in guide_selectors.guides_for_category(request.category)
        ],
        "guides_sent": guide_selectors.sent_for_request(request),
        "lat": point[0] if point else None,
        "lng": point[1] if point else None,
        "geo_uri": None,
        "map_url": None,
    }
    if point:
        lat, lng = round(point[0], 6), round(point[1], 6)
        card["geo_uri"] = f"geo:{lat},{lng}?q={lat},{lng}"
        card["map_url"] = "https://www.openstreetmap.org/?" + urlencode(
            {"mlat": lat, "mlon": lng, "zoom": 16}
        )
    return card


def _assigned(volunteer: Volunteer) -> Any:
    """My assignments (a leader also sees every assignment of their team)."""
    mine = Q(assigned_volunteer=volunteer)
    if volunteer.is_leader:
        mine |= Q(current_team_id=volunteer.team_id, assigned_volunteer__isnull=False)
    return HelpRequest.objects.filter(mine, status__in=ASSIGNED_STATUSES)


def _assignments(volunteer: Volunteer) -> list[HelpRequest]:
    return list(
        _assigned(volunteer)
        .select_related("village")
        .order_by("-priority", "accepted_at", "pk")
    )


def _outline_query(*, leader: bool) -> Prepared:
    def build(volunteer_id: int, team_id: int) -> Any:
        me = Volunteer(
            pk=volunteer_id,
            team_id=team_id,
            role=Volunteer.Role.LEADER if leader else Volunteer.Role.MEMBER,
        )
        return (
            Volunteer.objects.filter(pk=volunteer_id)
            .order_by()
            .annotate(
                cursor=Subquery(RequestEvent.objects.order_by("-pk").values("pk")[:1]),
                has_offers=Exists(open_offers_for_volunteer(me)),
                has_assignments=Exists(_assigned(me)),
            )
            .values_list("cursor", "has_offers", "has_assignments")
        )

    return Prepared(build)


# A leader's assignments include the team's: two shapes of the one query.
_OUTLINE = {leader: _outline_query(leader=leader) for leader in (False, True)}


def _outline(volunteer: Volunteer) -> tuple[int, bool, bool]:
    """In one statement: the event cursor, whether any offer is open to this volunteer
    and whether they have any assignment (an idle volunteer's snapshot is this).
    Compiled once per process (teams/prepared.py): it runs on every socket connect."""
    rows = _OUTLINE[volunteer.is_leader].rows(
        volunteer_id=volunteer.pk, team_id=volunteer.team_id
    )
    if not rows:  # the volunteer was deleted a moment ago
        return latest_event_id(), False, False
    cursor, has_offers, has_assignments = rows[0]
    return cursor or 0, bool(has_offers), bool(has_assignments)


def volunteer_state(
    volunteer: Volunteer, *, viewed: list[HelpRequest] | None = None
) -> dict[str, Any]:
    """The snapshot sent on connect: open offers, my assignments, my duty status.

    `event_id` is the cursor at the time of the snapshot: a client resumes from it.
    One query when there is nothing to list; the offers and the assignments are read
    only when there are some. Showing an assignment shows the resident's contact
    details: without `viewed` that access is logged here; with it, the requests are
    added to `viewed` and the caller logs them (`log_assignment_views`) once the
    snapshot is on its way.
    """
    # The cursor is read with the rest or before it, and no transaction is held (on
    # SQLite every transaction takes the write lock): a change in between is both in
    # the snapshot and replayed or pushed, and clients apply events idempotently.
    cursor, has_offers, has_assignments = _outline(volunteer)
    offers = []
    if has_offers:
        offers = [
            offer_card(o)
            for o in open_offers_for_volunteer(volunteer)
            .select_related("request", "request__village", "request__commune", "team")
            .order_by("-request__priority", "request__created_at")
            if audience.may_see(volunteer=volunteer, request=o.request, team=o.team)
        ]
    assignments = _assignments(volunteer) if has_assignments else []
    if viewed is None:
        log_assignment_views(volunteer=volunteer, requests=assignments)
    else:
        viewed.extend(assignments)
    return {
        "type": "hello",
        "event_id": cursor,
        "volunteer": {
            "id": volunteer.pk,
            "name": volunteer.full_name,
            "team": volunteer.team.name,
            "team_id": volunteer.team_id,
            "leader": volunteer.is_leader,
            "on_duty": volunteer.on_duty,
        },
        "offers": offers,
        "assignments": [assignment_card(r) for r in assignments],
    }


def log_assignment_views(*, volunteer: Volunteer, requests: list[HelpRequest]) -> None:
    """Log that `volunteer` saw these assignments' contact details (privacy)."""
    for request in requests:
        consent.log_access(
            user=volunteer.user, purpose=AccessPurpose.ASSIGNMENT, request=request
        )


def volunteer_events_after(volunteer: Volunteer, event_id: int) -> list[RequestEvent]:
    """Events after `event_id` this volunteer's screen was (or would have been) told.

    The same reach as the live pushes: events about their team (offers to it, its
    accepts, declines, expiries), notes and resident messages on their team's requests,
    and everything on their own assignments.
    """
    team = volunteer.team_id
    visible = (
        Q(team_id=team)
        | Q(
            request__current_team_id=team,
            kind__in=(EventKind.NOTE, EventKind.RESIDENT_MESSAGE),
        )
        | (
            Q(request__assigned_volunteer=volunteer)
            & ~Q(kind__in=(EventKind.CREATED, EventKind.LOCATED))
        )
    )
    # Another member's own decline is theirs alone (it was pushed only to them).
    others_declines = Q(kind=EventKind.MEMBER_DECLINED) & ~Q(
        data__volunteer_id=volunteer.pk
    )
    events = (
        RequestEvent.objects.filter(visible, pk__gt=event_id)
        .exclude(others_declines)
        .select_related(
            "request",
            "request__commune",
            "request__village",
            "request__current_team",
            "team",
        )
        .order_by("pk")[:REPLAY_LIMIT]
    )
    # A certificate-gated offer is replayed only to those who may take it, as it was
    # pushed live (the rest of the team never saw it).
    return [
        e
        for e in events
        if e.team is None
        or audience.may_see(volunteer=volunteer, request=e.request, team=e.team)
    ]


def replay(events: list[RequestEvent]) -> list[dict[str, Any]]:
    return [broadcast.replay_message(e) for e in events]


def assignment_for_message(
    *, volunteer: Volunteer, message: dict[str, Any]
) -> dict[str, Any] | None:
    """After a push about an assignment, the details if this volunteer may see them."""
    request_id = message.get("request_id")
    if not request_id or message.get("volunteer_id") is None:
        return None
    request = (
        HelpRequest.objects.select_related("village").filter(pk=request_id).first()
    )
    if request is None or not permissions.may_see_resident(
        volunteer=volunteer, request=request
    ):
        return None
    if request.status not in ASSIGNED_STATUSES:
        return None
    return assignment_card(request, viewer=volunteer)


def set_on_duty(*, volunteer: Volunteer, on_duty: bool) -> Volunteer:
    """A volunteer goes on or off duty (routing only offers to teams with someone on).

    The registry's service changes the flag; a real change is logged as a DutyChange by
    the volunteer themselves and pushed after commit to their other tabs and phones
    and to the commune's board (the team's on-duty count), see `dispatch.help_requests.duty`. No
    request event: it is not a request change.
    """
    team_services.set_on_duty(
        volunteers=[volunteer], on_duty=bool(on_duty), user=volunteer.user
    )
    volunteer.on_duty = bool(on_duty)
    return volunteer


# --- The leader's roster page ----------------------------------------------------------


def roster_page(*, team: Any) -> dict[str, Any]:
    """The team's slots, the uncovered hours of the coming week and members' load."""
    today = timezone.localdate()
    gaps: dict[Any, list[int]] = {}
    for day, hour in rosters.roster_gaps(team_ids=[team.pk], start=today, days=7):
        gaps.setdefault(day, []).append(hour)
    return {
        "slots": list(team.slots.prefetch_related("members")),
        "gaps": [
            {"day": day, "ranges": _hour_ranges(hours)} for day, hours in gaps.items()
        ],
        "load": volunteer_load(team_ids=[team.pk]),
    }


def _hour_ranges(hours: list[int]) -> list[str]:
    """[7, 8, 9, 13] → ["07–10", "13–14"] (hours nobody covers)."""
    ranges, start, prev = [], None, None
    for hour in hours + [None]:
        if start is not None and hour != prev + 1:
            ranges.append(f"{start:02d}–{prev + 1:02d}")
            start = None
        if hour is not None and start is None:
            start = hour
        prev = hour
    return ranges
