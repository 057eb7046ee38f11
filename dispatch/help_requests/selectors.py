"""Read-side queries of dispatch: look-ups, queue position, ETA, routing candidates."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any, TypedDict

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from geopy.distance import geodesic

from dispatch.help_requests import rules
from dispatch.help_requests.codes import clean_code
from dispatch.models import (
    OPEN_STATUSES,
    PUBLIC_EVENT_KINDS,
    EventKind,
    HelpRequest,
    Offer,
    RequestEvent,
    Status,
)
from teams.models import Commune, SupportTeam, Volunteer
from training import selectors as training_selectors

# Requests that wait for a team to take them (the team's queue).
WAITING_STATUSES = (Status.ROUTED, Status.ESCALATED)
# Requests a volunteer is working on (they count against the volunteer's capacity).
ASSIGNED_STATUSES = (Status.ACCEPTED, Status.IN_PROGRESS)
# Requests that keep a team busy (its load when ranking).
BUSY_STATUSES = (Status.ROUTED, Status.ESCALATED, Status.ACCEPTED, Status.IN_PROGRESS)
ETA_SAMPLE = 20
ETA_WINDOW = timedelta(days=30)


def request_by_code(code: str) -> HelpRequest | None:
    cleaned = clean_code(code)
    if not cleaned:
        return None
    return (
        HelpRequest.objects.select_related("commune", "village", "current_team")
        .filter(code=cleaned)
        .first()
    )


def open_request_for_phone(*, phone: str, within: timedelta) -> HelpRequest | None:
    """The resident's latest open request made within `within`, e.g. to add a message."""
    if not phone:
        return None
    return (
        HelpRequest.objects.filter(
            resident_phone=phone,
            status__in=OPEN_STATUSES,
            created_at__gte=timezone.now() - within,
        )
        .order_by("-created_at")
        .first()
    )


def team_queue(team: SupportTeam) -> QuerySet[HelpRequest]:
    """Requests waiting at a team: higher priority first, then the oldest."""
    return HelpRequest.objects.filter(
        current_team=team, status__in=WAITING_STATUSES
    ).order_by("-priority", "created_at", "pk")


def queue_position(request: HelpRequest) -> int | None:
    """1 = next in line at its team; None once someone took it or it is not queued."""
    if request.status not in WAITING_STATUSES or request.current_team_id is None:
        return None
    ahead = HelpRequest.objects.filter(
        current_team_id=request.current_team_id, status__in=WAITING_STATUSES
    ).filter(
        Q(priority__gt=request.priority)
        | Q(priority=request.priority, created_at__lt=request.created_at)
        | Q(priority=request.priority, created_at=request.created_at, pk__lt=request.pk)
    )
    return ahead.count() + 1


def typical_wait_minutes(team_id: int) -> float:
    """Median minutes between an offer and its acceptance at this team lately."""
    recent = Offer.objects.filter(
        team_id=team_id,
        state=Offer.State.ACCEPTED,
        answered_at__gte=timezone.now() - ETA_WINDOW,
    ).order_by("-answered_at")[:ETA_SAMPLE]
    waits = [
        (o.answered_at - o.offered_at).total_seconds() / 60
        for o in recent.only("answered_at", "offered_at")
        if o.answered_at is not None
    ]
    if not waits:
        return float(settings.DISPATCH_DEFAULT_WAIT_MINUTES)
    return max(median(waits), 1.0)


def eta_minutes(request: HelpRequest) -> int | None:
    """Rough minutes until someone takes the request: position × the team's usual wait."""
    position = queue_position(request)
    if position is None or request.current_team_id is None:
        return None
    return math.ceil(typical_wait_minutes(request.current_team_id) * position)


def open_offers_for_team(team: SupportTeam) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(team=team, state=Offer.State.OPEN)
        .select_related("request", "request__village")
        .order_by("-request__priority", "request__created_at")
    )


def open_offers_for_volunteer(volunteer: Volunteer) -> QuerySet[Offer]:
    """Their team's open offers, minus the ones this volunteer already declined."""
    return Offer.objects.filter(
        team_id=volunteer.team_id, state=Offer.State.OPEN
    ).exclude(declines__volunteer=volunteer)


def latest_open_offer_for_volunteer(volunteer: Volunteer) -> Offer | None:
    return (
        open_offers_for_volunteer(volunteer)
        .select_related("request", "request__village")
        .order_by("-offered_at", "-pk")
        .first()
    )


def latest_assignment_for_volunteer(volunteer: Volunteer) -> HelpRequest | None:
    return (
        HelpRequest.objects.filter(
            assigned_volunteer=volunteer, status__in=ASSIGNED_STATUSES
        )
        .order_by("-accepted_at", "-pk")
        .first()
    )


