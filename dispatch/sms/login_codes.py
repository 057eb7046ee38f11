"""Login codes, as stored: their hash, their lifetime, and the SMS copies that carry them.

The sign-in itself (asking for a code, checking it) is `dispatch.live.phone_login`;
this module is what the outbound queue, retention and erasure need to know about
codes, so the SMS layer never reaches up into the volunteer pages.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from dispatch.models import LoginCode, OutboundMessage

CODE_LIFETIME = timedelta(minutes=5)

# The code in a login SMS, and what the stored copy keeps once it can no longer be sent.
_CODE_IN_BODY = re.compile(r"(?<!\d)\d{6}(?!\d)")
CODE_MASK = "●" * 6


def code_hash(phone: str, code: str) -> str:
    """What is stored of a code: a keyed hash, never the digits."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


# --- The stored copy of the SMS ---------------------------------------------------------
# The admin's outbound list must never show a usable (or past) code: the SMS body keeps
# its digits only while a try is still to come, then "… là ●●●●●●, …" is kept.


def blank_code(body: str) -> str:
    """`body` with the 6-digit login code replaced by ●●●●●●; the rest unchanged."""
    return _CODE_IN_BODY.sub(CODE_MASK, body or "")


def code_is_live(*, phone: str, body: str) -> bool:
    """Whether the code in a login SMS can still sign someone in (not expired, used or
    replaced by a newer one): a retry of a dead code is not worth an SMS."""
    match = _CODE_IN_BODY.search(body or "")
    if match is None:
        return False
    return LoginCode.objects.filter(
        phone=phone,
        code_hash=code_hash(phone, match.group()),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()


def blank_codes(messages: QuerySet[OutboundMessage]) -> int:
    """Blank the code in every login SMS of `messages` that still shows one.

    No lock: a sender that already read the body sends the real code, and `send_outbound`
    refuses to send a dead one. Returns how many bodies changed.
    """
    count = 0
    pending = messages.filter(
        purpose=OutboundMessage.Purpose.LOGIN_CODE, body__regex=r"[0-9]{6}"
    )
    for pk, body in pending.values_list("pk", "body").iterator():
        count += OutboundMessage.objects.filter(pk=pk, body=body).update(
            body=blank_code(body)
        )
    return count


def blank_expired_codes(*, now: datetime | None = None) -> int:
    """Daily: blank the codes of login SMS older than a code lives, whatever their
    status (messages from before blanking existed, or stuck in a queue)."""
    cutoff = (now or timezone.now()) - CODE_LIFETIME
    return blank_codes(OutboundMessage.objects.filter(created_at__lt=cutoff))
