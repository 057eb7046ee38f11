"""Zalo Official Account: the one module that calls Zalo (messages, ZNS, tokens, users).

Zalo's own shapes (../shared/reference/channels-vietnam.md §5; README, "Zalo"):
- messages: POST {ZALO_API_BASE_URL}/v3.0/oa/message/cs, header `access_token`, JSON
  `{"recipient": {"user_id", "message_id"?}, "message": {"text"}}`; `{"error": 0}` is
  success, anything else a failure with a code;
- error -216: the access token expired. We refresh with POST
  {ZALO_OAUTH_BASE_URL}/v4/oa/access_token (header `secret_key`, form app_id,
  refresh_token, grant_type=refresh_token) and try once more;
- the refresh token is single-use and rotates: two workers refreshing at once would burn
  it, so exactly one refreshes (a lease taken by a conditional UPDATE on the account
  row, which works the same on SQLite and PostgreSQL and holds no database lock during
  the HTTP call) and the others wait for the new pair. Both tokens are stored in one
  UPDATE, never only in memory.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dispatch.models import OutboundMessage, ZaloAccount
from dispatch.sms.gateways.base import GatewayError, SendResult
from teams.models import Commune

logger = logging.getLogger(__name__)

TOKEN_EXPIRED = -216
# How long one worker may hold the refresh lease, and how long the others wait for it.
REFRESH_LEASE = timedelta(seconds=60)
REFRESH_WAIT_SECONDS = 30.0
# Zalo's documented lifetime of a refresh token: three months from issue.
REFRESH_TOKEN_LIFETIME = timedelta(days=90)
# Zalo answers these for a user who blocked or unfollowed the OA, or a bad user id:
# retrying will not help.
FINAL_ERRORS = {-201, -213, -214, -230, -232}


class ZaloError(GatewayError):
    """Zalo refused a call; `code` is Zalo's `error` number (0 when there was none)."""

    def __init__(self, message: str, *, code: int = 0, transient: bool = True) -> None:
        super().__init__(message, transient=transient)
        self.code = code


def timeouts() -> tuple[int, int]:
    return settings.SMS_GATEWAY_CONNECT_TIMEOUT, settings.SMS_GATEWAY_READ_TIMEOUT


# --- Which OA --------------------------------------------------------------------------


def configured() -> bool:
    """Is Zalo on at all: an account row, or the settings for the installation's OA."""
    if settings.ZALO_OA_ID and settings.ZALO_APP_ID and settings.ZALO_OA_SECRET_KEY:
        return True
    return ZaloAccount.objects.filter(active=True).exists()


def account_for_oa(oa_id: str) -> ZaloAccount | None:
    """The active account of OA `oa_id`; seeded from the settings on first use."""
    oa_id = str(oa_id or "")
    if not oa_id:
        return None
    account = ZaloAccount.objects.filter(oa_id=oa_id, active=True).first()
    if account is not None:
        return account
    if oa_id == settings.ZALO_OA_ID and settings.ZALO_APP_ID:
        return _account_from_settings()
    return None


def account_for_commune(commune: Commune | None) -> ZaloAccount | None:
    """The OA residents of `commune` follow (its own, else the installation's)."""
    if commune is not None:
        own = ZaloAccount.objects.filter(commune=commune, active=True).first()
        if own is not None:
            return own
    if settings.ZALO_OA_ID and settings.ZALO_APP_ID:
        account = _account_from_settings()
        if account is not None and (commune is None or account.active):
            return account
    return None


def _account_from_settings() -> ZaloAccount | None:
    """The settings' OA as a row (tokens must outlive the process); None without a
    commune to attach it to."""
    commune = (
        Commune.objects.filter(is_sample=False).order_by("pk").first()
        or Commune.objects.order_by("pk").first()
    )
    if commune is None:
        return None
    account, _ = ZaloAccount.objects.get_or_create(
        oa_id=settings.ZALO_OA_ID,
        defaults={
            "commune": commune,
            "app_id": settings.ZALO_APP_ID,
            "app_secret": settings.ZALO_APP_SECRET,
            "oa_secret_key": settings.ZALO_OA_SECRET_KEY,
            "access_token": settings.ZALO_ACCESS_TOKEN,
            "refresh_token": settings.ZALO_REFRESH_TOKEN,
            "refresh_expires_at": timezone.now() + REFRESH_TOKEN_LIFETIME,
        },
    )
    return account if account.active else None


