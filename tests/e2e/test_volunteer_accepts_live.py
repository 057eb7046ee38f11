"""End to end on the real stack: a resident asks on the web, a volunteer's phone shows
the offer live, the volunteer accepts with one tap, the resident's tracking page changes.

Daphne + qcluster + Valkey run as separate processes (`live_stack`); Chromium drives both
screens. Screenshots of each step are kept in artifacts/.
"""

from __future__ import annotations

import re

import pytest

from dispatch.models import HelpRequest, Status
from teams.phones import normalize_phone
from tests import personas
from tests.e2e.conftest import ARTIFACTS, sms_count, sms_received

pytestmark = [
    pytest.mark.browser,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]

WAIT_MS = 60_000  # a generous bound for a loaded machine, not a speed claim


@pytest.fixture
def duc_an() -> dict:
    commune = personas.duc_an_commune()
    thon_1 = personas.village(commune, personas.THON_1)
    thon_5 = personas.village(commune, personas.THON_5)
    an = personas.AN.join(personas.team(commune, personas.THON_1.team_name, thon_1))
    binh = personas.BINH.join(personas.team(commune, personas.THON_5.team_name, thon_5))
    return {"commune": commune, "thon_1": thon_1, "an": an, "binh": binh}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"live_{name}.png"), full_page=True)


def sign_in_by_phone(page, base: str, phone: str) -> None:
    """Ask for a code, read it from the SMS the phone receives, type it in."""
    number = normalize_phone(phone)
    before = sms_count(number)
    page.goto(f"{base}/v/login/")
    page.fill("input[name=phone]", phone)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/v/login/code/$"))
    body = sms_received(number, after=before)
    page.fill("input[name=code]", re.search(r"\d{6}", body).group(0))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/v/$"))


def test_a_resident_asks_on_the_web_and_the_nearest_volunteer_accepts_live(
    live_stack: str, browser_page, duc_an
) -> None:
    volunteer = browser_page
    sign_in_by_phone(volunteer, live_stack, "0912 000 001")
    volunteer.wait_for_selector("#v-conn[data-state=online]", timeout=WAIT_MS)
    # Installable: the service worker that keeps the page shell is active for /v/.
    scope = volunteer.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_stack}/v/"
    shot(volunteer, "1_volunteer_waiting")

    resident = volunteer.context.new_page()
    resident.goto(f"{live_stack}/help/{duc_an['thon_1'].slug}/")
    resident.check("input[name=category][value=vneid]")
    resident.fill("input[name=resident_phone]", "0912 345 678")
    resident.fill("input[name=resident_name]", "Bà Nguyễn Thị Lan")
    resident.fill("textarea[name=description]", "Nhờ kích hoạt VNeID mức 2")
    resident.check("input[name=consent]")
    resident.click("main form button[type=submit]")
    resident.wait_for_url(re.compile(r"/track/"), timeout=WAIT_MS)
    code = resident.url.rstrip("/").rsplit("/", 1)[-1]
    shot(resident, "2_resident_tracking_before")

    offer = volunteer.locator(".v-offer", has_text=code)
    offer.wait_for(timeout=WAIT_MS)
    assert "Thôn 1" in offer.inner_text()
    assert "0912" not in offer.inner_text()  # no phone before accepting
    shot(volunteer, "3_offer_on_phone")

    offer.locator(".v-accept").click()
    mine = volunteer.locator(".v-mine", has_text=code)
    mine.wait_for(timeout=WAIT_MS)
    assert mine.locator("a.v-tel").get_attribute("href") == "tel:+84912345678"
    assert mine.locator("a.v-geo").get_attribute("href").startswith("geo:")
    shot(volunteer, "4_accepted_with_phone")

    request = HelpRequest.objects.get(code=code)
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer_id == duc_an["an"].pk
    resident.reload()
    assert "đã có người nhận" in resident.content().lower()
    shot(resident, "5_resident_tracking_after")
