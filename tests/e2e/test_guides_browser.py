"""The guide pages in a real Chromium at 360 px: readable without sideways scrolling,
no critical or serious axe violation in Vietnamese or English, one A4 sheet when
printed; the QR poster renders for office staff."""

from __future__ import annotations

import re

import pytest

from dispatch.guides.services import install_seed_guides
from teams.demo import seed_demo_commune
from tests.e2e.axe import blocking_violations
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000
SLUG = "kich-hoat-vneid-muc-2"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def printed_pages(page) -> int:
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    page.emulate_media(media="screen")
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_guide_pages_read_well_on_a_phone_in_both_languages_and_print_on_one_sheet(
    live_stack: str, browser_page, transactional_db
) -> None:
    install_seed_guides()
    page = browser_page

    page.goto(live_stack + "/guides/", wait_until="domcontentloaded")
    page.get_by_label("Tìm hướng dẫn").fill("vneid")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name=re.compile("Kích hoạt tài khoản VNeID mức 2")).click()
    page.wait_for_selector("h1", timeout=WAIT_MS)
    vietnamese = {
        "title": page.locator("h1").inner_text(),
        "fits": fits_the_phone(page),
        "axe": blocking_violations(page),
        "sheets": printed_pages(page),
    }
    page.get_by_role("button", name="EN").click()
    page.wait_for_selector("html[lang=en]", timeout=WAIT_MS)
    english = {
        "title": page.locator("h1").inner_text(),
        "fits": fits_the_phone(page),
        "axe": blocking_violations(page),
        "sheets": printed_pages(page),
    }
    page.get_by_role("button", name="Yes, it helped").click()
    page.wait_for_selector("text=Thank you for telling us.", timeout=WAIT_MS)
    page.goto(live_stack + "/guides/", wait_until="domcontentloaded")
    index_axe = blocking_violations(page)

    assert vietnamese == {
        "title": "Kích hoạt tài khoản VNeID mức 2",
        "fits": True,
        "axe": [],
        "sheets": 1,
    }
    assert english == {
        "title": "Activate your level-2 VNeID account",
        "fits": True,
        "axe": [],
        "sheets": 1,
    }
    assert index_axe == []


def test_every_starter_guide_prints_on_one_a4_sheet(
    live_stack: str, browser_page, transactional_db
) -> None:
    from dispatch.models import Guide

    install_seed_guides()
    page = browser_page
    sheets = {}
    for guide in Guide.objects.all():
        page.goto(f"{live_stack}/guides/{guide.slug}/", wait_until="domcontentloaded")
        sheets[guide.slug] = (printed_pages(page), fits_the_phone(page))

    assert sheets == dict.fromkeys(sheets, (1, True))


def test_the_qr_poster_renders_for_office_staff(
    live_stack: str, browser_page, transactional_db
) -> None:
    seed_demo_commune()
    install_seed_guides()
    page = browser_page
    sign_in(page.context, live_stack, "secretary")

    page.goto(f"{live_stack}/guides/{SLUG}/", wait_until="domcontentloaded")
    page.get_by_role("link", name="In áp phích mã QR").click()
    page.wait_for_load_state("load")

    root = page.evaluate("document.documentElement.tagName")
    qr = page.evaluate(
        "(() => { const s = document.querySelectorAll('svg svg')[0];"
        " const r = s.getBoundingClientRect(); return [r.width, r.height]; })()"
    )
    text = page.evaluate("document.documentElement.textContent")
    # Back to a page the fixture can screenshot (an SVG document has no full-page size).
    page.goto(f"{live_stack}/guides/{SLUG}/", wait_until="domcontentloaded")
    assert root == "svg"
    assert qr[0] > 100 and abs(qr[0] - qr[1]) < 0.05 * qr[0]  # a square code, drawn
    assert "Kích hoạt tài khoản VNeID mức 2" in text and "Nhắn HD VNEID" in text
