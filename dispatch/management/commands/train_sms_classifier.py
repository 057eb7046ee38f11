"""manage.py train_sms_classifier: rebuild the shipped SMS category model."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dispatch.intake import classifier as sms_classifier

DEFAULT_CORPUS = Path(settings.BASE_DIR) / "tests" / "fixtures" / "sms_corpus.tsv"


class Command(BaseCommand):
    help = (
        "Huấn luyện lại mô hình phân loại tin nhắn từ bộ tin nhắn mẫu đã gán nhãn "
        "và ghi ra dispatch/intake/sms_categories.json (chạy khi bộ mẫu thay đổi)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
        parser.add_argument("--output", type=Path, default=sms_classifier.MODEL_PATH)

    def handle(self, *args: object, **options: object) -> None:
        corpus: Path = options["corpus"]  # type: ignore[assignment]
        if not corpus.exists():
            raise CommandError(f"no corpus at {corpus}")
        rows = [r for r in sms_classifier.read_corpus(corpus) if not r["command"]]
        model = sms_classifier.train((r["text"], r["category"]) for r in rows)
        size = sms_classifier.write_model(model, options["output"])  # type: ignore[arg-type]
        self.stdout.write(
            f"{len(rows)} texts, {len(model['weights'])} features, {size} bytes"
            f" → {options['output']}"
        )
