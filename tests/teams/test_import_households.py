"""The household register comes from the commune's spreadsheet: 500 rows in one go,
bad rows explained by number, a second import updates instead of duplicating."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from teams.households import import_households
from teams.models import Household
from teams.spreadsheets import read_table

HEADERS = ["Thôn", "Chủ hộ", "Địa chỉ", "SĐT", "Nhân khẩu", "Người trên 60",
           "Dân tộc thiểu số", "Đồng ý liên hệ"]  # fmt: skip


def csv_bytes(rows: list[list[str]], headers: list[str] = HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def five_hundred() -> list[list[str]]:
    """500 rows over two villages; rows 101, 202 and 303 (file rows 102, 203, 304) bad."""
    rows = []
    for n in range(500):
        village = "Thôn 1" if n % 2 else "bu bir"
        rows.append([village, f"Hộ số {n}", f"Nhà {n}", f"0977 2{n:05d}", "3",
                     "có" if n % 3 == 0 else "", "x" if n % 5 == 0 else "", "có"])  # fmt: skip
    rows[100][0] = "Thôn Không Có"
    rows[201][3] = "12"
    rows[302][4] = "nhiều"
    return rows


@pytest.mark.django_db
def test_five_hundred_households_import_with_errors_reported_per_row(
    duc_an, thon_1, bon_bu_bir
):
    rows = read_table(content=csv_bytes(five_hundred()), filename="so-ho.csv")

    report = import_households(rows=rows, commune=duc_an)

    assert (report.created, report.updated) == (497, 0)
    assert report.errors == [
        (102, "Không có thôn nào tên là “Thôn Không Có” trong xã."),
        (203, "Số điện thoại không hợp lệ: 12"),
        (304, "Số nhân khẩu phải là số từ 1 đến 60, không phải: nhiều"),
    ]
    assert report.summary() == "Đã thêm 497, cập nhật 0 hộ; 3 dòng lỗi."
    first = Household.objects.get(head_name="Hộ số 0")
    assert (first.village, first.code, first.phone) == (
        bon_bu_bir,
        "17-1",
        "+84977200000",
    )
    assert first.has_elderly and first.ethnic_minority and first.consent_at
    assert Household.objects.filter(village=thon_1).count() == 249


@pytest.mark.django_db
def test_importing_again_updates_instead_of_duplicating(duc_an, thon_1):
    content = csv_bytes(
        [["Thôn 1", "Ông Tư", "Gần chợ", "0977 100 004", "2", "có", "", ""]]
    )
    import_households(
        rows=read_table(content=content, filename="a.csv"), commune=duc_an
    )
    changed = csv_bytes(
        [["1-1", "Thôn 1", "Ông Tư", "Sau nhà văn hoá", "0977 100 004", "1", "có"]],
        headers=["Mã hộ", "Thôn", "Chủ hộ", "Địa chỉ", "SĐT", "Nhân khẩu", "Cao tuổi"],
    )

    report = import_households(
        rows=read_table(content=changed, filename="b.csv"), commune=duc_an
    )

    assert (report.created, report.updated) == (0, 1)
    household = Household.objects.get()
    assert (household.address, household.members) == ("Sau nhà văn hoá", 1)


@pytest.mark.django_db
def test_a_file_without_the_head_of_household_column_says_which(duc_an, thon_1):
    content = csv_bytes([["Thôn 1", "0977 100 004"]], headers=["Thôn", "SĐT"])

    report = import_households(
        rows=read_table(content=content, filename="a.csv"), commune=duc_an
    )

    assert report.errors == [(1, "Thiếu cột: chủ hộ.")]
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_a_bad_flag_names_its_column(duc_an, thon_1):
    content = csv_bytes([["Thôn 1", "Ông Tư", "", "", "", "có lẽ", "", ""]])

    report = import_households(
        rows=read_table(content=content, filename="a.csv"), commune=duc_an
    )

    assert report.errors == [
        (2, "Cột “có người trên 60 tuổi” phải là có hoặc không, không phải: có lẽ")
    ]


@pytest.mark.django_db
def test_the_command_shows_a_progress_bar_and_the_rows_it_refused(
    duc_an, thon_1, bon_bu_bir, tmp_path: Path, capsys
):
    path = tmp_path / "so-ho.csv"
    path.write_bytes(csv_bytes(five_hundred()))

    call_command("import_households", str(path))

    out, err = capsys.readouterr()
    assert "Đã thêm 497, cập nhật 0 hộ; 3 dòng lỗi." in out
    assert "Dòng 203: Số điện thoại không hợp lệ: 12" in err
    assert "500/500" in err  # tqdm's bar


@pytest.mark.django_db
def test_a_secretary_imports_the_register_from_the_admin(duc_an, thon_1, secretary):
    client = Client()
    client.force_login(secretary)
    changelist = client.get("/admin/teams/household/").content.decode()
    upload = SimpleUploadedFile(
        "so-ho.csv",
        csv_bytes(
            [
                ["Thôn 1", "Ông Tư", "", "0977 100 004", "", "", "", ""],
                ["Thôn 9", "Bà Ba", "", "", "", "", "", ""],
            ]
        ),  # fmt: skip
    )

    response = client.post(
        "/admin/teams/household/import/", {"commune": duc_an.pk, "file": upload}
    )

    page = response.content.decode()
    assert "/admin/teams/household/import/" in changelist
    assert "Đã thêm 1, cập nhật 0 hộ; 1 dòng lỗi." in page
    assert "Không có thôn nào tên là “Thôn 9” trong xã." in page
