"""Print each Zalo OA's token state and warnings (the same the live board shows)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dispatch.sms.gateways import zalo


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "Zalo OA status: token expiry, last refresh, warnings. Exit 1 on warnings."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--test",
            action="store_true",
            help="Also call Zalo (user/detail or the OA profile) for each OA.",
        )

    def handle(self, *args: Any, test: bool = False, **options: Any) -> None:
        if not zalo.configured():
            self.stdout.write("Zalo: off (no ZALO_OA_ID and no OA in the admin).")
            return
        # The settings' OA becomes a row on first use; make sure it is listed.
        zalo.account_for_commune(None)
        warned = False
        for item in zalo.health():
            account = item.account
            self.stdout.write(
                f"OA {account.oa_id} ({account.commune.name})\n"
                f"  access token expires: {_when(account.access_expires_at)}\n"
                f"  refresh token expires: {_when(account.refresh_expires_at)}\n"
                f"  last refresh: {_when(account.refreshed_at)}"
                f" ({account.refresh_count} so far)\n"
                f"  follow link: {account.follow_url}"
            )
            if test:
                try:
                    answer = zalo.check_connection(account=account)
                    self.stdout.write(f"  connection: ok ({answer})")
                except zalo.ZaloError as exc:
                    warned = True
                    self.stdout.write(f"  connection: FAILED ({exc})")
            for warning in item.warnings:
                warned = True
                self.stdout.write(self.style.WARNING(f"  ! {warning}"))
        if warned:
            raise SystemExit(1)
