"""Phone numbers as residents and volunteers write them all end up as one E.164 form."""

from __future__ import annotations

import pytest

from teams.phones import (
    OLD_MOBILE_PREFIXES,
    InvalidPhoneNumber,
    national_format,
    normalize_phone,
    try_normalize_phone,
)

MOBILE = "+84912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "84912345678",
        "+84912345678",
        "0084912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(0912) 345 678",
        "(+84) 912 345 678",
        "+84 (0) 912 345 678",
        "+84 0912345678",
        "84 91 234 5678",
        "00 84 912 345 678",
        "  0912345678  ",
        "tel: 0912 345 678",
        "０９１２３４５６７８",  # full-width digits from some keyboards
        "٠٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    ],
)
def test_it_reads_every_common_way_of_writing_a_mobile_number(raw: str) -> None:
    assert normalize_phone(raw) == MOBILE


@pytest.mark.parametrize(("old", "new"), sorted(OLD_MOBILE_PREFIXES.items()))
def test_it_maps_every_pre_2018_eleven_digit_prefix(old: str, new: str) -> None:
    expected = "+84" + new[1:] + "1234567"
    assert normalize_phone(old + "1234567") == expected
    assert normalize_phone(old + " 123 4567") == expected
    assert normalize_phone("+84" + old[1:] + "1234567") == expected
    assert normalize_phone("84" + old[1:] + "1234567") == expected
    assert normalize_phone("0084" + old[1:] + "1234567") == expected


def test_the_2018_table_covers_all_twenty_one_retired_prefixes() -> None:
    assert len(OLD_MOBILE_PREFIXES) == 21
    assert OLD_MOBILE_PREFIXES["0162"] == "032"
    assert OLD_MOBILE_PREFIXES["0120"] == "070"
    assert OLD_MOBILE_PREFIXES["0123"] == "083"
    assert OLD_MOBILE_PREFIXES["0186"] == "056"
    assert OLD_MOBILE_PREFIXES["0199"] == "059"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("032 123 4567", "+84321234567"),  # Viettel
        ("0701234567", "+84701234567"),  # MobiFone
        ("0831234567", "+84831234567"),  # VinaPhone
        ("0561234567", "+84561234567"),  # Vietnamobile
        ("0591234567", "+84591234567"),  # Gmobile
        ("0871234567", "+84871234567"),  # iTel
        ("0521234567", "+84521234567"),  # a block phonenumbers may not know yet
    ],
)
def test_it_accepts_every_mobile_range(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0263 3822 123", "+842633822123"),  # Lâm Đồng
        ("(0263) 3822123", "+842633822123"),
        ("+84 263 3822 123", "+842633822123"),
        ("024 3825 1234", "+842438251234"),  # Hà Nội
        ("1900 1234", "+8419001234"),
        ("1800 1234", "+8418001234"),
    ],
)
def test_it_accepts_landlines_and_service_numbers(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_it_keeps_a_foreign_number_written_with_a_plus() -> None:
    assert normalize_phone("+1 415 555 0100") == "+14155550100"
    assert normalize_phone("(+1) 415-555-0100") == "+14155550100"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "không có",
        "12345",
        "0912",
        "091234567",  # one digit short
        "09123456789",  # one digit too many
        "091234567890123",
        "1234567890",
        "0123456789",  # 012x is no longer a prefix
        "01301234567",  # 11 digits but not a retired mobile prefix
        "+84 1301234567",
        "0212345678",  # no such area code
        "0912345678 / 0987654321",  # two numbers in one field
    ],
)
def test_it_rejects_what_is_not_a_phone_number(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)
    assert try_normalize_phone(raw) is None


def test_none_is_rejected_not_crashing() -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(None)  # type: ignore[arg-type]


def test_normalising_twice_changes_nothing() -> None:
    once = normalize_phone("0163 123 4567")
    assert normalize_phone(once) == once == "+84331234567"


def test_it_formats_numbers_the_way_residents_read_them() -> None:
    assert national_format("+84912345678") == "0912 345 678"
    assert national_format("+842633822123") == "0263 3822 123"
    assert national_format("not a number") == "not a number"
