"""The commune office manages a request: corrects it, cancels it with a reason, merges
a duplicate, gives it to a named volunteer.

Each service runs in one transaction, locks the request row, writes one RequestEvent
per request it changes (who and when are on the event) and pushes after commit
(`events.record`). Who may call which is decided in dispatch/permissions.py
(`may_correct_request`, `may_manage_request`); the services check the commune.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dispatch.errors import InvalidTransition, NotCertified, NotYourTeam
from dispatch.help_requests import events, rules, selectors
from dispatch.help_requests.lifecycle import reassign_request
from dispatch.help_requests.offers import (
    lock_request,
    route_request,
    withdraw_open_offer,
)
from dispatch.masking.text import mask_sensitive
from dispatch.models import (
    OPEN_STATUSES,
    ActorKind,
    CancelReason,
    Category,
    EventKind,
    HelpRequest,
    LocationSource,
    Priority,
    Status,
)
from teams.models import SupportTeam, Village, Volunteer
from teams.text import fold, nfc

# Waiting for someone to take it (a village team, or the specialists because the place
# was unknown): a corrected village sends it to that village's team at once.
REROUTABLE = (Status.RECEIVED, Status.ROUTED, Status.ESCALATED)
# The vulnerability flags, as HelpRequest field names.
FLAGS = tuple(rules.FLAG_FIELDS.values())


def _staff_event(
    request: HelpRequest, user: Any, kind: str, data: dict[str, Any]
) -> None:
    """One event by an office user, on the team holding the request (pushed after
    commit)."""
    events.record(
        request=request,
        kind=kind,
        actor_kind=ActorKind.STAFF,
        actor_user=user,
        team=request.current_team,
        data=data,
    )


def edit_request(
    *,
    request: HelpRequest,
    user: Any,
    category: str | None = None,
    priority: int | None = None,
    flags: dict[str, bool] | None = None,
    village: Village | None = None,
    description: str | None = None,
) -> HelpRequest:
    """Correct what intake got wrong; one `edited` event listing what changed.

    A new village re-locates the request (its centroid, "selected" source, off the
    triage queue) and, while nobody has taken it, withdraws the open offer and routes
    it again (a second transaction: the `routed` event of the new team). Locks the
    request row. Raises InvalidTransition for a closed request or bad values.
    """
    changes: dict[str, list[Any]] = {}
    with transaction.atomic():
        request = lock_request(request)
        if request.status not in OPEN_STATUSES:
            raise InvalidTransition()
        if category is not None and category != request.category:
            if category not in Category.values:
                raise InvalidTransition()
            changes["category"] = [request.category, category]
            request.category = category
        if priority is not None and int(priority) != request.priority:
            if int(priority) not in Priority.values:
                raise InvalidTransition()
            changes["priority"] = [request.priority, int(priority)]
            request.priority = int(priority)
        for name, value in (flags or {}).items():
            if name in FLAGS and bool(value) != getattr(request, name):
                changes[name] = [getattr(request, name), bool(value)]
                setattr(request, name, bool(value))
        if village is not None and village.pk != request.village_id:
            if village.commune_id != request.commune_id:
                raise NotYourTeam()
            changes["village"] = [
                request.village.name if request.village else None,
                village.name,
            ]
            request.village = village
            request.lat, request.lng = village.lat, village.lng
            request.location_source = LocationSource.SELECTED
            request.location_candidates = []
            request.needs_triage = False
        if description is not None:
            clean = mask_sensitive(nfc(description))[:4000]
            if clean != request.description:
                changes["description"] = [len(request.description), len(clean)]
                request.description = clean
        if not changes:
            return request
        reroute = (
            "village" in changes
            and request.status in REROUTABLE
            and request.assigned_volunteer_id is None
        )
        if reroute:
            withdraw_open_offer(request)
            request.status = Status.RECEIVED
        request.save()
        _staff_event(request, user, EventKind.EDITED, {"changes": changes})
    if reroute:
        request = route_request(request=request)
    return request


def cancel_for_reason(
    *,
    request: HelpRequest,
    user: Any,
    reason: str,
    duplicate_of: HelpRequest | None = None,
    note: str = "",
) -> HelpRequest:
    """Cancel an open request as spam, duplicate, withdrawn or resolved elsewhere.

    A duplicate names the request it duplicates (same commune, not itself). The open
    offer is withdrawn. Locks the request row; one `cancelled` event.
    """
    if reason not in CancelReason.values:
        raise InvalidTransition()
    if reason == CancelReason.DUPLICATE and (
        duplicate_of is None
        or duplicate_of.pk == request.pk
        or duplicate_of.commune_id != request.commune_id
    ):
        raise InvalidTransition()
    with transaction.atomic():
        request = lock_request(request)
        _cancel(request, user=user, reason=reason, duplicate_of=duplicate_of, note=note)
    return request


def _cancel(
    request: HelpRequest,
    *,
    user: Any,
    reason: str,
    duplicate_of: HelpRequest | None,
    note: str,
) -> None:
    if request.status not in OPEN_STATUSES:
        raise InvalidTransition()
    withdraw_open_offer(request)
    request.status = Status.CANCELLED
    request.cancelled_at = timezone.now()
    request.save()
    data: dict[str, Any] = {
        "reason_code": reason,
        "reason": str(CancelReason(reason).label),
        "note": mask_sensitive(nfc(note))[:300],
    }
    if duplicate_of is not None:
        data["duplicate_of"] = duplicate_of.code
    _staff_event(request, user, EventKind.CANCELLED, data)


def same_household(first: HelpRequest, second: HelpRequest) -> bool:
    """The same phone, or the same resident's name in the same village."""
    if first.resident_phone and first.resident_phone == second.resident_phone:
        return True
    return bool(
        first.village_id
        and first.village_id == second.village_id
        and first.resident_name
        and fold(first.resident_name) == fold(second.resident_name)
    )


