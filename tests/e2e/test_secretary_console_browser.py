"""A secretary runs the console in a real browser on the real stack: fixes a request's
category and village, cancels spam, merges a duplicate, gives a request to a named
on-duty volunteer through the search picker, and sends a notice that reaches one
volunteer live on `/v/` and another, offline, by SMS. Each step shows in the
request's timeline and on every open board (the secretary's and the operator's)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, Status
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from tests.e2e.conftest import sign_in, sms_count, sms_received

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000
NOTICE = "Cong dich vu cong bao tri chieu nay, hen ba con sang mai."


@pytest.fixture
def commune(live_stack, browser_page, transactional_db) -> dict:
    commune = Commune.objects.create(
        name="Đức An", code="DA", province="Lâm Đồng", lat=11.93, lng=107.62
    )
    users = get_user_model().objects
    people = {}
    for number, name, lat, member in (
        (5, "Thôn 5", 11.90, "Trần Thị Bình"),
        (20, "Bon Bu Bir", 11.95, "Y Đam Niê"),
    ):
        village = Village.objects.create(
            commune=commune, name=name, number=number, lat=lat, lng=107.60
        )
        team = SupportTeam.objects.create(
            commune=commune, name=f"Tổ {name}", base_lat=lat, base_lng=107.60
        )
        team.villages.set([village])
        people[name] = Volunteer.objects.create(
            user=users.create_user(f"tnv{number}", first_name=member),
            team=team,
            full_name=member,
            phone=f"+849120000{number:02d}",
            on_duty=True,
        )
    StaffMember.objects.create(
        user=users.create_user("thuky", first_name="Hoa"),
        commune=commune,
        role=StaffMember.Role.SECRETARY,
    )
    StaffMember.objects.create(
        user=users.create_user("tongdai", first_name="Phúc"),
        commune=commune,
        role=StaffMember.Role.OPERATOR,
    )
    thon_5 = Village.objects.get(name="Thôn 5")

    def ask(**fields) -> HelpRequest:
        base = {"commune": commune, "channel": "sms", "village": thon_5}
        return lifecycle.submit_request(**{**base, **fields})

    return {
        "wrong": ask(category="other", resident_phone="0912 000 111"),
        "spam": ask(category="other", resident_phone="0912 000 222"),
        "first": ask(category="vneid", resident_phone="0912 000 333"),
        "again": ask(category="vneid", resident_phone="0912 000 333"),
        "binh": people["Thôn 5"],
        "y_dam": people["Bon Bu Bir"],
    }


def board_row(board, request: HelpRequest):
    return board.locator(f'tr.b-row:has(a.b-code:text-is("{request.code}"))')


def test_a_secretary_corrects_cancels_merges_assigns_and_sends_a_notice(
    live_stack: str, browser_page, commune
) -> None:
    browser = browser_page.context.browser
    secretary = browser_page
    secretary.set_viewport_size({"width": 1366, "height": 768})
    sign_in(secretary.context, live_stack, "thuky")
    boards = [secretary.context.new_page()]
    operator_context = browser.new_context(viewport={"width": 1366, "height": 768})
    sign_in(operator_context, live_stack, "tongdai")
    boards.append(operator_context.new_page())
    for board in boards:
        board.goto(f"{live_stack}/board/", wait_until="domcontentloaded")
        board.wait_for_selector("#b-conn[data-state=online]", timeout=WAIT_MS)
        board_row(board, commune["wrong"]).wait_for(timeout=WAIT_MS)

    # 1. Category and village fixed: the request goes to the Bon Bu Bir team.
    wrong = commune["wrong"]
    secretary.goto(f"{live_stack}/requests/{wrong.code}/")
    secretary.select_option("#id_edit-category", "portal")
    secretary.select_option("#id_edit-village", label="Bon Bu Bir")
    secretary.get_by_role("button", name="Lưu thay đổi").click()
    secretary.get_by_text("Đã sửa thông tin yêu cầu.").wait_for(timeout=WAIT_MS)
    assert secretary.locator("ol li", has_text="Cán bộ xã sửa thông tin").count() == 1
    for board in boards:
        row = board_row(board, wrong)
        row.locator(".b-village", has_text="Bon Bu Bir").wait_for(timeout=WAIT_MS)
        row.locator(".b-team", has_text="Tổ Bon Bu Bir").wait_for(timeout=WAIT_MS)

    # 2. Spam cancelled as spam: gone from every board.
    spam = commune["spam"]
    secretary.goto(f"{live_stack}/requests/{spam.code}/")
    secretary.get_by_label("tin rác").check()
    secretary.locator("#h-cancel + form button").click()
    secretary.locator("ol li", has_text="tin rác").wait_for(timeout=WAIT_MS)
    for board in boards:
        board_row(board, spam).wait_for(state="detached", timeout=WAIT_MS)

    # 3. The second SMS from the same phone merged into the first.
    first, again = commune["first"], commune["again"]
    secretary.goto(f"{live_stack}/requests/{first.code}/")
    secretary.fill("#id_merge-duplicate", again.code)
    secretary.get_by_role("button", name="Gộp vào yêu cầu này").click()
    secretary.locator("ol li", has_text="Gộp yêu cầu trùng").wait_for(timeout=WAIT_MS)
    assert HelpRequest.objects.get(pk=again.pk).status == Status.CANCELLED
    for board in boards:
        board_row(board, again).wait_for(state="detached", timeout=WAIT_MS)

    # 4. Given to a named on-duty volunteer through the search picker.
    secretary.goto(f"{live_stack}/requests/{wrong.code}/")
    secretary.fill("#picker-q", "y dam")
    secretary.get_by_role("button", name="Tìm", exact=True).click()
    pick = secretary.locator("label.pick", has_text="Y Đam Niê")
    assert "Tổ Bon Bu Bir · đang trực" in pick.inner_text()
    pick.locator("input").check()
    secretary.locator("#assign form[method=post] button").click()
    secretary.locator("ol li", has_text="Cán bộ xã giao lại").wait_for(timeout=WAIT_MS)
    for board in boards:
        board_row(board, wrong).locator(".b-team", has_text="Y Đam Niê").wait_for(
            timeout=WAIT_MS
        )

    # 5. A notice: live on Y Đam's open /v/, by SMS to Bình who has no page open.
    phone_context = browser.new_context(viewport={"width": 360, "height": 780})
    sign_in(phone_context, live_stack, "tnv20")
    phone = phone_context.new_page()
    phone.goto(f"{live_stack}/v/", wait_until="domcontentloaded")
    phone.wait_for_selector("#v-conn[data-state=online]", timeout=WAIT_MS)
    before = sms_count(commune["binh"].phone)
    secretary.goto(f"{live_stack}/notices/")
    secretary.fill("#id_text", NOTICE)
    secretary.get_by_label("Mọi người đang trực").check()
    secretary.get_by_role("button", name="Gửi thông báo").click()
    secretary.get_by_text("Đã gửi thông báo cho 2 người.").wait_for(timeout=WAIT_MS)
    phone.locator("#v-notices li", has_text=NOTICE).wait_for(timeout=WAIT_MS)
    assert sms_received(commune["binh"].phone, after=before) == f"Cau Noi: {NOTICE}"
    operator_context.close()
    phone_context.close()
