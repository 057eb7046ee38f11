"""A volunteer with a basic phone does by SMS what the app does: duty, list, done, notes.

Every command is sent through the signed Twilio webhook from a registered volunteer's
phone, with and without diacritics, and every reply is one GSM-7 segment.
"""

from __future__ import annotations

import pytest

from dispatch.help_requests import lifecycle
from dispatch.models import EventKind, HelpRequest, Status
from dispatch.sms.text import sms_size
from tests.dispatch.conftest import open_offer_of, submit_for_lan


def one_segment(text: str) -> bool:
    size = sms_size(text)
    return size.encoding == "GSM-7" and size.segments == 1


HELP_LIST = (
    "TRUC, NGHI (so ngay), DS, NHAN <ma>, TU CHOI <ma> (ly do), XONG <ma> <so>,"
    " GHI <ma> <noi dung>, HOC LUA DAO, GUI <ma> <tu khoa>, TH <ma ho> <so>"
)


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["TRUC", "trực", "Truc"])
def test_truc_puts_an_off_duty_volunteer_on_duty(duc_an, text_from, body):
    reply = text_from(duc_an.off_duty_cuong, body)

    duc_an.off_duty_cuong.refresh_from_db()
    assert duc_an.off_duty_cuong.on_duty is True
    assert reply.startswith("Ban dang truc")
    assert one_segment(reply)


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["NGHI", "nghỉ", "Nghi"])
def test_nghi_takes_a_volunteer_off_duty(duc_an, text_from, body):
    reply = text_from(duc_an.an, body)

    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is False and duc_an.an.away_until is None
    assert reply == "Ban da nghi truc. Nhan TRUC de truc lai."


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["NGHI 3", "nghỉ 3 ngày", "nghi 3 ngay"])
def test_nghi_with_days_says_until_when(duc_an, text_from, body):
    reply = text_from(duc_an.an, body)

    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is False
    assert duc_an.an.away_until is not None
    from django.utils import timezone

    last_day = timezone.localtime(duc_an.an.away_until) - timezone.timedelta(seconds=1)
    assert f"den het {last_day:%d/%m}" in reply
    assert one_segment(reply)
    assert text_from(duc_an.an, "truc").startswith("Ban dang truc")
    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is True and duc_an.an.away_until is None


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["DS", "ds"])
def test_ds_lists_my_offers_and_assignments_newest_first_with_codes(
    duc_an, text_from, body
):
    first = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(first), volunteer=duc_an.an)
    second = submit_for_lan(duc_an, resident_phone="0912 345 679")

    reply = text_from(duc_an.an, body)

    assert reply.startswith("Viec cua ban:")
    assert reply.index(second.code) < reply.index(first.code)
    assert f"{second.code} moi nhan (Thon 1)" in reply
    assert f"{first.code} da co nguoi nhan (Thon 1)" in reply
    assert one_segment(reply)


@pytest.mark.django_db
def test_ds_with_nothing_open_says_so(duc_an, text_from):
    assert text_from(duc_an.ha, "DS") == "Ban khong co loi moi hay viec nao dang mo."


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["XONG", "xong", "Xong"])
def test_bare_xong_lists_the_outcome_digits_and_changes_nothing(
    duc_an, text_from, body
):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)

    reply = text_from(duc_an.an, body)

    assert "1 giai quyet tu xa, 2 den nha xong, 3 chuyen Trung tam HCC" in reply
    assert "4 chuyen Cong an xa, 5 chua giai quyet duoc" in reply
    assert request.code in reply
    assert one_segment(reply)
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("digit", "outcome", "shown"),
    [
        ("1", "solved_remote", "giai quyet tu xa"),
        ("2", "solved_visit", "giai quyet khi den nha"),
        ("3", "referred_centre", "chuyen Trung tam phuc vu hanh chinh cong"),
        ("4", "referred_police", "chuyen Cong an xa"),
        ("5", "unsolved", "chua giai quyet duoc"),
    ],
)
def test_xong_code_digit_records_that_outcome(duc_an, text_from, digit, outcome, shown):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    typed = request.code.lower().replace("-", " ")

    reply = text_from(duc_an.an, f"Xong {typed} {digit}")

    request.refresh_from_db()
    assert request.status == Status.RESOLVED
    assert request.outcome == outcome
    assert reply == f"Da ghi {request.code}: {shown}. Cam on ban!"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ["GHI {code} Đã gọi, hẹn chiều đến", "ghi {code} da goi"]
)
def test_ghi_adds_a_note_to_the_request(duc_an, text_from, body):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)

    reply = text_from(duc_an.an, body.format(code=request.code))

    note = request.events.get(kind=EventKind.NOTE)
    assert note.data["text"] == body.format(code="").split(" ", 2)[-1].strip()
    assert reply == f"Da ghi chu vao {request.code}."


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["NHAN", "nhận"])
def test_nhan_accepts_the_newest_offer(duc_an, text_from, body):
    request = submit_for_lan(duc_an)

    reply = text_from(duc_an.an, body)

    request.refresh_from_db()
    assert request.assigned_volunteer == duc_an.an
    assert reply.startswith(f"Ban da nhan {request.code}. Goi nguoi dan: 0912 345 678")
    assert one_segment(reply)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ["TU CHOI {code} dang di ray", "từ chối {code} đang đi rẫy"]
)
def test_tu_choi_is_personal_and_says_the_team_keeps_it(duc_an, text_from, body):
    from tests.personas import make_volunteer

    make_volunteer(duc_an.team_thon_1, "Hoàng Văn Minh", "+84912000031", on_duty=True)
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)

    reply = text_from(duc_an.an, body.format(code=request.code))

    offer.refresh_from_db()
    assert offer.state == "open"
    assert offer.declines.get().volunteer == duc_an.an
    assert "nguoi khac trong to van nhan duoc" in reply
    assert one_segment(reply)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body", ["abc", "truc ngay mai", "XONG abc xyz 9", "nghi mai", "HD", "hướng dẫn"]
)
def test_an_unknown_command_gets_the_help_list(duc_an, text_from, body):
    reply = text_from(duc_an.an, body)

    assert reply.endswith(HELP_LIST)
    assert one_segment(reply)
    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is True


@pytest.mark.django_db
def test_a_volunteer_who_needs_help_themselves_still_makes_a_request(duc_an, text_from):
    reply = text_from(duc_an.an, "toi can giup kich hoat vneid muc 2 o thon 1")

    request = HelpRequest.objects.get(resident_phone=duc_an.an.phone)
    assert request.code in reply
