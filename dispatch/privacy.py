"""Residents' personal data under Law 91/2025/QH15 and Decree 356/2025/ND-CP.

- Masking: citizen ID numbers, one-time codes, passwords, bank and card numbers are
  masked in free text before it is written (request descriptions, notes, SMS bodies,
  voice transcripts): what we never store cannot leak.
- Access log: every view of a resident's contact details is recorded (who, why, when).
- Retention: closed requests are anonymised after PRIVACY_RETENTION_DAYS.
- Data-subject requests: export (JSON/CSV) or erase what is held about one phone.
- Both delete the voice recordings held at Twilio (`dispatch.recordings`).
- Consent: one explicit answer per purpose (form checkbox, voice keypress).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from dispatch import login, recordings, rollup
from dispatch.dashboard.tally import REPEAT_WINDOW
from dispatch.models import (
    AccessPurpose,
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    OutboundMessage,
    PersonalDataAccess,
    RequestEvent,
    Status,
)
from dispatch.redaction import redact_phone
from teams.phones import try_normalize_phone
from teams.spreadsheets import safe_row

logger = logging.getLogger(__name__)

# --- Masking ------------------------------------------------------------------------------
# The patterns run on a length-preserving fold of the text (one character in, one out:
# lower case, no diacritics, đ→d), so "Mã OTP", "ma otp" and "MÃ OTP" are one keyword
# and the spans found apply unchanged to the original text.
_GROUPED_DIGITS = r"\d(?:[ .-]?\d){%d,%d}"
# 12-digit citizen identity numbers (CCCD), also written in groups: 0790 9200 1234.
_CITIZEN_ID = re.compile(r"(?<![\w-])" + _GROUPED_DIGITS % (11, 11) + r"(?![\w-])")
# Card numbers and any other run of 13-19 digits.
_LONG_NUMBER = re.compile(r"(?<![\w-])" + _GROUPED_DIGITS % (12, 18) + r"(?![\w-])")
_BANK_WORDS = (
    r"stk|so tk|so tai khoan|tai khoan|tk|account|acc|so the|the atm|the|"
    r"ngan hang|nh|vietcombank|vcb|agribank|bidv|vietinbank|techcombank|mb|momo"
)
# A bank account (6-19 digits) written after a bank word: "STK 0011 0023 4567".
_BANK_ACCOUNT = re.compile(
    r"\b(?:" + _BANK_WORDS + r")\b[^\d\n]{0,24}?(" + _GROUPED_DIGITS % (5, 18) + r")"
    r"(?![\w-])"
)
_OTP_WORDS = (
    r"otp|ma xac nhan|ma xac thuc|ma kich hoat|ma dang nhap|ma bao mat|ma|code|pin"
)
# A one-time code (4-8 digits) after a code word, or before "la ma …/la otp".
_OTP_AFTER = re.compile(
    r"\b(?:" + _OTP_WORDS + r")\b[^\w\n]{0,3}(?:(?:la|:)\s*)?(\d{4,8})(?![\w-])"
)
_OTP_BEFORE = re.compile(r"(?<![\w-])(\d{4,8})\s*(?:la|:)?\s*(?:ma|otp)\b")
# Passwords read out or typed: "mật khẩu: abc123" → the word after the keyword.
_PASSWORD = re.compile(r"\b(?:mat khau|mk|password|pass|pw)\b\s*(?:la|:)?\s*(\S{3,64})")
_MASK = "*"


def _fold_same_length(text: str) -> str:
    """Lower case without diacritics, đ→d, one character for one character."""
    out = []
    for char in text:
        if char in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", char)[0].lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def _keep_last_four(value: str) -> str:
    digits = sum(c.isdigit() for c in value)
    seen = 0
    out = []
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen > digits - 4 else _MASK)
        else:
            out.append(c)
    return "".join(out)


def mask_sensitive(text: str) -> str:
    """`text` with ID, card and bank numbers (all but the last 4 digits), one-time codes
    and passwords replaced by `*`. Idempotent; the length of the text is unchanged."""
    if not text:
        return text or ""
    folded = _fold_same_length(text)
    spans: list[tuple[int, int, bool]] = []  # (start, end, keep last four)
    for pattern, group, keep in (
        (_CITIZEN_ID, 0, True),
        (_LONG_NUMBER, 0, True),
        (_BANK_ACCOUNT, 1, True),
        (_OTP_AFTER, 1, False),
        (_OTP_BEFORE, 1, False),
        (_PASSWORD, 1, False),
    ):
        for match in pattern.finditer(folded):
            spans.append((match.start(group), match.end(group), keep))
    if not spans:
        return text
    chars = list(text)
    for start, end, keep in spans:
        piece = text[start:end]
        masked = _keep_last_four(piece) if keep else re.sub(r"[^\s]", _MASK, piece)
        chars[start:end] = list(masked)
    return "".join(chars)


# Provider payload keys holding what a person wrote or said (Twilio, SMSGate).
PAYLOAD_TEXT_KEYS = ("Body", "message", "TranscriptionText", "SpeechResult", "text")


def mask_payload(payload: Any) -> Any:
    """A copy of a provider payload with its free-text fields masked (nested too), and
    without NUL characters anywhere (PostgreSQL's jsonb refuses them: a 500 before)."""
    if isinstance(payload, dict):
        return {
            _no_nul(key): mask_sensitive(_no_nul(value))
            if key in PAYLOAD_TEXT_KEYS and isinstance(value, str)
            else mask_payload(value)
            for key, value in payload.items()
        }
    if isinstance(payload, list):
        return [mask_payload(item) for item in payload]
    return _no_nul(payload)


def _no_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


# --- Access log -----------------------------------------------------------------------------


def _client_ip(http_request: HttpRequest | None) -> str | None:
    if http_request is None:
        return None
    # Decided once for every reader by config.middleware.TrustedProxyMiddleware.
    return http_request.META.get("REMOTE_ADDR") or None


def log_access(
    *,
    user: Any,
    purpose: str,
    request: HelpRequest | None = None,
    phone: str = "",
    records: int = 1,
    http_request: HttpRequest | None = None,
) -> PersonalDataAccess:
    """Record that `user` saw a resident's contact details. One row; no locks.

    Called by every view that shows a phone or an exact location: the staff request
    page, the volunteer's assignment, exports and the API detail.
    """
    return PersonalDataAccess.objects.create(
        user=user if getattr(user, "pk", None) else None,
        purpose=purpose,
        request=request,
        subject_phone=phone or (request.resident_phone if request else ""),
        records=max(records, 0),
        path=(http_request.get_full_path()[:300] if http_request else ""),
        ip=_client_ip(http_request),
    )


def accesses_for(*, request: HelpRequest) -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.filter(request=request).select_related("user")


# --- Consent ------------------------------------------------------------------------------


def record_consent(
    *,
    purpose: str,
    method: str,
    given: bool,
    phone: str = "",
    request: HelpRequest | None = None,
    evidence: str = "",
) -> ConsentRecord:
    """Store one explicit answer; stamps `request.consent_at` when dispatch consent is
    given. Silence is never recorded as consent."""
    record = ConsentRecord.objects.create(
        phone=try_normalize_phone(phone) or (request.resident_phone if request else ""),
        request=request,
        purpose=purpose,
        method=method,
        given=given,
        evidence=evidence[:200],
    )
    if (
        request is not None
        and given
        and purpose == ConsentRecord.Purpose.DISPATCH
        and request.consent_at is None
    ):
        HelpRequest.objects.filter(pk=request.pk, consent_at__isnull=True).update(
            consent_at=record.at
        )
    return record


# --- Retention and erasure --------------------------------------------------------------------

FINISHED_STATUSES = (Status.CLOSED, Status.CANCELLED)
_EVENT_TEXT_KEYS = ("text", "note", "reason", "phone", "resident_name")


def _mark_figures_stale(request: HelpRequest) -> None:
    """A blanked phone changes who counts as a repeat: this request and the same
    phone's requests in the window after it (see `dispatch.dashboard.tally`)."""
    arrivals = [request.created_at]
    if request.resident_phone:
        arrivals += HelpRequest.objects.filter(
            commune_id=request.commune_id,
            resident_phone=request.resident_phone,
            created_at__gt=request.created_at,
            created_at__lte=request.created_at + REPEAT_WINDOW,
        ).values_list("created_at", flat=True)
    rollup.mark_stale(commune_id=request.commune_id, arrivals=arrivals)


def _anonymise(requests: QuerySet[HelpRequest]) -> tuple[int, list[int]]:
    """Blank every personal field of `requests` and of what hangs off them.

    Keeps what the commune's statistics need (category, village, times, outcome,
    rating); an exact point becomes the village centre. Voice recordings keep only
    their SID until Twilio deleted them (`dispatch.recordings`; the caller queues the
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
        )
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
        ConsentRecord.objects.filter(request=request).update(phone="")
        if phone:
            PersonalDataAccess.objects.filter(request=request).update(subject_phone="")
        count += 1
    return count, held


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
        count, _held = _anonymise(
            HelpRequest.objects.filter(finished).filter(_needs_anonymising())
        )
        # Every recording still held, also those an earlier run could not delete.
        recordings.queue_deletions()
    if count:
        logger.info("retention: %s closed requests anonymised", count)
    codes = login.blank_expired_codes(now=now)
    if codes:
        logger.info("retention: %s expired login codes blanked in stored SMS", codes)
    return count


def _subject_requests(*, phone: str, commune_ids: list[int] | None):
    requests = HelpRequest.objects.filter(resident_phone=phone)
    if commune_ids is not None:
        requests = requests.filter(commune_id__in=commune_ids)
    return requests


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def subject_export(
    *,
    phone: str,
    user: Any,
    commune_ids: list[int] | None,
    http_request: HttpRequest | None = None,
) -> dict[str, Any]:
    """Everything held about `phone` (requests, their timelines, messages, consents and
    who looked at them), as plain data. Logged as a subject export."""
    phone = try_normalize_phone(phone) or phone
    requests = list(
        _subject_requests(phone=phone, commune_ids=commune_ids).select_related(
            "commune", "village", "current_team"
        )
    )
    ids = [r.pk for r in requests]
    data = {
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
                "consent_at": _iso(r.consent_at),
                "created_at": _iso(r.created_at),
                "resolved_at": _iso(r.resolved_at),
                "rating": r.rating,
                "events": [
                    {"kind": e.kind, "at": _iso(e.created_at), "data": e.data}
                    for e in r.events.all()
                ],
            }
            for r in requests
        ],
        "messages_in": [
            {"at": _iso(m.received_at), "provider": m.provider, "body": m.body}
            for m in InboundMessage.objects.filter(
                Q(request_id__in=ids) | Q(from_number=phone, request__isnull=True)
            )
        ],
        "messages_out": [
            {"at": _iso(m.created_at), "status": m.status, "body": m.body}
            for m in OutboundMessage.objects.filter(
                Q(request_id__in=ids) | Q(to_number=phone, request__isnull=True)
            )
        ],
        "consents": [
            {
                "at": _iso(c.at),
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
                "at": _iso(a.at),
                "purpose": a.purpose,
                "by": a.user.get_username() if a.user else None,
            }
            for a in PersonalDataAccess.objects.filter(
                Q(request_id__in=ids) | Q(subject_phone=phone)
            ).select_related("user")
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


def subject_export_csv(data: dict[str, Any]) -> str:
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
    for m in data["messages_out"]:
        writer.writerow(["sms_out", m["at"], "", m["status"], m["body"]])
    for c in data["consents"]:
        writer.writerow(["consent", c["at"], "", c["purpose"], c["given"]])
    for a in data["accesses"]:
        writer.writerow(["access", a["at"], "", a["purpose"], a["by"]])
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
    from dispatch.lifecycle import cancel_request

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
        erased, held_by_requests = _anonymise(
            _subject_requests(phone=phone, commune_ids=commune_ids)
        )
        recordings.queue_deletions([*held, *held_by_requests])
        messages = InboundMessage.objects.filter(from_number=phone).update(
            from_number="", body="", payload={}
        )
        messages += OutboundMessage.objects.filter(to_number=phone).update(
            to_number="", body=""
        )
        ConsentRecord.objects.filter(phone=phone).update(phone="")
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
    return {"requests": erased, "cancelled": cancelled, "messages": messages}
