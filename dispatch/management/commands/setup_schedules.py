"""Install dispatch's periodic tasks (idempotent; run on every deploy)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dispatch.management.schedules import install_schedules
from dispatch.tasks import SCHEDULES


class Command(BaseCommand):
    help = "Install or update the periodic django-q2 schedules (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = install_schedules()
        self.stdout.write(
            f"{len(SCHEDULES)} schedules declared: {created} created, "
            f"{updated} updated, {len(SCHEDULES) - created - updated} unchanged."
        )
