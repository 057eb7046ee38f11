"""Plain dicts for the JSON API (times ISO-8601 UTC; personal fields only when allowed)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dispatch.dashboard.kpis import requests_for
from dispatch.models import HelpRequest, RequestEvent
from dispatch.push.broadcast import iso_utc
from teams.models import Commune, SupportTeam

TIMES = (
    "created_at",
    "routed_at",
    "accepted_at",
    "started_at",
    "escalated_at",
    "resolved_at",
    "closed_at",
    "cancelled_at",
    "due_at",
)
PERSONAL = ("resident_name", "resident_phone", "location_text", "description")


def request_rows(
    *, commune: Commune, form: dict[str, Any], status: str = ""
) -> QuerySet[HelpRequest]:
    rows = requests_for(commune=commune, period=form["period"], filters=form["filters"])
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("village", "current_team").order_by("-created_at", "-pk")


def request_item(r: HelpRequest, *, personal: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": r.code,
        "status": r.status,
        "channel": r.channel,
        "category": r.category,
        "priority": r.priority,
        "village": r.village.name if r.village_id else None,
        "village_id": r.village_id,
        "team": r.current_team.name if r.current_team_id else None,
        "team_id": r.current_team_id,
        "home_visit": r.home_visit,
        "on_time": r.on_time,
        "outcome": r.outcome,
        "rating": r.rating,
        **{name: iso_utc(getattr(r, name)) for name in TIMES},
    }
    if personal:
        item.update({name: getattr(r, name) for name in PERSONAL})
    return item


def request_detail(
    r: HelpRequest, timeline: QuerySet[RequestEvent], *, personal: bool
) -> dict[str, Any]:
    return {
        **request_item(r, personal=personal),
        "timeline": [
            {
                "event_id": e.pk,
                "kind": e.kind,
                "label": e.get_kind_display(),
                "actor": e.actor_kind,
                "team_id": e.team_id,
                "at": iso_utc(e.created_at),
            }
            for e in timeline
        ],
    }


def team_item(t: SupportTeam) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "kind": t.kind,
        "active": t.active,
        "base": {"lat": t.base_lat, "lng": t.base_lng},
        "members": t.member_count,
        "on_duty": t.on_duty_count,
        "villages": [v.name for v in t.villages.all()],
    }
