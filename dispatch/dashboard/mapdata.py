"""What the coverage map draws: villages, team bases with on-duty counts, open requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from dispatch.dashboard.outlines import village_cells
from dispatch.models import OPEN_STATUSES, HelpRequest
from teams import selectors as team_selectors
from teams.models import Commune, Village

MAX_OPEN_ON_MAP = 500


def map_data(*, commune: Commune) -> dict[str, Any]:
    """Map payload (no personal data: requests sit at their village, not their home)."""
    villages = [
        {
            "id": v["id"],
            "name": v["name"],
            "lat": v["lat"],
            "lng": v["lng"],
            "households": v["households"],
        }
        for v in Village.objects.filter(commune=commune)
        .order_by("number", "name")
        .values("id", "name", "lat", "lng", "households")
    ]
    # Drawn under everything, tiles or not: the map still shows the villages offline.
    cells = village_cells([(v["lat"], v["lng"]) for v in villages])
    for village, cell in zip(villages, cells, strict=True):
        village["outline"] = cell
    teams = [
        {
            "id": t.pk,
            "name": t.name,
            "kind": t.kind,
            "lat": t.base_lat,
            "lng": t.base_lng,
            "members": t.member_count,
            "on_duty": t.on_duty_count,
        }
        for t in team_selectors.team_overview(commune=commune).filter(active=True)
    ]
    # Ordered by status first so the (commune, status, created_at) index serves it;
    # ordering by time alone lets SQLite walk every request of the commune by date.
    requests = list(
        HelpRequest.objects.filter(commune=commune, status__in=OPEN_STATUSES)
        .order_by("status", "-created_at")
        .values(
            "id",
            "code",
            "status",
            "priority",
            "category",
            "village_id",
            "current_team_id",
        )[:MAX_OPEN_ON_MAP]
    )
    for r in requests:
        r["request_id"] = r.pop("id")
        r["team_id"] = r.pop("current_team_id")
    return {
        "center": [commune.lat, commune.lng],
        "tiles": settings.DASHBOARD_MAP_TILE_URL,
        "attribution": settings.DASHBOARD_MAP_ATTRIBUTION,
        "villages": villages,
        "teams": teams,
        "requests": requests,
    }
