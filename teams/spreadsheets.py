"""Reading the member lists communes keep in spreadsheets (CSV or Excel)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import tablib
from django.utils.translation import gettext as _

SUPPORTED_SUFFIXES = (".csv", ".xlsx")


class SpreadsheetError(ValueError):
    """The file cannot be read as a table; `code` names the reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def read_table(*, content: bytes, filename: str) -> list[dict[str, Any]]:
    """Rows of the first sheet as dicts keyed by the header row.

    CSV files saved by Excel start with a byte-order mark and older Vietnamese ones are
    in Windows-1258; both are accepted. Blank rows are kept so that row numbers in
    error reports match what the user sees in the spreadsheet (header = row 1).
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SpreadsheetError(
            "unsupported",
            _("Chỉ nhận tệp .csv hoặc .xlsx (tệp đã gửi: %(name)s).")
            % {"name": filename},
        )
    try:
        if suffix == ".csv":
            dataset = tablib.Dataset().load(_decode(content), format="csv")
        else:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
    except SpreadsheetError:
        raise
    except Exception as exc:  # tablib/openpyxl raise many types for a broken file
        raise SpreadsheetError(
            "unreadable", _("Không đọc được tệp %(name)s.") % {"name": filename}
        ) from exc
    if not dataset.headers:
        raise SpreadsheetError("empty", _("Tệp không có dòng tiêu đề."))
    headers = [str(h or "").strip() for h in dataset.headers]
    return [dict(zip(headers, values, strict=False)) for values in dataset]


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("encoding", _("Tệp CSV không ở dạng UTF-8."))


# --- Writing ------------------------------------------------------------------------------
# A cell that starts with one of these is read as a formula by Excel, LibreOffice and
# Google Sheets. Residents type request texts and names, so an export could otherwise
# carry `=HYPERLINK("http://evil", "Bấm vào đây")` straight into a secretary's
# spreadsheet (OWASP "CSV injection"). A leading apostrophe makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """`value`, with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Any) -> list[Any]:
    """A row for `csv.writer` with every cell neutralised."""
    return [neutralise_cell(value) for value in values]


def export_table(dataset: tablib.Dataset, fmt: str) -> str | bytes:
    """`dataset` as CSV (text with a byte-order mark, so Excel reads Vietnamese as
    UTF-8) or XLSX (bytes), every header and cell neutralised first.

    In XLSX a neutralised cell no longer starts with "=", so openpyxl stores it as a
    string, never as a formula.
    """
    safe = tablib.Dataset(headers=safe_row(dataset.headers or []) or None)
    safe.title = dataset.title
    for row in dataset:
        safe.append(safe_row(row))
    if fmt == "csv":
        return "\ufeff" + safe.export("csv")
    if fmt == "xlsx":
        return safe.export("xlsx")
    raise ValueError(f"unsupported spreadsheet format {fmt!r}")
