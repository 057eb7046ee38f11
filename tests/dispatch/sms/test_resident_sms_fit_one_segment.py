"""Every SMS a resident can receive fits one GSM-7 segment in unaccented mode, rendered
with a realistic code, team, village, volunteer and the production-length link."""

from __future__ import annotations

import pytest
from django.utils import translation

from dispatch.sms import replies
from dispatch.sms.text import sms_body, sms_size

CODE = "DA-7K3QXYA"
TEAM = "Tổ Bon Bu N'Drung"  # the longest village-team name in Đức An's seed
BASE = "https://caunoi.ducan.lamdong.gov.vn"

RESIDENT_TEMPLATES = {
    "received": lambda: replies.received(
        code=CODE, team=TEAM, position=12, triage=False, unaccented_mode=True
    ),
    "received_triage": lambda: replies.received(
        code=CODE, team="", position=None, triage=True, unaccented_mode=True
    ),
    "added_to_request": lambda: replies.added_to_request(code=CODE),
    "status": lambda: replies.status(
        code=CODE, status_label="đang chờ tổ nhận", position=12, eta=180
    ),
    "not_found": lambda: replies.not_found(code=CODE),
    "not_found_no_code": lambda: replies.not_found(code=""),
    "cancelled": lambda: replies.cancelled(code=CODE),
    "rated": lambda: replies.rated(code=CODE, rating=5),
    "usage": replies.usage,
    "too_many": replies.too_many,
    "resident_accepted": lambda: replies.resident_accepted(
        code=CODE, volunteer="Rết", team=TEAM, phone="0912 000 001"
    ),
    "resident_resolved": lambda: replies.resident_resolved(code=CODE),
    "followup_question": lambda: replies.followup_question(code=CODE),
    "followup_done": lambda: replies.followup_done(code=CODE, ask_rating=True),
    "followup_reopened": lambda: replies.followup_reopened(code=CODE, team=TEAM),
}


@pytest.fixture(autouse=True)
def production_link(settings):
    settings.PUBLIC_BASE_URL = BASE
    with translation.override("vi"):
        yield


@pytest.mark.parametrize("name", sorted(RESIDENT_TEMPLATES))
def test_every_resident_sms_fits_one_gsm7_segment_unaccented(name):
    body = sms_body(RESIDENT_TEMPLATES[name](), unaccented_mode=True)
    size = sms_size(body)
    assert (size.encoding, size.segments) == ("GSM-7", 1), (len(body), body)


def test_the_acknowledgement_keeps_code_team_link_and_how_to_cancel():
    body = sms_body(RESIDENT_TEMPLATES["received"](), unaccented_mode=True)
    assert CODE in body and "To Bon Bu N'Drung" in body
    assert f"{BASE}/t/{CODE}" in body
    assert f"HUY {CODE}" in body


def test_the_rating_question_is_unambiguous_without_diacritics():
    body = sms_body(replies.resident_resolved(code=CODE), unaccented_mode=True)
    assert "Danh gia: tra loi so 1 (te) den 5 (tot)." in body
