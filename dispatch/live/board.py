"""What the live board shows: the snapshot a board gets on connect, its rows, and the
events it catches up on after a reconnect."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from dispatch import permissions
from dispatch.help_requests.picker import Pick
from dispatch.live.screens import REPLAY_LIMIT, latest_event_id
from dispatch.models import (
    OPEN_STATUSES,
    HelpRequest,
    Offer,
    OutboundMessage,
    RequestEvent,
)
from dispatch.push import broadcast
from dispatch.push.broadcast import iso_utc
from teams import selectors as team_selectors
from teams.models import SupportTeam, Village

# --- The live board -------------------------------------------------------------------


def board_row(
    request: HelpRequest, offer: Offer | None, *, sms_failed: int = 0
) -> dict[str, Any]:
    """A board row: the same fields as a live push, plus what only the board shows."""
    return {
        **broadcast.request_fields(request),
        "escalated": request.escalated_at is not None,
        "offer_id": offer.pk if offer else None,
        "expires_at": iso_utc(offer.expires_at) if offer else None,
        # SMS about this request that failed for good (resident or volunteer not told).
        "sms_failed": sms_failed,
    }


def board_state(*, commune_id: int, user: Any) -> dict[str, Any]:
    """Every open request of the commune, with the choices the filters and the action
    drawer need. People are not listed: the drawer asks for `picks` (the picker)."""
    cursor = latest_event_id()
    requests = list(
        HelpRequest.objects.filter(commune_id=commune_id, status__in=OPEN_STATUSES)
        .select_related("village", "current_team", "assigned_volunteer")
        .order_by("-priority", "created_at")
    )
    open_offers = {
        o.request_id: o
        for o in Offer.objects.filter(
            request__commune_id=commune_id, state=Offer.State.OPEN
        )
    }
    failed_sms = dict(
        OutboundMessage.objects.filter(
            request__commune_id=commune_id,
            request__status__in=OPEN_STATUSES,
            status=OutboundMessage.Status.FAILED,
        )
        .values_list("request_id")
        .annotate(n=Count("pk"))
    )
    teams = list(
        SupportTeam.objects.filter(commune_id=commune_id, active=True).order_by("name")
    )
    # On-duty counts in the snapshot: `team.duty` pushes carry no event id to resume
    # from, so a screen that reconnects catches up from here.
    counts = {
        c.team_id: c for c in team_selectors.duty_counts(team_ids=[t.pk for t in teams])
    }
    return {
        "type": "hello",
        "event_id": cursor,
        # Secretaries manage (cancel, merge, close, reopen, assign); every board
        # viewer is office staff and may correct and note (dispatch/permissions.py).
        "can_reassign": permissions.may_reassign(user),
        "can_correct": permissions.may_use_office_pages(user=user),
        "requests": [
            board_row(r, open_offers.get(r.pk), sms_failed=failed_sms.get(r.pk, 0))
            for r in requests
        ],
        "teams": [
            {
                "id": t.pk,
                "name": t.name,
                "on_duty": counts[t.pk].on_duty,
                "members": counts[t.pk].members,
            }
            for t in teams
        ],
        "villages": [
            {"id": v.pk, "name": v.name}
            for v in Village.objects.filter(commune_id=commune_id).order_by("name")
        ],
    }


def pick_rows(picks: list[Pick]) -> list[dict[str, Any]]:
    """The assign picker's rows as the drawer shows them: name, team, on duty,
    distance from the resident and open load against capacity."""
    return [
        {
            "volunteer_id": p.volunteer.pk,
            "name": p.volunteer.full_name,
            "team": p.volunteer.team.name,
            "on_duty": p.volunteer.on_duty,
            "distance_km": p.distance_km,
            "load": p.load,
            "capacity": p.volunteer.capacity,
            "free": p.free,
        }
        for p in picks
    ]


def board_events_after(*, commune_id: int, event_id: int) -> list[RequestEvent]:
    return list(
        RequestEvent.objects.filter(request__commune_id=commune_id, pk__gt=event_id)
        .select_related("request", "request__village", "request__current_team", "team")
        .order_by("pk")[:REPLAY_LIMIT]
    )
