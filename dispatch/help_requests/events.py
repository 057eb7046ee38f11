"""Recording a RequestEvent and scheduling its live push after commit.

Every state change writes exactly one event here; the broadcast runs only if the
surrounding transaction commits, so nobody is told about a change that was rolled back.
"""

from __future__ import annotations

import copy
from functools import partial
from typing import Any, Literal, TypedDict

from django.db import transaction

from dispatch.background import Job, enqueue_on_commit
from dispatch.help_requests import audience
from dispatch.models import ActorKind, HelpRequest, Offer, RequestEvent
from dispatch.push import broadcast
from teams.models import SupportTeam, Volunteer

OfferChange = Literal["opened", "closed", "hidden"] | None
# Where deferred events wait on their HelpRequest instance (see `record(defer=True)`).
_PENDING = "_deferred_events"


class Actor(TypedDict):
    """Who acted, as `record` takes it (`**actor(...)`)."""

    actor_kind: str
    actor_user: Any


# The resident acted (tracking page, SMS, the phone keypad).
RESIDENT: Actor = {"actor_kind": ActorKind.RESIDENT, "actor_user": None}


def actor(*, volunteer: Volunteer | None = None, user: Any = None) -> Actor:
    """Who made a change, as `record` takes it: a volunteer, a staff user, or the system."""
    if volunteer is not None:
        return {"actor_kind": ActorKind.VOLUNTEER, "actor_user": volunteer.user}
    if user is not None:
        return {"actor_kind": ActorKind.STAFF, "actor_user": user}
    return {"actor_kind": ActorKind.SYSTEM, "actor_user": None}


def record(
    *,
    request: HelpRequest,
    kind: str,
    actor_kind: str = ActorKind.SYSTEM,
    actor_user: Any = None,
    team: SupportTeam | None = None,
    data: dict[str, Any] | None = None,
    offer: Offer | None = None,
    offer_change: OfferChange = None,
    defer: bool = False,
) -> RequestEvent:
    """Append one event and push it after commit (one message per listening group).

    With `defer`, the event is kept on the request and written (one INSERT for all)
    with its next event or by `flush` — for a new request whose created, located and
    routed events happen in one transaction; it is pushed when it is written.
    """
    event = RequestEvent(
        request=request,
        kind=kind,
        actor_kind=actor_kind,
        actor_user=actor_user if getattr(actor_user, "pk", None) else None,
        team=team,
        data=data or {},
    )
    pending: list[tuple[RequestEvent, HelpRequest]] = request.__dict__.setdefault(
        _PENDING, []
    )
    if defer:
        # Pushed as the request was at this event (it moves on before the push).
        as_it_was = copy.copy(request)
        as_it_was.__dict__.pop(_PENDING, None)
        pending.append((event, as_it_was))
        return event
    opened = offer if offer_change == "opened" else None
    if opened is not None:
        # The offer reaches its volunteers first, before the board hears of the
        # request's earlier events; the board gets them all in order.
        only = audience.restricted_to(opened)
        transaction.on_commit(
            lambda: broadcast.offer_opened_to_team(opened, event, only)
        )
    if pending:
        RequestEvent.objects.bulk_create([*(e for e, _ in pending), event])
        _push_changed(pending)
        pending.clear()
    else:
        event.save()
    if opened is not None:
        transaction.on_commit(lambda: broadcast.offer_opened_to_board(opened, event))
        # Volunteers on duty without the app open hear about it by SMS (a task: the
        # webhook or form that caused this must not wait for presence look-ups).
        enqueue_on_commit(Job.TEXT_OFFER_TO_OFFLINE, opened.pk)
    elif offer is not None and offer_change == "closed":
        transaction.on_commit(
            lambda: broadcast.offer_closed(
                offer, event, only=audience.restricted_to(offer)
            )
        )
        if offer.state == Offer.State.ACCEPTED:
            enqueue_on_commit(Job.TELL_OFFER_TAKEN, offer.pk)
    elif offer is not None and offer_change == "hidden":
        # A member's own decline: only their screens (and the board) hear of it.
        volunteer_id = event.data["volunteer_id"]
        transaction.on_commit(
            lambda: broadcast.offer_hidden(offer, event, volunteer_id=volunteer_id)
        )
    else:
        transaction.on_commit(lambda: broadcast.request_changed(request, event))
    return event


def flush(request: HelpRequest) -> None:
    """Write (and push after commit) the events deferred on `request`, if any."""
    pending: list[tuple[RequestEvent, HelpRequest]] = (
        request.__dict__.get(_PENDING) or []
    )
    if pending:
        RequestEvent.objects.bulk_create([e for e, _ in pending])
        _push_changed(pending)
        pending.clear()


def _push_changed(written: list[tuple[RequestEvent, HelpRequest]]) -> None:
    for event, as_it_was in written:
        transaction.on_commit(partial(broadcast.request_changed, as_it_was, event))
