"""Development gateway: prints each SMS to the console instead of sending it."""

from __future__ import annotations

import logging
import sys

from dispatch.sms.gateways.base import SendResult

logger = logging.getLogger(__name__)


class ConsoleGateway:
    name = "console"

    def send(self, *, message_id: str, to: str, body: str) -> SendResult:
        sys.stdout.write(f"\n--- SMS to {to} ({message_id}) ---\n{body}\n---\n")
        sys.stdout.flush()
        return SendResult(provider_id=f"console-{message_id}", status="delivered")
