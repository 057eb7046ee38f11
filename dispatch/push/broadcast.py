"""The one place that knows channel-layer group names and sends live pushes.

Services call these functions inside `transaction.on_commit`, so nobody hears about a
change that was rolled back. Payloads carry ids and small fields, times in ISO-8601 UTC.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from datetime import UTC
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.utils import timezone

from dispatch.models import HelpRequest, Offer, RequestEvent
from teams.models import LANGUAGE_NAMES

logger = logging.getLogger(__name__)


# The consumer method that receives every push (type "live.event" → live_event()).
LIVE_EVENT = "live.event"

# Event types that clients see in the `type` field.
NOTICE = "board.notice"


def board_group(commune_id: int) -> str:
    """Operators and secretaries of one commune watching the live board."""
    return f"board.{commune_id}"


def team_group(team_id: int) -> str:
    """Every connected volunteer of one support team."""
    return f"team.{team_id}"


def volunteer_group(volunteer_id: int) -> str:
    """All tabs and phones of one volunteer."""
    return f"volunteer.{volunteer_id}"


# How long a push from synchronous code may wait for Redis before it is given up.
PUSH_TIMEOUT_SECONDS = 5.0

_push_loops: dict[int, asyncio.AbstractEventLoop] = {}
_push_loops_lock = threading.Lock()


def _push_loop() -> asyncio.AbstractEventLoop:
    """This process's push loop: one event loop on a daemon thread, started on first use.

    `async_to_sync` from a worker makes a new event loop per call, and channels_redis
    keeps its connections per loop, so every push would open and close a Redis
    connection (about 2 ms each, four pushes for a new request). One long-lived loop
    keeps them open. Keyed by process id: a forked worker starts its own.
    """
    pid = os.getpid()
    loop = _push_loops.get(pid)
    if loop is not None:
        return loop
    with _push_loops_lock:
        loop = _push_loops.get(pid)
        if loop is None:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=loop.run_forever, name="caunoi-push", daemon=True
            )
            thread.start()
            _push_loops.clear()  # a parent's loop: its thread did not survive the fork
            _push_loops[pid] = loop
    return loop


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _group_send(layer: BaseChannelLayer, group: str, event: dict[str, Any]) -> None:
    if isinstance(layer, RedisChannelLayer) and not _in_event_loop():
        future = asyncio.run_coroutine_threadsafe(
            layer.group_send(group, event), _push_loop()
        )
        try:
            future.result(timeout=PUSH_TIMEOUT_SECONDS)
        except TimeoutError:
            future.cancel()
            raise
        return
    # The in-memory layer of the tests lives on the caller's loop: go through asgiref.
    async_to_sync(layer.group_send)(group, event)


def send(group: str, message: dict[str, Any]) -> None:
    """Push one message to a group; a push is best-effort, the database is the truth."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        _group_send(layer, group, {"type": LIVE_EVENT, "message": message})
    except Exception:  # noqa: BLE001 - a dead Redis must not undo a committed change
        # Clients resume from the last event_id they saw, so a lost push is recovered.
        logger.warning("live push to %s failed", group, exc_info=True)


def iso_utc(value: Any) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def request_fields(request: HelpRequest) -> dict[str, Any]:
    """Small, non-personal fields: never the resident's name, phone or exact point."""
    return {
        "request_id": request.pk,
        "code": request.code,
        "status": request.status,
        "category": request.category,
        "priority": request.priority,
        "village": request.village.name if request.village_id else None,
        "village_id": request.village_id,
        "team_id": request.current_team_id,
        "team": request.current_team.name if request.current_team_id else None,
        "volunteer_id": request.assigned_volunteer_id,
        "needs_triage": request.needs_triage,
        # The villages the words could mean (names of places, nothing personal).
        "candidates": request.location_candidates if request.needs_triage else [],
        "home_visit": request.home_visit,
        # So a speaker of the resident's language can be sent ("" for Vietnamese).
        "language_name": ""
        if request.language in ("", "vi")
        else str(LANGUAGE_NAMES.get(request.language, request.language)),
        "needs": request.need_keys,
        "preferred_time": request.preferred_time,
        # The operator tried to call back and could not (the board flags it).
        "callback_failed": request.callback_failed,
        "volunteer": request.assigned_volunteer.full_name
        if request.assigned_volunteer_id
        else None,
        "created_at": iso_utc(request.created_at),
        "due_at": iso_utc(request.due_at),
    }


