"""`manage.py seed_demo`: load the Đức An sample commune (and, later, its training data).

The command lives in `training`, the highest app allowed to import both `teams` (the
registry demo, built in teams/demo.py) and training's own demo data, which later issues
add here. dispatch must not be imported from this module (arrows run dispatch →
training → teams).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from teams.demo import (
    NotASampleCommune,
    demo_logins_text,
    refresh_demo_logins,
    seed_demo_commune,
    seed_second_commune,
)
from teams.demo_rosters import ensure_households
from teams.models import Commune
from teams.signals import demo_seeded
from training.demo import seed_training


class Command(BaseCommand):
    help = (
        "Create the Đức An sample commune (23 villages, 24 teams, ~500 volunteers) with "
        "demo logins. Deterministic and idempotent: running it again creates nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any commune already exists (used by `make run`).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the sample commune first and build it again.",
        )
        parser.add_argument(
            "--communes",
            type=int,
            choices=(1, 2),
            default=1,
            help="2: also a small second commune, Đắk Song (logins secretary2, "
            "operator2), to see that each office sees only its own residents.",
        )

    def handle(
        self, *args, if_empty: bool, reset: bool, communes: int = 1, **options
    ) -> None:
        if if_empty and Commune.objects.exists():
            self.stdout.write(_("Đã có dữ liệu xã, bỏ qua việc tạo xã mẫu."))
            # A demo database from an older version still gets today's logins.
            if refresh_demo_logins():
                self.stdout.write(demo_logins_text())
            return
        try:
            result = seed_demo_commune(progress=self._progress, reset=reset)
        except NotASampleCommune as exc:
            raise CommandError(
                _("Mã xã %(code)s đã thuộc một xã thật; không tạo dữ liệu mẫu.")
                % {"code": str(exc)}
            ) from exc
        seed_training(result.commune, stdout=self.stdout)
        # The household register of two villages; then dispatch (listening) adds the
        # police contact, past scam reports and a running outreach campaign.
        ensure_households(result.commune, say=self._progress)
        demo_seeded.send(sender=Commune, commune=result.commune, say=self._progress)
        if communes == 2:
            second = seed_second_commune()
            self.stdout.write(
                _("Xã mẫu thứ hai %(name)s: secretary2, operator2.")
                % {"name": second.name}
            )
        message = (
            _("Đã tạo xã mẫu %(name)s.")
            if result.created
            else _("Xã mẫu %(name)s đã có; chỉ thêm phần còn thiếu.")
        )
        self.stdout.write(self.style.SUCCESS(message % {"name": result.commune.name}))
        self.stdout.write(demo_logins_text())

    def _progress(self, message: str) -> None:
        self.stdout.write("  " + message)
