"""`manage.py import_households FILE`: load a commune's household register (.csv or .xlsx).

The same command as `import_volunteers` (file checks, progress bar, refused rows listed
by number), with the register's importer.
"""

from __future__ import annotations

from typing import Any

from teams.households import import_households
from teams.management.commands import import_volunteers
from teams.models import Commune
from teams.services import ImportReport


class Command(import_volunteers.Command):
    help = (
        "Import the household register from a .csv or .xlsx file (columns: thôn, chủ "
        "hộ, mã hộ, địa chỉ, số điện thoại, số nhân khẩu, flags, đồng ý liên hệ). Rows "
        "are matched by household code (else head and phone), so importing again "
        "updates instead of duplicating. Shows a progress bar for large files."
    )

    def run_import(self, *, rows: Any, commune: Commune) -> ImportReport:
        return import_households(rows=rows, commune=commune)
