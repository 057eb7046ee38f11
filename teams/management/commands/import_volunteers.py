"""`manage.py import_volunteers FILE`: load a commune's member list (.csv or .xlsx)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from teams.models import Commune
from teams.services import ImportReport, import_volunteers
from teams.spreadsheets import SpreadsheetError, read_table


class Command(BaseCommand):
    help = (
        "Import volunteers from a .csv or .xlsx file (columns: họ tên, số điện thoại, "
        "tổ, vai trò, đơn vị, ngôn ngữ, đang trực, sức chứa). Rows are matched by "
        "phone, so importing again updates instead of duplicating."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--commune",
            help="Commune code (e.g. DA); needed only when there are several communes.",
        )

    def run_import(self, *, rows: Any, commune: Commune) -> ImportReport:
        return import_volunteers(rows=rows, commune=commune)

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
        report = self.run_import(rows=progress, commune=target)
        for number, message in report.errors:
            self.stderr.write(
                _("Dòng %(number)d: %(message)s")
                % {"number": number, "message": message}
            )
        style = self.style.SUCCESS if report.ok else self.style.WARNING
        self.stdout.write(style(report.summary()))


def target_commune(code: str | None) -> Commune:
    """The commune of `--commune CODE`, or the only one there is."""
    communes = Commune.objects.all()
    if code:
        communes = communes.filter(code=code.strip().upper())
    found = list(communes[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(
            "Không tìm thấy xã nào (chạy `manage.py seed_demo` hoặc tạo xã)."
        )
    raise CommandError("Có nhiều xã: hãy chọn một bằng --commune MÃ.")
