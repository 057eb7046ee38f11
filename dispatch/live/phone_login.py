"""Volunteers sign in with their phone number and a one-time code sent by SMS.

Staff keep their passwords (`/accounts/login/`); this path is for volunteers only, who
rarely remember a password but always have their phone. The code goes out through
`dispatch.sms.outbox.queue_sms` like every other SMS (the console gateway prints it in
development).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dispatch.errors import DispatchError
from dispatch.models import LoginCode, LoginLock, OutboundMessage
from dispatch.sms.login_codes import CODE_LIFETIME, blank_codes, code_hash
from dispatch.sms.outbox import queue_sms
from teams.models import Volunteer
from teams.phones import try_normalize_phone

MAX_TRIES = 5
# Wrong codes for one phone within a day, from any address, that lock code sign-in
# until a leader or secretary unlocks it: at most this many guesses of a million a day.
WRONG_CODES_PER_DAY = 10
LOCK_WINDOW = timedelta(days=1)
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


class PhoneLocked(LoginError):
    code = "phone_locked"
    default_message = _(
        "Đăng nhập bằng mã của số này đã bị khoá vì nhập sai quá nhiều lần. "
        "Hãy nhờ tổ trưởng hoặc thư ký xã mở khoá."
    )


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
    if volunteer is None or is_locked(phone=phone):
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
    WRONG_CODES_PER_DAY wrong codes for the phone lock it (PhoneLocked) until unlocked.
    """
    now = timezone.now()
    if is_locked(phone=phone):
        raise PhoneLocked()
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
        if lock_if_guessed(phone=phone):
            raise PhoneLocked()
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


# --- Per-phone lock --------------------------------------------------------------------


def is_locked(*, phone: str) -> bool:
    return LoginLock.objects.filter(phone=phone, unlocked_at__isnull=True).exists()


def _wrong_codes_since_unlock(*, phone: str, now: datetime) -> int:
    since = now - LOCK_WINDOW
    last_unlock = (
        LoginLock.objects.filter(phone=phone, unlocked_at__isnull=False)
        .order_by("-unlocked_at")
        .values_list("unlocked_at", flat=True)
        .first()
    )
    if last_unlock is not None and last_unlock > since:
        since = last_unlock
    codes = LoginCode.objects.filter(phone=phone, created_at__gt=since)
    return sum(codes.values_list("attempts", flat=True))


def lock_if_guessed(*, phone: str) -> bool:
    """Lock code sign-in for `phone` once it has had WRONG_CODES_PER_DAY wrong codes in
    the last day (counted since the last unlock); True if it is locked now.

    The lock is one row, unique while open, so two racing wrong tries make one lock and
    one SMS. Side effects on locking: the live code is retired and the volunteer is told
    by SMS (whoever is guessing learns nothing new: the page said so already).
    """
    now = timezone.now()
    wrong = _wrong_codes_since_unlock(phone=phone, now=now)
    if wrong < WRONG_CODES_PER_DAY:
        return False
    volunteer = volunteer_for_phone(phone)
    if volunteer is None:
        return False
    try:
        with transaction.atomic():
            LoginLock.objects.create(
                phone=phone, volunteer=volunteer, wrong_codes=wrong
            )
            LoginCode.objects.filter(phone=phone, used_at__isnull=True).update(
                used_at=now
            )
            _tell(
                volunteer,
                gettext(
                    "Cầu Nối: có người nhập sai mã đăng nhập của số này %(count)s lần. "
                    "Đăng nhập bằng mã đã bị khoá; hãy nhờ tổ trưởng hoặc thư ký xã "
                    "mở khoá."
                )
                % {"count": wrong},
            )
    except IntegrityError:  # a racing wrong try locked it first
        pass
    return True


def _tell(volunteer: Volunteer, text: str) -> None:
    queue_sms(
        to=volunteer.phone,
        text=text,
        purpose=OutboundMessage.Purpose.OTHER,
        commune=volunteer.team.commune,
        volunteer=volunteer,
    )


def unlock_login(*, lock: LoginLock, by: AbstractBaseUser) -> bool:
    """Lift an open lock (the caller checked `may_unlock_login`); False if it was
    already lifted. Wrong codes before the unlock no longer count. The volunteer is
    told by SMS."""
    now = timezone.now()
    with transaction.atomic():
        lifted = LoginLock.objects.filter(pk=lock.pk, unlocked_at__isnull=True).update(
            unlocked_at=now, unlocked_by=by
        )
        if lifted:
            _tell(
                lock.volunteer,
                gettext(
                    "Cầu Nối: đăng nhập bằng mã của số này đã được mở khoá. "
                    "Bạn có thể xin mã mới."
                ),
            )
    return bool(lifted)
