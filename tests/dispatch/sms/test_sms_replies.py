"""Reply texts fit one SMS segment when the commune sends unaccented SMS."""

from __future__ import annotations

import pytest
from django.utils import translation

from dispatch.sms import replies as sms_replies
from dispatch.sms.text import sms_body, sms_size

LONG_TEAM = "Tổ công nghệ số cộng đồng Bon Đắk N'Drung và Thôn Nam Tiến mở rộng"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize("team", ["", "Tổ Thôn 5", LONG_TEAM])
@pytest.mark.parametrize("position", [None, 1, 12])
def test_the_confirmation_fits_one_gsm7_segment_in_unaccented_mode(team, position):
    text = sms_replies.received(
        code="DA-7K3Q9WX",
        team=team,
        position=position,
        triage=False,
        unaccented_mode=True,
    )
    body = sms_body(text, unaccented_mode=True)
    size = sms_size(body)
    assert (size.encoding, size.segments) == ("GSM-7", 1)
    assert "DA-7K3Q9WX" in body


def test_the_richest_variant_is_kept_when_it_fits():
    text = sms_replies.received(
        code="DA-7K3Q9WX",
        team="Tổ Thôn 5",
        position=2,
        triage=False,
        unaccented_mode=True,
    )
    assert (
        "Số thứ tự: 2" in text and "/t/DA-7K3Q9WX" in text and "HUY DA-7K3Q9WX" in text
    )


def test_in_unicode_mode_the_confirmation_is_cut_to_one_70_character_segment():
    text = sms_replies.received(
        code="DA-7K3Q9WX",
        team=LONG_TEAM,
        position=3,
        triage=False,
        unaccented_mode=False,
    )
    assert sms_size(sms_body(text, unaccented_mode=False)).segments == 1
    assert "DA-7K3Q9WX" in text


@pytest.mark.parametrize(
    "text",
    [
        sms_replies.usage,
        lambda: sms_replies.not_found(code="DA-7K3Q9WX"),
        lambda: sms_replies.cancelled(code="DA-7K3Q9WX"),
        lambda: sms_replies.rated(code="DA-7K3Q9WX", rating=5),
        lambda: sms_replies.added_to_request(code="DA-7K3Q9WX"),
        lambda: sms_replies.volunteer_accepted(
            code="DA-7K3Q9WX", phone="0912 345 678", village="Bon Đắk N'Drung"
        ),
        lambda: sms_replies.resident_resolved(code="DA-7K3Q9WX"),
        lambda: sms_replies.resident_accepted(
            code="DA-7K3Q9WX", volunteer="Rết", team=LONG_TEAM
        ),
    ],
)
def test_every_reply_fits_one_segment_unaccented(text):
    assert sms_size(sms_body(text(), unaccented_mode=True)).segments == 1
