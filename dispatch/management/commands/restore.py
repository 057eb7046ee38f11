"""manage.py restore FILE: replace the database with a backup (after backing it up)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dispatch.backups import database as backups


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu từ một bản sao lưu. Dừng Daphne và tác vụ nền trước. "
        "Trạng thái hiện tại được sao lưu trước khi ghi đè. Không có FILE: liệt kê các "
        "bản trong BACKUP_DIR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="", help="the backup to restore")
        parser.add_argument(
            "--noinput", action="store_true", help="do not ask for confirmation"
        )

    def handle(self, *args: object, **options: object) -> None:
        if not options["file"]:
            for path in backups.backups(settings.BACKUP_DIR):
                self.stdout.write(str(path))
            return
        backup = Path(str(options["file"]))
        if not options["noinput"]:
            answer = input(f"Replace the database with {backup.name}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            before = backups.backup_database()
            backups.restore_database(backup=backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if before is not None:
            self.stdout.write(f"the database as it was is kept in {before}")
        self.stdout.write(self.style.SUCCESS(f"restored from {backup}"))
