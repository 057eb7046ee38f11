"""Communes load their member lists from spreadsheets: good rows in, bad rows explained."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from teams.models import SupportTeam, Volunteer
from teams.services import import_volunteers
from teams.spreadsheets import SpreadsheetError, read_table
from tests.personas import PASSWORD

HEADERS = [
    "Họ tên",
    "Số điện thoại",
    "Tổ",
    "Vai trò",
    "Đơn vị",
    "Ngôn ngữ",
    "Đang trực",
    "Sức chứa",
]
GOOD = [
    ["Điểu Đơ", "0912 111 222", "Tổ Bon Bu Bir", "Tổ trưởng", "Bí thư chi bộ",
     "Việt, M'Nông", "có", "3"],
    ["Nguyễn Thị Mai", "0163.222.3333", "Bu Bir", "thành viên", "Giáo viên",
     "tiếng Việt", "không", ""],
    ["Lê Văn Tâm", "+84 98 765 4321", "thon 1", "", "Đoàn thanh niên", "", "x", "2"],
]  # fmt: skip
BAD = [
    ["Trần Văn Sai", "12345", "Tổ Thôn 1", "", "", "", "", ""],
    ["Không Tổ", "0977 000 111", "Tổ không có thật", "", "", "", "", ""],
    ["", "0977 000 222", "Tổ Thôn 1", "", "", "", "", ""],
    ["Vai Trò Lạ", "0977 000 333", "Tổ Thôn 1", "chủ tịch", "", "", "", ""],
    ["Sức Chứa Lạ", "0977 000 444", "Tổ Thôn 1", "", "", "", "", "nhiều"],
    ["Ngôn Ngữ Lạ", "0977 000 555", "Tổ Thôn 1", "", "", "tiếng Pháp", "", ""],
]  # fmt: skip


@pytest.fixture
def teams(team_thon_1: SupportTeam, team_bu_bir: SupportTeam) -> None:
    return None


def csv_bytes(headers: list[str], rows: list[list[str]], encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers: list[str], rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(content: bytes, filename: str, duc_an) -> object:
    rows = read_table(content=content, filename=filename)
    return import_volunteers(rows=rows, commune=duc_an)


def test_good_rows_from_a_csv_become_volunteers_with_normalised_phones(
    duc_an, teams
) -> None:
    report = run(csv_bytes(HEADERS, GOOD), "to-ho-tro.csv", duc_an)
    assert (report.created, report.updated, report.errors) == (3, 0, [])
    don = Volunteer.objects.get(phone="+84912111222")
    assert don.full_name == "Điểu Đơ" and don.team.name == "Tổ Bon Bu Bir"
    assert don.role == "leader" and don.affiliation == "party_cell"
    assert don.languages == ["vi", "mnong"] and don.on_duty and don.capacity == 3
    mai = Volunteer.objects.get(full_name="Nguyễn Thị Mai")
    assert mai.phone == "+84332223333"  # 0163 → 033
    assert mai.team.name == "Tổ Bon Bu Bir"  # found by the village name
    assert not mai.on_duty and mai.capacity == 2
    tam = Volunteer.objects.get(full_name="Lê Văn Tâm")
    assert tam.team.name == "Tổ Thôn 1" and tam.affiliation == "youth_union"
    assert tam.on_duty and tam.languages == ["vi"]


def test_imported_volunteers_get_a_login_without_a_usable_password(
    duc_an, teams
) -> None:
    run(csv_bytes(HEADERS, GOOD), "a.csv", duc_an)
    user = get_user_model().objects.get(username="84912111222")
    assert user.volunteer.full_name == "Điểu Đơ"
    assert user.get_full_name() == "Điểu Đơ"
    assert not user.has_usable_password()


def test_bad_rows_are_reported_with_row_number_and_reason_and_good_rows_kept(
    duc_an, teams
) -> None:
    rows = [GOOD[0], *BAD, GOOD[1]]
    report = run(csv_bytes(HEADERS, rows), "mixed.csv", duc_an)
    assert report.created == 2
    errors = dict(report.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert errors[3] == "Số điện thoại không hợp lệ: 12345"
    assert "Tổ không có thật" in errors[4]
    assert errors[5] == "Thiếu họ tên."
    assert "Vai trò không rõ: chủ tịch" == errors[6]
    assert "Sức chứa phải là số nguyên" in errors[7]
    assert "Ngôn ngữ không rõ" in errors[8]
    assert not Volunteer.objects.filter(phone__startswith="+8497700").exists()
    assert not get_user_model().objects.filter(username__startswith="8497700").exists()
    assert Volunteer.objects.filter(full_name="Nguyễn Thị Mai").exists()


def test_importing_again_updates_instead_of_duplicating(duc_an, teams) -> None:
    run(csv_bytes(HEADERS, GOOD), "a.csv", duc_an)
    changed = [row[:] for row in GOOD]
    changed[0][1] = "+84912111222"  # same phone, written differently
    changed[0][6] = "không"
    changed[0][2] = "Tổ Thôn 1"
    report = run(csv_bytes(HEADERS, changed), "a.csv", duc_an)
    assert (report.created, report.updated) == (0, 3)
    assert Volunteer.objects.count() == 3
    don = Volunteer.objects.get(phone="+84912111222")
    assert not don.on_duty and don.team.name == "Tổ Thôn 1"
    assert get_user_model().objects.filter(username="84912111222").count() == 1


def test_a_volunteer_already_known_keeps_their_login(
    duc_an, teams, hong_on_duty: Volunteer
) -> None:
    rows = [["Nguyễn Thị Hồng", "0987654321", "Tổ Thôn 1", "", "", "", "", ""]]
    report = run(csv_bytes(HEADERS, rows), "a.csv", duc_an)
    assert report.updated == 1
    hong_on_duty.refresh_from_db()
    assert hong_on_duty.team.name == "Tổ Thôn 1"
    assert Client().login(username=hong_on_duty.user.username, password=PASSWORD)


@pytest.mark.parametrize(
    "headers",
    [
        ["Ho ten", "So dien thoai", "To", "Vai tro", "Don vi", "Ngon ngu", "Dang truc",
         "Suc chua"],
        ["HỌ VÀ TÊN", "SĐT", "Tổ hỗ trợ", "Chức vụ", "Tổ chức", "Tiếng", "Trực",
         "Số việc"],
        ["Full name", "Phone", "Team", "Role", "Affiliation", "Languages", "On duty",
         "Capacity"],
    ],
)  # fmt: skip
def test_headers_may_be_unaccented_or_english(duc_an, teams, headers) -> None:
    report = run(csv_bytes(headers, GOOD), "a.csv", duc_an)
    assert (report.created, report.errors) == (3, [])
    assert Volunteer.objects.get(phone="+84912111222").role == "leader"


def test_an_xlsx_file_with_numbers_stored_as_numbers_imports(duc_an, teams) -> None:
    rows = [
        ["Điểu Đơ", 912111222, "Tổ Bon Bu Bir", "Tổ trưởng", "", "", True, 3],
        ["Nguyễn Thị Mai", "0163 222 3333", "Tổ Thôn 1", "", "", "", None, None],
        [None, None, None, None, None, None, None, None],
        ["Sai Số", "0000", "Tổ Thôn 1", "", "", "", None, None],
    ]
    report = run(xlsx_bytes(HEADERS, rows), "danh-sach.xlsx", duc_an)
    assert report.created == 2
    assert report.errors == [(5, "Số điện thoại không hợp lệ: 0000")]
    don = Volunteer.objects.get(phone="+84912111222")
    assert don.on_duty and don.capacity == 3


def test_a_windows_1258_csv_is_read(duc_an, teams) -> None:
    content = "Ho ten,So dien thoai,To\nLe Van Tam,0987654321,Thon 1\n".encode("cp1258")
    report = run(content, "cu.csv", duc_an)
    assert report.created == 1


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"hello", "list.pdf", "unsupported"),
        (b"not a zip", "list.xlsx", "unreadable"),
        (b"", "list.csv", "empty"),
    ],
)
def test_unreadable_files_give_a_clear_error(content, filename, code) -> None:
    with pytest.raises(SpreadsheetError) as info:
        read_table(content=content, filename=filename)
    assert info.value.code == code


def test_the_command_imports_a_file_and_lists_bad_rows(
    duc_an, teams, tmp_path: Path
) -> None:
    path = tmp_path / "danh-sach.csv"
    path.write_bytes(csv_bytes(HEADERS, [GOOD[0], BAD[0]]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_volunteers", str(path), stdout=out, stderr=err)
    assert "Đã thêm 1, cập nhật 0 tình nguyện viên; 1 dòng lỗi." in out.getvalue()
    assert "Dòng 3: Số điện thoại không hợp lệ: 12345" in err.getvalue()
    call_command(
        "import_volunteers", str(path), "--commune", "da", stdout=out, stderr=err
    )
    assert Volunteer.objects.count() == 1


def test_the_command_explains_a_missing_file(duc_an, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không mở được tệp"):
        call_command("import_volunteers", str(tmp_path / "khong-co.csv"))


def test_a_secretary_imports_from_the_admin(duc_an, teams, secretary) -> None:
    client = Client()
    client.force_login(secretary)
    changelist = client.get("/admin/teams/volunteer/").content.decode()
    assert "/admin/teams/volunteer/import/" in changelist
    assert "Nhập từ tệp CSV/Excel" in changelist
    upload = SimpleUploadedFile(
        "danh-sach.xlsx", xlsx_bytes(HEADERS, [GOOD[0], BAD[1], GOOD[2]])
    )
    response = client.post(
        "/admin/teams/volunteer/import/", {"commune": duc_an.pk, "file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã thêm 2, cập nhật 0 tình nguyện viên; 1 dòng lỗi." in page
    assert "Không có tổ nào tên là “Tổ không có thật” trong xã." in page
    assert Volunteer.objects.count() == 2


def test_the_admin_upload_rejects_other_file_types(duc_an, secretary) -> None:
    client = Client()
    client.force_login(secretary)
    upload = SimpleUploadedFile("anh.jpg", b"\xff\xd8")
    response = client.post(
        "/admin/teams/volunteer/import/", {"commune": duc_an.pk, "file": upload}
    )
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in response.content.decode()
    assert not Volunteer.objects.exists()


def test_a_file_without_the_needed_columns_is_refused_as_a_whole(duc_an, teams) -> None:
    content = csv_bytes(["Họ tên", "Ghi chú"], [["Điểu Đơ", "x"]])
    report = run(content, "thieu-cot.csv", duc_an)
    assert report.errors == [(1, "Thiếu cột: số điện thoại, tổ.")]
    assert not Volunteer.objects.exists()
