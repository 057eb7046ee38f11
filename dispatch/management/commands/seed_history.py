"""manage.py seed_history --requests N: a realistic past for demos and benchmarks."""

from __future__ import annotations

import math

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dispatch.demo import Plan, seed_history
from dispatch.figures import refresh
from dispatch.models import HelpRequest
from teams.models import Commune


class Command(BaseCommand):
    help = (
        "Tạo lịch sử yêu cầu giả lập (đã giải quyết, đúng/trễ hạn, đánh giá, ca trực) "
        "cho một xã đã có thôn và tổ (chạy seed_demo trước)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=10_000)
        parser.add_argument(
            "--commune", default="", help="commune code (default: first)"
        )
        parser.add_argument(
            "--days", type=int, default=0, help="days of history (default: ~900/day)"
        )
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--duty-days", type=int, default=28)

    def handle(self, *args: object, **options: object) -> None:
        count = int(options["requests"])
        if count < 1:
            raise CommandError("--requests must be at least 1")
        communes = Commune.objects.order_by("pk")
        if options["commune"]:
            communes = communes.filter(code=str(options["commune"]).upper())
        commune = communes.first()
        if commune is None:
            raise CommandError("no such commune: run `manage.py seed_demo` first")
        days = int(options["days"]) or max(60, math.ceil(count / 900))
        plan = Plan(
            commune=commune,
            requests=count,
            days=days,
            batch=max(int(options["batch"]), 100),
            seed=int(options["seed"]),
            duty_days=int(options["duty_days"]),
        )
        with tqdm(total=count, unit="req", disable=options["verbosity"] == 0) as bar:
            try:
                written = seed_history(plan=plan, progress=bar.update)
            except ValueError as error:
                raise CommandError(str(error)) from error
        # The history was written without events: tally every day again.
        total = HelpRequest.objects.filter(commune=commune).count()
        quiet = options["verbosity"] == 0
        with tqdm(total=total, unit="req", desc="tallies", disable=quiet) as bar:
            refresh.rebuild(commune=commune, progress=bar.update)
        self.stdout.write(
            f"{commune.name}: {written['requests']} requests over {days} days, "
            f"{written['offers']} declined/expired offers, "
            f"{written['duty_changes']} duty changes"
        )
