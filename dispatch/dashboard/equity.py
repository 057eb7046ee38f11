"""Who is *not* being reached: rates per village, distance to help, hours nobody is on duty.

A village asking far less than the commune average (per 1,000 households) may be unreached
rather than content, so it is flagged for a visit, not praised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from geopy.distance import geodesic

from dispatch.dashboard import kpis
from dispatch.dashboard.kpis import Filters, Period
from dispatch.models import OPEN_STATUSES, DutyChange, HelpRequest
from teams.models import Commune, DutySlot, SupportTeam, Village, Volunteer
from training import selectors as training_selectors


def _per_thousand(count: int, households: int) -> float | None:
    return round(1000.0 * count / households, 1) if households else None


def village_rates(*, commune: Commune, period: Period) -> dict[str, Any]:
    """Requests and resolutions per 1,000 households per village, against the average.

    From the day tallies (a fixed number of queries). A village is flagged when its
    request rate is below DASHBOARD_EQUITY_FLAG_RATIO × the commune average.
    """
    counts: dict[int, dict[str, int]] = {}
    found = kpis.tallies(
        commune=commune,
        period=period,
        filters=Filters(),
        by=("village",),
        headline=False,
    )
    for village_id, tally in found.by["village"].items():
        if village_id is not None:
            c = counts.setdefault(village_id, {"requests": 0, "resolutions": 0})
            c["requests"] += tally.received
            c["resolutions"] += tally.processed
    villages = list(
        Village.objects.filter(commune=commune)
        .order_by("number", "name")
        .values("id", "name", "households")
    )
    households = sum(v["households"] for v in villages)
    total = sum(counts.get(v["id"], {}).get("requests", 0) for v in villages)
    resolved = sum(counts.get(v["id"], {}).get("resolutions", 0) for v in villages)
    average = _per_thousand(total, households)
    ratio = settings.DASHBOARD_EQUITY_FLAG_RATIO
    rows = []
    for v in villages:
        c = counts.get(v["id"], {})
        rate = _per_thousand(c.get("requests", 0), v["households"])
        rows.append(
            {
                "village_id": v["id"],
                "village": v["name"],
                "households": v["households"],
                "requests": c.get("requests", 0),
                "resolutions": c.get("resolutions", 0),
                "requests_per_1000": rate,
                "resolutions_per_1000": _per_thousand(
                    c.get("resolutions", 0), v["households"]
                ),
                "flagged": bool(
                    average and rate is not None and rate < ratio * average
                ),
            }
        )
    return {
        "average_requests_per_1000": average,
        "average_resolutions_per_1000": _per_thousand(resolved, households),
        "flag_ratio": ratio,
        "villages": rows,
    }


def _on_duty_team_ids(commune: Commune, volunteers: QuerySet[Volunteer]) -> set[int]:
    return set(
        volunteers.filter(
            team__commune=commune, team__active=True, active=True, on_duty=True
        ).values_list("team_id", flat=True)
    )


def coverage_gaps(*, commune: Commune) -> dict[str, Any]:
    """Per village, the distance to the nearest team with someone on duty now.

    Also per category that needs a certificate, the nearest team with a certified
    volunteer on duty. Villages farther than DASHBOARD_COVERAGE_KM are flagged.
    Queries: 3 + one per certified category (a fixed, small number).
    """
    limit = settings.DASHBOARD_COVERAGE_KM
    teams = {t.pk: t for t in SupportTeam.objects.filter(commune=commune, active=True)}
    on_duty = _on_duty_team_ids(commune, Volunteer.objects.all())
    categories = sorted(training_selectors.required_categories(commune=commune))
    certified = {
        category: _on_duty_team_ids(
            commune, training_selectors.certified_volunteers(category=category)
        )
        for category in categories
    }

    def nearest(village: Village, team_ids: set[int]) -> tuple[str, float] | None:
        best = None
        for team_id in team_ids & teams.keys():
            team = teams[team_id]
            km = geodesic((village.lat, village.lng), (team.base_lat, team.base_lng)).km
            if best is None or km < best[1]:
                best = (team.name, km)
        return best

    rows = []
    for village in Village.objects.filter(commune=commune).order_by("number", "name"):
        found = nearest(village, on_duty)
        per_category = {}
        for category in categories:
            hit = nearest(village, certified[category])
            per_category[category] = {
                "team": hit[0] if hit else None,
                "km": round(hit[1], 1) if hit else None,
                "flagged": hit is None or hit[1] > limit,
            }
        rows.append(
            {
                "village_id": village.pk,
                "village": village.name,
                "team": found[0] if found else None,
                "km": round(found[1], 1) if found else None,
                "flagged": found is None or found[1] > limit,
                "certified": per_category,
            }
        )
    return {"limit_km": limit, "categories": categories, "villages": rows}


@dataclass
class DutyGrid:
    """share[weekday][hour] = part of that hour's occurrences with someone on duty."""

    has_history: bool
    share: list[list[float]]

    @property
    def empty_hours(self) -> list[tuple[int, int]]:
        """(weekday 0=Monday, hour) slots with nobody on duty in any occurrence."""
        if not self.has_history:
            return []
        return [
            (day, hour)
            for day in range(7)
            for hour in range(24)
            if self.share[day][hour] == 0
        ]


