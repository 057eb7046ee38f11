"""A volunteer records a household visit on a 360 px phone through a dead spot, and the
secretary sees it on the campaign's clustered map and progress bars at 1366 px."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from dispatch.models import CampaignHousehold, Visit
from tests import personas
from tests.e2e.axe import blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]

WAIT_MS = 60_000  # a generous bound for a loaded machine, not a speed claim


@pytest.fixture
def campaign_world():
    duc_an = personas.build_duc_an()
    households = {h.code: h for h in personas.register_households(duc_an)}
    return duc_an, households, personas.vneid_campaign(duc_an)


def signed_in(page, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}]
    )


def small_controls(page) -> list[str]:
    """Visible controls of the list smaller than 44 × 44 CSS px (choices by their label)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
            '#c-app button, #c-app a, #c-app input[type=text], #c-app .choice, #c-app summary'))
          .filter(n => n.offsetParent !== null)
          .map(n => [n, n.getBoundingClientRect()])
          .filter(([n, r]) => r.width < 44 || r.height < 44)
          .map(([n, r]) => n.tagName + ' ' + Math.round(r.width) + 'x'
               + Math.round(r.height) + ' ' + n.textContent.trim().slice(0, 30))"""
    )


def test_a_volunteer_records_a_visit_offline_and_it_arrives_on_reconnect(
    live_stack: str, campaign_world, browser_page
) -> None:
    duc_an, households, campaign = campaign_world
    phone = browser_page
    phone.set_viewport_size({"width": 360, "height": 740})
    signed_in(phone, live_stack, duc_an.an.user)
    phone.goto(f"{live_stack}/v/")
    phone.get_by_role("link", name="🏠 Đến từng hộ").click()
    phone.get_by_role("link", name=personas.CAMPAIGN_TITLE).click()
    phone.wait_for_selector(f"#h-{households['1-1'].pk} details[open]")
    assert phone.locator(".c-section[data-state=to_visit] .c-household").count() == 4
    assert small_controls(phone) == []
    assert blocking_violations(phone) == []

    phone.context.set_offline(True)
    card = phone.locator(f"#h-{households['1-1'].pk}")
    card.get_by_label("Đã đến — xong").check()
    card.get_by_label("Kích hoạt mức 2").check()
    card.get_by_label("Ghi chú (không bắt buộc)").fill("Đã kích hoạt cho ông Tư")
    card.get_by_role("button", name="Ghi lần đến").click()

    phone.wait_for_selector("#c-pending:not([hidden])")
    assert phone.locator("#c-pending").inner_text() == "1 lần đến đang chờ gửi."
    assert "Mất sóng" in phone.locator("#c-notice").inner_text()
    assert not Visit.objects.exists()

    phone.context.set_offline(False)
    phone.wait_for_selector("#c-pending[hidden]", state="attached", timeout=WAIT_MS)
    assert phone.locator("#c-notice").inner_text() == "Đã gửi lần đến hộ 1-1."
    visit = Visit.objects.get()
    assert (visit.outcome, visit.done_items, visit.note) == (
        "done",
        ["Kích hoạt mức 2"],
        "Đã kích hoạt cho ông Tư",
    )
    assert CampaignHousehold.objects.get(household=households["1-1"]).state == "done"
    phone.reload()
    done = phone.locator(".c-section[data-state=done]")
    assert "Ông Đinh Văn Tư" in done.inner_text()


def test_the_secretary_sees_the_clustered_map_and_progress_bars(
    live_stack: str, campaign_world, browser_page
) -> None:
    from dispatch.outreach import services

    duc_an, households, campaign = campaign_world
    services.record_visit(
        campaign=campaign,
        household=households["5-1"],
        volunteer=duc_an.binh,
        outcome="done",
        client_id="browser-secretary-1",
    )
    desk = browser_page
    desk.set_viewport_size({"width": 1366, "height": 900})
    signed_in(desk, live_stack, duc_an.secretary.user)
    desk.goto(f"{live_stack}/requests/")
    desk.get_by_role("link", name="Chiến dịch").first.click()
    desk.get_by_role("link", name=personas.CAMPAIGN_TITLE).click()

    desk.wait_for_selector("#c-map .marker-cluster, #c-map .c-marker", timeout=WAIT_MS)
    assert desk.locator("#c-headline").inner_text() == "Đã đến 1/7 hộ, hoàn thành 14 %"
    assert desk.locator("progress").count() >= 3  # two villages, one organisation
    assert desk.get_by_label("Tiến độ Thôn 5").get_attribute("value") == "33"
    assert "Thôn 1" in desk.locator("#c-behind").inner_text()
    assert blocking_violations(desk) == []

    desk.get_by_role("link", name="Báo cáo tuần (in được)").click()
    assert (
        "đã đến 1/7 hộ, hoàn thành 14 %"
        in desk.locator("#c-report-headline").inner_text()
    )
