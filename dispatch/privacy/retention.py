"""Retention: finished requests are anonymised after PRIVACY_RETENTION_DAYS.

Anonymising writes no request event, so the days it touches are marked stale for the
dashboard's tallies (`dispatch.figures.refresh`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dispatch.figures import refresh
from dispatch.figures.tally import REPEAT_WINDOW
from dispatch.models import (
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    Offer,
    OfferDecline,
    OutboundMessage,
    PersonalDataAccess,
    PoliceReferral,
    RequestEvent,
    Status,
    ZaloContact,
)
from dispatch.privacy import recordings
from dispatch.sms import login_codes

# --- Retention and erasure --------------------------------------------------------------------

logger = logging.getLogger(__name__)

FINISHED_STATUSES = (Status.CLOSED, Status.CANCELLED)
_EVENT_TEXT_KEYS = ("text", "note", "reason", "phone", "resident_name")


def _mark_figures_stale(request: HelpRequest) -> None:
    """A blanked phone changes who counts as a repeat: this request and the same
    phone's requests in the window after it (see `dispatch.figures.tally`)."""
    arrivals = [request.created_at]
    if request.resident_phone:
        arrivals += HelpRequest.objects.filter(
            commune_id=request.commune_id,
            resident_phone=request.resident_phone,
            created_at__gt=request.created_at,
            created_at__lte=request.created_at + REPEAT_WINDOW,
        ).values_list("created_at", flat=True)
    refresh.mark_stale(commune_id=request.commune_id, arrivals=arrivals)


def anonymise(requests: QuerySet[HelpRequest]) -> tuple[int, list[int]]:
    """Blank every personal field of `requests` and of what hangs off them.

    Keeps what the commune's statistics need (category, village, times, outcome,
    rating); an exact point becomes the village centre. Voice recordings keep only
    their SID until Twilio deleted them (`dispatch.privacy.recordings`; the caller queues the
    deletions). Safe to run twice. Returns how many requests, and the recordings held.
    """
    count, held = 0, []
    for request in requests.select_related("village").select_for_update(of=("self",)):
        phone = request.resident_phone
        village = request.village
        _mark_figures_stale(request)
        HelpRequest.objects.filter(pk=request.pk).update(
            resident_name="",
            resident_phone="",
            description="",
            location_text="",
            location_candidates=[],
            lat=village.lat if village else None,
            lng=village.lng if village else None,
            zalo_contact=None,
        )
        if request.zalo_contact_id:
            _forget_zalo_contact(request.zalo_contact_id)
        for event in RequestEvent.objects.filter(request=request):
            if any(key in event.data for key in _EVENT_TEXT_KEYS):
                data = {
                    k: v for k, v in event.data.items() if k not in _EVENT_TEXT_KEYS
                }
                RequestEvent.objects.filter(pk=event.pk).update(data=data)
        messages = InboundMessage.objects.filter(request=request)
        held += recordings.hold_for_deletion(messages)
        messages.exclude(event=recordings.DELETING).update(
            from_number="", body="", payload={}
        )
        OutboundMessage.objects.filter(request=request).update(to_number="", body="")
        # A volunteer's decline reason is free text about the resident ("bà ở xa").
        Offer.objects.filter(request=request).exclude(reason="").update(reason="")
        OfferDecline.objects.filter(offer__request=request).exclude(reason="").update(
            reason=""
        )
        ConsentRecord.objects.filter(request=request).update(phone="")
        # Our copy of a police referral names the resident; the police keep theirs.
        PoliceReferral.objects.filter(report__request=request).exclude(
            summary=""
        ).update(summary="")
        if phone:
            PersonalDataAccess.objects.filter(request=request).update(subject_phone="")
        count += 1
    return count, held


def _forget_zalo_contact(contact_id: int) -> None:
    """A Zalo user with no request left and no volunteer account is deleted (their
    OA-scoped id, name and phone); one who still has requests keeps them."""
    ZaloContact.objects.filter(
        pk=contact_id, volunteer__isnull=True, requests__isnull=True
    ).delete()


def _needs_anonymising() -> Q:
    return (
        ~Q(resident_phone="")
        | ~Q(resident_name="")
        | ~Q(description="")
        | ~Q(location_text="")
    )


def anonymise_expired(*, now: datetime | None = None) -> int:
    """Anonymise requests closed or cancelled more than PRIVACY_RETENTION_DAYS ago.

    The daily schedule runs it; it is idempotent (an anonymised request no longer
    matches). Locks the requests it changes. After commit, queues the deletion at
    Twilio of every voice recording still held (new ones and earlier failures); blanks
    the codes of expired login SMS still stored whole. Returns how many requests it
    changed.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.PRIVACY_RETENTION_DAYS)
    finished = Q(status=Status.CLOSED, closed_at__lt=cutoff) | Q(
        status=Status.CANCELLED, cancelled_at__lt=cutoff
    )
    with transaction.atomic():
        count, _held = anonymise(
            HelpRequest.objects.filter(finished).filter(_needs_anonymising())
        )
        # Every recording still held, also those an earlier run could not delete.
        recordings.queue_deletions()
    if count:
        logger.info("retention: %s closed requests anonymised", count)
    codes = login_codes.blank_expired_codes(now=now)
    if codes:
        logger.info("retention: %s expired login codes blanked in stored SMS", codes)
    return count
