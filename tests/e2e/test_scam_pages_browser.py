"""The scam pages in a real browser on a 360 px phone: axe finds no critical or serious
violation, nothing scrolls sideways, and the buttons are big enough for a thumb."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from dispatch.models import ScamReport
from dispatch.scams import services
from dispatch.scams.demo import seed_scam_demo
from teams.demo import seed_demo_commune
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def test_the_scam_pages_fit_a_phone_and_pass_axe(
    live_stack: str, browser_page, transactional_db
) -> None:
    commune = seed_demo_commune().commune
    seed_scam_demo(sender=None, commune=commune)
    report = ScamReport.objects.filter(commune=commune).order_by("pk").first()
    referral = services.refer_to_police(report=report, consent_given=True, user=None)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page.context, live_stack, "secretary")
    pages = [
        "/scams/",
        "/scams/warnings/",
        "/scams/settings/",
        f"/scams/requests/{report.request.code}/",
        f"/scams/referrals/{referral.pk}/",
    ]
    found = {}
    for path in pages:
        response = page.goto(live_stack + path, wait_until="domcontentloaded")
        assert response.status == 200, (path, response.status)
        page.wait_for_selector("main h1", timeout=WAIT_MS)
        found[path] = blocking_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 362, (path, width)
        for button in page.locator("button.primary").all():
            if button.is_visible():
                assert button.bounding_box()["height"] >= 44, path
    assert found == dict.fromkeys(pages, [])
    page.goto(live_stack + "/dashboard/", wait_until="domcontentloaded")
    assert "giả điện lực: 3 tin ở Thôn 3" in page.locator("main").inner_text()