# --- Calls ----------------------------------------------------------------------------


def _answer(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 500 or response.status_code == 429:
        raise ZaloError(f"Zalo {what}: HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as exc:
        raise ZaloError(f"Zalo {what}: not JSON (HTTP {response.status_code})") from exc
    if not isinstance(data, dict):
        raise ZaloError(f"Zalo {what}: unexpected answer")
    return data


def _call(account: ZaloAccount, method: str, path: str, **kwargs: Any) -> dict:
    """One authenticated OA API call, refreshing the token once on -216."""
    for attempt in (1, 2):
        token = account.access_token
        try:
            response = requests.request(
                method,
                f"{settings.ZALO_API_BASE_URL}{path}",
                headers={"access_token": token},
                timeout=timeouts(),
                **kwargs,
            )
        except requests.RequestException as exc:
            raise ZaloError(f"Zalo unreachable: {type(exc).__name__}") from exc
        data = _answer(response, path)
        code = _int(data.get("error"))
        if code == TOKEN_EXPIRED and attempt == 1:
            refresh_tokens(account=account, stale_token=token)
            account.refresh_from_db()
            continue
        if code != 0:
            raise ZaloError(
                f"Zalo {path} error {code}: {str(data.get('message', ''))[:120]}",
                code=code,
                transient=code not in FINAL_ERRORS and code != TOKEN_EXPIRED,
            )
        return data
    raise ZaloError("Zalo token refresh did not help", code=TOKEN_EXPIRED)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return -1


def send_text(
    *, account: ZaloAccount, user_id: str, text: str, reply_to: str = ""
) -> SendResult:
    """Send one consultation ("cs") message; `reply_to` is the user's message id, which
    makes Zalo count it as a free reply rather than a proactive message."""
    recipient = {"user_id": user_id}
    if reply_to:
        recipient["message_id"] = reply_to
    data = _call(
        account,
        "POST",
        "/v3.0/oa/message/cs",
        json={"recipient": recipient, "message": {"text": text}},
    )
    message_id = str((data.get("data") or {}).get("message_id") or "")
    return SendResult(provider_id=message_id, status="sent")


def send_template(
    *, account: ZaloAccount, phone: str, template_id: str, data: dict, tracking_id: str
) -> SendResult:
    """A ZNS template message to a phone (`84…`, no plus): paid, outside the window."""
    body = {
        "phone": phone.lstrip("+"),
        "template_id": template_id,
        "template_data": data,
        "tracking_id": tracking_id,
    }
    for attempt in (1, 2):
        token = account.access_token
        try:
            response = requests.post(
                f"{settings.ZALO_ZNS_BASE_URL}/message/template",
                headers={"access_token": token},
                json=body,
                timeout=timeouts(),
            )
        except requests.RequestException as exc:
            raise ZaloError(f"Zalo ZNS unreachable: {type(exc).__name__}") from exc
        answer = _answer(response, "ZNS")
        code = _int(answer.get("error"))
        if code == TOKEN_EXPIRED and attempt == 1:
            refresh_tokens(account=account, stale_token=token)
            account.refresh_from_db()
            continue
        if code != 0:
            raise ZaloError(f"Zalo ZNS error {code}", code=code, transient=code > 0)
        msg_id = str((answer.get("data") or {}).get("msg_id") or "")
        return SendResult(provider_id=msg_id, status="sent")
    raise ZaloError("Zalo token refresh did not help", code=TOKEN_EXPIRED)


@dataclass(frozen=True)
class ZaloUser:
    user_id: str
    display_name: str


def user_detail(*, account: ZaloAccount, user_id: str) -> ZaloUser:
    """GET /v3.0/oa/user/detail: the follower's display name (never their phone)."""
    data = _call(
        account,
        "GET",
        "/v3.0/oa/user/detail",
        params={"data": json.dumps({"user_id": user_id})},
    )
    detail = data.get("data") or {}
    return ZaloUser(
        user_id=str(detail.get("user_id") or user_id),
        display_name=str(detail.get("display_name") or "")[:160],
    )


def oa_info(*, account: ZaloAccount) -> dict[str, Any]:
    """GET /v2.0/oa/getoa: the OA's own profile (the admin's "test connection")."""
    return _call(account, "GET", "/v2.0/oa/getoa").get("data") or {}


# --- Tokens ---------------------------------------------------------------------------


def refresh_tokens(*, account: ZaloAccount, stale_token: str) -> None:
    """Replace the token pair whose access token `stale_token` Zalo refused; single-flight.

    Exactly one worker takes the lease (a conditional UPDATE that also checks the
    token is still the stale one, so a pair already replaced is not refreshed again)
    and calls Zalo; the others poll the row until the new pair is there. Both tokens
    are written in one UPDATE. A failed refresh is recorded on the account (the board
    and `manage.py zalo_status` show it) and raised as a final error.
    """
    now = timezone.now()
    won = (
        ZaloAccount.objects.filter(pk=account.pk, access_token=stale_token)
        .filter(Q(refresh_lease_until__isnull=True) | Q(refresh_lease_until__lt=now))
        .update(refresh_lease_until=now + REFRESH_LEASE)
    )
    if not won:
        _wait_for_new_pair(account=account, stale_token=stale_token)
        return
    fresh = ZaloAccount.objects.get(pk=account.pk)
    try:
        pair = _ask_for_new_pair(fresh)
    except ZaloError as exc:
        ZaloAccount.objects.filter(pk=account.pk).update(
            refresh_lease_until=None,
            refresh_failed_at=timezone.now(),
            refresh_error=str(exc)[:300],
        )
        logger.error("Zalo OA %s: token refresh failed: %s", account.oa_id, exc)
        raise
    now = timezone.now()
    ZaloAccount.objects.filter(pk=account.pk).update(
        access_token=pair["access_token"],
        refresh_token=pair["refresh_token"],
        access_expires_at=now + timedelta(seconds=pair["expires_in"]),
        refresh_expires_at=now + REFRESH_TOKEN_LIFETIME,
        refreshed_at=now,
        refresh_failed_at=None,
        refresh_error="",
        refresh_count=fresh.refresh_count + 1,
        refresh_lease_until=None,
    )
    logger.info("Zalo OA %s: token pair refreshed", account.oa_id)


def _ask_for_new_pair(account: ZaloAccount) -> dict[str, Any]:
    try:
        response = requests.post(
            f"{settings.ZALO_OAUTH_BASE_URL}/v4/oa/access_token",
            headers={"secret_key": account.app_secret},
            data={
                "app_id": account.app_id,
                "refresh_token": account.refresh_token,
                "grant_type": "refresh_token",
            },
            timeout=timeouts(),
        )
    except requests.RequestException as exc:
        raise ZaloError(f"Zalo OAuth unreachable: {type(exc).__name__}") from exc
    data = _answer(response, "OAuth")
    if not data.get("access_token") or not data.get("refresh_token"):
        code = _int(data.get("error"))
        reason = str(data.get("error_name") or data.get("message") or "")[:120]
        raise ZaloError(
            f"Zalo OAuth refused the refresh ({code}): {reason}",
            code=code,
            transient=False,
        )
    expires_in = _int(data.get("expires_in"))
    return {
        "access_token": str(data["access_token"]),
        "refresh_token": str(data["refresh_token"]),
        "expires_in": expires_in if expires_in > 0 else 3600,
    }


def _wait_for_new_pair(*, account: ZaloAccount, stale_token: str) -> None:
    deadline = time.monotonic() + REFRESH_WAIT_SECONDS
    while time.monotonic() < deadline:
        row = ZaloAccount.objects.filter(pk=account.pk).values(
            "access_token", "refresh_lease_until", "refresh_failed_at"
        )[0]
        if row["access_token"] != stale_token:
            return
        if row["refresh_lease_until"] is None:
            # The refreshing worker gave up (its failure is on the row).
            raise ZaloError("Zalo token refresh failed", transient=False)
        time.sleep(0.1)
    raise ZaloError("Zalo token refresh still running")


class ZaloGateway:
    """One queued Zalo message (OutboundMessage with transport "zalo") handed to Zalo:
    a consultation message to the contact, or a ZNS template to a phone."""

    name = "zalo"

    def __init__(self, message: OutboundMessage) -> None:
        self.message = message

    def send(self, *, message_id: str, to: str, body: str) -> SendResult:
        contact = self.message.zalo_contact
        if contact is None:
            raise ZaloError("Zalo message without a contact", transient=False)
        account = contact.account
        if self.message.zns_template:
            return send_template(
                account=account,
                phone=to,
                template_id=self.message.zns_template,
                data=_template_data(self.message),
                tracking_id=message_id,
            )
        return send_text(
            account=account,
            user_id=contact.user_id,
            text=body,
            reply_to=self.message.reply_to,
        )


def _template_data(message: OutboundMessage) -> dict[str, str]:
    """The parameters our ZNS templates use (README, "Zalo"): the tracking code, the
    team, and the notice's own text."""
    request = message.request
    return {
        "code": request.code if request is not None else "",
        "team": (
            request.current_team.name
            if request is not None and request.current_team
            else ""
        ),
        "message": message.body[:400],
    }


def accounts_for_event(payload: dict[str, Any]) -> list[ZaloAccount]:
    """The accounts whose keys may have signed this event: the OA it names (the
    recipient of what users send, the sender of delivery reports, `oa_id` of follows)."""
    ids = {
        str(payload.get("oa_id") or ""),
        str((payload.get("recipient") or {}).get("id") or ""),
        str((payload.get("sender") or {}).get("id") or ""),
    } - {""}
    accounts = []
    for oa_id in sorted(ids):
        account = account_for_oa(oa_id)
        if account is not None:
            accounts.append(account)
    return accounts


def follow_url(commune: Commune | None) -> str:
    """`https://zalo.me/<OA id>` of the OA residents of `commune` follow; "" when Zalo
    is off. A pure read (posters and public pages never create the account row)."""
    if commune is not None:
        own = (
            ZaloAccount.objects.filter(commune=commune, active=True)
            .values_list("oa_id", flat=True)
            .first()
        )
        if own:
            return f"https://zalo.me/{own}"
    if settings.ZALO_OA_ID and settings.ZALO_APP_ID:
        return f"https://zalo.me/{settings.ZALO_OA_ID}"
    return ""


# --- Health -----------------------------------------------------------------------------

REFRESH_WARNING = timedelta(days=7)


@dataclass(frozen=True)
class ZaloHealth:
    account: ZaloAccount
    warnings: tuple[str, ...]


def health(*, commune: Commune | None = None, now: Any = None) -> list[ZaloHealth]:
    """Each active OA (of `commune`, or all) with what needs a person's attention: a
    refresh token within 7 days of expiry (Zalo's lasts three months; after it the OA
    must be granted again) or a failed refresh. Texts in the viewer's language."""
    from django.utils.translation import gettext

    now = now or timezone.now()
    accounts = ZaloAccount.objects.filter(active=True).select_related("commune")
    if commune is not None:
        accounts = accounts.filter(commune=commune)
    found = []
    for account in accounts.order_by("pk"):
        warnings = []
        if account.refresh_failed_at is not None:
            warnings.append(
                gettext(
                    "Zalo OA %(oa)s: làm mới token thất bại lúc %(at)s (%(error)s). "
                    "Tin Zalo không gửi được cho đến khi cấp quyền lại."
                )
                % {
                    "oa": account,
                    "at": timezone.localtime(account.refresh_failed_at).strftime(
                        "%H:%M %d/%m"
                    ),
                    "error": account.refresh_error[:120],
                }
            )
        expires = account.refresh_expires_at
        if expires is not None and expires - now < REFRESH_WARNING:
            warnings.append(
                gettext(
                    "Zalo OA %(oa)s: refresh token hết hạn lúc %(at)s. Cấp quyền lại "
                    "cho ứng dụng trước hạn (README, mục Zalo)."
                )
                % {
                    "oa": account,
                    "at": timezone.localtime(expires).strftime("%d/%m/%Y"),
                }
            )
        if not account.access_token and not account.refresh_token:
            warnings.append(gettext("Zalo OA %(oa)s: chưa có token.") % {"oa": account})
        found.append(ZaloHealth(account=account, warnings=tuple(warnings)))
    return found


def check_connection(*, account: ZaloAccount) -> str:
    """Call Zalo as the admin's "test connection": `user/detail` for a known follower,
    else the OA's own profile. Returns what Zalo said; raises ZaloError."""
    contact = account.contacts.order_by("-last_user_message_at").first()
    if contact is not None:
        user = user_detail(account=account, user_id=contact.user_id)
        return user.display_name or user.user_id
    info = oa_info(account=account)
    return str(info.get("name") or info.get("oa_id") or account.oa_id)
