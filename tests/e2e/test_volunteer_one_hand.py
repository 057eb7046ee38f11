"""`/v/` on a cheap phone, one hand, 360 × 740, through a dead spot.

The offer arrives live with the resident's ticks; an accept tapped while offline waits,
visibly, and is delivered on reconnect; then start → done with "home visit done". The
page passes axe with no critical or serious violation, and every control is ≥ 44 px.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from dispatch.models import HelpRequest, Outcome, Status
from teams.models import Commune, SupportTeam, Village, Volunteer
from tests.e2e.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]

WAIT_MS = 60_000  # a generous bound for a loaded machine, not a speed claim
LANDMARK = "Gần trường tiểu học Thôn 1"


@pytest.fixture
def thon_1_with_an() -> dict:
    commune = Commune.objects.create(
        name="Đức An", code="DA", province="Lâm Đồng", lat=11.93, lng=107.62
    )
    thon_1 = Village.objects.create(
        commune=commune, name="Thôn 1", kind="thon", number=1, lat=11.90, lng=107.60
    )
    team = SupportTeam.objects.create(
        commune=commune, name="Tổ Thôn 1", base_lat=11.90, base_lng=107.60
    )
    team.villages.set([thon_1])
    an = Volunteer.objects.create(
        user=get_user_model().objects.create_user("an"),
        team=team,
        full_name="Nguyễn Văn An",
        phone="+84912000001",
        on_duty=True,
    )
    return {"thon_1": thon_1, "an": an}


def signed_in(page, base: str, volunteer: Volunteer) -> None:
    """The volunteer's phone already holds a session (phone login is tested elsewhere)."""
    client = Client()
    client.force_login(volunteer.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}]
    )


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"one_hand_{name}.png"), full_page=True)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def small_controls(page) -> list[str]:
    """Visible controls of the app smaller than 44 × 44 CSS px (radios and the duty box count by their label)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
            '#v-app button, #v-app a, #v-app select, #v-app input:not([type=radio]):not([type=checkbox]),'
            + ' #v-app .v-choice, #v-app .v-duty'))
          .filter(n => n.offsetParent !== null)
          .map(n => [n, n.getBoundingClientRect()])
          .filter(([n, r]) => r.width < 44 || r.height < 44)
          .map(([n, r]) => n.className + ' ' + Math.round(r.width) + 'x'
               + Math.round(r.height) + ' ' + n.textContent.trim().slice(0, 30))"""
    )


def test_offer_accept_offline_start_and_done_with_a_home_visit(
    live_stack: str, browser_page, thon_1_with_an
) -> None:
    phone = browser_page
    phone.set_viewport_size({"width": 360, "height": 740})
    signed_in(phone, live_stack, thon_1_with_an["an"])
    phone.goto(f"{live_stack}/v/")
    phone.wait_for_selector("#v-conn[data-state=online]", timeout=WAIT_MS)
    assert (
        phone.locator("#v-app")
        .get_by_role("link", name=re.compile("Tập huấn của tôi"))
        .get_attribute("href")
        == "/training/me/"
    )

    resident = phone.context.new_page()
    thon_1 = thon_1_with_an["thon_1"]
    # The commune-qualified form, as the posters print it (the cast has two communes).
    resident.goto(f"{live_stack}/help/{thon_1.commune.code.lower()}/{thon_1.slug}/")
    resident.check("input[name=category][value=vneid]")
    # Its own number: the per-phone form limit counts across the session's browser tests.
    resident.fill("input[name=resident_phone]", "0912 345 691")
    resident.check("input[name=flags][value=elderly]")
    resident.check("input[name=flags][value=home_visit]")
    resident.fill("input[name=landmark]", LANDMARK)
    resident.fill("input[name=preferred_time]", "sau 17 giờ")
    resident.check("input[name=consent]")
    resident.click("main form button[type=submit]")
    resident.wait_for_url(re.compile(r"/track/"), timeout=WAIT_MS)
    code = resident.url.rstrip("/").rsplit("/", 1)[-1]
    resident.close()

    offer = phone.locator(".v-offer", has_text=code)
    offer.wait_for(timeout=WAIT_MS)
    text = offer.inner_text()
    assert "cao tuổi" in text and "cần đến tận nhà" in text
    assert "Tiện lúc: sau 17 giờ" in text
    assert LANDMARK not in text  # the way to the house only after accepting
    assert serious_violations(phone) == []
    assert small_controls(phone) == []
    shot(phone, "1_offer")

    # A dead spot: the tap waits on the phone, visibly, and goes out on reconnect.
    phone.context.set_offline(True)
    phone.wait_for_selector("#v-conn[data-state=offline]", timeout=WAIT_MS)
    offer.locator(".v-accept").click()
    assert "1 thao tác đang chờ gửi" in phone.locator("#v-pending").inner_text()
    assert offer.locator(".v-accept").inner_text() == "Đang chờ gửi…"
    shot(phone, "2_accept_queued_offline")
    assert HelpRequest.objects.get(code=code).status == Status.ROUTED
    phone.context.set_offline(False)

    mine = phone.locator(".v-mine", has_text=code)
    mine.wait_for(timeout=WAIT_MS)
    phone.locator("#v-pending").wait_for(state="hidden", timeout=WAIT_MS)
    card = mine.inner_text()
    assert f"Mốc tìm nhà: {LANDMARK}" in card
    assert "cao tuổi" in card and "cần đến tận nhà" in card
    assert mine.locator("a.v-tel").get_attribute("href") == "tel:+84912345691"
    request = HelpRequest.objects.get(code=code)
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer_id == thon_1_with_an["an"].pk

    # "Báo đã xong" only after "Bắt đầu"; no outcome chosen for the volunteer.
    assert mine.locator(".v-done-form").is_hidden()
    mine.locator(".v-start").click()
    mine.locator(".v-done-form").wait_for(timeout=WAIT_MS)
    assert mine.locator("input[type=radio]:checked").count() == 0
    assert serious_violations(phone) == []
    assert small_controls(phone) == []
    shot(phone, "3_started")
    mine.locator(".v-resolve").click()
    assert mine.locator(".v-error").is_visible()
    mine.get_by_label("giải quyết khi đến nhà").check()
    mine.locator(".v-resolve").click()
    mine.wait_for(state="detached", timeout=WAIT_MS)
    shot(phone, "4_done")

    request.refresh_from_db()
    assert request.status == Status.RESOLVED
    assert request.outcome == Outcome.SOLVED_VISIT
