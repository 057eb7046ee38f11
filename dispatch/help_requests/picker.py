"""Who the office may give a request to: the assign picker's rows, best first.

Each row shows the volunteer's team, whether they are on duty, how far their team's
base is from the resident, and their open load against their capacity. Only people
allowed to take the request are listed (a certificate where the category needs one).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from dispatch.help_requests import rules
from dispatch.help_requests.selectors import (
    ASSIGNED_STATUSES,
    distance_km,
    request_point,
)
from dispatch.models import HelpRequest
from teams.models import Volunteer
from teams.text import fold
from training import selectors as training_selectors

LIMIT = 30


@dataclass(frozen=True)
class Pick:
    volunteer: Volunteer
    distance_km: float | None
    load: int

    @property
    def free(self) -> bool:
        return self.volunteer.on_duty and self.load < self.volunteer.capacity


def assign_picks(*, request: HelpRequest, query: str = "") -> list[Pick]:
    """Active volunteers of the request's commune who may take it, matching `query`
    (name or team, without diacritics), best first: free on-duty people, then nearest,
    then least loaded. At most LIMIT rows."""
    volunteers = (
        Volunteer.objects.filter(team__commune_id=request.commune_id, active=True)
        .select_related("team")
        .annotate(
            load=Count(
                "assignments", filter=Q(assignments__status__in=ASSIGNED_STATUSES)
            )
        )
    )
    if rules.request_needs_certificate(request):
        certified = training_selectors.certified_volunteers(category=request.category)
        volunteers = volunteers.filter(pk__in=certified.values("pk"))
    for word in fold(query).split():
        volunteers = volunteers.filter(
            Q(search_key__contains=word) | Q(team__name__icontains=word)
        )
    point = request_point(request)
    picks = []
    for volunteer in volunteers[:500]:
        team = volunteer.team
        km = None
        if point is not None and team.base_lat is not None:
            km = round(distance_km(point, (team.base_lat, team.base_lng)), 1)
        picks.append(Pick(volunteer, km, volunteer.load))
    picks.sort(
        key=lambda p: (
            not p.free,
            p.distance_km if p.distance_km is not None else 1e9,
            p.load,
            p.volunteer.full_name,
        )
    )
    return picks[:LIMIT]
