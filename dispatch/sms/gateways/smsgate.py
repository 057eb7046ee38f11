"""SMSGate (Android phone with a local SIM): outbound SMS through its REST API.

We pass our own message id, so a retry after a timeout cannot send the SMS twice: the
phone answers 409 for an id it already has (its documented idempotency rule; README, "SMS gateways").
"""

from __future__ import annotations

import requests
from django.conf import settings

from dispatch.sms.gateways.base import GatewayError, SendResult


def timeouts() -> tuple[int, int]:
    """(connect, read) seconds: shorter than the task's timeout (settings)."""
    return settings.SMS_GATEWAY_CONNECT_TIMEOUT, settings.SMS_GATEWAY_READ_TIMEOUT


def smsgate_session() -> requests.Session:
    session = requests.Session()
    session.auth = (settings.SMSGATE_USERNAME, settings.SMSGATE_PASSWORD)
    return session


class SmsGateGateway:
    name = "smsgate"

    def send(self, *, message_id: str, to: str, body: str) -> SendResult:
        payload: dict = {
            "id": message_id,
            "textMessage": {"text": body},
            "phoneNumbers": [to],
            "withDeliveryReport": True,
        }
        if settings.SMSGATE_DEVICE_ID:
            payload["deviceId"] = settings.SMSGATE_DEVICE_ID
        try:
            response = smsgate_session().post(
                f"{settings.SMSGATE_BASE_URL}/messages",
                json=payload,
                timeout=timeouts(),
            )
        except requests.RequestException as exc:
            raise GatewayError(f"SMSGate unreachable: {type(exc).__name__}") from exc
        if response.status_code in (200, 201, 202, 409):
            return SendResult(provider_id=message_id, status="sending")
        transient = response.status_code >= 500 or response.status_code == 429
        raise GatewayError(f"SMSGate HTTP {response.status_code}", transient=transient)


# Our webhooks on the phone, with fixed ids: registering again replaces, never adds.
WEBHOOK_EVENTS = ("sms:received", "sms:sent", "sms:delivered", "sms:failed")


def webhook_id(event: str) -> str:
    return "caunoi-" + event.replace(":", "-")


def register_webhooks(*, url: str) -> list[dict]:
    """Create or replace our four webhooks on the gateway; returns what it answered.

    Raises GatewayError when the gateway refuses or cannot be reached.
    """
    session = smsgate_session()
    answers = []
    for event in WEBHOOK_EVENTS:
        body: dict = {"id": webhook_id(event), "url": url, "event": event}
        if settings.SMSGATE_DEVICE_ID:
            body["deviceId"] = settings.SMSGATE_DEVICE_ID
        try:
            response = session.post(
                f"{settings.SMSGATE_BASE_URL}/webhooks",
                json=body,
                timeout=timeouts(),
            )
        except requests.RequestException as exc:
            raise GatewayError(f"SMSGate unreachable: {type(exc).__name__}") from exc
        if response.status_code not in (200, 201):
            raise GatewayError(
                f"SMSGate refused webhook {event}: HTTP {response.status_code}",
                transient=response.status_code >= 500,
            )
        answers.append(response.json() if response.content else body)
    return answers


def push_signing_key(*, key: str) -> None:
    """Set the phone's webhook signing key (write-only on the phone) to ours."""
    try:
        response = smsgate_session().patch(
            f"{settings.SMSGATE_BASE_URL}/settings",
            json={"webhooks": {"signing_key": key}},
            timeout=timeouts(),
        )
    except requests.RequestException as exc:
        raise GatewayError(f"SMSGate unreachable: {type(exc).__name__}") from exc
    if response.status_code >= 300:
        raise GatewayError(f"SMSGate refused the settings: HTTP {response.status_code}")
