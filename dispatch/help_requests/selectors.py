"""Read-side queries of dispatch: look-ups, queue position, ETA, routing candidates."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from statistics import median
from typing import Any, TypedDict

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from geopy.distance import geodesic

from dispatch.help_requests import rules
from dispatch.help_requests.codes import KEYPAD, LENGTH, clean_code
from dispatch.models import (
    OPEN_STATUSES,
    PUBLIC_EVENT_KINDS,
    Category,
    EventKind,
    HelpRequest,
    Offer,
    RequestEvent,
    Status,
    ZaloContact,
)
from teams import registry
from teams.models import Commune, Household, SupportTeam, Volunteer
from teams.phones import national_format
from teams.prepared import Prepared
from teams.text import fold
from training import selectors as training_selectors

# Requests that wait for a team to take them (the team's queue).
WAITING_STATUSES = (Status.ROUTED, Status.ESCALATED)
# Requests a volunteer is working on (they count against the volunteer's capacity).
ASSIGNED_STATUSES = (Status.ACCEPTED, Status.IN_PROGRESS)
# Requests that keep a team busy (its load when ranking).
BUSY_STATUSES = (Status.ROUTED, Status.ESCALATED, Status.ACCEPTED, Status.IN_PROGRESS)
ETA_SAMPLE = 20
ETA_WINDOW = timedelta(days=30)


@lru_cache(maxsize=65_536)
def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic kilometres, remembered: requests come from a few hundred village points
    and teams sit at fixed bases, and each geodesic costs ~0.4 ms of the hot path."""
    return float(geodesic(a, b).km)


def request_by_code(code: str) -> HelpRequest | None:
    """The request a resident's code names: `DA-7K3Q9XY`, `da 7k3q9xy` or `7K3Q9XY`.

    A code typed without its commune prefix is looked up under any prefix (the body
    alone carries 33 bits, so two communes sharing one is not a practical worry; the
    newest wins).
    """
    cleaned = clean_code(code)
    if not cleaned:
        return None
    qs = HelpRequest.objects.select_related(
        "commune", "village", "current_team", "assigned_volunteer__team"
    )
    if "-" not in cleaned and len(cleaned) == LENGTH:
        return qs.filter(code__endswith=f"-{cleaned}").order_by("-created_at").first()
    return qs.filter(code=cleaned).first()


def request_by_keypad(*, digits: str, commune_id: int | None) -> HelpRequest | None:
    """The newest request whose code body is keyed as `digits` on a phone keypad.

    Several codes share one alias (7 → P, Q, R, S or 7); the newest open one wins,
    else the newest. Matched with a regular expression per position, so no column
    has to be stored for it.
    """
    digits = "".join(d for d in digits if d.isdigit())
    if len(digits) != LENGTH:
        return None
    letters: dict[str, str] = {}
    for letter, digit in KEYPAD.items():
        letters[digit] = letters.get(digit, "") + letter
    pattern = "".join(f"[{d}{letters.get(d, '')}]" for d in digits)
    qs = HelpRequest.objects.filter(code__regex=rf"^[A-Z]+-{pattern}$")
    if commune_id is not None:
        qs = qs.filter(commune_id=commune_id)
    open_first = qs.filter(status__in=OPEN_STATUSES).order_by("-created_at").first()
    return open_first or qs.order_by("-created_at").first()


_LATEST_OPEN_FOR_PHONE = Prepared(
    lambda phone, since: (
        HelpRequest.objects.filter(
            resident_phone=phone, status__in=OPEN_STATUSES, created_at__gte=since
        )
        .order_by("-created_at")
        .values_list("pk", flat=True)[:1]
    )
)


def open_request_for_phone(*, phone: str, within: timedelta) -> HelpRequest | None:
    """The resident's latest open request made within `within`, e.g. to add a message.

    Asked first as a prepared query (every SMS asks; most have none), then read."""
    if not phone:
        return None
    found = _LATEST_OPEN_FOR_PHONE.rows(phone=phone, since=timezone.now() - within)
    return HelpRequest.objects.filter(pk=found[0][0]).first() if found else None


