"""manage.py backup: one consistent backup of the database, keeping the newest N."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dispatch.backups import database as backups


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (SQLite: bản sao trực tuyến; PostgreSQL: pg_dump) vào "
        "BACKUP_DIR, chép sang BACKUP_COPY_DIR nếu có, giữ BACKUP_KEEP bản mới nhất."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default="", help="folder (default: BACKUP_DIR)")

    def handle(self, *args: object, **options: object) -> None:
        folder = Path(str(options["dir"])) if options["dir"] else None
        try:
            made = backups.backup_database(folder=folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if made is None:
            self.stdout.write("nothing to back up yet (no database file)")
        else:
            self.stdout.write(self.style.SUCCESS(f"backup written: {made}"))
