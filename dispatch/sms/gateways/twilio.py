"""Twilio: outbound SMS through the official client, and deleting call recordings.

Vietnam accepts Twilio SMS only from a registered alphanumeric sender; replies from
residents arrive through SMSGate instead (Twilio sells no two-way SMS in Vietnam; README, "SMS gateways").
"""

from __future__ import annotations

from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from dispatch.sms.gateways.base import GatewayError, SendResult

# Twilio error codes that will never succeed on retry (bad or blocked destination).
FINAL_ERROR_CODES = {21211, 21212, 21408, 21610, 21612, 21614, 21635, 30004, 30005}


def twilio_client() -> Client:
    """A client for our account; the API root comes from settings so tests can fake it."""
    # One timeout for connect and read (the Twilio library takes a single number):
    # the longer of the two settings, still well under the task's timeout.
    http = TwilioHttpClient(
        timeout=max(
            settings.SMS_GATEWAY_CONNECT_TIMEOUT, settings.SMS_GATEWAY_READ_TIMEOUT
        )
    )
    client = Client(
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http
    )
    client.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")
    return client


class TwilioGateway:
    name = "twilio"

    def send(self, *, message_id: str, to: str, body: str) -> SendResult:
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise GatewayError("Twilio is not configured", transient=False)
        try:
            message = twilio_client().messages.create(
                to=to,
                from_=settings.TWILIO_FROM_NUMBER,
                body=body,
                status_callback=f"{settings.PUBLIC_BASE_URL}/hooks/twilio/status",
            )
        except TwilioRestException as exc:
            transient = exc.status >= 500 or exc.status == 429
            if exc.code in FINAL_ERROR_CODES:
                transient = False
            raise GatewayError(
                f"Twilio {exc.status} error {exc.code}", transient=transient
            ) from exc
        except (TwilioException, OSError) as exc:
            # Connection refused, timeouts, TLS: the message may be retried later.
            raise GatewayError(f"Twilio unreachable: {type(exc).__name__}") from exc
        return SendResult(provider_id=message.sid, status="sending")


def delete_recording(sid: str) -> None:
    """Delete one call recording at Twilio (DELETE …/Recordings/{sid}.json → 204).

    A recording already gone (404) counts as deleted, so a retry after a lost answer
    is safe. Server errors, throttling and network failures are transient.
    """
    try:
        twilio_client().recordings(sid).delete()
    except TwilioRestException as exc:
        if exc.status == 404:
            return
        raise GatewayError(
            f"Twilio {exc.status} error {exc.code}",
            transient=exc.status >= 500 or exc.status == 429,
        ) from exc
    except (TwilioException, OSError) as exc:
        raise GatewayError(f"Twilio unreachable: {type(exc).__name__}") from exc