def _event_fields(event: RequestEvent) -> dict[str, Any]:
    return {
        "event_id": event.pk,
        "event": event.kind,
        "actor": event.actor_kind,
        "at": iso_utc(event.created_at),
    }


def request_changed(request: HelpRequest, event: RequestEvent) -> None:
    """A request moved: tell its commune's board, its team and its volunteer."""
    message = {
        "type": "request.changed",
        **_event_fields(event),
        **request_fields(request),
    }
    send(board_group(request.commune_id), message)
    if request.current_team_id:
        send(team_group(request.current_team_id), message)
    if event.team_id and event.team_id != request.current_team_id:
        send(team_group(event.team_id), message)
    if request.assigned_volunteer_id:
        send(volunteer_group(request.assigned_volunteer_id), message)


def _offer_fields(offer: Offer) -> dict[str, Any]:
    return {
        "offer_id": offer.pk,
        "offer_state": offer.state,
        "round": offer.round,
        "offer_team_id": offer.team_id,
        "offer_team": offer.team.name,
        "distance_km": offer.distance_km,
        "offered_at": iso_utc(offer.offered_at),
        "expires_at": iso_utc(offer.expires_at),
        "answered_at": iso_utc(offer.answered_at),
    }


def _to_offer_audience(offer: Offer, message: dict[str, Any], only: list[int] | None):
    """The whole team, or (certificate-gated offers) only the members who may take it."""
    if only is None:
        send(team_group(offer.team_id), message)
        return
    for volunteer_id in only:
        send(volunteer_group(volunteer_id), message)


def offer_opened_message(offer: Offer, event: RequestEvent) -> dict[str, Any]:
    return {
        "type": "offer.opened",
        **_event_fields(event),
        **request_fields(offer.request),
        **_offer_fields(offer),
    }


def offer_opened_to_team(
    offer: Offer, event: RequestEvent, only: list[int] | None = None
) -> None:
    """A team is invited: its volunteers' screens show the offer. Pushed first, ahead
    of the board: they are the ones a resident is waiting for.

    `only`: for an offer that needs a certificate, the volunteers who may see it.
    """
    _to_offer_audience(offer, offer_opened_message(offer, event), only)


def offer_opened_to_board(offer: Offer, event: RequestEvent) -> None:
    """The board follows an offer's opening, after the request's earlier events."""
    send(board_group(offer.request.commune_id), offer_opened_message(offer, event))


def offer_closed(
    offer: Offer, event: RequestEvent, *, only: list[int] | None = None
) -> None:
    """An offer was accepted, declined, expired or withdrawn: it leaves every screen."""
    request = offer.request
    message = {
        "type": "offer.closed",
        **_event_fields(event),
        **request_fields(request),
        **_offer_fields(offer),
        "answered_by_id": offer.answered_by_id,
    }
    send(board_group(request.commune_id), message)
    _to_offer_audience(offer, message, only)
    if offer.answered_by_id and (only is None or offer.answered_by_id not in only):
        send(volunteer_group(offer.answered_by_id), message)


def offer_hidden(offer: Offer, event: RequestEvent, *, volunteer_id: int) -> None:
    """One member declined: the offer leaves their screens; the team keeps it open."""
    request = offer.request
    message = {
        "type": "offer.declined",
        **_event_fields(event),
        **request_fields(request),
        **_offer_fields(offer),
        "declined_by_id": volunteer_id,
        "declined_by": (event.data or {}).get("name", ""),
    }
    send(board_group(request.commune_id), message)
    send(volunteer_group(volunteer_id), message)


def board_notice(*, commune_id: int, text: str) -> None:
    """Show a short notice from the commune office on every open live board."""
    send(
        board_group(commune_id),
        {"type": NOTICE, "text": text, "sent_at": timezone.now().isoformat()},
    )