def open_request_for_zalo(
    *, contact: ZaloContact, within: timedelta
) -> HelpRequest | None:
    """The Zalo user's latest open request made within `within`."""
    return (
        HelpRequest.objects.filter(
            zalo_contact=contact,
            status__in=OPEN_STATUSES,
            created_at__gte=timezone.now() - within,
        )
        .order_by("-created_at")
        .first()
    )


def last_resolved_for_zalo(
    *, contact: ZaloContact, within: timedelta
) -> HelpRequest | None:
    """The Zalo user's latest resolved or closed request (to rate or answer "1"/"2")."""
    return (
        HelpRequest.objects.filter(
            zalo_contact=contact,
            status__in=[Status.RESOLVED, Status.CLOSED],
            resolved_at__gte=timezone.now() - within,
        )
        .order_by("-resolved_at")
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
    ahead = _ahead_in_queue(request.priority).rows(
        team_id=request.current_team_id,
        created_at=request.created_at,
        request_id=request.pk,
    )
    return (ahead[0][0] if ahead else 0) + 1


@cache
def _ahead_in_queue(priority: int) -> Prepared:
    """Every SMS reply and tracking page asks: compiled once per process and priority
    (a handful), the priority kept a constant so the ORM's range checks stay exact."""
    return Prepared(
        lambda team_id, created_at, request_id: (
            HelpRequest.objects.filter(
                current_team_id=team_id, status__in=WAITING_STATUSES
            )
            .filter(
                Q(priority__gt=priority)
                | Q(priority=priority, created_at__lt=created_at)
                | Q(priority=priority, created_at=created_at, pk__lt=request_id)
            )
            .order_by()
            .values("current_team_id")
            .annotate(n=Count("pk"))
            .values_list("n")
        )
    )


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
    """Per volunteer of these teams: open assignments and requests accepted this week.

    Two counting subqueries, each an index range (request_volunteer_status,
    offer_answerer_state_time): joining a volunteer's whole history of assignments
    with their answered offers would multiply the rows (seconds at a million requests).
    """
    open_now = (
        HelpRequest.objects.filter(
            assigned_volunteer=OuterRef("pk"), status__in=ASSIGNED_STATUSES
        )
        .order_by()
        .values("assigned_volunteer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    this_week = (
        Offer.objects.filter(
            answered_by=OuterRef("pk"),
            state=Offer.State.ACCEPTED,
            answered_at__gte=week_start(),
        )
        .order_by()
        .values("answered_by")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Volunteer.objects.filter(team_id__in=team_ids, active=True)
        .annotate(
            open_now=Coalesce(Subquery(open_now), 0),
            this_week=Coalesce(Subquery(this_week), 0),
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


def _public_label(event: RequestEvent) -> str:
    label = str(EventKind(event.kind).label)
    if event.kind == EventKind.GUIDE_SENT and event.data.get("title"):
        # The guide's name only: it says what to prepare, nothing about the sender.
        return f"{label}: {event.data['title']}"
    return label


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
            "label": _public_label(e),
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


def _free_members_and_team_load(
    *,
    team_ids: list[int] | QuerySet[SupportTeam, Any],
    request_id: int,
    category: str | None = None,
) -> QuerySet[Volunteer, tuple[int, int]]:
    """(team id, team load) for each of `available_volunteers`: the load is the
    requests keeping the team busy, other than `request_id` (the one being routed)."""
    busy = (
        HelpRequest.objects.filter(
            current_team_id=OuterRef("team_id"), status__in=BUSY_STATUSES
        )
        .exclude(pk=request_id)
        .order_by()
        .values("current_team_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        available_volunteers(team_ids=team_ids, category=category)
        .annotate(team_load=Coalesce(Subquery(busy), 0))
        .order_by()  # the model's ordering would join the teams and communes
        .values_list("team_id", "team_load")
    )


_FREE_IN_COMMUNE = Prepared(
    lambda commune_id, request_id: _free_members_and_team_load(
        team_ids=SupportTeam.objects.filter(
            commune_id=commune_id, kind=SupportTeam.Kind.VILLAGE, active=True
        ).values("pk"),
        request_id=request_id,
    )
)


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
    # The registry part (teams, the villages they serve) is cached per commune.
    excluded = exclude_team_ids or set()
    teams = {
        pk: team
        for pk, team in registry.village_teams(request.commune).items()
        if pk not in excluded
    }
    if not teams:
        return []
    # One query for the live part: who is free, and each team's current load.
    # Counted in Python: grouping again by team would break the per-volunteer HAVING.
    rows: Iterable[tuple[Any, ...]]
    if rules.request_needs_certificate(request):
        rows = _free_members_and_team_load(
            team_ids=list(teams), request_id=request.pk, category=request.category
        )
    else:
        # The usual case, with no certificate (and so no clock) in the query: compiled
        # once per process, then run for the request's commune.
        rows = _FREE_IN_COMMUNE.rows(
            commune_id=request.commune_id, request_id=request.pk or 0
        )
    free: Counter[int] = Counter()
    load: dict[int, int] = {}
    for team_id, team_load in rows:
        if team_id not in teams:  # tried already (or not a village team)
            continue
        free[team_id] += 1
        load[team_id] = team_load
    if not free:
        return []
    serving: frozenset[int] = frozenset()
    if request.village_id is not None:
        serving = registry.teams_serving(request.commune, request.village_id)
    penalty = settings.DISPATCH_LOAD_PENALTY_KM
    bonus = settings.DISPATCH_OWN_VILLAGE_BONUS_KM
    candidates = []
    for team_id, n_free in free.items():
        team = teams[team_id]
        km = distance_km(point, (team.base_lat, team.base_lng))
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


# What the resident reads in large type, in plain words, for each status.
STATUS_SENTENCES = {
    Status.RECEIVED: _("Đã nhận yêu cầu. Đang tìm tổ hỗ trợ gần nhà bác."),
    Status.ROUTED: _("Đang chờ tổ hỗ trợ nhận việc."),
    Status.ESCALATED: _("Đã chuyển cho chuyên viên xã. Sẽ có người gọi bác."),
    Status.ACCEPTED: _("Đã có người nhận việc. Họ sẽ gọi bác sớm."),
    Status.IN_PROGRESS: _("Tổ đang giúp bác."),
    Status.RESOLVED: _("Việc đã xong."),
    Status.CLOSED: _("Việc đã xong và đã đóng."),
    Status.CANCELLED: _("Yêu cầu đã hủy."),
}


def missed_offers(request: HelpRequest) -> int:
    """Offers that expired or were declined: each one is a team that did not come."""
    return request.offers.filter(
        state__in=(Offer.State.EXPIRED, Offer.State.DECLINED)
    ).count()


def honest_eta_minutes(request: HelpRequest) -> int | None:
    """The usual wait at the team, grown by every offer that expired or was declined.

    A resident who has already waited through three teams is not promised the
    first team's "about 15 minutes" again.
    """
    eta = eta_minutes(request)
    if eta is None:
        return None
    return eta * (1 + missed_offers(request))


def helper_for_resident(request: HelpRequest) -> Helper | None:
    """Once someone accepted: their given name, team and the number they call from."""
    volunteer = request.assigned_volunteer
    if volunteer is None or request.status not in ASSIGNED_STATUSES:
        return None
    parts = volunteer.full_name.split()
    return {
        "name": parts[-1] if parts else "",
        "team": volunteer.team.name,
        "phone": volunteer.phone,
        "phone_display": national_format(volunteer.phone),
    }


class Helper(TypedDict):
    name: str
    team: str
    phone: str
    phone_display: str


class PublicTracking(TypedDict):
    """The tracking page's and JSON's contract: no name, phone or exact point of the
    resident; the helper's given name, team and phone once they accepted."""

    code: str
    status: str
    status_label: str
    status_sentence: str
    category: str
    category_label: str
    scam: bool
    team: str | None
    village: str | None
    helper: Helper | None
    hotline: str | None
    hotline_display: str | None
    queue_position: int | None
    eta_minutes: int | None
    waited_minutes: int | None
    created_at: datetime
    due_at: datetime | None
    can_cancel: bool
    can_reopen: bool
    can_rate: bool
    rating: int | None
    timeline: list[PublicEvent]


def public_tracking(request: HelpRequest) -> PublicTracking:
    """Everything the tracking page and JSON may show: no name, phone or exact point
    of the resident. The helper's given name, team and phone are shown once they
    accepted (they call from that number; the resident should recognise it)."""
    is_open = request.status in OPEN_STATUSES
    hotlines = request.commune.hotline_numbers or []
    created = request.created_at
    return {
        "code": request.code,
        "status": request.status,
        "status_label": str(Status(request.status).label),
        "status_sentence": str(STATUS_SENTENCES[Status(request.status)]),
        "category": request.category,
        "category_label": request.get_category_display(),
        "scam": request.category == Category.SCAM and is_open,
        "team": request.current_team.name if request.current_team else None,
        "village": request.village.name if request.village else None,
        "helper": helper_for_resident(request),
        "hotline": hotlines[0] if hotlines else None,
        "hotline_display": national_format(hotlines[0]) if hotlines else None,
        "queue_position": queue_position(request),
        "eta_minutes": honest_eta_minutes(request),
        "waited_minutes": int((timezone.now() - created).total_seconds() // 60)
        if is_open
        else None,
        "created_at": created,
        "due_at": request.due_at if is_open else None,
        "can_cancel": is_open and bool(request.resident_phone),
        "can_reopen": request.status == Status.RESOLVED,
        "can_rate": request.status in (Status.RESOLVED, Status.CLOSED)
        and request.rating is None,
        "rating": request.rating,
        "timeline": public_timeline(request),
    }


# --- The operator's call-back list (dispatch/help_requests/callbacks.py) ---------------


def callbacks_waiting(*, commune: Commune | None) -> QuerySet[HelpRequest]:
    """Open requests of `commune` whose resident asked to be called back and was not
    reached yet, oldest first (None: every commune, for administrators)."""
    waiting = HelpRequest.objects.filter(
        callback_requested=True,
        callback_done_at__isnull=True,
        status__in=OPEN_STATUSES,
    )
    if commune is not None:
        waiting = waiting.filter(commune=commune)
    return waiting.select_related("village", "commune").order_by("created_at", "pk")


def household_requests(
    *,
    requests: list[HelpRequest],
    households: list[Household] | None = None,
    limit: int = 10,
) -> list[HelpRequest]:
    """Requests of the same household from other phones, newest first: those linked to
    one of the register's `households` (the caller's phone matched it), and those with
    the same resident's name in the same village as one of `requests` (the rule
    `management.same_household` uses for merging)."""
    phones = {r.resident_phone for r in requests}
    linked: list[HelpRequest] = []
    if households:
        linked = list(
            HelpRequest.objects.filter(household__in=households)
            .exclude(resident_phone__in=phones)
            .select_related("village")
            .order_by("-created_at")[:limit]
        )
    known = {(r.village_id, fold(r.resident_name)) for r in requests if r.village_id}
    known = {(v, n) for v, n in known if n}
    if not known:
        return linked
    commune_ids = {r.commune_id for r in requests}
    candidates = (
        HelpRequest.objects.filter(
            commune_id__in=commune_ids,
            village_id__in={v for v, _ in known},
        )
        .exclude(resident_phone__in=phones)
        .exclude(resident_name="")
        .select_related("village")
        .order_by("-created_at")[:200]
    )
    seen = {r.pk for r in linked}
    named = [
        r
        for r in candidates
        if (r.village_id, fold(r.resident_name)) in known and r.pk not in seen
    ]
    return sorted(linked + named, key=lambda r: r.created_at, reverse=True)[:limit]
