"""Store first: every inbound SMS, call step and provider report is a row before
anything else happens (unique on the provider's id, so a retry is not a second row).

The webhooks call `store_inbound`/`receive_sms`, answer at once, and leave the
understanding to a task (`dispatch.intake.sms`, `dispatch.intake.voice`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import IntegrityError, transaction

from dispatch.background import Job, enqueue_on_commit
from dispatch.masking import text as masking
from dispatch.masking.logs import redact_phone, redact_text
from dispatch.models import (
    InboundMessage,
)
from teams.models import Commune
from teams.phones import try_normalize_phone
from teams.prepared import PreparedInstances
from teams.text import nfc

logger = logging.getLogger(__name__)

SMS_PROVIDERS = (InboundMessage.Provider.TWILIO_SMS, InboundMessage.Provider.SMSGATE)
# Rows whose provider id starts with the CallSid: call steps and the call-ended report.
CALL_PROVIDERS = (
    InboundMessage.Provider.TWILIO_VOICE,
    InboundMessage.Provider.TWILIO_STATUS,
)


# A lone UTF-16 surrogate (JSON's "\ud800" escape) cannot be encoded as UTF-8: the
# database refuses it. In a Python str every surrogate code point is a lone one.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: object, *, limit: int = 5000) -> str:
    """NFC text without NUL characters (PostgreSQL refuses them) or lone surrogates
    (replaced by U+FFFD), cut to `limit`."""
    text = _SURROGATE.sub("\ufffd", str(value or ""))
    return nfc(text).replace("\x00", "")[:limit]


def clean_phone(value: object) -> str:
    """A provider's phone field as stored: E.164 when it parses, else cleaned text."""
    text = clean_text(value, limit=40)
    return try_normalize_phone(text) or text


def clean_payload(value: Any) -> Any:
    """A provider payload made storable: every string (keys too) through `clean_text`
    without a length limit beyond 5,000 characters a string."""
    if isinstance(value, dict):
        return {clean_text(k): clean_payload(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_payload(v) for v in value]
    if isinstance(value, str):
        return clean_text(value)
    return value


def store_inbound(
    *,
    provider: str,
    provider_id: str,
    payload: dict[str, Any],
    event: str = "",
    from_number: str = "",
    to_number: str = "",
    body: str = "",
    commune: Commune | None = None,
) -> tuple[InboundMessage, bool]:
    """Persist one provider event before anything else; (row, created).

    `commune`: the receiving commune when the provider says it otherwise than by a
    hotline number (a Zalo event names its OA).

    The unique (provider, provider_id) constraint turns a provider retry into
    `created=False` instead of a second row. Runs in its own savepoint.
    """
    provider_id = clean_text(provider_id, limit=128)
    commune = commune or receiving_commune(to_number=to_number, payload=payload)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                provider=provider,
                provider_id=provider_id,
                event=clean_text(event, limit=40),
                # One form for every provider (SMSGate reports national "09…"), so
                # erasure and export by phone find every row.
                from_number=clean_phone(from_number),
                to_number=clean_phone(to_number),
                commune=commune,
                # Masked before it is written: an SMS or transcript may hold an ID
                # number or a one-time code (SECURITY.md); the raw payload too.
                body=masking.mask_sensitive(clean_text(body)),
                payload=masking.mask_payload(clean_payload(payload)),
            )
    except IntegrityError:
        existing = InboundMessage.objects.get(
            provider=provider, provider_id=provider_id
        )
        return existing, False
    logger.info(
        "inbound %s %s from %s: %s",
        provider,
        inbound.pk,
        redact_phone(inbound.from_number),
        redact_text(inbound.body),
    )
    return inbound, True


def receive_sms(
    *,
    provider: str,
    provider_id: str,
    from_number: str,
    to_number: str,
    body: str,
    payload: dict[str, Any],
    event: str = "sms",
) -> tuple[InboundMessage, bool]:
    """Store an inbound SMS and, if new, process it in a task after commit."""
    inbound, created = store_inbound(
        provider=provider,
        provider_id=provider_id,
        event=event,
        from_number=from_number,
        to_number=to_number,
        body=body,
        payload=payload,
    )
    if created:
        enqueue_on_commit(Job.PROCESS_INBOUND, inbound.pk)
    return inbound, created


_ALL_COMMUNES = PreparedInstances(Commune, lambda: Commune.objects.all()[:50])


def all_communes() -> list[Commune]:
    """Every commune (at most 50): one query, which also brings each commune's
    `registry_stamp`, the key of the registry facts cached in this process. Prepared
    (every inbound message asks); the instances are whole, as `Commune.objects` gives."""
    return _ALL_COMMUNES.instances()


def commune_for_number(
    to_number: str, *, communes: list[Commune] | None = None
) -> Commune | None:
    """The commune whose hotline received the message; the only one if there is one.

    With two or more communes a number no commune has configured belongs to none
    (None): the message waits for the administrator's triage, never for a guess —
    "the first commune by name" would hand a resident's words to the wrong office.
    """
    number = try_normalize_phone(to_number) or to_number
    if communes is None:
        communes = all_communes()
    for commune in communes:
        if number and number in (commune.hotline_numbers or []):
            return commune
    real = [c for c in communes if not c.is_sample] or communes
    return real[0] if len(real) == 1 else None


def receiving_commune(*, to_number: str, payload: dict[str, Any]) -> Commune | None:
    """The commune a stored row belongs to until it becomes a request: the hotline's.

    A recording callback names no number: it belongs to its call's commune.
    """
    if not to_number and payload.get("CallSid"):
        step = (
            InboundMessage.objects.filter(
                provider__in=CALL_PROVIDERS,
                provider_id__startswith=f"{payload['CallSid']}:",
                commune__isnull=False,
            )
            .select_related("commune")
            .first()
        )
        if step is not None:
            return step.commune
    if not to_number:
        return None
    return commune_for_number(to_number)


def is_smsgate_duplicate(payload: dict[str, Any]) -> bool:
    """SMSGate may emit one SMS twice under two envelope ids (content-provider fallback
    plus broadcast); the same (messageId, sender, receivedAt) means the same SMS."""
    keys = {
        "payload__payload__messageId": payload.get("messageId"),
        "payload__payload__receivedAt": payload.get("receivedAt"),
    }
    if not all(isinstance(v, str) and v for v in keys.values()):
        return False
    sender = str(payload.get("sender") or payload.get("phoneNumber") or "")
    return InboundMessage.objects.filter(
        provider=InboundMessage.Provider.SMSGATE,
        event="sms:received",
        from_number=clean_phone(sender),
        **keys,
    ).exists()