def duty_grid(
    *, commune: Commune, period: Period, now: dt.datetime | None = None
) -> DutyGrid:
    """Hours of the week (local time) with nobody on duty, from the DutyChange log.

    Two queries: who was on duty when the period began (the last change before it), then
    the changes during it. A volunteer with no change before the period counts as off.
    """
    end = min(period.end, now or timezone.now())
    history = DutyChange.objects.filter(team__commune=commune)
    last_before = (
        DutyChange.objects.filter(volunteer=OuterRef("pk"), at__lt=period.start)
        .order_by("-at", "-id")
        .values("on_duty")[:1]
    )
    on = set(
        Volunteer.objects.filter(team__commune=commune)
        .annotate(state=Subquery(last_before))
        .filter(state=True)
        .values_list("pk", flat=True)
    )
    changes = list(
        history.filter(at__gte=period.start, at__lt=end)
        .order_by("at", "id")
        .values_list("volunteer_id", "on_duty", "at")
    )
    has_history = bool(on or changes) or history.filter(at__lt=end).exists()
    covered = [[0] * 24 for _ in range(7)]
    seen = [[0] * 24 for _ in range(7)]
    tz = timezone.get_default_timezone()
    hour = period.start
    i = 0
    while hour < end:
        nxt = hour + dt.timedelta(hours=1)
        someone = bool(on)
        while i < len(changes) and changes[i][2] < nxt:
            volunteer_id, state, _at = changes[i]
            if state:
                on.add(volunteer_id)
                someone = True
            else:
                on.discard(volunteer_id)
            i += 1
        local = hour.astimezone(tz)
        seen[local.weekday()][local.hour] += 1
        covered[local.weekday()][local.hour] += someone
        hour = nxt
    share = [
        [round(covered[d][h] / seen[d][h], 2) if seen[d][h] else 0.0 for h in range(24)]
        for d in range(7)
    ]
    return DutyGrid(has_history=has_history, share=share)


def roster_grid(*, commune: Commune) -> list[list[int]] | None:
    """Members rostered per [weekday][hour] by the teams' weekly slots; None if the
    commune has no roster yet (the grid then shows only the duty log)."""
    slots = list(
        DutySlot.objects.filter(
            team__commune=commune, team__active=True
        ).prefetch_related("members")
    )
    if not slots:
        return None
    planned = [[0] * 24 for _ in range(7)]
    for slot in slots:
        members = sum(1 for v in slot.members.all() if v.active)
        for hour in range(24):
            if slot.starts <= dt.time(hour) < slot.ends or (
                slot.starts.hour == hour and slot.starts.minute
            ):
                planned[slot.weekday][hour] += members
    return planned


def past_due(
    *, commune: Commune, now: dt.datetime | None = None, limit: int = 50
) -> QuerySet[HelpRequest]:
    """Open requests whose due time has passed, the most overdue first."""
    return (
        HelpRequest.objects.filter(
            commune=commune,
            status__in=OPEN_STATUSES,
            due_at__lt=now or timezone.now(),
        )
        .select_related("village", "current_team")
        .order_by("due_at")[:limit]
    )
