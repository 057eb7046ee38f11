"""What an inbound SMS means, whoever typed it and however."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch.intake.parsing import (
    Kind,
    as_new_request,
    guess_category,
    guess_flags,
    parse_sms,
)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("can giup kich hoat vneid muc 2 o thon 5", "vneid"),
        ("Cần giúp kích hoạt VNeID mức 2", "vneid"),
        ("tai khoan DINH DANH bi khoa", "vneid"),
        ("toi muon nop ho so khai sinh cho chau", "dossier"),
        ("Tôi không vào được Cổng dịch vụ công", "portal"),
        ("khong dang nhap duoc dvc", "portal"),
        ("Vào cổng không được", "portal"),
        ("chỉ cách chuyển tiền bằng ví điện tử", "epayment"),
        ("thanh toan tien dien the nao", "epayment"),
        ("Có người gọi xưng công an bảo đọc mã OTP", "scam"),
        ("cong an goi bao toi chuyen tien", "scam"),
        ("nghi bi LUA DAO", "scam"),
        ("xin chào", "other"),
    ],
)
def test_it_guesses_the_category_with_or_without_diacritics(text, category):
    assert guess_category(text) == category


def test_it_does_not_mistake_cong_an_for_the_portal():
    assert guess_category("công an xã ở đâu") == "other"


def test_it_spots_vulnerable_residents():
    flags = guess_flags("Nguoi gia khuyet tat, nho den nha giup")
    assert flags == {"elderly", "disability", "home_visit"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TT DA-7K3Q9", "DA-7K3Q9"),
        ("tt da-7k3q9", "DA-7K3Q9"),
        ("  Trạng thái   DA-7K3Q9 ", "DA-7K3Q9"),
        ("TRANG THAI da 7k3q9wx", "DA-7K3Q9WX"),
        ("tt DA-KMNPQRS", "DA-KMNPQRS"),
        ("tinh trang DA7K3Q9", "DA7K3Q9"),
        ("TT", ""),
    ],
)
def test_it_reads_status_commands(text, code):
    parsed = parse_sms(text)
    assert parsed.kind == Kind.STATUS
    assert parsed.code == code


def test_a_sentence_starting_like_a_command_is_a_new_request():
    parsed = parse_sms("Tình trạng hồ sơ khai sinh của tôi ra sao")
    assert parsed.kind == Kind.NEW_REQUEST
    assert parsed.category == "dossier"


@pytest.mark.parametrize("text", ["HUY DA-7K3Q9", "hủy da-7k3q9", "Huỷ DA-7K3Q9"])
def test_it_reads_cancel(text):
    parsed = parse_sms(text)
    assert (parsed.kind, parsed.code) == (Kind.CANCEL, "DA-7K3Q9")


@pytest.mark.parametrize("text", ["GIUP", "giúp", "Help", "huong dan", "HƯỚNG DẪN"])
def test_it_reads_help(text):
    assert parse_sms(text).kind == Kind.HELP


@pytest.mark.parametrize(
    ("text", "rating"), [("5", 5), (" 1 ", 1), ("4 sao", 4), ("DG 3", 3)]
)
def test_it_reads_ratings_one_to_five(text, rating):
    parsed = parse_sms(text)
    assert (parsed.kind, parsed.rating) == (Kind.RATING, rating)


@pytest.mark.parametrize("text", ["0", "6", "12", "5 nguoi can giup"])
def test_other_numbers_are_not_ratings(text):
    assert parse_sms(text).kind != Kind.RATING


@pytest.mark.parametrize(
    ("text", "kind", "code", "reason"),
    [
        ("NHAN", Kind.ACCEPT, "", ""),
        ("nhận DA-7K3Q9", Kind.ACCEPT, "DA-7K3Q9", ""),
        ("Nhan da-7k3q9", Kind.ACCEPT, "DA-7K3Q9", ""),
        ("TU CHOI", Kind.DECLINE, "", ""),
        ("từ chối DA-7K3Q9 đang đi xa", Kind.DECLINE, "DA-7K3Q9", "đang đi xa"),
        ("Tu choi dang o ray", Kind.DECLINE, "", "dang o ray"),
        ("tu choi dang lamviec", Kind.DECLINE, "", "dang lamviec"),
        ("XONG", Kind.DONE, "", ""),
        ("xong  DA-7K3Q9", Kind.DONE, "DA-7K3Q9", ""),
    ],
)
def test_it_reads_volunteer_commands_with_or_without_code(text, kind, code, reason):
    parsed = parse_sms(text)
    assert (parsed.kind, parsed.code, parsed.reason) == (kind, code, reason)
    assert parsed.is_volunteer_command


def test_a_volunteer_word_from_a_resident_can_be_read_as_free_text():
    parsed = as_new_request(parse_sms("Nhận được tin nhắn lạ bảo chuyển tiền"))
    assert parsed.kind == Kind.NEW_REQUEST
    assert parsed.category == "scam" or parsed.category == "epayment"


def test_it_reads_certificate_checks():
    parsed = parse_sms("XM CN-2025-0042")
    assert parsed.kind == Kind.CERTIFICATE
    assert parsed.code == "CN-2025-0042"
    assert parse_sms("xm").code == ""


def test_free_text_is_a_new_request_with_its_words_kept():
    parsed = parse_sms("  Cần giúp kích hoạt VNeID ở thôn 5  ")
    assert parsed.kind == Kind.NEW_REQUEST
    assert parsed.text == "Cần giúp kích hoạt VNeID ở thôn 5"


@given(st.text(max_size=2000))
def test_any_text_parses_without_error(text):
    parsed = parse_sms(text)
    assert parsed.kind in set(Kind)


def test_a_code_of_letters_only_is_still_a_code_once_dashed():
    parsed = parse_sms("HUY DA-KMNPQRS")
    assert (parsed.kind, parsed.code) == (Kind.CANCEL, "DA-KMNPQRS")


def test_real_codes_always_parse():
    from dispatch.help_requests.codes import new_code

    for _ in range(200):
        code = new_code("DA")
        assert parse_sms(f"tt {code.lower()}").code == code
        assert parse_sms(f"NHAN {code}").code == code
