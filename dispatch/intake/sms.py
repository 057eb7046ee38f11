"""Inbound messages from every provider: stored first, once; understood later.

A webhook calls `receive_sms` (store, then schedule `process_inbound` after commit) and
answers at once. The task reads the SMS with `sms_commands.parse_sms` and calls the same
lifecycle services as the web and volunteer apps; its reply is queued with a dedupe key
derived from the inbound row, so a provider retry or a task re-run never replies twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from dispatch.errors import DispatchError
from dispatch.guides import services as guides
from dispatch.help_requests import followup
from dispatch.help_requests.lifecycle import (
    add_resident_message,
    cancel_request,
    rate_request,
    submit_request,
)
from dispatch.help_requests.selectors import (
    eta_minutes,
    open_request_for_phone,
    queue_position,
    request_by_code,
)
from dispatch.intake import limits, volunteer_commands
from dispatch.intake.landmarks import extract_landmark
from dispatch.intake.parsing import (
    Kind,
    ParsedSms,
    as_new_request,
    guide_words,
    parse_sms,
)
from dispatch.intake.store import SMS_PROVIDERS, all_communes, commune_for_number
from dispatch.models import (
    ActorKind,
    Channel,
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    OutboundMessage,
    Status,
)
from dispatch.scams import services as scam_services
from dispatch.sms import replies as sms_replies
from dispatch.sms import resident_notices
from dispatch.sms.outbox import queue_sms
from teams import registry
from teams.models import Commune, Volunteer
from teams.phones import try_normalize_phone
from teams.prepared import Prepared, partial_instance

logger = logging.getLogger(__name__)


def process_inbound(*, inbound_id: int) -> str:
    """Understand one stored SMS and reply; safe to run twice.

    Locks the inbound row for the whole handling, so a second run waits and then sees
    `processed_at` set. Side effects: whatever the lifecycle service does, and one
    reply SMS (dedupe key `reply:<inbound id>`).
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        inbound = _locked_inbound(inbound_id)
        if inbound is None or inbound.processed_at is not None:
            return "done"
        if inbound.provider not in SMS_PROVIDERS:
            return "ignored"
        phone = try_normalize_phone(inbound.from_number) or ""
        communes = all_communes()
        commune = next(
            (c for c in communes if c.pk == inbound.commune_id), None
        ) or commune_for_number(inbound.to_number, communes=communes)
        if commune is None and phone:
            # A hotline number no commune has: the row waits (unprocessed) in the
            # administrator's triage queue; the resident is told it was received.
            queue_sms(
                to=phone,
                text=sms_replies.held_for_triage(),
                purpose=OutboundMessage.Purpose.REPLY,
                dedupe_key=f"triage:{inbound.pk}",
            )
            return "triage"
        inbound.commune = commune
        # Most SMS come from residents: the cached phone list spares a query for them.
        volunteer = phone in registry.volunteer_phones(communes)
        reply, dedupe_key = "", f"reply:{inbound.pk}"
        if phone and commune is not None and _flooding(inbound, phone, volunteer):
            # Stored (nothing is lost) but not acted on; one polite reply per hour.
            reply = sms_replies.too_many()
            dedupe_key = f"sms-limit:{phone}:{timezone.now():%Y%m%d%H}"
        elif phone and commune is not None:
            reply = _handle_sms(
                inbound=inbound, phone=phone, commune=commune, volunteer=volunteer
            )
        inbound.processed_at = timezone.now()
        inbound.save(update_fields=["processed_at", "request", "commune"])
        if reply and phone:
            queue_sms(
                to=phone,
                text=reply,
                purpose=OutboundMessage.Purpose.REPLY,
                commune=commune,
                request=inbound.request,
                dedupe_key=dedupe_key,
            )
    return "done"


# What the task reads of the row (the provider's raw envelope is kept for the record,
# never read here), with how many SMS the sender sent in the hour before it.
_READ_FIELDS = (
    "id",
    "provider",
    "from_number",
    "to_number",
    "body",
    "received_at",
    "processed_at",
    "commune_id",
    "request_id",
)
_LOCKED_INBOUND = Prepared(
    lambda inbound_id: (
        InboundMessage.objects.select_for_update(of=("self",))
        .filter(pk=inbound_id)
        .annotate(earlier_in_hour=limits.earlier_in_the_hour())
        .order_by()
        .values_list(*_READ_FIELDS, "earlier_in_hour")
    )
)


def _locked_inbound(inbound_id: int) -> InboundMessage | None:
    """The stored row, locked until the task's transaction ends (PostgreSQL); a
    prepared query, since every SMS runs it. The fields not read are deferred."""
    rows = _LOCKED_INBOUND.rows(inbound_id=inbound_id)
    if not rows:
        return None
    *values, earlier = rows[0]
    inbound = partial_instance(
        InboundMessage, DEFAULT_DB_ALIAS, **dict(zip(_READ_FIELDS, values, strict=True))
    )
    inbound.earlier_in_hour = earlier  # type: ignore[attr-defined]
    return inbound


def _flooding(inbound: InboundMessage, phone: str, volunteer: bool) -> bool:
    """Residents' SMS are limited per phone per hour; volunteers' commands are not."""
    if not limits.sms_over_hourly_limit(inbound=inbound):
        return False
    return not volunteer


