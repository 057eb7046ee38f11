"""Requests from the web: the public help form and the operator's phone intake."""

from __future__ import annotations

from typing import Any

from dispatch.help_requests.lifecycle import (
    submit_request,
)
from dispatch.models import (
    Channel,
    ConsentRecord,
    HelpRequest,
)
from dispatch.privacy import consent
from dispatch.sms import resident_notices
from teams.models import Commune


def submit_form_request(
    *, commune: Commune, data: dict[str, Any], channel: str, user: object = None
) -> HelpRequest:
    """A request from the public form or an operator; the code also goes by SMS.

    Side effects: the request (create → locate → route) and one SMS with the code
    (dedupe key `form-code:<request id>`).
    """
    request = submit_request(
        commune=commune,
        channel=channel,
        category=data["category"],
        description=data.get("description", ""),
        resident_name=data.get("resident_name", ""),
        resident_phone=data.get("resident_phone", ""),
        village=data.get("village"),
        lat=data.get("lat"),
        lng=data.get("lng"),
        location_text=data.get("location_text", ""),
        landmark=data.get("landmark", ""),
        preferred_time=data.get("preferred_time", ""),
        flags=data.get("flags") or [],
        consent=bool(data.get("consent")),
        actor_user=user,
    )
    if data.get("consent"):
        consent.record_consent(
            purpose=ConsentRecord.Purpose.DISPATCH,
            method=ConsentRecord.Method.OPERATOR
            if channel == Channel.OPERATOR
            else ConsentRecord.Method.FORM,
            given=True,
            request=request,
            evidence=str(getattr(user, "username", "") or channel)[:200],
        )
    resident_notices.text_the_code(
        request=request, dedupe_key=f"form-code:{request.pk}"
    )
    return request


def history_for_phone(*, phone: str, commune: Commune) -> list[HelpRequest]:
    """A caller's earlier requests in the commune, newest first (operators only)."""
    if not phone:
        return []
    return list(
        HelpRequest.objects.filter(commune=commune, resident_phone=phone)
        .select_related("village", "current_team")
        .order_by("-created_at")[:10]
    )
