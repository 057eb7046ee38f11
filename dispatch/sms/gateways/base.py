"""The contract every outbound SMS provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class GatewayError(Exception):
    """A provider call failed. `transient` errors are retried with backoff; others are
    final."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str = "sent"  # our OutboundMessage.Status value after the call


class SmsGateway(Protocol):
    name: str

    def send(self, *, message_id: str, to: str, body: str) -> SendResult:
        """Hand one SMS to the provider. `message_id` is ours; reuse makes retries safe."""
        ...


GATEWAYS = {
    "console": "dispatch.sms.gateways.console.ConsoleGateway",
    "twilio": "dispatch.sms.gateways.twilio.TwilioGateway",
    "smsgate": "dispatch.sms.gateways.smsgate.SmsGateGateway",
}


def get_gateway(name: str | None = None) -> SmsGateway:
    """The gateway named by `name`, or by the SMS_BACKEND setting."""
    key = name or settings.SMS_BACKEND
    return import_string(GATEWAYS[key])()
