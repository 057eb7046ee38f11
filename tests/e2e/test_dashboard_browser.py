"""A secretary opens the dashboard in a real Chromium and watches a request arrive live."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from teams.demo import seed_demo_commune
from teams.models import Commune, Village

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000  # a generous bound for a loaded CI machine, not a speed claim


def test_the_dashboard_map_shows_23_villages_and_a_new_request_appears_live(
    live_stack: str, browser_page, transactional_db
) -> None:
    # transactional_db after browser_page: the database is flushed before the page's
    # event loop is gone, while Django still allows it.
    seed_demo_commune()
    commune = Commune.objects.get(code="DA")
    client = Client()
    client.force_login(get_user_model().objects.get(username="secretary"))
    browser_page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_stack,
            }
        ]
    )

    browser_page.goto(f"{live_stack}/dashboard/", wait_until="domcontentloaded")

    markers = browser_page.locator("#map path.village-marker")
    markers.first.wait_for(timeout=WAIT_MS)
    assert markers.count() == 23
    assert browser_page.locator("#map .team-marker").count() >= 23
    browser_page.wait_for_selector('#live-state[data-connected="1"]', timeout=WAIT_MS)

    # A resident asks for help on the public form of Thôn 5, in another tab: the request
    # is made by the running server, which pushes it to the board channel.
    village = Village.objects.get(commune=commune, number=5)
    resident = browser_page.context.new_page()
    resident.goto(f"{live_stack}/help/{village.slug}/", wait_until="domcontentloaded")
    resident.check('input[name="category"][value="vneid"]')
    resident.fill('input[name="resident_phone"]', "0912 888 777")
    resident.check('input[name="consent"]')
    resident.press('input[name="resident_phone"]', "Enter")
    resident.wait_for_url("**/track/**", timeout=WAIT_MS)
    code = resident.url.rstrip("/").rsplit("/", 1)[-1]
    resident.close()

    browser_page.wait_for_selector(
        f'#live-feed li[data-code="{code}"]', timeout=WAIT_MS
    )
    assert village.name in browser_page.locator("#live-feed").inner_text()
    assert browser_page.locator("#map path.request-marker").count() >= 1
