"""Each role, signed in at 1366×768 in a real Chromium, reaches every page it may use
within two clicks from the home page, and no page it may not. On a phone the same
links sit behind a "Menu" button."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from teams.demo import seed_demo_commune
from teams.models import Volunteer
from tests.dispatch.templatetags.console_pages import (
    CONSOLE,
    LEADER,
    OPERATOR,
    SECRETARY,
    VOLUNTEER,
)
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000


def links_on(page, base: str) -> set[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    paths = set()
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == base:
            paths.add(parts.path)
    return paths


def crawl(page, base: str) -> set[str]:
    """The console pages that opened within two clicks of `/` (following links only
    from console pages: the admin's own pages are not crawled)."""
    opened: set[str] = set()
    frontier = {"/"}
    for _clicks in range(3):  # the home page, then one click, then two
        following: set[str] = set()
        for path in sorted(frontier - opened):
            response = page.goto(base + path, wait_until="domcontentloaded")
            landed = urlsplit(page.url).path
            if response is None or response.status != 200:
                continue
            opened.add(landed)
            if landed in CONSOLE:
                following |= links_on(page, base) & CONSOLE
        frontier = following
    return opened & CONSOLE


@pytest.fixture
def demo(live_stack: str, browser_page, transactional_db):
    seed_demo_commune()
    browser_page.set_viewport_size({"width": 1366, "height": 768})
    volunteers = Volunteer.objects.filter(active=True).order_by("pk")
    return {
        "secretary": "secretary",
        "operator": "operator",
        "leader": volunteers.filter(role=Volunteer.Role.LEADER).first().user.username,
        "volunteer": volunteers.filter(role=Volunteer.Role.MEMBER)
        .first()
        .user.username,
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretary", SECRETARY),
        ("operator", OPERATOR),
        ("leader", LEADER),
        ("volunteer", VOLUNTEER),
    ],
)
def test_each_role_reaches_its_pages_within_two_clicks_and_no_others(
    live_stack: str, browser_page, demo, role: str, expected: set[str]
) -> None:
    sign_in(browser_page.context, live_stack, demo[role])
    assert crawl(browser_page, live_stack) == expected


def test_on_a_phone_the_pages_sit_behind_a_menu_button(
    live_stack: str, browser_page, demo
) -> None:
    sign_in(browser_page.context, live_stack, "secretary")
    browser_page.set_viewport_size({"width": 360, "height": 780})
    browser_page.goto(f"{live_stack}/requests/", wait_until="domcontentloaded")
    menu = browser_page.get_by_role("button", name="Trình đơn")
    board = browser_page.locator("#site-pages").get_by_role(
        "link", name="Bảng điều phối"
    )
    assert menu.is_visible() and not board.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    current = browser_page.locator('#site-pages a[aria-current="page"]')
    assert current.inner_text() == "Yêu cầu"
    board.click()
    browser_page.wait_for_url("**/board/", timeout=WAIT_MS)


def test_someone_not_signed_in_can_ask_for_help_or_track_a_code_from_home(
    live_stack: str, browser_page, transactional_db
) -> None:
    browser_page.goto(f"{live_stack}/", wait_until="domcontentloaded")
    browser_page.get_by_role("link", name="Tra cứu mã").first.click()
    browser_page.wait_for_url("**/track/", timeout=WAIT_MS)
    browser_page.get_by_role("link", name="Nhờ giúp đỡ").first.click()
    # One commune: its form; two or more (the cast has Nam Bình): the commune chooser.
    browser_page.wait_for_url(re.compile(r"/help/(chon-xa/)?$"), timeout=WAIT_MS)
