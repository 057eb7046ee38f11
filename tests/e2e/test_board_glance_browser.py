"""The live board at a glance, in a real browser: counts per state, the oldest waiting
request, urgent first, labels in the viewer's language (English here), filters that
survive a reload, and rows one can walk with the arrow keys."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from dispatch.help_requests import lifecycle
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000


@pytest.fixture
def requests(live_stack, browser_page, transactional_db):
    commune = Commune.objects.create(
        name="Đức An", code="DA", province="Lâm Đồng", lat=11.93, lng=107.62
    )
    village = Village.objects.create(
        commune=commune, name="Thôn 5", number=5, lat=11.90, lng=107.60
    )
    team = SupportTeam.objects.create(
        commune=commune, name="Tổ Thôn 5", base_lat=11.90, base_lng=107.60
    )
    team.villages.set([village])
    users = get_user_model().objects
    Volunteer.objects.create(
        user=users.create_user("binh"),
        team=team,
        full_name="Trần Thị Bình",
        phone="+84912000005",
        on_duty=True,
    )
    StaffMember.objects.create(
        user=users.create_user("tongdai"),
        commune=commune,
        role=StaffMember.Role.OPERATOR,
    )
    ask = dict(commune=commune, channel="sms", village=village)
    first = lifecycle.submit_request(
        category="vneid", resident_phone="0912000111", **ask
    )
    urgent = lifecycle.submit_request(
        category="scam", resident_phone="0912000222", **ask
    )
    return first, urgent


def test_the_board_shows_counts_oldest_and_english_labels_and_remembers_filters(
    live_stack: str, browser_page, requests
) -> None:
    first, urgent = requests
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page.context, live_stack, "tongdai")
    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_stack}]
    )
    page.goto(f"{live_stack}/board/", wait_until="domcontentloaded")
    page.wait_for_selector("#b-conn[data-state=online]", timeout=WAIT_MS)
    page.locator("tr.b-row").nth(1).wait_for(timeout=WAIT_MS)

    states = page.locator("#b-states").inner_text()
    # A scam needs a certificate nobody here holds: it went to the specialists.
    assert "waiting for a team: 1" in states
    assert "escalated to commune specialists: 1" in states
    assert first.code in page.locator("#b-oldest").inner_text()
    codes = page.locator("tr.b-row a.b-code").all_inner_texts()
    assert codes == [urgent.code, first.code]  # urgent first
    status = page.locator("tr.b-row .b-status").first.inner_text()
    assert status == "escalated to commune specialists"

    page.locator("tr.b-row").first.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.request") == str(first.pk)

    page.select_option("#b-filters select[name=category]", "scam")
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector("#b-conn[data-state=online]", timeout=WAIT_MS)
    page.locator("tr.b-row").first.wait_for(timeout=WAIT_MS)
    assert page.locator("#b-filters select[name=category]").input_value() == "scam"
    assert page.locator("tr.b-row a.b-code").all_inner_texts() == [urgent.code]
