"""Exports never carry a formula a resident typed: every cell a spreadsheet would run
(`= + - @`, tab, CR at the start) is opened as plain text (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dispatch.models import HelpRequest
from tests.dispatch.kpi_history import OCTOBER_QUERY
from tests.personas import client_for, submit_for_lan

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


def csv_cells(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row]


def test_it_opens_a_typed_formula_as_text_in_the_dashboard_csv(duc_an, october):
    HelpRequest.objects.filter(code="DA-K1").update(
        description=FORMULA, resident_name="@SUM(1+1)"
    )

    response = client_for(duc_an.secretary.user).get(
        "/dashboard/export.csv" + OCTOBER_QUERY
    )

    cells = csv_cells(response.content)
    assert "'" + FORMULA in cells
    assert "'@SUM(1+1)" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_it_writes_a_typed_formula_as_a_string_in_the_dashboard_xlsx(
    duc_an,
    october,
):
    HelpRequest.objects.filter(code="DA-K1").update(
        description=FORMULA, resident_name="-2+3"
    )

    response = client_for(duc_an.secretary.user).get(
        "/dashboard/export.xlsx" + OCTOBER_QUERY
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'" + FORMULA in values and "'-2+3" in values


def test_it_opens_a_typed_formula_as_text_in_the_data_subject_csv(duc_an, client):
    submit_for_lan(duc_an, description=FORMULA, resident_name="+Bà Lan")
    client.force_login(duc_an.secretary.user)

    response = client.post(
        "/privacy/subject/", {"phone": "0912 345 678", "action": "csv"}
    )

    cells = csv_cells(response.content)
    assert any(c.startswith("'+Bà Lan") and FORMULA in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
