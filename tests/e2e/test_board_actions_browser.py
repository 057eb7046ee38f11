"""Issue 14's "done when", on the live board itself: a secretary works from the row's
action drawer while an operator watches their own board. She fixes a request's
category and village, cancels a spam one as spam and a duplicate as a duplicate of
its original, merges a second SMS from the same phone, gives a request to a named
on-duty volunteer found through the picker, writes an internal note and closes one
with its outcome. Every step reaches the operator's board live and is in the request's
timeline with who did it; axe finds nothing critical or serious with the drawer open.
(The notice to volunteers, live on /v/ and by SMS, is in
test_secretary_console_browser.py.)"""

from __future__ import annotations

import re

import pytest

from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, Status
from tests import personas
from tests.e2e.axe import blocking_violations
from tests.e2e.conftest import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000


@pytest.fixture
def commune(live_stack, browser_page, transactional_db) -> dict:
    commune = personas.duc_an_commune()
    thon_1 = personas.village(commune, personas.THON_1)
    bu_bir = personas.village(commune, personas.BU_BIR)
    personas.AN.join(personas.team(commune, personas.THON_1.team_name, thon_1))
    personas.Y_DAM.join(personas.team(commune, personas.BU_BIR.team_name, bu_bir))
    personas.secretary_of(commune)
    personas.operator_of(commune)

    def ask(phone: str, **fields) -> HelpRequest:
        base = {"commune": commune, "channel": "sms", "village": thon_1}
        return lifecycle.submit_request(**{**base, "resident_phone": phone, **fields})

    return {
        "wrong": ask("0912 000 411", category="other"),
        "spam": ask("0912 000 422", category="other"),
        "original": ask("0912 000 433", category="vneid"),
        "copy": ask("0912 000 444", category="vneid"),
        "first": ask("0912 000 455", category="portal"),
        "again": ask("0912 000 455", category="portal", description="nhắn lại"),
    }


def row_of(board, request: HelpRequest):
    return board.locator(f"tr.b-row[data-request='{request.pk}']")


def drawer_for(board, request: HelpRequest):
    row_of(board, request).locator("button.b-open").click()
    drawer = board.locator("#b-drawer")
    drawer.locator("#b-drawer-code", has_text=request.code).wait_for(timeout=WAIT_MS)
    return drawer


def done(board, text: str) -> None:
    board.locator("#b-drawer-status, #b-notice", has_text=text).first.wait_for(
        timeout=WAIT_MS
    )


