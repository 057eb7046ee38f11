"""The secretary's dashboard, the monthly report, exports and the equity/coverage blocks."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from dispatch.dashboard import equity
from dispatch.dashboard.kpis import Period
from dispatch.models import DutyChange
from tests.dispatch.kpi_history import OCTOBER, OCTOBER_QUERY, PHONES
from tests.personas import client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_secretary_sees_the_headline_as_the_commune_reports_it(duc_an, october):
    page = client_for(duc_an.secretary.user).get("/dashboard/" + OCTOBER_QUERY)

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-kpi="received">6<' in html
    assert 'data-kpi="processed">4<' in html
    assert "75,0 %" in html  # Vietnamese decimal comma
    assert 'id="map-data"' in html
    assert "vendor/leaflet-1.9.4/leaflet.js" in html
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in html


def test_someone_not_logged_in_is_sent_to_the_login_page(duc_an):
    page = Client().get("/dashboard/")

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_a_user_of_no_commune_is_refused(duc_an):
    page = client_for(make_user("nguoi-la")).get("/dashboard/")

    assert page.status_code == 403


def test_a_bad_date_gives_a_clear_vietnamese_error_not_a_crash(duc_an):
    page = client_for(duc_an.secretary.user).get(
        "/dashboard/?date_from=2026-10-31&date_to=2026-10-01"
    )

    assert page.status_code == 400
    assert "Ngày bắt đầu phải trước ngày kết thúc." in page.content.decode()


def test_the_monthly_report_prints_the_headline_teams_and_flags(duc_an, october):
    page = client_for(duc_an.secretary.user).get("/dashboard/report/2026/10/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Tháng 10 năm 2026" in html
    assert "tiếp nhận 6 yêu cầu, giải quyết 4 yêu cầu, trong đó 75,0 % đúng hạn" in html
    assert "Tổ Thôn 1" in html
    # Thôn 15: 1 request for 2,000 households, but 4.8 expected: too few to flag.
    assert "Không có thôn nào thấp bất thường." in html


def test_an_impossible_month_is_a_clear_404(duc_an):
    page = client_for(duc_an.secretary.user).get("/dashboard/report/2026/13/")

    assert page.status_code == 404
    assert "Tháng không hợp lệ." in page.content.decode()


def test_the_secretarys_csv_export_has_the_residents_phones(duc_an, october):
    response = client_for(duc_an.secretary.user).get(
        "/dashboard/export.csv" + OCTOBER_QUERY
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200
    assert rows[0][0] == "Mã"
    assert [r[0] for r in rows[1:]] == [
        "DA-K1",
        "DA-K2",
        "DA-K4",
        "DA-K5",
        "DA-K6",
        "DA-K3",
    ]
    assert PHONES["A"] in response.content.decode()


def test_a_team_leaders_export_has_no_resident_phone_numbers(
    duc_an, october, leader_of_thon_1
):
    for fmt in ("csv", "xlsx"):
        response = client_for(leader_of_thon_1.user).get(
            f"/dashboard/export.{fmt}" + OCTOBER_QUERY
        )
        assert response.status_code == 200
        if fmt == "csv":
            text = response.content.decode("utf-8-sig")
        else:
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            text = " ".join(
                str(cell)
                for row in book.active.iter_rows(values_only=True)
                for cell in row
            )
        assert "DA-K1" in text
        for phone in PHONES.values():
            assert phone not in text
            assert phone.replace("+84", "0") not in text
        assert "Người dân DA-K1" not in text


def test_an_operators_export_has_no_resident_phone_numbers_either(duc_an, october):
    response = client_for(duc_an.operator.user).get(
        "/dashboard/export.csv" + OCTOBER_QUERY
    )

    assert PHONES["A"] not in response.content.decode("utf-8-sig")


def test_a_village_with_too_few_requests_to_compare_is_not_flagged(duc_an, october):
    rates = equity.village_rates(commune=duc_an.commune, period=OCTOBER)

    by_name = {v["village"]: v for v in rates["villages"]}
    # 6 requests with a village over 2,500 households = 2.4 per 1,000.
    assert rates["average_requests_per_1000"] == 2.4
    assert by_name["Thôn 1"]["requests_per_1000"] == 5.0
    assert by_name["Thôn 5"]["requests_per_1000"] == 20.0
    # Thôn 15 asks at a fifth of the average, but at the commune's rate it would have
    # asked 4.8 times in the month: 1 instead of 4.8 is too few to mean anything.
    assert by_name["Thôn 15"]["requests_per_1000"] == 0.5
    assert by_name["Thôn 15"]["expected"] == 4.8
    assert by_name["Thôn 15"]["enough"] is False
    assert not any(v["flagged"] for v in rates["villages"])
    page = client_for(duc_an.secretary.user).get("/dashboard/" + OCTOBER_QUERY)
    row = page.content.decode().split(f'data-village="{duc_an.thon_15.pk}"')[1]
    row = row.split("</tr>")[0]
    assert "chưa đủ số liệu để so sánh" in row and "thấp bất thường" not in row


def test_a_village_whose_nearest_on_duty_team_is_far_is_flagged(duc_an, settings):
    settings.DASHBOARD_COVERAGE_KM = 3.0

    gaps = equity.coverage_gaps(commune=duc_an.commune)

    by_name = {v["village"]: v for v in gaps["villages"]}
    assert by_name["Thôn 1"]["flagged"] is False
    # Nam Tiến's own team is off duty; Thôn 15's team (≈2 km) is the nearest on duty.
    assert by_name["Thôn Nam Tiến"]["team"] == "Tổ Thôn 15"
    assert by_name["Thôn Nam Tiến"]["flagged"] is False
    # N'Drung sits a row further: ≈4 km to Thôn 15.
    assert by_name["Bon Đắk N'Drung"]["flagged"] is True
    # Nobody holds a scam certificate, so every village is far from certified help.
    assert all(v["certified"]["scam"]["flagged"] for v in gaps["villages"])


def test_hours_with_nobody_on_duty_come_from_the_duty_log(duc_an):
    monday = dt.date(2026, 10, 5)
    tz = timezone.get_default_timezone()
    on = dt.datetime.combine(monday, dt.time(8), tzinfo=tz)
    DutyChange.objects.create(
        volunteer=duc_an.an, team=duc_an.team_thon_1, on_duty=True, at=on
    )
    DutyChange.objects.create(
        volunteer=duc_an.an,
        team=duc_an.team_thon_1,
        on_duty=False,
        at=on + dt.timedelta(hours=2, minutes=30),
    )

    grid = equity.duty_grid(
        commune=duc_an.commune, period=Period.from_dates(monday, monday)
    )

    assert grid.has_history
    assert grid.share[0][8:11] == [1.0, 1.0, 1.0]
    assert (0, 11) in grid.empty_hours and len(grid.empty_hours) == 24 - 11
    # The log begins at 8:00 that Monday: the hours before, and the other days of
    # the week, are not recorded rather than "nobody on duty".
    assert (0, 7) in grid.unrecorded_hours and (0, 7) not in grid.empty_hours
    assert len(grid.unrecorded_hours) == 7 * 24 - 24 + 8


def test_open_requests_past_their_due_time_are_listed_most_overdue_first(
    duc_an, october
):
    overdue = list(equity.past_due(commune=duc_an.commune))

    assert [r.code for r in overdue] == ["DA-K5", "DA-K6"]


def test_a_team_leader_sees_the_figures_but_no_links_to_staff_pages(
    duc_an, october, leader_of_thon_1
):
    page = client_for(leader_of_thon_1.user).get("/dashboard/" + OCTOBER_QUERY)

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-kpi="received">6<' in html
    assert 'href="/board/"' not in html
    assert 'data-live="0"' in html  # the live channel is the office's
    secretarys = client_for(duc_an.secretary.user).get("/dashboard/").content.decode()
    assert 'href="/board/"' in secretarys
    assert 'data-live="1"' in secretarys


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/" + OCTOBER_QUERY,
        "/dashboard/report/2026/10/",
        "/dashboard/export.csv" + OCTOBER_QUERY,
        "/dashboard/export.xlsx" + OCTOBER_QUERY,
    ],
)
def test_an_ordinary_volunteer_is_told_in_vietnamese_the_figures_are_not_theirs(
    duc_an, october, url
):
    page = client_for(duc_an.an.user).get(url)

    html = page.content.decode()
    assert page.status_code == 403
    assert "Bạn không xem được bảng điều hành" in html
    assert "tổ trưởng" in html
    assert "DA-K1" not in html


def test_only_team_leaders_find_the_dashboard_on_their_volunteer_page(
    duc_an, leader_of_thon_1
):
    members = client_for(duc_an.an.user).get("/v/").content.decode()
    leaders = client_for(leader_of_thon_1.user).get("/v/").content.decode()

    assert 'href="/dashboard/"' not in members
    assert 'href="/dashboard/"' in leaders


def test_every_filter_offers_tat_ca_rather_than_dashes(duc_an):
    html = client_for(duc_an.secretary.user).get("/dashboard/").content.decode()
    for name in ("team", "village", "category", "channel"):
        select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        assert '<option value="" selected>Tất cả</option>' in select, name
    assert "---------" not in html
