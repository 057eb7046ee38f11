"""Residents' personal data under Law 91/2025/QH15 and Decree 356/2025/ND-CP.

- Masking: citizen ID numbers, one-time codes, passwords, bank and card numbers are
  masked in free text before it is written (request descriptions, notes, SMS bodies,
  voice transcripts): what we never store cannot leak.
- Access log: every view of a resident's contact details is recorded (who, why, when).
- Retention: closed requests are anonymised after PRIVACY_RETENTION_DAYS.
- Data-subject requests: export (JSON/CSV) or erase what is held about one phone.
- Both delete the voice recordings held at Twilio (`dispatch.privacy.recordings`).
- Both cover the household register (teams.Household, either of its phones) and the
  outreach visits to those households.
- Consent: one explicit answer per purpose (form checkbox, voice keypress).
"""

from __future__ import annotations

import csv
import io
import logging
from typing import Any, TypedDict

from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone

from dispatch.help_requests.lifecycle import cancel_request
from dispatch.masking.logs import redact_phone
from dispatch.models import (
    AccessPurpose,
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    OutboundMessage,
    PersonalDataAccess,
    Status,
    Visit,
    WarningDelivery,
    WarningSubscription,
    ZaloContact,
)
from dispatch.privacy import recordings
from dispatch.privacy.consent import log_access
from dispatch.privacy.retention import FINISHED_STATUSES, anonymise
from dispatch.push.broadcast import iso_utc
from teams.households import anonymise_households
from teams.models import Household
from teams.phones import try_normalize_phone
from teams.spreadsheets import safe_row

logger = logging.getLogger(__name__)


def _payload_mentions(phone: str) -> QuerySet[InboundMessage]:
    """Inbound rows whose stored payload holds `phone` (its last nine digits)."""
    digits = "".join(ch for ch in phone if ch.isdigit())[-9:]
    if len(digits) < 9:
        return InboundMessage.objects.none()
    return InboundMessage.objects.annotate(
        payload_text=Cast("payload", output_field=TextField())
    ).filter(payload_text__contains=digits)


def _subject_requests(
    *, phone: str, commune_ids: list[int] | None
) -> QuerySet[HelpRequest]:
    requests = HelpRequest.objects.filter(resident_phone=phone)
    if commune_ids is not None:
        requests = requests.filter(commune_id__in=commune_ids)
    return requests


class ExportedEvent(TypedDict):
    kind: str
    at: str | None
    data: Any


class ExportedRequest(TypedDict):
    code: str
    commune: str
    channel: str
    status: str
    category: str
    resident_name: str
    village: str | None
    lat: float | None
    lng: float | None
    location_text: str
    description: str
    team: str | None
    consent_at: str | None
    created_at: str | None
    resolved_at: str | None
    rating: int | None
    events: list[ExportedEvent]


class ExportedInbound(TypedDict):
    at: str | None
    provider: str
    body: str


class ExportedOutbound(TypedDict):
    at: str | None
    status: str
    body: str


class ExportedConsent(TypedDict):
    at: str | None
    purpose: str
    method: str
    given: bool


class ExportedAccess(TypedDict):
    at: str | None
    purpose: str
    by: str | None


class ExportedVisit(TypedDict):
    campaign: str
    at: str | None
    outcome: str
    done_items: list[str]
    note: str


class ExportedHousehold(TypedDict):
    code: str
    commune: str
    village: str
    head_name: str
    address: str
    phones: list[str]
    members: int
    flags: list[str]
    consent_at: str | None
    visits: list[ExportedVisit]


def _subject_households(
    *, phone: str, commune_ids: list[int] | None
) -> QuerySet[Household]:
    households = Household.objects.filter(Q(phone=phone) | Q(phone_alt=phone))
    if commune_ids is not None:
        households = households.filter(commune_id__in=commune_ids)
    return households