def test_a_secretary_manages_requests_from_the_board_and_every_board_follows(
    live_stack: str, browser_page, commune
) -> None:
    browser = browser_page.context.browser
    secretary = browser_page
    secretary.set_viewport_size({"width": 1366, "height": 768})
    sign_in(secretary.context, live_stack, "thuky")
    operator_context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN"
    )
    sign_in(operator_context, live_stack, "tongdai")
    watcher = operator_context.new_page()
    for board in (secretary, watcher):
        board.goto(f"{live_stack}/board/", wait_until="domcontentloaded")
        board.wait_for_selector("#b-conn[data-state=online]", timeout=WAIT_MS)
        row_of(board, commune["spam"]).wait_for(timeout=WAIT_MS)
    # A placed request shows no triage chooser; the row offers its action drawer.
    assert not row_of(secretary, commune["wrong"]).locator(".b-place").is_visible()
    # The operator corrects and notes; managing is the secretary's.
    operator_drawer = drawer_for(watcher, commune["wrong"])
    assert operator_drawer.locator("#b-edit").is_visible()
    assert not operator_drawer.locator("#b-cancel").is_visible()
    assert not operator_drawer.locator("#b-assign").is_visible()
    watcher.locator("#b-drawer-close").click()

    # 1. Category and village fixed: it goes to the Bon Bu Bir team, on both boards.
    wrong = commune["wrong"]
    drawer = drawer_for(secretary, wrong)
    assert blocking_violations(secretary) == []
    secretary.screenshot(path=str(ARTIFACTS / "board_drawer.png"))
    drawer.get_by_label("Loại việc").select_option("portal")
    drawer.get_by_label("Thôn, bon").select_option(label="Bon Bu Bir")
    drawer.get_by_role("button", name="Lưu thay đổi").click()
    done(secretary, f"Đã sửa thông tin {wrong.code}.")
    for board in (secretary, watcher):
        row = row_of(board, wrong)
        row.locator(".b-village", has_text="Bon Bu Bir").wait_for(timeout=WAIT_MS)
        row.locator(".b-team", has_text="Tổ Bon Bu Bir").wait_for(timeout=WAIT_MS)

    # 2. Given to a named on-duty volunteer through the search picker.
    drawer.get_by_label("Tìm người (tên hoặc tổ)").fill("y dam")
    drawer.get_by_role("button", name="Tìm", exact=True).click()
    pick = drawer.locator("label.b-pick", has_text="Y Đam Niê")
    pick.wait_for(timeout=WAIT_MS)
    assert drawer.locator("label.b-pick").count() == 1
    assert re.search(
        r"Tổ Bon Bu Bir · đang trực · [\d.]+ km · 0/\d+ việc", pick.inner_text()
    )
    pick.locator("input").check()
    drawer.get_by_role("button", name="Giao việc", exact=True).click()
    done(secretary, f"Đã giao việc {wrong.code}.")
    for board in (secretary, watcher):
        row_of(board, wrong).locator(".b-team", has_text="Y Đam Niê").wait_for(
            timeout=WAIT_MS
        )

    # 3. An internal note.
    drawer.get_by_label("Ghi chú (người dân không thấy)").fill("Bà hẹn chiều nay")
    drawer.get_by_role("button", name="Thêm ghi chú").click()
    done(secretary, f"Đã thêm ghi chú cho {wrong.code}.")
    secretary.locator("#b-drawer-close").click()

    # 4. Spam cancelled as spam: gone from every board.
    spam = commune["spam"]
    drawer = drawer_for(secretary, spam)
    drawer.get_by_label("tin rác").check()
    drawer.locator("#b-cancel button[type=submit]").click()
    for board in (secretary, watcher):
        row_of(board, spam).wait_for(state="detached", timeout=WAIT_MS)
    assert not secretary.locator("#b-drawer").is_visible()

    # 5. A duplicate cancelled as a duplicate of its original (by its code).
    copy, original = commune["copy"], commune["original"]
    drawer = drawer_for(secretary, copy)
    drawer.get_by_label("trùng với yêu cầu khác").check()
    drawer.get_by_label("Trùng với yêu cầu mã").fill(original.code)
    drawer.locator("#b-cancel button[type=submit]").click()
    for board in (secretary, watcher):
        row_of(board, copy).wait_for(state="detached", timeout=WAIT_MS)

    # 6. The second SMS from the same phone merged into the first.
    first, again = commune["first"], commune["again"]
    drawer = drawer_for(secretary, first)
    drawer.get_by_label("Mã yêu cầu trùng (sẽ gộp vào yêu cầu này)").fill(again.code)
    drawer.get_by_role("button", name="Gộp vào yêu cầu này").click()
    done(secretary, f"Đã gộp {again.code} vào {first.code}.")
    for board in (secretary, watcher):
        row_of(board, again).wait_for(state="detached", timeout=WAIT_MS)

    # 7. Closed with its outcome: it leaves every board.
    drawer.get_by_label("Kết quả").select_option("solved_remote")
    drawer.get_by_role("button", name="Ghi kết quả và đóng").click()
    for board in (secretary, watcher):
        row_of(board, first).wait_for(state="detached", timeout=WAIT_MS)

    # Each step is in the timelines, with who did it.
    secretary.goto(f"{live_stack}/requests/{wrong.code}/")
    timeline = secretary.locator("ol").last.inner_text()
    assert "Cán bộ xã sửa thông tin" in timeline
    assert "Cán bộ xã giao lại" in timeline
    assert "Bà hẹn chiều nay" in timeline
    secretary.goto(f"{live_stack}/requests/{copy.code}/")
    assert original.code in secretary.locator("ol").last.inner_text()
    secretary.goto(f"{live_stack}/requests/{first.code}/")
    timeline = secretary.locator("ol").last.inner_text()
    assert "Gộp yêu cầu trùng" in timeline and "Đã giải quyết" in timeline
    statuses = {
        r.code: r.status
        for r in HelpRequest.objects.filter(
            pk__in=[spam.pk, copy.pk, again.pk, first.pk]
        )
    }
    assert statuses == {
        spam.code: Status.CANCELLED,
        copy.code: Status.CANCELLED,
        again.code: Status.CANCELLED,
        first.code: Status.RESOLVED,
    }
    operator_context.close()