def week_start(now: datetime | None = None) -> datetime:
    """Monday 00:00 (local time) of the week containing `now`."""
    local = timezone.localtime(now or timezone.now())
    monday = local - timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def accepted_this_week(volunteer: Volunteer, *, now: datetime | None = None) -> int:
    """Requests this volunteer accepted since Monday (the team's weekly cap counts them)."""
    return Offer.objects.filter(
        answered_by=volunteer,
        state=Offer.State.ACCEPTED,
        answered_at__gte=week_start(now),
    ).count()


def volunteers_at_weekly_cap(*, team: SupportTeam) -> list[int]:
    """Ids of the team's members who reached its weekly cap (none without a cap)."""
    if not team.weekly_cap:
        return []
    counts = (
        Offer.objects.filter(
            answered_by__team=team,
            state=Offer.State.ACCEPTED,
            answered_at__gte=week_start(),
        )
        .values("answered_by")
        .annotate(n=Count("pk"))
    )
    return [row["answered_by"] for row in counts if row["n"] >= team.weekly_cap]


def volunteer_load(*, team_ids: list[int]) -> list[dict[str, Any]]:
    """Per volunteer of these teams: open assignments and requests accepted this week."""
    start = week_start()
    return list(
        Volunteer.objects.filter(team_id__in=team_ids, active=True)
        .annotate(
            open_now=Count(
                "assignments",
                filter=Q(assignments__status__in=ASSIGNED_STATUSES),
                distinct=True,
            ),
            this_week=Count(
                "answered_offers",
                filter=Q(
                    answered_offers__state=Offer.State.ACCEPTED,
                    answered_offers__answered_at__gte=start,
                ),
                distinct=True,
            ),
        )
        .values("pk", "full_name", "team__name", "open_now", "this_week")
        .order_by("-this_week", "full_name")
    )


def open_assignment_count(volunteer: Volunteer) -> int:
    return HelpRequest.objects.filter(
        assigned_volunteer=volunteer, status__in=ASSIGNED_STATUSES
    ).count()


def volunteer_is_certified(*, volunteer: Volunteer, category: str) -> bool:
    return (
        training_selectors.certified_volunteers(category=category)
        .filter(pk=volunteer.pk)
        .exists()
    )


class PublicEvent(TypedDict):
    """One line of the resident's timeline (tracking page and JSON)."""

    event_id: int
    kind: str
    label: str
    at: datetime
    team: str | None


