"""manage.py refresh_kpis [--rebuild]: bring the dashboard's day tallies up to date."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dispatch.figures import refresh
from dispatch.models import HelpRequest
from teams.models import Commune


class Command(BaseCommand):
    help = (
        "Cập nhật số liệu theo ngày của bảng điều khiển (chạy tự động mỗi phút). "
        "--rebuild: tính lại toàn bộ lịch sử, có thanh tiến độ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="tally every day again"
        )
        parser.add_argument("--commune", default="", help="commune code (default: all)")

    def handle(self, *args: object, **options: object) -> None:
        communes = Commune.objects.order_by("pk")
        if options["commune"]:
            communes = communes.filter(code=str(options["commune"]).upper())
            if not communes.exists():
                raise CommandError(f"no such commune: {options['commune']}")
        quiet = options["verbosity"] == 0
        for commune in communes:
            if options["rebuild"]:
                total = HelpRequest.objects.filter(commune=commune).count()
                with tqdm(
                    total=total, unit="req", desc=commune.name, disable=quiet
                ) as bar:
                    days = refresh.rebuild(commune=commune, progress=bar.update)
            else:
                days = refresh.refresh(commune=commune, budget=None)  # to the end
            if not quiet:
                self.stdout.write(f"{commune.name}: {days} days tallied")
