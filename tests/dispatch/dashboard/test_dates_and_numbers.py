"""Dates, weekdays, chart axes and numbers on the dashboard as each language writes them:
07/12/2026 and "Thứ Hai" / "Monday"; 2.000 in Vietnamese, 2,000 in English."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings

from tests.dispatch.kpi_history import OCTOBER_QUERY
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def dashboard(user, language: str) -> str:
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/dashboard/" + OCTOBER_QUERY).content.decode()


def script(html: str, name: str) -> dict:
    return json.loads(re.search(rf'id="{name}"[^>]*>(.*?)</script>', html, re.S)[1])


@pytest.mark.parametrize(
    ("language", "weekday", "week", "locale", "households", "expected"),
    [
        ("vi", "Thứ Bảy", "Tuần 05/10/2026 – 11/10/2026", "vi-VN", "2.000", "4,8"),
        ("en", "Saturday", "Week 05/10/2026 – 11/10/2026", "en-GB", "2,000", "4.8"),
    ],
)
def test_the_charts_and_tables_read_as_the_viewers_language_writes_them(
    duc_an, october, language, weekday, week, locale, households, expected
):
    html = dashboard(duc_an.secretary.user, language)

    charts = script(html, "chart-data")
    tenth = next(p for p in charts["day"] if p["date"] == "2026-10-10")
    assert tenth["label"] == "10/10"  # the axis: day first
    assert tenth["title"] == f"{weekday}, 10/10/2026"  # the tooltip
    assert charts["week"][1]["title"] == week
    assert script(html, "dashboard-labels")["locale"] == locale
    # Thôn 15 has 2,000 households and 4.8 requests at the commune's rate.
    row = html.split(f'data-village="{duc_an.thon_15.pk}"')[1].split("</tr>")[0]
    assert f"<td>{households}</td>" in row and f"<td>{expected}</td>" in row


def test_the_period_reads_day_month_year_in_vietnamese(duc_an, october):
    html = dashboard(duc_an.secretary.user, "vi")

    assert "Yêu cầu tiếp nhận từ 01/10/2026 đến 31/10/2026" in html
    # The map's request tooltips name the status in words, not "routed".
    assert script(html, "dashboard-labels")["statuses"]["routed"] == "đang chờ tổ nhận"
