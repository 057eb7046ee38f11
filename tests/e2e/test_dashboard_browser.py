"""A secretary opens the dashboard in a real Chromium and watches it change live: a new
request arrives, a volunteer goes on duty and their team's count on the map goes up."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from dispatch.models import DutyChange
from teams.demo import seed_demo_commune
from teams.models import Commune, SupportTeam, Village, Volunteer
from tests.e2e.axe import blocking_violations
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000  # a generous bound for a loaded CI machine, not a speed claim


def test_the_dashboard_map_shows_23_villages_and_a_new_request_appears_live(
    live_stack: str, browser_page, transactional_db
) -> None:
    # transactional_db after browser_page: the database is flushed before the page's
    # event loop is gone, while Django still allows it.
    seed_demo_commune()
    commune = Commune.objects.get(code="DA")
    sign_in(browser_page.context, live_stack, "secretary")

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

    # It appears on the map, at its village; no raw list of codes and statuses under it.
    browser_page.wait_for_selector(
        f'#map path.request-marker[data-code="{code}"]', timeout=WAIT_MS
    )
    assert browser_page.locator("#live-feed").count() == 0


def test_a_volunteer_going_on_duty_raises_their_teams_count_on_the_map_live(
    live_stack: str, browser_page, transactional_db
) -> None:
    seed_demo_commune()
    volunteer = (
        Volunteer.objects.filter(
            team__commune__code="DA",
            team__kind=SupportTeam.Kind.VILLAGE,
            role=Volunteer.Role.MEMBER,
            active=True,
            on_duty=False,
        )
        .select_related("team", "user")
        .order_by("pk")
        .first()
    )
    team = volunteer.team
    before = team.volunteers.filter(active=True, on_duty=True).count()
    sign_in(browser_page.context, live_stack, "secretary")
    browser_page.goto(f"{live_stack}/dashboard/", wait_until="domcontentloaded")
    count = browser_page.locator(f'#map .team-marker [data-team-id="{team.pk}"]')
    expect(count).to_have_text(str(before), timeout=WAIT_MS)
    browser_page.wait_for_selector('#live-state[data-connected="1"]', timeout=WAIT_MS)
    browser_page.evaluate("window.sameLoad = true")  # gone if the page reloads

    # The volunteer, on their own phone (another browser context: another session),
    # ticks "Đang trực" on /v/.
    phone_context = browser_page.context.browser.new_context(
        viewport={"width": 360, "height": 780}, locale="vi-VN"
    )
    try:
        sign_in(phone_context, live_stack, volunteer.user.username)
        phone = phone_context.new_page()
        frames: list[str] = []
        with phone.expect_websocket() as socket_info:
            phone.goto(f"{live_stack}/v/", wait_until="domcontentloaded")
        socket_info.value.on("framereceived", lambda frame: frames.append(str(frame)))
        # The socket opens before its "hello" snapshot arrives, and the snapshot sets the
        # switch to the stored state: on a loaded machine it could land after the tick
        # and undo it. Tick once the page has its snapshot, as a person would.
        phone.wait_for_selector("#v-conn[data-state=online]", timeout=WAIT_MS)
        deadline = time.monotonic() + WAIT_MS / 1000
        while not any('"hello"' in f for f in frames) and time.monotonic() < deadline:
            phone.wait_for_timeout(50)
        phone.check("#v-duty")

        expect(count).to_have_text(str(before + 1), timeout=WAIT_MS)
    finally:
        phone_context.close()
    assert DutyChange.objects.filter(volunteer=volunteer, on_duty=True).count() == 1
    assert browser_page.evaluate("window.sameLoad") is True


def test_with_map_tiles_blocked_the_villages_are_still_drawn_and_named(
    live_stack: str, browser_page, transactional_db
) -> None:
    seed_demo_commune()
    tile_requests: list[str] = []

    def refuse(route) -> None:
        tile_requests.append(route.request.url)
        route.abort()

    browser_page.context.route("**/tile.openstreetmap.org/**", refuse)
    sign_in(browser_page.context, live_stack, "secretary")

    browser_page.goto(f"{live_stack}/dashboard/", wait_until="domcontentloaded")

    note = browser_page.locator("#map-offline")
    expect(note).to_be_visible(timeout=WAIT_MS)
    assert "dữ liệu của xã" in note.inner_text()
    assert tile_requests  # the tiles were asked for, and refused
    areas = browser_page.locator("#map path.village-area")
    assert areas.count() == 23
    expect(areas.first).to_be_visible()
    box = browser_page.locator("#map").bounding_box()
    inside = 0
    for i in range(areas.count()):
        area = areas.nth(i).bounding_box()
        if area and area["width"] > 5 and area["height"] > 5:
            inside += (
                area["x"] < box["x"] + box["width"]
                and area["y"] < box["y"] + box["height"]
            )
    assert inside == 23  # each village an area of its own, inside the map
    labels = browser_page.locator("#map .village-label")
    assert labels.count() == 23
    assert "Thôn 5" in browser_page.locator("#map").inner_text()
    assert browser_page.locator("#map path.village-marker").count() == 23
    # Offline, with the village names drawn on the map: still no serious axe finding.
    assert blocking_violations(browser_page) == []