class SubjectExport(TypedDict):
    """What `subject_export` returns and `subject_export_csv` and the JSON download read."""

    phone: str
    exported_at: str
    requests: list[ExportedRequest]
    messages_in: list[ExportedInbound]
    messages_out: list[ExportedOutbound]
    consents: list[ExportedConsent]
    accesses: list[ExportedAccess]
    households: list[ExportedHousehold]


def subject_export(
    *,
    phone: str,
    user: Any,
    commune_ids: list[int] | None,
    http_request: HttpRequest | None = None,
) -> SubjectExport:
    """Everything held about `phone` (requests, their timelines, messages, consents and
    who looked at them), as plain data. Logged as a subject export."""
    phone = try_normalize_phone(phone) or phone
    requests = list(
        _subject_requests(phone=phone, commune_ids=commune_ids).select_related(
            "commune", "village", "current_team"
        )
    )
    ids = [r.pk for r in requests]
    data: SubjectExport = {
        "phone": phone,
        "exported_at": timezone.now().isoformat(),
        "requests": [
            {
                "code": r.code,
                "commune": r.commune.name,
                "channel": r.channel,
                "status": r.status,
                "category": r.category,
                "resident_name": r.resident_name,
                "village": r.village.name if r.village else None,
                "lat": r.lat,
                "lng": r.lng,
                "location_text": r.location_text,
                "description": r.description,
                "team": r.current_team.name if r.current_team else None,
                "consent_at": iso_utc(r.consent_at),
                "created_at": iso_utc(r.created_at),
                "resolved_at": iso_utc(r.resolved_at),
                "rating": r.rating,
                "events": [
                    {"kind": e.kind, "at": iso_utc(e.created_at), "data": e.data}
                    for e in r.events.all()
                ],
            }
            for r in requests
        ],
        "messages_in": [
            {"at": iso_utc(m.received_at), "provider": m.provider, "body": m.body}
            for m in InboundMessage.objects.filter(
                Q(request_id__in=ids) | Q(from_number=phone, request__isnull=True)
            )
        ],
        "messages_out": [
            {"at": iso_utc(m.created_at), "status": m.status, "body": m.body}
            for m in OutboundMessage.objects.filter(
                Q(request_id__in=ids) | Q(to_number=phone, request__isnull=True)
            )
        ],
        "consents": [
            {
                "at": iso_utc(c.at),
                "purpose": c.purpose,
                "method": c.method,
                "given": c.given,
            }
            for c in ConsentRecord.objects.filter(
                Q(request_id__in=ids) | Q(phone=phone)
            )
        ],
        "accesses": [
            {
                "at": iso_utc(a.at),
                "purpose": a.purpose,
                "by": a.user.get_username() if a.user else None,
            }
            for a in PersonalDataAccess.objects.filter(
                Q(request_id__in=ids) | Q(subject_phone=phone)
            ).select_related("user")
        ],
        "households": [
            {
                "code": h.code,
                "commune": h.commune.name,
                "village": h.village.name,
                "head_name": h.head_name,
                "address": h.address,
                "phones": [p for p in (h.phone, h.phone_alt) if p],
                "members": h.members,
                "flags": [name for name in Household.FLAGS if getattr(h, name)],
                "consent_at": iso_utc(h.consent_at),
                "visits": [
                    {
                        "campaign": v.campaign.title,
                        "at": iso_utc(v.visited_at),
                        "outcome": v.outcome,
                        "done_items": list(v.done_items),
                        "note": v.note,
                    }
                    for v in h.visits.select_related("campaign")
                ],
            }
            for h in _subject_households(
                phone=phone, commune_ids=commune_ids
            ).select_related("commune", "village")
        ],
    }
    log_access(
        user=user,
        purpose=AccessPurpose.SUBJECT_EXPORT,
        phone=phone,
        records=len(requests),
        http_request=http_request,
    )
    return data


class _SafeWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow(safe_row(row))