def public_timeline(request: HelpRequest) -> list[PublicEvent]:
    """What a resident may see: kind, label, time, team name — no people, no places."""
    events = (
        RequestEvent.objects.filter(request=request, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("team")
        .order_by("id")
    )
    return [
        {
            "event_id": e.pk,
            "kind": e.kind,
            "label": str(EventKind(e.kind).label),
            "at": e.created_at,
            "team": e.team.name if e.team else None,
        }
        for e in events
    ]


def request_timeline(request: HelpRequest) -> QuerySet[RequestEvent]:
    return (
        RequestEvent.objects.filter(request=request)
        .select_related("team", "actor_user")
        .order_by("id")
    )


def routing_reason(request: HelpRequest) -> RequestEvent | None:
    """The latest `routed` or `escalated` event: why this team was chosen."""
    return (
        RequestEvent.objects.filter(
            request=request, kind__in=(EventKind.ROUTED, EventKind.ESCALATED)
        )
        .select_related("team")
        .order_by("-id")
        .first()
    )


class RankedTeam(TypedDict):
    """A routing candidate as kept in the `routed` event's ranking."""

    team_id: int
    team: str
    distance_km: float
    load: int
    free_volunteers: int
    serves_village: bool
    score: float


@dataclass
class Candidate:
    team: SupportTeam
    distance_km: float
    load: int
    free_volunteers: int
    serves_village: bool
    score: float

    def as_data(self) -> RankedTeam:
        return {
            "team_id": self.team.pk,
            "team": self.team.name,
            "distance_km": round(self.distance_km, 2),
            "load": self.load,
            "free_volunteers": self.free_volunteers,
            "serves_village": self.serves_village,
            "score": round(self.score, 2),
        }


def request_point(request: HelpRequest) -> tuple[float, float] | None:
    """The resident's point, or their village's centroid, or None when unknown."""
    if request.lat is not None and request.lng is not None:
        return (request.lat, request.lng)
    if request.village is not None:
        return (request.village.lat, request.village.lng)
    return None


def available_volunteers(
    *, team_ids: list[int] | QuerySet[SupportTeam, Any], category: str | None = None
) -> QuerySet[Volunteer]:
    """Active, on-duty volunteers under capacity; only certified ones when `category`."""
    volunteers = (
        Volunteer.objects.filter(team_id__in=team_ids, active=True, on_duty=True)
        .annotate(
            open_count=Count(
                "assignments", filter=Q(assignments__status__in=ASSIGNED_STATUSES)
            )
        )
        .filter(open_count__lt=F("capacity"))
    )
    if category is not None:
        certified = training_selectors.certified_volunteers(category=category)
        volunteers = volunteers.filter(pk__in=certified.values("pk"))
    return volunteers


def routing_candidates(
    *, request: HelpRequest, exclude_team_ids: set[int] | None = None
) -> list[Candidate]:
    """Village teams of the request's commune that could take it now, best first.

    Cost depends on the commune's size only (every query filters on the commune), never
    on how many communes the registry holds.
    """
    point = request_point(request)
    if point is None:
        return []
    teams = {
        t.pk: t
        for t in SupportTeam.objects.filter(
            commune_id=request.commune_id, kind=SupportTeam.Kind.VILLAGE, active=True
        ).exclude(pk__in=exclude_team_ids or ())
    }
    if not teams:
        return []
    category = request.category if rules.request_needs_certificate(request) else None
    # Counted in Python: grouping again by team would break the per-volunteer HAVING.
    free = Counter(
        available_volunteers(team_ids=list(teams), category=category).values_list(
            "team_id", flat=True
        )
    )
    if not free:
        return []
    load = {
        row["current_team_id"]: row["n"]
        for row in HelpRequest.objects.filter(
            current_team_id__in=list(free), status__in=BUSY_STATUSES
        )
        .exclude(pk=request.pk)
        .values("current_team_id")
        .annotate(n=Count("pk"))
    }
    serving: set[int] = set()
    if request.village_id is not None:
        serving = set(
            SupportTeam.villages.through.objects.filter(
                village_id=request.village_id, supportteam_id__in=list(free)
            ).values_list("supportteam_id", flat=True)
        )
    penalty = settings.DISPATCH_LOAD_PENALTY_KM
    bonus = settings.DISPATCH_OWN_VILLAGE_BONUS_KM
    candidates = []
    for team_id, n_free in free.items():
        team = teams[team_id]
        km = geodesic(point, (team.base_lat, team.base_lng)).km
        team_load = load.get(team_id, 0)
        serves = team_id in serving
        score = km + penalty * team_load / n_free - (bonus if serves else 0.0)
        candidates.append(Candidate(team, km, team_load, n_free, serves, score))
    candidates.sort(key=lambda c: (c.score, c.distance_km, c.team.pk))
    return candidates


STAFF_FILTERS = ("team", "village", "category", "priority", "status")


def staff_open_requests(
    *, communes: QuerySet[Commune] | None, filters: dict[str, str]
) -> QuerySet[HelpRequest]:
    """Open requests for the operator/secretary list, with the page's filters applied."""
    qs = HelpRequest.objects.select_related(
        "commune", "village", "current_team", "assigned_volunteer"
    )
    if communes is not None:
        qs = qs.filter(commune__in=communes)
    status = filters.get("status")
    qs = qs.filter(status=status) if status else qs.filter(status__in=OPEN_STATUSES)
    for key, lookup in (
        ("team", "current_team_id"),
        ("village", "village_id"),
        ("priority", "priority"),
    ):
        value = filters.get(key, "")
        if value.isdigit():
            qs = qs.filter(**{lookup: int(value)})
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    return qs.order_by("-priority", "created_at")


class PublicTracking(TypedDict):
    """The tracking page's and JSON's contract: no name, phone or exact point."""

    code: str
    status: str
    status_label: str
    category: str
    category_label: str
    team: str | None
    village: str | None
    queue_position: int | None
    eta_minutes: int | None
    created_at: datetime
    due_at: datetime | None
    can_rate: bool
    timeline: list[PublicEvent]


def public_tracking(request: HelpRequest) -> PublicTracking:
    """Everything the tracking page and JSON may show: no name, phone or exact point."""
    return {
        "code": request.code,
        "status": request.status,
        "status_label": str(Status(request.status).label),
        "category": request.category,
        "category_label": request.get_category_display(),
        "team": request.current_team.name if request.current_team else None,
        "village": request.village.name if request.village else None,
        "queue_position": queue_position(request),
        "eta_minutes": eta_minutes(request),
        "created_at": request.created_at,
        "due_at": request.due_at,
        "can_rate": request.status in (Status.RESOLVED, Status.CLOSED)
        and request.rating is None,
        "timeline": public_timeline(request),
    }