def offer_withdrawn(offer: Offer) -> None:
    """Staff moved the request on (reassigned, escalated, resolved, cancelled).

    The change itself is pushed with its own event to the new team; this tells the team
    that had the open offer to drop it. No event of its own: a client that misses it
    gets a fresh list of open offers when it reconnects.
    """
    send(
        team_group(offer.team_id),
        {
            "type": "offer.withdrawn",
            "event_id": None,
            "offer_id": offer.pk,
            "request_id": offer.request_id,
        },
    )


# Events that opened an offer (their data names it) and events that closed one.
_OPENING_KINDS = ("routed", "escalated", "reassigned")
_CLOSING_KINDS = ("accepted", "offer_declined", "offer_expired")


def replay_message(event: RequestEvent) -> dict[str, Any]:
    """The message a client would have been pushed for a stored event, for resuming.

    Built with the same fields as the live pushes; request and offer fields show their
    current state, the event fields what happened then.
    """
    request = event.request
    offer_id = (event.data or {}).get("offer_id")
    offer = None
    if offer_id and event.kind in _OPENING_KINDS + _CLOSING_KINDS:
        offer = Offer.objects.select_related("team").filter(pk=offer_id).first()
    message: dict[str, Any] = {"type": "request.changed"}
    if event.kind == "member_declined":
        offer = Offer.objects.select_related("team").filter(pk=offer_id).first()
        if offer is not None:
            message = {
                "type": "offer.declined",
                **_offer_fields(offer),
                "declined_by_id": (event.data or {}).get("volunteer_id"),
                "declined_by": (event.data or {}).get("name", ""),
            }
        offer = None
    if offer is not None:
        opening = event.kind in _OPENING_KINDS
        message = {
            "type": "offer.opened" if opening else "offer.closed",
            **_offer_fields(offer),
        }
        if not opening:
            message["answered_by_id"] = offer.answered_by_id
    fields = {**_event_fields(event), **request_fields(request)}
    return {**message, **fields, "type": message["type"]}


def duty_changed(*, volunteer_id: int, on_duty: bool) -> None:
    """A volunteer went on or off duty: every tab and phone of theirs follows."""
    send(
        volunteer_group(volunteer_id),
        {"type": "duty", "event_id": None, "on_duty": on_duty},
    )


def team_duty(*, commune_id: int, team_id: int, on_duty: int, members: int) -> None:
    """A team's on-duty count changed: the board and the dashboard map follow."""
    send(
        board_group(commune_id),
        {
            "type": "team.duty",
            "event_id": None,
            "team_id": team_id,
            "on_duty": on_duty,
            "members": members,
        },
    )


def sms_failed(*, commune_id: int, request_id: int, code: str, purpose: str) -> None:
    """An SMS about a request failed for good: the board marks that request."""
    send(
        board_group(commune_id),
        {
            "type": "sms.failed",
            "request_id": request_id,
            "code": code,
            "purpose": purpose,
            "failed_at": timezone.now().isoformat(),
        },
    )


def volunteer_notice(notice: Any, *, volunteer_ids: list[int]) -> None:
    """A notice from the office or a team leader, to each recipient's screens."""
    message = {
        "type": "volunteer.notice",
        "notice_id": notice.pk,
        "text": notice.text,
        "author": notice.author.get_full_name() if notice.author_id else "",
        "at": iso_utc(notice.created_at),
    }
    for volunteer_id in volunteer_ids:
        send(volunteer_group(volunteer_id), message)


def scam_warning(warning: Any, *, volunteer_ids: list[int]) -> None:
    """A village scam warning, shown on `/v/` like a notice (the same client code)."""
    message = {
        "type": "volunteer.notice",
        "kind": "scam_warning",
        "notice_id": f"warning-{warning.pk}",
        "text": warning.text,
        "author": warning.author.get_full_name() if warning.author_id else "",
        "at": iso_utc(warning.created_at),
    }
    for volunteer_id in volunteer_ids:
        send(volunteer_group(volunteer_id), message)
