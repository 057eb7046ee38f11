"""System checks (`manage.py check`): configuration that would fail in front of a
resident is reported when the service starts, not when the first SMS arrives.

Registered from `DispatchConfig.ready`. The commune checks read the database, and
skip quietly before the first `migrate` (no tables yet).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError

from teams.models import Commune

REQUIRED_BY_BACKEND = {
    "twilio": ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER"),
    "smsgate": ("SMSGATE_USERNAME", "SMSGATE_PASSWORD", "SMSGATE_SIGNING_KEY"),
}


@register()
def check_public_base_url(**kwargs: Any) -> list[CheckMessage]:
    """Webhook signatures are checked against PUBLIC_BASE_URL: in production it must be
    the real https address, or every Twilio and SMSGate request is refused."""
    if not settings.PRODUCTION:
        return []
    url = settings.PUBLIC_BASE_URL
    if not url.startswith("https://") or "127.0.0.1" in url or "localhost" in url:
        return [
            Error(
                f"PUBLIC_BASE_URL is {url!r}: without DEBUG it must be the public https "
                "address that providers and residents use.",
                hint="Set PUBLIC_BASE_URL=https://your-host in the environment.",
                id="dispatch.E001",
            )
        ]
    return []


@register()
def check_sms_backend_credentials(**kwargs: Any) -> list[CheckMessage]:
    """An SMS backend without its credentials fails every send, silently to residents."""
    missing = [
        name
        for name in REQUIRED_BY_BACKEND.get(settings.SMS_BACKEND, ())
        if not getattr(settings, name, "")
    ]
    if not missing:
        return []
    return [
        Error(
            f"SMS_BACKEND={settings.SMS_BACKEND} needs {', '.join(missing)}.",
            hint="Set them in the environment (see .env.example), or use "
            "SMS_BACKEND=console while trying the system out.",
            id="dispatch.E002",
        )
    ]


def _communes() -> list[Commune] | None:
    try:
        return list(Commune.objects.only("pk", "name", "hotline_numbers"))
    except DatabaseError:  # before the first migrate
        return None


@register()
def check_voice_token(**kwargs: Any) -> list[CheckMessage]:
    """Hotline numbers are configured (the voice line is on) but Twilio's auth token is
    not: every call's signature check fails and callers hear nothing."""
    # On a development machine (the console backend, no provider) nothing calls in.
    if settings.TWILIO_AUTH_TOKEN or not settings.PRODUCTION:
        return []
    communes = _communes()
    if not communes or not any(c.hotline_numbers for c in communes):
        return []
    return [
        Error(
            "A commune has hotline numbers but TWILIO_AUTH_TOKEN is empty: Twilio's "
            "voice and SMS webhooks cannot be verified and will all be refused.",
            hint="Set TWILIO_AUTH_TOKEN (Twilio console → Account → API keys).",
            id="dispatch.E003",
        )
    ]


@register()
def check_commune_hotlines(**kwargs: Any) -> list[CheckMessage]:
    """With two or more communes, a call or SMS is placed by the number it reached: a
    commune without a hotline number cannot be reached, and an unknown number goes to
    triage."""
    communes = _communes()
    if not communes or len(communes) < 2:
        return []
    return [
        Warning(
            f"Commune {c.name!r} has no hotline number: with {len(communes)} communes, "
            "calls and SMS are placed by the number dialled, so none will reach it.",
            hint="Add its numbers in the admin (Xã → Số đường dây nóng).",
            obj=c,
            id="dispatch.W001",
        )
        for c in communes
        if not c.hotline_numbers
    ]
