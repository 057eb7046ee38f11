"""Consent and access records: who agreed to what, and who looked at whose data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from dispatch.models import (
    ConsentRecord,
    HelpRequest,
    PersonalDataAccess,
)
from teams.phones import try_normalize_phone

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
