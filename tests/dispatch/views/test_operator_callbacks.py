"""The operator's home lists the residents who asked to be called back, oldest first,
with a one-tap call link; the operator records what came of each call (each outcome
an event in the timeline, failed tries counted); after three failed tries the board
flags the request. Looking a caller's number up shows their earlier requests and their
household's (same name and village, from another phone)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from dispatch.help_requests import lifecycle
from dispatch.live import board
from dispatch.models import (
    AccessPurpose,
    EventKind,
    HelpRequest,
    PersonalDataAccess,
    Status,
)
from tests.personas import (
    client_for,
    nam_binh_commune,
    nam_binh_staff,
    register_households,
    submit_for_lan,
)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def wants_a_call(duc_an, phone: str, minutes_ago: int = 0, **fields) -> HelpRequest:
    request = submit_for_lan(
        duc_an, resident_phone=phone, callback_requested=True, **fields
    )
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=request.created_at - timedelta(minutes=minutes_ago)
    )
    return request


def record(client, request: HelpRequest, outcome: str, note: str = ""):
    url = reverse("dispatch:record_callback", args=[request.code])
    prefix = f"cb{request.pk}"
    return client.post(
        url, {f"{prefix}-outcome": outcome, f"{prefix}-note": note}, follow=True
    )


@pytest.fixture
def operator(duc_an):
    return client_for(duc_an.operator.user)


def test_the_operators_home_lists_call_backs_oldest_first_with_a_call_link(
    duc_an, operator
):
    newer = wants_a_call(duc_an, "0912000601", minutes_ago=5)
    older = wants_a_call(duc_an, "0912000602", minutes_ago=50)
    submit_for_lan(duc_an, resident_phone="0912000603")  # did not ask for a call

    response = operator.get(reverse("dispatch:operator_form"))

    html = response.content.decode()
    shown = text(response)
    assert "Người dân chờ gọi lại (2)" in shown
    assert shown.index(older.code) < shown.index(newer.code)
    assert 'href="tel:+84912000602"' in html and "Gọi 0912 000 602" in shown
    assert "0912 000 603" not in shown
    for outcome in (
        "đã gọi được, đã giải quyết xong",
        "đã gọi được, yêu cầu tiếp tục",
        "không nghe máy, sẽ gọi lại",
        "sai số",
    ):
        assert outcome in shown
    # Showing a resident's phone is logged, per request shown.
    logged = PersonalDataAccess.objects.filter(purpose=AccessPurpose.CALLBACK)
    assert {a.request_id for a in logged} == {older.pk, newer.pk}


def test_no_answer_is_counted_and_three_make_the_board_flag_it(duc_an, operator):
    request = wants_a_call(duc_an, "0912000611")

    for attempt in (1, 2):
        page = text(record(operator, request, "no_answer"))
        assert f"đã gọi {attempt} lần không được" in page
        assert (
            board.board_row(HelpRequest.objects.get(pk=request.pk), None)[
                "callback_failed"
            ]
            is False
        )
    page = text(record(operator, request, "no_answer", note="máy bận"))

    request.refresh_from_db()
    assert request.callback_attempts == 3 and request.status == Status.ROUTED
    assert "đã gọi 3 lần không được" in page  # still on the list: try again
    assert board.board_row(request, None)["callback_failed"] is True
    events = request.events.filter(kind=EventKind.CALLED_BACK).order_by("pk")
    assert [e.data["failed_attempts"] for e in events] == [1, 2, 3]
    assert events.last().actor_user == duc_an.operator.user
    assert events.last().data["note"] == "máy bận"


def test_reached_and_resolved_resolves_it_and_it_leaves_the_list(duc_an, operator):
    request = wants_a_call(duc_an, "0912000621")

    page = text(
        record(operator, request, "resolved", note="đã hướng dẫn qua điện thoại")
    )

    assert "đã ghi “đã gọi được, đã giải quyết xong”" in page
    assert "Người dân chờ gọi lại (0)" in page
    request.refresh_from_db()
    assert request.status == Status.RESOLVED and request.outcome == "solved_remote"
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.CALLED_BACK, EventKind.RESOLVED]
    detail = text(
        client_for(duc_an.secretary.user).get(
            reverse("dispatch:request_detail", args=[request.code])
        )
    )
    assert "Tổng đài viên gọi lại" in detail and "Lê Văn Phúc" in detail


def test_reached_the_request_continues_and_wrong_number_flags_it(duc_an, operator):
    continues = wants_a_call(duc_an, "0912000631")
    wrong = wants_a_call(duc_an, "0912000632")

    record(operator, continues, "continues")
    page = text(record(operator, wrong, "wrong_number"))

    continues.refresh_from_db()
    wrong.refresh_from_db()
    assert continues.status == Status.ROUTED and continues.callback_done_at
    assert "Người dân chờ gọi lại (0)" in page
    assert board.board_row(continues, None)["callback_failed"] is False
    assert board.board_row(wrong, None)["callback_failed"] is True


def test_a_missing_outcome_or_a_finished_call_back_is_said_plainly(duc_an, operator):
    request = wants_a_call(duc_an, "0912000641")

    empty = operator.post(
        reverse("dispatch:record_callback", args=[request.code]), {}, follow=True
    )
    record(operator, request, "continues")
    again = record(operator, request, "no_answer")

    assert empty.status_code == 200
    assert "hãy chọn kết quả cuộc gọi" in text(empty)
    assert again.status_code == 200 and request.code in text(again)
    assert request.events.filter(kind=EventKind.CALLED_BACK).count() == 1


def test_another_communes_office_neither_sees_nor_records_the_call_back(duc_an):
    request = wants_a_call(duc_an, "0912000651")
    commune = nam_binh_commune()
    far = client_for(nam_binh_staff(commune, "operator").user)

    home = text(far.get(reverse("dispatch:operator_form")))
    answer = record(far, request, "resolved")

    assert request.code not in home and "0912 000 651" not in home
    assert "Người dân chờ gọi lại (0)" in home
    assert answer.status_code == 404
    request.refresh_from_db()
    assert request.status == Status.ROUTED and request.callback_done_at is None


def test_a_looked_up_caller_shows_earlier_requests_and_the_household(duc_an, operator):
    own = submit_for_lan(duc_an)
    # Her son asked for her from his phone, same name and village.
    household = submit_for_lan(duc_an, resident_phone="0912000661")
    stranger = submit_for_lan(
        duc_an, resident_phone="0912000662", resident_name="Ông Ba"
    )
    lifecycle.resolve_request(
        request=own, outcome="solved_remote", user=duc_an.secretary.user
    )

    page = text(
        operator.post(
            reverse("dispatch:operator_form"), {"phone": "0912345678", "lookup": "1"}
        )
    )

    assert "Các lần trước của số này" in page and own.code in page
    assert "Cùng hộ (gửi từ số khác)" in page and household.code in page
    assert stranger.code not in page


def test_a_caller_in_the_household_register_shows_the_household_and_its_requests(
    duc_an, operator
):
    households = {h.code: h for h in register_households(duc_an)}
    # Ông Tư's daughter asked from her phone; the request was linked to his household.
    daughter = submit_for_lan(
        duc_an, resident_phone="0912000663", resident_name="Chị Đinh Thị Hạnh"
    )
    HelpRequest.objects.filter(pk=daughter.pk).update(household=households["1-1"])

    page = text(
        operator.post(
            reverse("dispatch:operator_form"), {"phone": "0977100004", "lookup": "1"}
        )
    )

    assert "Hộ trong sổ của xã" in page
    assert "1-1" in page and "Ông Đinh Văn Tư" in page and "Thôn 1" in page
    assert "Cùng hộ (gửi từ số khác)" in page and daughter.code in page
    assert "Bà Lương Thị Mai" not in page  # another household of the village


def test_the_call_back_list_and_the_board_drawer_read_in_english(duc_an, operator):
    wants_a_call(duc_an, "0912000671")
    operator.post("/i18n/setlang/", {"language": "en", "next": "/operator/"})

    home = text(operator.get(reverse("dispatch:operator_form")))
    board_page = text(operator.get(reverse("dispatch:board")))

    assert "Residents waiting for a call back (1)" in home
    assert "no answer, try again" in home and "wrong number" in home
    assert "Record the outcome and close" in board_page
    assert "Find someone (name or team)" in board_page
    assert "Người dân chờ gọi lại" not in home
