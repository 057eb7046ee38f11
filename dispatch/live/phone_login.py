"""Volunteers sign in with their phone number and a one-time code sent by SMS.

Staff keep their passwords (`/accounts/login/`); this path is for volunteers only, who
rarely remember a password but always have their phone. The code goes out through
`dispatch.sms.outbox.queue_sms` like every other SMS (the console gateway prints it in
development).
"""

from __future__ import annotations

import hmac
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dispatch.errors import DispatchError
from dispatch.models import LoginCode, OutboundMessage
from dispatch.sms.login_codes import CODE_LIFETIME, blank_codes, code_hash
from dispatch.sms.outbox import queue_sms
from teams.models import Volunteer
from teams.phones import try_normalize_phone

MAX_TRIES = 5
# How long a volunteer stays signed in on the phone they used.
SESSION_SECONDS = 30 * 24 * 3600


class LoginError(DispatchError):
    code = "login_failed"
    default_message = _("Mã không đúng. Hãy kiểm tra tin nhắn và nhập lại.")


class CodeExpired(LoginError):
    code = "code_expired"
    default_message = _("Mã đã hết hạn. Hãy xin mã mới.")


class TooManyTries(LoginError):
    code = "too_many_tries"
    default_message = _("Bạn đã nhập sai quá nhiều lần. Hãy xin mã mới.")


class BadPhone(LoginError):
    code = "bad_phone"
    default_message = _("Số điện thoại chưa đúng. Ví dụ: 0912 345 678.")


def clean_phone(raw: str) -> str:
    phone = try_normalize_phone(raw or "")
    if not phone:
        raise BadPhone()
    return phone


def volunteer_for_phone(phone: str) -> Volunteer | None:
    """An active volunteer who may sign in by phone (staff accounts may not)."""
    return (
        Volunteer.objects.select_related("user")
        .filter(phone=phone, active=True, user__is_active=True, user__is_staff=False)
        .first()
    )


def send_login_code(*, phone: str) -> bool:
    """Text a fresh code to a volunteer's phone; False (and nothing sent) otherwise.

    Callers rate-limit first and answer the same either way, so the page does not tell
    strangers which numbers belong to volunteers. Older unused codes are retired.
    Side effects: one LoginCode row, one queued SMS (purpose "login_code").
    """
    volunteer = volunteer_for_phone(phone)
    if volunteer is None:
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        LoginCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
        LoginCode.objects.create(
            phone=phone,
            code_hash=code_hash(phone, code),
            expires_at=now + CODE_LIFETIME,
        )
        queue_sms(
            to=phone,
            text=gettext(
                "Cầu Nối: mã đăng nhập của bạn là %(code)s, dùng trong 5 phút. "
                "Không đưa mã này cho ai."
            )
            % {"code": code},
            purpose=OutboundMessage.Purpose.LOGIN_CODE,
            commune=volunteer.team.commune,
            volunteer=volunteer,
        )
    return True


def check_login_code(*, phone: str, code: str) -> AbstractBaseUser:
    """The volunteer's user if `code` is the live code for `phone`; else LoginError.

    Each wrong try is counted with a conditional UPDATE (no lost counts when two tries
    race); the sixth try fails even with the right code. A right code is spent at once.
    """
    now = timezone.now()
    latest = LoginCode.objects.filter(phone=phone, used_at__isnull=True).first()
    if latest is None:
        raise LoginError()
    if latest.expires_at <= now:
        raise CodeExpired()
    if latest.attempts >= MAX_TRIES:
        raise TooManyTries()
    digits = "".join(c for c in (code or "") if c.isdigit())
    if not hmac.compare_digest(latest.code_hash, code_hash(phone, digits)):
        LoginCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
        if latest.attempts + 1 >= MAX_TRIES:
            raise TooManyTries()
        raise LoginError()
    spent = LoginCode.objects.filter(
        pk=latest.pk, used_at__isnull=True, attempts__lt=MAX_TRIES
    ).update(used_at=now)
    volunteer = volunteer_for_phone(phone)
    if not spent or volunteer is None:
        raise LoginError()
    blank_codes(OutboundMessage.objects.filter(to_number=phone))
    return volunteer.user
