"""The commune office manages a request from its page: fixes category and village (the
request goes to the new village's team), cancels spam, merges a duplicate, gives it to
a named volunteer through the picker, resolves, closes and reopens it, adds notes.
Each step shows in the timeline with who did it and reaches the live board."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dispatch.models import HelpRequest, Status
from dispatch.push import broadcast
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.conftest import open_offer_of, submit_for_lan


def act(client, request: HelpRequest, action: str, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    url = reverse("dispatch:request_action", args=[request.code, action])
    return client.post(url, data, follow=True)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def secretary(client, duc_an):
    client.force_login(duc_an.secretary.user)
    return client


def test_fixing_category_and_village_routes_it_to_the_new_villages_team_live(
    duc_an, secretary, deliver
):
    request = submit_for_lan(duc_an)
    assert open_offer_of(request).team == duc_an.team_thon_1
    board = listen(broadcast.board_group(duc_an.commune.pk))

    page = deliver(
        act,
        secretary,
        request,
        "edit",
        category="portal",
        priority=1,
        flags=["elderly"],
        village=duc_an.bu_bir.pk,
        description=request.description,
    )

    request.refresh_from_db()
    assert request.category == "portal" and request.village == duc_an.bu_bir
    assert open_offer_of(request).team == duc_an.team_bu_bir
    shown = text(page)
    assert "Đã sửa thông tin yêu cầu." in shown
    secretary_name = duc_an.secretary.user.get_full_name()
    assert "Cán bộ xã sửa thông tin" in shown and f"({secretary_name})" in shown
    # PostgreSQL's jsonb keeps keys in its own order: either order reads well.
    assert "loại việc, thôn" in shown or "thôn, loại việc" in shown
    kinds = [m.get("event") for m in drain(board)]
    assert "edited" in kinds and "routed" in kinds


def test_cancelling_as_a_duplicate_links_to_the_original(duc_an, secretary):
    original = submit_for_lan(duc_an)
    again = submit_for_lan(duc_an, resident_phone="0912 999 000")

    page = act(
        secretary, again, "cancel", reason="duplicate", duplicate_of=original.code
    )

    again.refresh_from_db()
    assert again.status == Status.CANCELLED and open_offer_of(again) is None
    html = page.content.decode()
    assert f'href="/requests/{original.code}/"' in html
    assert "trùng với" in text(page)


def test_cancelling_as_a_duplicate_without_the_original_says_what_to_fix(
    duc_an, secretary
):
    request = submit_for_lan(duc_an)
    page = act(secretary, request, "cancel", reason="duplicate")
    assert page.status_code == 400
    assert 'id="error-summary"' in page.content.decode()
    assert "Hãy ghi mã của yêu cầu mà yêu cầu này trùng." in text(page)
    request.refresh_from_db()
    assert request.status == Status.ROUTED


def test_spam_is_cancelled_with_its_reason_in_the_timeline(duc_an, secretary):
    request = submit_for_lan(duc_an, description="trung thuong 100 trieu bam link")
    page = act(secretary, request, "cancel", reason="spam")
    name = duc_an.secretary.user.get_full_name()
    assert f"Đã hủy · cán bộ ({name}) · Tổ chuyên viên xã — tin rác" in text(page)
    request.refresh_from_db()
    assert request.status == Status.CANCELLED


def test_merging_a_second_sms_from_the_same_phone_keeps_one_request(duc_an, secretary):
    first = submit_for_lan(duc_an)
    second = submit_for_lan(duc_an, description="con can nop ho so khai sinh")

    page = act(secretary, first, "merge", duplicate=second.code)

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == Status.CANCELLED
    assert "con can nop ho so khai sinh" in first.description
    assert f'href="/requests/{second.code}/"' in page.content.decode()
    assert "Gộp yêu cầu trùng" in text(page)


def test_requests_of_different_households_are_not_merged(duc_an, secretary):
    first = submit_for_lan(duc_an)
    other = submit_for_lan(
        duc_an, resident_name="Ông Hải", resident_phone="0912 111 222"
    )
    page = act(secretary, first, "merge", duplicate=other.code)
    assert page.status_code == 400
    other.refresh_from_db()
    assert other.status == Status.ROUTED


def test_the_picker_lists_team_duty_distance_and_load_and_assigns_by_name(
    duc_an, secretary
):
    request = submit_for_lan(duc_an)
    url = reverse("dispatch:request_detail", args=[request.code])

    picker = text(secretary.get(url, {"q": "binh"}))
    assert "Trần Thị Bình Tổ Thôn 5 · đang trực · 2,0 km · đang làm 0/2 việc" in picker
    assert "Nguyễn Văn An" not in picker

    page = act(secretary, request, "assign", volunteer=duc_an.binh.pk)
    request.refresh_from_db()
    assert request.assigned_volunteer == duc_an.binh
    assert request.status == Status.ACCEPTED
    assert "Cán bộ xã giao lại" in text(page)


def test_a_scam_request_cannot_be_given_to_someone_without_the_certificate(
    duc_an, secretary, settings
):
    settings.DISPATCH_CERTIFICATION_REQUIRED = ["scam"]
    request = submit_for_lan(duc_an, category="scam")
    url = reverse("dispatch:request_detail", args=[request.code])
    assert "Trần Thị Bình" not in text(secretary.get(url))
    page = act(secretary, request, "assign", volunteer=duc_an.binh.pk)
    assert page.status_code == 400
    assert "chứng nhận" in text(page)


def test_resolve_close_and_reopen_within_the_follow_up_window(duc_an, secretary):
    request = submit_for_lan(duc_an)
    act(secretary, request, "assign", volunteer=duc_an.an.pk)
    act(secretary, request, "resolve", outcome="solved_remote")
    act(secretary, request, "close")
    request.refresh_from_db()
    assert request.status == Status.CLOSED

    page = act(secretary, request, "reopen", reason="Bà gọi lại: vẫn chưa đăng nhập")

    request.refresh_from_db()
    assert request.status == Status.ACCEPTED and request.assigned_volunteer == duc_an.an
    assert "Mở lại yêu cầu" in text(page)
    assert "Bà gọi lại: vẫn chưa đăng nhập" in text(page)


def test_a_request_resolved_long_ago_is_not_reopened(duc_an, secretary, settings):
    settings.DISPATCH_REOPEN_DAYS = 1
    request = submit_for_lan(duc_an)
    act(secretary, request, "resolve", outcome="solved_remote")
    from datetime import timedelta

    HelpRequest.objects.filter(pk=request.pk).update(
        resolved_at=request.created_at - timedelta(days=3)
    )
    page = act(secretary, request, "reopen", reason="muộn")
    assert page.status_code == 400


def test_an_operator_corrects_and_notes_but_does_not_cancel_or_assign(duc_an, client):
    request = submit_for_lan(duc_an)
    client.force_login(duc_an.operator.user)
    page = text(client.get(reverse("dispatch:request_detail", args=[request.code])))
    assert "Sửa thông tin" in page and "Ghi chú nội bộ" in page
    assert "Hủy yêu cầu" not in page and "Giao việc" not in page

    assert act(client, request, "note", text="Đã gọi lại, bà ở nhà").status_code == 200
    assert act(client, request, "cancel", reason="spam").status_code == 403
    request.refresh_from_db()
    assert request.status == Status.ROUTED


def test_staff_of_another_commune_cannot_act_on_the_request(duc_an, client):
    from teams.models import Commune, StaffMember
    from tests.dispatch.conftest import make_user

    other = Commune.objects.create(name="Nâm N'Jang", code="NN", lat=12.0, lng=107.7)
    stranger = make_user("khac")
    StaffMember.objects.create(user=stranger, commune=other, role="secretary")
    request = submit_for_lan(duc_an)
    client.force_login(stranger)
    assert act(client, request, "cancel", reason="spam").status_code == 404
    request.refresh_from_db()
    assert request.status == Status.ROUTED
