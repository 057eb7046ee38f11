"""The operator's call-back list in a real browser: the resident who asked to be
called back is on the operator's home with a `tel:` link; three "no answer" outcomes
later the request is flagged on the secretary's open board, live. axe finds nothing
critical or serious on the operator's home with the list showing."""

from __future__ import annotations

import pytest

from dispatch.help_requests import lifecycle
from tests import personas
from tests.e2e.axe import blocking_violations
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000


def test_three_unanswered_call_backs_flag_the_request_on_the_board(
    live_stack: str, browser_page, transactional_db
) -> None:
    commune = personas.duc_an_commune()
    thon_1 = personas.village(commune, personas.THON_1)
    personas.AN.join(personas.team(commune, personas.THON_1.team_name, thon_1))
    personas.secretary_of(commune)
    personas.operator_of(commune)
    request = lifecycle.submit_request(
        commune=commune,
        channel="voice",
        category="other",
        village=thon_1,
        resident_phone="0912 000 701",
        callback_requested=True,
    )
    browser = browser_page.context.browser
    operator = browser_page
    sign_in(operator.context, live_stack, "tongdai")
    board_context = browser.new_context(viewport={"width": 1366, "height": 768})
    sign_in(board_context, live_stack, "thuky")
    board = board_context.new_page()
    board.goto(f"{live_stack}/board/", wait_until="domcontentloaded")
    board.wait_for_selector("#b-conn[data-state=online]", timeout=WAIT_MS)
    row = board.locator(f"tr.b-row[data-request='{request.pk}']")
    row.wait_for(timeout=WAIT_MS)
    assert not row.locator(".b-callback-failed").is_visible()

    operator.goto(f"{live_stack}/operator/", wait_until="domcontentloaded")
    item = operator.locator(f"#callback-{request.code}")
    call = item.get_by_role("link", name="Gọi 0912 000 701")
    assert call.get_attribute("href") == "tel:+84912000701"
    assert blocking_violations(operator) == []
    for attempt in (1, 2, 3):
        item = operator.locator(f"#callback-{request.code}")
        item.get_by_label("không nghe máy, sẽ gọi lại").check()
        item.get_by_role("button", name="Ghi kết quả").click()
        operator.locator(f"#callback-{request.code} .callback-attempts").filter(
            has_text=f"đã gọi {attempt} lần không được"
        ).wait_for(timeout=WAIT_MS)

    row.locator(".b-callback-failed", has_text="Gọi lại không được").wait_for(
        timeout=WAIT_MS
    )
    board_context.close()