def _handle_sms(
    *, inbound: InboundMessage, phone: str, commune: Commune, volunteer: bool
) -> str:
    found = (
        Volunteer.objects.filter(phone=phone, active=True).first()
        if volunteer
        else None
    )
    if found is not None:
        command = volunteer_commands.command_for(inbound.body)
        if command is not None:
            return volunteer_commands.run(command, volunteer=found)
    words = guide_words(inbound.body)
    guide_reply = guides.answer_keyword(words=words, commune=commune) if words else None
    if guide_reply is not None:
        return guide_reply
    parsed = parse_sms(inbound.body)
    if parsed.is_volunteer_command:
        # Only a registered volunteer's phone may use them (handled above).
        parsed = as_new_request(parsed)
    try:
        with transaction.atomic():
            return _dispatch(parsed, inbound=inbound, phone=phone, commune=commune)
    except DispatchError as exc:
        return sms_replies.refused(reason=str(getattr(exc, "message", exc)))


def _dispatch(
    parsed: ParsedSms,
    *,
    inbound: InboundMessage,
    phone: str,
    commune: Commune,
) -> str:
    if parsed.kind == Kind.HELP:
        return sms_replies.usage()
    if parsed.kind == Kind.STATUS:
        return _status(parsed, phone=phone)
    if parsed.kind == Kind.CANCEL:
        return _cancel(parsed, phone=phone)
    if parsed.kind == Kind.RATING:
        reply = _followup_answer(parsed, phone=phone) or _rate(parsed, phone=phone)
        if reply:
            return reply
        parsed = as_new_request(parsed)
    if parsed.kind == Kind.CERTIFICATE:
        return volunteer_commands.certificate_reply(parsed.code)
    if parsed.kind in (Kind.WARNINGS_ON, Kind.WARNINGS_OFF):
        return _warnings(parsed, inbound=inbound, phone=phone, commune=commune)
    return _new_or_followup(parsed, inbound=inbound, phone=phone, commune=commune)


def _warnings(
    parsed: ParsedSms, *, inbound: InboundMessage, phone: str, commune: Commune
) -> str:
    """NHAN CANH BAO / HUY CANH BAO: the resident's own, explicit consent (or its
    withdrawal) to the commune's scam warnings, recorded with the message as proof."""
    if parsed.kind == Kind.WARNINGS_ON:
        scam_services.subscribe_to_warnings(
            commune=commune,
            phone=phone,
            method=ConsentRecord.Method.SMS,
            evidence=f"sms:{inbound.pk}",
        )
        return gettext(
            "Cau Noi: bac da dang ky nhan canh bao lua dao cua xa %(commune)s. "
            "Nhan HUY CANH BAO de dung."
        ) % {"commune": commune.name}
    scam_services.unsubscribe_from_warnings(
        commune=commune, phone=phone, method=ConsentRecord.Method.SMS
    )
    return gettext(
        "Cau Noi: da dung gui canh bao lua dao cho bac. Nhan NHAN CANH BAO de nhan lai."
    )


def find_request(code: str) -> HelpRequest | None:
    return request_by_code(code)


def _own_request(parsed: ParsedSms, *, phone: str) -> HelpRequest | None:
    if parsed.code:
        return find_request(parsed.code)
    return open_request_for_phone(phone=phone, within=timedelta(days=30))


def _status(parsed: ParsedSms, *, phone: str) -> str:
    request = _own_request(parsed, phone=phone)
    if request is None:
        return sms_replies.not_found(code=parsed.code)
    return sms_replies.status(
        code=request.code,
        status_label=str(request.get_status_display()),
        position=queue_position(request) if request.is_open else None,
        eta=eta_minutes(request) if request.is_open else None,
    )


def _cancel(parsed: ParsedSms, *, phone: str) -> str:
    request = _own_request(parsed, phone=phone)
    # Only the phone that asked may cancel; anyone else learns nothing about the code.
    if request is None or request.resident_phone != phone:
        return sms_replies.not_found(code=parsed.code)
    cancel_request(request=request, actor_kind=ActorKind.RESIDENT, reason="SMS HUY")
    return sms_replies.cancelled(code=request.code)


def _followup_answer(parsed: ParsedSms, *, phone: str) -> str:
    """ "1"/"2" right after "Việc đã xong chưa?": done, or not done (reopen)."""
    if parsed.rating not in (1, 2):
        return ""
    request = followup.awaiting_answer(phone=phone)
    if request is None:
        return ""
    return followup.answer(request=request, done=parsed.rating == 1)


def _rate(parsed: ParsedSms, *, phone: str) -> str:
    request = (
        HelpRequest.objects.filter(
            resident_phone=phone,
            status__in=[Status.RESOLVED, Status.CLOSED],
            rating__isnull=True,
            resolved_at__gte=timezone.now() - timedelta(days=30),
        )
        .order_by("-resolved_at")
        .first()
    )
    if request is None or parsed.rating is None:
        return ""
    rate_request(request=request, rating=parsed.rating)
    return sms_replies.rated(code=request.code, rating=parsed.rating)


def _new_or_followup(
    parsed: ParsedSms, *, inbound: InboundMessage, phone: str, commune: Commune
) -> str:
    window = timedelta(minutes=settings.SMS_FOLLOWUP_MINUTES)
    request = open_request_for_phone(phone=phone, within=window)
    if request is not None:
        add_resident_message(request=request, text=parsed.text)
        inbound.request = request
        return sms_replies.added_to_request(code=request.code)
    request = submit_request(
        commune=commune,
        channel=Channel.SMS,
        category=parsed.category,
        description=parsed.text,
        resident_phone=phone,
        location_text=parsed.text,
        flags=sorted(parsed.flags),
        landmark=extract_landmark(parsed.text),
        # The category model was unsure: staff see "cần phân loại" and call back.
        needs_triage=parsed.needs_triage,
    )
    inbound.request = request
    return resident_notices.received_text(
        request=request,
        position=queue_position(request) if request.is_open else None,
        triage=parsed.needs_triage
        or (parsed.category == "other" and not request.current_team_id),
        hint=parsed.hint.value if parsed.hint else "",
    )