def merge_requests(
    *, keep: HelpRequest, duplicate: HelpRequest, user: Any
) -> HelpRequest:
    """Fold `duplicate` into `keep`: its words and vulnerability flags join `keep`, and
    it is cancelled as a duplicate of `keep`.

    Both must be open, of one commune and one household (`same_household`). Locks both
    rows (lower id first, so two merges cannot deadlock); one `merged` event on `keep`,
    one `cancelled` event on the duplicate.
    """
    if keep.pk == duplicate.pk or keep.commune_id != duplicate.commune_id:
        raise InvalidTransition()
    with transaction.atomic():
        first, second = sorted([keep.pk, duplicate.pk])
        locked = {first: lock_request(first), second: lock_request(second)}
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        if keep.status not in OPEN_STATUSES or not same_household(keep, duplicate):
            raise InvalidTransition()
        _cancel(
            duplicate,
            user=user,
            reason=CancelReason.DUPLICATE,
            duplicate_of=keep,
            note="",
        )
        if duplicate.description and duplicate.description not in keep.description:
            keep.description = "\n".join(
                filter(None, [keep.description, duplicate.description])
            )
        for name in FLAGS:
            if getattr(duplicate, name):
                setattr(keep, name, True)
        keep.priority = max(keep.priority, duplicate.priority)
        keep.save()
        _staff_event(keep, user, EventKind.MERGED, {"merged": duplicate.code})
    return keep


def assign_request(
    *,
    request: HelpRequest,
    user: Any,
    volunteer: Volunteer | None = None,
    team: SupportTeam | None = None,
) -> HelpRequest:
    """Give the request to a named volunteer, or offer it to a team, from the picker.

    Only people allowed to take it: a category that needs a certificate goes only to
    a volunteer holding a valid one (NotCertified). Then `reassign_request`.
    """
    if (
        volunteer is not None
        and rules.request_needs_certificate(request)
        and not selectors.volunteer_is_certified(
            volunteer=volunteer, category=request.category
        )
    ):
        raise NotCertified()
    return reassign_request(request=request, user=user, team=team, volunteer=volunteer)