def subject_export_csv(data: SubjectExport) -> str:
    """One CSV row per item of `subject_export`'s result (section, time, fields)."""
    out = io.StringIO()
    # Every row neutralised: the texts are what residents typed (see teams.spreadsheets).
    writer = _SafeWriter(csv.writer(out))
    writer.writerow(["section", "at", "code", "kind", "text"])
    for r in data["requests"]:
        text = " | ".join(
            filter(None, [r["resident_name"], r["location_text"], r["description"]])
        )
        writer.writerow(["request", r["created_at"], r["code"], r["status"], text])
        for e in r["events"]:
            writer.writerow(["event", e["at"], r["code"], e["kind"], e["data"]])
    for m in data["messages_in"]:
        writer.writerow(["sms_in", m["at"], "", m["provider"], m["body"]])
    for o in data["messages_out"]:
        writer.writerow(["sms_out", o["at"], "", o["status"], o["body"]])
    for c in data["consents"]:
        writer.writerow(["consent", c["at"], "", c["purpose"], c["given"]])
    for a in data["accesses"]:
        writer.writerow(["access", a["at"], "", a["purpose"], a["by"]])
    for h in data.get("households", []):
        text = " | ".join(filter(None, [h["head_name"], h["address"], *h["phones"]]))
        writer.writerow(["household", h["consent_at"], h["code"], h["village"], text])
        for v in h["visits"]:
            writer.writerow(["visit", v["at"], h["code"], v["outcome"], v["note"]])
    return out.getvalue()


def erase_subject(
    *,
    phone: str,
    user: Any,
    commune_ids: list[int] | None,
    http_request: HttpRequest | None = None,
) -> dict[str, int]:
    """Erase what is held about `phone`: its open requests are cancelled first (the
    team stops work), then every request, message and consent is anonymised, and its
    voice recordings are deleted at Twilio by tasks queued after commit.

    One transaction; locks the requests. Returns counts; logged as a subject erase.
    """
    phone = try_normalize_phone(phone) or phone
    with transaction.atomic():
        requests = _subject_requests(phone=phone, commune_ids=commune_ids)
        cancelled = 0
        for request in requests.exclude(
            status__in=[*FINISHED_STATUSES, Status.RESOLVED]
        ):
            cancel_request(
                request=request,
                actor_kind="staff",
                user=user,
                reason="data-subject erasure",
            )
            cancelled += 1
        held = recordings.hold_for_deletion(
            recordings.unlinked_messages_of(phone=phone)
        )
        erased, held_by_requests = anonymise(
            _subject_requests(phone=phone, commune_ids=commune_ids)
        )
        recordings.queue_deletions([*held, *held_by_requests])
        messages = InboundMessage.objects.filter(from_number=phone).update(
            from_number="", body="", payload={}
        )
        # Provider reports name the phone only inside their payload (a delivery
        # receipt's "To"): found by the number's last nine digits in the stored JSON.
        messages += (
            _payload_mentions(phone)
            .exclude(event=recordings.DELETING)
            .update(from_number="", to_number="", body="", payload={})
        )
        messages += OutboundMessage.objects.filter(to_number=phone).update(
            to_number="", body=""
        )
        ConsentRecord.objects.filter(phone=phone).update(phone="")
        # The Zalo account that gave this phone (its name and OA-scoped id).
        ZaloContact.objects.filter(phone=phone, volunteer__isnull=True).delete()
        # Scam warnings: the opt-in and who was sent what go with the phone.
        WarningDelivery.objects.filter(phone=phone).delete()
        WarningSubscription.objects.filter(phone=phone).delete()
        households = _subject_households(phone=phone, commune_ids=commune_ids)
        Visit.objects.filter(household__in=households).update(note="", done_items=[])
        erased_households = anonymise_households(households)
        log_access(
            user=user,
            purpose=AccessPurpose.SUBJECT_ERASE,
            records=erased,
            http_request=http_request,
        )
        PersonalDataAccess.objects.filter(subject_phone=phone).update(subject_phone="")
    logger.info(
        "data-subject erasure for %s: %s requests, %s messages",
        redact_phone(phone),
        erased,
        messages,
    )
    return {
        "requests": erased,
        "cancelled": cancelled,
        "messages": messages,
        "households": erased_households,
    }
