"""A scammer's number, account or link as staff see it: recognisable, never whole."""

from __future__ import annotations

import pytest

from dispatch.masking.contacts import contact_key, mask_contact


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("0866 111 222", "086****222"),
        ("0912.345.678", "091****678"),
        ("+84 912-345-678", "849*****678"),
        ("STK 0011002345678 Vietcombank", "STK 001*******678 Vietcombank"),
        ("https://vneid-capnhat.top/cai-app?id=9", "vneid-capnhat.top/…"),
        ("dichvucong-gov.vn.com, 0987654321", "dichvucong-gov.vn.com/…, 098****321"),
        ("Zalo tên Cán bộ Hùng", "Zalo tên Cán bộ Hùng"),
    ],
)
def test_it_masks_every_number_and_link_however_written(given, shown):
    assert mask_contact(given) == shown


def test_one_number_written_three_ways_has_one_search_key():
    assert {
        contact_key(v) for v in ("0912.345.678", "0912 345 678", "0912-345678")
    } == {"0912345678"}
