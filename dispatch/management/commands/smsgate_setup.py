"""`manage.py smsgate_setup`: point the Android SMS gateway's webhooks at us."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dispatch.sms.gateways.base import GatewayError
from dispatch.sms.gateways.smsgate import push_signing_key as set_signing_key
from dispatch.sms.gateways.smsgate import register_webhooks


class Command(BaseCommand):
    help = (
        "Register the four SMSGate webhooks (sms:received, sent, delivered, failed) at "
        "PUBLIC_BASE_URL/hooks/smsgate. Idempotent: fixed ids replace earlier ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--push-signing-key",
            action="store_true",
            help="Also set the phone's webhook signing key to SMSGATE_SIGNING_KEY.",
        )

    def handle(
        self, *args: object, push_signing_key: bool = False, **options: object
    ) -> None:
        if not settings.SMSGATE_SIGNING_KEY:
            raise CommandError(
                "SMSGATE_SIGNING_KEY is empty: every webhook would be refused (403)."
            )
        url = f"{settings.PUBLIC_BASE_URL}/hooks/smsgate"
        try:
            if push_signing_key:
                set_signing_key(key=settings.SMSGATE_SIGNING_KEY)
                self.stdout.write("signing key set on the gateway")
            for hook in register_webhooks(url=url):
                self.stdout.write(
                    f"{hook.get('id')}: {hook.get('event')} → {hook.get('url')}"
                )
        except GatewayError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"SMSGate webhooks point at {url}"))
