"""Closing the loop after a visit: "Việc đã xong chưa?" N days after "resolved".

The resident gets one SMS `DISPATCH_FOLLOWUP_DAYS` after resolution (voice-channel
residents too: see README, a call is not placed yet). "1" closes the request (and the
retention clock starts from `closed_at`), "2" reopens it to the volunteer who helped.
No answer: asked a second time `DISPATCH_FOLLOWUP_RETRY_DAYS` later; still nothing
after as long again → flagged for the team to call (a `followup_flagged` event on the
board). A request counts as processed for the dashboard only once it is closed.

Each service locks the request, is one transaction and one event; the sweep is safe to
run twice (it only acts on requests whose next step is due).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dispatch.errors import InvalidTransition
from dispatch.help_requests import events, lifecycle
from dispatch.help_requests.lifecycle import close_request
from dispatch.help_requests.offers import lock_request
from dispatch.models import EventKind, HelpRequest, OutboundMessage, Status
from dispatch.sms import replies
from dispatch.sms.outbox import queue_to_resident

ASKS = 2
SEND_HOURS = range(7, 21)


def awaiting_answer(*, phone: str) -> HelpRequest | None:
    """The phone's resolved request that was asked "is it done?" and not answered."""
    if not phone:
        return None
    return (
        HelpRequest.objects.filter(
            resident_phone=phone,
            status=Status.RESOLVED,
            followup_attempts__gt=0,
        )
        .order_by("-followup_asked_at")
        .first()
    )


def ask(*, request: HelpRequest, now: dt.datetime | None = None) -> HelpRequest:
    """Send the question (once per attempt: the dedupe key carries the attempt)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = lock_request(request)
        if request.status != Status.RESOLVED or request.followup_attempts >= ASKS:
            return request
        request.followup_attempts += 1
        request.followup_asked_at = now
        request.save(update_fields=["followup_attempts", "followup_asked_at"])
        events.record(
            request=request,
            kind=EventKind.FOLLOWUP_ASKED,
            data={"attempt": request.followup_attempts, "channel": "sms"},
        )
        # By Zalo for residents who asked there, else by SMS.
        queue_to_resident(
            request=request,
            text=replies.followup_question(code=request.code),
            purpose=OutboundMessage.Purpose.UPDATE,
            dedupe_key=f"followup:{request.pk}:{request.followup_attempts}",
            notice="followup",
        )
    return request


def flag(*, request: HelpRequest) -> HelpRequest:
    """Nobody answered twice: the team is asked to call (shown on the board)."""
    with transaction.atomic():
        request = lock_request(request)
        if request.status != Status.RESOLVED or request.followup_flagged:
            return request
        request.followup_flagged = True
        request.save(update_fields=["followup_flagged"])
        events.record(
            request=request,
            kind=EventKind.FOLLOWUP_FLAGGED,
            team=request.current_team,
            data={"attempts": request.followup_attempts},
        )
    return request


def answer(*, request: HelpRequest, done: bool) -> str:
    """The resident's "1" (done) or "2" (not done); returns the SMS reply text."""
    if request.status != Status.RESOLVED:
        raise InvalidTransition()
    if done:
        request = close_request(request=request)
        return replies.followup_done(
            code=request.code, ask_rating=request.rating is None
        )
    request = lifecycle.reopen_request(
        request=request, actor=events.RESIDENT, via="sms"
    )
    team = request.current_team.name if request.current_team else ""
    return replies.followup_reopened(code=request.code, team=team)


def sweep(*, now: dt.datetime | None = None) -> int:
    """Ask, ask again, flag or close whatever is due. Daytime only (07:00–21:00)."""
    now = now or timezone.now()
    if timezone.localtime(now).hour not in SEND_HOURS:
        return 0
    first = now - dt.timedelta(days=settings.DISPATCH_FOLLOWUP_DAYS)
    retry = now - dt.timedelta(days=settings.DISPATCH_FOLLOWUP_RETRY_DAYS)
    resolved = HelpRequest.objects.filter(status=Status.RESOLVED)
    done = 0
    # Nobody to ask: close once the window has passed.
    # (A Zalo resident without a phone is asked on Zalo.)
    reachable = ~Q(resident_phone="") | Q(zalo_contact__isnull=False)
    for request in resolved.filter(~reachable, resolved_at__lte=first):
        close_request(request=request)
        done += 1
    due = resolved.filter(reachable).filter(
        Q(followup_attempts=0, resolved_at__lte=first)
        | Q(followup_attempts__gt=0, followup_attempts__lt=ASKS)
        & Q(followup_asked_at__lte=retry)
    )
    for request in due:
        ask(request=request, now=now)
        done += 1
    unanswered = resolved.filter(
        followup_attempts__gte=ASKS,
        followup_asked_at__lte=retry,
        followup_flagged=False,
    )
    for request in unanswered:
        flag(request=request)
        done += 1
    return done
