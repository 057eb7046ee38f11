"""`manage.py import_households FILE`: load a commune's household register (.csv or .xlsx)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from teams.households import import_households
from teams.management.commands.import_volunteers import target_commune
from teams.spreadsheets import SpreadsheetError, read_table


class Command(BaseCommand):
    help = (
        "Import the household register from a .csv or .xlsx file (columns: thôn, chủ "
        "hộ, mã hộ, địa chỉ, số điện thoại, số nhân khẩu, flags, đồng ý liên hệ). Rows "
        "are matched by household code (else head and phone), so importing again "
        "updates instead of duplicating. Shows a progress bar for large files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--commune",
            help="Commune code (e.g. DA); needed only when there are several communes.",
        )

    def handle(self, *args, file: Path, commune: str | None, **options) -> None:
        target = target_commune(commune)
        try:
            rows = read_table(content=file.read_bytes(), filename=file.name)
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp %(path)s: %(reason)s")
                % {"path": file, "reason": exc.strerror}
            ) from exc
        except SpreadsheetError as exc:
            raise CommandError(exc.message) from exc
        progress = tqdm(rows, desc=_("Nhập"), unit=_("dòng"), disable=len(rows) < 50)
        report = import_households(rows=progress, commune=target)
        for number, message in report.errors:
            self.stderr.write(
                _("Dòng %(number)d: %(message)s")
                % {"number": number, "message": message}
            )
        style = self.style.SUCCESS if report.ok else self.style.WARNING
        self.stdout.write(style(report.summary()))
