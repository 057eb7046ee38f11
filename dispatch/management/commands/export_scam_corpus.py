"""manage.py export_scam_corpus: recorded scams as labelled rows for the SMS corpus."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from dispatch.scams import selectors


class Command(BaseCommand):
    help = (
        "In các vụ lừa đảo đã ghi nhận thành dòng của tests/fixtures/sms_corpus.tsv "
        "(số và đường link đã che) để người xem lại rồi thêm vào bộ mẫu, sau đó chạy "
        "train_sms_classifier."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--commune", type=int, action="append")

    def handle(
        self, *args: object, days: int, commune: list[int] | None, **options: object
    ) -> None:
        for row in selectors.corpus_rows(commune_ids=commune, days=days):
            self.stdout.write(row)
